import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { type ChainFacts, isSet } from '../chain/facts.js'

/**
 * Asks a real machine's remote credential endpoints what they serve — the container endpoint
 * and the instance metadata service — the way the JS v3 chain would find them, but with a
 * short timeout and no retries, and keeping nothing but role names: the credentials are never
 * requested from IMDS, and the container's answer is read for its role and then dropped.
 */

/** Default per-request timeout of a probe: short, so a machine without IMDS answers in about a third of a second. */
export const REMOTE_PROBE_TIMEOUT_MS = 300

export type RemoteStatus = 'ok' | 'no-credentials' | 'unreachable' | 'refused' | 'not-allowed'

export interface ContainerProbe {
  /** The URL asked (without user info), or the URL the SDK would have asked. */
  endpoint: string
  status: RemoteStatus
  role?: string
  /** What happened, in words; never a secret. */
  detail: string
}

export interface ImdsProbe {
  endpoint: string
  status: RemoteStatus
  role?: string
  /** How the role was read: with an IMDSv2 session token, or v1 after the token route was refused. */
  version?: 'v2' | 'v1'
  detail: string
}

export interface RemoteProbeResult {
  /** What the static model needs: `undefined` = not probed, `null` = serves nothing. */
  facts: Pick<ChainFacts, 'container' | 'imds'>
  container?: ContainerProbe
  imds?: ImdsProbe
}

export interface RemoteProbeOptions {
  timeoutMs?: number
  /** Called before each endpoint is asked (the CLI's progress line). */
  onStep?(what: string): void
}


interface HttpAnswer {
  status: number
  body: string
}

/** One HTTP request with a hard deadline and no retries; a fresh connection, closed afterwards. */
function ask(url: URL, method: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, { method, headers, agent: false })
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= 64 * 1024) chunks.push(chunk)
      })
      res.on('end', () => {
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
      })
      res.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    req.end()
  })
}

function networkDetail(error: unknown, url: URL, timeoutMs: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ETIMEDOUT') return `no answer from ${url.host} within ${timeoutMs} ms`
  if (code === 'ECONNREFUSED') return `connection to ${url.host} refused`
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `${url.host} is not reachable from this machine`
  return `cannot reach ${url.host}${code ? ` (${code})` : ''}`
}

/** The URL with any user info removed, for display. */
function shown(url: URL): string {
  const copy = new URL(url.href)
  copy.username = ''
  copy.password = ''
  return copy.href
}

/** Hosts `fromHttp` accepts over plain http (REFERENCE.md: container endpoint). */
function containerHostAllowed(url: URL): boolean {
  if (url.protocol === 'https:') return true
  if (url.protocol !== 'http:') return false
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || ['169.254.170.2', '169.254.170.23', 'fd00:ec2::23'].includes(host)
}

/** Where the container endpoint is, as fromHttp computes it; undefined when no container variable is set. */
export function containerEndpointOf(env: Readonly<Record<string, string | undefined>>): URL | undefined {
  if (isSet(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)) return new URL(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, 'http://169.254.170.2')
  if (isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
    try {
      return new URL(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    } catch {
      return undefined
    }
  }
  return undefined
}

/** Where IMDS is, as @smithy/credential-provider-imds computes it from the environment. */
export function imdsEndpointOf(env: Readonly<Record<string, string | undefined>>): { url: string; from: string } {
  if (isSet(env.AWS_EC2_METADATA_SERVICE_ENDPOINT)) return { url: env.AWS_EC2_METADATA_SERVICE_ENDPOINT, from: 'AWS_EC2_METADATA_SERVICE_ENDPOINT' }
  if (env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE === 'IPv6') return { url: 'http://[fd00:ec2::254]', from: 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6' }
  return { url: 'http://169.254.169.254', from: 'the default' }
}

/** Whether the chain would ask IMDS at all (AWS_EC2_METADATA_DISABLED not set, or "false"). */
export function imdsDisabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const disabled = env.AWS_EC2_METADATA_DISABLED
  return isSet(disabled) && disabled !== 'false'
}

function roleOfArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined
  const resource = arn.split(':').slice(5).join(':')
  const name = resource.slice(resource.lastIndexOf('/') + 1)
  return name || undefined
}

