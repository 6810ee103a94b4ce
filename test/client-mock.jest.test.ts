/**
 * chainproof together with aws-sdk-client-mock: the matchers on stubbed clients, the
 * withCredentialResolution bridge and toHaveReceivedCommandSignedBy, and the report's hint for a
 * mocked STSClient that credential providers bypass — every failure message pinned. Mocked sends
 * never leave the process; credentials come from the world's loopback servers.
 * test/client-mock/client-mock.test.ts runs the same cases with the same snapshots under Vitest
 * from source: keep the two in step (only the header differs).
 */
// ---- runner: Jest, against the built package (npm run build first) ----
import { afterEach, describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { signedCallsOf, withCredentialResolution } from 'chainproof/client-mock'
import { failureOf } from './support/messages'
// ---- end runner ----
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'

const world = useCredentialWorld()

/** Every stub a test creates is restored after it, so that no other test sees a mocked client. */
const stubs: { restore(): void }[] = []
function track<T extends { restore(): void }>(stub: T): T {
  stubs.push(stub)
  return stub
}
afterEach(() => {
  for (const stub of stubs.splice(0).reverse()) stub.restore()
})

const precedenceBug = { env: { user: 'ci' }, instanceProfile: { role: 'web' } } as const
const deployProfile = { profile: 'deploy', profiles: { deploy: { role: 'deployer', sourceProfile: 'base' }, base: { user: 'alice' } } } as const
const getInvoice = (key = 'invoice-0042.pdf') => new GetObjectCommand({ Bucket: 'invoices', Key: key })
const putArchive = (key = 'invoice-0042.pdf') => new PutObjectCommand({ Bucket: 'archive', Key: key, Body: 'pdf' })

describe('chainproof matchers on clients stubbed with aws-sdk-client-mock', () => {
  it('work when the client class is stubbed (mockClient(S3Client)): the stub replaces send, config is kept', async () => {
    await world.set(precedenceBug)
    const s3Mock = track(mockClient(S3Client))
    s3Mock.on(GetObjectCommand).resolves({ ContentType: 'application/pdf' })
    const client = new S3Client({})
    expect(client.send).toBe(s3Mock.send)
    await expect(client).toResolveCredentialsFrom('env')
    await expect(client).toShadowCredentialsFrom('instanceProfile')
    await expect(client).toResolveToPrincipal('arn:aws:iam::123456789012:user/ci')
    await expect(client).not.toResolveCredentialsFrom('instanceProfile')
    expect(await client.send(getInvoice())).toEqual({ ContentType: 'application/pdf' })
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(1)
  })

  it('work when one client instance is stubbed (mockClient(client))', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    const client = new S3Client({})
    const s3Mock = track(mockClient(client))
    s3Mock.resolves({})
    expect(Object.hasOwn(client, 'send')).toBe(true)
    await expect(client).toResolveCredentialsFrom('instanceProfile')
    await expect(client).toResolveToRole('web')
    await expect(client.send(getInvoice())).resolves.toEqual({})
  })

  it('fail with the usual message on a stubbed client', async () => {
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    track(mockClient(S3Client)).resolves({})
    const message = await failureOf(() => expect(new S3Client({})).toResolveCredentialsFrom('env'))
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(client).toResolveCredentialsFrom(source)

      Expected source: "env"
      Received error:  "Could not load credentials from any providers""
    `)
  })
})

describe('withCredentialResolution', () => {
  it('resolves the credentials before the mocked send, then runs the mock, recording who signed (class stub)', async () => {
    await world.set(precedenceBug)
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    s3Mock.on(GetObjectCommand).resolves({ ContentType: 'application/pdf' })
    expect(await new S3Client({}).send(getInvoice())).toEqual({ ContentType: 'application/pdf' })

    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'env')
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'environment')
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { principal: /:user\/ci$/ })
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { principal: expect.stringContaining(':user/ci') })
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile')
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, { role: 'web' })
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(PutObjectCommand, 'env')
    expect(s3Mock.calls()).toHaveLength(1)
    expect(signedCallsOf(s3Mock)).toEqual([
      {
        client: 'S3Client',
        command: 'GetObjectCommand',
        input: { Bucket: 'invoices', Key: 'invoice-0042.pdf' },
        at: expect.any(Date),
        resolved: true,
        source: 'env',
        principal: 'arn:aws:iam::123456789012:user/ci',
        accessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/),
      },
    ])
  })

  it('works on an instance stub, and names role sessions by role', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    const client = new S3Client({})
    const s3Mock = track(withCredentialResolution(mockClient(client)))
    s3Mock.resolves({})
    await client.send(getInvoice())
    await client.send(putArchive())
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { source: 'instanceProfile', role: 'web' })
    await expect(s3Mock).toHaveReceivedCommandSignedBy(PutObjectCommand, { role: 'arn:aws:iam::123456789012:role/web' })
    await expect(s3Mock).toHaveReceivedCommandSignedBy(PutObjectCommand, { principal: /:assumed-role\/web\/i-/ })
    expect(signedCallsOf(s3Mock).map((call) => call.resolved && [call.command, call.source, call.role])).toEqual([
      ['GetObjectCommand', 'instanceProfile', 'web'],
      ['PutObjectCommand', 'instanceProfile', 'web'],
    ])
  })

  it('names the profile and the role a profile assumed', async () => {
    await world.set(deployProfile)
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    await new S3Client({}).send(putArchive())
    await expect(s3Mock).toHaveReceivedCommandSignedBy(PutObjectCommand, { source: 'profile', profile: 'deploy', role: 'deployer' })
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(PutObjectCommand, { profile: 'base' })
  })

  it('names credentials passed in code as code', async () => {
    await world.set(precedenceBug)
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    await new S3Client({ credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-a-real-secret' } }).send(getInvoice())
    await expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'code')
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, 'env')
  })

  it('fails the call with the SDK’s own error when no source resolves, and the mock never sees it', async () => {
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    s3Mock.resolves({})
    await expect(new S3Client({}).send(getInvoice())).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      message: expect.stringContaining('Could not load credentials from any providers'),
    })
    expect(s3Mock.calls()).toHaveLength(0)
    expect(signedCallsOf(s3Mock)).toEqual([
      {
        client: 'S3Client',
        command: 'GetObjectCommand',
        input: { Bucket: 'invoices', Key: 'invoice-0042.pdf' },
        at: expect.any(Date),
        resolved: false,
        error: 'Could not load credentials from any providers',
      },
    ])
    await expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, 'env')
  })

  it('keeps whatever the mock was configured to do: input matchers, *Once chains, callsFake with getClient, rejects', async () => {
    await world.set({ env: { user: 'ci' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    s3Mock
      .on(GetObjectCommand, { Key: 'a' })
      .resolvesOnce({ ContentType: 'first' })
      .resolves({ ContentType: 'then' })
      .on(PutObjectCommand)
      .callsFake(async (input: { Key?: string }, getClient: () => S3Client) => ({ ETag: `${input.Key}@${await getClient().config.region()}` }))
      .on(DeleteObjectCommand)
      .rejects('denied by the mock')
    const client = new S3Client({ region: 'eu-west-1' })
    expect(await client.send(getInvoice('a'))).toEqual({ ContentType: 'first' })
    expect(await client.send(getInvoice('a'))).toEqual({ ContentType: 'then' })
    expect(await client.send(getInvoice('b'))).toBeUndefined()
    expect(await client.send(putArchive('k'))).toEqual({ ETag: 'k@eu-west-1' })
    await expect(client.send(new DeleteObjectCommand({ Bucket: 'b', Key: 'k' }))).rejects.toThrow('denied by the mock')
    expect(s3Mock.commandCalls(GetObjectCommand, { Key: 'a' })).toHaveLength(2)
    expect(s3Mock.calls()).toHaveLength(5)
    await expect(s3Mock).toHaveReceivedCommandSignedBy(DeleteObjectCommand, 'env')
    expect(signedCallsOf(s3Mock)).toHaveLength(5)
  })

  it('survives reset() with a clean record, and resetHistory() clears the record', async () => {
    await world.set({ env: { user: 'ci' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    await new S3Client({}).send(getInvoice())
    s3Mock.resetHistory()
    expect(signedCallsOf(s3Mock)).toEqual([])
    await new S3Client({}).send(getInvoice())
    expect(s3Mock.reset()).toBe(s3Mock)
    expect(signedCallsOf(s3Mock)).toEqual([])
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    await expect(new S3Client({}).send(getInvoice())).rejects.toThrow('Could not load credentials from any providers')
    expect(s3Mock.calls()).toHaveLength(0)
    expect(withCredentialResolution(s3Mock)).toBe(s3Mock)
  })

  it('refuses to resolve without an active world', async () => {
    await world.set({ env: { user: 'ci' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    const client = new S3Client({})
    await world.current.dispose()
    await expect(client.send(getInvoice())).rejects.toThrow(
      'S3Client.send(GetObjectCommand): withCredentialResolution resolves the client\'s credentials in the active credential world, and none is active.',
    )
    expect(s3Mock.calls()).toHaveLength(0)
  })

  it('refuses anything but a client mock', () => {
    expect(() => withCredentialResolution(new S3Client({}) as never)).toThrow(
      'withCredentialResolution(stub) expects the stub that mockClient(…) from aws-sdk-client-mock returns, e.g. withCredentialResolution(mockClient(S3Client)); received an object (S3Client with keys',
    )
    expect(() => signedCallsOf(track(mockClient(STSClient)))).toThrow('signedCallsOf(stub) expects a stub wrapped with withCredentialResolution(mockClient(…))')
  })
})

describe('toHaveReceivedCommandSignedBy failure messages', () => {
  it('lists every call and who signed it, then the chain, when no call was signed that way', async () => {
    await world.set(precedenceBug)
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    await new S3Client({}).send(getInvoice())
    await new S3Client({}).send(putArchive())
    await new S3Client({}).send(getInvoice('invoice-0043.pdf'))
    // The chain's own table is pinned by the chain's suites; here: that it follows, with its hint.
    const message = await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { source: 'instanceProfile', role: 'web' }))
    expect(message).toContain('\n\nCredential chain (js-v3) — winner: env\n')
    expect(message).toContain('\nHints:\n  - To use instanceProfile instead of env')
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Expected S3Client to receive "GetObjectCommand" signed by source "instanceProfile", role "web"
      S3Client received "GetObjectCommand" 2 times, 0 of them signed that way

      Calls:
        1. GetObjectCommand: {"Bucket":"invoices","Key":"invoice-0042.pdf"}
           signed by env: arn:aws:iam::123456789012:user/ci (****************XXXX)
        2. PutObjectCommand: {"Bucket":"archive","Key":"invoice-0042.pdf","Body":"pdf"}
           signed by env: arn:aws:iam::123456789012:user/ci (****************XXXX)
        3. GetObjectCommand: {"Bucket":"invoices","Key":"invoice-0043.pdf"}
           signed by env: arn:aws:iam::123456789012:user/ci (****************XXXX)"
    `)
  })

  it('under .not, counts the calls that were signed that way', async () => {
    await world.set(precedenceBug)
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    await new S3Client({}).send(getInvoice())
    const message = await failureOf(() => expect(s3Mock).not.toHaveReceivedCommandSignedBy(GetObjectCommand, 'env'))
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(mock).not.toHaveReceivedCommandSignedBy(command, signer)

      Expected S3Client to not receive "GetObjectCommand" signed by "env"
      S3Client received "GetObjectCommand" 1 time, 1 of them signed that way

      Calls:
        1. GetObjectCommand: {"Bucket":"invoices","Key":"invoice-0042.pdf"}
           signed by env: arn:aws:iam::123456789012:user/ci (****************XXXX)"
    `)
  })

  it('shows calls whose credentials failed, and a command that was never sent', async () => {
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    await new S3Client({}).send(getInvoice()).catch(() => {})
    const failed = await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'instanceProfile'))
    expect(failed).toContain('\n\nCredential chain (js-v3) — no source resolved\n')
    expect(failed.slice(0, failed.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Expected S3Client to receive "GetObjectCommand" signed by "instanceProfile"
      S3Client received "GetObjectCommand" 0 times; 1 call failed to resolve credentials and never reached the mock

      Calls:
        1. GetObjectCommand: {"Bucket":"invoices","Key":"invoice-0042.pdf"}
           not sent: its credentials could not be resolved: Could not load credentials from any providers"
    `)
    const message = await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(PutObjectCommand, { principal: expect.stringContaining(':role/') }))
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Expected S3Client to receive "PutObjectCommand" signed by principal StringContaining ":role/"
      S3Client received "PutObjectCommand" 0 times

      Calls:
        1. GetObjectCommand: {"Bucket":"invoices","Key":"invoice-0042.pdf"}
           not sent: its credentials could not be resolved: Could not load credentials from any providers"
    `)
  })

  it('never prints a secret, a session token or a whole access key id, nor records one', async () => {
    await world.set({ env: { role: 'deployer' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    const client = new S3Client({})
    const credentials = await client.config.credentials()
    expect(credentials.sessionToken).toBeTruthy()
    await client.send(getInvoice())
    const message = await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'container'))
    for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken!]) expect(message).not.toContain(secret)
    expect(message).toContain('signed by env: arn:aws:sts::123456789012:assumed-role/deployer/chainproof-env (****************XXXX)')
    const recorded = JSON.stringify(signedCallsOf(s3Mock))
    for (const secret of [credentials.secretAccessKey, credentials.sessionToken!]) expect(recorded).not.toContain(secret)
  })

  it('says when nothing was sent at all', async () => {
    await world.set({ env: { user: 'ci' } })
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    expect(await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'env'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Expected S3Client to receive "GetObjectCommand" signed by "env"
      S3Client received "GetObjectCommand" 0 times"
    `)
  })

  it('throws matcher errors for a mock without the bridge, a client, a bad command or signer', async () => {
    await world.set({ env: { user: 'ci' } })
    const plain = track(mockClient(S3Client))
    expect(await failureOf(() => expect(plain).toHaveReceivedCommandSignedBy(GetObjectCommand, 'env'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Matcher error: this S3Client mock does not resolve credentials, so chainproof does not know who its calls were signed by: wrap it with withCredentialResolution from chainproof/client-mock, e.g. withCredentialResolution(mockClient(S3Client))"
    `)
    plain.restore()
    expect(await failureOf(() => expect(new S3Client({})).toHaveReceivedCommandSignedBy(GetObjectCommand, 'env'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Matcher error: received value must be a client mock from aws-sdk-client-mock wrapped with withCredentialResolution (chainproof/client-mock), e.g. withCredentialResolution(mockClient(S3Client)); received an object (S3Client with keys config, middlewareStack, initConfig, handlers)"
    `)
    const s3Mock = track(withCredentialResolution(mockClient(S3Client)))
    expect(await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy('GetObjectCommand' as never, 'env'))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Matcher error: expected an AWS SDK command class such as GetObjectCommand, got "GetObjectCommand""
    `)
    expect(await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, 'imdsv2' as never))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Matcher error: source: unknown credential source "imdsv2". Valid sources: env, sso, profile, process, webIdentity, container, instanceProfile, login, code (aliases: environment, ini, sharedCredentialsFile, credentialProcess, tokenFile, webIdentityToken, ecs, containerCredentials, imds, ec2, instanceMetadata)."
    `)
    expect(await failureOf(() => expect(s3Mock).toHaveReceivedCommandSignedBy(GetObjectCommand, { roles: 'web' } as never))).toMatchInlineSnapshot(`
      "expect(mock).toHaveReceivedCommandSignedBy(command, signer)

      Matcher error: unknown signer field "roles": use source, profile, role, principal"
    `)
  })
})

