/**
 * Turns a matcher's failure message into stable text for inline snapshots, under Vitest and
 * Jest alike: no ANSI colours, random (already masked) key ids and instance/task/session ids
 * replaced, dates replaced. What is left is exactly what a user reads.
 */
const ANSI = /\u001b\[[0-9;]*m/g

export function stableMessage(message: string): string {
  return message
    .replace(ANSI, '')
    .replace(/\*{16}[A-Z0-9]{4}/g, '****************XXXX')
    .replace(/\bi-[0-9a-f]{8,17}\b/g, 'i-INSTANCE')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, 'DATE')
    .replace(/\b[0-9a-f]{32}\b/g, 'TASK')
    .replace(/aws-sdk-js-session-\d+/g, 'aws-sdk-js-session-N')
}

/** The message of the error an assertion threw, made stable; fails when it did not throw. */
export async function failureOf(assertion: () => unknown): Promise<string> {
  try {
    await assertion()
  } catch (error) {
    return stableMessage(error instanceof Error ? error.message : String(error))
  }
  throw new Error('expected the assertion to fail, but it passed')
}
