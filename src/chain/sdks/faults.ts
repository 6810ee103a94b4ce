import type { FaultSpec } from '../../fault-types.js'
import type { SdkName } from '../../types.js'
import type { SdkFacts } from './facts.js'

/**
 * How each modelled SDK reacts to a world's faults (`faults: [...]` of a WorldSpec; a real
 * machine has none): which faults make a provider's fetch fail in that SDK, and whether the SDK
 * then stops (the fetch error is the client's error) or moves on to its next provider.
 *
 * The reactions of js-v2, ruby-v3, go-v2@1.17, botocore and aws-cli-v2 were measured by running
 * those SDKs on the fault catalogue's worlds (test/support/fault-worlds.ts, test/sdks/*); where a
 * reaction was not run (a `times` beyond the measured ones, a `delay` of another length, the
 * source-modelled Java, PHP and current Go), the rule below is read from the SDK's source and
 * says so in FAULT_REACTION_NOTES. The JS v3 reports in a world are probed, not modelled, so
 * they see every fault for real.
 */

/** What a finding's key says about its provider: `imds`, `container`, `role:…`, `web:…`, `process:…`, … */
type Provider = 'imds' | 'container' | 'role' | 'web' | 'process' | 'other'

const providerOf = (key: string): Provider => {
  const kind = key.split(':')[0]!
  return kind === 'imds' || kind === 'container' || kind === 'role' || kind === 'web' || kind === 'process' ? kind : 'other'
}

/** SDKs whose default chain moves on when a provider fails (every error falls through). */
const MOVES_ON: ReadonlySet<SdkName> = new Set(['js-v2', 'java-v1', 'java-v2', 'php-v3'])
/** The SDKs whose IMDS client gives up on a 1 s answer (Go's waits longer). */
const SHORT_IMDS_TIMEOUT: ReadonlySet<SdkName> = new Set(['js-v2', 'ruby-v3', 'botocore', 'aws-cli-v2', 'java-v1', 'java-v2', 'php-v3'])
const isGo = (sdk: SdkName) => sdk === 'go-v2' || sdk === 'go-v2@1.17'

/** Where the measured reactions end and the read-from-source ones begin. */
export const FAULT_REACTION_NOTES: readonly string[] = [
  'measured (test/sdks/*, one oracle per world): imds tokenStatus 400/403/404/405, tokenTimeout, rejectV1 (alone and with a token fault), status 500/503 (always, and answering 1–4 requests), throttle (every path, answering 1–3 requests, token only), delay 1500 ms on credentials, malformedCredentials, expired and expiring credentials; container status 401/500 (always, and answering 1–4 requests), malformedBody, delay 1200 ms once and 1500 ms always; sts AccessDenied, RegionDisabledException, InvalidIdentityToken, Throttling (always, and answering 1–3 requests); webIdentityTokenFile missing/empty; credentialProcess exitNonZero/badJson/badVersion/expired; sso tokenExpired; ini malformed; profile sourceProfileLoop/missing — for js-v2, ruby-v3, go-v2@1.17, botocore and aws-cli-v2',
  'read from source, not run: every reaction of java-v1, java-v2, php-v3 and current go-v2 (taken as go-v2@1.17\'s), and delays of other lengths',
]

/**
 * How many failing answers each SDK's retries absorb, measured with faults that answer `times`
 * requests: IMDS GETs answering 5xx, IMDS throttled on every path (the token request takes the
 * first 429, then IMDSv1 is tried), the container endpoint answering 5xx, STS throttling a role.
 * An SDK not listed absorbs none.
 */
const ABSORBS: Readonly<Record<'imdsStatus' | 'imdsThrottle' | 'containerStatus' | 'stsThrottling', Partial<Record<SdkName, number>>>> = {
  imdsStatus: { 'js-v2': 3, 'ruby-v3': 2, 'go-v2@1.17': 2, 'go-v2': 2 },
  imdsThrottle: { 'js-v2': 3, 'ruby-v3': 3, 'go-v2@1.17': 1, 'go-v2': 1, botocore: 1, 'aws-cli-v2': 1 },
  containerStatus: { 'js-v2': 3, botocore: 2, 'aws-cli-v2': 2 },
  stsThrottling: { 'js-v2': 3, 'ruby-v3': 3, 'go-v2@1.17': 2, 'go-v2': 2, botocore: 3, 'aws-cli-v2': 2 },
}
const absorbed = (what: keyof typeof ABSORBS, sdk: SdkName, times: number | undefined) => times !== undefined && times <= (ABSORBS[what][sdk] ?? 0)
/** The container client's timeout, in ms (Go has none by default; JS v2's is 1 s, botocore's 2 s). */
const CONTAINER_TIMEOUT_MS: Partial<Record<SdkName, number>> = { 'js-v2': 1000, botocore: 2000, 'aws-cli-v2': 2000, 'java-v1': 1000, 'java-v2': 1000 }

