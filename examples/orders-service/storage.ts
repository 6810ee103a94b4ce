/**
 * A tiny service module, as a team would have it: it builds its S3 client with no explicit
 * credentials, so the default chain decides who it runs as. That is what the suites pin.
 */
import { S3Client } from '@aws-sdk/client-s3'

export const ORDERS_BUCKET = 'orders-archive'

export function createOrdersStorage(): S3Client {
  return new S3Client({})
}
