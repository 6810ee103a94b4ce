import { z } from 'zod'
import { roleName, userName } from '../../world/spec-parts.js'

/** `env: { user } | { role }`: static keys in the environment (a role's come with AWS_SESSION_TOKEN). */
export const envSpec = z.union([z.strictObject({ user: userName }), z.strictObject({ role: roleName })]).optional()
