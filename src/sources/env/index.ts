import { activeProfileOf, isSet, notSetReason } from '../../chain/facts.js'
import { describeIdentity, fromError } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import type { SourceDefinition } from '../kit.js'
import { planEnv } from './plan.js'

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']

/** Static keys in the environment: fromEnv, skipped while a profile is selected (3.616+). */
export const envSource: SourceDefinition = {
  source: 'env',
  link: {
    name: 'fromEnv',
    model(facts) {
      const keysSet = isSet(facts.env.AWS_ACCESS_KEY_ID) && isSet(facts.env.AWS_SECRET_ACCESS_KEY)
      const profile = activeProfileOf(facts)
      if (profile.selected) {
        const by = facts.clientProfile ? `the client's profile option is "${profile.name}"` : `AWS_PROFILE=${profile.name} is set`
        return {
          kind: 'skipped',
          reason: keysSet
            ? `${by}, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected")`
            : `${by}, so the SDK skips env keys (none are set anyway)`,
        }
      }
      if (!keysSet) return { kind: 'absent', reason: notSetReason(facts.env, KEYS) }
      return { kind: 'available', mechanism: 'env', key: `env:${facts.env.AWS_ACCESS_KEY_ID}`, reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' }
    },
    async probe(ctx) {
      const keysSet = isSet(ctx.env.AWS_ACCESS_KEY_ID) && isSet(ctx.env.AWS_SECRET_ACCESS_KEY)
      const profile = activeProfileOf(ctx)
      if (profile.selected) {
        const by = ctx.clientProfile ? `the client's profile option is "${profile.name}"` : `AWS_PROFILE=${profile.name} is set`
        return keysSet
          ? { kind: 'skipped', reason: `${by}, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected")` }
          : { kind: 'skipped', reason: `${by}, so the SDK skips env keys (none are set anyway)` }
      }
      if (!keysSet) return { kind: 'absent', reason: notSetReason(ctx.env, KEYS) }
      try {
        const credentials = await sdkLinks().fromEnv({ logger: silentLogger })()
        const what = describeIdentity(ctx.identify(credentials.accessKeyId), credentials)
        return { kind: 'available', credentials, reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${isSet(ctx.env.AWS_SESSION_TOKEN) ? ' (with AWS_SESSION_TOKEN)' : ''} are set: ${what}` }
      } catch (error) {
        return fromError(error, ctx)
      }
    },
  },
  removal: (facts) =>
    `unset ${isSet(facts.env.AWS_SESSION_TOKEN) ? 'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN' : 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'} (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile)`,
  features: [{ code: 'g', rank: 90 }],
  plan: { world: planEnv },
}
