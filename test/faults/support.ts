/**
 * Shared by the fault suites: run the REAL default chain in a world, then read its report.
 * Test-only.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { expect } from 'vitest'
import type { ChainLink, ChainReport, CredentialWorld, Source } from '../../src/types.js'
import type { WorldImpl } from '../../src/world/world.js'

export type ChainResult =
  | { ok: true; source: Source | undefined; accessKeyId: string; expiration?: Date; originalExpiration?: Date; ms: number }
  | { ok: false; error: Error & { name: string; tryNextLink?: boolean }; ms: number }

export interface Captured {
  warnings: string[]
  logger: { debug(): void; info(): void; warn(...args: unknown[]): void; error(): void }
}

/** A logger for the SDK that keeps its warnings (static stability, multiple sources). */
export function captureLogger(): Captured {
  const warnings: string[] = []
  return { warnings, logger: { debug() {}, info() {}, warn: (...args) => void warnings.push(args.map(String).join(' ')), error() {} } }
}

/** Resolves with the real `fromNodeProviderChain` (the SDK's own defaults unless `init` says otherwise). */
export async function realChain(world: CredentialWorld, init: Record<string, unknown> = {}): Promise<ChainResult> {
  const started = performance.now()
  try {
    const credentials = (await fromNodeProviderChain(init)()) as { accessKeyId: string; expiration?: Date; originalExpiration?: Date }
    const result: ChainResult = { ok: true, source: world.identityOf(credentials.accessKeyId)?.source, accessKeyId: credentials.accessKeyId, ms: performance.now() - started }
    if (credentials.expiration) result.expiration = credentials.expiration
    if (credentials.originalExpiration) result.originalExpiration = credentials.originalExpiration
    return result
  } catch (error) {
    return { ok: false, error: error as Error & { name: string }, ms: performance.now() - started }
  }
}

export function linkOf(report: ChainReport, source: Source): ChainLink {
  const link = report.links.find((l) => l.source === source)
  if (!link) throw new Error(`no ${source} link in the report`)
  return link
}

/** No secret key or session token the world issued appears in any of the texts. */
export function expectNoSecrets(world: CredentialWorld, ...texts: unknown[]): void {
  const secrets = (world as WorldImpl).ledger.secrets()
  for (const text of texts) {
    const shown = String(text instanceof Error ? `${text.name}: ${text.message}` : text)
    for (const secret of secrets) expect(shown.includes(secret), 'a secret leaked into a message').toBe(false)
  }
}

/** The requests that reached one server, as `METHOD path status`. */
export function trafficOf(world: CredentialWorld, server: string): string[] {
  return world.requests.filter((r) => r.server === server).map((r) => `${r.method} ${r.path.replace(/\/v2\/credentials\/[0-9a-f]+/, '/v2/credentials/TASK')} ${r.status}`)
}
