import { describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { ordersCredentialSuite } from './credential-suite'

ordersCredentialSuite({ describe, it, expect, useCredentialWorld })
