import type { ChainReport, SdkName } from '../types.js'
import { ChainproofError } from '../errors.js'
import { activeWorld } from '../world/world.js'
import './probe.js'

/**
 * The chain report of this process's environment: the active world's. Explaining the real
 * machine (no world) is the CLI's job (`chainproof doctor`).
 */
export async function explainChain(options: { sdk?: SdkName; env?: Record<string, string | undefined>; probe?: boolean } = {}): Promise<ChainReport> {
  const world = activeWorld()
  if (!world) {
    throw new ChainproofError('explainChain() needs an active credential world in this version; to inspect the real machine run `chainproof doctor`.')
  }
  if (options.env) throw new ChainproofError('explainChain({ env }) (a static model of another environment) is not available in this version; use world.explain()')
  const sdk = options.sdk
  return sdk === undefined ? world.explain() : world.explain(undefined, { sdk })
}
