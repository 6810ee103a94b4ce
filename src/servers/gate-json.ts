import { createHash, randomUUID } from 'node:crypto'
import { headerOf, type RouteReply, type RouteRequest } from './http.js'
import { awsJson, type GateProtocol } from './gate-protocols.js'
import type { GateContext, GateHandler, GateInvalid, GateOperation, GateService, StoredMessage } from './gate-service.js'
import type { ServerWorld } from './state.js'
import { parseAuthorization } from './sts.js'

/**
 * Services that speak awsJson1_0 / awsJson1_1: a POST to `/` naming the operation in
 * `X-Amz-Target: <prefix>.<Operation>`, with a JSON body. Modelled here: DynamoDB (GetItem,
 * PutItem, DeleteItem, Query), SQS (SendMessage, SendMessageBatch, ReceiveMessage,
 * DeleteMessage, GetQueueUrl — SQS is awsJson1_0 and query-compatible in the installed SDK),
 * Secrets Manager (GetSecretValue) and SSM (GetParameter, GetParameters).
 */

type Json = Record<string, unknown>

/** The region of the request's credential scope (where the caller thinks it is), else the world's. */
export function scopeRegion(request: RouteRequest, world: ServerWorld): string {
  const authorization = headerOf(request, 'authorization')
  return (authorization && parseAuthorization(authorization)?.region) || world.region
}

