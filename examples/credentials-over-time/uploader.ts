/**
 * The application under test: an uploader that sends a large file in parts with ONE S3 client,
 * waiting between parts (a slow link, a throttled producer). It never recreates its client: the
 * SDK must refresh the credentials under it when the first ones expire mid-upload.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'

export interface UploadOptions {
  bucket: string
  key: string
  parts: readonly string[]
  /** Called after each part: in production a slow network; in the test, time passing. */
  between(part: number): Promise<void>
}

export async function uploadInParts(s3: S3Client, { bucket, key, parts, between }: UploadOptions): Promise<number> {
  for (const [n, body] of parts.entries()) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${key}.part-${n + 1}`, Body: body }))
    await between(n + 1)
  }
  return parts.length
}

export async function readPart(s3: S3Client, bucket: string, key: string, n: number): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.part-${n}` }))
  return out.Body!.transformToString()
}

/** A service that makes a client per request handler — the usual way to end up with fifty. */
export function handlers<T>(count: number, make: () => T): T[] {
  return Array.from({ length: count }, make)
}
