import { z } from 'zod'
import { profileNameProblem } from './names.js'

/**
 * The validators the WorldSpec's parts share: world/spec.ts assembles the spec, and each
 * source's own part (src/sources/<name>/spec.ts) uses these.
 */
export const IAM_NAME = /^[\w+=,.@-]{1,64}$/
export const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
export const USER_ARN = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export const roleName = z
  .string()
  .refine((v) => IAM_NAME.test(v) || ROLE_ARN.test(v), {
    message: 'expected a role name (letters, digits, +=,.@_-) or an ARN like arn:aws:iam::123456789012:role/web',
  })
export const userName = z
  .string()
  .refine((v) => IAM_NAME.test(v) || USER_ARN.test(v), {
    message: 'expected a user name (letters, digits, +=,.@_-) or an ARN like arn:aws:iam::123456789012:user/ci',
  })
/** A name the SDK can read back from ~/.aws/credentials and as `source_profile = NAME` (see names.ts). */
export const profileName = z.string().superRefine((name, ctx) => {
  const problem = profileNameProblem(name)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})


export const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected a region such as "us-east-1"')
export const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')

/** The longest lifetime a world issues: 12 hours, STS's maximum for a role session. */
export const MAX_EXPIRES_IN = 43_200

/** `expiresIn`: whole seconds until the issued credentials expire. */
export function seconds(what: string, max = MAX_EXPIRES_IN) {
  const error = `expected ${what}: a whole number of seconds from 1 to ${max}`
  return z.number({ error }).int({ error }).min(1, { error }).max(max, { error })
}
export const expiresIn = seconds('seconds until the issued credentials expire').optional()
