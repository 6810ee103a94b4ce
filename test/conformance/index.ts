/** Every conformance case and every case left out, by spec file. */
import { nodeIntegCases, nodeIntegNotExpressible } from './cases/node-integ.js'
import type { ConformanceCase, NotExpressible } from './types.js'

export const CASES: ConformanceCase[] = [...nodeIntegCases]
export const NOT_EXPRESSIBLE: NotExpressible[] = [...nodeIntegNotExpressible]
