import { randomBytes } from '../../servers/random.js'
import { join } from 'node:path'
import type { FileFault } from '../../world/faults.js'
import { type PlanContext, lifetimeOf, renewing, shellQuote } from '../../world/plan-context.js'
import { type ProcessHelper, type ProcessServerState, processDocument } from './state.js'

/** The credential_process script: logs its run, then prints Version 1 JSON, or misbehaves as a credentialProcess fault says. */
function processScript(output: Record<string, unknown>, fault: FileFault | undefined, runLog: string): string {
  // printf is a shell builtin: no `cat` to fork and exec, and no here-document temp file, on every run (bench/scenario-space).
  const print = (document: unknown) => `printf '%s\\n' ${shellQuote(JSON.stringify(document))}\n`
  // the run log names the key id this script hands out (never a secret): world.fetches reads it
  const handsOut = fault === undefined || fault.kind === 'expired' ? String(output.AccessKeyId) : '-'
  const head = `#!/bin/sh\nprintf 'run %s\\n' ${shellQuote(handsOut)} >> ${shellQuote(runLog)}\n`
  switch (fault?.kind) {
    case 'exitNonZero':
      return `${head}echo 'credential helper: not logged in (chainproof fault)' >&2\nexit ${'exitCode' in fault ? (fault.exitCode ?? 1) : 1}\n`
    case 'badJson':
      // a helper that logs to stdout before its JSON: a classic way to break credential_process
      return `${head}echo '[info] fetching credentials from the vault'\n${print(output)}`
    case 'badVersion':
      return `${head}${print({ ...output, Version: 2 })}`
    case 'expired':
      return `${head}${print({ ...output, Expiration: new Date(Date.now() - 3600_000).toISOString() })}`
    default:
      return `${head}${print(output)}`
  }
}

/** The path the timed helper asks on the world's STS server. */
export const PROCESS_HELPER_PATH = '/chainproof/credential-process/'

/**
 * A timed helper (`expiresIn`): a real credential_process that asks the world for the current
 * generation at each run, so it hands out fresh credentials once the old ones near their expiry
 * (as a helper that calls STS would) — by the world's clock, which a child process cannot see.
 */
function helperScript(url: string): string {
  const code =
    "require('http').get(process.argv[1],r=>{let b='';r.setEncoding('utf8');r.on('data',c=>b+=c);r.on('end',()=>{if(r.statusCode===200)process.stdout.write(b);else{process.stderr.write(b);process.exitCode=1}})})" +
    ".on('error',e=>{process.stderr.write('chainproof credential helper: '+e.message+'\\n');process.exitCode=1})"
  return `#!/bin/sh\nNODE_OPTIONS= exec ${shellQuote(process.execPath)} -e ${shellQuote(code)} ${shellQuote(url)}\n`
}

/** A profile's `process: { user } | { role }`: a real executable the SDK runs through the shell, printing the process credential JSON. */
export function planProcess(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void {
  const spec = (profile as { process?: ({ user: string } | { role: string }) & { expiresIn?: number } }).process
  if (spec === undefined) return
  const sessionName = ctx.keyOf(name)
  const lifetime = lifetimeOf(spec)
  const issue = () => ('user' in spec ? ctx.user(spec.user, 'process', name, lifetime) : ctx.roleSession(spec.role, sessionName, 'process', name, lifetime))
  const script = join(ctx.awsDir, 'bin', `${sessionName}.sh`)
  const fault = ctx.fileFault('credentialProcess', name)
  const state = (ctx.server.parts.process ??= { helpers: [] } satisfies ProcessServerState) as ProcessServerState
  const helper: ProcessHelper = { profile: name }
  if (lifetime !== undefined && fault === undefined) {
    helper.id = randomBytes(18).toString('base64url')
    helper.stream = renewing(issue)
    ctx.files.push({ path: script, executable: true, content: helperScript(`${ctx.endpoints.sts}${PROCESS_HELPER_PATH}${helper.id}`) })
  } else {
    // beside ~/.aws, not in it: the world's own record, not a file the SDK or a test of the layout should see
    const runLog = join(ctx.awsDir, '..', '.chainproof-runs', `${sessionName}.log`)
    helper.runLog = runLog
    ctx.files.push({ path: runLog, content: '' })
    ctx.files.push({ path: script, executable: true, content: processScript(processDocument(issue()), fault, runLog) })
    helper.rewrite = () => ({ path: script, executable: true, content: processScript(processDocument(issue()), fault, runLog) })
  }
  state.helpers.push(helper)
  entries.credential_process = shellQuote(script)
}