function parseBody(request: RouteRequest): Json | undefined {
  if (request.text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(request.text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
  } catch {
    return undefined
  }
}

function stringField(input: Json, name: string): string | undefined {
  const value = input[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function ok(protocol: GateProtocol, value: unknown, requestId: string): RouteReply {
  const contentType = protocol.name === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1'
  return { status: 200, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId }, body: JSON.stringify(value) }
}

interface JsonServiceSpec {
  service: string
  /** The `X-Amz-Target` prefix, before the dot. */
  targetPrefix: string
  protocol: GateProtocol
  deniedStyle?: GateService['deniedStyle']
  /** Fields each modelled operation must have, for a ValidationException like production's. */
  required?: Readonly<Record<string, readonly string[]>>
  /** The resource ARN an operation is on (or `*`). */
  resourceOf(action: string, input: Json, where: { region: string; accountId: string }): string
  handlers: Readonly<Record<string, (context: GateContext, input: Json) => unknown>>
}

function jsonService(spec: JsonServiceSpec): GateService & { readonly targetPrefix: string } {
  const handlers: Record<string, GateHandler> = {}
  for (const [name, handle] of Object.entries(spec.handlers)) {
    handlers[name] = (context) => ok(spec.protocol, handle(context, context.operation.input as Json), context.requestId)
  }
  return {
    service: spec.service,
    targetPrefix: spec.targetPrefix,
    protocol: spec.protocol,
    ...(spec.deniedStyle ? { deniedStyle: spec.deniedStyle } : {}),
    handlers,
    operation(request, world): GateOperation | GateInvalid {
      const target = headerOf(request, 'x-amz-target') ?? ''
      const action = target.slice(target.indexOf('.') + 1)
      if (!/^[A-Za-z0-9]+$/.test(action)) return { invalid: `X-Amz-Target ${JSON.stringify(target)} names no operation.` }
      const input = parseBody(request)
      if (!input) return { invalid: 'The request body is not a JSON object.', action }
      if (Object.hasOwn(spec.handlers, action)) {
        for (const field of spec.required?.[action] ?? []) {
          if (input[field] === undefined || input[field] === null || input[field] === '') {
            return { invalid: `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`, action }
          }
        }
      }
      const resource = spec.resourceOf(action, input, { region: scopeRegion(request, world), accountId: world.accountId })
      return { action, iamAction: `${spec.service}:${action}`, resource, input }
    },
  }
}

/** A stable lower-case hex digest, for ids that must not change between calls. */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex')
}

function stableUuid(...parts: string[]): string {
  const hex = digest(...parts)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

function sameAttributes(item: Json, key: Json): boolean {
  return Object.entries(key).every(([name, value]) => JSON.stringify(item[name]) === JSON.stringify(value))
}

export const dynamodbService = jsonService({
  service: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  protocol: awsJson('1.0', { namespace: 'com.amazonaws.dynamodb.v20120810' }),
  required: { GetItem: ['TableName', 'Key'], PutItem: ['TableName', 'Item'], DeleteItem: ['TableName', 'Key'], Query: ['TableName'] },
  resourceOf(_action, input, { region, accountId }) {
    const table = stringField(input, 'TableName')
    if (!table) return '*'
    return table.startsWith('arn:') ? table : `arn:aws:dynamodb:${region}:${accountId}:table/${table}`
  },
  handlers: {
    GetItem({ store }, input) {
      const items = store.items.get(String(input.TableName)) ?? []
      const key = (input.Key ?? {}) as Json
      const item = [...items].reverse().find((candidate) => sameAttributes(candidate, key))
      return item ? { Item: item } : {}
    },
    PutItem({ store }, input) {
      const table = String(input.TableName)
      let items = store.items.get(table)
      if (!items) store.items.set(table, (items = []))
      items.push(input.Item as Json)
      return {}
    },
    DeleteItem({ store }, input) {
      const table = String(input.TableName)
      const key = (input.Key ?? {}) as Json
      const items = store.items.get(table)
      if (items) store.items.set(table, items.filter((item) => !sameAttributes(item, key)))
      return {}
    },
    Query() {
      return { Items: [], Count: 0, ScannedCount: 0 }
    },
  },
})

// ---------------------------------------------------------------------------------------------
// SQS (awsJson1_0, query-compatible: errors carry `x-amzn-query-error`)

/** `account/queue` from a queue URL (`http://host/123456789012/queue`), or undefined. */
function queueOf(queueUrl: string | undefined): { accountId: string; name: string } | undefined {
  if (!queueUrl) return undefined
  try {
    const segments = new URL(queueUrl).pathname.split('/').filter(Boolean)
    if (segments.length < 2) return undefined
    return { accountId: segments.at(-2)!, name: segments.at(-1)! }
  } catch {
    return undefined
  }
}

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex')
}

function enqueue(context: GateContext, queueUrl: string, body: string): StoredMessage {
  const queue = queueOf(queueUrl)
  const key = queue ? `${queue.accountId}/${queue.name}` : queueUrl
  const message: StoredMessage = { messageId: randomUUID(), body, md5: md5Hex(body) }
  let messages = context.store.queues.get(key)
  if (!messages) context.store.queues.set(key, (messages = []))
  messages.push(message)
  return message
}

export const sqsService = jsonService({
  service: 'sqs',
  targetPrefix: 'AmazonSQS',
  protocol: awsJson('1.0', { queryCompatible: true, namespace: 'com.amazonaws.sqs' }),
  // Production writes the action lower-case in SQS's AccessDenied messages (`sqs:sendmessage`).
  deniedStyle: { lowerCaseAction: true },
  required: {
    SendMessage: ['QueueUrl', 'MessageBody'],
    SendMessageBatch: ['QueueUrl', 'Entries'],
    ReceiveMessage: ['QueueUrl'],
    DeleteMessage: ['QueueUrl', 'ReceiptHandle'],
    GetQueueUrl: ['QueueName'],
  },
  resourceOf(action, input, { region, accountId }) {
    if (action === 'GetQueueUrl') {
      const name = stringField(input, 'QueueName')
      return name ? `arn:aws:sqs:${region}:${stringField(input, 'QueueOwnerAWSAccountId') ?? accountId}:${name}` : '*'
    }
    const queue = queueOf(stringField(input, 'QueueUrl'))
    return queue ? `arn:aws:sqs:${region}:${queue.accountId}:${queue.name}` : '*'
  },
  handlers: {
    SendMessage(context, input) {
      const message = enqueue(context, String(input.QueueUrl), String(input.MessageBody))
      return { MessageId: message.messageId, MD5OfMessageBody: message.md5 }
    },
    SendMessageBatch(context, input) {
      const entries = Array.isArray(input.Entries) ? (input.Entries as Json[]) : []
      const successful = entries.map((entry) => {
        const message = enqueue(context, String(input.QueueUrl), String(entry.MessageBody ?? ''))
        return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5 }
      })
      return { Successful: successful, Failed: [] }
    },
    ReceiveMessage(context, input) {
      const queue = queueOf(String(input.QueueUrl))
      const messages = context.store.queues.get(queue ? `${queue.accountId}/${queue.name}` : String(input.QueueUrl)) ?? []
      const wanted = typeof input.MaxNumberOfMessages === 'number' ? Math.max(1, Math.min(10, input.MaxNumberOfMessages)) : 1
      const taken = messages.splice(0, wanted)
      // Production leaves `Messages` out when the queue is empty.
      if (taken.length === 0) return {}
      return {
        Messages: taken.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: Buffer.from(`chainproof:${message.messageId}`).toString('base64'),
          MD5OfBody: message.md5,
          Body: message.body,
        })),
      }
    },
    DeleteMessage() {
      return {}
    },
    GetQueueUrl({ request, world }, input) {
      const host = headerOf(request, 'host') ?? '127.0.0.1'
      const owner = stringField(input, 'QueueOwnerAWSAccountId') ?? world.accountId
      return { QueueUrl: `http://${host}/${owner}/${String(input.QueueName)}` }
    },
  },
})

