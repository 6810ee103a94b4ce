import { appendFileSync, readFileSync } from 'node:fs'

/** Waits until `count` fixture files have started their worlds, so the worlds surely overlap in time. */
export async function waitForOthers(n: number, count = 3): Promise<void> {
  const log = process.env.ISOLATION_LOG!
  appendFileSync(log, JSON.stringify({ phase: 'start', n }) + '\n')
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const started = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"phase":"start"')).length
    if (started >= count) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`only some of the ${count} fixture workers started within 60 s: they did not run in parallel`)
}
