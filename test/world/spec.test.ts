import { describe, expect, it } from 'vitest'
import { parseWorldSpec } from '../../src/world/spec.js'

function errorOf(input: unknown): string {
  try {
    parseWorldSpec(input)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the spec to be rejected')
}

describe('parseWorldSpec', () => {
  it('accepts every source of the contract', () => {
    const spec = {
      accountId: '111122223333',
      region: 'eu-west-1',
      env: { user: 'ci' },
      vars: { AWS_EC2_METADATA_DISABLED: 'true' },
      profile: 'deploy',
      profiles: {
        base: { user: 'alice' },
        deploy: { role: 'deployer', sourceProfile: 'base', region: 'eu-west-2' },
        fromEnv: { role: 'arn:aws:iam::111122223333:role/path/x', credentialSource: 'Environment' as const },
        irsa: { role: 'web', webIdentityTokenFile: true as const },
        tool: { process: { role: 'tooling' } },
        dev: { sso: { role: 'Dev', accountId: '444455556666' } },
      },
      files: { credentials: '[raw]\naws_access_key_id=AKIAEXAMPLE\n' },
      webIdentity: { role: 'irsa', sessionName: 'pod' },
      container: { role: 'task', authToken: 'file' as const },
      instanceProfile: { role: 'web', imdsV2Only: true },
    }
    expect(parseWorldSpec(spec)).toEqual(spec)
    expect(parseWorldSpec(undefined)).toEqual({})
  })

  it('names every bad field at once', () => {
    expect(errorOf({ accountId: '12', region: 'Mars', env: { user: 'ci', role: 'x' }, bogus: 1 })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - accountId: expected a 12-digit account id, e.g. "123456789012"
        - region: expected a region such as "us-east-1"
        - env: env needs exactly one of { user: "<name>" } (static user keys) or { role: "<name>" } (session keys)
        - (root): unknown field "bogus" (known here: accountId, region, env, vars, profile, profiles, files, webIdentity, container, instanceProfile, gate, faults)"
    `)
  })

  it('explains what a profile needs', () => {
    expect(errorOf({ profiles: { x: { role: 'a' }, y: { sourceProfile: 'x' }, z: {}, w: { role: 'a', sourceProfile: 'x', credentialSource: 'Environment' } } })).toMatchInlineSnapshot(`
      "Invalid WorldSpec:
        - profiles.x.role: a role needs exactly one of sourceProfile, credentialSource or webIdentityTokenFile: true
        - profiles.y.sourceProfile: sourceProfile needs a role to assume: add role
        - profiles.y: a profile needs credentials: one or more of { user }, { role, sourceProfile | credentialSource | webIdentityTokenFile: true }, { process }, { sso }, { login } (plus an optional region)
        - profiles.z: a profile needs credentials: one or more of { user }, { role, sourceProfile | credentialSource | webIdentityTokenFile: true }, { process }, { sso }, { login } (plus an optional region)
        - profiles.w.role: a role needs exactly one of sourceProfile, credentialSource or webIdentityTokenFile: true (got sourceProfile and credentialSource)"
    `)
  })

  it('accepts combined credential settings in one profile, as real files have them', () => {
    expect(() => parseWorldSpec({ profiles: { default: { user: 'old-keys', sso: { role: 'Dev' }, process: { user: 'tool' } } } })).not.toThrow()
  })

  it('rejects a source_profile that does not exist', () => {
    expect(errorOf({ profiles: { a: { role: 'r', sourceProfile: 'missing' } } })).toContain(
      'profiles.a.sourceProfile: source profile "missing" is not defined',
    )
    // but accepts one defined in raw files
    expect(() => parseWorldSpec({ profiles: { a: { role: 'r', sourceProfile: 'raw' } }, files: { credentials: '[raw]\n' } })).not.toThrow()
  })

  it('refuses variables that would reach a real address', () => {
    const message = errorOf({
      vars: {
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds',
        AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://169.254.169.254',
        AWS_ENDPOINT_URL_S3: 'https://s3.amazonaws.com',
        HOME: '/root',
      },
    })
    expect(message).toContain('vars.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not allowed')
    expect(message).toContain('vars.AWS_EC2_METADATA_SERVICE_ENDPOINT: AWS_EC2_METADATA_SERVICE_ENDPOINT=http://169.254.169.254 is not a loopback URL')
    expect(message).toContain('vars.AWS_ENDPOINT_URL_S3')
    expect(message).toContain('vars.HOME')
    expect(() => parseWorldSpec({ vars: { AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1' } })).not.toThrow()
  })

  it('refuses every setting that would send the SDK off the machine, in vars and in files, with the reason', () => {
    const message = errorOf({
      vars: {
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        AWS_ENDPOINT_URL_DYNAMODB: 'https://dynamodb.us-east-1.amazonaws.com',
        AWS_ENDPOINT_URL_SSO_OIDC: 'http://10.0.0.5',
        AWS_SOME_NEW_ENDPOINT: 'sts.amazonaws.com',
        AWS_CUSTOM_URL: 'https://example.com/creds',
      },
      files: {
        config: '[default]\nignore_configured_endpoint_urls = true\nendpoint_url = https://sts.amazonaws.com\n[services dev]\nsts =\n  endpoint_url = http://169.254.169.254\n',
        credentials: '[default]\nec2_metadata_service_endpoint = http://169.254.169.254/\n',
      },
    })
    expect(message).toContain(
      "vars.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true is not allowed: it makes the SDK ignore the world's AWS_ENDPOINT_URL_* and call the real AWS endpoints; leave it out (or set it to false)",
    )
    expect(message).toContain('vars.AWS_ENDPOINT_URL_DYNAMODB: AWS_ENDPOINT_URL_DYNAMODB=https://dynamodb.us-east-1.amazonaws.com is not a loopback URL')
    expect(message).toContain('vars.AWS_ENDPOINT_URL_SSO_OIDC: AWS_ENDPOINT_URL_SSO_OIDC=http://10.0.0.5 is not a loopback URL')
    expect(message).toContain('vars.AWS_SOME_NEW_ENDPOINT: AWS_SOME_NEW_ENDPOINT=sts.amazonaws.com is not a loopback URL')
    expect(message).toContain('vars.AWS_CUSTOM_URL: AWS_CUSTOM_URL=https://example.com/creds is not a loopback URL')
    expect(message).toContain("files.config: line 2: ignore_configured_endpoint_urls = true is not allowed: it makes the SDK ignore the world's AWS_ENDPOINT_URL_*")
    expect(message).toContain('files.config: line 3: endpoint_url = https://sts.amazonaws.com is not a loopback URL; a world only talks to 127.0.0.1')
    expect(message).toContain('files.config: line 6: endpoint_url = http://169.254.169.254 is not a loopback URL')
    expect(message).toContain('files.credentials: line 2: ec2_metadata_service_endpoint = http://169.254.169.254/ is not a loopback URL')
    // modes and loopback URLs are fine, and so are variables outside AWS_*
    expect(() =>
      parseWorldSpec({
        vars: {
          AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false',
          AWS_STS_REGIONAL_ENDPOINTS: 'regional',
          AWS_USE_FIPS_ENDPOINT: 'false',
          AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'IPv4',
          AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
          ORDERS_DB_ENDPOINT: 'db.internal.example',
        },
        files: { config: '[default]\nendpoint_url = http://localhost:4566\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:4566\n' },
      }),
    ).not.toThrow()
  })

  it('rejects both IMDS version switches together', () => {
    expect(errorOf({ instanceProfile: { role: 'web', imdsV1Only: true, imdsV2Only: true } })).toContain(
      'instanceProfile: imdsV1Only and imdsV2Only cannot both be true',
    )
  })
})

describe('gate rules', () => {
  it('names a bad action pattern and says what is accepted', () => {
    expect(() => parseWorldSpec({ gate: { allow: { web: ['GetObject'] } } })).toThrow(
      `gate: allow["web"]: "GetObject" is not an action pattern; write 'service:Action' (e.g. 's3:GetObject', 's3:*') or '*'`,
    )
    expect(() => parseWorldSpec({ gate: { allow: { web: ['s3:GetObject'] }, deny: { '!web': ['s3:*'] } } })).not.toThrow()
  })
})
