/**
 * `chainproof exec [scenario.json | --spec '<json>'] [options] -- <command> [args…]`: runs a
 * command inside a world, the way `aws-vault exec` runs one with a profile's credentials. The
 * world's loopback servers run in this process; the command gets the world's full environment
 * (secrets included, handed to it only, never printed) instead of the machine's AWS_* variables
 * and HOME; signals are passed on; chainproof exits with the command's exit code.
 *
 * Everything chainproof itself says goes to stderr, so the command's stdout stays its own.
 */
import { maskKeyId } from '../chain/mask.js'
import { modelActiveWorld } from '../probe/probe.js'
import { stopLoopbackServers } from '../servers/index.js'
import type { ChainReport, RecordedRequest, Source } from '../types.js'
import { createCredentialWorld, holdSignalCleanup } from '../world/world.js'
import { EXIT, UsageError, parseCommandArgs } from './args.js'
import { parseExpectedSource } from './doctor.js'
import { EXEC_HELP } from './help.js'
import type { Io } from './io.js'
import { ISOLATED_MARK, inLoopbackOnlyNamespace, isolationPlan, namespaceInterfaces, runForwarding, runIsolated } from './isolate.js'
import { reportJson } from './render.js'
import { requestJson, requestLine, specFrom } from './serve.js'
import { childEnvironment } from './served-env.js'

/** STS calls that fetch credentials for the command (a role's AssumeRole, signed by the keys it starts from): not the command's own requests. */
const CREDENTIAL_CALLS = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'GetSessionToken', 'GetFederationToken'])

export interface ExecExpectation {
  source: Source
  passed: boolean
  /** The command's signed requests (credential fetches excluded). */
  signed: number
  bySource: number
  /** The signers of the other signed requests: source (or "signature not verified") and principal, with counts. */
  others: { signer: string; principal?: string; accessKeyId: string; count: number }[]
}

/** Whether every signed request the command made (at least one) was signed by `source`. */
export function checkSigned(requests: readonly RecordedRequest[], source: Source): ExecExpectation {
  const signed = requests.filter((r) => r.accessKeyId !== undefined && !(r.server === 'sts' && r.action !== undefined && CREDENTIAL_CALLS.has(r.action)))
  const bySource = signed.filter((r) => r.source === source)
  const others = new Map<string, ExecExpectation['others'][number]>()
  for (const r of signed) {
    if (r.source === source) continue
    const signer = r.source ?? 'signature not verified (a key this world never issued, or a bad signature)'
    const key = `${signer}\u0000${r.principal ?? ''}\u0000${r.accessKeyId}`
    const entry = others.get(key)
    if (entry) entry.count++
    else others.set(key, { signer, ...(r.principal ? { principal: r.principal } : {}), accessKeyId: maskKeyId(r.accessKeyId!), count: 1 })
  }
  return { source, passed: signed.length > 0 && bySource.length === signed.length, signed: signed.length, bySource: bySource.length, others: [...others.values()] }
}

function requestsCount(n: number): string {
  return `${n} signed request${n === 1 ? '' : 's'}`
}

function expectationText(e: ExecExpectation): string {
  if (e.passed) return `✔ expected ${e.source}: ${e.signed === 1 ? 'the' : 'all'} ${requestsCount(e.signed)} the command made ${e.signed === 1 ? 'was' : 'were'} signed by ${e.source}`
  if (e.signed === 0) {
    return (
      `✘ expected ${e.source}, but the command made no signed request that reached the world: point it at the world's gate (AWS_ENDPOINT_URL) or STS ` +
      '(AWS_ENDPOINT_URL_STS; tools that ignore these variables need --endpoint-url)'
    )
  }
  const others = e.signed - e.bySource
  const lines = [`✘ expected ${e.source}, but ${others} of the ${requestsCount(e.signed)} the command made ${others === 1 ? 'was' : 'were'} signed by others:`]
  for (const o of e.others) lines.push(`    ${o.count} × ${o.signer}${o.principal ? ` (${o.principal})` : ''} ${o.accessKeyId}`)
  return lines.join('\n')
}

