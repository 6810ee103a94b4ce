import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { useCredentialWorld } from 'chainproof/vitest'
import { archiveSuite } from './archive-suite.js'

archiveSuite({ describe, it, afterEach, afterAll, expect, useCredentialWorld })
