import { SOURCES, SOURCE_ALIASES, type Source } from '../types.js'
import { ChainproofError } from '../errors.js'

export function isSource(name: unknown): name is Source {
  return typeof name === 'string' && (SOURCES as readonly string[]).includes(name)
}

/** A canonical source from a canonical name or an alias; undefined when unknown. */
export function toSource(name: unknown): Source | undefined {
  if (isSource(name)) return name
  if (typeof name === 'string' && Object.hasOwn(SOURCE_ALIASES, name)) return SOURCE_ALIASES[name as keyof typeof SOURCE_ALIASES]
  return undefined
}

/** Like {@link toSource}, but an unknown name is an error that lists the valid names. */
export function normalizeSource(name: unknown, where = 'source'): Source {
  const source = toSource(name)
  if (source) return source
  throw new ChainproofError(
    `${where}: unknown credential source ${JSON.stringify(name)}. Valid sources: ${SOURCES.join(', ')} ` +
      `(aliases: ${Object.keys(SOURCE_ALIASES).join(', ')}).`,
  )
}
