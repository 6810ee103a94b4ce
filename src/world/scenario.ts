import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { z } from 'zod'
import { ChainproofError } from '../errors.js'
import { toSource } from '../chain/sources.js'
import { SOURCES, SOURCE_ALIASES, type Source, type WorldSpec } from '../types.js'
import { parseWorldSpec } from './spec.js'

/** What a scenario says its world must resolve to. */
export interface ScenarioExpectation {
  source?: Source
  profile?: string
  role?: string
  principal?: string
  shadowed?: Source[]
  /** The resolution must fail, with a message matching this text (a substring). */
  fails?: string
}

/** A scenario file: a WorldSpec plus what it should resolve to. */
export interface Scenario {
  name: string
  description?: string
  spec: WorldSpec
  expect: ScenarioExpectation
  file?: string
}

const sourceName = z.string().refine((v) => toSource(v) !== undefined, {
  message: `expected a source name: ${SOURCES.join(', ')} (or an alias: ${Object.keys(SOURCE_ALIASES).join(', ')})`,
})

const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  spec: z.unknown(),
  expect: z
    .strictObject({
      source: sourceName.optional(),
      profile: z.string().optional(),
      role: z.string().optional(),
      principal: z.string().optional(),
      shadowed: z.array(sourceName).optional(),
      fails: z.string().optional(),
    })
    .refine((e) => (e.source !== undefined) !== (e.fails !== undefined), {
      message: 'say either what the world resolves to ("source") or that it fails ("fails"), not both or neither',
    }),
})

/** Validates a scenario object; `where` (a file path) is named in every error. */
export function parseScenario(input: unknown, where = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input)
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const message =
        i.code === 'unrecognized_keys'
          ? `unknown field ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`
          : i.code === 'invalid_key'
            ? i.issues.map((inner) => inner.message).join('; ')
            : i.message
      return `  - ${i.path.map(String).join('.') || '(root)'}: ${message}`
    })
    throw new ChainproofError(`Invalid scenario ${where}:\n${lines.join('\n')}`)
  }
  const data = result.data
  const spec = parseWorldSpec(data.spec ?? {}, `scenario ${where}, field "spec"`)
  const expectation: ScenarioExpectation = {}
  const e = data.expect
  if (e.source !== undefined) expectation.source = toSource(e.source)!
  if (e.profile !== undefined) expectation.profile = e.profile
  if (e.role !== undefined) expectation.role = e.role
  if (e.principal !== undefined) expectation.principal = e.principal
  if (e.shadowed !== undefined) expectation.shadowed = e.shadowed.map((s) => toSource(s)!)
  if (e.fails !== undefined) expectation.fails = e.fails
  const scenario: Scenario = { name: data.name ?? where, spec, expect: expectation }
  if (data.description !== undefined) scenario.description = data.description
  return scenario
}

/** Reads and validates a scenario file (JSON). Errors name the file and the field. */
export async function loadScenario(path: string): Promise<Scenario> {
  const file = resolve(path)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ChainproofError(`cannot read scenario file ${file}: ${(error as Error).message}`)
  }
  let json: unknown
  try {
    // a UTF-8 byte order mark (Windows editors write one) is not part of the JSON
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new ChainproofError(`scenario file ${file} is not valid JSON: ${(error as Error).message}`)
  }
  const name = file.split(/[\\/]/).pop()!.replace(/\.json$/, '')
  const scenario = parseScenario(json && typeof json === 'object' && !('name' in json) ? { ...json, name } : json, file)
  scenario.file = file
  return scenario
}
