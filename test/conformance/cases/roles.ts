/** Shared bits of the cases: role ARNs in the world's account. */
export const ROLE = (name: string): string => `arn:aws:iam::123456789012:role/${name}`
export const AR = { CREDENTIALS_PROFILE_SOURCE_PROFILE: 'o', CREDENTIALS_STS_ASSUME_ROLE: 'i' }
