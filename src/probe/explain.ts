import type { ChainReport, SdkName } from '../types.js'
import { ChainproofError } from '../errors.js'
import { modelChain } from '../chain/model.js'
import { activeWorld } from '../world/world.js'
import { gatherFacts } from './gather.js'
import { probeRemoteEndpoints } from './remote.js'
import './probe.js'

/** The SDKs whose chain chainproof can explain in this version. */
export const SUPPORTED_SDKS = ['js-v3'] as const satisfies readonly SdkName[]

function checkSdk(sdk: SdkName | undefined): void {
  if (sdk !== undefined && !(SUPPORTED_SDKS as readonly string[]).includes(sdk)) {
    throw new ChainproofError(
      `explainChain({ sdk: ${JSON.stringify(sdk)} }): this version of chainproof models only ${SUPPORTED_SDKS.map((s) => `"${s}"`).join(', ')}; ` +
        'leave sdk out or pass "js-v3".',
    )
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
  if (!options.probe) return modelChain(await gatherFacts(env))
  const remote = await probeRemoteEndpoints(env)
  return modelChain(await gatherFacts(env, { remote: remote.facts }))
}
