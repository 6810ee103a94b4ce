import type { Source } from '../../types.js'
import type { LinkFinding } from '../assemble.js'
import { assembleReport } from '../assemble.js'
import { JS_V3_MODEL_VERSION, modelFindings } from '../model.js'
import { sourceDefinition } from '../../sources/index.js'
import { type SdkModelInfo, type SdkReport, createSdkReport } from './assemble.js'
import type { SdkFacts } from './facts.js'

/**
 * The JS SDK v3 chain, in two releases. The latest is the static model of src/chain/model.ts
 * (checked against the real `fromNodeProviderChain` on 512 worlds). Before 3.616
 * (`@aws-sdk/credential-provider-node` ≤ 3.614), `defaultProvider()` decided ONCE, when it was
 * created, whether fromEnv was in the chain at all: `init.profile || process.env.AWS_PROFILE`
 * at construction removed it for the provider's whole life; fromEnv itself never looked at
 * AWS_PROFILE. For a world that means:
 *   - a client (or defaultProvider) created while AWS_PROFILE is set never uses the env keys,
 *     even if AWS_PROFILE is unset afterwards (3.616+: it would, on the next resolution);
 *   - a client created before AWS_PROFILE is set keeps using the env keys after it is set
 *     (3.616+: AWS_PROFILE set at call time skips them);
 *   - created after the world and resolved in it — the way chainproof tests run — both releases
 *     pick the same link, which the agreement suite proves for 3.600 on all 512 worlds.
 * The profile link (fromIni) reads AWS_PROFILE at call time in both. 3.600 also treats any
 * non-empty AWS_EC2_METADATA_DISABLED, even "false", as disabling IMDS (3.616+: not "false").
 */
export const JS_V3_MODEL: SdkModelInfo = {
  sdk: 'js-v3',
  title: 'AWS SDK for JavaScript v3',
  release: JS_V3_MODEL_VERSION,
  modelledFrom: 'run',
  basis: 'fromNodeProviderChain agrees on 512 generated worlds (test/chain/agreement.test.ts)',
}

export const JS_V3_PRE_3616_MODEL: SdkModelInfo = {
  sdk: 'js-v3@<3.616',
  title: 'AWS SDK for JavaScript v3 before 3.616',
  release: '@aws-sdk/credential-provider-node 3.600.0 (AWS_PROFILE checked once, when defaultProvider() is created)',
  modelledFrom: 'run',
  basis: 'defaultProvider() of @aws-sdk/credential-provider-node 3.600.0 agrees on 512 generated worlds (test/sdks/js-v3-3600.test.ts)',
}

export interface JsV3Options {
  /** A release such as "3.600.0": below 3.616 the pre-3.616 rules apply. */
  version?: string
  /**
   * Pre-3.616 only: AWS_PROFILE (or the client's profile option) when the provider was created;
   * null: it was unset then. Default: the facts' current value (the provider was created in this environment).
   */
  profileAtConstruction?: string | null
}

/** Whether a "3.x.y" release is older than 3.616 (where AWS_PROFILE became a per-call check). */
export function isBefore3616(version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number)
  if (major === undefined || Number.isNaN(major)) throw new Error(`js-v3 version "${version}": expected a release like "3.600.0"`)
  return major < 3 || (major === 3 && (minor ?? 0) < 616)
}

function wrap(model: SdkModelInfo, report: ReturnType<typeof assembleReport>, leadingHints: string[] = [], dropHint?: (hint: string) => boolean): SdkReport {
  const summary: { winner?: NonNullable<typeof report.winner>; shadowed: typeof report.shadowed } = { shadowed: report.shadowed }
  if (report.winner) summary.winner = report.winner
  return createSdkReport(model, report.links, [...leadingHints, ...report.hints.filter((h) => !dropHint?.(h))], summary)
}

export function modelJsV3(facts: SdkFacts): SdkReport {
  return wrap(JS_V3_MODEL, assembleReport(modelFindings(facts), facts))
}

export function modelJsV3Before3616(facts: SdkFacts, options: JsV3Options = {}): SdkReport {
  const current = facts.clientProfile || facts.env.AWS_PROFILE || undefined
  const atConstruction = options.profileAtConstruction === undefined ? current : options.profileAtConstruction || undefined
  // 3.600 predates the sources whose sdkSupport says so: its fromIni has no such branch
  const findings: Map<Source, LinkFinding> = modelFindings(facts, { branches: (b) => sourceDefinition(b.source)?.sdkSupport?.['js-v3@<3.616']?.modelled !== false })
  const keysSet = !!facts.env.AWS_ACCESS_KEY_ID && !!facts.env.AWS_SECRET_ACCESS_KEY
  const leading: string[] = []
  if (atConstruction) {
    findings.set('env', {
      kind: 'skipped',
      reason: `fromEnv is not in this chain: ${facts.clientProfile ? `the client's profile option was "${atConstruction}"` : `AWS_PROFILE=${atConstruction} was set`} when defaultProvider() was created (before 3.616 that was checked once, at construction)`,
    })
    if (keysSet) {
      leading.push(
        `Before 3.616 the JS SDK v3 left fromEnv out of the chain for good because AWS_PROFILE=${atConstruction} was set when the client was created — the env keys are never used by that client, even after AWS_PROFILE is unset. Unset AWS_PROFILE before creating the client (or create a new client), or upgrade to ≥ 3.616, where the check runs on every resolution.`,
      )
    }
  } else if (current && keysSet) {
    findings.set('env', {
      kind: 'available',
      mechanism: 'env',
      key: `env:${facts.env.AWS_ACCESS_KEY_ID}`,
      reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set; AWS_PROFILE=${current} is set now, but was not when defaultProvider() was created, so fromEnv stayed in the chain (before 3.616)`,
    })
    leading.push(`This client was created before AWS_PROFILE=${current} was set: before 3.616 it keeps using the env keys (3.616+ would skip them). Create the client after setting AWS_PROFILE.`)
  }
  const imdsDisabled = facts.env.AWS_EC2_METADATA_DISABLED
  const containerSet = !!facts.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || !!facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
  if (imdsDisabled === 'false' && !containerSet) {
    findings.set('instanceProfile', { kind: 'skipped', reason: 'AWS_EC2_METADATA_DISABLED=false is set, and before 3.616 any non-empty value disables the instance metadata service' })
  }
  const report = assembleReport(findings, facts)
  return wrap(JS_V3_PRE_3616_MODEL, report, leading, (hint) => hint.includes('Multiple credential sources detected') && !atConstruction)
}
