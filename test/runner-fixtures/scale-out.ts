import { appendFileSync, readFileSync } from 'node:fs'
import { S3Client } from '@aws-sdk/client-s3'

/** What test/world/scale-out.test.ts needs of chainproof: passed in, so the Vitest fixtures use src/ and the Jest ones the built package. */
interface Kit {
  createCredentialWorld(spec: object): Promise<{ home: string; endpoints: Record<string, string>; generations(): { accessKeyId: string }[]; identityOf(key: string): unknown; dispose(): Promise<void> }>
  resolveCredentials(target: unknown): Promise<{ principal: string; accessKeyId: string }>
}

/** How many fixture files of one run start worlds at once (the shards' or the workers' together). */
const FILES = Number(process.env.SCALE_OUT_FILES ?? 4)
const WORLDS_PER_FILE = 3

async function allStarted(log: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"phase":"start"')).length >= FILES) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`only some of the ${FILES} fixture files started within 60 s: they did not run at the same time`)
}

/**
 * One fixture file: a few worlds one after another, the first held until every file of the run
 * has one (so worlds of different processes are surely alive at once). Each world resolves its own
 * user and records where it lived: its HOME, its servers' ports, the keys its ledger issued.
 */
export async function scaleOutFile(kit: Kit, file: number): Promise<void> {
  const log = process.env.ISOLATION_LOG!
  for (let i = 0; i < WORLDS_PER_FILE; i++) {
    const user = `file-${file}-world-${i}`
    const world = await kit.createCredentialWorld({ env: { user }, instanceProfile: { role: `role-${file}-${i}` } })
    try {
      const started = Date.now()
      if (i === 0) {
        appendFileSync(log, JSON.stringify({ phase: 'start', file }) + '\n')
        await allStarted(log)
      }
      const resolution = await kit.resolveCredentials(new S3Client({}))
      if (resolution.principal !== `arn:aws:iam::123456789012:user/${user}`) throw new Error(`world ${user} resolved ${resolution.principal}`)
      const ports = Object.values(world.endpoints).map((url) => new URL(url).port)
      const keys = world.generations().map((g) => g.accessKeyId)
      appendFileSync(log, JSON.stringify({ phase: 'end', file, world: i, pid: process.pid, home: world.home, ports, keys, started, ended: Date.now() }) + '\n')
    } finally {
      await world.dispose()
    }
  }
}
