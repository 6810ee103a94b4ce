import { describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { precedenceSuite } from './precedence-suite'

precedenceSuite({ describe, it, expect, useCredentialWorld, dirname: __dirname })
