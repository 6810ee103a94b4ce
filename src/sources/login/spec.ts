import { z } from 'zod'
import { accountId, expiresIn, roleName, seconds } from '../../world/spec-parts.js'

/** `profiles.x.login: { role, accountId?, cacheDirectory? }`: a profile signed in with `aws login`. */
export const loginProfileSpec = z
  .strictObject({
    role: roleName,
    accountId: accountId.optional(),
    /** `home` (default): the cache goes to ~/.aws/login/cache; `variable`: to a directory named by AWS_LOGIN_CACHE_DIRECTORY. */
    cacheDirectory: z.enum(['home', 'variable'], { error: 'cacheDirectory is where the login cache goes: "home" (~/.aws/login/cache, default) or "variable" (AWS_LOGIN_CACHE_DIRECTORY)' }).optional(),
    expiresIn,
    sessionExpiresIn: seconds('seconds until the login session ends', 90 * 86_400).optional(),
  })
  .optional()

export type LoginProfileSpec = NonNullable<z.infer<typeof loginProfileSpec>>
