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
import type { Source } from '../../src/types.js'
import { FLAG_SETTINGS, WITH_LOGIN, type Generated, keyOf, shadowedByRemoval, specOf, subsets } from '../support/scenario-space.js'
import { type OracleAnswer, PythonOracle, oracleGates } from './support/python-oracle.js'
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
  beforeAll(async () => {
    if (!botocoreGate.skip) botocore = new PythonOracle('botocore')
    if (!cliGate.skip) cli = new PythonOracle('cli')
    const versions = await Promise.all([botocore?.ready, cli?.ready])
    console.log(`oracles: botocore ${versions[0]?.botocore ?? 'skipped'}, aws-cli ${versions[1]?.cli ?? 'skipped'} (python ${versions[0]?.python ?? versions[1]?.python})`)
  })
  afterAll(async () => {
    await Promise.all([botocore?.close(), cli?.close()])
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
        if (realMethod !== modelOutcome) problems.push(`${key}: botocore picks ${realMethod}${b.error ? ` (${b.error})` : ''}, the model ${modelOutcome}`)
        else if (b.accessKeyId && source !== model.winner) problems.push(`${key}: botocore's credentials are the world's ${source ?? 'unknown key'}, the model's winner is ${model.winner}`)
        real.set(key, realMethod === 'error' ? undefined : source)
        modelled.set(key, { shadowed: model.shadowed, ...(model.winner ? { winner: model.winner } : {}) })
      }
      if (c) {
        const modelType = configureListType(modelChainFor('aws-cli-v2', facts))
        const expected = 'error' in modelType ? 'error' : (modelType.type ?? 'none')
        const got = realOutcome(c, 'type')
        if (got !== expected) problems.push(`${key}: aws configure list shows Type ${got}${c.error ? ` (${c.error})` : ''}, the model ${expected}`)
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
})
