import type { ChainReport, Resolution } from '../types.js'

/** What the probe found, without the (costlier) full chain report, which is computed on demand. */
export type ResolvedIdentity = Omit<Resolution, 'report'>

export type ProbeOutcome =
  | { ok: true; resolution: ResolvedIdentity; report(): Promise<ChainReport> }
  | {
      ok: false
      /** The SDK's error (or chainproof's, e.g. credentials from outside the world). */
      error: unknown
      /** The error's message, with no secret in it. */
      message: string
      report(): Promise<ChainReport>
    }
