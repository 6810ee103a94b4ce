/**
 * The floor of a full report: the bare SDK asking every link of the JS v3 default chain once, in
 * the chain's order, each provider new (nothing memoized), in whatever world is active — fromEnv,
 * fromSSO, fromIni, fromProcess, fromTokenFile, then the remote link the chain would take:
 * fromHttp (fromContainerMetadata's provider) when a container variable is set, else
 * fromInstanceMetadata unless AWS_EC2_METADATA_DISABLED. The remote links get the probe's
 * settings (timeout 1000 ms, no retries), as the report asks them.
 */
import { createRequire } from 'node:module'
import { root } from './harness.mjs'

const fromNode = createRequire(createRequire(`${root}/package.json`).resolve('@aws-sdk/credential-provider-node'))
const links = {
  fromEnv: fromNode('@aws-sdk/credential-provider-env').fromEnv,
  fromSSO: fromNode('@aws-sdk/credential-provider-sso').fromSSO,
  fromIni: fromNode('@aws-sdk/credential-provider-ini').fromIni,
  fromProcess: fromNode('@aws-sdk/credential-provider-process').fromProcess,
  fromTokenFile: fromNode('@aws-sdk/credential-provider-web-identity').fromTokenFile,
  fromHttp: fromNode('@aws-sdk/credential-provider-http').fromHttp,
  fromInstanceMetadata: fromNode('@smithy/credential-provider-imds').fromInstanceMetadata,
}
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} }
const set = (name) => process.env[name] !== undefined && process.env[name] !== ''

export const LINKS = ['fromEnv', 'fromSSO', 'fromIni', 'fromProcess', 'fromTokenFile', 'remote']

/** Asks the named links once each, in order (`remote`: the container endpoint or IMDS, as the chain picks); resolves with how many gave credentials. */
export async function askLinks(names) {
  let available = 0
  const ask = async (provider) => {
    try {
      await provider()
      available++
    } catch {
      // absent or failed: asked all the same
    }
  }
  const init = { logger: silent }
  for (const name of names) {
    if (name !== 'remote') {
      await ask(links[name](init))
      continue
    }
    const remote = { ...init, timeout: 1000, maxRetries: 0 }
    if (set('AWS_CONTAINER_CREDENTIALS_FULL_URI') || set('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')) await ask(links.fromHttp(remote))
    else if (!set('AWS_EC2_METADATA_DISABLED') || process.env.AWS_EC2_METADATA_DISABLED === 'false') await ask(links.fromInstanceMetadata(remote))
  }
  return available
}

/** Asks every link once (a link that fails is part of the floor too). */
export const everyLinkOnce = () => askLinks(LINKS)
