/**
 * The real AWS SDK for JavaScript v2 (npm aws-sdk@2) as an oracle: one long-lived worker that
 * resolves its DEFAULT chain (`new AWS.CredentialProviderChain()`, the chain every v2 client
 * uses) in a world's environment, one JSON line per world:
 *   in:  { id, env, endpoints: { sts, sso, ssoOidc? } }
 *   out: { id, accessKeyId } | { id, error } | { id, refused: [...] }
 * v2 ignores AWS_ENDPOINT_URL_STS / _SSO (it predates configured endpoints), so the worker points
 * its STS and SSO clients at the world explicitly; IMDS follows AWS_EC2_METADATA_SERVICE_ENDPOINT.
 *
 * It runs ONLY inside a loopback-only network namespace (`unshare -n`): v2 asks 169.254.169.254
 * whenever no endpoint is set. It refuses to start anywhere else, and refuses any socket to a
 * non-loopback address besides.
 */
'use strict'
const fs = require('node:fs')
const net = require('node:net')
const readline = require('node:readline')

/** The interfaces of this process's network namespace (/proc/self/net/dev, not /sys, which shows the host's). */
function interfaces() {
  return fs
    .readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((line) => line.split(':')[0].trim())
    .filter(Boolean)
}

const links = (() => {
  try {
    return interfaces()
  } catch (error) {
    return [`(unreadable: ${error.message})`]
  }
})()
if (links.length !== 1 || links[0] !== 'lo') {
  process.stdout.write(JSON.stringify({ ready: false, refused: `not a loopback-only network namespace (interfaces: ${links.join(', ')}); run it under unshare -n` }) + '\n')
  process.exit(2)
}

const refused = []
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function guarded(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  const host = typeof first === 'object' && first !== null ? first.host : typeof args[1] === 'string' ? args[1] : 'localhost'
  if (host && !/^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(String(host).replace(/^\[|\]$/g, ''))) {
    refused.push(String(host))
    process.nextTick(() => this.destroy(Object.assign(new Error(`js-v2 oracle: refused a connection to ${host}`), { code: 'ECONNREFUSED' })))
    return this
  }
  return connect.apply(this, args)
}

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'
const AWS = require('aws-sdk')
const DEFAULT_IMDS = AWS.MetadataService.prototype.endpoint

async function resolveIn(request) {
  // the world's variables, and nothing else (HOME included)
  for (const name of Object.keys(process.env)) delete process.env[name]
  Object.assign(process.env, request.env, { AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' })
  AWS.util.iniLoader.clearCachedFiles()
  AWS.config.update({ sts: { endpoint: request.endpoints.sts }, sso: { endpoint: request.endpoints.sso }, ssooidc: { endpoint: request.endpoints.ssoOidc || request.endpoints.sso } })
  // v2 reads AWS_EC2_METADATA_SERVICE_ENDPOINT when it loads: follow the world's on every call
  AWS.MetadataService.prototype.endpoint = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT || DEFAULT_IMDS
  const before = refused.length
  const chain = new AWS.CredentialProviderChain()
  const timeout = new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('js-v2 oracle: no answer in 8 s'), { stuck: true })), 8_000).unref())
  try {
    const credentials = await Promise.race([chain.resolvePromise(), timeout])
    return { accessKeyId: credentials.accessKeyId, ...(refused.length > before ? { refused: refused.slice(before) } : {}) }
  } catch (error) {
    return { error: String((error && (error.code || error.name)) || 'Error') + ': ' + String(error && error.message).split('\n')[0], ...(error && error.stuck ? { stuck: true } : {}), ...(refused.length > before ? { refused: refused.slice(before) } : {}) }
  }
}

process.on('uncaughtException', (error) => {
  // v2 can throw from a timer (an expired SSO token): report it on the current request, keep serving
  process.stdout.write(JSON.stringify({ uncaught: String(error && error.message) }) + '\n')
})

process.stdout.write(JSON.stringify({ ready: true, sdk: AWS.VERSION, node: process.version }) + '\n')
const lines = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
lines.on('line', (line) => {
  queue = queue.then(async () => {
    if (!line.trim()) return
    const request = JSON.parse(line)
    const answer = await resolveIn(request)
    process.stdout.write(JSON.stringify({ id: request.id, ...answer }) + '\n')
    // a chain that never settled keeps v2 busy (an expired SSO token or IMDS credentials: it refreshes in a loop):
    // this worker ends, and the harness starts a fresh one for the next world
    if (answer.stuck) process.stdout.write('', () => process.exit(0))
  })
})
lines.on('close', () => queue.then(() => process.exit(0)))
