import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isSet } from '../../chain/facts.js'
import type { ChainFacts, ProfileSettings } from '../../chain/facts.js'
import type { ProfileResolved, SourceDefinition } from '../kit.js'
import { sdkLinks } from '../../probe/sdk.js'
import { loginCachePath } from './plan.js'
import { planLogin } from './plan.js'
import { signinRoutes } from './server.js'
import { loginStateOf } from './state.js'
import { LOGIN_SUPPORT } from './sdks.js'

/** The SDK refreshes a login session within 5 minutes of its expiry (LoginCredentialsFetcher.REFRESH_THRESHOLD). */
const REFRESH_WINDOW_MS = 5 * 60_000

/** What the model knows of one login_session: its cache as the SDK would read it, and how a refresh would be answered when the world says. */
export interface LoginFact {
  cache: string
  state: 'valid' | 'refresh' | 'missing' | 'invalid'
  /** Which required fields the cache lacks (state `invalid`). */
  missing?: string[]
  /** Whether the cached access token is past its expiry (not just inside the refresh window). */
  expired?: boolean
  /** How the Signin endpoint answers a refresh; undefined: unknown (a real machine). */
  refresh?: 'ok' | { accessDenied: string } | 'unavailable'
}
export type LoginFacts = Readonly<Record<string, LoginFact>>

/** The cache directory fromLoginCredentials reads: AWS_LOGIN_CACHE_DIRECTORY, else ~/.aws/login/cache (os.homedir(): HOME, then USERPROFILE). */
export function loginCacheDirectory(env: Readonly<Record<string, string | undefined>>): string {
  return env.AWS_LOGIN_CACHE_DIRECTORY ?? join(env.HOME || env.USERPROFILE || '', '.aws', 'login', 'cache')
}

function readCache(path: string): Omit<LoginFact, 'cache' | 'refresh'> {
  let token: { accessToken?: { accountId?: unknown; expiresAt?: unknown }; clientId?: unknown; refreshToken?: unknown; dpopKey?: unknown }
  try {
    token = JSON.parse(readFileSync(path, 'utf8')) as typeof token
  } catch {
    return { state: 'missing' }
  }
  // LoginCredentialsFetcher.loadToken: these fields, and the access token's accountId
  const missing = (['accessToken', 'clientId', 'refreshToken', 'dpopKey'] as const).filter((k) => !token[k])
  if (!token.accessToken?.accountId) missing.push('accountId' as never)
  if (missing.length) return { state: 'invalid', missing }
  const expiresAt = Date.parse(String(token.accessToken!.expiresAt))
  const left = expiresAt - Date.now()
  return left <= REFRESH_WINDOW_MS ? { state: 'refresh', expired: !(left > 0) } : { state: 'valid' }
}

/** The model's decision for a login_session profile, as fromLoginCredentials decides. */
function resolveLogin(facts: ChainFacts, name: string, p: ProfileSettings): ProfileResolved {
  const session = p.login_session!
  const fact = (facts.parts?.login as LoginFacts | undefined)?.[session]
  const where = `profile "${name}" has login_session "${session}" (aws login)`
  if (!fact || fact.state === 'missing') {
    return { ok: false, stops: true, why: `${where}, but no login cache to read (${fact?.cache ?? 'the login cache'}): fromLoginCredentials fails without tryNextLink — run aws login` }
  }
  if (fact.state === 'invalid') return { ok: false, stops: true, why: `${where}, but its login cache lacks ${fact.missing!.join(', ')} ("Token validation failed"): fromLoginCredentials fails without tryNextLink` }
  const ok: ProfileResolved = { ok: true, mechanism: 'login', key: `login:${name}`, what: `login_session "${session}" (aws login)` }
  if (fact.state === 'valid') return ok
  const refresh = fact.refresh ?? 'ok'
  if (refresh === 'ok') return { ...ok, what: `${ok.what}, refreshed through the Signin endpoint (CreateOAuth2Token with a DPoP proof): the cached token ${fact.expired ? 'had expired' : 'expires within 5 minutes'}` }
  if (refresh === 'unavailable') {
    return fact.expired
      ? { ok: false, stops: false, why: `${where}: its cached token expired and the refresh failed ("Failed to refresh token … Please re-authenticate using aws login"), a plain CredentialsProviderError: the chain moves on` }
      : { ...ok, what: `${ok.what}: the refresh failed, so the SDK uses the cached token until it expires (and warns "Using existing token until expiry")` }
  }
  return { ok: false, stops: true, why: `${where}: its cached token expired and Signin refused the refresh (AccessDeniedException ${refresh.accessDenied}); fromLoginCredentials fails without tryNextLink — run aws login` }
}

/**
 * `aws login` (console credentials, since @aws-sdk/credential-provider-ini 3.936): a profile's
 * login_session and the token cache under ~/.aws/login/cache (or AWS_LOGIN_CACHE_DIRECTORY).
 * It is no link of the chain: fromIni takes it last among a profile's settings.
 */
export const loginSource: SourceDefinition = {
  source: 'login',
  profileBranches: [
    {
      branch: 'login',
      source: 'login',
      order: 60,
      codes: ['AC', 'AD'],
      words: 'used its login_session (aws login)',
      settings: 'login_session',
      reportedWhenShadowed: true,
      probeAlone: (init) => {
        const fromLogin = sdkLinks().fromLoginCredentials
        return fromLogin ? fromLogin(init)() : Promise.reject(new Error('this SDK has no @aws-sdk/credential-provider-login'))
      },
      matches: (p) => isSet(p.login_session),
      resolve: resolveLogin,
      removal: (section) => `remove login_session from ${section('config')} (or run aws logout)`,
    },
  ],
  features: [
    { code: 'AC', rank: 65 },
    { code: 'AD', rank: 85 },
  ],
  server: { name: 'signin', routes: signinRoutes, portOffset: 6 },
  sdkSupport: LOGIN_SUPPORT,
  plan: { profile: planLogin },
  capture(facts, p, into) {
    const session = p.login_session
    if (!isSet(session)) return
    const fact = (facts.parts?.login as LoginFacts | undefined)?.[session]
    const arn = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\//.exec(session)
    if (fact && (fact.state === 'valid' || fact.state === 'refresh') && arn) {
      into.profile.login = { role: arn[2]!, accountId: arn[1]! }
    } else if (!into.others) {
      // a session without a readable cache stops the chain: a login_session the world wrote no cache for does the same
      into.raw.login_session = `captured-${into.name}`
    }
  },
  facts({ env, sections, server }) {
    const sessions = loginStateOf(server)?.sessions ?? []
    const facts: Record<string, LoginFact> = {}
    for (const p of sections) {
      const session = p.login_session
      if (!isSet(session) || facts[session]) continue
      const cache = loginCachePath(loginCacheDirectory(env), session)
      const fact: LoginFact = { cache, ...readCache(cache) }
      const known = sessions.find((s) => s.session === session)
      if (known) fact.refresh = known.refuse === undefined ? 'ok' : known.refuse.kind === 'unavailable' ? 'unavailable' : { accessDenied: known.refuse.error }
      facts[session] = fact
    }
    return facts
  },
}
