import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { DEFAULT_REGION } from '../../world/defaults.js'
import { accountOfArn, roleNameOf } from '../../servers/ledger.js'
import { type PlanContext, isoSecondsZ, randomToken, section } from '../../world/plan-context.js'

/** A profile's `sso: { role, accountId?, region? }`: an sso-session section, its settings, and the token `aws sso login` would have cached. */
export function planSso(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void {
  const p = profile as { region?: string; sso?: { role: string; accountId?: string; region?: string; expiresIn?: number; tokenExpiresIn?: number } }
  if (p.sso === undefined) return
  const sessionSection = ctx.keyOf(name)
  // a host name takes fewer characters than a section name; the start URL need not be unique (the cache is named by the session)
  const startUrl = `https://${sessionSection.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.awsapps.invalid/start`
  // a token per sso-session, so the portal can tell two profiles with the same role and account apart
  const accessToken = randomToken('chainproof-sso-')
  const ssoRegion = p.sso.region ?? p.region ?? ctx.region ?? DEFAULT_REGION
  // the role session is named by the profile when an ARN can hold its name as one segment, else by its collision-free key
  const sessionName = /^[\w+=,.@-]{2,64}$/.test(name) ? name : sessionSection
  const tokenExpiresAt = Date.now() + (p.sso.tokenExpiresIn ?? 8 * 3600) * 1000
  const assignment = {
    accountId: p.sso.accountId ?? accountOfArn(p.sso.role) ?? ctx.accountId,
    roleName: roleNameOf(p.sso.role),
    profile: name,
    accessToken,
    sessionName,
    tokenExpiresAt,
    ...(p.sso.expiresIn !== undefined ? { lifetimeMs: p.sso.expiresIn * 1000 } : {}),
  }
  ctx.server.sso ??= { accessToken, assignments: [] }
  ;(ctx.server.sso.assignments as (typeof assignment)[]).push(assignment)
  entries.sso_session = sessionSection
  entries.sso_account_id = assignment.accountId
  entries.sso_role_name = assignment.roleName
  ctx.config.push(section(`sso-session ${sessionSection}`, { sso_start_url: startUrl, sso_region: ssoRegion, sso_registration_scopes: 'sso:account:access' }))
  const cacheName = createHash('sha1').update(sessionSection).digest('hex')
  const cached: Record<string, string> = { startUrl, region: ssoRegion, accessToken, expiresAt: isoSecondsZ(new Date(tokenExpiresAt)) }
  if (ctx.fileFault('sso', name)) {
    // as `aws sso login` leaves it, an hour after both the token and its refresh expired
    Object.assign(cached, {
      expiresAt: isoSecondsZ(new Date(Date.now() - 3600_000)),
      clientId: 'chainproof-client',
      clientSecret: randomToken('chainproof-client-secret-', 12),
      refreshToken: randomToken('chainproof-refresh-', 12),
      registrationExpiresAt: isoSecondsZ(new Date(Date.now() + 30 * 86400_000)),
    })
    // the refresh (SSO-OIDC CreateToken) goes to the loopback SSO server, which refuses it
    ctx.env.AWS_ENDPOINT_URL_SSO_OIDC = ctx.endpoints.sso
  }
  ctx.files.push({ path: join(ctx.awsDir, 'sso', 'cache', `${cacheName}.json`), content: JSON.stringify(cached) })
}
