import { type ChainFacts, activeProfileOf, isSet, notSetReason } from '../../chain/facts.js'
import { describeIdentity, fromError, linkCredentials } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import type { SourceDefinition } from '../kit.js'
import { planEnv } from './plan.js'

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']

/** What fromEnv decides before it reads the keys, for the model and the probe alike: skipped while a profile is selected, absent without both keys. */
function envGate(view: Pick<ChainFacts, 'env' | 'clientProfile'>): { kind: 'skipped' | 'absent'; reason: string } | undefined {
  const keysSet = isSet(view.env.AWS_ACCESS_KEY_ID) && isSet(view.env.AWS_SECRET_ACCESS_KEY)
  const profile = activeProfileOf(view)
  if (profile.selected) {
    const by = view.clientProfile ? `the client's profile option is "${profile.name}"` : `AWS_PROFILE=${profile.name} is set`
    return {
      kind: 'skipped',
      reason: keysSet
        ? `${by}, so the SDK skips the env keys AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and warns "Multiple credential sources detected")`
        : `${by}, so the SDK skips env keys (none are set anyway)`,
    }
  }
  return keysSet ? undefined : { kind: 'absent', reason: notSetReason(view.env, KEYS) }
}

/** Static keys in the environment: fromEnv, skipped while a profile is selected (3.616+). */
export const envSource: SourceDefinition = {
  source: 'env',
  link: {
    name: 'fromEnv',
    model(facts) {
      return envGate(facts) ?? { kind: 'available', mechanism: 'env', key: `env:${facts.env.AWS_ACCESS_KEY_ID}`, reason: 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set' }
    },
    async probe(ctx) {
      const gate = envGate(ctx)
      if (gate) return gate
      try {
        const credentials = await linkCredentials(ctx, 'env', () => sdkLinks().fromEnv({ logger: silentLogger })())
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
