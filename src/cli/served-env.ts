/**
 * What `chainproof serve` prints of a world's environment, and what `chainproof exec` hands a
 * child. Secrets are never printed; and no output, once sourced or loaded, gives a tool partial
 * credentials (an access key id without its secret makes botocore raise PartialCredentialsError,
 * a container URL without its token is refused).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HOME_VARS, KEPT_AWS_VARS } from '../world/sandbox.js'

/** Variables whose values are secrets: never printed, even though the world's env holds them. */
export const WITHHELD_VARIABLES = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const

/** Variables a tool reads together: one withheld member withholds the whole group in formats that cannot read files. */
const GROUPS: readonly (readonly string[])[] = [
  ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_ACCOUNT_ID'],
  ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'],
]

/** `scheme://user:password@host` — a URL that carries credentials. */
const URL_WITH_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s@?#]+)@/gi

/** Every URL in text with its user and password replaced by `****`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_WITH_USERINFO, '$1****@')
}

function isWithheld(name: string, value: string): boolean {
  return (WITHHELD_VARIABLES as readonly string[]).includes(name) || maskUrlCredentials(value) !== value
}

export interface ServedEnv {
  /** Variables printed as they are. */
  printed: Record<string, string>
  /** Withheld variables: secrets, and any value with a URL's user and password. */
  secret: Record<string, string>
  /** Variables left out of formats that cannot read files (dotenv, json): every group with a withheld member, whole. */
  omitted: string[]
}

/** Splits a world's env into what may be printed and what is withheld. */
export function splitServedEnv(env: Readonly<Record<string, string>>): ServedEnv {
  const printed: Record<string, string> = {}
  const secret: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) (isWithheld(name, value) ? secret : printed)[name] = value
  const omitted = new Set(Object.keys(secret))
  for (const group of GROUPS) if (group.some((name) => name in secret)) for (const name of group) if (name in env) omitted.add(name)
  return { printed, secret, omitted: Object.keys(env).filter((name) => omitted.has(name)) }
}

/**
 * Writes each withheld value to its own file (0600, in a 0700 directory) under the world's
 * sandbox HOME, which the world removes when it is disposed. `--format env` prints
 * `export NAME="$(cat <file>)"` for them, so a sourcing shell gets every credential and the
 * output none.
 */
export async function writeSecretFiles(home: string, secret: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const dir = join(home, '.chainproof', 'served')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
  const files: Record<string, string> = {}
  for (const [name, value] of Object.entries(secret)) {
    const file = join(dir, name)
    await writeFile(file, value, { mode: 0o600 })
    files[name] = file
  }
  return files
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

export function dotenvValue(value: string): string {
  return /^[\w./:@%+,=-]*$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** Inherited variables that carry this kit's own secrets: removed. */
const DROPPED_VARIABLES = ['CHAINPROOF_CONTROL_TOKEN']

/**
 * The environment of a command run inside a world: what the caller's process has, minus every
 * inherited `AWS_*` variable and the home variables (so the machine's own credentials can never
 * win), plus the world's full env — secrets included, handed to the child only.
 */
export function childEnvironment(inherited: Readonly<Record<string, string | undefined>>, world: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(inherited)) {
    if (value === undefined) continue
    if (name.startsWith('AWS_') && !KEPT_AWS_VARS.includes(name)) continue
    if (HOME_VARS.includes(name) || DROPPED_VARIABLES.includes(name)) continue
    env[name] = value
  }
  return Object.assign(env, world)
}
