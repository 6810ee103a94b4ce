/**
 * explainChain({ sdk?, env?, probe? }): the world's report when a world is active, otherwise
 * the static model of an environment, probing its remote endpoints only when asked.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChainproofError, createCredentialWorld, explainChain } from '../../src/index.js'

const verdict = (r: { winner?: string; shadowed: string[]; links: { status: string }[] }) => ({ winner: r.winner, shadowed: r.shadowed, statuses: r.links.map((l) => l.status) })

describe('explainChain', () => {
  it('with an active world and no env: the world’s own report', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    expect(verdict(await explainChain())).toEqual(verdict(await world.explain()))
    expect(String(await explainChain())).toContain('user ci (****************') // the probe's words: it ran the SDK's links
  })

  it('with env: the static model of that environment; its endpoints are asked only with probe: true', async () => {
    await using world = await createCredentialWorld({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const modelled = await explainChain({ env: { ...world.env } })
    expect(verdict(modelled)).toMatchObject({ winner: 'env', shadowed: [] })
    expect(modelled.links[6]).toEqual({ source: 'instanceProfile', name: 'fromInstanceMetadata', status: 'absent', reason: 'the instance metadata service was not probed' })
    expect(world.requests).toEqual([])

    const probed = await explainChain({ env: { ...world.env }, probe: true })
    expect(verdict(probed)).toEqual(verdict(await world.explain()))
    expect(world.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /latest/api/token', 'GET /latest/meta-data/iam/security-credentials/'])
  })

  it('with no world: the given environment alone, its shared files read from its HOME', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chainproof-explain-chain-test-'))
    try {
      const report = await explainChain({ env: { HOME: home, AWS_PROFILE: 'nowhere', AWS_EC2_METADATA_DISABLED: 'true' } })
      expect(verdict(report)).toEqual({ winner: undefined, shadowed: [], statuses: ['skipped', 'absent', 'absent', 'absent', 'absent', 'absent', 'skipped'] })
      expect(report.links[2]!.reason).toBe(`profile "nowhere" (AWS_PROFILE) has no usable credentials in ${home}/.aws/credentials or ${home}/.aws/config`)
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })

  it("models another SDK's chain on request, and names the valid SDKs for an unknown one", async () => {
    const botocore = await explainChain({ sdk: 'botocore', env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'x', AWS_PROFILE: 'nowhere', HOME: '/nonexistent' } })
    expect(botocore.sdk).toBe('botocore')
    await expect(explainChain({ sdk: 'js-v3', env: {} })).resolves.toMatchObject({ sdk: 'js-v3' })
    const error = await explainChain({ sdk: 'ruby' as never, env: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainproofError)
    expect((error as Error).message).toMatchInlineSnapshot(`"explainChain({ sdk: "ruby" }): unknown SDK; use one of "js-v3", "js-v3@<3.616", "js-v2", "ruby-v3", "java-v1", "java-v2", "php-v3", "botocore", "aws-cli-v2", "go-v2", "go-v2@1.17"."`)
  })
})