function commandNotFound(command: string, io: Io): (error: NodeJS.ErrnoException) => number {
  return (error) => {
    if (error.code === 'ENOENT') {
      io.err(`chainproof exec: ${command}: command not found (looked in PATH)`)
      return 127
    }
    io.err(`chainproof exec: ${command}: cannot run it (${error.code ?? error.message})`)
    return 126
  }
}

export async function execCommand(argv: string[], io: Io): Promise<number> {
  const dash = argv.indexOf('--')
  const own = dash === -1 ? argv : argv.slice(0, dash)
  const command = dash === -1 ? [] : argv.slice(dash + 1)
  if (dash === -1 && !own.includes('--help') && !own.includes('-h')) {
    throw new UsageError("put the command after --, e.g. chainproof exec --spec '{\"instanceProfile\":{\"role\":\"web\"}}' -- aws sts get-caller-identity", 'exec')
  }
  const { values, positionals } = parseCommandArgs(
    'exec',
    own,
    {
      spec: { type: 'string' },
      expect: { type: 'string' },
      report: { type: 'boolean' },
      format: { type: 'string' },
      isolate: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    1,
  )
  if (values.help) {
    io.out(EXEC_HELP)
    return EXIT.ok
  }
  if (command.length === 0) throw new UsageError('no command after --', 'exec')
  const format = values.format ?? 'text'
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got ${JSON.stringify(format)})`, 'exec')
  const expected = values.expect === undefined ? undefined : parseExpectedSource(values.expect, 'exec')
  if (expected === 'none') throw new UsageError('--expect none means nothing: name the source that should sign the command\'s requests (env, profile, instanceProfile, …)', 'exec')
  // Read the world before anything starts: a bad file is exit 2 with nothing run, isolated or not.
  const { spec } = await specFrom('exec', positionals[0], values.spec)

  if (values.isolate) {
    if (io.env[ISOLATED_MARK] === '1') {
      if (!inLoopbackOnlyNamespace()) {
        io.err(`chainproof exec: --isolate: this namespace has interfaces besides lo (${(namespaceInterfaces() ?? []).join(', ')}); refusing to run the command`)
        return EXIT.usage
      }
    } else {
      const plan = isolationPlan()
      if ('refused' in plan) {
        io.err(`chainproof exec: ${plan.refused}. Nothing was run.`)
        return EXIT.usage
      }
      return runIsolated(plan.flags, argv)
    }
  }

  const inherited = { ...process.env }
  const world = await createCredentialWorld(spec)
  // signals go to the command; the world is disposed once it has ended
  const releaseSignals = holdSignalCleanup()
  let code: number
  let report: ChainReport | undefined
  let requests: RecordedRequest[]
  try {
    const env = childEnvironment(inherited, world.env)
    delete env[ISOLATED_MARK]
    code = await runForwarding(command[0]!, command.slice(1), env, commandNotFound(command[0]!, io))
    requests = [...world.requests]
    if (values.report) report = await modelActiveWorld()
  } finally {
    releaseSignals()
    await world.dispose()
    await stopLoopbackServers()
  }

  const expectation = expected === undefined ? undefined : checkSigned(requests, expected)
  if (format === 'json') {
    if (values.report || expectation) {
      io.err(
        JSON.stringify({
          command: command[0],
          exitCode: code,
          ...(expectation ? { expect: expectation } : {}),
          ...(report ? { report: reportJson(report), requests: requests.map(requestJson) } : {}),
        }),
      )
    }
  } else {
    if (report) {
      io.err(['', `chainproof exec: ${command[0]} exited with ${code}`, String(report), '', `Requests the world received (${requests.length}):`, ...requests.map((r) => `  ${requestLine(r)}`)].join('\n'))
    }
    if (expectation) {
      const style = io.stderrStyle(values['no-color'] === true)
      const text = expectationText(expectation)
      io.err(expectation.passed ? style.green(text) : style.red(text))
    }
  }
  if (expectation && !expectation.passed) return EXIT.mismatch
  return code
}
