import { join } from 'node:path'
import type { FileFault } from '../../world/faults.js'
import { type PlanContext, shellQuote } from '../../world/plan-context.js'

/** The credential_process script: prints Version 1 JSON, or misbehaves as a credentialProcess fault says. */
function processScript(output: Record<string, unknown>, fault: FileFault | undefined): string {
  // printf is a shell builtin: no `cat` to fork and exec, and no here-document temp file, on every run (bench/scenario-space).
  const print = (document: unknown) => `printf '%s\\n' ${shellQuote(JSON.stringify(document))}\n`
  switch (fault?.kind) {
    case 'exitNonZero':
      return `#!/bin/sh\necho 'credential helper: not logged in (chainproof fault)' >&2\nexit ${'exitCode' in fault ? (fault.exitCode ?? 1) : 1}\n`
    case 'badJson':
      // a helper that logs to stdout before its JSON: a classic way to break credential_process
      return `#!/bin/sh\necho '[info] fetching credentials from the vault'\n${print(output)}`
    case 'badVersion':
      return `#!/bin/sh\n${print({ ...output, Version: 2 })}`
    case 'expired':
      return `#!/bin/sh\n${print({ ...output, Expiration: new Date(Date.now() - 3600_000).toISOString() })}`
    default:
      return `#!/bin/sh\n${print(output)}`
  }
}

/** A profile's `process: { user } | { role }`: a real executable the SDK runs through the shell, printing the process credential JSON. */
export function planProcess(ctx: PlanContext, name: string, profile: Readonly<Record<string, unknown>>, entries: Record<string, string | undefined>): void {
  const spec = (profile as { process?: { user: string } | { role: string } }).process
  if (spec === undefined) return
  const sessionName = ctx.keyOf(name)
  const issued = 'user' in spec ? ctx.user(spec.user, 'process', name) : ctx.roleSession(spec.role, sessionName, 'process', name)
  const output: Record<string, unknown> = { Version: 1, AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey }
  if (issued.sessionToken) output.SessionToken = issued.sessionToken
  if (issued.expiration) output.Expiration = issued.expiration.toISOString()
  const script = join(ctx.awsDir, 'bin', `${sessionName}.sh`)
  ctx.files.push({ path: script, executable: true, content: processScript(output, ctx.fileFault('credentialProcess', name)) })
  entries.credential_process = shellQuote(script)
}
