import { createHash } from 'node:crypto'
import { headerOf, xmlEscape, type RouteReply, type RouteRequest } from './http.js'
import { restXml, s3Headers } from './gate-protocols.js'
import type { GateContext, GateHandler, GateInvalid, GateOperation, GateService, StoredObject } from './gate-service.js'

/**
 * S3 over REST-XML, path-style (`/bucket/key`), as the SDK sends it to an IP endpoint such as
 * the gate's. The operation comes from the SDK's `x-id` query parameter when present, else from
 * method, path and sub-resource. Modelled: GetObject, PutObject, HeadObject, DeleteObject,
 * ListObjectsV2, HeadBucket, over a per-world in-memory bucket store (an object never put reads
 * as `chainproof object s3://bucket/key`).
 */

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/'

/** Operations whose IAM action has another name (the rest are `s3:<operation>`). */
const IAM_ACTION_OF: Record<string, string> = {
  HeadObject: 'GetObject',
  GetObjectAttributes: 'GetObjectAttributes',
  ListObjects: 'ListBucket',
  ListObjectsV2: 'ListBucket',
  HeadBucket: 'ListBucket',
  ListObjectVersions: 'ListBucketVersions',
  ListBuckets: 'ListAllMyBuckets',
  CopyObject: 'PutObject',
  CreateMultipartUpload: 'PutObject',
  UploadPart: 'PutObject',
  UploadPartCopy: 'PutObject',
  CompleteMultipartUpload: 'PutObject',
  ListParts: 'ListMultipartUploadParts',
  ListMultipartUploads: 'ListBucketMultipartUploads',
  DeleteObjects: 'DeleteObject',
}

export interface S3Input {
  bucket?: string
  key?: string
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

/** Which sub-resource a bucket or object request names (`?tagging`, `?uploads`, …), if any. */
function subresourceOf(query: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => query.has(name))
}

