import { maskKeyId } from '../chain/mask.js'
import type { ResolvedIdentity } from '../probe/outcome.js'
import type { MatcherContext } from './context.js'

export { maskKeyId }

// Long-term (AKIA), session (ASIA) and the other documented unique-id prefixes.
const KEY_ID_PATTERN = /\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA|AGPA|AIPA|ANPA|ANVA|APKA|ASCA)[A-Z0-9]{12,124}\b/g

/** Masks anything shaped like an access key id in free text (SDK errors, reasons, hints). */
export function redactKeyIds(text: string): string {
  return text.replace(KEY_ID_PATTERN, (id) => maskKeyId(id))
}

/** One `Label: value` row of the Expected/Received block. */
export type Row = readonly [label: string, value: string]

/** Rows with their values aligned, as Jest's `getLabelPrinter` aligns them. */
export function alignRows(rows: readonly Row[]): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length + 1))
  return rows.map(([label, value]) => `${(label + ':').padEnd(width)} ${value}`)
}

/** The rows that describe what the target resolved to; never a secret, the key id masked. */
export function identityRows(ctx: MatcherContext, identity: ResolvedIdentity, show: { source?: boolean; profile?: boolean; principal?: boolean; role?: boolean } = {}): Row[] {
  const { printReceived } = ctx.utils
  const rows: Row[] = []
  if (show.source !== false) rows.push(['Received source', printReceived(identity.source)])
  if (show.profile !== false && identity.profile !== undefined) rows.push(['Received profile', printReceived(identity.profile)])
  if (show.role !== false && identity.role !== undefined) rows.push(['Received role', printReceived(identity.role)])
  if (show.principal !== false) rows.push(['Received principal', printReceived(identity.principal)])
  rows.push(['Access key id', maskKeyId(identity.accessKeyId)])
  return rows
}

/** Lines after the report that say where the ledger and the SDK's `$source` codes disagree. */
export function disagreementLines(identity: ResolvedIdentity): string[] {
  const notes = identity.disagreements ?? []
  return notes.length ? ['', 'Note:', ...notes.map((n) => `  - ${n}`)] : []
}

/** `["container", "instanceProfile"]` on one line in both runners (Vitest would print an `Array [` block). */
export function printList(print: (value: unknown) => string, items: readonly string[]): string {
  return `[${items.map((item) => print(item)).join(', ')}]`
}
