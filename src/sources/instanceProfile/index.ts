import { containerVariable, isSet } from '../../chain/facts.js'
import { describeIdentity, describeImdsError, firedCount, firedSince, fromError, imdsCaveats, tryNextLink, linkCredentials } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import { isLoopbackUrl } from '../../world/spec.js'
import type { SourceDefinition } from '../kit.js'
import { imdsRoutes } from './server.js'
import { IMDS_HOST, IMDS_HOST_IPV6, planInstanceProfile } from './plan.js'
import { isRouted } from '../../world/guard.js'

/** The EC2 instance metadata service (IMDSv2, falling back to v1): the instance profile's role. */
const NO_ROLE = 'the instance metadata service has no IAM role (no instance profile attached)'

export const instanceProfileSource: SourceDefinition = {
  source: 'instanceProfile',
  link: {
    name: 'fromInstanceMetadata',
    model(facts) {
      const disabled = facts.env.AWS_EC2_METADATA_DISABLED
      if (isSet(disabled) && disabled !== 'false') return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${disabled} is set, so the SDK never asks the instance metadata service` }
      const variable = containerVariable(facts)
      const skipped = `${variable} is set, so the SDK asks the container endpoint and never the instance metadata service`
      if (!facts.imds?.role) {
        if (variable) return { kind: 'skipped', reason: skipped }
        return { kind: 'absent', reason: facts.imds === undefined ? 'the instance metadata service was not probed' : 'the instance metadata service has no IAM role (no instance profile attached)' }
      }
      // A role the SDK never asks for is still shadowed: take the container variables away and it wins.
      const has = `the instance metadata service has role ${facts.imds.role}`
      return { kind: 'available', mechanism: 'instanceProfile', key: 'imds', reason: variable ? `${has}, but ${skipped}` : has }
    },
    async probe(ctx) {
      const disabled = ctx.env.AWS_EC2_METADATA_DISABLED
      if (isSet(disabled) && disabled !== 'false') {
        return { kind: 'skipped', reason: `AWS_EC2_METADATA_DISABLED=${disabled} is set, so the SDK never asks the instance metadata service` }
      }
      const containerVar = containerVariable(ctx)
      const skipped = `${containerVar} is set, so the SDK asks the container endpoint and never the instance metadata service`
      const endpoint = ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
      const mode = (ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ?? 'IPv4').toLowerCase()
      const routed = !isSet(endpoint) && ['ipv4', 'ipv6'].includes(mode) && isRouted(mode === 'ipv6' ? IMDS_HOST_IPV6 : IMDS_HOST, 80)
      if (!routed && (!isSet(endpoint) || !isLoopbackUrl(endpoint))) {
        // Never probed: it would send a request off this machine.
        return containerVar ? { kind: 'skipped', reason: skipped } : { kind: 'failed', reason: 'not probed: AWS_EC2_METADATA_SERVICE_ENDPOINT is not a loopback URL' }
      }
      const withoutRole = ctx.known?.imdsWithoutRole
      if (withoutRole !== undefined && isSet(endpoint) && endpoint.replace(/\/+$/, '') === withoutRole.replace(/\/+$/, '')) {
        // The world's own IMDS, serving no role and no fault: its role listing answers 404, as asking would show.
        return containerVar ? { kind: 'skipped', reason: skipped } : { kind: 'absent', reason: NO_ROLE }
      }
      try {
        const before = firedCount(ctx)
        const credentials = await linkCredentials(ctx, 'instanceProfile', () => sdkLinks().fromInstanceMetadata({ logger: silentLogger, timeout: 1000, maxRetries: 0 })())
        const has = `the instance metadata service has ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}${imdsCaveats(credentials, firedSince(ctx, before))}`
        // A role the SDK never asks for is still shadowed: take the container variables away and it wins.
        return { kind: 'available', credentials, reason: containerVar ? `${has}, but ${skipped}` : has }
      } catch (error) {
        if (containerVar) return { kind: 'skipped', reason: skipped }
        if ((error as { statusCode?: number }).statusCode === 404) return { kind: 'absent', reason: NO_ROLE }
        if (!tryNextLink(error)) return fromError(error, ctx)
        // The remote link is the chain's last: a failure here is where the chain ends.
        return { kind: 'failed', reason: `the chain ends here: ${describeImdsError(error, ctx)}; IMDS is not retried (maxRetries 0), so the chain throws "Could not load credentials from any providers"` }
      }
    },
  },
  removal: () => 'detach the instance profile (or set AWS_EC2_METADATA_DISABLED=true)',
  features: [{ code: '0', rank: 130 }],
  server: { name: 'imds', routes: imdsRoutes, portOffset: 0 },
  plan: { world: planInstanceProfile },
}
