import type { ChainLink, ChainReport, Source } from '../types.js'
import { STATUS_MARK, formatReport } from '../chain/report.js'
import type { Style } from './io.js'

/** The report as plain data: what every `--json` output and the serve control server's /explain share. */
export interface ReportJson {
  sdk: string
  /** The winning source, or null when no link resolves. */
  winner: Source | null
  shadowed: Source[]
  links: ChainLink[]
  hints: string[]
}

export function reportJson(report: ChainReport, extraHints: readonly string[] = []): ReportJson {
  return {
    sdk: report.sdk,
    winner: report.winner ?? null,
    shadowed: [...report.shadowed],
    links: report.links.map((l) => ({ source: l.source, name: l.name, status: l.status, reason: l.reason })),
    hints: [...report.hints, ...extraHints],
  }
}

const MARK_COLOR: Record<ChainLink['status'], keyof Pick<Style, 'green' | 'yellow' | 'red' | 'dim' | 'cyan'>> = {
  won: 'green',
  shadowed: 'yellow',
  failed: 'red',
  skipped: 'cyan',
  absent: 'dim',
  unreached: 'dim',
}

/**
 * The report table exactly as failure messages print it (formatReport), plus a shadowed line
 * and any extra hints; coloured by status when the style has colour.
 */
export function reportText(report: ChainReport, style: Style, extraHints: readonly string[] = []): string {
  const table = formatReport({ ...report, hints: [...report.hints, ...extraHints] })
  const lines = table.split('\n')
  const out: string[] = []
  lines.forEach((line, i) => {
    if (i === 0) {
      out.push(style.bold(line))
      return
    }
    const link = report.links[i - 1]
    if (link && i <= report.links.length) {
      out.push(line.replace(STATUS_MARK[link.status], (mark) => style[MARK_COLOR[link.status]](mark)))
      if (i === report.links.length) out.push(`  shadowed: ${report.shadowed.length ? report.shadowed.join(', ') : '(none)'}`)
      return
    }
    out.push(line === 'Hints:' ? style.bold(line) : line)
  })
  if (report.links.length === 0) out.push(`  shadowed: ${report.shadowed.length ? report.shadowed.join(', ') : '(none)'}`)
  return out.join('\n')
}

/** Text safe inside a Markdown table cell. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;')
}

/** The report as a GitHub-flavoured Markdown table, for a PR comment or a CI job summary. */
export function reportMarkdown(report: ChainReport, options: { title: string; extraHints?: readonly string[]; notes?: readonly string[] }): string {
  const lines = [
    `### ${options.title}`,
    '',
    `**Winner:** ${report.winner ? `\`${report.winner}\`` : 'none — no source resolved'} · **Shadowed:** ${report.shadowed.length ? report.shadowed.map((s) => `\`${s}\``).join(', ') : 'none'} · **SDK model:** \`${report.sdk}\``,
    '',
    '| # | source | SDK link | status | reason |',
    '| ---: | --- | --- | --- | --- |',
    ...report.links.map((l, i) => `| ${i + 1} | \`${l.source}\` | \`${l.name}\` | ${l.status === 'won' ? '**✔ won**' : STATUS_MARK[l.status]} | ${markdownCell(l.reason)} |`),
  ]
  const hints = [...report.hints, ...(options.extraHints ?? [])]
  if (hints.length) lines.push('', '**Hints**', '', ...hints.map((h) => `- ${markdownCell(h)}`))
  if (options.notes?.length) lines.push('', options.notes.join('\n\n'))
  return lines.join('\n')
}

/** C0 and C1 controls (ESC, CR, BEL…), line and paragraph separators, and bidirectional overrides: what can fake or hide a line on a terminal. */
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text from a file (a scenario's name, description or expected message), made safe to print: each
 * control or bidi character becomes a visible `\u001b`-style escape, so a file cannot move the
 * cursor, colour the output or fake a "✔ matches" line — with colours or without.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE_TEXT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** JSON.stringify, with the characters it leaves raw (C1 controls, separators, bidi overrides) escaped too. */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
