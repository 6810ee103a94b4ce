import type { ProfileSettings } from '../facts.js'

/**
 * Sections of a shared config/credentials file under their raw headers (`default`,
 * `profile app`, `sso-session x`), keys lower-cased by no one: as the SDKs' own ini readers see
 * them for the simple `key = value` lines the shared files hold. Comments (`#`, `;`) and
 * indented continuation lines (sub-settings such as `s3 =` blocks) are skipped.
 */
export function parseIniSections(text: string): Record<string, ProfileSettings> {
  const sections: Record<string, Record<string, string>> = {}
  let current: Record<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;].*)?$/.test(raw)) continue
    const header = /^\s*\[\s*([^\]]+?)\s*\]\s*([#;].*)?$/.exec(raw)
    if (header) {
      const name = header[1]!.replace(/\s+/g, ' ')
      current = sections[name] ??= {}
      continue
    }
    if (!current || /^\s/.test(raw)) continue
    const entry = /^([^=]+?)\s*=\s*(.*?)\s*$/.exec(raw)
    if (entry) current[entry[1]!.trim()] = entry[2]!
  }
  return sections
}
