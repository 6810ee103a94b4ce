import type { ChainLink, ChainReport, SdkName, Source } from '../../types.js'
import { auditText } from '../../audit.js'
import { formatReport } from '../report.js'
import type { SdkFacts } from './facts.js'
import { applyFaults } from './faults.js'

/** One link of an SDK's chain, in that SDK's own words. */
export interface SdkLink {
  source: Source
  name: string
}

/** A setting that provides credentials, and what to change so it no longer does. */
export interface Removable {
  mechanism: Source
  /** For an `inner` entry: rank it after that link (a profile's other settings rank after the process link, as fromIni reaches them next). */
  after?: Source
  /** In the SDK's terms: "unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "remove credential_process from [default] in ~/.aws/config". */
  removal: string
  profile?: string
}

/** What one link finds on its own; the chain rules are applied by {@link assembleSdkReport}. */
export type SdkFinding =
  | (Removable & {
      kind: 'available'
      /** Equal keys are the same credentials (a second link reaching them again is skipped, not shadowed). */
      key: string
      reason: string
      /** Other credential settings of the same section that this link would pick next, in the SDK's order. */
      inner?: Removable[]
    })
  /** `failed` stops the chain; an SDK that moves on after an error reports `absent` with the error as the reason. */
  | { kind: 'absent' | 'skipped' | 'failed'; reason: string }

/** What a model says about itself: which release it describes, and how it is known. */
export interface SdkModelInfo {
  sdk: SdkName
  /** The SDK in words: "AWS SDK for Java 2.x". */
  title: string
  /** The release the model describes, cited in the report header. */
  release: string
  /** `run`: checked against the real SDK in chainproof's CI; `source`: read from the SDK's source, not run. */
  modelledFrom: 'run' | 'source'
  /** How it is checked, or which source it was read from. */
  basis: string
}

export interface SdkReport extends ChainReport {
  release: string
  modelledFrom: 'run' | 'source'
}

/** A failure before any link runs (botocore's ProfileNotFound): every link is unreached. */
export interface Preflight {
  failed: string
  hint: string
}

/** How the chain's verdicts name links: other SDKs by their own link names, JS v3 by source ("the profile link"). */
export interface ChainWords {
  sameAs(winner: SdkLink): string
  stoppedAt(link: SdkLink): string
  won(winner: SdkLink, mechanism: Source): string
}
const BY_NAME: ChainWords = {
  sameAs: (w) => `same credentials as ${w.name}, which already won`,
  stoppedAt: (l) => `not reached: the chain stopped at ${l.name}`,
  won: (w) => `${w.name} won`,
}

export interface ChainVerdict {
  links: ChainLink[]
  hints: string[]
  summary: { winner?: Source; shadowed: Source[] }
}

/**
 * The one chain-rule engine, for every modelled SDK and for the JS v3 model and probe: the
 * first available link wins, later available ones are shadowed, a `failed` link stops the
 * chain. Findings are keyed by link (`keyOf`), never matched by position: a link without a
 * finding, or a finding for no link, is an error. Shadowed sources are ranked as they would
 * win if the ones above were removed one by one (an `inner` entry with `after` ranks after that
 * link), and each gets one hint naming every removal.
 */
export function applyChainRules(
  links: readonly SdkLink[],
  findings: ReadonlyMap<string, SdkFinding>,
  keyOf: (link: SdkLink) => string = (link) => link.name,
  words: ChainWords = BY_NAME,
): ChainVerdict {
  const keys = new Set(links.map(keyOf))
  for (const key of findings.keys()) if (!keys.has(key)) throw new Error(`chain engine: a finding for "${key}", which is no link of this chain (${[...keys].join(', ')})`)
  const chainLinks: ChainLink[] = []
  const ranked: Removable[] = []
  const pending: { after: Source; entries: Removable[] }[] = []
  const hints: string[] = []
  let winner: { link: SdkLink; key: string; mechanism: Source } | undefined
  let stoppedAt: SdkLink | undefined
  for (const link of links) {
    const finding = findings.get(keyOf(link))
    if (!finding) throw new Error(`chain engine: no finding for the link "${keyOf(link)}"`)
    // links are built literally, not by spreading a base: a spread of a small object is slow here (the report's hot path)
    const entry = (status: ChainLink['status'], reason: string): ChainLink => ({ source: link.source, name: link.name, status, reason })
    if (stoppedAt && !winner) {
      chainLinks.push(entry('unreached', words.stoppedAt(stoppedAt)))
    } else if (finding.kind !== 'available') {
      if (finding.kind === 'failed' && !winner) stoppedAt = link
      chainLinks.push(entry(finding.kind, finding.reason))
    } else if (winner && winner.key === finding.key) {
      chainLinks.push(entry('skipped', words.sameAs(winner.link)))
    } else {
      ranked.push(finding)
      const now = (finding.inner ?? []).filter((e) => e.after === undefined)
      ranked.push(...now)
      for (const e of finding.inner ?? []) if (e.after !== undefined) pending.push({ after: e.after, entries: [e] })
      if (!winner) {
        winner = { link, key: finding.key, mechanism: finding.mechanism }
        chainLinks.push(entry('won', finding.reason))
      } else {
        chainLinks.push(entry('shadowed', `${finding.reason}, but ${words.won(winner.link, winner.mechanism)}`))
      }
    }
    for (const wait of pending.filter((p) => p.after === link.source)) ranked.push(...wait.entries)
    for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.after === link.source) pending.splice(i, 1)
  }
  const shadowed: Source[] = []
  for (const entry of ranked.slice(1)) if (entry.mechanism !== winner?.mechanism && !shadowed.includes(entry.mechanism)) shadowed.push(entry.mechanism)
  const top = ranked[0]
  if (top) {
    const seen = new Set<Source>([top.mechanism])
    ranked.slice(1).forEach((entry, i) => {
      if (seen.has(entry.mechanism)) return
      seen.add(entry.mechanism)
      const steps = [...new Set(ranked.slice(0, i + 1).map((above) => above.removal))]
      hints.push(`To use ${entry.mechanism} instead of ${top.mechanism}: ${steps.join('; then ')}.`)
    })
  } else if (!chainLinks.some((l) => l.status === 'failed')) {
    hints.push('No link has credentials: set env keys, a profile, a web identity token file, a container endpoint or an instance profile.')
  }
  const summary: { winner?: Source; shadowed: Source[] } = { shadowed }
  if (winner) summary.winner = winner.mechanism
  return { links: chainLinks, hints, summary }
}

