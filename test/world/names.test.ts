/**
 * Names are names: any profile name the SDK can read back works and stays distinct from every
 * other (paths, session names and the world's session → profile table derive from a
 * collision-free key, never a flattened name); a name the SDK's ini parser cannot hold safely is
 * refused at validation, naming the field and saying what to do — before anything changes.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import { sandboxRoot } from '../../src/world/sandbox.js'
import { createCredentialWorld, parseWorldSpec, resolveCredentials } from '../../src/index.js'
import { planWorld } from '../../src/world/build.js'
import { Ledger } from '../../src/servers/ledger.js'
import { profileKeys, profileNameProblem } from '../../src/world/names.js'
import type { WorldSpec } from '../../src/types.js'

const STS_SESSION_NAME = /^[\w+=,.@-]{2,64}$/

// this process's own sandboxes: other test files create worlds in parallel
const sandboxes = () => readdirSync(sandboxRoot()).filter((name) => name.startsWith(`chainproof-home-${process.pid}-`))

/** The own property names of Object, Object.prototype and its functions: the parser must never add one here. */
function builtinsShape(): string {
  const objects = [Object, Object.prototype, ...Object.getOwnPropertyNames(Object.prototype).map((k) => (Object.prototype as Record<string, unknown>)[k])]
  return JSON.stringify(objects.map((o) => (o !== null && (typeof o === 'object' || typeof o === 'function') ? Object.getOwnPropertyNames(o).sort() : [])))
}

const NAMES = [
  'default', 'dev', 'Dev', 'DEV', 'team/dev', 'team-dev', 'team_dev', 'team.dev', 'team:dev', 'team@dev', 'team+dev', 'team%dev',
  'a', 'a]b', 'a[b', '[x]', 'a#b', 'a;b', 'a=b', 'a,b', '"q"', "'q'", 'café', 'cafe\u0301', '日本', 'profile.x', 'prototype', 'length', 'name',
  'env', 'web-identity', 'x'.repeat(128),
  `AWSAdministratorAccess-123456789012-${'o'.repeat(40)}-dev`, `AWSAdministratorAccess-123456789012-${'o'.repeat(40)}-prod`,
  // refused
  'a b', 'a b!', 'x y z', ' lead', 'trail ', 'a #b', '#a', ';a', 'a\tb', 'a\u00a0b', 'profile x', 'sso-session.x', 'services.x',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'x'.repeat(129), '',
]

