/**
 * Which SDK models know login_session (aws login), and that they say so. Every model but the
 * latest JS v3 describes a release from before login_session (Nov 2025): it ignores the setting,
 * as that release does — checked against real botocore 1.29, the AWS CLI 2.9 and JS v3 3.600 on
 * the 1024 generated worlds with login (botocore.test.ts, js-v3-3600.test.ts) — and its report
 * names the release that reads it (from each SDK's source: src/sources/login/sdks.ts).
 */
import { describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { SDK_NAMES, modelChainFor } from '../../src/chain/sdks/index.js'
import { LOGIN_SUPPORT } from '../../src/sources/login/sdks.js'
import { sdkFactsOfActiveWorld } from './support/world-facts.js'

describe('login_session in the other SDK models', () => {
  it('every modelled SDK has a login verdict', () => {
    expect(Object.keys(LOGIN_SUPPORT).sort()).toEqual([...SDK_NAMES].sort())
    expect(SDK_NAMES.filter((sdk) => LOGIN_SUPPORT[sdk].modelled)).toEqual(['js-v3'])
  })

  it.each(SDK_NAMES)('%s: a model that does not know login_session decides as if it were absent, and names the release that reads it', async (sdk) => {
    const statuses = (r: { links: { source: string; status: string }[] }) => r.links.map((l) => `${l.source}:${l.status}`)
    let without: ReturnType<typeof modelChainFor>
    {
      await using _world = await createCredentialWorld({ container: { role: 'task' } })
      without = modelChainFor(sdk, await sdkFactsOfActiveWorld())
    }
    await using _world = await createCredentialWorld({ profiles: { default: { login: { role: 'console' } } }, container: { role: 'task' } })
    const report = modelChainFor(sdk, await sdkFactsOfActiveWorld())
    const note = report.hints.find((h) => h.includes("which this model's release ignores"))
    if (LOGIN_SUPPORT[sdk].modelled) {
      expect(report.winner).toBe('login')
      expect(note).toBeUndefined()
    } else {
      expect({ winner: report.winner, links: statuses(report) }).toEqual({ winner: without.winner, links: statuses(without) })
      expect(note).toBe(
        `Profile "default" has login_session (login), which this model's release ignores: ${sdk} reads it since ${LOGIN_SUPPORT[sdk].since}${LOGIN_SUPPORT[sdk].where ? `, ${LOGIN_SUPPORT[sdk].where}` : ''}.`,
      )
      expect(report.toString()).toContain(LOGIN_SUPPORT[sdk].since)
    }
  })

  it('no note where the active profile has no login_session', async () => {
    await using _world = await createCredentialWorld({ profiles: { default: { user: 'alice' }, other: { login: { role: 'console' } } } })
    for (const sdk of SDK_NAMES) expect(modelChainFor(sdk, await sdkFactsOfActiveWorld()).hints.join('\n')).not.toContain('login_session')
  })
})
