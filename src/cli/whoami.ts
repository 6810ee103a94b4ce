import { createRequire } from 'node:module'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Source } from '../types.js'
import { maskKeyId, scrubSecrets } from '../chain/mask.js'
import { sourceFromFeatures } from '../probe/features.js'
import { isSet } from '../chain/facts.js'

/**
 * `doctor --whoami`: resolves credentials with the SDK's real default chain and asks STS
 * GetCallerIdentity who they belong to. Opt-in only: it may run a credential_process, assume
 * roles and contact STS. Only the masked key id, the account and the ARN are kept.
 */

export interface WhoAmI {
  /** The source the SDK's own $source codes name; undefined when it set none (IMDS, fromContainerMetadata). */
  source?: Source
  accessKeyId: string
  account: string
  arn: string
  userId: string
  /** The STS endpoint asked. */
  endpoint: string
}

interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  $source?: Record<string, string>
}
type Provider = () => Promise<Credentials>

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} }

/** The default chain: fromNodeProviderChain when @aws-sdk/credential-providers is installed, else the same chain's defaultProvider. */
function defaultChain(): Provider {
  const here = createRequire(import.meta.url)
  try {
    const { fromNodeProviderChain } = here('@aws-sdk/credential-providers') as { fromNodeProviderChain: (init?: object) => Provider }
    return fromNodeProviderChain({ logger: silentLogger })
  } catch {
    try {
      const { defaultProvider } = here('@aws-sdk/credential-provider-node') as { defaultProvider: (init?: object) => Provider }
      return defaultProvider({ logger: silentLogger })
    } catch {
      throw new WhoAmIError(
        '--whoami needs @aws-sdk/credential-provider-node (installed with any AWS SDK v3 client): npm install -D @aws-sdk/credential-provider-node',
      )
    }
  }
}

export class WhoAmIError extends Error {
  override name = 'WhoAmIError'
}

/** The STS endpoint the SDK would use: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, or the regional endpoint. */
export function stsEndpointOf(env: Readonly<Record<string, string | undefined>>): { url: URL; region: string } {
  const region = (isSet(env.AWS_REGION) ? env.AWS_REGION : isSet(env.AWS_DEFAULT_REGION) ? env.AWS_DEFAULT_REGION : 'us-east-1')!
  const ignore = isSet(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== 'false'
  const configured = ignore ? undefined : isSet(env.AWS_ENDPOINT_URL_STS) ? env.AWS_ENDPOINT_URL_STS : isSet(env.AWS_ENDPOINT_URL) ? env.AWS_ENDPOINT_URL : undefined
  try {
    return { url: new URL(configured ?? `https://sts.${region}.amazonaws.com`), region }
  } catch {
    throw new WhoAmIError(`AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL is not a valid URL: fix or unset it`)
  }
}

function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, { method: 'POST', headers, agent: false })
    const timer = setTimeout(() => req.destroy(new Error(`STS did not answer within ${timeoutMs} ms`)), timeoutMs)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
      })
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    req.end(body)
  })
}

const xmlLeaf = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]

export async function whoami(env: Readonly<Record<string, string | undefined>>, options: { timeoutMs?: number } = {}): Promise<WhoAmI> {
  const provider = defaultChain()
  let credentials: Credentials
  try {
    credentials = await provider()
  } catch (error) {
    throw new WhoAmIError(`the default chain could not resolve credentials: ${(error as Error).message.split('\n')[0]}`)
  }
  const secrets = [credentials.secretAccessKey, credentials.sessionToken ?? '']
  const { url, region } = stsEndpointOf(env)
  const body = 'Action=GetCallerIdentity&Version=2011-06-15'
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) },
    body,
  })
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}) },
    region,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  })
  const signed = await signer.sign(request)
  let answer: { status: number; body: string }
  try {
    answer = await post(url, signed.headers as Record<string, string>, body, options.timeoutMs ?? 5000)
  } catch (error) {
    throw new WhoAmIError(scrubSecrets(`cannot reach STS at ${url.origin}: ${(error as Error).message}`, secrets))
  }
  if (answer.status !== 200) {
    const code = xmlLeaf(answer.body, 'Code') ?? `HTTP ${answer.status}`
    const message = xmlLeaf(answer.body, 'Message') ?? ''
    throw new WhoAmIError(scrubSecrets(`STS GetCallerIdentity at ${url.origin} refused ${maskKeyId(credentials.accessKeyId)}: ${code}${message ? ` — ${message}` : ''}`, secrets))
  }
  const result: WhoAmI = {
    accessKeyId: maskKeyId(credentials.accessKeyId),
    account: xmlLeaf(answer.body, 'Account') ?? '',
    arn: xmlLeaf(answer.body, 'Arn') ?? '',
    userId: xmlLeaf(answer.body, 'UserId') ?? '',
    endpoint: url.origin,
  }
  const source = sourceFromFeatures(credentials.$source ?? {})
  if (source) result.source = source
  return result
}
