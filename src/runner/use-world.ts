import { ChainproofError } from '../errors.js'
import type { ChainReport, CredentialTarget, CredentialWorld, Identity, RecordedRequest, SdkName, SourceName, WorldSpec } from '../types.js'
import { callerLocation, createCredentialWorld } from '../world/world.js'

/** The hooks of the runner in use (Vitest's or Jest's `beforeEach`/`afterEach`). */
export interface RunnerHooks {
  beforeEach(fn: () => Promise<void>): void
  afterEach(fn: () => Promise<void>): void
  /** The runner's `expect`, whose state names the test running now (both runners keep `currentTestName`). */
  expect?: { getState?(): { currentTestName?: string | undefined } }
  /** Which runner, for a message about its own concurrency. */
  runner?: 'vitest' | 'jest'
}

/**
 * The world of the test that is running: it reads like a {@link CredentialWorld} (each
 * property is the current world's), plus `set` to replace it with another.
 */
export interface CredentialWorldHandle extends CredentialWorld {
  /** Disposes the current world and creates a new one from `spec`; resolves to it. */
  set(spec: WorldSpec): Promise<CredentialWorld>
  /** The current world itself (a new object in every test). */
  readonly current: CredentialWorld
}

const CONCURRENT =
  'useCredentialWorld(): tests that run concurrently (test.concurrent, describe.concurrent) cannot each have a world: ' +
  'a world owns process.env and HOME, and a process has only one. Run these tests sequentially (drop .concurrent); ' +
  'test files still run in parallel, each in its own worker with its own worlds.'

/**
 * Jest's `test.concurrent` starts every concurrent test's body at once, before their beforeEach
 * hooks: the handle is then used inside a test that has no world yet.
 */
const JEST_CONCURRENT =
  'useCredentialWorld(): this test runs with test.concurrent, which Jest starts before its beforeEach hooks and alongside ' +
  'the other concurrent tests, so it cannot have a world of its own (a world owns process.env and HOME, and a process has only one). ' +
  'Drop .concurrent: Jest still runs test files in parallel, each in its own worker with its own worlds.'

const OUTSIDE_A_TEST =
  'useCredentialWorld(): the world exists only while a test runs. Use the handle inside it()/test() ' +
  'or a beforeEach/afterEach hook registered after useCredentialWorld(), not at the top level of a file, in describe() or in beforeAll().'

/**
 * Registers a fresh world for every test: `beforeEach` creates it from `spec`, `afterEach`
 * disposes it (also when the test threw), restoring the environment and HOME. Shared by
 * `chainproof/vitest` and `chainproof/jest`, which pass their runner's hooks.
 */
export function useCredentialWorld(spec: WorldSpec | undefined, hooks: RunnerHooks): CredentialWorldHandle {
  let world: CredentialWorld | undefined
  let inTest = false
  const disposed = new WeakSet<CredentialWorld>()
  async function disposeOnce(ending: CredentialWorld | undefined): Promise<void> {
    if (!ending || disposed.has(ending)) return
    disposed.add(ending)
    await ending.dispose()
  }

  // Tests that overlap (test.concurrent, describe.concurrent) would share one process.env:
  // count them, and once two overlap every access fails with one clear error until all end.
  // Hooks run from the runner's own frames: name the useCredentialWorld() call instead.
  const registeredAt = `useCredentialWorld() at ${callerLocation()}`
  let running = 0
  let overlapped = false

  hooks.beforeEach(async () => {
    running++
    if (running > 1) {
      overlapped = true
      throw new ChainproofError(hooks.runner === 'jest' ? JEST_CONCURRENT : CONCURRENT)
    }
    inTest = true
    world = await createCredentialWorld(spec, { createdAt: registeredAt })
  })
  hooks.afterEach(async () => {
    running = Math.max(0, running - 1)
    if (running > 0) return
    overlapped = false
    inTest = false
    const ending = world
    world = undefined
    await disposeOnce(ending)
  })

  /** Why the handle cannot be used now: concurrent tests (in the runner's words), or no test at all. */
  function notInATest(): ChainproofError {
    let testName: string | undefined
    try {
      testName = hooks.expect?.getState?.().currentTestName
    } catch {
      testName = undefined
    }
    if (testName !== undefined) return new ChainproofError(hooks.runner === 'jest' ? JEST_CONCURRENT : CONCURRENT)
    return new ChainproofError(OUTSIDE_A_TEST)
  }

  function current(): CredentialWorld {
    if (overlapped) throw new ChainproofError(hooks.runner === 'jest' ? JEST_CONCURRENT : CONCURRENT)
    if (!inTest) throw notInATest()
    if (!world) throw new ChainproofError('useCredentialWorld(): there is no world: the last world.set() failed, so this test has none. Fix the spec passed to world.set().')
    return world
  }

  const handle: CredentialWorldHandle = {
    get current() {
      return current()
    },
    get env() {
      return current().env
    },
    get home() {
      return current().home
    },
    get endpoints() {
      return current().endpoints
    },
    get requests(): readonly RecordedRequest[] {
      return current().requests
    },
    get spec() {
      return current().spec
    },
    get blockedConnections() {
      return current().blockedConnections
    },
    get routedConnections() {
      return current().routedConnections
    },
    identityOf(accessKeyId: string): Identity | undefined {
      return current().identityOf(accessKeyId)
    },
    explain(target?: CredentialTarget, options?: { sdk?: SdkName }): Promise<ChainReport> {
      return current().explain(target, options)
    },
    get fetches() {
      return current().fetches
    },
    get clock() {
      return current().clock
    },
    generations(source?: SourceName, profile?: string) {
      return current().generations(source, profile)
    },
    rotate(source?: SourceName, options?: { profile?: string }) {
      return current().rotate(source, options)
    },
    async set(next: WorldSpec): Promise<CredentialWorld> {
      if (overlapped) throw new ChainproofError(hooks.runner === 'jest' ? JEST_CONCURRENT : CONCURRENT)
      if (!inTest) throw notInATest()
      const previous = world
      world = undefined
      await disposeOnce(previous)
      world = await createCredentialWorld(next, { createdAt: `world.set() in a test of ${registeredAt}` })
      return world
    },
    async dispose(): Promise<void> {
      // Disposing early is allowed (e.g. to test what happens after); afterEach then has nothing left to do.
      if (!inTest) throw notInATest()
      await disposeOnce(world)
    },
    async [Symbol.asyncDispose](): Promise<void> {
      await handle.dispose()
    },
  }
  return handle
}
