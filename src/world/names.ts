import { createHash } from 'node:crypto'

/**
 * Profile names, as the SDK's shared-ini parser (`@smithy/core/config` `parseIni`, measured in
 * test/world/names.test.ts) reads them back, and the collision-free keys a world derives from
 * them for paths and role session names.
 *
 * What the parser does with a name (SDK 3.972, @smithy/core 3.41):
 * - Every line is cut at `#` or `;` that starts it or follows whitespace, then trimmed: a name
 *   with whitespace, or one starting with `#`/`;`, is cut or dropped (`[a b]` vanishes, `a #b`
 *   reads `a`), and `source_profile = NAME` loses leading and trailing spaces.
 * - `~/.aws/config` keeps `[profile NAME]` only when NAME is made of ASCII letters, digits and
 *   `_ - @ + . % : /` (optionally quoted, which changes the name); any other section is dropped
 *   silently. `~/.aws/credentials` keeps `[NAME]` for any NAME without whitespace.
 * - `[__proto__]` throws inside the parser and the whole file is dropped; names that
 *   `Object.prototype` has (`constructor`, `toString`, …) are looked up on plain objects, so the
 *   parser writes their keys onto the global `Object` or onto `Object.prototype`'s functions, and
 *   fromIni takes `source_profile = constructor` for a cycle.
 * - In ~/.aws/config, `[sso-session x]` and `[services x]` sections live in the same table as
 *   profiles, under `sso-session.x`/`services.x`: a profile of that name would be one of them.
 */

export type IniFile = 'credentials' | 'config'

export const MAX_PROFILE_NAME_LENGTH = 128

const CONFIG_SECTION_NAME = /^[A-Za-z0-9_\-@+.%:/]+$/
const OTHER_SECTION_TYPES = ['sso-session', 'services']
/** Own names of Object.prototype (constructor, toString, __proto__, …): the parser's plain objects already have them. */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])

/**
 * Why the SDK cannot hold `name` as a profile in that file (credentials: `[NAME]` and
 * `source_profile = NAME`; config: also `[profile NAME]`), or undefined when it can. The reason
 * says what to do.
 */
export function profileNameProblem(name: string, file: IniFile = 'credentials'): string | undefined {
  if (name.length === 0) return 'expected a profile name, got an empty string'
  if (name.length > MAX_PROFILE_NAME_LENGTH) return `a profile name has at most ${MAX_PROFILE_NAME_LENGTH} characters (got ${name.length}): shorten it`
  if (/[\r\n]/.test(name)) return `${JSON.stringify(name)} has a line break, which would end the ini line and start another: remove it`
  if (/[\s\p{Cc}]/u.test(name)) {
    return `${JSON.stringify(name)} has whitespace or a control character; the SDK's ini parser drops or cuts such a name ("[a b]" vanishes, "source_profile = a #b" reads "a"): use - or _ instead`
  }
  if (/^[#;]/.test(name)) return `${JSON.stringify(name)} starts with "${name[0]}", which the SDK's ini parser reads as a comment in "source_profile = ${name}": rename it`
  if (PROTOTYPE_NAMES.has(name)) {
    return name === '__proto__'
      ? 'the SDK\'s ini parser refuses a "[__proto__]" section and drops the whole file with it: choose another name'
      : `${JSON.stringify(name)} is a property of every JavaScript object: the SDK's ini parser would write this profile onto the global Object (or Object.prototype.${name}) and fromIni takes "source_profile = ${name}" for a cycle: choose another name`
  }
  if (file === 'config') {
    if (!CONFIG_SECTION_NAME.test(name)) {
      return `${JSON.stringify(name)} cannot be a section of ~/.aws/config: the SDK keeps "[profile NAME]" only for ASCII letters, digits and _ - @ + . % : / and drops the section otherwise; rename it (a profile with only { user } lives in ~/.aws/credentials, which takes more)`
    }
    const type = OTHER_SECTION_TYPES.find((t) => name.startsWith(`${t}.`))
    if (type) return `${JSON.stringify(name)} is how the SDK files a "[${type} ${name.slice(type.length + 1)}]" section of ~/.aws/config, so the profile would be mixed up with it: rename it`
  }
  return undefined
}

/** Characters a name keeps in its readable key; every other one becomes "-". */
const KEY_SAFE = /^[A-Za-z0-9_.-]+$/
const KEY_PREFIX = 'chainproof-'
/** STS RoleSessionName: [\w+=,.@-]{2,64}. */
const SESSION_NAME_MAX = 64
const HASH_LENGTH = 12

function hashOf(name: string, length: number): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, length)
}

/**
 * A key per profile name, the same for paths (`~/.aws/bin/<key>.sh`), role session names,
 * `[sso-session <key>]` and the world's session → profile table; no two names of a world share
 * a key, even on a case-insensitive file system, and none equals a `reserved` session name.
 *
 * A short name of letters, digits and `_ . -` that no other name equals when case is ignored
 * keeps its readable form `chainproof-<name>`; any other gets `chainproof-<sanitised prefix>+<hash
 * of the exact name>`. A plain key has no `+`, so it never equals a hashed one; every key is a
 * valid STS session name, file name and config section name.
 */
export function profileKeys(names: readonly string[], reserved: readonly string[] = []): Map<string, string> {
  const fold = (s: string) => s.toLowerCase()
  const plain = (name: string) => KEY_PREFIX + name
  const folded = new Map<string, number>()
  for (const name of names) if (KEY_SAFE.test(name)) folded.set(fold(plain(name)), (folded.get(fold(plain(name))) ?? 0) + 1)
  const taken = new Set(reserved.map(fold))
  const keys = new Map<string, string>()
  for (const name of names) {
    const key = plain(name)
    if (KEY_SAFE.test(name) && key.length <= SESSION_NAME_MAX && folded.get(fold(key)) === 1 && !taken.has(fold(key))) keys.set(name, key)
  }
  for (const key of keys.values()) taken.add(fold(key))
  for (const name of names) {
    if (keys.has(name)) continue
    let length = HASH_LENGTH
    let key: string
    do {
      const hash = hashOf(name, length)
      const prefix = name.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, SESSION_NAME_MAX - KEY_PREFIX.length - 1 - hash.length)
      key = `${KEY_PREFIX}${prefix}+${hash}`
      length += 4
    } while (taken.has(fold(key)) && length <= 40)
    taken.add(fold(key))
    keys.set(name, key)
  }
  return keys
}