const tokenFails = (f: FaultSpec, sdk: SdkName): boolean =>
  f.target === 'imds' &&
  ((f.kind === 'tokenStatus' && f.status !== 400) ||
    f.kind === 'tokenTimeout' ||
    (f.kind === 'throttle' && f.path === 'token') ||
    (f.kind === 'delay' && f.path === 'token' && f.ms >= (isGo(sdk) ? 5000 : 1000)))

/** Why this SDK's IMDS fetch fails under the world's faults, or undefined. */
function imdsBreaks(sdk: SdkName, faults: readonly FaultSpec[]): string | undefined {
  const imds = faults.filter((f) => f.target === 'imds')
  for (const f of imds) {
    if (f.target !== 'imds') continue
    switch (f.kind) {
      case 'tokenStatus':
        if (f.status === 400) return `the IMDSv2 token request answers 400: ${sdk} gives up instead of falling back to IMDSv1`
        break
      case 'tokenTimeout':
        if (isGo(sdk)) return `the IMDSv2 token request does not answer: Go waits for it until its deadline ("context deadline exceeded") instead of falling back to IMDSv1`
        break
      case 'rejectV1': {
        const other = imds.find((g) => g !== f && tokenFails(g, sdk) && !(isGo(sdk) && g.kind === 'tokenTimeout'))
        if (other) return `the IMDSv2 token request fails and ${sdk} falls back to IMDSv1, which the instance refuses (401)`
        break
      }
      case 'status':
        if (!absorbed('imdsStatus', sdk, f.times)) return `IMDS answers ${f.status} to the ${f.path ?? 'role and credentials'} request${f.path ? '' : 's'}${f.times !== undefined ? ` ${f.times} time${f.times > 1 ? 's' : ''}, more than ${sdk}'s retries absorb` : ', every time'}`
        break
      case 'throttle':
        if (f.path === 'token') {
          if (sdk === 'js-v2') return 'the IMDSv2 token request is throttled (429): v2 gives up instead of falling back to IMDSv1'
        } else if (!absorbed('imdsThrottle', sdk, f.times)) return `IMDS answers 429 Too Many Requests to the ${f.path ?? 'token, role and credentials'} request${f.path ? '' : 's'}${f.times !== undefined ? ` ${f.times} times, more than ${sdk}'s retries absorb` : ''}`
        break
      case 'delay':
        if (f.path !== 'token' && f.ms >= 1000 && SHORT_IMDS_TIMEOUT.has(sdk)) return `IMDS holds its answer ${f.ms} ms: ${sdk}'s IMDS client times out after 1 s`
        break
      case 'malformedCredentials':
        if ((f.variant ?? 'truncated') === 'truncated') return 'the IMDS credentials document is cut short (not JSON)'
        if (sdk === 'botocore' || sdk === 'aws-cli-v2') return 'the IMDS credentials document lacks Token and Expiration, which botocore requires'
        break
      case 'expiredCredentials':
        if (sdk === 'js-v2') return 'the IMDS credentials are already expired: v2 keeps refreshing them and never settles'
        break
      case 'expiringCredentials':
        break
    }
  }
  return undefined
}

function containerBreaks(sdk: SdkName, faults: readonly FaultSpec[]): string | undefined {
  for (const f of faults) {
    if (f.target !== 'container') continue
    if (f.kind === 'status' && !absorbed('containerStatus', sdk, f.times)) return `the container endpoint answers ${f.status}${f.times !== undefined ? ` ${f.times} time${f.times > 1 ? 's' : ''}, more than ${sdk}'s retries absorb` : ''}`
    if (f.kind === 'malformedBody') {
      if ((f.variant ?? 'truncated') === 'truncated') return 'the container endpoint answers a body cut short (not JSON)'
      if (!isGo(sdk)) return 'the container endpoint answers without Token and Expiration'
    }
    const timeout = CONTAINER_TIMEOUT_MS[sdk]
    if (f.kind === 'delay' && f.times === undefined && timeout !== undefined && f.ms >= timeout) return `the container endpoint holds its answer ${f.ms} ms, past ${sdk}'s ${timeout / 1000} s timeout`
  }
  return undefined
}

