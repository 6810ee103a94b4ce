/**
 * Nothing left behind after a kill: real child processes create a world (from the built
 * package, as a user's test process would) and are killed with each signal. SIGINT, SIGTERM and
 * SIGHUP dispose the world before the process ends with the signal; SIGKILL and an abort cannot
 * be caught, and the next world's start (in any process on the machine) sweeps what they left.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { createCredentialWorld } from '../../src/index.js'
import { OWNER_FILE, sweepStaleSandboxes } from '../../src/world/sweep.js'

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'cjs', 'index.cjs')
const children: ReturnType<typeof spawn>[] = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** A child that creates a world, prints its HOME, and waits; `extra` runs after the world is up. */
function worldProcess(extra = ''): { child: ReturnType<typeof spawn>; home: Promise<string>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const program = `
    const { createCredentialWorld } = require(${JSON.stringify(DIST)})
    createCredentialWorld({ env: { role: 'deployer' }, profiles: { default: { user: 'alice' } } }).then((world) => {
      process.stdout.write(world.home + '\\n')
      ${extra}
      setInterval(() => {}, 1000)
    })`
  const child = spawn(process.execPath, ['-e', program], { env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const home = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', () => reject(new Error('the child exited before its world was up')))
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  return { child, home, exited }
}

describe('a killed process leaves no sandbox behind', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: the world is disposed, then the process ends by that signal', async (signal) => {
    const { child, home, exited } = worldProcess()
    const dir = await home
    expect(existsSync(join(dir, '.aws', 'credentials'))).toBe(true)
    expect(readdirSync(dir)).toContain(OWNER_FILE)
    child.kill(signal)
    expect(await exited).toEqual({ code: null, signal })
    expect(existsSync(dir)).toBe(false)
  }, 20_000)

  it('a process with its own SIGTERM handler keeps it: the world is disposed and the handler decides the exit', async () => {
    const { child, home, exited } = worldProcess("process.on('SIGTERM', () => { process.stdout.write('bye\\n'); setTimeout(() => process.exit(3), 20) })")
    const dir = await home
    child.kill('SIGTERM')
    expect(await exited).toEqual({ code: 3, signal: null })
    expect(existsSync(dir)).toBe(false)
  }, 20_000)

  it.each([
    ['SIGKILL', (child: ReturnType<typeof spawn>) => child.kill('SIGKILL')],
    ['an abort (SIGABRT)', (child: ReturnType<typeof spawn>) => child.kill('SIGABRT')],
  ] as const)('%s cannot be caught: the next world’s start sweeps the sandbox of the dead process', async (_, kill) => {
    const { child, home, exited } = worldProcess()
    const dir = await home
    kill(child)
    await exited
    expect(existsSync(dir)).toBe(true)
    // the next start, in another process
    const next = worldProcess('process.exit(0)')
    await next.home
    await next.exited
    expect(existsSync(dir)).toBe(false)
  }, 20_000)

  it('the sweep leaves live owners, other hosts and unowned young directories alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chainproof-sweep-'))
    const make = (name: string, owner?: object) => {
      const dir = join(root, name)
      mkdirSync(dir)
      if (owner) writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner))
      return dir
    }
    const { hostname } = await import('node:os')
    const deadPid = await deadProcessId()
    const dead = make(`chainproof-home-${deadPid}-aaaaaa`, { pid: deadPid, host: hostname() })
    const live = make(`chainproof-home-${process.ppid}-bbbbbb`, { pid: process.ppid, host: hostname() })
    const own = make(`chainproof-home-${process.pid}-cccccc`, { pid: process.pid, host: hostname() })
    const elsewhere = make(`chainproof-home-${deadPid}-dddddd`, { pid: deadPid, host: 'another-host' })
    const unowned = make(`chainproof-home-${deadPid}-eeeeee`)
    const other = make('something-else')
    expect(sweepStaleSandboxes(root)).toEqual([dead])
    for (const dir of [live, own, elsewhere, unowned, other]) expect([dir, existsSync(dir)]).toEqual([dir, true])
  })
})

describe('restore survives a replaced process.env object', () => {
  it('the original object gets the snapshot back and is process.env again; the world’s values are in neither', async () => {
    const original = process.env
    const before = { ...process.env }
    const world = await createCredentialWorld({ env: { user: 'ci' } })
    process.env = { ...process.env, ADDED_BY_TEST: '1' }
    expect(process.env.AWS_ACCESS_KEY_ID).toBeDefined()
    await world.dispose()
    expect(process.env).toBe(original)
    expect({ ...process.env }).toEqual(before)
    expect(original.HOME).toBe(before.HOME)
    expect(original.AWS_ACCESS_KEY_ID).toBe(before.AWS_ACCESS_KEY_ID)
  })
})

/** A pid that no process has now: a child that has exited. */
async function deadProcessId(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''])
  await new Promise((resolve) => child.once('exit', resolve))
  return child.pid!
}
