import { existsSync } from 'node:fs'
import { ChainproofError } from '../errors.js'

type Testcontainers = typeof import('testcontainers')

let loaded: Promise<Testcontainers> | undefined

/** testcontainers, an optional peer dependency, loaded on first use with an actionable error when missing. */
export function loadTestcontainers(): Promise<Testcontainers> {
  loaded ??= import('testcontainers').catch((error: unknown) => {
    loaded = undefined
    throw new ChainproofError(
      `chainproof/testcontainers needs the testcontainers package (an optional peer dependency, ≥ 11): npm install -D testcontainers (${(error as Error).message.split('\n')[0]})`,
    )
  })
  return loaded
}

export interface ContainerEngine {
  /** True when a container engine answered. */
  available: boolean
  /** Why not, in one line (when unavailable). */
  reason?: string
  /** The engine's own description, e.g. `Docker 20.10.24 (linux/amd64)` (when available). */
  description?: string
}

let probed: Promise<ContainerEngine> | undefined

/**
 * Whether a container engine (Docker or compatible) is reachable, asked once per process.
 * Never throws: a missing engine, socket or package is reported in `reason`.
 */
export function containerEngine(): Promise<ContainerEngine> {
  probed ??= (async (): Promise<ContainerEngine> => {
    try {
      const { getContainerRuntimeClient } = await loadTestcontainers()
      let client
      try {
        client = await getContainerRuntimeClient()
      } catch (error) {
        // Inside a container, testcontainers looks for the engine's host through the "bridge"
        // network's gateway; an engine started with --bridge=none has none, and every strategy
        // fails. The worlds only ever use loopback, so name it and ask again.
        if (process.env.TESTCONTAINERS_HOST_OVERRIDE !== undefined || !existsSync('/.dockerenv')) throw error
        process.env.TESTCONTAINERS_HOST_OVERRIDE = 'localhost'
        try {
          client = await getContainerRuntimeClient()
        } catch {
          delete process.env.TESTCONTAINERS_HOST_OVERRIDE
          throw error
        }
      }
      const info = client.info.containerRuntime
      return {
        available: true,
        description: `${info.serverVersion ? `engine ${info.serverVersion}` : 'engine'} (${info.operatingSystem ?? '?'}, ${info.architecture ?? '?'}) at ${info.host}`,
      }
    } catch (error) {
      const message = (error as Error).message.split('\n')[0] ?? String(error)
      return { available: false, reason: `no container engine: ${message}` }
    }
  })()
  return probed
}

/** testcontainers' client of the engine; throws an actionable error when there is no engine. */
export async function runtimeClient(): Promise<Awaited<ReturnType<Testcontainers['getContainerRuntimeClient']>>> {
  const engine = await containerEngine()
  if (!engine.available) throw new ChainproofError(`chainproof/testcontainers: ${engine.reason}`)
  const { getContainerRuntimeClient } = await loadTestcontainers()
  return getContainerRuntimeClient()
}
