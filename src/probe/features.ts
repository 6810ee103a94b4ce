import type { Source } from '../types.js'
import { FEATURE_CODES } from '../sources/index.js'

/**
 * The source the SDK's internal `$source` feature codes (@aws-sdk/core setCredentialFeature)
 * point to, or undefined when it set none we know. The codes and their ranks come from each
 * source's definition: profile-level codes rank first, so a profile that assumed a role from env
 * keys (`p` and `g`) is a profile resolution.
 */
export function sourceFromFeatures(features: Record<string, string>): Source | undefined {
  const codes = new Set(Object.values(features))
  for (const [code, source] of FEATURE_CODES) if (codes.has(code)) return source
  return undefined
}
