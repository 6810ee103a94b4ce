import { readFile } from 'node:fs/promises'
import { type ChainFacts, type ProfileSettings, isSet } from '../chain/facts.js'
import type { SdkFacts } from '../chain/sdks/facts.js'
import { parseIniSections, strictIniError } from '../chain/sdks/ini.js'


/**
 * Adds the raw shared files other SDKs read to the JS chain's facts: the default
 * `~/.aws/credentials` and `~/.aws/config` (read by some SDKs whatever AWS_SHARED_CREDENTIALS_FILE
 * or AWS_CONFIG_FILE say), the files those variables name, and Java v1's
 * AWS_CREDENTIAL_PROFILES_FILE — each as sections under their raw headers.
 */
export async function withSdkFiles(facts: ChainFacts): Promise<SdkFacts> {
  const home = facts.env.HOME || facts.env.USERPROFILE || ''
  const paths = new Set([`${home}/.aws/credentials`, `${home}/.aws/config`, facts.credentialsPath, facts.configPath])
  for (const name of ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_CREDENTIAL_PROFILES_FILE']) if (isSet(facts.env[name])) paths.add(facts.env[name])
  const rawFiles: Record<string, Record<string, ProfileSettings> | null> = {}
  const strictFiles: Record<string, Record<string, ProfileSettings> | null> = {}
  const iniErrors: Record<string, string> = {}
  await Promise.all(
    [...paths].map(async (path) => {
      const text = await readFile(path, 'utf8').catch(() => null)
      rawFiles[path] = text === null ? null : parseIniSections(text)
      strictFiles[path] = text === null ? null : parseIniSections(text, { colons: true })
      const error = text === null ? undefined : strictIniError(text)
      if (error) iniErrors[path] = error
    }),
  )
  return { ...facts, rawFiles, strictFiles, ...(Object.keys(iniErrors).length ? { iniErrors } : {}) }
}
