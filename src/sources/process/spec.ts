import { z } from 'zod'
import { expiresIn, roleName, userName } from '../../world/spec-parts.js'

/** A profile's `process: { user } | { role }`: the credential_process the world writes. */
export const processProfileSpec = z
  .union([z.strictObject({ user: userName, expiresIn }), z.strictObject({ role: roleName, expiresIn })], { error: 'process needs exactly one of { user } or { role }' })
  .optional()
