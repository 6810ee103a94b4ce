/**
 * The chain report is computed two ways — a static model over facts and a dynamic probe that
 * runs each real SDK link alone — and both must agree with the real `fromNodeProviderChain`
 * on the winner and the shadowed list, for every combination of the seven sources on and off,
 * with and without AWS_PROFILE and AWS_EC2_METADATA_DISABLED (1024 worlds, login included). Model and probe must
 * also give every link the same status.
 *
 * The real chain only names a winner; its shadowed list is found by taking the winner away and
 * resolving again, until nothing resolves: the sources that would win next, in order.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { modelActiveWorld } from '../../src/probe/probe.js'
import type { Source } from '../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, type Generated, keyOf, specOf, subsets } from '../support/scenario-space.js'

interface Observed {
  hints: string[]
  statuses: { probe: string; model: string }
  real?: Source
  probe: { winner?: Source; shadowed: Source[] }
  model: { winner?: Source; shadowed: Source[] }
}

describe.each(FLAG_SETTINGS.map(([p, d]) => [p, d]))('model, probe and the real chain agree (AWS_PROFILE %s, AWS_EC2_METADATA_DISABLED %s)', (awsProfile, imdsDisabled) => {
  it('on the winner and the shadowed list of all 256 combinations', async () => {
    const observed = new Map<string, Observed>()
    for (const on of subsets(WITH_LOGIN)) {
      await using world = await createCredentialWorld(specOf(on, awsProfile, imdsDisabled))
      const real = await fromNodeProviderChain()().then(
        (c) => world.identityOf(c.accessKeyId)?.source,
        () => undefined,
      )
      const probe = await world.explain()
      const model = await modelActiveWorld()
      const statuses = { probe: probe.links.map((l) => l.status).join(','), model: model.links.map((l) => l.status).join(',') }
      const entry: Observed = { hints: probe.hints, statuses, probe: { shadowed: probe.shadowed }, model: { shadowed: model.shadowed } }
      if (real) entry.real = real
      if (probe.winner) entry.probe.winner = probe.winner
      if (model.winner) entry.model.winner = model.winner
      observed.set(keyOf(on), entry)
    }
    const realShadowed = (on: Set<Generated>): Source[] => {
      const winner = observed.get(keyOf(on))!.real
      if (!winner) return []
      const rest = new Set(on)
      rest.delete(winner as Generated)
      const next = observed.get(keyOf(rest))!.real
      return next ? [next, ...realShadowed(rest)] : []
    }
    const disagreements: string[] = []
    for (const on of subsets(WITH_LOGIN)) {
      const o = observed.get(keyOf(on))!
      const real = { winner: o.real, shadowed: realShadowed(on) }
      const same = (a: { winner?: Source; shadowed: Source[] }) => a.winner === real.winner && JSON.stringify(a.shadowed) === JSON.stringify(real.shadowed)
      if (o.statuses.probe !== o.statuses.model) disagreements.push(`${keyOf(on)}: link statuses: probe ${o.statuses.probe} model ${o.statuses.model}`)
      if (!same(o.probe) || !same(o.model)) {
        disagreements.push(`${keyOf(on)}: real ${JSON.stringify(real)} probe ${JSON.stringify(o.probe)} model ${JSON.stringify(o.model)}`)
      }
    }
    expect(disagreements).toEqual([])
    expect(observed.size).toBe(256)

    // Every shadowing pair has one concrete hint that removes, in order, each source ranked above it.
    const hintProblems: string[] = []
    let pairs = 0
    for (const on of subsets(WITH_LOGIN)) {
      const o = observed.get(keyOf(on))!
      const ranked = o.probe.winner ? [o.probe.winner, ...o.probe.shadowed] : []
      o.probe.shadowed.forEach((source, i) => {
        pairs++
        const hint = o.hints.filter((h) => h.startsWith(`To use ${source} instead of ${o.probe.winner}: `))
        if (hint.length !== 1) return hintProblems.push(`${keyOf(on)}: ${hint.length} hints for ${source}`)
        const steps = hint[0]!.split('; then ')
        if (steps.length !== i + 1) hintProblems.push(`${keyOf(on)}: hint for ${source} has ${steps.length} steps, expected ${i + 1} (${ranked.slice(0, i + 1).join(', ')}): ${hint[0]}`)
      })
      const warning = o.hints.some((h) => h.includes('Multiple credential sources detected'))
      if (warning !== (awsProfile && on.has('env'))) hintProblems.push(`${keyOf(on)}: multiple-sources warning hint ${warning ? 'present' : 'missing'}`)
    }
    expect(hintProblems).toEqual([])
    expect(pairs).toBeGreaterThan(100)
    console.log(`shadowing pairs checked: ${pairs}`)
  }, 120_000)
})
