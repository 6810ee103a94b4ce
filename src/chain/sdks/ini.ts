import type { ProfileSettings } from '../facts.js'

/**
 * Sections of a shared config/credentials file under their raw headers (`default`,
 * `profile app`, `sso-session x`), keys lower-cased by no one: as the SDKs' own ini readers see
 * them for the simple `key = value` lines the shared files hold. Comments (`#`, `;`) and
 * indented continuation lines (sub-settings such as `s3 =` blocks) are skipped.
 */
export function parseIniSections(text: string, options: { colons?: boolean } = {}): Record<string, ProfileSettings> {
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
    const entry = (options.colons ? /^([^=:]+?)\s*[=:]\s*(.*?)\s*$/ : /^([^=]+?)\s*=\s*(.*?)\s*$/).exec(raw)
    if (entry) current[entry[1]!.trim()] = entry[2]!
  }
  return sections
}

/**
 * Why a strict ini reader — Python's configparser (botocore, the AWS CLI) or Go's internal/ini —
 * refuses the whole file, or undefined: a section header without its `]`, or a line outside a
 * continuation that is neither a comment nor `key = value` / `key: value`. The JS SDKs skip such
 * lines instead (and the JS reader takes only `=`; the strict ones take `:` as well).
 */
export function strictIniError(text: string): string | undefined {
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    if (/^\s*([#;].*)?$/.test(raw) || /^\s/.test(raw)) continue
    if (/^\[/.test(raw)) {
      if (!/^\[[^\]]*\]/.test(raw)) return `line ${index + 1}: a section header without its closing ]`
      continue
    }
    if (!/[=:]/.test(raw)) return `line ${index + 1}: neither a section, a comment nor key = value`
  }
  return undefined
}
