import { Readable } from 'node:stream'
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PARAMETER_VALUE, SECRET_STRING } from '../../src/servers/gate.js'
import { startLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import type { IssuedCredentials } from '../../src/servers/ledger.js'
import { fakeWorld, installLoopbackGuard, sandboxEnv, type FakeWorld, type FakeWorldOptions } from './fake-world.js'

let servers: LoopbackServers
let removeGuard: () => void
let env: ReturnType<typeof sandboxEnv>
let attached: FakeWorld | undefined

beforeAll(async () => {
  removeGuard = installLoopbackGuard()
  servers = await startLoopbackServers()
})
afterAll(() => removeGuard())
beforeEach(() => {
  // Every AWS_* removed, HOME a temp dir, AWS_ENDPOINT_URL = the gate, AWS_REGION = us-east-1.
  env = sandboxEnv(servers, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' })
})
afterEach(() => {
  if (attached) {
    // No reply, message or record may ever carry a secret or a session token.
    const secrets = attached.ledger.secrets()
    const seen = JSON.stringify([attached.requests, errorsSeen.map((e) => [e.name, e.message, (e as { Error?: unknown }).Error])])
    for (const secret of secrets) expect(seen).not.toContain(secret)
    servers.detach(attached)
  }
  attached = undefined
  errorsSeen.length = 0
  env.restore()
})

const errorsSeen: Error[] = []

function attach(options: FakeWorldOptions = {}): FakeWorld {
  attached = fakeWorld(options)
  servers.attach(attached)
  return attached
}

function keysOf(issued: IssuedCredentials) {
  return { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, ...(issued.sessionToken ? { sessionToken: issued.sessionToken } : {}) }
}

type Keys = ReturnType<typeof keysOf>
const s3 = (keys: Keys) => new S3Client({ credentials: keys })
const ddb = (keys: Keys) => new DynamoDBClient({ credentials: keys })
const sqs = (keys: Keys) => new SQSClient({ credentials: keys })
const secrets = (keys: Keys) => new SecretsManagerClient({ credentials: keys })
const ssm = (keys: Keys) => new SSMClient({ credentials: keys })
// STS keeps its own endpoint in a world (AWS_ENDPOINT_URL_STS); aim a client at the gate explicitly.
const stsAtGate = (keys: Keys) => new STSClient({ endpoint: servers.urls.gate, credentials: keys })

/** The error a call throws (it must throw). */
async function failure(call: Promise<unknown>): Promise<Error & { name: string; $metadata: { httpStatusCode?: number }; $fault?: string }> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e as Error,
  )
  errorsSeen.push(error)
  return error as Error & { name: string; $metadata: { httpStatusCode?: number }; $fault?: string }
}

const ACCOUNT = '123456789012'

