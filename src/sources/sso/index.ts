import { isSet } from '../../chain/facts.js'
import type { ProfileSettings } from '../../chain/facts.js'
import type { SourceDefinition } from '../kit.js'
import { sdkLinks } from '../../probe/sdk.js'
import { ssoRoutes } from './server.js'
import { planSso } from './plan.js'

export const isSso = (p: ProfileSettings) => ['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some((k) => typeof p[k] === 'string')

/** IAM Identity Center: a profile's sso_session (or legacy sso_start_url) and the token `aws sso login` cached. */
export const ssoSource: SourceDefinition = {
  source: 'sso',
  link: {
    name: 'fromSSO',
    model: () => ({ kind: 'absent', reason: 'no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)' }),
    async probe() {
      return { kind: 'absent', reason: 'no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)' }
    },
  },
  profileBranches: [
    {
      branch: 'sso',
      source: 'sso',
      order: 50,
      codes: ['r', 't'],
      words: 'used its SSO session',
      settings: 'sso_session and sso_* settings',
      reportedWhenShadowed: true,
      probeAlone: (init) => sdkLinks().fromSSO(init)(),
      matches: isSso,
      resolve(facts, name, p) {
        const session = p.sso_session ?? p.sso_start_url
        return session !== undefined && facts.ssoTokens[session] === true && isSet(p.sso_account_id) && isSet(p.sso_role_name)
          ? { ok: true, mechanism: 'sso', key: `sso:${name}`, what: `SSO session for role ${p.sso_role_name}` }
          : { ok: false, stops: true, why: `profile "${name}" has SSO settings but no valid cached token (run aws sso login)` }
      },
      removal: (section) => `remove the sso_session and sso_* settings from ${section('config')}`,
    },
  ],
  features: [
    { code: 'r', rank: 20 },
    { code: 't', rank: 30 },
    { code: 's', rank: 80 },
    { code: 'u', rank: 90 },
  ],
  server: { name: 'sso', routes: ssoRoutes, portOffset: 3 },
  plan: { profile: planSso },
}
