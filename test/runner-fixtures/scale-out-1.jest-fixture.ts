import { it } from '@jest/globals'
import { createCredentialWorld, resolveCredentials } from 'chainproof'
import { scaleOutFile } from './scale-out'

it('keeps its worlds apart from the other workers', () => scaleOutFile({ createCredentialWorld, resolveCredentials } as never, 1))