describe("the SDK's ini parser, measured in a process of its own", () => {
  const verdicts: { name: string; touchedBuiltins: boolean; credentials: boolean; config: boolean; sourceProfile: boolean }[] = JSON.parse(
    execFileSync(process.execPath, [join(import.meta.dirname, 'ini-oracle.cjs')], { input: JSON.stringify(NAMES), encoding: 'utf8' }),
  )

  it('reads back every name a world accepts, in the file the world writes it to and as source_profile', () => {
    for (const v of verdicts) {
      if (profileNameProblem(v.name, 'credentials') === undefined) expect({ name: v.name, holds: v.credentials && v.sourceProfile }).toEqual({ name: v.name, holds: true })
      if (profileNameProblem(v.name, 'config') === undefined) expect({ name: v.name, holds: v.config && v.sourceProfile }).toEqual({ name: v.name, holds: true })
    }
  })

  it('refuses only names it cannot hold, but for whitespace and the other section types', () => {
    const heldYetRefused = verdicts
      .filter((v) => (profileNameProblem(v.name, 'credentials') && v.credentials && v.sourceProfile) || (profileNameProblem(v.name, 'config') && v.config && v.sourceProfile))
      .map((v) => v.name)
    // "a b!" and "x y z" happen to survive where "a b" vanishes; "sso-session.x" is read as a profile, but shares its key with [sso-session x]
    // and a world's own limit of 128 characters
    expect(heldYetRefused).toEqual(['a b!', 'x y z', 'sso-session.x', 'services.x', 'x'.repeat(129)])
  })

  it('writes prototype-ish names onto built-in objects (so a world refuses them), and drops a whole file for [__proto__]', () => {
    expect(verdicts.filter((v) => v.touchedBuiltins).map((v) => v.name)).toEqual(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'])
    expect(verdicts.find((v) => v.name === '__proto__')).toMatchObject({ credentials: false, config: false, sourceProfile: false })
    expect(verdicts.find((v) => v.name === 'prototype')).toMatchObject({ touchedBuiltins: false, credentials: true, config: true, sourceProfile: true })
  })

  it('keeps ~/.aws/config sections to ASCII letters, digits and _-@+.%:/ (and ~/.aws/credentials to names without whitespace)', () => {
    const config = verdicts.filter((v) => v.config).map((v) => v.name)
    expect(config.filter((n) => !/^[A-Za-z0-9_\-@+.%:/]+$/.test(n))).toEqual([])
    expect(verdicts.filter((v) => v.credentials && !v.config).map((v) => v.name)).toEqual(
      expect.arrayContaining(['a]b', 'a[b', 'a#b', 'a;b', 'a=b', 'a,b', '"q"', 'café', '日本', 'a b!', ' lead', 'trail ', '#a']),
    )
  })
})

describe('profile keys', () => {
  /** Names from a seeded generator: the characters the SDK holds, case variants, long shared prefixes. */
  function generatedNames(count: number): string[] {
    let seed = 13
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed)
    const alphabet = 'aAbB09_-@+.%:/]=é日'
    return Array.from({ length: count }, () => {
      const stem = next() % 3 === 0 ? 'AWSReadOnlyAccess-123456789012-'.padEnd(70, 'z') : ''
      return stem + Array.from({ length: 1 + (next() % 6) }, () => alphabet[next() % alphabet.length]).join('')
    })
  }

  it('are distinct (ignoring case), valid STS session names, and readable for plain names', () => {
    const names = [...new Set([...NAMES.filter((n) => profileNameProblem(n) === undefined), ...generatedNames(2000)])]
    const reserved = ['chainproof-env', 'chainproof-web-identity']
    const keys = profileKeys(names, reserved)
    const all = [...keys.values()]
    expect(new Set(all.map((k) => k.toLowerCase())).size).toBe(names.length)
    for (const key of all) {
      expect(key).toMatch(STS_SESSION_NAME)
      expect(reserved).not.toContain(key)
    }
    expect(keys.get('default')).toBe('chainproof-default')
    expect(keys.get('team-dev')).toBe('chainproof-team-dev')
    expect(keys.get('team/dev')).toMatch(/^chainproof-team-dev\+[0-9a-f]{12}$/)
    // Dev and dev would share a file on macOS: both take a hash
    expect([keys.get('Dev'), keys.get('dev')]).toEqual([expect.stringMatching(/^chainproof-Dev\+/), expect.stringMatching(/^chainproof-dev\+/)])
    expect(keys.get('env')).toMatch(/^chainproof-env\+/)
  })

  it('do not depend on the order of the names', () => {
    const names = generatedNames(200)
    const forward = profileKeys(names)
    const backward = profileKeys([...names].reverse())
    for (const name of names) expect(backward.get(name)).toBe(forward.get(name))
  })
})