describe('S3 (REST-XML) through the gate', () => {
  it('PutObject, GetObject, HeadObject and ListObjectsV2 round-trip for an allowed role, and each call is recorded', async () => {
    const world = attach({ gate: { allow: { web: ['s3:*'] } } })
    const role = world.roleSession('web')
    const client = s3(keysOf(role))
    const put = await client.send(new PutObjectCommand({ Bucket: 'reports', Key: 'daily/2026-01-02.csv', Body: 'a,b\n1,2\n', ContentType: 'text/csv' }))
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/)
    const got = await client.send(new GetObjectCommand({ Bucket: 'reports', Key: 'daily/2026-01-02.csv' }))
    expect(await got.Body!.transformToString()).toBe('a,b\n1,2\n')
    expect(got).toMatchObject({ ContentType: 'text/csv', ETag: put.ETag, ContentLength: 8 })
    const head = await client.send(new HeadObjectCommand({ Bucket: 'reports', Key: 'daily/2026-01-02.csv' }))
    expect(head).toMatchObject({ ContentLength: 8, ETag: put.ETag, ContentType: 'text/csv' })
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'reports', Prefix: 'daily/' }))
    expect(listed).toMatchObject({ Name: 'reports', KeyCount: 1, IsTruncated: false })
    expect(listed.Contents?.map((o) => [o.Key, o.Size, o.ETag])).toEqual([['daily/2026-01-02.csv', 8, put.ETag]])

    expect(world.requests.map((r) => [r.server, r.method, r.status, r.service, r.action])).toEqual([
      ['gate', 'PUT', 200, 's3', 'PutObject'],
      ['gate', 'GET', 200, 's3', 'GetObject'],
      ['gate', 'HEAD', 200, 's3', 'HeadObject'],
      ['gate', 'GET', 200, 's3', 'ListObjectsV2'],
    ])
    for (const entry of world.requests) {
      expect(entry).toMatchObject({ accessKeyId: role.accessKeyId, principal: role.principal, source: 'instanceProfile' })
    }
  })

  it('reads an object never put as a small text body; lists with a delimiter and pages with max-keys', async () => {
    const world = attach()
    const client = s3(keysOf(world.user('ci')))
    const got = await client.send(new GetObjectCommand({ Bucket: 'assets', Key: 'logo with space.png' }))
    expect(await got.Body!.transformToString()).toBe('chainproof object s3://assets/logo with space.png')
    expect(got.ContentType).toBe('text/plain')
    for (const key of ['a/1', 'a/2', 'b/1', 'c']) await client.send(new PutObjectCommand({ Bucket: 'assets', Key: key, Body: key }))
    const top = await client.send(new ListObjectsV2Command({ Bucket: 'assets', Delimiter: '/' }))
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/'])
    expect(top.Contents?.map((o) => o.Key)).toEqual(['c'])
    const first = await client.send(new ListObjectsV2Command({ Bucket: 'assets', MaxKeys: 2 }))
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 2 })
    const second = await client.send(new ListObjectsV2Command({ Bucket: 'assets', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }))
    expect([...first.Contents!, ...second.Contents!].map((o) => o.Key)).toEqual(['a/1', 'a/2', 'b/1', 'c'])
    expect(second.IsTruncated).toBe(false)
  })

  it('accepts a streamed PutObject (aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER) and stores the decoded payload', async () => {
    const world = attach()
    const client = s3(keysOf(world.user('ci')))
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'stream.txt', ContentLength: 12, Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]) }))
    const got = await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'stream.txt' }))
    expect(await got.Body!.transformToString()).toBe('hello stream')
  })

  it('a principal without an allow gets AccessDenied (403), worded as S3 words it', async () => {
    const world = attach({ gate: { allow: { web: ['s3:GetObject'] } } })
    const ci = world.user('ci')
    const error = await failure(s3(keysOf(ci)).send(new GetObjectCommand({ Bucket: 'reports', Key: 'q1.csv' })))
    expect(error.name).toBe('AccessDenied')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::reports/q1.csv" because no identity-based policy allows the s3:GetObject action`,
    )
    // ListObjectsV2 needs s3:ListBucket, on the bucket
    const list = await failure(s3(keysOf(world.roleSession('web'))).send(new ListObjectsV2Command({ Bucket: 'reports' })))
    expect(list.name).toBe('AccessDenied')
    expect(list.message).toMatch(/perform: s3:ListBucket on resource: "arn:aws:s3:::reports" because/)
    expect(world.requests.map((r) => [r.status, r.action, r.principal])).toEqual([
      [403, 'GetObject', ci.principal],
      [403, 'ListObjectsV2', expect.stringMatching(/assumed-role\/web\//)],
    ])
  })

  it('HeadObject is authorised by s3:GetObject; denied, it fails with 403 and no body (the SDK names it from the status)', async () => {
    const world = attach({ gate: { allow: { web: ['s3:GetObject'] } } })
    await expect(s3(keysOf(world.roleSession('web'))).send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))).resolves.toMatchObject({ ContentLength: 26 })
    const error = await failure(s3(keysOf(world.user('ci'))).send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' })))
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.$fault).toBe('client')
    expect(world.requests.at(-1)).toMatchObject({ status: 403, action: 'HeadObject' })
  })

  it('explicit deny beats allow: a bucket policy that shuts out every principal but web (deny { "!web": ["s3:*"] })', async () => {
    const world = attach({ gate: { allow: { '*': ['s3:*'] }, deny: { '!web': ['s3:*'] } } })
    await expect(s3(keysOf(world.roleSession('web'))).send(new GetObjectCommand({ Bucket: 'vault', Key: 'k' }))).resolves.toBeDefined()
    const error = await failure(s3(keysOf(world.user('ci'))).send(new GetObjectCommand({ Bucket: 'vault', Key: 'k' })))
    expect(error.name).toBe('AccessDenied')
    expect(error.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::vault/k" with an explicit deny in a resource-based policy`,
    )
  })

  it('explicit deny of one action beats the same principal\'s wildcard allow', async () => {
    const world = attach({ gate: { allow: { web: ['s3:*'] }, deny: { web: ['s3:PutObject'] } } })
    const client = s3(keysOf(world.roleSession('web')))
    expect((await failure(client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })))).name).toBe('AccessDenied')
    await expect(client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).resolves.toBeDefined()
  })

  it('an operation the gate does not model: 501 NotImplemented when allowed (not retried), AccessDenied when denied', async () => {
    const world = attach({ gate: { allow: { web: ['s3:*'] } } })
    const error = await failure(s3(keysOf(world.roleSession('web'))).send(new CreateBucketCommand({ Bucket: 'new-bucket' })))
    expect(error.name).toBe('NotImplemented')
    expect(error.$metadata.httpStatusCode).toBe(501)
    expect(error.message).toMatch(/chainproof's gate does not model s3:CreateBucket; for s3 it models GetObject, HeadObject, PutObject/)
    expect(world.requests).toHaveLength(1)
    const denied = await failure(s3(keysOf(world.user('ci'))).send(new CreateBucketCommand({ Bucket: 'new-bucket' })))
    expect(denied.name).toBe('AccessDenied')
    expect(world.requests.map((r) => [r.status, r.action])).toEqual([
      [501, 'CreateBucket'],
      [403, 'CreateBucket'],
    ])
  })
})

