import { containerVariable, isSet } from '../../chain/facts.js'
import { describeContainerError, describeIdentity, tryNextLink, linkCredentials } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import { isLoopbackUrl } from '../../world/spec.js'
import type { SourceDefinition } from '../kit.js'
import { containerRoutes } from './server.js'
import { containerUrlRefused, planContainer } from './plan.js'
import { isRouted } from '../../world/guard.js'

/** The first line of fromHttp's refusal ("URL not accepted. It must either be HTTPS or match one of the following:"). */
const URL_NOT_ACCEPTED = 'URL not accepted. It must either be HTTPS or match one of the following: loopback 127.0.0.0/8 or [::1], the ECS host 169.254.170.2, the EKS hosts 169.254.170.23 or [fd00:ec2::23]'
const refusedReason = (url: string, words = URL_NOT_ACCEPTED) =>
  `the chain ends here: the SDK refuses AWS_CONTAINER_CREDENTIALS_FULL_URI=${url} without contacting it (fromHttp: "${words}"), a tryNextLink error, and no link follows, so the chain throws "Could not load credentials from any providers" — IMDS is not asked while the variable is set`

/** The ECS/EKS container credentials endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI or RELATIVE_URI. */
export const containerSource: SourceDefinition = {
  source: 'container',
  link: {
    name: 'fromHttp',
    model(facts) {
      const variable = containerVariable(facts)
      if (!variable) return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
      const full = facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      if (variable === 'AWS_CONTAINER_CREDENTIALS_FULL_URI' && containerUrlRefused(full!)) return { kind: 'failed', reason: refusedReason(full!) }
      if (facts.container === undefined) return { kind: 'available', mechanism: 'container', key: 'container', reason: `${variable} is set (endpoint not probed)` }
      if (facts.container === null) return { kind: 'failed', reason: `stops the chain: ${variable} is set, but the endpoint serves no credentials` }
      return { kind: 'available', mechanism: 'container', key: 'container', reason: `${variable} is set${facts.container.role ? `: role ${facts.container.role}` : ''}` }
    },
    async probe(ctx) {
      const full = ctx.env.AWS_CONTAINER_CREDENTIALS_FULL_URI
      const relative = ctx.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
      if (!isSet(full) && !isSet(relative)) {
        return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
      }
      if (!isSet(relative) && containerUrlRefused(full!)) {
        // fromHttp refuses such a URL when it is created, before any connection: safe to run
        try {
          sdkLinks().fromHttp({ logger: silentLogger })
        } catch (error) {
          return { kind: 'failed', reason: refusedReason(full!, (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/:$/, '')) }
        }
      }
      const routed = isSet(relative) && isRouted('169.254.170.2', 80)
      if ((isSet(relative) && !routed) || (!isSet(relative) && !isLoopbackUrl(full!))) {
        // Never probed: it would send a request off this machine.
        return { kind: 'failed', reason: `not probed: ${isSet(relative) ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points at 169.254.170.2' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not a loopback URL'}` }
      }
      const variable = isSet(relative) ? `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set (169.254.170.2${relative}, which the world routes to its loopback endpoint)` : 'AWS_CONTAINER_CREDENTIALS_FULL_URI is set'
      try {
        const started = performance.now()
        const credentials = await linkCredentials(ctx, 'container', () => sdkLinks().fromHttp({ logger: silentLogger, timeout: 1000, maxRetries: 0 })())
        const ms = Math.round(performance.now() - started)
        // @smithy/node-http-handler only warns when a request outlives requestTimeout (unless throwOnRequestTimeout)
        const slow = ms > 1000 ? `; it answered after ${ms} ms, beyond fromHttp's 1000 ms requestTimeout, which only logs a warning` : ''
        return { kind: 'available', credentials, reason: `${variable}: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}${slow}` }
      } catch (error) {
        if (!tryNextLink(error)) return { kind: 'failed', reason: `stops the chain: ${describeContainerError(error, ctx)}` }
        // The remote link is the chain's last: whatever the container endpoint does, IMDS is never asked.
        return {
          kind: 'failed',
          reason:
            `the chain ends here: ${describeContainerError(error, ctx)}; fromHttp retries 3 times 1 s apart, then fromContainerMetadata asks once more, ` +
            'and the SDK never falls back to the instance metadata service while AWS_CONTAINER_CREDENTIALS_FULL_URI is set',
        }
      }
    },
  },
  removal: (facts) => `unset ${isSet(facts.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'} (and its authorization token variable)`,
  features: [{ code: 'z', rank: 120 }],
  server: { name: 'container', routes: containerRoutes, portOffset: 1 },
  plan: { world: planContainer },
}
