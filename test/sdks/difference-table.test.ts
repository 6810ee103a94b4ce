/**
 * "Same machine, different SDKs": one world per row of REFERENCE.md's difference table (and
 * per difference the real botocore and AWS CLI showed beyond it), each SDK's model asserted.
 * Where the real botocore / CLI are installed, they are asked about the very same world and
 * must agree with their models (CHAINPROOF_REQUIRE_ORACLES=1 makes their absence a failure).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { COMPARED_SDKS, compareSdks, configureListType, formatSdkComparison, modelChainFor } from '../../src/chain/sdks/index.js'
import type { CredentialWorld, SdkName, Source, WorldSpec } from '../../src/types.js'
import { type OracleAnswer, PythonOracle, oracleGates } from './support/python-oracle.js'
import { sdkFactsOfActiveWorld } from './support/world-facts.js'

type Compared = (typeof COMPARED_SDKS)[number]
type Outcome = Source | 'error'

let endpoints: CredentialWorld['endpoints']
const gates = oracleGates('difference table')
const botocoreGate = gates.botocore
const cliGate = gates.cli
let botocore: PythonOracle | undefined
let cli: PythonOracle | undefined

beforeAll(async () => {
  // The loopback servers start once per worker: a first world tells their addresses.
  await using probe = await createCredentialWorld()
  endpoints = probe.endpoints
  if (!botocoreGate.skip) botocore = new PythonOracle('botocore')
  if (!cliGate.skip) cli = new PythonOracle('cli')
})
afterAll(async () => {
  await Promise.all([botocore?.close(), cli?.close()])
})

/** IMDS with a trailing slash, as every world writes it: the CLI 2.9.19 needs it (see the last extra row). */
const imdsVars = () => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoints.imds + '/' })
const all = (outcome: Outcome): Record<Compared, Outcome> => Object.fromEntries(COMPARED_SDKS.map((s) => [s, outcome])) as Record<Compared, Outcome>

interface Row {
  row: string
  spec: () => WorldSpec
  /** Runs after the world is created (moves files, sets variables), returning variables to add for the python oracles. */
  after?: (world: CredentialWorld) => Record<string, string>
  expected: Partial<Record<Compared, Outcome>>
}

