/**
 * toShadowCredentialsFrom, toBeSignedBy and toHaveReceivedRequestsSignedBy against real worlds
 * and real SDK clients, signers and presigners, every failure message pinned. Nothing is sent
 * anywhere but the world's loopback servers: presigning and RDS tokens are computed offline.
 * shadow-and-signatures.test.ts runs the same cases with the same snapshots under Vitest from
 * source: keep the two in step (only the header differs).
 */
// ---- runner: Jest, against the built package (npm run build first) ----
import { describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { failureOf } from '../support/messages'
// ---- end runner ----
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { Signer } from '@aws-sdk/rds-signer'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

const world = useCredentialWorld()

const presignGet = (client: S3Client = new S3Client({})) => getSignedUrl(client, new GetObjectCommand({ Bucket: 'b', Key: 'k' }))
const rdsSigner = () => new Signer({ hostname: 'db.example.internal', port: 5432, username: 'app', region: 'us-east-1' })

/** A request to an API Gateway API, signed as a user's code would sign it (never sent). */
async function signedApiRequest(client: S3Client = new S3Client({})): Promise<HttpRequest> {
  const signer = new SignatureV4({ credentials: client.config.credentials, region: 'eu-west-1', service: 'execute-api', sha256: Hash.bind(null, 'sha256') })
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: 'api.example.internal',
    path: '/prod/orders',
    headers: { host: 'api.example.internal', 'content-type': 'application/json' },
    body: '{"order":1}',
  })
  return (await signer.sign(request)) as HttpRequest
}

describe('toShadowCredentialsFrom', () => {
  it('passes for each source that was available but lost, by name, alias or list', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    await expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile')
    await expect(new S3Client({})).toShadowCredentialsFrom('imds')
    await expect(new S3Client({})).toShadowCredentialsFrom(['instanceProfile'])
    await expect(new S3Client({})).not.toShadowCredentialsFrom('container')
    await expect(new S3Client({})).not.toShadowCredentialsFrom('env')
    await expect(Promise.resolve(new S3Client({}))).resolves.toShadowCredentialsFrom('ec2')
  })

  it('fails, showing what was shadowed and what won, when a source was not shadowed', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    expect(await failureOf(() => expect(new S3Client({})).toShadowCredentialsFrom(['instanceProfile', 'ecs']))).toMatchInlineSnapshot(`
      "expect(client).toShadowCredentialsFrom(sources)

      Expected shadowed: ["instanceProfile", "container"]
      Received shadowed: ["instanceProfile"]
      Winner:            "env"

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: user ci (****************XXXX)
        2. sso              fromSSO               · absent    no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent    profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent    profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent    AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent    AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  ◐ shadowed  the instance metadata service has role web (****************XXXX), but env won
      Hints:
        - To use instanceProfile instead of env: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile)."
    `)
  })

  it('fails under .not when the source was shadowed', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const message = await failureOf(() => expect(new S3Client({})).not.toShadowCredentialsFrom('instanceMetadata'))
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(client).not.toShadowCredentialsFrom(source)

      Expected shadowed: not "instanceProfile"
      Received shadowed: ["instanceProfile"]
      Winner:            "env""
    `)
  })

  it('fails with the error when nothing resolves', async () => {
    await world.set({ vars: { AWS_EC2_METADATA_DISABLED: 'true' } })
    await expect(new S3Client({})).not.toShadowCredentialsFrom('instanceProfile')
    const message = await failureOf(() => expect(new S3Client({})).toShadowCredentialsFrom('instanceProfile'))
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(client).toShadowCredentialsFrom(source)

      Expected shadowed: "instanceProfile"
      Received shadowed: []
      Winner:            none
      Received error:    "Could not load credentials from any providers""
    `)
  })

  it('throws a matcher error for an unknown source or an empty list', async () => {
    await world.set({ env: { user: 'ci' } })
    expect(await failureOf(() => expect(new S3Client({})).toShadowCredentialsFrom(['imds', 'metadata' as never]))).toMatchInlineSnapshot(`
      "expect(client).toShadowCredentialsFrom(sources)

      Matcher error: source: unknown credential source "metadata". Valid sources: env, sso, profile, process, webIdentity, container, instanceProfile, login, code (aliases: environment, ini, sharedCredentialsFile, credentialProcess, tokenFile, webIdentityToken, ecs, containerCredentials, imds, ec2, instanceMetadata)."
    `)
    expect(await failureOf(() => expect(new S3Client({})).toShadowCredentialsFrom([]))).toMatchInlineSnapshot(`
      "expect(client).toShadowCredentialsFrom(sources)

      Matcher error: expected at least one source, got []"
    `)
  })
})

