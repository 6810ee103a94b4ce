import type { Source } from '../types.js'

/**
 * The SDK's internal `$source` feature codes (@aws-sdk/core setCredentialFeature), mapped to
 * the source they stand for. Profile-level codes come first: a profile that assumed a role
 * from env keys carries both `p` and `g`, and is a profile resolution.
 */
const FEATURE_PRIORITY: ReadonlyArray<[code: string, source: Source]> = [
  ['v', 'process'],
  ['q', 'webIdentity'],
  ['r', 'sso'],
  ['t', 'sso'],
  ['n', 'profile'],
  ['o', 'profile'],
  ['p', 'profile'],
  ['w', 'process'],
  ['s', 'sso'],
  ['u', 'sso'],
  ['h', 'webIdentity'],
  ['k', 'webIdentity'],
  ['z', 'container'],
  ['0', 'instanceProfile'],
  ['g', 'env'],
  ['e', 'code'],
]

/** The source the SDK's own codes point to, or undefined when it set none we know. */
export function sourceFromFeatures(features: Record<string, string>): Source | undefined {
  const codes = new Set(Object.values(features))
  for (const [code, source] of FEATURE_PRIORITY) if (codes.has(code)) return source
  return undefined
}
