import type { ChainReport, SdkName } from '../types.js'
import { ChainproofError } from '../errors.js'
import { modelChain } from '../chain/model.js'
import { activeWorld } from '../world/world.js'
import { gatherFacts } from './gather.js'
import { withSdkFiles } from './sdk-facts.js'
import { SDK_NAMES, isSdkName, modelChainFor } from '../chain/sdks/index.js'
import { probeRemoteEndpoints } from './remote.js'
import './probe.js'

/** The SDKs whose chain chainproof can explain. */
export const SUPPORTED_SDKS = SDK_NAMES

function checkSdk(sdk: SdkName | undefined): void {
  if (sdk !== undefined && !isSdkName(sdk)) {
    throw new ChainproofError(`explainChain({ sdk: ${JSON.stringify(sdk)} }): unknown SDK; use one of ${SDK_NAMES.map((s) => `"${s}"`).join(', ')}.`)
  }
}

/**
 * The chain report of an environment.
 *
 * - With a world active and no `env`: the world's report (world.explain(): each real SDK link is run in the world).
 * - Otherwise: the static model of `env` (default: this process's environment) — its shared
 *   files, token files and SSO cache are read; the container endpoint and IMDS are asked only
 *   with `probe: true` (300 ms per request, no retries; role names only), else reported as not probed.
 */
export async function explainChain(options: { sdk?: SdkName; env?: Record<string, string | undefined>; probe?: boolean } = {}): Promise<ChainReport> {
  const world = activeWorld()
  if (world && !options.env) {
    const sdk = options.sdk
    return sdk === undefined ? world.explain() : world.explain(undefined, { sdk })
  }
  checkSdk(options.sdk)
  const env = options.env ?? process.env
  const facts = options.probe ? await gatherFacts(env, { remote: (await probeRemoteEndpoints(env)).facts }) : await gatherFacts(env)
  if (options.sdk === undefined || options.sdk === 'js-v3') return modelChain(facts)
  return modelChainFor(options.sdk, await withSdkFiles(facts))
}
