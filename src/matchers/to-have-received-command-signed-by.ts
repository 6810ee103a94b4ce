import { maskKeyId } from '../chain/mask.js'
import { type CallRecord, clientNameOf, isAwsStub, recordsOf, type SignedCommandCall } from '../client-mock/record.js'
import { describeValue } from '../probe/target.js'
import type { SourceName } from '../types.js'
import { activeWorld } from '../world/world.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { redactKeyIds } from './format.js'
import { explained, hintOf, matcherError } from './process-match.js'
import { type ExpectedSigner, parseExpectedSigner, signerMatches } from './signer.js'
import type { CommandClass, SignerExpectation } from './types.js'

const SHAPE = { name: 'toHaveReceivedCommandSignedBy', expected: 'command', secondArgument: 'signer', received: 'mock' }

/** The calls recorded on a stub that `withCredentialResolution` wrapped, or a matcher error saying what to do. */
function bridgedCalls(ctx: MatcherContext, received: unknown): CallRecord[] {
  const records = recordsOf(received)
  if (records) return records
  if (isAwsStub(received)) {
    const client = clientNameOf(received)
    throw matcherError(
      ctx,
      SHAPE,
      `this ${client} mock does not resolve credentials, so chainproof does not know who its calls were signed by: ` +
        `wrap it with withCredentialResolution from chainproof/client-mock, e.g. withCredentialResolution(mockClient(${client}))`,
    )
  }
  throw matcherError(
    ctx,
    SHAPE,
    `received value must be a client mock from aws-sdk-client-mock wrapped with withCredentialResolution (chainproof/client-mock), e.g. withCredentialResolution(mockClient(S3Client)); received ${describeValue(received)}`,
  )
}

/** `{"Bucket":"invoices","Key":"a.pdf"}`: one line, the same under both runners; bytes and streams summarised. */
export function printInput(input: unknown): string {
  const seen = new WeakSet<object>()
  let text: string | undefined
  try {
    text = JSON.stringify(input, (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${value}n`
      if (typeof value === 'function') return '[function]'
      if (ArrayBuffer.isView(value)) return `[${value.constructor.name} of ${value.byteLength} bytes]`
      if (typeof value === 'object' && value !== null) {
        if (typeof (value as { pipe?: unknown }).pipe === 'function' || typeof (value as { getReader?: unknown }).getReader === 'function') return '[stream]'
        if (seen.has(value)) return '[circular]'
        seen.add(value)
      }
      return value
    })
  } catch {
    text = undefined
  }
  if (text === undefined) return String(input)
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}

/** `env: arn:aws:iam::123456789012:user/ci (****…CFUK)`, or why the call never reached the mock. */
function signerLine(call: SignedCommandCall): string {
  if (!call.resolved) return `not sent: its credentials could not be resolved: ${call.error.split('\n')[0]}`
  const source = call.profile !== undefined ? `${call.source} (profile ${call.profile})` : call.source
  return `signed by ${source}: ${call.principal} (${maskKeyId(call.accessKeyId)})`
}

function expectedSignerText(ctx: MatcherContext, expected: ExpectedSigner): string {
  const { printExpected } = ctx.utils
  if (expected.bare) return printExpected(expected.source)
  const parts: string[] = []
  for (const key of ['source', 'profile', 'role', 'principal'] as const) {
    if (expected[key] !== undefined) parts.push(`${key} ${printExpected(expected[key])}`)
  }
  return parts.join(', ')
}

const times = (n: number) => (n === 1 ? 'time' : 'times')

/**
 * `await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile' | { source?, profile?, role?, principal? })`
 * on a stub wrapped with `withCredentialResolution`: at least one call of that command was made
 * with such credentials; under `.not`, none was. The message reads like aws-sdk-client-mock's.
 */
export async function toHaveReceivedCommandSignedBy(
  this: MatcherContext,
  received: unknown,
  command: CommandClass,
  signer: SourceName | SignerExpectation,
): Promise<MatcherResult> {
  const records = bridgedCalls(this, received)
  if (typeof command !== 'function' || typeof command.name !== 'string' || command.name === '') {
    throw matcherError(this, SHAPE, `expected an AWS SDK command class such as GetObjectCommand, got ${this.utils.printReceived(command)}`)
  }
  const expected = parseExpectedSigner(this, SHAPE, signer)
  const isCommand = (record: CallRecord) => record.commandObject instanceof (command as unknown as new (...args: unknown[]) => unknown)
  const ofCommand = records.filter(isCommand)
  const sent = ofCommand.filter((r) => r.call.resolved)
  const matching = sent.filter(({ call }) => call.resolved && signerMatches(this, expected, call))
  const pass = matching.length > 0
  const isNot = this.isNot === true

  // The chain explains why the calls were signed as they were: worth its cost only when failing,
  // and only while the world they were resolved in is still the active one.
  let report: string | undefined
  if (pass === isNot) {
    const last = (ofCommand.length ? ofCommand : records).at(-1)
    const world = activeWorld()
    if (last?.world !== undefined && last.world === world) report = (await explained(() => world.explain(last.clientInstance))).text
  }

  const message = () => {
    const { printExpected, printReceived } = this.utils
    const client = clientNameOf(received)
    const cmd = printExpected(command.name)
    const failed = ofCommand.length - sent.length
    const lines = [
      `Expected ${client} to ${isNot ? 'not ' : ''}receive ${cmd} signed by ${expectedSignerText(this, expected)}`,
      `${client} received ${cmd} ${printReceived(sent.length)} ${times(sent.length)}` +
        (sent.length ? `, ${printReceived(matching.length)} of them signed that way` : '') +
        (failed ? `; ${printReceived(failed)} ${sent.length ? 'more ' : ''}${failed === 1 ? 'call' : 'calls'} failed to resolve credentials and never reached the mock` : ''),
    ]
    if (records.length) {
      lines.push('', 'Calls:')
      records.forEach(({ call }, i) => {
        const number = `${i + 1}. `
        lines.push(`  ${number}${call.command}: ${printInput(call.input)}`, `  ${' '.repeat(number.length)}${signerLine(call)}`)
      })
    }
    if (report !== undefined) lines.push('', report)
    return redactKeyIds([hintOf(this, SHAPE), '', ...lines].join('\n'))
  }
  return { pass, message }
}
