/** An access key id shown without its identifying part: 16 stars and the last 4 characters. */
export function maskKeyId(accessKeyId: string): string {
  return '*'.repeat(Math.max(accessKeyId.length - 4, 0)).slice(0, 16).padStart(16, '*') + accessKeyId.slice(-4)
}

/** Replaces every given secret found in text; keys ids are masked where they appear in full. */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const secret of secrets) if (secret && out.includes(secret)) out = out.split(secret).join('****')
  return out.replace(/\b(AKIA|ASIA)[A-Z2-7]{16}\b/g, (key) => maskKeyId(key))
}