describe('DynamoDB (awsJson1_0) through the gate', () => {
  it('PutItem, GetItem (the item put, or none) and Query answer and parse', async () => {
    const world = attach({ gate: { allow: { web: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'] } } })
    const role = world.roleSession('web', { source: 'container', sessionName: 'task-1' })
    const client = ddb(keysOf(role))
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: '1' }, total: { N: '42' } } }))
    const got = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } }))
    expect(got.Item).toEqual({ id: { S: '1' }, total: { N: '42' } })
    const missing = await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '2' } } }))
    expect(missing.Item).toBeUndefined()
    const query = await client.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: '1' } } }))
    expect(query).toMatchObject({ Items: [], Count: 0, ScannedCount: 0 })
    expect(world.requests.map((r) => [r.status, r.service, r.action, r.source, r.principal])).toEqual([
      [200, 'dynamodb', 'PutItem', 'container', role.principal],
      [200, 'dynamodb', 'GetItem', 'container', role.principal],
      [200, 'dynamodb', 'GetItem', 'container', role.principal],
      [200, 'dynamodb', 'Query', 'container', role.principal],
    ])
  })

  it('denied: AccessDeniedException (400) naming the table ARN', async () => {
    const world = attach({ gate: { allow: { web: ['dynamodb:Query'] } } })
    const error = await failure(ddb(keysOf(world.roleSession('web'))).send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: '1' } } })))
    expect(error.name).toBe('AccessDeniedException')
    expect(error.$metadata.httpStatusCode).toBe(400)
    expect(error.message).toMatch(
      new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/web/i-[0-9a-f]+ is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders because no identity-based policy allows the dynamodb:GetItem action$`),
    )
  })

  it('an unmodelled operation: NotImplemented (501) when allowed, AccessDeniedException when explicitly denied', async () => {
    const world = attach({ gate: { allow: { '*': ['dynamodb:*'] }, deny: { ci: ['dynamodb:Scan'] } } })
    const error = await failure(ddb(keysOf(world.roleSession('web'))).send(new ScanCommand({ TableName: 'orders' })))
    expect(error.name).toBe('NotImplemented')
    expect(error.$metadata.httpStatusCode).toBe(501)
    const denied = await failure(ddb(keysOf(world.user('ci'))).send(new ScanCommand({ TableName: 'orders' })))
    expect(denied.name).toBe('AccessDeniedException')
    expect(denied.message).toMatch(/with an explicit deny in a resource-based policy$/)
    expect(world.requests.map((r) => [r.status, r.action])).toEqual([
      [501, 'Scan'],
      [400, 'Scan'],
    ])
  })

  it('a missing required member is a ValidationException', async () => {
    const world = attach()
    const error = await failure(ddb(keysOf(world.user('ci'))).send(new GetItemCommand({ TableName: 'orders' } as never)))
    expect(error.name).toBe('ValidationException')
  })
})

describe('SQS (awsJson1_0, query-compatible) through the gate', () => {
  it('GetQueueUrl points at the gate; SendMessage answers the MD5 the SDK checks; ReceiveMessage returns what was sent', async () => {
    const world = attach({ gate: { allow: { worker: ['sqs:*'] } } })
    const client = sqs(keysOf(world.roleSession('worker')))
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'jobs' }))
    expect(QueueUrl).toBe(`${servers.urls.gate}/${ACCOUNT}/jobs`)
    const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'build #42 ✓' }))
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/)
    const batch = await client.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two' }] }))
    expect(batch.Successful?.map((e) => e.Id)).toEqual(['a', 'b'])
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))
    expect(received.Messages?.map((m) => m.Body)).toEqual(['build #42 ✓', 'one', 'two'])
    expect(received.Messages?.[0]?.MessageId).toBe(sent.MessageId)
    const empty = await client.send(new ReceiveMessageCommand({ QueueUrl }))
    expect(empty.Messages).toBeUndefined()
    expect(world.requests.map((r) => [r.status, r.service, r.action])).toEqual([
      [200, 'sqs', 'GetQueueUrl'],
      [200, 'sqs', 'SendMessage'],
      [200, 'sqs', 'SendMessageBatch'],
      [200, 'sqs', 'ReceiveMessage'],
      [200, 'sqs', 'ReceiveMessage'],
    ])
  })

  it('denied: the SDK throws AccessDenied (the query code from x-amzn-query-error), 403, action lower-cased as SQS writes it', async () => {
    const world = attach({ gate: { allow: { worker: ['sqs:ReceiveMessage'] } } })
    const QueueUrl = `${servers.urls.gate}/${ACCOUNT}/jobs`
    const error = await failure(sqs(keysOf(world.roleSession('worker'))).send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })))
    expect(error.name).toBe('AccessDenied')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toMatch(new RegExp(`is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:${ACCOUNT}:jobs because no identity-based policy allows the sqs:sendmessage action$`))
    expect((error as unknown as { Code?: string; Type?: string })).toMatchObject({ Code: 'AccessDenied', Type: 'Sender' })
    await expect(sqs(keysOf(world.roleSession('worker'))).send(new ReceiveMessageCommand({ QueueUrl }))).resolves.toBeDefined()
  })
})

describe('Secrets Manager and SSM (awsJson1_1) through the gate', () => {
  it('GetSecretValue answers a current secret string', async () => {
    const world = attach({ gate: { allow: { 'arn:aws:iam::123456789012:role/api': ['secretsmanager:GetSecretValue'] } } })
    const secret = await secrets(keysOf(world.roleSession('api'))).send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(secret).toMatchObject({ Name: 'prod/db', SecretString: SECRET_STRING, VersionStages: ['AWSCURRENT'] })
    expect(secret.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-[A-Za-z0-9]{6}$`))
    expect(secret.VersionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(secret.CreatedDate).toBeInstanceOf(Date)
    expect(world.requests.at(-1)).toMatchObject({ status: 200, service: 'secretsmanager', action: 'GetSecretValue' })
  })

  it('GetSecretValue denied: AccessDeniedException', async () => {
    const world = attach({ gate: { allow: { api: ['ssm:*'] } } })
    const error = await failure(secrets(keysOf(world.roleSession('api'))).send(new GetSecretValueCommand({ SecretId: 'prod/db' })))
    expect(error.name).toBe('AccessDeniedException')
    expect(error.message).toMatch(/perform: secretsmanager:GetSecretValue on resource: prod\/db because no identity-based policy allows/)
  })

  it('GetParameter answers a String parameter; denied, AccessDeniedException naming the parameter ARN', async () => {
    const world = attach({ gate: { allow: { api: ['ssm:GetParameter'] } } })
    const got = await ssm(keysOf(world.roleSession('api'))).send(new GetParameterCommand({ Name: '/app/flags' }))
    expect(got.Parameter).toMatchObject({ Name: '/app/flags', Type: 'String', Value: PARAMETER_VALUE, Version: 1, DataType: 'text', ARN: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/flags` })
    const error = await failure(ssm(keysOf(world.user('ci'))).send(new GetParameterCommand({ Name: '/app/flags' })))
    expect(error.name).toBe('AccessDeniedException')
    expect(error.message).toMatch(new RegExp(`on resource: arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/flags because`))
    expect(world.requests.map((r) => [r.status, r.service, r.action])).toEqual([
      [200, 'ssm', 'GetParameter'],
      [400, 'ssm', 'GetParameter'],
    ])
  })
})

describe('STS (awsQuery) through the gate', () => {
  it('GetCallerIdentity answers the caller, and is allowed even under deny "*", as in AWS', async () => {
    const world = attach({ gate: { allow: {}, deny: { '*': ['*'] } } })
    const role = world.roleSession('web', { source: 'webIdentity', sessionName: 'pod-1' })
    const who = await stsAtGate(keysOf(role)).send(new GetCallerIdentityCommand({}))
    expect(who).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/pod-1` })
    expect(world.requests).toEqual([
      expect.objectContaining({ server: 'gate', status: 200, service: 'sts', action: 'GetCallerIdentity', accessKeyId: role.accessKeyId, principal: role.principal, source: 'webIdentity' }),
    ])
  })

  it('AssumeRole through the gate is subject to the rules: denied, AccessDenied in the query shape; allowed, a session', async () => {
    const world = attach({ gate: { allow: { deployer: ['sts:AssumeRole'] } } })
    const params = { RoleArn: `arn:aws:iam::${ACCOUNT}:role/target`, RoleSessionName: 'run-1' }
    const error = await failure(stsAtGate(keysOf(world.user('ci'))).send(new AssumeRoleCommand(params)))
    expect(error.name).toBe('AccessDenied')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toMatch(new RegExp(`perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/target because`))
    const assumed = await stsAtGate(keysOf(world.user('deployer'))).send(new AssumeRoleCommand(params))
    expect(world.ledger.identityOf(assumed.Credentials!.AccessKeyId!)).toMatchObject({ role: 'target', sessionName: 'run-1' })
  })
})

