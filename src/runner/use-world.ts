import { ChainproofError } from '../errors.js'
import type { ChainReport, CredentialTarget, CredentialWorld, Identity, RecordedRequest, SdkName, WorldSpec } from '../types.js'
import { createCredentialWorld } from '../world/world.js'

/** The hooks of the runner in use (Vitest's or Jest's `beforeEach`/`afterEach`). */
export interface RunnerHooks {
  beforeEach(fn: () => Promise<void>): void
  afterEach(fn: () => Promise<void>): void
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

  hooks.beforeEach(async () => {
    inTest = true
    world = await createCredentialWorld(spec)
  })
  hooks.afterEach(async () => {
    inTest = false
    const ending = world
    world = undefined
    await disposeOnce(ending)
  })

  function current(): CredentialWorld {
    if (!inTest) throw new ChainproofError(OUTSIDE_A_TEST)
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
    identityOf(accessKeyId: string): Identity | undefined {
      return current().identityOf(accessKeyId)
    },
    explain(target?: CredentialTarget, options?: { sdk?: SdkName }): Promise<ChainReport> {
      return current().explain(target, options)
    },
    async set(next: WorldSpec): Promise<CredentialWorld> {
      if (!inTest) throw new ChainproofError(OUTSIDE_A_TEST)
      const previous = world
      world = undefined
      await disposeOnce(previous)
      world = await createCredentialWorld(next)
      return world
    },
    async dispose(): Promise<void> {
      // Disposing early is allowed (e.g. to test what happens after); afterEach then has nothing left to do.
      if (!inTest) throw new ChainproofError(OUTSIDE_A_TEST)
      await disposeOnce(world)
    },
    async [Symbol.asyncDispose](): Promise<void> {
      await handle.dispose()
    },
  }
  return handle
}
