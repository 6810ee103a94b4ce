import type { ChainLink, ChainReport, Source } from '../types.js'
import { auditText } from '../audit.js'

/**
 * Builds a report. `winner` and `shadowed` name credential mechanisms (a profile whose
 * credential_process ran won as `process`); without `summary` they are read off the links.
 */
export function createReport(sdk: string, links: ChainLink[], hints: string[] = [], summary?: { winner?: Source; shadowed: Source[] }): ChainReport {
  const winner = summary ? summary.winner : links.find((l) => l.status === 'won')?.source
  const shadowed = summary ? [...summary.shadowed] : links.filter((l) => l.status === 'shadowed').map((l) => l.source)
  const report = { sdk, links, shadowed, hints } as ChainReport
  // added as not enumerable (reconfiguring an own property afterwards costs the object its fast shape)
  Object.defineProperty(report, 'toString', {
    value: () => {
      const text = formatReport(report)
      auditText(text)
      return text
    },
    enumerable: false,
    writable: true,
    configurable: true,
  })
  if (winner) report.winner = winner
  return report
}

/** How each link status is shown in a report table. */
export const STATUS_MARK: Record<ChainLink['status'], string> = {
  won: '✔ won',
  shadowed: '◐ shadowed',
  absent: '· absent',
  skipped: '↷ skipped',
  failed: '✘ failed',
  unreached: '… unreached',
}

/** The table printed in failure messages and by the CLI. Plain text; never a secret. */
export function formatReport(report: Pick<ChainReport, 'sdk' | 'links' | 'hints' | 'winner'>): string {
  const rows = report.links.map((l, i) => [`${i + 1}. ${l.source}`, l.name, STATUS_MARK[l.status], l.reason])
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length), 0))
  const lines = [`Credential chain (${report.sdk})${report.winner ? ` — winner: ${report.winner}` : ' — no source resolved'}`]
  for (const r of rows) lines.push('  ' + r.slice(0, 3).map((cell, c) => cell.padEnd(widths[c]!)).join('  ') + '  ' + r[3])
  if (report.hints.length) {
    lines.push('Hints:')
    for (const h of report.hints) lines.push(`  - ${h}`)
  }
  return lines.join('\n')
}

export function sourcesOf(links: ChainLink[], status: ChainLink['status']): Source[] {
  return links.filter((l) => l.status === status).map((l) => l.source)
}
