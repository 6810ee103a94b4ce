import { createRequire } from 'node:module'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from 'vitest'
import * as chainproof from '../../src/index.js'
import { compareVersions, coreCredentialSuite, FIRST_SDK_WITH_SOURCE_CODES } from './core-suite.js'

const sdkVersion: string = createRequire(import.meta.url)('@aws-sdk/credential-provider-node/package.json').version

coreCredentialSuite({ describe, it, expect, chainproof, S3Client, fromNodeProviderChain, scenarioDir: join(import.meta.dirname, '..', '..', 'fixtures', 'scenarios'), sdkVersion })

describe('the core suite knows the SDK it runs on', () => {
  it('compares versions numerically', async () => {
    expect(compareVersions('3.665.0', FIRST_SDK_WITH_SOURCE_CODES)).toBeLessThan(0)
    expect(compareVersions('3.972.99', FIRST_SDK_WITH_SOURCE_CODES)).toBeGreaterThan(0)
    expect(compareVersions('3.667.0', FIRST_SDK_WITH_SOURCE_CODES)).toBe(0)
  })
})