const OBJECT_SUBRESOURCES: Record<string, Partial<Record<string, string>>> = {
  tagging: { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' },
  acl: { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' },
  retention: { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' },
  'legal-hold': { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' },
  attributes: { GET: 'GetObjectAttributes' },
  uploads: { POST: 'CreateMultipartUpload' },
  uploadId: { PUT: 'UploadPart', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' },
}

const BUCKET_SUBRESOURCES: Record<string, Partial<Record<string, string>>> = {
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  location: { GET: 'GetBucketLocation' },
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  cors: { GET: 'GetBucketCors', PUT: 'PutBucketCors', DELETE: 'DeleteBucketCors' },
  lifecycle: { GET: 'GetBucketLifecycleConfiguration', PUT: 'PutBucketLifecycleConfiguration', DELETE: 'DeleteBucketLifecycle' },
  encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  notification: { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' },
  versions: { GET: 'ListObjectVersions' },
  uploads: { GET: 'ListMultipartUploads' },
  delete: { POST: 'DeleteObjects' },
}

function operationName(request: RouteRequest, bucket: string | undefined, key: string | undefined): string {
  const { method, query } = request
  const xId = query.get('x-id')
  if (xId && /^[A-Za-z0-9]+$/.test(xId)) return xId
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : 'Unknown'
  if (key !== undefined) {
    const sub = subresourceOf(query, Object.keys(OBJECT_SUBRESOURCES))
    if (sub) return OBJECT_SUBRESOURCES[sub]![method] ?? 'Unknown'
    if (method === 'PUT' && headerOf(request, 'x-amz-copy-source') !== undefined) return 'CopyObject'
    return { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject' }[method] ?? 'Unknown'
  }
  if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2'
  const sub = subresourceOf(query, Object.keys(BUCKET_SUBRESOURCES))
  if (sub) return BUCKET_SUBRESOURCES[sub]![method] ?? 'Unknown'
  return { GET: 'ListObjects', HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket' }[method] ?? 'Unknown'
}

const OBJECT_OPERATIONS = new Set(['GetObject', 'HeadObject', 'PutObject', 'DeleteObject'])
const BUCKET_OPERATIONS = new Set(['ListObjectsV2', 'HeadBucket'])

/** Bucket, key and operation of a path-style request. */
export function s3OperationOf(request: RouteRequest): GateOperation | GateInvalid {
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(request.path)
  let bucket: string | undefined
  let key: string | undefined
  if (match) {
    bucket = safeDecode(match[1]!)
    key = match[2] === undefined || match[2] === '' ? undefined : safeDecode(match[2])
    if (bucket === undefined || (match[2] && key === undefined)) return { invalid: `The request path ${request.path} is not valid percent-encoding.` }
  } else if (request.path !== '/') {
    return { invalid: `The request path ${request.path} names no bucket.` }
  }
  const action = operationName(request, bucket, key)
  if (OBJECT_OPERATIONS.has(action) && key === undefined) return { invalid: `${action} needs a bucket and a key in the path (/bucket/key).`, action }
  if (BUCKET_OPERATIONS.has(action) && bucket === undefined) return { invalid: `${action} needs a bucket in the path (/bucket).`, action }
  const resource = bucket === undefined ? '*' : key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`
  const input: S3Input = {}
  if (bucket !== undefined) input.bucket = bucket
  if (key !== undefined) input.key = key
  return { action, iamAction: `s3:${IAM_ACTION_OF[action] ?? action}`, resource, input }
}

// ---------------------------------------------------------------------------------------------
// Objects

function md5Hex(body: Buffer | string): string {
  return createHash('md5').update(body).digest('hex')
}

/** The payload of an `aws-chunked` body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n…0\r\n<trailers>\r\n\r\n`). */
export function decodeAwsChunked(body: Buffer): Buffer | undefined {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at)
    if (lineEnd < 0) return undefined
    const sizeText = body.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim()
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return undefined
    const size = parseInt(sizeText, 16)
    at = lineEnd + 2
    if (size === 0) return Buffer.concat(parts)
    if (at + size + 2 > body.length || body[at + size] !== 0x0d || body[at + size + 1] !== 0x0a) return undefined
    parts.push(body.subarray(at, at + size))
    at += size + 2
  }
}

function objectOf(context: GateContext): { bucket: string; key: string; object: StoredObject } {
  const { bucket, key } = context.operation.input as Required<S3Input>
  const stored = context.store.objects.get(bucket)?.get(key)
  if (stored) return { bucket, key, object: stored }
  const body = Buffer.from(`chainproof object s3://${bucket}/${key}`, 'utf8')
  return { bucket, key, object: { body, contentType: 'text/plain', etag: `"${md5Hex(body)}"`, lastModified: new Date(0) } }
}

function objectReply(context: GateContext): RouteReply {
  const { object } = objectOf(context)
  // For HEAD, node sends the headers (content-length included) and drops the body.
  return {
    status: 200,
    headers: {
      ...s3Headers(),
      'content-type': object.contentType,
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    },
    body: object.body,
  }
}

const putObject: GateHandler = (context) => {
  const { request, store } = context
  const { bucket, key } = context.operation.input as Required<S3Input>
  const encoding = headerOf(request, 'content-encoding') ?? ''
  const codings = encoding.split(',').map((coding) => coding.trim()).filter(Boolean)
  let body = request.body
  if (codings.includes('aws-chunked')) {
    const decoded = decodeAwsChunked(body)
    if (!decoded) return restXml.failure('invalidRequest', 'The aws-chunked request body could not be decoded.')
    body = decoded
  }
  const object: StoredObject = {
    body,
    contentType: headerOf(request, 'content-type') ?? 'binary/octet-stream',
    etag: `"${md5Hex(body)}"`,
    lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
  }
  let bucketStore = store.objects.get(bucket)
  if (!bucketStore) store.objects.set(bucket, (bucketStore = new Map()))
  bucketStore.set(key, object)
  return { status: 200, headers: { ...s3Headers(), etag: object.etag } }
}

const deleteObject: GateHandler = (context) => {
  const { bucket, key } = context.operation.input as Required<S3Input>
  context.store.objects.get(bucket)?.delete(key)
  return { status: 204, headers: s3Headers() }
}

// ---------------------------------------------------------------------------------------------
// Listing

function xmlLeaf(name: string, value: string | number | boolean): string {
  return `<${name}>${xmlEscape(String(value))}</${name}>`
}

const listObjectsV2: GateHandler = (context) => {
  const { query } = context.request
  const { bucket } = context.operation.input as Required<Pick<S3Input, 'bucket'>>
  const prefix = query.get('prefix') ?? ''
  const delimiter = query.get('delimiter') ?? ''
  const rawMaxKeys = query.get('max-keys')
  const maxKeys = rawMaxKeys === null ? 1000 : Math.max(0, Math.min(1000, Number.parseInt(rawMaxKeys, 10) || 0))
  const startAfter = query.get('start-after') ?? ''
  const token = query.get('continuation-token')
  const after = token !== null ? Buffer.from(token, 'base64url').toString('utf8') : startAfter
  const urlEncode = query.get('encoding-type') === 'url'
  const show = (value: string) => (urlEncode ? encodeURIComponent(value).replace(/%2F/g, '/') : value)

  const objects = context.store.objects.get(bucket) ?? new Map<string, StoredObject>()
  type Entry = { kind: 'object'; key: string; object: StoredObject } | { kind: 'prefix'; key: string }
  const entries: Entry[] = []
  const seenPrefixes = new Set<string>()
  for (const key of [...objects.keys()].sort()) {
    if (!key.startsWith(prefix)) continue
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter.length)
      if (!seenPrefixes.has(common)) {
        seenPrefixes.add(common)
        entries.push({ kind: 'prefix', key: common })
      }
    } else {
      entries.push({ kind: 'object', key, object: objects.get(key)! })
    }
  }
  const remaining = entries.filter((entry) => entry.key > after)
  const page = remaining.slice(0, maxKeys)
  const truncated = remaining.length > page.length
  const contents = page
    .filter((entry): entry is Extract<Entry, { kind: 'object' }> => entry.kind === 'object')
    .map(
      ({ key, object }) =>
        `<Contents>${xmlLeaf('Key', show(key))}${xmlLeaf('LastModified', object.lastModified.toISOString())}${xmlLeaf('ETag', object.etag)}${xmlLeaf('Size', object.body.length)}${xmlLeaf('StorageClass', 'STANDARD')}</Contents>`,
    )
  const prefixes = page.filter((entry) => entry.kind === 'prefix').map(({ key }) => `<CommonPrefixes>${xmlLeaf('Prefix', show(key))}</CommonPrefixes>`)
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ListBucketResult xmlns="${S3_XMLNS}">` +
    xmlLeaf('Name', bucket) +
    xmlLeaf('Prefix', show(prefix)) +
    (delimiter ? xmlLeaf('Delimiter', show(delimiter)) : '') +
    xmlLeaf('MaxKeys', maxKeys) +
    (urlEncode ? xmlLeaf('EncodingType', 'url') : '') +
    xmlLeaf('KeyCount', page.length) +
    xmlLeaf('IsTruncated', truncated) +
    (token !== null ? xmlLeaf('ContinuationToken', token) : '') +
    (truncated ? xmlLeaf('NextContinuationToken', Buffer.from(page.at(-1)!.key, 'utf8').toString('base64url')) : '') +
    (startAfter ? xmlLeaf('StartAfter', show(startAfter)) : '') +
    contents.join('') +
    prefixes.join('') +
    '</ListBucketResult>'
  return { status: 200, headers: { ...s3Headers(), 'content-type': 'application/xml' }, body }
}

const headBucket: GateHandler = (context) => ({ status: 200, headers: { ...s3Headers(), 'x-amz-bucket-region': context.region } })

export const s3Service: GateService = {
  service: 's3',
  protocol: restXml,
  uriEscapePath: false,
  deniedStyle: { quoteResource: true },
  operation: s3OperationOf,
  handlers: {
    GetObject: objectReply,
    HeadObject: objectReply,
    PutObject: putObject,
    DeleteObject: deleteObject,
    ListObjectsV2: listObjectsV2,
    HeadBucket: headBucket,
  },
}
