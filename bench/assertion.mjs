/**
 * Per-assertion cost, for each source, measured side by side in one run (each round runs every
 * variant once, in a rotating order; the world is made afresh every few rounds, untimed, as a
 * test's world would be):
 *
 *   bare             the bare SDK: a new S3Client resolving `config.credentials()` (the chain stops at its winner)
 *   floor            the least a full report of that client must learn, done by the bare SDK: the
 *                    new client's chain (which asks every link up to its winner), then every link
 *                    after the winner asked once
 *   linksOnce        every link asked once, without a client (informational)
 *   matcher          a passing toResolveCredentialsFrom (the raw matcher, minimal matcher context)
 *   resolveCredentials  the full report
 *
 * Also checks that a passing matcher makes no request the bare SDK does not (its report is lazy).
 */
import http from 'node:http'
import { chainproof, guardLoopback, report, scale } from './lib/harness.mjs'
import { sideBySide } from './lib/stats.mjs'
import { askLinks, everyLinkOnce } from './lib/floor.mjs'

guardLoopback()
let served = 0
const emit = http.Server.prototype.emit
http.Server.prototype.emit = function countRequests(event, ...rest) {
  if (event === 'request') served++
  return emit.call(this, event, ...rest)
}

const { createCredentialWorld, resolveCredentials } = await chainproof()
const { toResolveCredentialsFrom } = await chainproof('matchers')
const { S3Client } = await import('@aws-sdk/client-s3')

const context = {
  isNot: false,
  promise: '',
  equals: Object.is,
  utils: { matcherHint: (name) => `expect(client)${name}(source)`, printExpected: (v) => JSON.stringify(v), printReceived: (v) => JSON.stringify(v) },
}

/** Each source's world, and the links of the chain after the one that wins there (the floor asks those once more). */
const WORLDS = {
  env: { spec: { env: { user: 'ci' } }, after: ['fromSSO', 'fromIni', 'fromProcess', 'fromTokenFile', 'remote'] },
  profile: { spec: { profiles: { default: { user: 'alice' } } }, after: ['fromProcess', 'fromTokenFile', 'remote'] },
  process: { spec: { profiles: { default: { process: { user: 'tool' } } } }, after: ['fromProcess', 'fromTokenFile', 'remote'] },
  sso: { spec: { profiles: { default: { sso: { role: 'Dev' } } } }, after: ['fromProcess', 'fromTokenFile', 'remote'] },
  webIdentity: { spec: { webIdentity: { role: 'deployer' } }, after: ['remote'] },
  container: { spec: { container: { role: 'task' } }, after: [] },
  instanceProfile: { spec: { instanceProfile: { role: 'web' } }, after: [] },
}
const OTHER = { env: 'instanceProfile', profile: 'env', process: 'env', sso: 'env', webIdentity: 'env', container: 'env', instanceProfile: 'env' }

const bare = async () => {
  await new S3Client({}).config.credentials()
}
const floor = (after) => async () => {
  await new S3Client({}).config.credentials()
  await askLinks(after)
}
const matcher = (source) => async () => {
  const result = await toResolveCredentialsFrom.call(context, new S3Client({}), source)
  if (!result.pass) throw new Error(result.message())
}
const resolve = (source) => async () => {
  const resolution = await resolveCredentials(new S3Client({}))
  if (resolution.source !== source) throw new Error(`resolved ${resolution.source}, expected ${source}`)
}

async function requestsPer(fn, n = 10) {
  const before = served
  for (let i = 0; i < n; i++) await fn()
  return (served - before) / n
}

const rounds = scale(300, 20)
const warmup = scale(30, 3)
/** Rounds per world: a world lives for a test, not for thousands of resolutions (its record of requests grows). */
const PER_WORLD = 25
const sources = {}
for (const [source, { spec, after }] of Object.entries(WORLDS)) {
  let world = await createCredentialWorld(spec)
  let used = 0
  const fresh = async () => {
    if (++used < PER_WORLD) return
    await world.dispose()
    world = await createCredentialWorld(spec)
    used = 0
  }
  try {
    const requests = {
      bare: await requestsPer(bare),
      passing: await requestsPer(matcher(source)),
      failing: await requestsPer(async () => {
        const result = await toResolveCredentialsFrom.call(context, new S3Client({}), OTHER[source])
        if (result.pass) throw new Error('expected a failing assertion')
      }),
    }
    const timings = await sideBySide(
      { bare, floor: floor(after), linksOnce: everyLinkOnce, matcher: matcher(source), resolveCredentials: resolve(source) },
      { warmup, rounds, between: fresh },
    )
    sources[source] = {
      ...timings,
      ratio: {
        matcher: timings.matcher.median / timings.bare.median,
        resolveCredentials: timings.resolveCredentials.median / timings.floor.median,
        resolveCredentialsVsBare: timings.resolveCredentials.median / timings.bare.median,
        resolveCredentialsVsLinksOnce: timings.resolveCredentials.median / timings.linksOnce.median,
      },
      requests,
      // a failing one computes the report, which asks again only what the resolution did not learn (it may ask nothing more)
      reportOnlyWhenNeeded: requests.passing === requests.bare && requests.failing >= requests.bare,
    }
  } finally {
    await world.dispose()
  }
}
report({ rounds, warmup, sources })
