import { createRequire } from 'node:module'

/**
 * The SDK's own link providers, loaded from beside the user's `@aws-sdk/credential-provider-node`
 * (a peer dependency), so the report runs the very code the default chain runs.
 */
/** The SDK's credential shape (kept local so chainproof's types need no @aws-sdk/types). */
export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
  accountId?: string
  $source?: Record<string, string>
}
export type CredentialProvider = (options?: Record<string, unknown>) => Promise<Credentials>
type ProviderFactory = (init?: Record<string, unknown>) => CredentialProvider

export interface SdkLinks {
  fromEnv: ProviderFactory
  fromIni: ProviderFactory
  fromProcess: ProviderFactory
  fromTokenFile: ProviderFactory
  fromHttp: ProviderFactory
  fromInstanceMetadata: ProviderFactory
  fromSSO: ProviderFactory
  /** @aws-sdk/credential-provider-login (a dependency of credential-provider-ini since 3.936); undefined in older SDKs. */
  fromLoginCredentials?: ProviderFactory
}

let cached: SdkLinks | undefined

function requireFromHere(): NodeRequire {
  // tsup shims import.meta.url in the CommonJS build; in ESM it is native.
  return createRequire(import.meta.url)
}

export function sdkLinks(): SdkLinks {
  if (cached) return cached
  const here = requireFromHere()
  let nodeProvider: string
  try {
    nodeProvider = here.resolve('@aws-sdk/credential-provider-node')
  } catch {
    throw new Error(
      'chainproof needs @aws-sdk/credential-provider-node (a peer dependency, installed with any AWS SDK v3 client): npm install -D @aws-sdk/credential-provider-node',
    )
  }
  const fromSdk = createRequire(nodeProvider)
  cached = {
    fromEnv: fromSdk('@aws-sdk/credential-provider-env').fromEnv,
    fromIni: fromSdk('@aws-sdk/credential-provider-ini').fromIni,
    fromProcess: fromSdk('@aws-sdk/credential-provider-process').fromProcess,
    fromTokenFile: fromSdk('@aws-sdk/credential-provider-web-identity').fromTokenFile,
    fromHttp: fromSdk('@aws-sdk/credential-provider-http').fromHttp,
    fromInstanceMetadata: fromSdk('@smithy/credential-provider-imds').fromInstanceMetadata,
    fromSSO: fromSdk('@aws-sdk/credential-provider-sso').fromSSO,
  }
  try {
    // credential-provider-login is ini's dependency, not node's: resolved from beside ini
    cached.fromLoginCredentials = createRequire(fromSdk.resolve('@aws-sdk/credential-provider-ini'))('@aws-sdk/credential-provider-login').fromLoginCredentials
  } catch {
    // an SDK from before login_session (3.936)
  }
  return cached
}

/** A logger that swallows the SDK's debug and warnings while the report probes links one by one. */
export const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} }
