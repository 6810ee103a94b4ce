import { isSet, notSetReason } from '../../chain/facts.js'
import type { ProfileSettings } from '../../chain/facts.js'
import { describeIdentity, fileIsEmpty, fromError, shownPath, linkCredentials } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import type { SourceDefinition } from '../kit.js'
import { planWebIdentity, planWebIdentityProfile } from './plan.js'

export const isWebIdentity = (p: ProfileSettings) => isSet(p.web_identity_token_file) && isSet(p.role_arn)
const VARS = ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN']

/** A web identity token (EKS IRSA, GitHub OIDC) exchanged with STS AssumeRoleWithWebIdentity: from the environment, or a profile's web_identity_token_file. */
export const webIdentitySource: SourceDefinition = {
  source: 'webIdentity',
  link: {
    name: 'fromTokenFile',
    model(facts) {
      const file = facts.env.AWS_WEB_IDENTITY_TOKEN_FILE
      if (!isSet(file) || !isSet(facts.env.AWS_ROLE_ARN)) return { kind: 'absent', reason: notSetReason(facts.env, VARS) }
      if (facts.readable[file] === false) return { kind: 'failed', reason: `stops the chain: AWS_WEB_IDENTITY_TOKEN_FILE=${file} cannot be read` }
      return { kind: 'available', mechanism: 'webIdentity', key: 'web:env', reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (${facts.env.AWS_ROLE_ARN}) are set` }
    },
    async probe(ctx) {
      if (!isSet(ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE) || !isSet(ctx.env.AWS_ROLE_ARN)) {
        return { kind: 'absent', reason: notSetReason(ctx.env, VARS) }
      }
      try {
        const credentials = await linkCredentials(ctx, 'webIdentity', () => sdkLinks().fromTokenFile({ logger: silentLogger })())
        return { kind: 'available', credentials, reason: `AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}` }
      } catch (error) {
        const file = ctx.env.AWS_WEB_IDENTITY_TOKEN_FILE!
        if ((error as { code?: string }).code === 'ENOENT') {
          return { kind: 'failed', reason: `stops the chain: AWS_WEB_IDENTITY_TOKEN_FILE=${shownPath(file, ctx)} does not exist (ENOENT); fromTokenFile reads it on every call, and a missing file is not an error that moves on to the next link` }
        }
        const outcome = fromError(error, ctx)
        if (outcome.kind === 'failed' && fileIsEmpty(file)) outcome.reason += ` (AWS_WEB_IDENTITY_TOKEN_FILE=${shownPath(file, ctx)} is empty, so STS was sent an empty token)`
        return outcome
      }
    },
  },
  profileBranches: [
    {
      branch: 'webIdentity',
      source: 'webIdentity',
      order: 30,
      codes: ['q'],
      words: 'used web_identity_token_file',
      settings: 'web_identity_token_file',
      matches: isWebIdentity,
      resolve: (facts, name, p) =>
        facts.readable[p.web_identity_token_file!] === false
          ? { ok: false, stops: true, why: `web_identity_token_file ${p.web_identity_token_file} cannot be read` }
          : { ok: true, mechanism: 'webIdentity', key: `web:${name}`, what: `web_identity_token_file for ${p.role_arn}` },
      removal: (section) => `remove web_identity_token_file and role_arn from ${section('config')}`,
    },
  ],
  removal: () => 'unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN',
  features: [
    { code: 'q', rank: 10 },
    { code: 'h', rank: 100 },
    { code: 'k', rank: 110 },
  ],
  plan: { world: planWebIdentity, profile: planWebIdentityProfile },
}
