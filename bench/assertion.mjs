/**
 * Per-assertion cost: a passing `toResolveCredentialsFrom` (the raw matcher from
 * chainproof/matchers, called with a minimal matcher context) and `resolveCredentials`, side by
 * side with the bare SDK doing the same work — a new S3Client resolving `config.credentials()` —
 * in the same world, for each source. Also checks that the passing path never computes the
 * chain report: the loopback servers must see exactly the requests the bare SDK makes.
 */
import http from 'node:http'
import { chainproof, guardLoopback, report, scale } from './lib/harness.mjs'
import { sideBySide } from './lib/stats.mjs'

guardLoopback()
// Every request a loopback server answers; the report's link probes would show up here.
let served = 0
const emit = http.Server.prototype.emit
http.Server.prototype.emit = function countRequests(event, ...rest) {
  if (event === 'request') served++
  return emit.call(this, event, ...rest)
}

const { createCredentialWorld, resolveCredentials } = await chainproof()
const { toResolveCredentialsFrom } = await chainproof('matchers')
const { S3Client } = await import('@aws-sdk/client-s3')

/** What Vitest and Jest hand a matcher, reduced to what chainproof reads. */
const context = {
  isNot: false,
  promise: '',
  equals: Object.is,
  utils: { matcherHint: (name) => `expect(client)${name}(source)`, printExpected: (v) => JSON.stringify(v), printReceived: (v) => JSON.stringify(v) },
}

const WORLDS = {
  env: { env: { user: 'ci' } },
  profile: { profiles: { default: { user: 'alice' } } },
  webIdentity: { webIdentity: { role: 'deployer' } },
  container: { container: { role: 'task' } },
  instanceProfile: { instanceProfile: { role: 'web' } },
}
const OTHER = { env: 'instanceProfile', profile: 'env', webIdentity: 'env', container: 'env', instanceProfile: 'env' }

const bare = async () => {
  await new S3Client({}).config.credentials()
}
const matcher = (source) => async () => {
  const result = await toResolveCredentialsFrom.call(context, new S3Client({}), source)
  if (!result.pass) throw new Error(result.message())
}
const resolve = (source) => async () => {
  const resolution = await resolveCredentials(new S3Client({}))
  if (resolution.source !== source) throw new Error(`resolved ${resolution.source}, expected ${source}`)
}

/** Requests the servers answered per call of fn, over n calls. */
async function requestsPer(fn, n = 10) {
  const before = served
  for (let i = 0; i < n; i++) await fn()
  return (served - before) / n
}

const rounds = scale(400, 30)
const warmup = scale(50, 5)
const sources = {}
for (const [source, spec] of Object.entries(WORLDS)) {
  const world = await createCredentialWorld(spec)
  try {
    const requests = {
      bare: await requestsPer(bare),
      passing: await requestsPer(matcher(source)),
      failing: await requestsPer(async () => {
        const result = await toResolveCredentialsFrom.call(context, new S3Client({}), OTHER[source])
        if (result.pass) throw new Error('expected a failing assertion')
      }),
    }
    const timings = await sideBySide({ bare, matcher: matcher(source), resolveCredentials: resolve(source) }, { warmup, rounds })
    sources[source] = {
      ...timings,
      ratio: { matcher: timings.matcher.median / timings.bare.median, resolveCredentials: timings.resolveCredentials.median / timings.bare.median },
      requests,
      // The passing path makes no request the bare SDK does not; a failing one computes the report (more requests).
      reportOnlyWhenNeeded: requests.passing === requests.bare && requests.failing > requests.bare,
    }
  } finally {
    await world.dispose()
  }
}
report({ rounds, warmup, sources })
