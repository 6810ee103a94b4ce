/**
 * A ServerWorld built by hand over the real Ledger, and an environment sandbox for driving the
 * real SDK providers against the loopback servers. Test-only.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RecordedRequest, Source } from '../../src/types.js'
import type { ServerWorld } from '../../src/servers/state.js'
import { Ledger, newInstanceId, newTaskId, roleArnOf, type IssuedCredentials } from '../../src/servers/ledger.js'
import { startLoopbackServers, type LoopbackServers } from '../../src/servers/index.js'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

export interface FakeWorldOptions {
  accountId?: string
  region?: string
  instanceProfile?: { role: string; imdsV1Only?: boolean; imdsV2Only?: boolean }
  container?: { role: string; authToken?: string }
  webIdentityTokens?: string[]
  sso?: { accessToken: string; assignments: Array<{ accountId: string; roleName: string; profile: string }> }
  /** Attribution of STS sessions by session name; default: `profile` for AssumeRole, `webIdentity` for web identity. */
  sessions?: Record<string, { source: Source; profile?: string }>
  /** The service gate's rules, as a world builds them from `WorldSpec.gate` (absent: every verified call is allowed). */
  gate?: { allow: Record<string, string[]>; deny?: Record<string, string[]> }
}

export interface FakeWorld extends ServerWorld {
  readonly ledger: Ledger
  readonly requests: RecordedRequest[]
  /** Issues static user keys (source `env`), as a world does for `env: { user }`. */
  user(name: string): IssuedCredentials
  /** Issues a role session (default source `instanceProfile`, session `i-…`), as IMDS, a container or STS would. */
  roleSession(role: string, options?: { source?: Source; profile?: string; sessionName?: string; lifetimeMs?: number }): IssuedCredentials
}

export function fakeWorld(options: FakeWorldOptions = {}): FakeWorld {
  const accountId = options.accountId ?? '123456789012'
  const region = options.region ?? 'us-east-1'
  const ledger = new Ledger()
  const requests: RecordedRequest[] = []

  const once = (issue: () => IssuedCredentials): (() => IssuedCredentials) => {
    let issued: IssuedCredentials | undefined
    return () => (issued ??= issue())
  }

  const world: FakeWorld = {
    accountId,
    region,
    ledger,
    requests,
    sts: {
      webIdentityTokens: new Set(options.webIdentityTokens ?? []),
      originOfSession(sessionName, _roleArn, via) {
        return options.sessions?.[sessionName] ?? { source: via === 'AssumeRoleWithWebIdentity' ? 'webIdentity' : 'profile' }
      },
    },
    record(request) {
      requests.push(request)
    },
    user(name) {
      return ledger.issue({ source: 'env', principal: { kind: 'user', name, accountId } })
    },
    roleSession(role, { source = 'instanceProfile', profile, sessionName = newInstanceId(), lifetimeMs } = {}) {
      return ledger.issue({
        source,
        ...(profile !== undefined ? { profile } : {}),
        principal: { kind: 'role', name: role, arn: roleArnOf(role, accountId), accountId, sessionName },
        ...(lifetimeMs !== undefined ? { lifetimeMs } : {}),
      })
    },
    ...(options.sso ? { sso: options.sso } : {}),
    ...(options.gate ? { gate: { allow: options.gate.allow, deny: options.gate.deny ?? {} } } : {}),
  }

  if (options.instanceProfile) {
    const { role, imdsV1Only = false, imdsV2Only = false } = options.instanceProfile
    const instanceId = newInstanceId()
    Object.assign(world, {
      instanceProfile: {
        roleName: role,
        instanceId,
        imdsV1Only,
        imdsV2Only,
        credentials: once(() =>
          ledger.issue({
            source: 'instanceProfile',
            principal: { kind: 'role', name: role, arn: roleArnOf(role, accountId), accountId, sessionName: instanceId },
            lifetimeMs: 6 * 3600_000,
          }),
        ),
      },
    })
  }
  if (options.container) {
    const { role, authToken } = options.container
    const taskId = newTaskId()
    Object.assign(world, {
      container: {
        path: `/v2/credentials/${taskId}`,
        ...(authToken !== undefined ? { authToken } : {}),
        credentials: once(() =>
          ledger.issue({
            source: 'container',
            principal: { kind: 'role', name: role, arn: roleArnOf(role, accountId), accountId, sessionName: taskId },
          }),
        ),
      },
    })
  }
  return world
}

/**
 * Replaces process.env for one test: every inherited AWS_* variable is removed, HOME points at
 * a fresh temp dir, and every endpoint the SDK could reach points at the loopback servers.
 * Returns a restore function that puts process.env back exactly.
 */
export function sandboxEnv(servers: LoopbackServers, vars: Record<string, string> = {}): { home: string; restore(): void } {
  const saved = { ...process.env }
  const home = mkdtempSync(join(tmpdir(), 'chainproof-servers-'))
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key]
  Object.assign(process.env, {
    HOME: home,
    USERPROFILE: home,
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: servers.urls.imds,
    AWS_ENDPOINT_URL_STS: servers.urls.sts,
    AWS_ENDPOINT_URL_SSO: servers.urls.sso,
    // Any other service an SDK client might call lands on the gate, never on AWS.
    AWS_ENDPOINT_URL: servers.urls.gate,
    AWS_REGION: 'us-east-1',
    ...vars,
  })
  return {
    home,
    restore() {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
      Object.assign(process.env, saved)
      rmSync(home, { recursive: true, force: true })
    },
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/**
 * A tripwire: while installed, any attempt to open a TCP connection to a host other than
 * loopback throws before a packet is sent, so a test that would reach IMDS or AWS fails loudly.
 */
export function installLoopbackGuard(): () => void {
  const original = net.Socket.prototype.connect
  const blocked: string[] = []
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = args[0]
    const options = Array.isArray(first) ? first[0] : first
    let host: string | undefined
    if (options && typeof options === 'object') {
      const o = options as { host?: string; path?: string }
      if (o.path === undefined) host = o.host ?? 'localhost'
    } else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
      host = typeof args[1] === 'string' ? args[1] : 'localhost'
    }
    if (host !== undefined && !LOOPBACK_HOSTS.has(host)) {
      blocked.push(host)
      throw new Error(`chainproof test guard: refused a connection to non-loopback host ${host}`)
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect
  return () => {
    net.Socket.prototype.connect = original
    if (blocked.length) throw new Error(`chainproof test guard: blocked connections to ${blocked.join(', ')}`)
  }
}

/**
 * The hooks every server test file needs: the loopback guard, the servers, a sandboxed env per
 * test, and a fake world attached on request (detached after each test).
 */
export function useFakeWorlds(): {
  readonly servers: LoopbackServers
  readonly env: ReturnType<typeof sandboxEnv>
  attach(options: FakeWorldOptions): FakeWorld
} {
  let servers: LoopbackServers | undefined
  let env: ReturnType<typeof sandboxEnv> | undefined
  let attached: FakeWorld | undefined
  let removeGuard: () => void = () => {}
  beforeAll(async () => {
    removeGuard = installLoopbackGuard()
    servers = await startLoopbackServers()
  })
  afterAll(() => removeGuard())
  beforeEach(() => {
    env = sandboxEnv(servers!)
  })
  afterEach(() => {
    if (attached) servers!.detach(attached)
    attached = undefined
    env?.restore()
  })
  return {
    get servers() {
      return servers!
    },
    get env() {
      return env!
    },
    attach(options) {
      attached = fakeWorld(options)
      servers!.attach(attached)
      return attached
    },
  }
}
