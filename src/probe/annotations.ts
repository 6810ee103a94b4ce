import type { ChainReport, CredentialWorld } from '../types.js'

/** What an annotator is told about the report being built. */
export interface ReportAnnotationContext {
  /** The world whose chain the report explains: its spec, its recorded requests, its ledger lookup. */
  world: CredentialWorld
  /** The client's own `profile` option, when the report is of a client that sets one. */
  clientProfile?: string
  /** The process environment (the world's variables while it is active). */
  env: Readonly<Record<string, string | undefined>>
}

/** Returns hints to append to a world's chain report (none: `[]`). Must not throw; errors are ignored. */
export type ReportAnnotator = (ctx: ReportAnnotationContext) => readonly string[] | Promise<readonly string[]>

/**
 * Kept on globalThis, keyed by id, so that the ESM and CommonJS builds (if both are loaded) and a
 * module registered twice share one set: an entry that registers an annotator never doubles it.
 */
const REGISTRY_KEY = Symbol.for('chainproof.reportAnnotators')
function registry(): Map<string, ReportAnnotator> {
  const g = globalThis as { [REGISTRY_KEY]?: Map<string, ReportAnnotator> }
  return (g[REGISTRY_KEY] ??= new Map())
}

/**
 * Adds hints to every chain report a world builds (failure messages, `world.explain`,
 * `resolveCredentials`), once per id (a later registration under the same id replaces it); returns
 * a function that removes it. Optional parts of chainproof (e.g. `chainproof/client-mock`) use it to
 * explain situations that only they can detect, without the probe knowing about them.
 */
export function registerReportAnnotator(id: string, annotator: ReportAnnotator): () => void {
  registry().set(id, annotator)
  return () => {
    if (registry().get(id) === annotator) registry().delete(id)
  }
}

/** Appends every registered annotator's hints to the report (in place) and returns it. */
export async function annotateReport(report: ChainReport, ctx: ReportAnnotationContext): Promise<ChainReport> {
  for (const annotator of registry().values()) {
    try {
      for (const hint of await annotator(ctx)) if (!report.hints.includes(hint)) report.hints.push(hint)
    } catch {
      // An annotation is a courtesy: it never costs the user the report itself.
    }
  }
  return report
}
