import { z } from 'zod'
import { expiresIn, roleName } from '../../world/spec-parts.js'

/** `webIdentity: { role, sessionName? }`: a token file and AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN (IRSA style). */
export const webIdentitySpec = z.strictObject({ role: roleName, sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/).optional(), expiresIn }).optional()