describe('toBeSignedBy', () => {
  it('names the signer of a presigned S3 URL (string or URL) and verifies its signature', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const url = await presignGet()
    await expect(url).toBeSignedBy('env')
    await expect(url).toBeSignedBy('environment')
    await expect(new URL(url)).toBeSignedBy({ source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
    await expect(presignGet()).toBeSignedBy({ principal: /:user\/ci$/ })
    await expect(url).not.toBeSignedBy({ role: 'web' })
    await expect(url).not.toBeSignedBy('instanceProfile')
  })

  it('verifies presigned PUT URLs too (the method is not in the URL)', async () => {
    await world.set({ instanceProfile: { role: 'web' } })
    await expect(getSignedUrl(new S3Client({}), new PutObjectCommand({ Bucket: 'b', Key: 'k', ContentType: 'text/plain' }))).toBeSignedBy({ role: 'web' })
  })

  it('fails, with the chain that chose the signer, when another source signed', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    expect(await failureOf(async () => expect(await presignGet()).toBeSignedBy({ source: 'instanceProfile', role: 'web' }))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Expected source:    "instanceProfile"
      Expected role:      "web"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX
      Artifact:           a presigned URL for s3 in us-east-1, signed at DATE
      Signature:          verified with the credentials this world issued

      Credential chain (js-v3) — winner: env
        1. env              fromEnv               ✔ won       AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: user ci (****************XXXX)
        2. sso              fromSSO               · absent    no SSO settings were passed in code (a profile with sso_* settings is resolved by the profile link)
        3. profile          fromIni               · absent    profile "default" (the default profile) has no usable credentials in ~/.aws/credentials or ~/.aws/config
        4. process          fromProcess           · absent    profile "default" has no credential_process
        5. webIdentity      fromTokenFile         · absent    AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set
        6. container        fromHttp              · absent    AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI are not set
        7. instanceProfile  fromInstanceMetadata  ◐ shadowed  the instance metadata service has role web (****************XXXX), but env won
      Hints:
        - To use instanceProfile instead of env: unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (set in the process environment: a CI secret, a Dockerfile ENV, a .env file or a shell profile)."
    `)
  })

  it('names the signer of an RDS IAM auth token (a promise of one too)', async () => {
    await world.set({ instanceProfile: { role: 'db-client' } })
    await expect(rdsSigner().getAuthToken()).toBeSignedBy({ source: 'imds', role: 'db-client' })
    const token = await rdsSigner().getAuthToken()
    await expect(token).not.toBeSignedBy('env')
    const message = await failureOf(() => expect(token).toBeSignedBy('env'))
    expect(message.slice(0, message.indexOf('\n\nCredential chain'))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Expected source:    "env"
      Received source:    "instanceProfile"
      Received role:      "db-client"
      Received principal: "arn:aws:sts::123456789012:assumed-role/db-client/i-INSTANCE"
      Access key id:      ****************XXXX
      Artifact:           an RDS auth token for db.example.internal:5432 (rds-db in us-east-1), signed at DATE
      Signature:          verified with the credentials this world issued"
    `)
  })

  it('names the signer of an HttpRequest signed with SignatureV4', async () => {
    await world.set({ profile: 'dev', profiles: { dev: { user: 'dev' } } })
    const request = await signedApiRequest()
    await expect(request).toBeSignedBy({ source: 'profile', profile: 'dev' })
    await expect(request).not.toBeSignedBy({ profile: 'prod' })
  })

  it('fails either way for a URL altered after signing, saying so', async () => {
    await world.set({ env: { user: 'ci' } })
    const altered = (await presignGet()).replace('/b/k?', '/b/secret-report.pdf?')
    expect(await failureOf(() => expect(altered).toBeSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Expected source:    "env"
      Received source:    "env"
      Received principal: "arn:aws:iam::123456789012:user/ci"
      Access key id:      ****************XXXX
      Artifact:           a presigned URL for s3 in us-east-1, signed at DATE
      Signature:          does not match the credentials of ****************XXXX: the URL was altered after signing, or signed with another secret"
    `)
    expect(await failureOf(() => expect(altered).not.toBeSignedBy('instanceProfile'))).toContain('Signature:          does not match the credentials of')
  })

  it('fails for a request whose body changed after signing', async () => {
    await world.set({ env: { user: 'ci' } })
    const request = await signedApiRequest()
    request.body = '{"order":2}'
    expect(await failureOf(() => expect(request).toBeSignedBy('env'))).toMatch(/Signature: +invalid: its body does not hash to the signed x-amz-content-sha256/)
  })

  it('fails either way for an artifact signed with a key this world never issued', async () => {
    await world.set({ env: { user: 'ci' } })
    const outsider = new S3Client({ credentials: { accessKeyId: 'AKIAOUTSIDERKEY00001', secretAccessKey: 'not-a-world-secret' } })
    expect(await failureOf(async () => expect(await presignGet(outsider)).toBeSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Expected source: "env"
      Access key id:   ****************XXXX
      Artifact:        a presigned URL for s3 in us-east-1, signed at DATE
      Signature:       signed by a key this world never issued: credentials from outside the world (passed in code, or resolved by a client created before this world)"
    `)
    expect(await failureOf(() => expect(signedApiRequest(outsider)).not.toBeSignedBy('instanceProfile'))).toContain('signed by a key this world never issued')
  })

  it('asks for the values of signed headers a URL does not carry', async () => {
    await world.set({ env: { user: 'ci' } })
    const url = await getSignedUrl(new S3Client({}), new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'hello' }))
    expect(await failureOf(() => expect(url).toBeSignedBy('env'))).toMatch(
      /Signature: +not verifiable: it signs the header content-length, whose value a URL does not carry: pass it to check the signature, e\.g\. toBeSignedBy\(signer, \{ headers: \{ 'content-length': '…' \} \}\)$/,
    )
    await expect(url).toBeSignedBy('env', { headers: { 'content-length': '5' } })
    expect(await failureOf(() => expect(url).toBeSignedBy('env', { headers: { 'content-length': '6' } }))).toContain('does not match the credentials of')
  })

  it('never prints a secret, a session token, a signature or a whole key id', async () => {
    await world.set({ env: { role: 'deployer' } })
    const credentials = await new S3Client({}).config.credentials()
    const url = await presignGet()
    const signature = new URL(url).searchParams.get('X-Amz-Signature')!
    for (const message of [
      await failureOf(() => expect(url).toBeSignedBy('container')),
      await failureOf(() => expect(url.replace(signature, '0'.repeat(64))).toBeSignedBy('env')),
      await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy('env')),
    ]) {
      for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken!, signature]) expect(message).not.toContain(secret)
    }
  })

  it('throws a matcher error for what is not a signed artifact, or a bad expectation', async () => {
    await world.set({ env: { user: 'ci' } })
    const url = await presignGet()
    expect(await failureOf(() => expect('https://b.s3.amazonaws.com/k').toBeSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Matcher error: expected a presigned URL (a string or URL, e.g. from getSignedUrl), an RDS auth token (from Signer.getAuthToken()), a SigV4-signed HttpRequest, or a promise of one; received a URL without an X-Amz-Signature query parameter (https://b.s3.amazonaws.com/k), which is not presigned"
    `)
    expect(await failureOf(() => expect(rdsSigner()).toBeSignedBy('env'))).toContain('received the RDS Signer itself: pass the token, expect(await signer.getAuthToken())')
    expect(await failureOf(() => expect(url).toBeSignedBy({ roles: 'web' } as never))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Matcher error: unknown signer field "roles": use source, profile, role, principal"
    `)
    expect(await failureOf(() => expect(url).toBeSignedBy({}))).toMatchInlineSnapshot(`
      "expect(artifact).toBeSignedBy(signer)

      Matcher error: the expected signer names nothing: give at least one of source, profile, role, principal"
    `)
  })
})

