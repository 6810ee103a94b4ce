/**
 * The fault catalogue's worlds for the agreement runs of the other SDKs: one world per fault kind
 * (and per option that changes what an SDK does), each with the source the fault hits and, where
 * that source is not the instance profile, an instance profile after it — so a run shows both
 * whether the SDK fails on the fault and whether it then moves on or stops.
 */
import type { Fault, WorldSpec } from '../../src/types.js'

const imds = { instanceProfile: { role: 'ec2' } } as const
const withImds = (spec: WorldSpec, ...faults: Fault[]): WorldSpec => ({ ...spec, ...imds, faults })

export function faultWorlds(): { label: string; spec: WorldSpec }[] {
  const rows: [string, WorldSpec][] = [
    ['imds tokenStatus 400', { ...imds, faults: [{ target: 'imds', kind: 'tokenStatus', status: 400 }] }],
    ['imds tokenStatus 403', { ...imds, faults: [{ target: 'imds', kind: 'tokenStatus', status: 403 }] }],
    ['imds tokenStatus 404', { ...imds, faults: [{ target: 'imds', kind: 'tokenStatus', status: 404 }] }],
    ['imds tokenStatus 405', { ...imds, faults: [{ target: 'imds', kind: 'tokenStatus', status: 405 }] }],
    ['imds rejectV1', { ...imds, faults: [{ target: 'imds', kind: 'rejectV1' }] }],
    ['imds rejectV1 + tokenStatus 403', { ...imds, faults: [{ target: 'imds', kind: 'rejectV1' }, { target: 'imds', kind: 'tokenStatus', status: 403 }] }],
    ['imds status 500', { ...imds, faults: [{ target: 'imds', kind: 'status', status: 500 }] }],
    ['imds status 503 once', { ...imds, faults: [{ target: 'imds', kind: 'status', status: 503, path: 'credentials', times: 1 }] }],
    ['imds throttle', { ...imds, faults: [{ target: 'imds', kind: 'throttle' }] }],
    ['imds throttle token', { ...imds, faults: [{ target: 'imds', kind: 'throttle', path: 'token' }] }],
    ['imds malformedCredentials truncated', { ...imds, faults: [{ target: 'imds', kind: 'malformedCredentials', variant: 'truncated' }] }],
    ['imds malformedCredentials missingFields', { ...imds, faults: [{ target: 'imds', kind: 'malformedCredentials', variant: 'missingFields' }] }],
    ['imds expiredCredentials', { ...imds, faults: [{ target: 'imds', kind: 'expiredCredentials' }] }],
    ['imds expiringCredentials', { ...imds, faults: [{ target: 'imds', kind: 'expiringCredentials', inSeconds: 120 }] }],
    ['container status 500', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'status', status: 500 })],
    ['container status 401', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'status', status: 401 })],
    ['container malformedBody truncated', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'malformedBody', variant: 'truncated' })],
    ['container malformedBody missingFields', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'malformedBody', variant: 'missingFields' })],
    ['sts AccessDenied AssumeRole', withImds({ profiles: { base: { user: 'base' }, default: { role: 'admin', sourceProfile: 'base' } } }, { target: 'sts', kind: 'error', code: 'AccessDenied', action: 'AssumeRole' })],
    ['sts RegionDisabledException AssumeRole', withImds({ profiles: { base: { user: 'base' }, default: { role: 'admin', sourceProfile: 'base' } } }, { target: 'sts', kind: 'error', code: 'RegionDisabledException', action: 'AssumeRole' })],
    ['sts AccessDenied AssumeRoleWithWebIdentity', withImds({ webIdentity: { role: 'web-id' } }, { target: 'sts', kind: 'error', code: 'AccessDenied', action: 'AssumeRoleWithWebIdentity' })],
    ['sts InvalidIdentityToken', withImds({ webIdentity: { role: 'web-id' } }, { target: 'sts', kind: 'error', code: 'InvalidIdentityToken' })],
    ['webIdentityTokenFile missing', withImds({ webIdentity: { role: 'web-id' } }, { target: 'webIdentityTokenFile', kind: 'missing' })],
    ['webIdentityTokenFile empty', withImds({ webIdentity: { role: 'web-id' } }, { target: 'webIdentityTokenFile', kind: 'empty' })],
    ['credentialProcess exitNonZero', withImds({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'credentialProcess', kind: 'exitNonZero' })],
    ['credentialProcess badJson', withImds({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'credentialProcess', kind: 'badJson' })],
    ['credentialProcess badVersion', withImds({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'credentialProcess', kind: 'badVersion' })],
    ['credentialProcess expired', withImds({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'credentialProcess', kind: 'expired' })],
    ['sso tokenExpired', withImds({ profiles: { default: { sso: { role: 'Dev' } } } }, { target: 'sso', kind: 'tokenExpired' })],
    ['ini malformed credentials (colon)', withImds({ profiles: { default: { user: 'alice' } } }, { target: 'ini', kind: 'malformed', file: 'credentials', how: 'colonSeparator' })],
    ['ini malformed credentials (unclosed)', withImds({ profiles: { default: { user: 'alice' } } }, { target: 'ini', kind: 'malformed', file: 'credentials', how: 'unclosedSection' })],
    ['ini malformed config (unclosed)', withImds({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'ini', kind: 'malformed', file: 'config', how: 'unclosedSection' })],
    ['ini malformed config (unclosed), env keys', { env: { user: 'envuser' }, ...withImds({ profiles: { default: { process: { user: 'tool' } } } }, { target: 'ini', kind: 'malformed', file: 'config', how: 'unclosedSection' }) }],
    ['imds status 500 answering 3', { ...imds, faults: [{ target: 'imds', kind: 'status', status: 500, path: 'credentials', times: 3 }] }],
    ['imds tokenTimeout', { ...imds, faults: [{ target: 'imds', kind: 'tokenTimeout' }] }],
    ['imds delay 1500 credentials', { ...imds, faults: [{ target: 'imds', kind: 'delay', ms: 1500, path: 'credentials' }] }],
    ['container delay 1200 once', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'delay', ms: 1200, times: 1 })],
    ['sts Throttling AssumeRole once', withImds({ profiles: { base: { user: 'base' }, default: { role: 'admin', sourceProfile: 'base' } } }, { target: 'sts', kind: 'error', code: 'Throttling', action: 'AssumeRole', times: 1 })],
    // how many failing answers each SDK's retries absorb (a fault answering `times` requests)
    ['imds status 500 answering 2', { ...imds, faults: [{ target: 'imds', kind: 'status', status: 500, path: 'credentials', times: 2 }] }],
    ['imds status 500 answering 4', { ...imds, faults: [{ target: 'imds', kind: 'status', status: 500, path: 'credentials', times: 4 }] }],
    ['imds throttle answering 1', { ...imds, faults: [{ target: 'imds', kind: 'throttle', times: 1 }] }],
    ['imds throttle answering 2', { ...imds, faults: [{ target: 'imds', kind: 'throttle', times: 2 }] }],
    ['container status 500 answering 2', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'status', status: 500, times: 2 })],
    ['container status 500 answering 3', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'status', status: 500, times: 3 })],
    ['container delay 1500', withImds({ container: { role: 'task' } }, { target: 'container', kind: 'delay', ms: 1500 })],
    ['sts Throttling AssumeRole answering 3', withImds({ profiles: { base: { user: 'base' }, default: { role: 'admin', sourceProfile: 'base' } } }, { target: 'sts', kind: 'error', code: 'Throttling', action: 'AssumeRole', times: 3 })],
    ['login missingCache', withImds({ profiles: { default: { login: { role: 'console' } } } }, { target: 'login', kind: 'missingCache' })],
    ['login refreshRefused', withImds({ profiles: { default: { login: { role: 'console' } } } }, { target: 'login', kind: 'refreshRefused' })],
    ['profile sourceProfileLoop', withImds({}, { target: 'profile', kind: 'sourceProfileLoop' })],
    ['profile missing', withImds({}, { target: 'profile', kind: 'missing' })],
    ['profile missing, env keys', withImds({ env: { user: 'envuser' } }, { target: 'profile', kind: 'missing' })],
    ['profile missing, web identity', withImds({ webIdentity: { role: 'web-id' } }, { target: 'profile', kind: 'missing' })],
  ]
  return rows.map(([label, spec]) => ({ label, spec }))
}
