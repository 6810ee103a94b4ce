import { containerVariable, isSet } from '../../chain/facts.js'
import { describeContainerError, describeIdentity, tryNextLink } from '../../probe/link-kit.js'
import { sdkLinks, silentLogger } from '../../probe/sdk.js'
import { isLoopbackUrl } from '../../world/spec.js'
import type { SourceDefinition } from '../kit.js'
import { containerRoutes } from './server.js'
import { planContainer } from './plan.js'

/** The ECS/EKS container credentials endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI or RELATIVE_URI. */
export const containerSource: SourceDefinition = {
  source: 'container',
  link: {
    name: 'fromHttp',
    model(facts) {
      const variable = containerVariable(facts)
      if (!variable) return { kind: 'absent', reason: 'AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set' }
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
      if (isSet(relative) || !isLoopbackUrl(full!)) {
        // Never probed: it would send a request off this machine.
        return { kind: 'failed', reason: `not probed: ${isSet(relative) ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points at 169.254.170.2' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not a loopback URL'}` }
      }
      try {
        const started = performance.now()
        const credentials = await sdkLinks().fromHttp({ logger: silentLogger, timeout: 1000, maxRetries: 0 })()
        const ms = Math.round(performance.now() - started)
        // @smithy/node-http-handler only warns when a request outlives requestTimeout (unless throwOnRequestTimeout)
        const slow = ms > 1000 ? `; it answered after ${ms} ms, beyond fromHttp's 1000 ms requestTimeout, which only logs a warning` : ''
        return { kind: 'available', credentials, reason: `AWS_CONTAINER_CREDENTIALS_FULL_URI is set: ${describeIdentity(ctx.identify(credentials.accessKeyId), credentials)}${slow}` }
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
