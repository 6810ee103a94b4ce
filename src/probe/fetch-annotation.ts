import type { CredentialFetch } from '../types.js'
import { registerReportAnnotator } from './annotations.js'
import { type FetchGroup, countFetch, fetchGroupKey } from '../world/world.js'

/** The fetches of a world per source and profile (`instanceProfile`, `profile (app)`), in order of first fetch. */
function groupFetches(fetches: readonly CredentialFetch[]): Map<string, FetchGroup> {
  const groups = new Map<string, FetchGroup>()
  for (const f of fetches) {
    const key = fetchGroupKey(f.source, f.profile)
    const g = groups.get(key) ?? { n: 0, failed: 0, token: 0, role: 0 }
    countFetch(g, f.step, f.status)
    groups.set(key, g)
  }
  return groups
}

/** `instanceProfile ×3 (3 token PUTs, 3 role-name GETs), profile (app) ×2` — the credential fetches of a world, per source and profile. */
export function summarizeFetches(fetches: readonly CredentialFetch[]): string | undefined {
  return describeGroups(groupFetches(fetches))
}

function describeGroups(groups: Map<string, FetchGroup>): string | undefined {
  if (!groups.size) return undefined
  return [...groups]
    .map(([key, g]) => {
      const extra = [g.failed ? `${g.failed} failed` : '', g.token ? `${g.token} token PUT${g.token === 1 ? '' : 's'}` : '', g.role ? `${g.role} role-name GET${g.role === 1 ? '' : 's'}` : ''].filter(Boolean)
      return `${key} ×${g.n}${extra.length ? ` (${extra.join(', ')})` : ''}`
    })
    .join(', ')
}

/** Shown once a source was fetched more than once: repeated fetches are what time-dependent bugs look like (a single one is every test's normal). */
registerReportAnnotator('chainproof.fetches', ({ world }) => {
  // a world of this build counts its fetches as they come; another (a world from a second copy of chainproof) is grouped from its list
  const counted = world as { fetchGroups?(): Map<string, FetchGroup> }
  const groups = typeof counted.fetchGroups === 'function' ? counted.fetchGroups() : groupFetches(world.fetches ?? [])
  if (![...groups.values()].some((g) => g.n > 1)) return []
  const summary = describeGroups(groups)
  return summary ? [`Credentials fetched in this world so far (the report's own probes not counted): ${summary} — world.fetches lists each, toHaveFetchedCredentials counts them.`] : []
})
