import { appendFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The suite's secret audit. When CHAINPROOF_AUDIT_DIR is set (chainproof's own test run sets
 * it), every secret a world issues and every text chainproof produces for people (reports,
 * matcher messages, CLI output) is appended there, one JSON string per line, so a final
 * step can prove that no secret ever appeared in any text. Off (and free) otherwise.
 */
function auditFile(name: 'secrets' | 'texts' | 'resolved'): string | undefined {
  const dir = process.env.CHAINPROOF_AUDIT_DIR
  return dir ? join(dir, `${name}-${process.pid}.jsonl`) : undefined
}

export function auditSecret(secret: string): void {
  const file = auditFile('secrets')
  if (file) appendFileSync(file, JSON.stringify(secret) + '\n')
}

export function auditText(text: string): void {
  const file = auditFile('texts')
  if (file) appendFileSync(file, JSON.stringify(text) + '\n')
}

/** Every access key id chainproof saw resolved, so the run can prove no host (decoy) key ever was. */
export function auditResolved(accessKeyId: string): void {
  const file = auditFile('resolved')
  if (file) appendFileSync(file, JSON.stringify(accessKeyId) + '\n')
}
