import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { z } from 'zod'
import { ChainproofError } from '../errors.js'
import { toSource } from '../chain/sources.js'
import { SOURCES, SOURCE_ALIASES, type Source, type WorldSpec } from '../types.js'
import { WORLD_SPEC_FIELDS, chainproofWording, parseWorldSpec } from './spec.js'
import { fieldsAt, unknownFieldsMessage } from './suggest.js'

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
  /** Empty when the file expects nothing (a bare WorldSpec, or no "expect" field). */
  expect: ScenarioExpectation
  file?: string
}

const sourceName = z.string().refine((v) => toSource(v) !== undefined, {
  message: `expected a source name: ${SOURCES.join(', ')} (or an alias: ${Object.keys(SOURCE_ALIASES).join(', ')})`,
})

const expectSchema = z
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
  })

const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1, 'name must not be empty').optional(),
  description: z.string().optional(),
  spec: z.unknown().optional(),
  // optional: serve and exec only run the world, and explain then reports without checking
  expect: expectSchema.optional(),
})

const SCENARIO_FIELDS = Object.keys(scenarioSchema.shape)

/** Whether a file holds a bare WorldSpec (`{ "instanceProfile": … }`) rather than a scenario (`{ "spec": …, "expect": … }`). */
function isBareWorldSpec(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false
  const keys = Object.keys(input)
  return keys.length > 0 && !keys.includes('spec') && !keys.includes('expect') && keys.some((k) => WORLD_SPEC_FIELDS.includes(k))
}

/**
 * Validates a scenario object; `where` (a file path) is named in every error, and every problem
 * — the scenario's own fields and its spec's — is reported at once. A bare WorldSpec (no "spec"
 * or "expect" field) is a scenario with nothing expected.
 */
export function parseScenario(input: unknown, where = 'scenario'): Scenario {
  if (isBareWorldSpec(input)) return { name: where, spec: parseWorldSpec(input, `scenario ${where} (a bare WorldSpec)`), expect: {} }
  const result = scenarioSchema.safeParse(input)
  const lines: string[] = []
  if (!result.success) {
    for (const i of result.error.issues) {
      let message = chainproofWording(i)
      if (i.code === 'unrecognized_keys' && i.path.length === 0) {
        const misplaced = i.keys.filter((k) => WORLD_SPEC_FIELDS.includes(k))
        const others = i.keys.filter((k) => !WORLD_SPEC_FIELDS.includes(k))
        const parts = [
          ...(misplaced.length ? [`${misplaced.map((k) => JSON.stringify(k)).join(', ')} ${misplaced.length > 1 ? 'are WorldSpec fields' : 'is a WorldSpec field'}: put ${misplaced.length > 1 ? 'them' : 'it'} inside "spec"`] : []),
          ...(others.length ? [unknownFieldsMessage(others, SCENARIO_FIELDS)] : []),
        ]
        message = parts.join('; ')
      } else if (i.code === 'unrecognized_keys') {
        message = unknownFieldsMessage(i.keys, fieldsAt(scenarioSchema, i.path))
      }
      lines.push(`  - ${i.path.map(String).join('.') || '(root)'}: ${message}`)
    }
  }
  // the spec's own problems in the same message, so the file is fixed in one pass
  const rawSpec = typeof input === 'object' && input !== null ? (input as { spec?: unknown }).spec : undefined
  let spec: WorldSpec | undefined
  try {
    spec = parseWorldSpec(rawSpec ?? {}, `scenario ${where}, field "spec"`)
  } catch (error) {
    if (!(error instanceof ChainproofError)) throw error
    lines.push(...error.message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, '  - spec.').replace('spec.(root)', 'spec')))
  }
  if (lines.length || !result.success || !spec) throw new ChainproofError(`Invalid scenario ${where}:\n${lines.join('\n')}`)
  const data = result.data
  const expectation: ScenarioExpectation = {}
  const e = data.expect
  if (e?.source !== undefined) expectation.source = toSource(e.source)!
  if (e?.profile !== undefined) expectation.profile = e.profile
  if (e?.role !== undefined) expectation.role = e.role
  if (e?.principal !== undefined) expectation.principal = e.principal
  if (e?.shadowed !== undefined) expectation.shadowed = e.shadowed.map((s) => toSource(s)!)
  if (e?.fails !== undefined) expectation.fails = e.fails
  const scenario: Scenario = { name: data.name ?? where, spec, expect: expectation }
  if (data.description !== undefined) scenario.description = data.description
  return scenario
}

/** Whether a scenario says what its world resolves to (a bare WorldSpec, or a file without "expect", does not). */
export function hasExpectation(scenario: Scenario): boolean {
  return scenario.expect.source !== undefined || scenario.expect.fails !== undefined
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
  const scenario = parseScenario(json, file)
  if (!(json && typeof json === 'object' && 'name' in json)) scenario.name = name
  scenario.file = file
  return scenario
}
