import { z } from 'zod'
import { roleName, userName } from '../../world/spec-parts.js'

/** A profile's `process: { user } | { role }`: the credential_process the world writes. */
export const processProfileSpec = z
  .union([z.strictObject({ user: userName }), z.strictObject({ role: roleName })], { error: 'process needs exactly one of { user } or { role }' })
  .optional()
