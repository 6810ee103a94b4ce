import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A mistake in how the command was called: exit 2, with the command's usage line. */
export class UsageError extends Error {
  override name = 'UsageError'
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message)
  }
}

/** Exit codes, documented in `chainproof --help` and docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** An expectation failed: doctor --expect, explain's scenario expectation, doctor --whoami. */
  mismatch: 1,
  /** Usage or input error: unknown option, unreadable or invalid file, port in use. */
  usage: 2,
} as const

type Options = NonNullable<ParseArgsConfig['options']>

/** node:util parseArgs, strict, with errors turned into UsageErrors that name the command. */
export type ParsedValues<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean }

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, maxPositionals: number): { values: ParsedValues<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] }
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    throw new UsageError(message, command)
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals.slice(maxPositionals).map((p) => JSON.stringify(p)).join(' ')
    throw new UsageError(`unexpected argument${parsed.positionals.length - maxPositionals > 1 ? 's' : ''} ${extra}`, command)
  }
  return { values: parsed.values as ParsedValues<O>, positionals: parsed.positionals }
}

export type OutputFormat = 'text' | 'markdown' | 'json'

/** --format and its --json shorthand. */
export function outputFormat(command: string, values: { format?: string | undefined; json?: boolean | undefined }, allowed: readonly string[] = ['text', 'markdown', 'json']): OutputFormat {
  if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError(`--json and --format ${values.format} contradict each other`, command)
  const format = values.json ? 'json' : (values.format ?? 'text')
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got ${JSON.stringify(format)})`, command)
  return format as OutputFormat
}
