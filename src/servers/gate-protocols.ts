import { randomBytes, randomUUID } from 'node:crypto'
import { xmlEscape, type RouteReply } from './http.js'
import { stsError } from './sts.js'

/**
 * How each AWS wire protocol says "no": the gate's failures as data, one table per protocol,
 * each row the HTTP status and error code production sends, so the SDK throws the same error
 * class (by `name`) it throws against AWS.
 */

/** Every way the gate refuses a call. */
export type GateFailure =
  | 'missingAuth'
  | 'incompleteSignature'
  | 'unknownKey'
  | 'invalidToken'
  | 'expiredToken'
  | 'badSignature'
  | 'accessDenied'
  | 'notImplemented'
  | 'invalidRequest'

interface FailureRow {
  status: number
  code: string
  /** Production's fixed wording for this code, used instead of the gate's message. */
  message?: string
}

type FailureTable = Record<GateFailure, FailureRow>

export interface FailureContext {
  requestId?: string
  /** The access key the request was signed with (S3 names it in InvalidAccessKeyId). Never a secret. */
  accessKeyId?: string
}

export interface GateProtocol {
  readonly name: 'restXml' | 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'restJson1'
  /** The protocol's error reply for a failure. */
  failure(kind: GateFailure, message: string, context?: FailureContext): RouteReply
  /** The error code (what the SDK's error `name` becomes) for a failure. */
  codeOf(kind: GateFailure): string
}

const NOT_IMPLEMENTED: FailureRow = { status: 501, code: 'NotImplemented' }

// ---------------------------------------------------------------------------------------------
// S3: REST-XML, `<Error><Code/><Message/><RequestId/><HostId/></Error>`