describe('a mocked STSClient that credential providers bypass', () => {
  it('is named in the report: the profile’s AssumeRole went to the world’s STS, not to the mock', async () => {
    await world.set(deployProfile)
    const stsMock = track(mockClient(STSClient))
    stsMock.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAMOCKEDBYTHESUITE', SecretAccessKey: 'mocked', SessionToken: 'mocked', Expiration: new Date() } })
    // the world's STS answered: the mock never saw the call
    await expect(new S3Client({})).toResolveToRole('deployer')
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0)
    const message = await failureOf(() => expect(new S3Client({})).toResolveToPrincipal(/ASIAMOCKEDBYTHESUITE|assumed-role\/mocked\//))
    expect(message.slice(message.indexOf('Hints:'))).toMatchInlineSnapshot(`
      "Hints:
        - Credentials fetched in this world so far (the report's own probes not counted): profile (deploy) ×2 — world.fetches lists each, toHaveFetchedCredentials counts them.
        - STSClient from @aws-sdk/client-sts is mocked (aws-sdk-client-mock), but credential providers call STS through a private client (STSClient of @aws-sdk/nested-clients/sts, since SDK 3.730) that the mock does not replace: AssumeRole by profile deploy (2 calls) went to the world's STS, not to your mock. Configure roles in the world (profiles with role and sourceProfile or credentialSource, webIdentity) instead of mocking STS for credentials."
    `)
    const report = await world.explain(new S3Client({}))
    expect(report.hints.filter((hint) => !hint.startsWith('Credentials fetched in this world'))).toHaveLength(1)
  })

  it('names web identity too', async () => {
    await world.set({ webIdentity: { role: 'ci-deployer' } })
    track(mockClient(STSClient))
    await expect(new S3Client({})).toResolveCredentialsFrom('webIdentity')
    const report = await world.explain(new S3Client({}))
    expect(report.hints).toEqual([expect.stringContaining("AssumeRoleWithWebIdentity by fromTokenFile (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN) went to the world's STS, not to your mock.")])
  })

  it('says nothing when STSClient is not mocked, or when no credential provider called STS', async () => {
    await world.set(deployProfile)
    await expect(new S3Client({})).toResolveToRole('deployer')
    expect((await world.explain(new S3Client({}))).hints).toEqual([])
    await world.set({ env: { user: 'ci' } })
    track(mockClient(STSClient))
    await expect(new S3Client({})).toResolveCredentialsFrom('env')
    expect((await world.explain(new S3Client({}))).hints).toEqual([])
  })
})