/** Findings listed beside their links in a model's code, keyed by link name (the lists must be the same length). */
export function byLink(links: readonly SdkLink[], findings: readonly SdkFinding[]): Map<string, SdkFinding> {
  if (links.length !== findings.length) throw new Error(`chain engine: ${findings.length} findings for ${links.length} links (${links.map((l) => l.name).join(', ')})`)
  return new Map(links.map((link, i) => [link.name, findings[i]!]))
}

/** A modelled SDK's report: its preflight failure, or the chain rules over its links. */
export function assembleSdkReport(
  model: SdkModelInfo,
  links: readonly SdkLink[],
  findings: readonly SdkFinding[] | ReadonlyMap<string, SdkFinding> | Preflight,
  leadingHints: readonly string[] = [],
  /** The facts the findings came from: a world's faults in them break the providers they hit (src/chain/sdks/faults.ts). */
  facts?: SdkFacts,
): SdkReport {
  if (!Array.isArray(findings) && !(findings instanceof Map)) {
    const preflight = findings as Preflight
    const chainLinks: ChainLink[] = links.map((link) => ({ ...link, status: 'unreached', reason: `not reached: ${preflight.failed}` }))
    return createSdkReport(model, chainLinks, [...leadingHints, preflight.hint], { shadowed: [] })
  }
  const listed = findings instanceof Map ? findings : byLink(links, findings as readonly SdkFinding[])
  const keyed = facts ? applyFaults(model.sdk, facts, listed) : listed
  const verdict = applyChainRules(links, keyed)
  return createSdkReport(model, verdict.links, [...leadingHints, ...verdict.hints], verdict.summary)
}

/** The header cites the SDK and the release the model describes; a source-only model says so on its second line. */
export function createSdkReport(model: SdkModelInfo, links: ChainLink[], hints: string[], summary: { winner?: Source; shadowed: Source[] }): SdkReport {
  const report: SdkReport = { sdk: model.sdk, release: model.release, modelledFrom: model.modelledFrom, links, shadowed: [...summary.shadowed], hints, toString: () => '' }
  if (summary.winner) report.winner = summary.winner
  Object.defineProperty(report, 'toString', {
    enumerable: false,
    value: () => {
      const body = formatReport(report).split('\n')
      const verdict = report.winner ? `winner: ${report.winner}` : 'no source resolved'
      body[0] = `Credential chain (${model.sdk}: ${model.release}) — ${verdict}`
      const provenance =
        model.modelledFrom === 'source'
          ? `  Modelled from the SDK's source, not run: ${model.basis}`
          : `  Model checked against the real SDK: ${model.basis}`
      const text = [body[0], provenance, ...body.slice(1)].join('\n')
      auditText(text)
      return text
    },
  })
  return report
}

/** Removal steps shared by the models, in plain words. */
export const removeEnvKeys = (facts: SdkFacts, names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) => {
  const set = [...names, 'AWS_SESSION_TOKEN'].filter((n) => facts.env[n] !== undefined && facts.env[n] !== '')
  return `unset ${(set.length ? set : names).join(', ').replace(/, ([^,]*)$/, ' and $1')}`
}
export const removeWebIdentityEnv = () => 'unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN'
export const removeContainer = (variable: string) => `unset ${variable} (and its authorization token variable)`
export const removeInstanceProfile = () => 'detach the instance profile (or set AWS_EC2_METADATA_DISABLED=true)'
