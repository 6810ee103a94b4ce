import { describe, expect, it } from 'vitest'
import { useCredentialWorld } from 'chainproof/vitest'
import { ordersCredentialSuite } from './credential-suite.js'

ordersCredentialSuite({ describe, it, expect, useCredentialWorld })
