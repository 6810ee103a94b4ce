/**
 * `chainproof capture`: a scenario file of "this machine" (a world) with no secrets, which
 * `explain` turns back into doctor's verdict and loadScenario() replays in a new world.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCredentialWorld, loadScenario } from '../../src/index.js'
import { assertBuilt, itNeverPrintsASecret, machineEnv, normalize, runCli } from './support.js'

let scratch: string
beforeAll(() => {
  assertBuilt()
  scratch = mkdtempSync(join(tmpdir(), 'chainproof-cli-capture-test-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('chainproof capture', () => {
  it('keeps the structure, role ARNs and variable names, and replaces every secret and user by a placeholder', async () => {
    await using world = await createCredentialWorld({
      accountId: '111122223333',
      env: { role: 'ci-session' },
      profile: 'deploy',
      profiles: {
        base: { user: 'alice', region: 'eu-west-1' },
        deploy: { role: 'deployer', sourceProfile: 'base' },
        tools: { process: { user: 'robot' } },
        dev: { sso: { role: 'Developer', accountId: '444455556666' } },
        ops: { role: 'operator', credentialSource: 'Ec2InstanceMetadata' },
        pod: { role: 'arn:aws:iam::555566667777:role/pod', webIdentityTokenFile: true },
      },
      webIdentity: { role: 'irsa', sessionName: 'orders' },
      container: { role: 'task-role', authToken: 'file' },
      instanceProfile: { role: 'web' },
      vars: { AWS_EC2_METADATA_V1_DISABLED: 'true', AWS_DEFAULT_REGION: 'eu-west-1' },
    })
    const { code, stdout, stderr } = await runCli(['capture', '--probe'], machineEnv(world))
    expect([code, stderr]).toEqual([0, ''])
    expect(normalize(stdout, world)).toMatchInlineSnapshot(`
      "{
        "description": "Captured by chainproof capture: profile \\"deploy\\", resolves from profile. No secrets: user names are placeholders.",
        "spec": {
          "region": "us-east-1",
          "env": {
            "role": "captured-role"
          },
          "profile": "deploy",
          "profiles": {
            "base": {
              "region": "eu-west-1",
              "user": "captured-user"
            },
            "deploy": {
              "role": "arn:aws:iam::111122223333:role/deployer",
              "sourceProfile": "base"
            },
            "dev": {
              "sso": {
                "role": "Developer",
                "accountId": "444455556666"
              }
            },
            "ops": {
              "role": "arn:aws:iam::111122223333:role/operator",
              "credentialSource": "Ec2InstanceMetadata"
            },
            "pod": {
              "role": "arn:aws:iam::555566667777:role/pod",
              "webIdentityTokenFile": true
            },
            "tools": {
              "process": {
                "user": "captured-user"
              }
            }
          },
          "webIdentity": {
            "role": "arn:aws:iam::111122223333:role/irsa",
            "sessionName": "orders"
          },
          "container": {
            "role": "task-role",
            "authToken": "file"
          },
          "instanceProfile": {
            "role": "web"
          },
          "vars": {
            "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_EC2_METADATA_V1_DISABLED": "true"
          }
        },
        "expect": {
          "source": "profile",
          "shadowed": [
            "webIdentity",
            "container",
            "instanceProfile"
          ]
        }
      }
      "
    `)
  })

  it('-o writes the file and says how to check it; without --probe nothing is asked', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' }, profiles: { default: { user: 'alice' } } })
    const file = join(scratch, 'machine.json')
    const { code, stdout, stderr } = await runCli(['capture', '-o', file], machineEnv(world))
    expect([code, stdout]).toEqual([0, ''])
    expect(stderr.split(scratch).join('<SCRATCH>')).toBe(`chainproof capture: wrote <SCRATCH>/machine.json (resolves from env); check it with: chainproof explain ${file}\n`.split(scratch).join('<SCRATCH>'))
    expect(world.requests).toEqual([])
    const captured = JSON.parse(readFileSync(file, 'utf8'))
    // IMDS was not asked, so the capture knows of no instance role, and says so by leaving it out.
    expect(captured.spec).toEqual({ region: 'us-east-1', env: { user: 'captured-user' }, profiles: { default: { user: 'captured-user' } } })
    expect(captured.expect).toEqual({ source: 'env', shadowed: ['profile'] })
    const explained = await runCli(['explain', file], { PATH: process.env.PATH ?? '' })
    expect(explained.code).toBe(0)
  })

  it('keeps what a spec cannot say as raw ini: an SSO session without a cached token still stops the chain', async () => {
    await using world = await createCredentialWorld({
      profile: 'stale',
      files: { config: '[profile stale]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n' },
    })
    const capture = await runCli(['capture', '--probe'], machineEnv(world))
    const captured = JSON.parse(capture.stdout)
    expect(captured.spec.files).toEqual({
      config: '[profile stale]\nsso_session = captured-stale\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n[sso-session captured-stale]\nsso_start_url = https://captured-stale.awsapps.invalid/start\nsso_region = us-east-1\n',
    })
    const file = join(scratch, 'stale.json')
    writeFileSync(file, capture.stdout)
    const doctor = JSON.parse((await runCli(['doctor', '--probe', '--json'], machineEnv(world))).stdout)
    const explained = JSON.parse((await runCli(['explain', '--json', file], { PATH: process.env.PATH ?? '' })).stdout)
    expect(doctor.links[2].status).toBe('failed')
    expect([explained.winner, explained.shadowed, explained.links[2].status]).toEqual([doctor.winner, doctor.shadowed, 'failed'])
    expect(explained.matches).toBe(true)
  })
})

itNeverPrintsASecret()
