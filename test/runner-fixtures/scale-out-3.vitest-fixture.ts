import { it } from 'vitest'
import { createCredentialWorld, resolveCredentials } from '../../src/index.js'
import { scaleOutFile } from './scale-out.js'

it('keeps its worlds apart from the other shards and workers', () => scaleOutFile({ createCredentialWorld, resolveCredentials } as never, 3))
