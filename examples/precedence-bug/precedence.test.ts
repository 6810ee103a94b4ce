import { describe, expect, it } from 'vitest'
import { useCredentialWorld } from 'chainproof/vitest'
import { precedenceSuite } from './precedence-suite.js'

precedenceSuite({ describe, it, expect, useCredentialWorld, dirname: import.meta.dirname })
