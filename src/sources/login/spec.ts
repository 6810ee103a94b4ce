import { z } from 'zod'

const ROLE = /^(?:[\w+=,.@-]{1,64}|arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/

/** `profiles.x.login: { role, accountId?, cacheDirectory? }`: a profile signed in with `aws login`. */
export const loginProfileSpec = z
  .strictObject({
    role: z.string().regex(ROLE, 'expected a role name (letters, digits, +=,.@_-) or an ARN like arn:aws:iam::123456789012:role/web'),
    accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id').optional(),
    /** `home` (default): the cache goes to ~/.aws/login/cache; `variable`: to a directory named by AWS_LOGIN_CACHE_DIRECTORY. */
    cacheDirectory: z.enum(['home', 'variable'], { error: 'cacheDirectory is where the login cache goes: "home" (~/.aws/login/cache, default) or "variable" (AWS_LOGIN_CACHE_DIRECTORY)' }).optional(),
  })
  .optional()

export type LoginProfileSpec = NonNullable<z.infer<typeof loginProfileSpec>>
