import { z } from 'zod'
import { accountId, expiresIn, region, roleName, seconds } from '../../world/spec-parts.js'

/** A profile's `sso: { role, accountId?, region? }`: an sso-session and its cached token. */
export const ssoProfileSpec = z
  .strictObject({
    role: roleName,
    accountId: accountId.optional(),
    region: region.optional(),
    expiresIn,
    tokenExpiresIn: seconds('seconds until the cached SSO token expires', 7 * 86_400).optional(),
  })
  .optional()
