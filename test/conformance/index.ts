/** Every conformance case and every case left out, by spec file. */
import { moreCases, moreNotExpressible } from './cases/more.js'
import { iniCases, iniNotExpressible } from './cases/ini.js'
import { nodeIntegCases, nodeIntegNotExpressible } from './cases/node-integ.js'
import { nodeUnitCases, nodeUnitNotExpressible } from './cases/node-unit.js'
import { ssoImdsCases, ssoImdsNotExpressible } from './cases/sso-imds.js'
import { sourceCases, sourceNotExpressible } from './cases/sources.js'
import { loginRoutingCases, loginRoutingNotExpressible } from './cases/login-routing.js'
import type { ConformanceCase, NotExpressible } from './types.js'

export const CASES: ConformanceCase[] = [...nodeIntegCases, ...nodeUnitCases, ...iniCases, ...sourceCases, ...moreCases, ...ssoImdsCases, ...loginRoutingCases]
export const NOT_EXPRESSIBLE: NotExpressible[] = [...nodeIntegNotExpressible, ...nodeUnitNotExpressible, ...iniNotExpressible, ...sourceNotExpressible, ...moreNotExpressible, ...ssoImdsNotExpressible, ...loginRoutingNotExpressible]
