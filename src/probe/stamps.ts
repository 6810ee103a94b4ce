import type { ChainFacts } from '../chain/facts.js'
import { fileStamp } from '../world/sandbox.js'

/** The stat stamps (sandbox fileStamp) of the shared files, taken once per gathering: by path. */
export type FileStamps = Readonly<Record<string, string>>
/** The stamps each gathering took of its shared files, so the report's later steps need not stat them again. */
const stampsOfFacts = new WeakMap<ChainFacts, FileStamps>()

/** The shared files' stamps as they were when these facts were gathered (a fresh stat of each if these facts were not gathered here). */
export function stampsOf(facts: ChainFacts): FileStamps {
  return stampsOfFacts.get(facts) ?? { [facts.credentialsPath]: fileStamp(facts.credentialsPath), [facts.configPath]: fileStamp(facts.configPath) }
}

/** Records the stamps a gathering took of the facts' shared files. */
export function rememberStamps(facts: ChainFacts, stamps: FileStamps): void {
  stampsOfFacts.set(facts, stamps)
}