export async function probeContainer(env: Readonly<Record<string, string | undefined>>, timeoutMs = REMOTE_PROBE_TIMEOUT_MS): Promise<ContainerProbe | undefined> {
  const url = containerEndpointOf(env)
  if (!url) {
    if (isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
      return { endpoint: '(invalid URL)', status: 'not-allowed', detail: 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL; the SDK fails on it' }
    }
    return undefined
  }
  if (!containerHostAllowed(url)) {
    return {
      endpoint: shown(url),
      status: 'not-allowed',
      detail: `the SDK refuses ${url.host} over ${url.protocol.replace(':', '')}: plain http is allowed only to loopback, 169.254.170.2, 169.254.170.23 and fd00:ec2::23`,
    }
  }
  const headers: Record<string, string> = {}
  let authorization: string | undefined
  if (isSet(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)) {
    try {
      authorization = readFileSync(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8').trim()
    } catch {
      return { endpoint: shown(url), status: 'refused', detail: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read' }
    }
  } else if (isSet(env.AWS_CONTAINER_AUTHORIZATION_TOKEN)) {
    authorization = env.AWS_CONTAINER_AUTHORIZATION_TOKEN
  }
  if (authorization !== undefined) {
    if (/[\r\n]/.test(authorization)) return { endpoint: shown(url), status: 'refused', detail: 'the authorization token contains a line break; the SDK refuses it' }
    headers.authorization = authorization
  }
  let answer: HttpAnswer
  try {
    answer = await ask(url, 'GET', headers, timeoutMs)
  } catch (error) {
    return { endpoint: shown(url), status: 'unreachable', detail: networkDetail(error, url, timeoutMs) }
  }
  if (answer.status !== 200) {
    const refused = answer.status === 401 || answer.status === 403
    return {
      endpoint: shown(url),
      status: refused ? 'refused' : 'no-credentials',
      detail: `the endpoint answered HTTP ${answer.status}${refused ? ' (check the authorization token variable)' : ''}`,
    }
  }
  let body: Record<string, unknown>
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>
  } catch {
    return { endpoint: shown(url), status: 'no-credentials', detail: 'the endpoint answered 200 with something that is not JSON' }
  }
  const complete = ['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration'].every((k) => typeof body[k] === 'string')
  if (!complete) return { endpoint: shown(url), status: 'no-credentials', detail: 'the endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration' }
  const role = roleOfArn(body.RoleArn)
  const probe: ContainerProbe = { endpoint: shown(url), status: 'ok', detail: role ? `serves credentials of role ${role}` : 'serves credentials (the answer does not name the role)' }
  if (role) probe.role = role
  return probe
}

export async function probeImds(env: Readonly<Record<string, string | undefined>>, timeoutMs = REMOTE_PROBE_TIMEOUT_MS): Promise<ImdsProbe | undefined> {
  if (imdsDisabled(env)) return undefined
  const { url: base } = imdsEndpointOf(env)
  let root: URL
  try {
    root = new URL(base)
  } catch {
    return { endpoint: base, status: 'not-allowed', detail: 'AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid URL' }
  }
  const at = (path: string) => new URL(path, root)
  const endpoint = shown(root).replace(/\/$/, '')
  let token: string | undefined
  let version: 'v2' | 'v1' = 'v2'
  try {
    const answer = await ask(at('/latest/api/token'), 'PUT', { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' }, timeoutMs)
    if (answer.status === 200) token = answer.body.trim()
    else if ([403, 404, 405].includes(answer.status)) version = 'v1'
    else return { endpoint, status: 'refused', detail: `the token request (IMDSv2) answered HTTP ${answer.status}` }
  } catch (error) {
    // Nothing answers: on a machine off EC2 this is the usual outcome.
    return { endpoint, status: 'unreachable', detail: networkDetail(error, root, timeoutMs) }
  }
  const headers: Record<string, string> = token ? { 'x-aws-ec2-metadata-token': token } : {}
  let answer: HttpAnswer
  try {
    answer = await ask(at('/latest/meta-data/iam/security-credentials/'), 'GET', headers, timeoutMs)
  } catch (error) {
    return { endpoint, status: 'unreachable', detail: networkDetail(error, root, timeoutMs) }
  }
  if (answer.status === 404) return { endpoint, status: 'no-credentials', version, detail: 'the instance has no IAM role (no instance profile attached)' }
  if (answer.status !== 200) return { endpoint, status: 'refused', version, detail: `the role listing answered HTTP ${answer.status}${answer.status === 401 ? ' (IMDSv2 required, token refused)' : ''}` }
  const role = answer.body.split('\n')[0]?.trim()
  if (!role) return { endpoint, status: 'no-credentials', version, detail: 'the role listing is empty' }
  return { endpoint, status: 'ok', version, role, detail: `has role ${role} (IMDS${version})` }
}

/**
 * Probes the container endpoint (when its variables are set) and IMDS (unless disabled), each
 * with one request per step, `timeoutMs` each, no retries. Only role names are kept.
 */
export async function probeRemoteEndpoints(env: Readonly<Record<string, string | undefined>>, options: RemoteProbeOptions = {}): Promise<RemoteProbeResult> {
  const timeoutMs = options.timeoutMs ?? REMOTE_PROBE_TIMEOUT_MS
  const result: RemoteProbeResult = { facts: {} }
  if (containerEndpointOf(env) || isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
    options.onStep?.('asking the container credentials endpoint')
    const container = await probeContainer(env, timeoutMs)
    if (container) {
      result.container = container
      result.facts.container = container.status === 'ok' ? (container.role ? { role: container.role } : {}) : null
    }
  }
  if (!imdsDisabled(env)) {
    options.onStep?.(`asking the instance metadata service at ${imdsEndpointOf(env).url}`)
    const imds = await probeImds(env, timeoutMs)
    if (imds) {
      result.imds = imds
      result.facts.imds = imds.status === 'ok' && imds.role ? { role: imds.role } : null
    }
  }
  return result
}