describe('distinct names resolve distinctly with the real SDK', () => {
  it('team/dev resolves as alice and team-dev as bob (process profiles)', async () => {
    const profiles = { 'team/dev': { process: { user: 'alice' } }, 'team-dev': { process: { user: 'bob' } } }
    for (const [profile, user] of [['team/dev', 'alice'], ['team-dev', 'bob']] as const) {
      await using world = await createCredentialWorld({ profile, profiles })
      const r = await resolveCredentials(fromNodeProviderChain())
      expect(r).toMatchObject({ source: 'process', profile, principal: `arn:aws:iam::123456789012:user/${user}` })
      expect(readdirSync(join(world.home, '.aws', 'bin'))).toHaveLength(2)
    }
  })

  it('Dev and dev stay two profiles (case matters to the SDK, and paths survive a case-insensitive disk)', async () => {
    await using world = await createCredentialWorld({ profile: 'Dev', profiles: { Dev: { process: { user: 'alice' } }, dev: { process: { user: 'bob' } } } })
    await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ profile: 'Dev', principal: 'arn:aws:iam::123456789012:user/alice' })
    expect(new Set(readdirSync(join(world.home, '.aws', 'bin')).map((f) => f.toLowerCase())).size).toBe(2)
  })

  it('long SSO-style names that differ after 64 characters keep their own role sessions and scripts', async () => {
    const stem = `AWSAdministratorAccess-123456789012-${'o'.repeat(40)}`
    const [dev, prod] = [`${stem}-dev`, `${stem}-prod`]
    const profiles = { base: { user: 'alice' }, [dev]: { role: 'deployer', sourceProfile: 'base' }, [prod]: { role: 'deployer', sourceProfile: 'base' } }
    const sessions: string[] = []
    for (const profile of [dev, prod]) {
      await using world = await createCredentialWorld({ profile, profiles })
      const r = await resolveCredentials(fromNodeProviderChain())
      expect(r).toMatchObject({ source: 'profile', profile, role: 'deployer' })
      const session = r.principal.split('/').at(-1)!
      expect(session).toMatch(STS_SESSION_NAME)
      sessions.push(session)
    }
    expect(sessions[0]).not.toBe(sessions[1])

    const processProfiles = { [dev]: { process: { role: 'dev' } }, [prod]: { process: { role: 'prod' } } }
    await using world = await createCredentialWorld({ profile: dev, profiles: processProfiles })
    await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source: 'process', profile: dev, role: 'dev' })
  })

  it('a web-identity profile and a role profile whose flattened names collide keep their own token files and sessions', async () => {
    const profiles = { base: { user: 'alice' }, 'ci/web': { role: 'web', webIdentityTokenFile: true as const }, 'ci-web': { role: 'web', sourceProfile: 'base' } }
    for (const [profile, source] of [['ci/web', 'webIdentity'], ['ci-web', 'profile']] as const) {
      await using _world = await createCredentialWorld({ profile, profiles })
      await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source, profile, role: 'web' })
    }
  })

  it('two SSO profiles with the same role, whose flattened names collide, keep their own sso-sessions and attribution', async () => {
    const profiles = { 'org/dev': { sso: { role: 'Dev' } }, 'org-dev': { sso: { role: 'Dev' } } }
    for (const profile of ['org/dev', 'org-dev']) {
      await using world = await createCredentialWorld({ profile, profiles })
      await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source: 'sso', profile, role: 'Dev' })
      expect(readdirSync(join(world.home, '.aws', 'sso', 'cache'))).toHaveLength(2)
    }
  })

  it('"prototype" works end to end as a profile and as a source profile, and nothing touches built-in objects', async () => {
    const before = builtinsShape()
    {
      await using _world = await createCredentialWorld({ profile: 'deploy', profiles: { prototype: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'prototype' } } })
      await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source: 'profile', profile: 'deploy', role: 'deployer' })
    }
    {
      await using _world = await createCredentialWorld({ profile: 'prototype', profiles: { base: { user: 'alice' }, prototype: { role: 'deployer', sourceProfile: 'base' } } })
      await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source: 'profile', profile: 'prototype', role: 'deployer' })
    }
    expect(builtinsShape()).toBe(before)
  })

  it('names only ~/.aws/credentials can hold work for user profiles (brackets, =, unicode) and as source profiles', async () => {
    for (const name of ['a]b', 'a=b', 'café', '日本']) {
      await using _world = await createCredentialWorld({ profile: name, profiles: { [name]: { user: 'alice' } } })
      await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source: 'profile', profile: name, principal: 'arn:aws:iam::123456789012:user/alice' })
    }
    await using _world = await createCredentialWorld({ profile: 'deploy', profiles: { 'café': { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'café' } } })
    await expect(resolveCredentials(fromNodeProviderChain())).resolves.toMatchObject({ source: 'profile', profile: 'deploy', role: 'deployer' })
  })
})

