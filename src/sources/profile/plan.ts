import { DEFAULT_MISSING_PROFILE, loopProfileName } from '../../world/faults.js'
import { roleArnOf } from '../../servers/ledger.js'
import { type PlanContext, section } from '../../world/plan-context.js'

/** `profile` sets AWS_PROFILE; `profile` faults write a source_profile loop or name a profile that does not exist. */
export function planProfileWorld(ctx: PlanContext): void {
  if (ctx.spec.profile !== undefined) ctx.env.AWS_PROFILE = ctx.spec.profile
  for (const fault of ctx.faults) {
    if (fault.target !== 'profile') continue
    if (fault.kind === 'missing') {
      ctx.env.AWS_PROFILE = fault.name ?? DEFAULT_MISSING_PROFILE
      continue
    }
    const name = loopProfileName(fault, ctx.spec)
    const roleArn = roleArnOf('chainproof-loop', ctx.accountId)
    ctx.config.push(section(name === 'default' ? 'default' : `profile ${name}`, { role_arn: roleArn, source_profile: `${name}-source` }))
    ctx.config.push(section(`profile ${name}-source`, { role_arn: roleArn, source_profile: name }))
  }
}

/** A profile's user keys (`user`, `in`) and a role through `sourceProfile` or `credentialSource`. */
export function planProfileKeys(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void {
  const p = profile as { user?: string; in?: 'credentials' | 'config'; role?: string; sourceProfile?: string; credentialSource?: string; webIdentityTokenFile?: true }
  if (p.user !== undefined) {
    const issued = ctx.user(p.user, 'profile', name)
    const keys = { aws_access_key_id: issued.accessKeyId, aws_secret_access_key: issued.secretAccessKey }
    if (p.in === 'config') Object.assign(entries, keys)
    else ctx.credentials.push(section(name, keys))
  }
  if (p.role !== undefined && !p.webIdentityTokenFile) {
    const sessionName = ctx.keyOf(name)
    ctx.origins.set(sessionName, { source: 'profile', profile: name })
    entries.role_arn = roleArnOf(p.role, ctx.accountId)
    entries.source_profile = p.sourceProfile
    entries.credential_source = p.credentialSource
    entries.role_session_name = sessionName
  }
}
