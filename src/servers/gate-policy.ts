/**
 * The service gate's policy evaluation: a pure function from a world's `gate` rules, a signer's
 * identity and an action to a decision. No HTTP here.
 *
 * Rules (`WorldSpec.gate`): `allow` and `deny` map a principal key to action patterns.
 *
 * Principal keys are matched against every name of the signer:
 * - the role name (`web`) and role ARN (`arn:aws:iam::123456789012:role/web`) of a role session,
 * - the user name (`ci`) of user keys,
 * - the principal ARN (`arn:aws:sts::123456789012:assumed-role/web/i-0abc…` or
 *   `arn:aws:iam::123456789012:user/ci`).
 *
 * A key may contain `*` (any run of characters) and `?` (one character) wildcards, so `'*'`
 * is every principal. A key starting with `!` matches every principal that the rest of the key
 * does NOT match (IAM's `NotPrincipal`): `deny: { '!web': ['s3:*'] }` is the bucket policy that
 * shuts out every principal but `web`. Principal keys are case-sensitive, as ARNs are.
 *
 * Action patterns are `service:Action` (`s3:GetObject`), with `*` and `?` wildcards anywhere
 * (`s3:*`, `s3:Get*`, `*`), compared case-insensitively, as IAM compares them. A call is
 * described by one or more action names: its IAM action (`s3:ListBucket` for ListObjectsV2,
 * `s3:GetObject` for HeadObject) and its operation (`s3:ListObjectsV2`); a pattern that matches
 * any of them applies.
 *
 * Evaluation, as IAM does it: an explicit deny (any `deny` key matching the principal with a
 * pattern matching the action) wins over everything; otherwise an allow is needed; with no
 * matching allow the call is denied implicitly. A world without `gate` rules allows every call
 * (signatures are still verified). `sts:GetCallerIdentity` is always allowed: AWS requires no
 * permission for it and ignores explicit denies of it.
 */

/** A world's gate rules: principal key → action patterns. */
export interface GatePolicy {
  readonly allow: Readonly<Record<string, readonly string[]>>
  readonly deny?: Readonly<Record<string, readonly string[]>>
}

/** The parts of a signer's identity the policy matches (an Identity or IssuedCredentials fits). */
export interface GateSigner {
  readonly principal: string
  readonly role?: string | undefined
  readonly roleArn?: string | undefined
  readonly user?: string | undefined
}

/** The rule that decided a call: which key and which pattern matched. */
export interface GateRule {
  effect: 'allow' | 'deny'
  principal: string
  action: string
}

export type GateDecision =
  | { allowed: true; reason: 'unrestricted' | 'exempt' | 'allowed'; rule?: GateRule }
  | { allowed: false; reason: 'explicitDeny' | 'implicitDeny'; rule?: GateRule }

/** Actions AWS authorises without any policy (and despite explicit denies). */
const EXEMPT_ACTIONS = new Set(['sts:getcalleridentity'])

/** Every name a principal key may match for this signer: role name, role ARN, user name, principal ARN. */
export function principalNames(signer: GateSigner): string[] {
  const names = [signer.role, signer.roleArn, signer.user, signer.principal].filter((name): name is string => typeof name === 'string' && name !== '')
  return [...new Set(names)]
}

const globCache = new Map<string, RegExp>()

function globToRegExp(pattern: string, flags: string): RegExp {
  const cacheKey = `${flags}/${pattern}`
  let re = globCache.get(cacheKey)
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
    re = new RegExp(`^${body}$`, flags)
    if (globCache.size > 1000) globCache.clear()
    globCache.set(cacheKey, re)
  }
  return re
}

/** Whether a glob pattern (`*`, `?`) matches a value; `ignoreCase` for actions. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  return globToRegExp(pattern, ignoreCase ? 'is' : 's').test(value)
}

/** Whether a principal key (`web`, `arn:…`, `*`, `web-*`, `!web`) applies to a signer with these names. */
export function principalKeyMatches(key: string, names: readonly string[]): boolean {
  if (key.startsWith('!')) return !principalKeyMatches(key.slice(1), names)
  return names.some((name) => globMatches(key, name))
}

/** Whether an action pattern (`s3:GetObject`, `s3:*`, `*`) covers any of the call's action names. */
export function actionPatternMatches(pattern: string, actions: string | readonly string[]): boolean {
  const list = typeof actions === 'string' ? [actions] : actions
  return list.some((action) => globMatches(pattern, action, true))
}

function firstMatch(
  rules: Readonly<Record<string, readonly string[]>> | undefined,
  effect: 'allow' | 'deny',
  names: readonly string[],
  actions: readonly string[],
): GateRule | undefined {
  if (!rules) return undefined
  for (const [key, patterns] of Object.entries(rules)) {
    if (!principalKeyMatches(key, names)) continue
    for (const pattern of patterns) if (actionPatternMatches(pattern, actions)) return { effect, principal: key, action: pattern }
  }
  return undefined
}

/**
 * Decides one call. `actions` are the call's names in `service:Action` form, the IAM action
 * first (`['s3:ListBucket', 's3:ListObjectsV2']`); a single string is one name.
 */
export function evaluateGatePolicy(policy: GatePolicy | undefined, signer: GateSigner, actions: string | readonly string[]): GateDecision {
  const list = typeof actions === 'string' ? [actions] : [...actions]
  if (list.some((action) => EXEMPT_ACTIONS.has(action.toLowerCase()))) return { allowed: true, reason: 'exempt' }
  if (!policy) return { allowed: true, reason: 'unrestricted' }
  const names = principalNames(signer)
  const denied = firstMatch(policy.deny, 'deny', names, list)
  if (denied) return { allowed: false, reason: 'explicitDeny', rule: denied }
  const allowed = firstMatch(policy.allow, 'allow', names, list)
  if (allowed) return { allowed: true, reason: 'allowed', rule: allowed }
  return { allowed: false, reason: 'implicitDeny' }
}

/**
 * What is wrong with a set of gate rules, in words (empty when nothing is): an action pattern
 * must be `*` or `service:Action`, and keys and patterns must not be empty. For spec validation.
 */
export function gatePolicyProblems(policy: GatePolicy): string[] {
  const problems: string[] = []
  for (const effect of ['allow', 'deny'] as const) {
    for (const [key, patterns] of Object.entries(policy[effect] ?? {})) {
      if (key === '' || key === '!') problems.push(`gate.${effect}: a principal key must name a role, a user or an ARN (or be '*')`)
      for (const pattern of patterns) {
        if (pattern !== '*' && !/^[a-z0-9*?-]+:[A-Za-z0-9*?]+$/i.test(pattern)) {
          problems.push(`gate.${effect}[${JSON.stringify(key)}]: ${JSON.stringify(pattern)} is not an action pattern; write 'service:Action' (e.g. 's3:GetObject', 's3:*') or '*'`)
        }
      }
    }
  }
  return problems
}
