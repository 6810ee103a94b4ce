/**
 * Reading SigV4's wire text — dates, credential scopes, Authorization headers, signing query
 * strings. Pure parsing, shared by the servers that verify signatures and by the probe that
 * verifies signed artifacts; signing itself is @smithy/signature-v4's.
 */

/** Query parameters as SigV4 canonicalises them: repeated keys become arrays. */
export type SigningQuery = Record<string, string | string[]>

/** `20260102T030405Z` → Date, or undefined. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const match = value !== undefined ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null
  if (!match) return undefined
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** `AKID/20260102/us-east-1/s3/aws4_request` → its parts, or undefined when malformed. */
export function parseCredentialScope(value: string): { accessKeyId: string; date: string; region: string; service: string } | undefined {
  const parts = value.split('/')
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts.some((part) => part === '')) return undefined
  return { accessKeyId: parts[0]!, date: parts[1]!, region: parts[2]!, service: parts[3]! }
}

/** `AWS4-… Credential=…, SignedHeaders=…, Signature=…` → its parts, or undefined. */
export function parseAuthorizationHeader(value: string): { credential: string; signedHeaders: string[]; signature: string; algorithm: string } | undefined {
  const match = /^(AWS4-[A-Z0-9-]+)\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*$/.exec(value.trim())
  if (!match) return undefined
  return { algorithm: match[1]!, credential: match[2]!, signedHeaders: match[3]!.toLowerCase().split(';'), signature: match[4]!.toLowerCase() }
}

/**
 * The credential scope a request was signed with: from its `Authorization` header, or else from
 * the `X-Amz-Credential` of a query-signed (presigned) request. Undefined when the request
 * carries no well-formed SigV4 scope (unsigned, or another scheme such as a bearer token).
 */
export function signingScopeOf(authorization: string | undefined, rawQuery: string): ReturnType<typeof parseCredentialScope> {
  if (authorization !== undefined) {
    const header = parseAuthorizationHeader(authorization)
    return header ? parseCredentialScope(header.credential) : undefined
  }
  if (!/(?:^|&)X-Amz-Credential=/i.test(rawQuery)) return undefined
  const query = parseSigningQuery(rawQuery)
  const key = Object.keys(query).find((name) => name.toLowerCase() === 'x-amz-credential')
  const credential = key !== undefined ? query[key] : undefined
  return typeof credential === 'string' ? parseCredentialScope(credential) : undefined
}

/** Percent-decoding that keeps malformed text as it is. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * A raw query string decoded the way SigV4 canonicalises it: percent-decoding only (`+` stays a
 * `+`: signers always escape it), repeated keys as arrays.
 */
export function parseSigningQuery(rawQuery: string): SigningQuery {
  const query: SigningQuery = {}
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const key = safeDecode(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : safeDecode(pair.slice(eq + 1))
    const existing = query[key]
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return query
}
