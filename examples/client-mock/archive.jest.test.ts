import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { useCredentialWorld } from 'chainproof/jest'
import { archiveSuite } from './archive-suite'

archiveSuite({ describe, it, afterEach, afterAll, expect, useCredentialWorld })