const S3_FAILURES: FailureTable = {
  // S3 treats an unsigned request as anonymous, and anonymous access is denied.
  missingAuth: { status: 403, code: 'AccessDenied', message: 'Access Denied' },
  incompleteSignature: { status: 400, code: 'AuthorizationHeaderMalformed' },
  unknownKey: { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' },
  invalidToken: { status: 400, code: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' },
  expiredToken: { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' },
  badSignature: { status: 403, code: 'SignatureDoesNotMatch' },
  accessDenied: { status: 403, code: 'AccessDenied' },
  notImplemented: NOT_IMPLEMENTED,
  invalidRequest: { status: 400, code: 'InvalidRequest' },
}

/** S3's request ids: 16 upper-case hex characters, and a longer base64 host id. */
export function s3RequestIds(): { requestId: string; hostId: string } {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(48).toString('base64') }
}

export function s3Headers(requestId?: string): Record<string, string> {
  const ids = s3RequestIds()
  return { 'x-amz-request-id': requestId ?? ids.requestId, 'x-amz-id-2': ids.hostId, server: 'AmazonS3' }
}

export const restXml: GateProtocol = {
  name: 'restXml',
  codeOf: (kind) => S3_FAILURES[kind].code,
  failure(kind, message, context = {}) {
    const row = S3_FAILURES[kind]
    const ids = s3RequestIds()
    const requestId = context.requestId ?? ids.requestId
    const extra = kind === 'unknownKey' && context.accessKeyId ? `<AWSAccessKeyId>${xmlEscape(context.accessKeyId)}</AWSAccessKeyId>` : ''
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${row.code}</Code><Message>${xmlEscape(row.message ?? message)}</Message>${extra}` +
      `<RequestId>${requestId}</RequestId><HostId>${xmlEscape(ids.hostId)}</HostId></Error>`
    return { status: row.status, headers: { 'content-type': 'application/xml', ...s3Headers(requestId) }, body }
  },
}

// ---------------------------------------------------------------------------------------------
// awsJson1_0 / awsJson1_1: `{"__type": "…#Code", "message": …}` plus `x-amzn-ErrorType`.
// A query-compatible service (SQS) also sends `x-amzn-query-error: Code;Sender`, which the SDK
// reads first: its error names are the old query codes (`AccessDenied`, not `AccessDeniedException`).

const JSON_FAILURES: FailureTable = {
  missingAuth: { status: 400, code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
  incompleteSignature: { status: 400, code: 'IncompleteSignatureException' },
  unknownKey: { status: 400, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
  invalidToken: { status: 400, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
  expiredToken: { status: 400, code: 'ExpiredTokenException', message: 'The security token included in the request is expired' },
  badSignature: { status: 400, code: 'InvalidSignatureException' },
  accessDenied: { status: 400, code: 'AccessDeniedException' },
  notImplemented: NOT_IMPLEMENTED,
  invalidRequest: { status: 400, code: 'ValidationException' },
}

/** The query codes a query-compatible JSON service (SQS) reports, and their statuses. */
const QUERY_COMPATIBLE_FAILURES: FailureTable = {
  missingAuth: { status: 403, code: 'MissingAuthenticationToken', message: 'Missing Authentication Token' },
  incompleteSignature: { status: 400, code: 'IncompleteSignature' },
  unknownKey: { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' },
  invalidToken: { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' },
  expiredToken: { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' },
  badSignature: { status: 403, code: 'SignatureDoesNotMatch' },
  accessDenied: { status: 403, code: 'AccessDenied' },
  notImplemented: NOT_IMPLEMENTED,
  invalidRequest: { status: 400, code: 'MissingParameter' },
}

/** Namespaces of `__type` as AWS writes them: authentication errors come from the Coral framework. */
const CORAL = 'com.amazon.coral.service'

export function awsJson(version: '1.0' | '1.1', options: { queryCompatible?: boolean; namespace?: string } = {}): GateProtocol {
  const contentType = `application/x-amz-json-${version}`
  const queryCompatible = options.queryCompatible ?? false
  return {
    name: version === '1.0' ? 'awsJson1_0' : 'awsJson1_1',
    codeOf: (kind) => (queryCompatible ? QUERY_COMPATIBLE_FAILURES : JSON_FAILURES)[kind].code,
    failure(kind, message, context = {}) {
      const requestId = context.requestId ?? randomUUID()
      const row = JSON_FAILURES[kind]
      const namespace = kind === 'invalidRequest' || kind === 'notImplemented' ? (options.namespace ?? CORAL) : CORAL
      const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': row.code }
      let status = row.status
      let text = row.message ?? message
      if (queryCompatible) {
        const query = QUERY_COMPATIBLE_FAILURES[kind]
        status = query.status
        text = query.message ?? text
        headers['x-amzn-query-error'] = `${query.code};${status >= 500 ? 'Receiver' : 'Sender'}`
      }
      return { status, headers, body: JSON.stringify({ __type: `${namespace}#${row.code}`, message: text }) }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// awsQuery (STS and other query services): `<ErrorResponse><Error><Type/><Code/><Message/>…`

const QUERY_FAILURES: FailureTable = {
  missingAuth: { status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' },
  incompleteSignature: { status: 400, code: 'IncompleteSignature' },
  unknownKey: { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' },
  invalidToken: { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' },
  expiredToken: { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' },
  badSignature: { status: 403, code: 'SignatureDoesNotMatch' },
  accessDenied: { status: 403, code: 'AccessDenied' },
  notImplemented: NOT_IMPLEMENTED,
  invalidRequest: { status: 400, code: 'ValidationError' },
}

export const awsQuery: GateProtocol = {
  name: 'awsQuery',
  codeOf: (kind) => QUERY_FAILURES[kind].code,
  failure(kind, message, context = {}) {
    const row = QUERY_FAILURES[kind]
    return stsError(row.status, row.code, row.message ?? message, context.requestId ?? randomUUID())
  },
}

// ---------------------------------------------------------------------------------------------
// restJson1 (services the gate does not model, signed for something other than S3): the code in
// `x-amzn-ErrorType`, which the SDK reads first, and `{"message": …}`.

const REST_JSON_FAILURES: FailureTable = {
  missingAuth: { status: 403, code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
  incompleteSignature: { status: 403, code: 'IncompleteSignatureException' },
  unknownKey: { status: 403, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
  invalidToken: { status: 403, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
  expiredToken: { status: 403, code: 'ExpiredTokenException', message: 'The security token included in the request is expired' },
  badSignature: { status: 403, code: 'InvalidSignatureException' },
  accessDenied: { status: 403, code: 'AccessDeniedException' },
  notImplemented: NOT_IMPLEMENTED,
  invalidRequest: { status: 400, code: 'ValidationException' },
}

export const restJson: GateProtocol = {
  name: 'restJson1',
  codeOf: (kind) => REST_JSON_FAILURES[kind].code,
  failure(kind, message, context = {}) {
    const row = REST_JSON_FAILURES[kind]
    const requestId = context.requestId ?? randomUUID()
    return {
      status: row.status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': row.code },
      body: JSON.stringify({ message: row.message ?? message }),
    }
  },
}
