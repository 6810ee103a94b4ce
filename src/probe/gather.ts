import { createHash } from 'node:crypto'
import { accessSync, constants, readFileSync } from 'node:fs'
import { fileStamp } from '../world/sandbox.js'
import { join } from 'node:path'
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader'
import { type ChainFacts, type ProfileSettings, isSet } from '../chain/facts.js'
import { REGISTRY } from '../sources/index.js'
import { type FileStamps, rememberStamps } from './stamps.js'

export { type FileStamps, stampsOf } from './stamps.js'


/** The home directory as the SDK computes it from an environment (HOME, USERPROFILE, HOMEDRIVE+HOMEPATH). */
export function homeOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (isSet(env.HOME)) return env.HOME
  if (isSet(env.USERPROFILE)) return env.USERPROFILE
  if (isSet(env.HOMEPATH)) return `${env.HOMEDRIVE ?? 'C:\\'}${env.HOMEPATH}`
  return undefined
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK)
    return true
  } catch {
    return false
  }
}

function ssoTokenValid(home: string, session: string): boolean {
  try {
    const file = join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(session).digest('hex')}.json`)
    const token = JSON.parse(readFileSync(file, 'utf8')) as { accessToken?: unknown; expiresAt?: unknown }
    return typeof token.accessToken === 'string' && typeof token.expiresAt === 'string' && Date.parse(token.expiresAt) > Date.now()
  } catch {
    return false
  }
}

type SharedFiles = { configFile: Record<string, unknown>; credentialsFile: Record<string, unknown> }
/** The last pair of shared files parsed, by what their stat says of them: a report reads them again only when one changed. */
let lastFiles: { key: string; files: Promise<SharedFiles> } | undefined

/**
 * The shared files parsed by the SDK's own loader, as they are now (never its cache, which keeps
 * the first read of a path): re-read when either file's stat changed since the last parse, which
 * costs a stat per file instead of two reads through the thread pool on every report.
 */
function sharedFiles(credentialsPath: string, configPath: string, stamps: FileStamps, asWritten: boolean): Promise<SharedFiles> {
  // a path under "~/" is the loader's to resolve: not stamped here, read every time
  const stamped = !credentialsPath.startsWith('~/') && !configPath.startsWith('~/')
  const key = `${credentialsPath}\0${configPath}\0${stamps[credentialsPath]}\0${stamps[configPath]}`
  if (stamped && lastFiles?.key === key) return lastFiles.files
  // Files unchanged since a world wrote them: whatever the SDK's cache holds of them is what they hold (the chain
  // being explained has usually just read them), so it may answer. Otherwise read afresh (which refreshes that cache).
  const files = loadSharedConfigFiles({ filepath: credentialsPath, configFilepath: configPath, ignoreCache: !asWritten }).catch(() => ({ configFile: {}, credentialsFile: {} }))
  lastFiles = { key, files }
  return files
}

/**
 * Reads what the chain would read — shared files (with the SDK's own ini parser), token files,
 * SSO caches — into plain facts for the model. `remote` says what the container endpoint and
 * IMDS serve, when the caller knows (a world does).
 */
export async function gatherFacts(
  env: Readonly<Record<string, string | undefined>>,
  options: {
    clientProfile?: string
    remote?: Pick<ChainFacts, 'container' | 'imds'>
    /** The world's server state, when there is a world. */
    server?: Readonly<Record<string, unknown>>
    /** Whether these shared files are the ones a world wrote, unchanged since (their stamps now are given). */
    asWritten?(stamps: FileStamps): boolean
  } = {},
): Promise<ChainFacts> {
  const home = homeOf(env) ?? ''
  const credentialsPath = isSet(env.AWS_SHARED_CREDENTIALS_FILE) ? env.AWS_SHARED_CREDENTIALS_FILE : join(home, '.aws', 'credentials')
  const configPath = isSet(env.AWS_CONFIG_FILE) ? env.AWS_CONFIG_FILE : join(home, '.aws', 'config')
  const stamps: FileStamps = { [credentialsPath]: fileStamp(credentialsPath), [configPath]: fileStamp(configPath) }
  const files = await sharedFiles(credentialsPath, configPath, stamps, options.asWritten?.(stamps) ?? false)
  const configFile = files.configFile as Record<string, ProfileSettings>
  const credentialsFile = files.credentialsFile as Record<string, ProfileSettings>
  const readableFiles: Record<string, boolean> = {}
  const ssoTokens: Record<string, boolean> = {}
  if (isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE)) readableFiles[env.AWS_WEB_IDENTITY_TOKEN_FILE] = readable(env.AWS_WEB_IDENTITY_TOKEN_FILE)
  for (const [name, settings] of [...Object.entries(configFile), ...Object.entries(credentialsFile)]) {
    if (isSet(settings.web_identity_token_file)) readableFiles[settings.web_identity_token_file] = readable(settings.web_identity_token_file)
    if (name.startsWith('sso-session.')) {
      const session = name.slice('sso-session.'.length)
      ssoTokens[session] = ssoTokenValid(home, session)
    } else if (isSet(settings.sso_start_url) && !isSet(settings.sso_session)) {
      ssoTokens[settings.sso_start_url] = ssoTokenValid(home, settings.sso_start_url)
    }
  }
  const facts: ChainFacts = { env, credentialsPath, configPath, credentialsFile, configFile, readable: readableFiles, ssoTokens }
  if (options.clientProfile !== undefined) facts.clientProfile = options.clientProfile
  if (options.remote && 'container' in options.remote) facts.container = options.remote.container
  if (options.remote && 'imds' in options.remote) facts.imds = options.remote.imds
  const sections = [...Object.values(configFile), ...Object.values(credentialsFile)]
  const parts: Record<string, unknown> = {}
  for (const source of REGISTRY) if (source.facts) parts[source.source] = source.facts({ env, sections, ...(options.server ? { server: options.server } : {}) })
  facts.parts = parts
  rememberStamps(facts, stamps)
  return facts
}
