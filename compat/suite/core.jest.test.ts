// The core suite (test/compat/core-suite.ts, copied beside this file) under Jest, against the installed chainproof.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { S3Client } from '@aws-sdk/client-s3'
import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { describe, expect, it } from '@jest/globals'
import * as chainproof from 'chainproof'
import { coreCredentialSuite } from './core-suite.js'

const sdkVersion: string = createRequire(join(process.cwd(), 'noop.js'))('@aws-sdk/credential-provider-node/package.json').version

coreCredentialSuite({ describe, it, expect, chainproof, S3Client, fromNodeProviderChain, scenarioDir: join(process.cwd(), 'fixtures', 'scenarios'), sdkVersion })
