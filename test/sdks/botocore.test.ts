/**
 * The botocore and AWS CLI v2 models against the real thing, on the whole generated scenario
 * space (1024 worlds, login included): Debian's python3-botocore (botocore.session.Session().get_credentials())
 * and Debian's awscli (`aws configure list`, its Type column), both asked by one long-lived
 * python worker each (test/sdks/oracles/botocore_oracle.py) about the very worlds the JS suites use.
 *
 * Per world: the winning provider (botocore's METHOD / the CLI's Type) must be the model's won
 * link, an exception must be the model's failed link, and the credentials botocore hands out
 * must be the ones the world's ledger issued for the model's winner. Per flag setting: the
 * model's shadowed lists must match the real chain's, found by removing its winner and asking
 * again (as test/chain/agreement.test.ts does for JS).
 *
 * Skipped with one printed reason when the packages are missing; CHAINPROOF_REQUIRE_ORACLES=1
 * (CI) turns that into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { configureListType, modelChainFor } from '../../src/chain/sdks/index.js'
import type { CredentialWorld, Source } from '../../src/types.js'
import type { SdkFacts } from '../../src/chain/sdks/index.js'
import { FLAG_SETTINGS, WITH_LOGIN, type Generated, keyOf, shadowedByRemoval, specOf, subsets } from '../support/scenario-space.js'
import { type OracleAnswer, type OracleVersions, PythonOracle, oracleGates } from './support/python-oracle.js'
import { type AgreementRow, recordAgreement } from './support/agreement.js'
import { faultWorlds } from '../support/fault-worlds.js'
import { sdkFactsOfActiveWorld } from './support/world-facts.js'

const gates = oracleGates('botocore/CLI agreement')
const botocoreGate = gates.botocore
const cliGate = gates.cli

const outcomeOfReport = (report: { links: { status: string; name: string }[] }) =>
  report.links.find((l) => l.status === 'won')?.name ?? (report.links.some((l) => l.status === 'failed' || l.status === 'unreached') ? 'error' : 'none')

const realOutcome = (answer: OracleAnswer, field: 'method' | 'type') => (answer.error || answer.fetchError ? 'error' : (answer[field] ?? 'none'))

describe.skipIf(botocoreGate.skip && cliGate.skip)('the botocore and AWS CLI v2 models agree with the real ones on 1024 worlds', () => {
  let botocore: PythonOracle | undefined
  let cli: PythonOracle | undefined
  let versions: (OracleVersions | undefined)[] = []
  /** Worlds and agreements per SDK and set, for the combined agreement table `npm test` prints. */
  const tally = { botocore: new Map<string, AgreementRow>(), 'aws-cli-v2': new Map<string, AgreementRow>() }
  const count = (sdk: keyof typeof tally, set: string, agreed: boolean) => {
    const row = tally[sdk].get(set) ?? { set, mode: 'default', worlds: 0, agreed: 0 }
    row.worlds++
    if (agreed) row.agreed++
    tally[sdk].set(set, row)
  }
  beforeAll(async () => {
    if (!botocoreGate.skip) botocore = new PythonOracle('botocore')
    if (!cliGate.skip) cli = new PythonOracle('cli')
    versions = await Promise.all([botocore?.ready, cli?.ready])
    console.log(`oracles: botocore ${versions[0]?.botocore ?? 'skipped'}, aws-cli ${versions[1]?.cli ?? 'skipped'} (python ${versions[0]?.python ?? versions[1]?.python})`)
  })
  afterAll(async () => {
    await Promise.all([botocore?.close(), cli?.close()])
    if (botocore && tally.botocore.size) recordAgreement('botocore', `botocore ${versions[0]?.botocore}`, [...tally.botocore.values()])
    if (cli && tally['aws-cli-v2'].size) recordAgreement('aws-cli-v2', `aws-cli ${versions[1]?.cli}`, [...tally['aws-cli-v2'].values()])
  })

  it.each(FLAG_SETTINGS.map(([p, d]) => [p, d]))('AWS_PROFILE %s, AWS_EC2_METADATA_DISABLED %s: winners, errors and shadowed lists', async (awsProfile, imdsDisabled) => {
    const started = Date.now()
    const problems: string[] = []
    const real = new Map<string, Source | undefined>()
    const modelled = new Map<string, { winner?: Source; shadowed: Source[] }>()
    for (const on of subsets(WITH_LOGIN)) {
      await using world = await createCredentialWorld(specOf(on, awsProfile, imdsDisabled))
      const facts = await sdkFactsOfActiveWorld()
      const key = keyOf(on)
      const [b, c] = await Promise.all([botocore?.ask(world.env), cli?.ask(world.env)])
      for (const answer of [b, c]) {
        if (answer?.refused || answer?.refusedConnections) problems.push(`${key}: the oracle refused to leave loopback: ${answer.refused ?? answer.refusedConnections!.join(', ')}`)
      }
      if (b) {
        const model = modelChainFor('botocore', facts)
        const modelOutcome = outcomeOfReport(model)
        const realMethod = realOutcome(b, 'method')
        const source = b.accessKeyId ? world.identityOf(b.accessKeyId)?.source : undefined
        const before = problems.length
        if (realMethod !== modelOutcome) problems.push(`${key}: botocore picks ${realMethod}${b.error ? ` (${b.error})` : ''}, the model ${modelOutcome}`)
        else if (b.accessKeyId && source !== model.winner) problems.push(`${key}: botocore's credentials are the world's ${source ?? 'unknown key'}, the model's winner is ${model.winner}`)
        count('botocore', 'generated', problems.length === before)
        real.set(key, realMethod === 'error' ? undefined : source)
        modelled.set(key, { shadowed: model.shadowed, ...(model.winner ? { winner: model.winner } : {}) })
      }
      if (c) {
        const modelType = configureListType(modelChainFor('aws-cli-v2', facts))
        const expected = 'error' in modelType ? 'error' : (modelType.type ?? 'none')
        const got = realOutcome(c, 'type')
        if (got !== expected) problems.push(`${key}: aws configure list shows Type ${got}${c.error ? ` (${c.error})` : ''}, the model ${expected}`)
        count('aws-cli-v2', 'generated', got === expected)
      }
    }
    if (botocore) {
      for (const on of subsets(WITH_LOGIN)) {
        const key = keyOf(on)
        const model = modelled.get(key)!
        const realShadowed = shadowedByRemoval(on, (s) => real.get(keyOf(s)))
        // A removal that takes away the only section of AWS_PROFILE's profile makes botocore raise ProfileNotFound:
        // past that point the real chain says nothing, so the model's list is compared up to there.
        const comparable = model.shadowed.slice(0, realShadowed.length)
        const truncated = realShadowed.length < model.shadowed.length && awsProfile
        if (JSON.stringify(truncated ? comparable : model.shadowed) !== JSON.stringify(realShadowed)) {
          problems.push(`${key}: shadowed — botocore (by removal) ${JSON.stringify(realShadowed)}, the model ${JSON.stringify(model.shadowed)}`)
        }
      }
    }
    expect(problems).toEqual([])
    console.log(`botocore/CLI agreement (AWS_PROFILE ${awsProfile}, IMDS disabled ${imdsDisabled}): 256 worlds in ${Date.now() - started} ms`)
  }, 300_000)

  it('the fault catalogue: each fault world, the winning provider or the error, and the credentials fetched', async () => {
    // The CLI 2.9 needs the IMDS endpoint's trailing slash: give it (and botocore) one, so the faults are what is measured.
    let imds = ''
    {
      await using probe = await createCredentialWorld()
      imds = probe.endpoints.imds + '/'
    }
    const problems: string[] = []
    for (const { label, spec } of faultWorlds()) {
      // one world per oracle (a fault that answers `times` requests would otherwise be spent by the other), judged while it is active
      const inWorld = async <T>(oracle: PythonOracle | undefined, judge: (world: CredentialWorld, answer: OracleAnswer, facts: SdkFacts) => T): Promise<T | undefined> => {
        if (!oracle) return undefined
        await using world = await createCredentialWorld({ ...spec, vars: { ...(spec.vars ?? {}), AWS_EC2_METADATA_SERVICE_ENDPOINT: imds } })
        const answer = await oracle.ask(world.env)
        if (answer.refused || answer.refusedConnections) problems.push(`${label}: the oracle refused to leave loopback: ${answer.refused ?? answer.refusedConnections!.join(', ')}`)
        return judge(world, answer, await sdkFactsOfActiveWorld())
      }
      await inWorld(botocore, (world, b, facts) => {
        const model = modelChainFor('botocore', facts)
        const realMethod = realOutcome(b, 'method')
        const source = b.accessKeyId ? world.identityOf(b.accessKeyId)?.source : undefined
        const agreed = realMethod === outcomeOfReport(model) && (!b.accessKeyId || source === model.winner)
        if (!agreed) problems.push(`${label}: botocore picks ${realMethod}${b.error || b.fetchError ? ` (${b.error ?? b.fetchError})` : ''} (${source ?? 'no key'}), the model ${outcomeOfReport(model)} (${model.winner ?? 'none'}) — ${JSON.stringify(spec)}`)
        count('botocore', 'fault catalogue', agreed)
      })
      await inWorld(cli, (_world, c, facts) => {
        const modelType = configureListType(modelChainFor('aws-cli-v2', facts))
        const expected = 'error' in modelType ? 'error' : (modelType.type ?? 'none')
        const got = realOutcome(c, 'type')
        if (got !== expected) problems.push(`${label}: aws configure list shows Type ${got}${c.error || c.fetchError ? ` (${c.error ?? c.fetchError})` : ''}, the model ${expected} — ${JSON.stringify(spec)}`)
        count('aws-cli-v2', 'fault catalogue', got === expected)
      })
    }
    const worlds = tally.botocore.get('fault catalogue')?.worlds ?? tally['aws-cli-v2'].get('fault catalogue')?.worlds ?? 0
    console.log(`botocore/CLI agreement on the fault catalogue: ${worlds} worlds, ${problems.length} disagreements${problems.length ? '\n  ' + problems.join('\n  ') : ''}`)
    // the bar is on the whole run (generated space and fault catalogue), as for the other SDKs
    for (const sdk of ['botocore', 'aws-cli-v2'] as const) {
      const rows = [...tally[sdk].values()]
      const total = rows.reduce((n, r) => n + r.worlds, 0)
      if (total) expect(rows.reduce((n, r) => n + r.agreed, 0) / total, problems.join('\n')).toBeGreaterThanOrEqual(0.995)
    }
  }, 300_000)
})
