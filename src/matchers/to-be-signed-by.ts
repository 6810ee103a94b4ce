import { ChainproofError } from '../errors.js'
import { identifySigner, type SignerVerdict } from '../probe/signed.js'
import type { SourceName } from '../types.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { redactKeyIds, type Row } from './format.js'
import { explained, matcherError, matchResult, observe } from './process-match.js'
import { expectedSignerRows, parseExpectedSigner, signerMatches, signerRows } from './signer.js'
import type { SignedByOptions, SignerExpectation } from './types.js'

function signatureRow(verdict: SignerVerdict): Row {
  switch (verdict.status) {
    case 'verified':
      return ['Signature', 'verified with the credentials this world issued']
    case 'unknown-key':
      return [
        'Signature',
        'signed by a key this world never issued: credentials from outside the world (passed in code, or resolved by a client created before this world)',
      ]
    case 'mismatch':
    case 'unverifiable':
      return ['Signature', verdict.detail]
  }
}

/**
 * `await expect(url | token | signedRequest).toBeSignedBy('instanceProfile' | { source?, profile?, role?, principal? })`:
 * the artifact's key names the signer through the active world's ledger, and its signature is
 * verified against the ledger's secret. An artifact that does not verify (a key the world never
 * issued, a signature that does not match) fails the assertion either way, also under `.not`:
 * it was signed by no one this world knows.
 */
export async function toBeSignedBy(
  this: MatcherContext,
  received: unknown,
  signer: SourceName | SignerExpectation,
  options?: SignedByOptions,
): Promise<MatcherResult> {
  const shape = { name: 'toBeSignedBy', expected: 'signer', received: 'artifact', ...(options !== undefined ? { secondArgument: 'options' } : {}) }
  observe(received)
  const expected = parseExpectedSigner(this, shape, signer)
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw matcherError(this, shape, `options must be an object like { headers: { 'content-type': 'text/plain' } }, got ${this.utils.printReceived(options)}`)
  }
  const headers = options?.headers
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))) {
    throw matcherError(this, shape, `options.headers must map header names to string values, got ${this.utils.printReceived(headers)}`)
  }
  let artifact: unknown
  try {
    artifact = await received
  } catch (error) {
    // e.g. getSignedUrl(…) rejected: the SDK's message, with any key id that slipped in masked.
    throw matcherError(this, shape, redactKeyIds(`the received promise rejected: ${error instanceof Error ? error.message : String(error)}`))
  }
  let verdict: SignerVerdict
  try {
    verdict = await identifySigner(artifact, headers ? { headers } : {})
  } catch (error) {
    if (error instanceof ChainproofError) throw matcherError(this, shape, error.message)
    throw error
  }

  const isNot = this.isNot === true
  const pass = verdict.status === 'verified' ? signerMatches(this, expected, verdict.identity) : isNot
  // The chain explains why that source signed; it is beside the point when the artifact is invalid.
  const report = pass !== isNot || verdict.status !== 'verified' ? undefined : (await explained(verdict.report)).text
  return matchResult(this, shape, pass, () => {
    const rows = expectedSignerRows(this, expected, isNot)
    if (verdict.status === 'unknown-key') rows.push(...signerRows(this, { accessKeyId: verdict.artifact.accessKeyId }))
    else rows.push(...signerRows(this, verdict.identity))
    const { artifact } = verdict
    rows.push(['Artifact', `${artifact.description}, signed at ${artifact.signingDate.toISOString()}`], signatureRow(verdict))
    return { rows, report }
  })
}
