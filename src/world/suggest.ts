/**
 * "Did you mean …?" for unknown fields: the closest known field at that place in the schema,
 * by edit distance (transpositions count once) or by case alone.
 */
import type { z } from 'zod'

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** The known name closest to `unknown`: the same but for case, or within 2 edits (1 for names of 4 letters or fewer). */
export function closest(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase()
  const sameCase = known.find((k) => k.toLowerCase() === lower)
  if (sameCase) return sameCase
  const limit = unknown.length <= 4 ? 1 : 2
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase())
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

type AnySchema = z.ZodType & { _zod?: { def?: Record<string, unknown> }; shape?: Record<string, AnySchema> }

function defOf(schema: AnySchema | undefined): Record<string, unknown> | undefined {
  return schema?._zod?.def
}

/** The schemas a value at this schema may be, optionals, nullables, defaults, pipes and unions unwrapped. */
function variants(schema: AnySchema | undefined, depth = 0): AnySchema[] {
  const def = defOf(schema)
  if (!schema || !def || depth > 8) return []
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
      return variants(def.innerType as AnySchema, depth + 1)
    case 'pipe':
      return variants(def.in as AnySchema, depth + 1)
    case 'union':
      return (def.options as AnySchema[]).flatMap((option) => variants(option, depth + 1))
    case 'lazy':
      return variants((def.getter as () => AnySchema)(), depth + 1)
    default:
      return [schema]
  }
}

/** The field names an object at `path` of `schema` may have (records and arrays stepped through). */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: AnySchema[] = variants(schema as AnySchema)
  for (const step of path) {
    const next: AnySchema[] = []
    for (const s of current) {
      const def = defOf(s)
      if (def?.type === 'object' && s.shape && typeof step === 'string' && Object.hasOwn(s.shape, step)) next.push(...variants(s.shape[step]))
      else if (def?.type === 'record') next.push(...variants(def.valueType as AnySchema))
      else if (def?.type === 'array' && typeof step === 'number') next.push(...variants(def.element as AnySchema))
    }
    current = next
  }
  return [...new Set(current.flatMap((s) => (defOf(s)?.type === 'object' && s.shape ? Object.keys(s.shape) : [])))]
}

/** `unknown field "instanceProfle" — did you mean "instanceProfile"?` for each unknown key. */
export function unknownFieldsMessage(keys: readonly string[], known: readonly string[]): string {
  const parts = keys.map((key) => {
    const suggestion = closest(key, known)
    return suggestion ? `${JSON.stringify(key)} — did you mean ${JSON.stringify(suggestion)}?` : JSON.stringify(key)
  })
  const anySuggested = parts.some((p) => p.includes('did you mean'))
  const list = known.length && !anySuggested ? ` (known here: ${known.join(', ')})` : ''
  return `unknown field${keys.length > 1 ? 's' : ''} ${parts.join(', ')}${list}`
}