const TABLE: Row[] = [
  {
    row: 'AWS_PROFILE + env keys',
    spec: () => ({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } }),
    expected: { ...all('env'), 'js-v3': 'profile' },
  },
  {
    row: 'env web identity + static keys in default profile',
    spec: () => ({ webIdentity: { role: 'irsa' }, profiles: { default: { user: 'old' } } }),
    expected: { ...all('webIdentity'), 'js-v3': 'profile', 'js-v2': 'profile' },
  },
  {
    row: 'env web identity + default profile with role_arn',
    spec: () => ({ webIdentity: { role: 'irsa' }, profiles: { default: { role: 'admin', sourceProfile: 'base' }, base: { user: 'base' } } }),
    expected: { ...all('webIdentity'), botocore: 'profile', 'aws-cli-v2': 'profile', 'js-v3': 'profile' },
  },
  {
    row: 'only AWS_ACCESS_KEY_ID (no secret)',
    spec: () => ({ instanceProfile: { role: 'web' }, vars: { ...imdsVars(), AWS_ACCESS_KEY_ID: 'AKIACHAINPROOFNOSECRET' } }),
    expected: { ...all('instanceProfile'), botocore: 'error', 'aws-cli-v2': 'error' },
  },
  {
    row: 'AWS_ACCESS_KEY / AWS_SECRET_KEY only',
    spec: () => ({ instanceProfile: { role: 'web' }, vars: { ...imdsVars(), AWS_ACCESS_KEY: 'AKIACHAINPROOFALTKEY', AWS_SECRET_KEY: 'chainproof-example-not-a-secret' } }),
    expected: { ...all('instanceProfile'), 'java-v1': 'env', 'go-v2': 'env', 'ruby-v3': 'env' },
  },
  {
    row: 'AWS_SHARED_CREDENTIALS_FILE',
    spec: () => ({ profiles: { default: { user: 'alice' } }, instanceProfile: { role: 'web' }, vars: imdsVars() }),
    after: (world) => {
      // The keys live only in the file AWS_SHARED_CREDENTIALS_FILE names.
      const moved = join(world.home, 'elsewhere', 'credentials')
      mkdirSync(join(world.home, 'elsewhere'))
      writeFileSync(moved, readFileSync(join(world.home, '.aws', 'credentials')))
      rmSync(join(world.home, '.aws', 'credentials'))
      process.env.AWS_SHARED_CREDENTIALS_FILE = moved
      return { AWS_SHARED_CREDENTIALS_FILE: moved }
    },
    expected: { ...all('profile'), 'java-v1': 'instanceProfile' },
  },
  {
    row: 'container endpoint fails',
    spec: () => ({ instanceProfile: { role: 'web' }, vars: { ...imdsVars(), AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoints.container}/v2/credentials/none` } }),
    // PHP and Ruby (these releases) ignore FULL_URI altogether and ask IMDS: the table's "—"; JS v2 falls through every error.
    expected: { ...all('error'), 'java-v2': 'instanceProfile', 'php-v3': 'instanceProfile', 'ruby-v3': 'instanceProfile', 'js-v2': 'instanceProfile' },
  },
]

/** Differences the real botocore and CLI showed beyond the table. */
const FOUND: Row[] = [
  {
    row: 'AWS_PROFILE names a profile that does not exist (env keys set)',
    spec: () => ({ env: { user: 'ci' }, profile: 'ghost', instanceProfile: { role: 'web' }, vars: imdsVars() }),
    expected: { ...all('env'), botocore: 'error', 'aws-cli-v2': 'error', 'js-v3': 'instanceProfile' },
  },
  {
    row: 'one profile section with keys, credential_process and SSO',
    spec: () => ({ profiles: { default: { user: 'old', process: { user: 'tool' }, sso: { role: 'Dev' } } } as WorldSpec['profiles'] }),
    expected: { 'js-v3': 'profile', botocore: 'sso', 'aws-cli-v2': 'sso', 'java-v2': 'sso', 'go-v2': 'profile', 'java-v1': 'profile', 'php-v3': 'profile' },
  },
  {
    row: 'container authorization token in a file (EKS Pod Identity)',
    spec: () => ({ container: { role: 'pod', authToken: 'file' }, instanceProfile: { role: 'web' }, vars: imdsVars() }),
    expected: { 'js-v3': 'container', botocore: 'error', 'aws-cli-v2': 'error', 'go-v2': 'container', 'php-v3': 'instanceProfile' },
  },
  {
    row: 'AWS_EC2_METADATA_SERVICE_ENDPOINT without a trailing slash',
    // worlds write it with the slash; this row takes it away
    spec: () => ({ instanceProfile: { role: 'web' }, vars: { AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoints.imds.replace(/\/$/, '') } }),
    expected: { ...all('instanceProfile'), 'aws-cli-v2': 'error' },
  },
]

function realOutcome(world: CredentialWorld, answer: OracleAnswer, field: 'method' | 'type'): string {
  if (answer.error || answer.fetchError) return 'error'
  return answer[field] ?? 'none'
}

describe.each([
  ['REFERENCE.md difference table', TABLE],
  ['found by running botocore and the CLI', FOUND],
] as const)('same machine, different SDKs — %s', (_, rows) => {
  it.each(rows.map((r) => [r.row, r]))('%s', async (_name, row) => {
    await using world = await createCredentialWorld(row.spec())
    const extraEnv = row.after?.(world) ?? {}
    const facts = await sdkFactsOfActiveWorld()
    const comparison = compareSdks(facts)
    const got = Object.fromEntries(comparison.rows.map((r) => [r.sdk, r.winner ?? 'error']))
    const asserted = Object.fromEntries(Object.keys(row.expected).map((sdk) => [sdk, got[sdk]]))
    expect(asserted, formatSdkComparison(comparison)).toEqual(row.expected)

    const env = { ...world.env, ...extraEnv }
    const [b, c] = await Promise.all([botocore?.ask(env), cli?.ask(env)])
    for (const answer of [b, c]) expect(answer?.refused ?? answer?.refusedConnections ?? null).toBeNull()
    if (b) {
      const model = modelChainFor('botocore', facts)
      const won = model.links.find((l) => l.status === 'won')?.name ?? 'error'
      expect(realOutcome(world, b, 'method'), `botocore: ${JSON.stringify({ ...b, accessKeyId: undefined })}\n${String(model)}`).toBe(won)
      if (b.accessKeyId && world.identityOf(b.accessKeyId)) expect(world.identityOf(b.accessKeyId)!.source).toBe(model.winner)
    }
    if (c) {
      const model = modelChainFor('aws-cli-v2', facts)
      const type = configureListType(model)
      expect(realOutcome(world, c, 'type'), `aws configure list: ${JSON.stringify(c)}\n${String(model)}`).toBe('error' in type ? 'error' : (type.type ?? 'none'))
    }
  }, 30_000)
})

describe('reports of the other SDKs', () => {
  it('explain(target, { sdk }) works for every SdkName, in that SDK’s words, citing its release', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    const names: Record<SdkName, string> = {
      'js-v3': 'fromEnv',
      'js-v3@<3.616': 'fromEnv',
      'js-v2': "EnvironmentCredentials('AWS')",
      'ruby-v3': 'env_credentials',
      'java-v1': 'EnvironmentVariableCredentialsProvider',
      'java-v2': 'EnvironmentVariableCredentialsProvider',
      'php-v3': 'env',
      botocore: 'env',
      'aws-cli-v2': 'env',
      'go-v2': 'EnvConfig.Credentials',
      'go-v2@1.17': 'EnvConfig.Credentials',
    }
    for (const [sdk, envLink] of Object.entries(names) as [SdkName, string][]) {
      const report = await world.explain(undefined, { sdk })
      expect(report.sdk).toBe(sdk)
      expect(report.links.map((l) => l.name)).toContain(envLink)
      if (sdk !== 'js-v3') {
        expect(report.release, sdk).toBeTruthy()
        expect(String(report).split('\n')[0]).toContain(`(${sdk}: ${report.release})`)
      }
    }
    await expect(world.explain(undefined, { sdk: 'ruby-v2' as SdkName })).rejects.toThrow(/unknown SDK\. Valid names: js-v3, js-v3@<3\.616, js-v2, ruby-v3, java-v1/)
  })

  it('Java, PHP and Go say they are modelled from source, not run; botocore and the CLI that they are checked', async () => {
    await using world = await createCredentialWorld({ instanceProfile: { role: 'web' } })
    for (const sdk of ['java-v1', 'java-v2', 'php-v3', 'go-v2'] as const) {
      const report = await world.explain(undefined, { sdk })
      expect(report.modelledFrom).toBe('source')
      expect(report.hints[0]).toMatch(/^Modelled from the source of .+, not run/)
      expect(String(report).split('\n')[1]).toMatch(/^ {2}Modelled from the SDK's source, not run: /)
    }
    for (const sdk of ['botocore', 'aws-cli-v2'] as const) {
      const report = await world.explain(undefined, { sdk })
      expect(report.modelledFrom).toBe('run')
      expect(String(report).split('\n')[1]).toMatch(/^ {2}Model checked against the real SDK: /)
    }
  })

  it('hints speak each SDK’s language', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    const hint = async (sdk: SdkName) => (await world.explain(undefined, { sdk })).hints.join('\n')
    expect(await hint('botocore')).toContain('boto3.Session(profile_name="dev")')
    expect(await hint('aws-cli-v2')).toContain('aws --profile dev')
    expect(await hint('java-v1')).toContain('new ProfileCredentialsProvider("dev")')
    expect(await hint('java-v2')).toContain('ProfileCredentialsProvider.create("dev")')
    expect(await hint('java-v2')).toContain('-Daws.accessKeyId')
    expect(await hint('go-v2')).toContain('config.WithSharedConfigProfile("dev")')
    expect(await hint('php-v3')).toContain(`'profile' => 'dev'`)
    expect(await hint('botocore')).toContain('To use profile instead of env: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.')
  })

  it('botocore: an explicit profile (boto3.Session(profile_name=…)) removes the env provider', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profiles: { dev: { user: 'dev' } } })
    const facts = await sdkFactsOfActiveWorld()
    expect(modelChainFor('botocore', facts).winner).toBe('env')
    const explicit = modelChainFor('botocore', facts, { profileName: 'dev' })
    expect(explicit.winner).toBe('profile')
    expect(explicit.links[0]).toMatchObject({ name: 'env', status: 'skipped' })
    void world
  })

  it('formats the side-by-side comparison as text and markdown', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, profile: 'dev', profiles: { dev: { user: 'dev' } } })
    const comparison = compareSdks(await sdkFactsOfActiveWorld())
    expect(comparison.disagreements).toEqual(['js-v3 resolves profile (fromIni), while js-v2, ruby-v3, java-v1, java-v2, php-v3, botocore, aws-cli-v2, go-v2 resolve env'])
    expect(formatSdkComparison(comparison)).toMatchInlineSnapshot(`
      "Same machine, different SDKs
        sdk         winner   link                                    shadowed  model
        ----------  -------  --------------------------------------  --------  ----------------------------  -
        js-v3       profile  fromIni                                 —         checked against the real SDK  ≠
        js-v2       env      EnvironmentCredentials('AWS')           profile   checked against the real SDK
        ruby-v3     env      env_credentials                         profile   checked against the real SDK
        java-v1     env      EnvironmentVariableCredentialsProvider  profile   from source, not run
        java-v2     env      EnvironmentVariableCredentialsProvider  profile   from source, not run
        php-v3      env      env                                     profile   from source, not run
        botocore    env      env                                     profile   checked against the real SDK
        aws-cli-v2  env      env                                     profile   checked against the real SDK
        go-v2       env      EnvConfig.Credentials                   profile   from source, not run
      Disagreements (1):
        ≠ js-v3 resolves profile (fromIni), while js-v2, ruby-v3, java-v1, java-v2, php-v3, botocore, aws-cli-v2, go-v2 resolve env
      Why:
        js-v2: EnvironmentCredentials('AWS') won — AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set (AWS_PROFILE=dev does not change that in v2)
        js-v3: fromIni won — profile "dev" (AWS_PROFILE): static keys"
    `)
    expect(formatSdkComparison(comparison.rows, { format: 'markdown' })).toMatchInlineSnapshot(`
      "| SDK | winner | link | shadowed | model | |
      | --- | --- | --- | --- | --- | --- |
      | js-v3 | \`profile\` | \`fromIni\` | — | checked against the real SDK | **≠** |
      | js-v2 | \`env\` | \`EnvironmentCredentials('AWS')\` | profile | checked against the real SDK |  |
      | ruby-v3 | \`env\` | \`env_credentials\` | profile | checked against the real SDK |  |
      | java-v1 | \`env\` | \`EnvironmentVariableCredentialsProvider\` | profile | from source, not run |  |
      | java-v2 | \`env\` | \`EnvironmentVariableCredentialsProvider\` | profile | from source, not run |  |
      | php-v3 | \`env\` | \`env\` | profile | from source, not run |  |
      | botocore | \`env\` | \`env\` | profile | checked against the real SDK |  |
      | aws-cli-v2 | \`env\` | \`env\` | profile | checked against the real SDK |  |
      | go-v2 | \`env\` | \`EnvConfig.Credentials\` | profile | from source, not run |  |

      **1 SDK disagrees:**

      - js-v3 resolves profile (fromIni), while js-v2, ruby-v3, java-v1, java-v2, php-v3, botocore, aws-cli-v2, go-v2 resolve env

      **Why:**

      - js-v2: EnvironmentCredentials('AWS') won — AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set (AWS_PROFILE=dev does not change that in v2)
      - js-v3: fromIni won — profile "dev" (AWS_PROFILE): static keys"
    `)
    void world
  })
})
