import { z } from 'zod'
import { accountId, region, roleName } from '../../world/spec-parts.js'

/** A profile's `sso: { role, accountId?, region? }`: an sso-session and its cached token. */
export const ssoProfileSpec = z.strictObject({ role: roleName, accountId: accountId.optional(), region: region.optional() }).optional()
