import type { CredentialStream } from '../../servers/stream.js'
import type { IssuedCredentials } from '../../servers/ledger.js'

/** One profile's credential_process, as the world keeps it (server part `process`). */
export interface ProcessHelper {
  profile: string
  /** Where the script logs each run (a line per run), when it is a plain script. */
  runLog?: string
  /** A timed helper (`expiresIn`): it asks the world's STS server for the current generation at each run. */
  stream?: CredentialStream
  /** The secret path part of the helper's URL. */
  id?: string
  /** The script rewritten with new credentials (world.rotate of a plain script). */
  rewrite?(): { path: string; content: string; executable?: boolean }
}

export interface ProcessServerState {
  helpers: ProcessHelper[]
}

/** The credential_process JSON (Version 1) for a set of credentials. */
export function processDocument(issued: IssuedCredentials): Record<string, unknown> {
  const output: Record<string, unknown> = { Version: 1, AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey }
  if (issued.sessionToken) output.SessionToken = issued.sessionToken
  if (issued.expiration) output.Expiration = issued.expiration.toISOString()
  return output
}
