/**
 * What each SDK does about each fault of the catalogue, as its model says — the models the
 * agreement suites check against the real SDKs on these very worlds (test/sdks/js-v2, ruby-v3,
 * go-v2, botocore; java-v2 and php-v3 are read from source). The table in docs/faults.md is this
 * test's output: it fails when the two differ, and UPDATE_DOCS=1 rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { modelChainFor } from '../../src/chain/sdks/index.js'
import type { SdkName } from '../../src/types.js'
import { faultWorlds } from '../support/fault-worlds.js'
import { sdkFactsOfActiveWorld } from './support/world-facts.js'

const COLUMNS: [SdkName, string, Record<string, string>][] = [
  ['js-v2', 'JS v2 (AWS_SDK_LOAD_CONFIG=1)', { AWS_SDK_LOAD_CONFIG: '1' }],
  ['ruby-v3', 'Ruby v3', {}],
  ['go-v2@1.17', 'Go v2 1.17', {}],
  ['botocore', 'botocore 1.29', {}],
  ['java-v2', 'Java v2 (source)', {}],
  ['php-v3', 'PHP v3 (source)', {}],
]
const DOC = join(import.meta.dirname, '..', '..', 'docs', 'faults.md')
const REGION = /(<!-- fault-reactions -->\n)[\s\S]*?(\n<!-- \/fault-reactions -->)/

it("docs/faults.md's table of the other SDKs' reactions is what their models say", async () => {
  const lines = [`| fault world | ${COLUMNS.map((c) => c[1]).join(' | ')} |`, `| --- |${COLUMNS.map(() => ' --- |').join('')}`]
  for (const { label, spec } of faultWorlds()) {
    const cells: string[] = []
    for (const [sdk, , vars] of COLUMNS) {
      await using _world = await createCredentialWorld({ ...spec, vars: { ...(spec.vars ?? {}), ...vars } })
      const report = modelChainFor(sdk, await sdkFactsOfActiveWorld())
      cells.push(report.winner ?? (report.links.some((l) => l.status === 'failed' || l.status === 'unreached') ? '**error**' : 'none'))
    }
    lines.push(`| ${label} | ${cells.join(' | ')} |`)
  }
  const table = lines.join('\n')
  const doc = readFileSync(DOC, 'utf8')
  expect(doc, 'docs/faults.md has no <!-- fault-reactions --> region').toMatch(REGION)
  const fresh = doc.replace(REGION, (_whole, open: string, close: string) => `${open}${table}${close}`)
  if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, fresh)
  else expect(doc, 'the reactions table in docs/faults.md is stale: run UPDATE_DOCS=1 npx vitest run test/sdks/fault-reactions.test.ts').toBe(fresh)
}, 60_000)