describe('authentication at the gate', () => {
  const unknownKeys = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'u'.repeat(40) }

  it('an unknown key: S3 InvalidAccessKeyId, JSON UnrecognizedClientException, SQS and STS InvalidClientTokenId; nothing attributed', async () => {
    const world = attach()
    const s3Error = await failure(s3(unknownKeys).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })))
    expect([s3Error.name, s3Error.$metadata.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403])
    expect(s3Error.message).toBe('The AWS Access Key Id you provided does not exist in our records.')
    const ddbError = await failure(ddb(unknownKeys).send(new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } })))
    expect([ddbError.name, ddbError.$metadata.httpStatusCode]).toEqual(['UnrecognizedClientException', 400])
    const sqsError = await failure(sqs(unknownKeys).send(new SendMessageCommand({ QueueUrl: `${servers.urls.gate}/${ACCOUNT}/q`, MessageBody: 'x' })))
    expect([sqsError.name, sqsError.$metadata.httpStatusCode]).toEqual(['InvalidClientTokenId', 403])
    const ssmError = await failure(ssm(unknownKeys).send(new GetParameterCommand({ Name: 'p' })))
    expect(ssmError.name).toBe('UnrecognizedClientException')
    const stsError = await failure(stsAtGate(unknownKeys).send(new GetCallerIdentityCommand({})))
    expect(stsError.name).toBe('InvalidClientTokenId')
    expect(world.requests.map((r) => [r.service, r.action, r.accessKeyId])).toEqual([
      ['s3', 'GetObject', undefined],
      ['dynamodb', 'GetItem', undefined],
      ['sqs', 'SendMessage', undefined],
      ['ssm', 'GetParameter', undefined],
      ['sts', 'GetCallerIdentity', undefined],
    ])
  })

  it('a wrong secret: SignatureDoesNotMatch (S3, SQS), InvalidSignatureException (JSON)', async () => {
    const world = attach()
    const ci = world.user('ci')
    const wrong = { accessKeyId: ci.accessKeyId, secretAccessKey: 'w'.repeat(40) }
    expect((await failure(s3(wrong).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })))).name).toBe('SignatureDoesNotMatch')
    expect((await failure(ddb(wrong).send(new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } })))).name).toBe('InvalidSignatureException')
    expect((await failure(sqs(wrong).send(new SendMessageCommand({ QueueUrl: `${servers.urls.gate}/${ACCOUNT}/q`, MessageBody: 'x' })))).name).toBe('SignatureDoesNotMatch')
    expect((await failure(secrets(wrong).send(new GetSecretValueCommand({ SecretId: 's' })))).name).toBe('InvalidSignatureException')
    expect(world.requests.every((r) => r.accessKeyId === undefined && r.status >= 400)).toBe(true)
  })

  it('a session with the wrong token is refused (S3 InvalidToken), an expired session too (ExpiredToken / ExpiredTokenException)', async () => {
    const world = attach()
    const role = world.roleSession('web')
    const badToken = { ...keysOf(role), sessionToken: 'IQoJnot-the-token' }
    expect((await failure(s3(badToken).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })))).name).toBe('InvalidToken')
    expect((await failure(ddb(badToken).send(new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } })))).name).toBe('UnrecognizedClientException')
    const expired = world.roleSession('web', { lifetimeMs: -1000, source: 'webIdentity', sessionName: 'pod' })
    expect((await failure(s3(keysOf(expired)).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })))).name).toBe('ExpiredToken')
    expect((await failure(ssm(keysOf(expired)).send(new GetParameterCommand({ Name: 'p' })))).name).toBe('ExpiredTokenException')
    // expired instance credentials are honoured, as AWS honours them while IMDS cannot renew them (static stability)
    const expiredInstance = world.roleSession('web', { lifetimeMs: -1000 })
    await s3(keysOf(expiredInstance)).send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch((error: Error) => expect(error.name).not.toBe('ExpiredToken'))
  })

  /** A request signed by the SDK's own signer, sent with fetch, optionally tampered with after signing. */
  async function signedFetch(
    keys: Keys,
    options: {
      method: string
      path: string
      service: string
      headers?: Record<string, string>
      body?: string
      /** A different body to send than the one signed. */
      sendBody?: string
      tamper?: (headers: Record<string, string>) => void
    },
  ): Promise<Response> {
    const url = new URL(servers.urls.gate)
    const request = new HttpRequest({
      method: options.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: options.path,
      headers: { host: url.host, ...options.headers },
      ...(options.body !== undefined ? { body: options.body } : {}),
    })
    const signer = new SignatureV4({ credentials: keys, region: 'us-east-1', service: options.service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: options.service !== 's3' })
    const signed = await signer.sign(request)
    const headers = { ...(signed.headers as Record<string, string>) }
    delete headers.host
    options.tamper?.(headers)
    const body = options.sendBody ?? options.body
    return fetch(servers.urls.gate + options.path, { method: options.method, headers, ...(body !== undefined ? { body } : {}) })
  }

  it('a signature altered after signing is SignatureDoesNotMatch; the same request untouched is served', async () => {
    const world = attach()
    const keys = keysOf(world.user('ci'))
    const ok = await signedFetch(keys, { method: 'GET', path: '/b/k', service: 's3', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('chainproof object s3://b/k')
    const tampered = await signedFetch(keys, {
      method: 'GET',
      path: '/b/k',
      service: 's3',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      tamper: (h) => {
        h.authorization = h.authorization!.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`)
      },
    })
    expect(tampered.status).toBe(403)
    expect(await tampered.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/)
    // a JSON body changed after signing (the payload hash no longer matches)
    const json = { method: 'POST', path: '/', service: 'dynamodb', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' } }
    const body = JSON.stringify({ TableName: 't', Key: { id: { S: '1' } } })
    expect((await signedFetch(keys, { ...json, body })).status).toBe(200)
    const changed = await signedFetch(keys, { ...json, body, sendBody: body.replace('"1"', '"2"') })
    expect(changed.status).toBe(400)
    expect(changed.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException')
  })

  it('an unsigned request is refused in the protocol\'s shape and attributed to no one', async () => {
    const world = attach()
    const s3Reply = await fetch(`${servers.urls.gate}/my-bucket/key.txt`)
    expect(s3Reply.status).toBe(403)
    expect(await s3Reply.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/)
    const jsonReply = await fetch(`${servers.urls.gate}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: '{"TableName":"t","Key":{}}',
    })
    expect(jsonReply.status).toBe(400)
    expect(jsonReply.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    expect(await jsonReply.json()).toMatchObject({ __type: expect.stringMatching(/#MissingAuthenticationTokenException$/) })
    const queryReply = await fetch(`${servers.urls.gate}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' })
    expect(queryReply.status).toBe(403)
    expect(await queryReply.text()).toMatch(/<Code>MissingAuthenticationToken<\/Code>/)
    expect(world.requests.map((r) => [r.status, r.service, r.action, r.accessKeyId])).toEqual([
      [403, 's3', 'GetObject', undefined],
      [400, 'dynamodb', 'GetItem', undefined],
      [403, 'sts', 'GetCallerIdentity', undefined],
    ])
  })

  it('a service the gate does not model is named from the signature and answered 501 when allowed, AccessDeniedException when not', async () => {
    const world = attach({ gate: { allow: { ci: ['lambda:*'] } } })
    const allowed = await signedFetch(keysOf(world.user('ci')), { method: 'GET', path: '/2015-03-31/functions', service: 'lambda' })
    expect(allowed.status).toBe(501)
    expect(allowed.headers.get('x-amzn-errortype')).toBe('NotImplemented')
    expect((await allowed.json()) as unknown).toMatchObject({ message: expect.stringMatching(/does not model the lambda service/) })
    const denied = await signedFetch(keysOf(world.user('other')), { method: 'GET', path: '/2015-03-31/functions', service: 'lambda' })
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException')
    expect(world.requests.map((r) => [r.status, r.service])).toEqual([
      [501, 'lambda'],
      [403, 'lambda'],
    ])
  })
})

describe('a world without gate rules', () => {
  it('allows every verified call, and records who made it', async () => {
    const world = attach()
    const ci = world.user('ci')
    await s3(keysOf(ci)).send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }))
    await ddb(keysOf(ci)).send(new PutItemCommand({ TableName: 't', Item: { id: { S: '1' } } }))
    await secrets(keysOf(ci)).send(new GetSecretValueCommand({ SecretId: 's' }))
    await ssm(keysOf(ci)).send(new GetParameterCommand({ Name: 'p' }))
    expect(world.requests.map((r) => [r.status, r.service, r.action, r.accessKeyId, r.principal, r.source])).toEqual([
      [200, 's3', 'PutObject', ci.accessKeyId, ci.principal, 'env'],
      [200, 'dynamodb', 'PutItem', ci.accessKeyId, ci.principal, 'env'],
      [200, 'secretsmanager', 'GetSecretValue', ci.accessKeyId, ci.principal, 'env'],
      [200, 'ssm', 'GetParameter', ci.accessKeyId, ci.principal, 'env'],
    ])
  })
})
