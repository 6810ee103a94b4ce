import { randomBytes } from '../../servers/random.js'
import { join } from 'node:path'
import type { FileFault } from '../../world/faults.js'
import { roleArnOf } from '../../servers/ledger.js'
import type { PlanContext } from '../../world/plan-context.js'

export const WEB_IDENTITY_SESSION = 'chainproof-web-identity'

function webIdentityToken(subject: string): string {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  return [
    encode({ alg: 'RS256', typ: 'JWT', kid: 'chainproof' }),
    encode({ iss: 'https://oidc.chainproof.invalid', sub: subject, aud: 'sts.amazonaws.com', iat: now, exp: now + 3600 }),
    randomBytes(32).toString('base64url'),
  ].join('.')
}

/** A web identity token file, unless a webIdentityTokenFile fault leaves it out or empty. */
function writeTokenFile(ctx: PlanContext, path: string, token: string, fault: FileFault | undefined): void {
  ctx.webIdentityTokens.add(token)
  if (fault?.kind === 'missing') return
  ctx.files.push({ path, content: fault?.kind === 'empty' ? '' : token })
}

/** `webIdentity: { role }` (IRSA-style): AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME. */
export function planWebIdentity(ctx: PlanContext): void {
  const spec = ctx.spec.webIdentity
  if (!spec) return
  const tokenPath = join(ctx.awsDir, 'web-identity-token')
  writeTokenFile(ctx, tokenPath, webIdentityToken('system:serviceaccount:default:app'), ctx.fileFault('webIdentityTokenFile'))
  const sessionName = spec.sessionName ?? WEB_IDENTITY_SESSION
  ctx.origins.set(sessionName, { source: 'webIdentity' })
  ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenPath
  ctx.env.AWS_ROLE_ARN = roleArnOf(spec.role, ctx.accountId)
  ctx.env.AWS_ROLE_SESSION_NAME = sessionName
}

/** A profile's `{ role, webIdentityTokenFile: true }`: role_arn and web_identity_token_file. */
export function planWebIdentityProfile(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void {
  const p = profile as { role?: string; webIdentityTokenFile?: true }
  if (p.role === undefined || !p.webIdentityTokenFile) return
  const sessionName = ctx.keyOf(name)
  const tokenPath = join(ctx.awsDir, 'tokens', `${sessionName}.jwt`)
  writeTokenFile(ctx, tokenPath, webIdentityToken(`system:serviceaccount:${name}`), ctx.fileFault('webIdentityTokenFile', name))
  ctx.origins.set(sessionName, { source: 'webIdentity', profile: name })
  entries.role_arn = roleArnOf(p.role, ctx.accountId)
  entries.web_identity_token_file = tokenPath
  entries.role_session_name = sessionName
}