describe('names the SDK cannot hold are refused, naming the field', () => {
  /** The validation message for a spec, after checking that creating its world changes nothing. */
  async function refusal(spec: unknown): Promise<string> {
    const env = { ...process.env }
    const dirs = sandboxes()
    const error = await createCredentialWorld(spec as WorldSpec).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).name).toBe('ChainproofError')
    expect({ ...process.env }).toEqual(env)
    expect(sandboxes()).toEqual(dirs)
    return (error as Error).message
  }

  it('a config profile with a bracket', async () => {
    expect(await refusal({ profiles: { 'a]b': { process: { user: 'alice' } } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profiles["a]b"]: "a]b" cannot be a section of ~/.aws/config: the SDK keeps "[profile NAME]" only for ASCII letters, digits and _ - @ + . % : / and drops the section otherwise; rename it (a profile with only { user } lives in ~/.aws/credentials, which takes more)"
    `)
  })

  it('a unicode name on a role profile, and a user profile whose region goes to ~/.aws/config', async () => {
    expect(await refusal({ profiles: { base: { user: 'a' }, 'café': { role: 'r', sourceProfile: 'base' }, 'a=b': { user: 'a', region: 'eu-west-1' } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profiles["café"]: "café" cannot be a section of ~/.aws/config: the SDK keeps "[profile NAME]" only for ASCII letters, digits and _ - @ + . % : / and drops the section otherwise; rename it (a profile with only { user } lives in ~/.aws/credentials, which takes more)
        - profiles["a=b"]: "a=b" cannot be a section of ~/.aws/config: the SDK keeps "[profile NAME]" only for ASCII letters, digits and _ - @ + . % : / and drops the section otherwise; rename it (a profile with only { user } lives in ~/.aws/credentials, which takes more)"
    `)
  })

  it('whitespace, a leading comment character, an empty or over-long name', async () => {
    expect(await refusal({ profile: 'a b', profiles: { ' lead': { user: 'a' }, '#a': { user: 'a' }, '': { user: 'a' }, ['x'.repeat(129)]: { user: 'a' } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profile: "a b" has whitespace or a control character; the SDK's ini parser drops or cuts such a name ("[a b]" vanishes, "source_profile = a #b" reads "a"): use - or _ instead
        - profiles[" lead"]: " lead" has whitespace or a control character; the SDK's ini parser drops or cuts such a name ("[a b]" vanishes, "source_profile = a #b" reads "a"): use - or _ instead
        - profiles["#a"]: "#a" starts with "#", which the SDK's ini parser reads as a comment in "source_profile = #a": rename it
        - profiles[""]: expected a profile name, got an empty string
        - profiles.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: a profile name has at most 128 characters (got 129): shorten it"
    `)
  })

  it('a name that is also another section type of ~/.aws/config', async () => {
    expect(await refusal({ profiles: { 'sso-session.corp': { process: { user: 'a' } } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profiles["sso-session.corp"]: "sso-session.corp" is how the SDK files a "[sso-session corp]" section of ~/.aws/config, so the profile would be mixed up with it: rename it"
    `)
  })

  it('prototype-ish names as profiles, AWS_PROFILE and source profile', async () => {
    expect(await refusal({ profile: 'constructor', profiles: { toString: { user: 'a' }, deploy: { role: 'd', sourceProfile: 'hasOwnProperty' } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profile: "constructor" is a property of every JavaScript object: the SDK's ini parser would write this profile onto the global Object (or Object.prototype.constructor) and fromIni takes "source_profile = constructor" for a cycle: choose another name
        - profiles.toString: "toString" is a property of every JavaScript object: the SDK's ini parser would write this profile onto the global Object (or Object.prototype.toString) and fromIni takes "source_profile = toString" for a cycle: choose another name
        - profiles.deploy.sourceProfile: "hasOwnProperty" is a property of every JavaScript object: the SDK's ini parser would write this profile onto the global Object (or Object.prototype.hasOwnProperty) and fromIni takes "source_profile = hasOwnProperty" for a cycle: choose another name"
    `)
  })

  it('__proto__ from JSON is refused, not silently dropped', async () => {
    const spec = JSON.parse('{ "profile": "__proto__", "profiles": { "__proto__": { "user": "alice" } } }')
    expect(await refusal(spec)).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profiles.__proto__: the SDK's ini parser refuses a "[__proto__]" section and drops the whole file with it: choose another name
        - profile: the SDK's ini parser refuses a "[__proto__]" section and drops the whole file with it: choose another name"
    `)
  })

  it('fault profile options are validated as profile names', async () => {
    const spec = {
      profiles: { dev: { process: { user: 'a' } } },
      faults: [
        { target: 'credentialProcess', kind: 'badJson', profile: 'valueOf' },
        { target: 'profile', kind: 'missing', name: 'a b' },
        { target: 'profile', kind: 'sourceProfileLoop', profile: 'café' },
      ],
    }
    expect(await refusal(spec)).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - faults[0].profile: "valueOf" is a property of every JavaScript object: the SDK's ini parser would write this profile onto the global Object (or Object.prototype.valueOf) and fromIni takes "source_profile = valueOf" for a cycle: choose another name
        - faults[1].name: "a b" has whitespace or a control character; the SDK's ini parser drops or cuts such a name ("[a b]" vanishes, "source_profile = a #b" reads "a"): use - or _ instead
        - faults[2].profile: the loop fault writes profile "café" into ~/.aws/config: "café" cannot be a section of ~/.aws/config: the SDK keeps "[profile NAME]" only for ASCII letters, digits and _ - @ + . % : / and drops the section otherwise; rename it (a profile with only { user } lives in ~/.aws/credentials, which takes more)"
    `)
  })

  it('an ini line injected through a fault profile is refused and never runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chainproof-injection-'))
    const marker = join(dir, 'ran')
    const injected = `x]\ncredential_process = /bin/sh -c 'touch ${marker}' #`
    const spec = { profile: 'x', faults: [{ target: 'profile', kind: 'sourceProfileLoop', profile: injected }] }
    try {
      expect((await refusal(spec)).replace(marker, '<MARKER>')).toMatchInlineSnapshot(`
        "Invalid WorldSpec:
          - faults[0].profile: "x]\\ncredential_process = /bin/sh -c 'touch <MARKER>' #" has a line break, which would end the ini line and start another: remove it"
      `)
      // and if validation were skipped, the world would still not write the line: a header with a line break is refused
      const endpoints = { imds: 'http://127.0.0.1:1', container: 'http://127.0.0.1:1', sts: 'http://127.0.0.1:1', sso: 'http://127.0.0.1:1', signin: 'http://127.0.0.1:1', gate: 'http://127.0.0.1:1' }
      expect(() => planWorld(spec as WorldSpec, join(dir, 'home'), endpoints, new Ledger())).toThrow('refusing to write an ini line with a line break in it')
      const asProfile = { profile: 'x', profiles: { [injected]: { role: 'r', credentialSource: 'Environment' } } }
      expect(() => planWorld(asProfile as WorldSpec, join(dir, 'home'), endpoints, new Ledger())).toThrow('refusing to write an ini line with a line break in it')
      expect((await refusal(asProfile)).replace(marker, '<MARKER>')).toContain('has a line break, which would end the ini line and start another: remove it')
      expect(existsSync(marker)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('parseWorldSpec accepts what the SDK can hold', () => {
    expect(() => parseWorldSpec({ profile: 'team/dev', profiles: { 'team/dev': { process: { user: 'a' } }, 'a]b': { user: 'b' }, prototype: { user: 'c' } } })).not.toThrow()
  })
})

describe('what the world writes', () => {
  it('names each profile by its exact name in the files, and by its key only in paths and session names', async () => {
    await using world = await createCredentialWorld({ profiles: { base: { user: 'a' }, 'team/dev': { role: 'd', sourceProfile: 'base' }, 'team:ops': { process: { user: 'o' } } } })
    const config = readFileSync(join(world.home, '.aws', 'config'), 'utf8')
    expect(config).toContain('[profile team/dev]\nrole_arn = arn:aws:iam::123456789012:role/d\nsource_profile = base\nrole_session_name = chainproof-team-dev+')
    expect(config).toMatch(/\[profile team:ops\]\ncredential_process = '.*\/\.aws\/bin\/chainproof-team-ops\+[0-9a-f]{12}\.sh'/)
  })
})

describe('SSO role sessions are named by the profile key', () => {
  it('a profile name with a slash gives a session name an ARN can hold, distinct from its look-alike', async () => {
    const principals: string[] = []
    for (const profile of ['team/dev', 'team-dev']) {
      await using _w = await createCredentialWorld({ profile, profiles: { 'team/dev': { sso: { role: 'Dev' } }, 'team-dev': { sso: { role: 'Dev' } } } })
      principals.push((await resolveCredentials(new S3Client({}))).principal)
    }
    expect(principals[0]).not.toBe(principals[1])
    for (const p of principals) expect(p).toMatch(/^arn:aws:sts::123456789012:assumed-role\/Dev\/[\w+=,.@-]+$/)
  })
})
