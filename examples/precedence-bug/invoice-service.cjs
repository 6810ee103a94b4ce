/**
 * A small service: it reads an invoice object from S3 with a client that has no explicit
 * credentials, so the default chain decides who it runs as — on EC2 that should be the
 * instance role. Run as a program (node invoice-service.cjs) it prints one JSON line, so a
 * test can run it in its own process with a world's env and watch it from the outside.
 */
const { GetObjectCommand, S3Client } = require('@aws-sdk/client-s3')

const INVOICE_BUCKET = 'invoices'
const INVOICE_KEY = '2026/11/invoice-0042.pdf'

async function fetchInvoice(client = new S3Client({})) {
  const answer = await client.send(new GetObjectCommand({ Bucket: INVOICE_BUCKET, Key: INVOICE_KEY }))
  return answer.Body.transformToString()
}

module.exports = { fetchInvoice, INVOICE_BUCKET, INVOICE_KEY }

if (require.main === module) {
  fetchInvoice().then(
    (body) => console.log(JSON.stringify({ ok: true, bytes: body.length })),
    (error) => {
      console.log(JSON.stringify({ ok: false, error: error.name, status: error.$metadata?.httpStatusCode }))
      process.exitCode = 1
    },
  )
}