function stsBreaks(sdk: SdkName, action: 'AssumeRole' | 'AssumeRoleWithWebIdentity', faults: readonly FaultSpec[]): string | undefined {
  for (const f of faults) {
    if (f.target !== 'sts' || (f.action !== undefined && f.action !== action)) continue
    if (f.code === 'InvalidIdentityToken' && action === 'AssumeRole') continue
    if (f.code === 'Throttling' && absorbed('stsThrottling', sdk, f.times)) continue
    return `STS answers ${action} with ${f.code}${f.times !== undefined ? ` ${f.times} time${f.times > 1 ? 's' : ''}` : ''}`
  }
  return undefined
}

function webBreaks(sdk: SdkName, profile: string | undefined, faults: readonly FaultSpec[]): string | undefined {
  for (const f of faults) {
    if (f.target !== 'webIdentityTokenFile') continue
    if ((f.profile ?? undefined) !== profile) continue
    return f.kind === 'missing' ? 'the web identity token file is missing' : 'the web identity token file is empty (STS refuses an empty token)'
  }
  return stsBreaks(sdk, 'AssumeRoleWithWebIdentity', faults)
}

function processBreaks(sdk: SdkName, profile: string | undefined, faults: readonly FaultSpec[]): string | undefined {
  for (const f of faults) {
    if (f.target !== 'credentialProcess' || (f.profile !== undefined && profile !== undefined && f.profile !== profile)) continue
    switch (f.kind) {
      case 'exitNonZero':
        return `the credential_process exits ${f.exitCode ?? 1}`
      case 'badJson':
        return 'the credential_process prints a log line before its JSON'
      case 'badVersion':
        return 'the credential_process prints "Version": 2'
      case 'expired':
        // Ruby and Go take the expired credentials as they are
        if (sdk === 'ruby-v3' || isGo(sdk)) break
        return 'the credential_process prints an Expiration in the past'
    }
  }
  return undefined
}

/** Why this provider's fetch fails in this SDK under the world's faults, or undefined. */
export function faultBreaking(sdk: SdkName, faults: readonly FaultSpec[], key: string, profile?: string): string | undefined {
  switch (providerOf(key)) {
    case 'imds':
      return imdsBreaks(sdk, faults)
    case 'container':
      return containerBreaks(sdk, faults)
    case 'role':
      return stsBreaks(sdk, 'AssumeRole', faults)
    case 'web':
      return webBreaks(sdk, key === 'web:env' ? undefined : profile, faults)
    case 'process':
      return processBreaks(sdk, profile, faults)
    default:
      return undefined
  }
}

/** The part of a model's finding the faults look at (assemble.ts's SdkFinding; kept structural so this module imports nothing upstream). */
type Finding = { kind: 'available'; key: string; reason: string; profile?: string } | { kind: 'absent' | 'skipped' | 'failed'; reason: string }

/**
 * A model's findings with the world's faults applied: an available provider the faults break
 * fails — stopping the chain, or, in an SDK that moves on, letting the next provider try.
 */
export function applyFaults<F extends Finding>(sdk: SdkName, facts: Pick<SdkFacts, 'faults'>, findings: ReadonlyMap<string, F>): ReadonlyMap<string, F> {
  const faults = facts.faults ?? []
  if (!faults.length) return findings
  const apply = (finding: F): F => {
    if (finding.kind !== 'available') return finding
    const why = faultBreaking(sdk, faults, finding.key, finding.profile)
    if (!why) return finding
    // botocore's IMDS fetcher swallows every error and returns no credentials
    const swallowed = (sdk === 'botocore' || sdk === 'aws-cli-v2') && providerOf(finding.key) === 'imds'
    const broken: Finding = swallowed
      ? { kind: 'absent', reason: `${finding.reason}, but ${why}: botocore's IMDS fetcher swallows the error and returns no credentials` }
      : MOVES_ON.has(sdk)
      ? { kind: 'absent', reason: `${finding.reason}, but ${why}: the fetch fails and ${sdk} moves on to its next provider` }
      : { kind: 'failed', reason: `${finding.reason}, but ${why}: the fetch fails, and that error stops the chain` }
    return broken as F
  }
  return new Map([...findings].map(([key, finding]) => [key, apply(finding)]))
}
