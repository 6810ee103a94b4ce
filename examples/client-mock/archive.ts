/**
 * The invoice archiver, as a team would have it: it builds its S3 client with no explicit
 * credentials (the default chain decides who it runs as) and copies an invoice to the archive.
 * Its unit tests stub S3 with aws-sdk-client-mock; chainproof adds who signed each call.
 */
import { CopyObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'

export const INVOICES_BUCKET = 'invoices'
export const ARCHIVE_BUCKET = 'archive'

export function createArchiveClient(): S3Client {
  return new S3Client({})
}

/** Copies `invoices/<key>` to `archive/<year>/<key>` if it is a PDF; resolves to the archived object's URL. */
export async function archiveInvoice(s3: S3Client, key: string, year = '2026'): Promise<string> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: INVOICES_BUCKET, Key: key }))
  if (head.ContentType !== 'application/pdf') throw new Error(`invoices/${key} is not a PDF (${head.ContentType ?? 'no content type'})`)
  const target = `${year}/${key}`
  await s3.send(new CopyObjectCommand({ Bucket: ARCHIVE_BUCKET, Key: target, CopySource: `${INVOICES_BUCKET}/${key}` }))
  return `s3://${ARCHIVE_BUCKET}/${target}`
}