describe('toHaveReceivedRequestsSignedBy', () => {
  it('passes for the keys that signed the AssumeRole of a role profile, and the session that called STS', async () => {
    await world.set({ profile: 'deploy', profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base' } } })
    await expect(world).not.toHaveReceivedRequestsSignedBy({ source: 'profile' })
    await expect(new S3Client({})).toResolveToRole('deployer')
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', principal: 'arn:aws:iam::123456789012:user/alice' })
    await expect(world).toHaveReceivedRequestsSignedBy({ profile: 'base' })
    await expect(world).not.toHaveReceivedRequestsSignedBy({ role: 'deployer' })

    await new STSClient({}).send(new GetCallerIdentityCommand({}))
    await expect(world).toHaveReceivedRequestsSignedBy({ role: 'deployer', profile: 'deploy' })
    await expect(world.current).toHaveReceivedRequestsSignedBy('ini')
    await expect(world).not.toHaveReceivedRequestsSignedBy('env')
  })

  it('lists the signed requests received, counted, when none matches', async () => {
    await world.set({ profile: 'deploy', profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base' } } })
    const sts = new STSClient({})
    await sts.send(new GetCallerIdentityCommand({}))
    await sts.send(new GetCallerIdentityCommand({}))
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy('instanceProfile'))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Expected source:   "instanceProfile"
      Received requests: 3 signed requests, none by such a signer

      Signed requests received:
        1 × sts  sts:AssumeRole         200  ****************XXXX  profile (base)    arn:aws:iam::123456789012:user/alice
        2 × sts  sts:GetCallerIdentity  200  ****************XXXX  profile (deploy)  arn:aws:sts::123456789012:assumed-role/deployer/chainproof-deploy"
    `)
    expect(await failureOf(() => expect(world).not.toHaveReceivedRequestsSignedBy({ role: 'deployer' }))).toMatchInlineSnapshot(`
      "expect(world).not.toHaveReceivedRequestsSignedBy(signer)

      Expected role:     not "deployer"
      Received requests: 3 signed requests, 2 by such a signer

      Signed by such a signer:
        2 × sts  sts:GetCallerIdentity  200  ****************XXXX  profile (deploy)  arn:aws:sts::123456789012:assumed-role/deployer/chainproof-deploy
      Signed by others:
        1 × sts  sts:AssumeRole         200  ****************XXXX  profile (base)    arn:aws:iam::123456789012:user/alice"
    `)
  })

  it('says when no signed request reached the world', async () => {
    await world.set({ env: { user: 'ci' } })
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy('env'))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Expected source:   "env"
      Received requests: none (no request reached this world)

      Hints:
        - Signed requests are recorded when they reach the world's service gate (AWS_ENDPOINT_URL) or its STS (AWS_ENDPOINT_URL_STS); an application in another process needs the world's variables (world.env)."
    `)
  })

  it('sees the calls that reach the service gate', async () => {
    await world.set({ env: { user: 'ci' }, instanceProfile: { role: 'web' } })
    const s3 = new S3Client({})
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'hello' }))
    await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))
    // Its keep-alive socket to the gate would hold the test process open for a while.
    s3.destroy()
    await expect(world).toHaveReceivedRequestsSignedBy({ source: 'env', principal: 'arn:aws:iam::123456789012:user/ci' })
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy({ role: 'web' }))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Expected role:     "web"
      Received requests: 2 signed requests, none by such a signer

      Signed requests received:
        1 × gate  s3:PutObject  200  ****************XXXX  env  arn:aws:iam::123456789012:user/ci
        1 × gate  s3:GetObject  200  ****************XXXX  env  arn:aws:iam::123456789012:user/ci"
    `)
  })

  it('matches the signing region exactly, and lists the regions seen when none matches', async () => {
    await world.set({ region: 'us-west-2', profile: 'deploy', profiles: { base: { user: 'alice' }, deploy: { role: 'deployer', sourceProfile: 'base', region: 'eu-central-1' } } })
    await new STSClient({ region: 'eu-west-2' }).send(new GetCallerIdentityCommand({}))
    await expect(world).toHaveReceivedRequestsSignedBy({ profile: 'base', region: 'eu-central-1' })
    await expect(world).toHaveReceivedRequestsSignedBy({ region: 'eu-west-2' })
    await expect(world).not.toHaveReceivedRequestsSignedBy({ region: 'us-west-2' })
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy({ source: 'profile', region: 'us-west-2' }))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Expected source:   "profile"
      Expected region:   "us-west-2"
      Received requests: 2 signed requests, none by such a signer
      Received regions:  ["eu-central-1", "eu-west-2"]

      Signed requests received:
        1 × sts  sts:AssumeRole         200  eu-central-1  ****************XXXX  profile (base)    arn:aws:iam::123456789012:user/alice
        1 × sts  sts:GetCallerIdentity  200  eu-west-2     ****************XXXX  profile (deploy)  arn:aws:sts::123456789012:assumed-role/deployer/chainproof-deploy"
    `)
    expect(await failureOf(() => expect(world).not.toHaveReceivedRequestsSignedBy({ role: 'deployer', region: 'eu-west-2' }))).toMatchInlineSnapshot(`
      "expect(world).not.toHaveReceivedRequestsSignedBy(signer)

      Expected role:     not "deployer"
      Expected region:   not "eu-west-2"
      Received requests: 2 signed requests, 1 by such a signer
      Received regions:  ["eu-central-1", "eu-west-2"]

      Signed by such a signer:
        1 × sts  sts:GetCallerIdentity  200  eu-west-2     ****************XXXX  profile (deploy)  arn:aws:sts::123456789012:assumed-role/deployer/chainproof-deploy
      Signed by others:
        1 × sts  sts:AssumeRole         200  eu-central-1  ****************XXXX  profile (base)    arn:aws:iam::123456789012:user/alice"
    `)
  })

  it('throws a matcher error for a region that is not a non-empty string, and names region among the fields', async () => {
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy({ region: '' }))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Matcher error: signer.region must be a non-empty string, got """
    `)
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy({ regions: ['us-east-1'] } as never))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Matcher error: unknown signer field "regions": use source, profile, role, principal, region"
    `)
    expect(await failureOf(() => expect(world).toHaveReceivedRequestsSignedBy({}))).toMatchInlineSnapshot(`
      "expect(world).toHaveReceivedRequestsSignedBy(signer)

      Matcher error: the expected signer names nothing: give at least one of source, profile, role, principal, region"
    `)
  })

  it('throws a matcher error for what is not a world', async () => {
    expect(await failureOf(() => expect(new S3Client({})).toHaveReceivedRequestsSignedBy('env'))).toMatch(
      /^expect\(world\)\.toHaveReceivedRequestsSignedBy\(signer\)\n\nMatcher error: received value must be a credential world \(from createCredentialWorld or useCredentialWorld\), or an object with a requests array or a requests\(\) function returning recorded requests; received an object \(S3Client/,
    )
  })
})