// ---------------------------------------------------------------------------------------------
// Secrets Manager (awsJson1_1)

export const SECRET_STRING = 'chainproof-secret-value'

/** Name and ARN of a secret named by name or ARN (an ARN ends in `-` and 6 random characters). */
function secretOf(secretId: string, region: string, accountId: string): { name: string; arn: string } {
  if (secretId.startsWith('arn:')) {
    const resource = secretId.split(':').slice(6).join(':')
    return { name: resource.replace(/-[A-Za-z0-9]{6}$/, ''), arn: secretId }
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = Buffer.from(digest('secret', secretId), 'hex')
  let suffix = ''
  for (let i = 0; i < 6; i++) suffix += alphabet[bytes[i]! % alphabet.length]
  return { name: secretId, arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${secretId}-${suffix}` }
}

export const secretsManagerService = jsonService({
  service: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  protocol: awsJson('1.1', { namespace: 'com.amazonaws.secretsmanager' }),
  required: { GetSecretValue: ['SecretId'] },
  resourceOf(_action, input) {
    return stringField(input, 'SecretId') ?? '*'
  },
  handlers: {
    GetSecretValue({ region, world }, input) {
      const { name, arn } = secretOf(String(input.SecretId), region, world.accountId)
      return {
        ARN: arn,
        Name: name,
        VersionId: stableUuid('secret-version', arn),
        SecretString: SECRET_STRING,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: epochSeconds(new Date()),
      }
    },
  },
})

// ---------------------------------------------------------------------------------------------
// SSM Parameter Store (awsJson1_1)

export const PARAMETER_VALUE = 'chainproof-parameter-value'

function parameterArn(name: string, region: string, accountId: string): string {
  return name.startsWith('arn:') ? name : `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`
}

function parameter(name: string, region: string, accountId: string): Json {
  const plainName = name.startsWith('arn:') ? name.split(':').slice(5).join(':').replace(/^parameter/, '') : name
  return {
    Name: plainName,
    Type: 'String',
    Value: PARAMETER_VALUE,
    Version: 1,
    LastModifiedDate: epochSeconds(new Date()),
    ARN: parameterArn(name, region, accountId),
    DataType: 'text',
  }
}

export const ssmService = jsonService({
  service: 'ssm',
  targetPrefix: 'AmazonSSM',
  protocol: awsJson('1.1', { namespace: 'com.amazonaws.ssm' }),
  required: { GetParameter: ['Name'], GetParameters: ['Names'] },
  resourceOf(action, input, { region, accountId }) {
    const name = action === 'GetParameters' ? (Array.isArray(input.Names) ? String(input.Names[0] ?? '') : '') : (stringField(input, 'Name') ?? '')
    return name ? parameterArn(name, region, accountId) : '*'
  },
  handlers: {
    GetParameter({ region, world }, input) {
      return { Parameter: parameter(String(input.Name), region, world.accountId) }
    },
    GetParameters({ region, world }, input) {
      const names = Array.isArray(input.Names) ? input.Names.map(String) : []
      return { Parameters: names.map((name) => parameter(name, region, world.accountId)), InvalidParameters: [] }
    },
  },
})

/** The JSON services the gate models, by `X-Amz-Target` prefix. */
export const jsonServices: ReadonlyMap<string, GateService> = new Map(
  [dynamodbService, sqsService, secretsManagerService, ssmService].map((service) => [service.targetPrefix, service]),
)

/** A JSON service the gate does not model: named from the signature, every operation answered 501. */
export function unmodelledJsonService(service: string, request: RouteRequest): GateService {
  const version = /x-amz-json-1\.1/.test(headerOf(request, 'content-type') ?? '') ? '1.1' : '1.0'
  return jsonService({ service, targetPrefix: '', protocol: awsJson(version), resourceOf: () => '*', handlers: {} })
}
