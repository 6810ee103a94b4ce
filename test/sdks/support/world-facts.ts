import { factsOfWorld } from '../../../src/probe/probe.js'
import { withSdkFiles } from '../../../src/probe/sdk-facts.js'
import type { SdkFacts } from '../../../src/chain/sdks/index.js'
import { activeWorld } from '../../../src/world/world.js'

/** The active world's facts, with the raw shared files the other SDKs' models read. */
export async function sdkFactsOfActiveWorld(): Promise<SdkFacts> {
  const world = activeWorld()
  if (!world) throw new Error('no active world')
  return withSdkFiles(await factsOfWorld(world))
}
