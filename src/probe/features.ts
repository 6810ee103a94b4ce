import type { Source } from '../types.js'
import { FEATURE_CODES } from '../sources/index.js'

/**
 * The source the SDK's internal `$source` feature codes (@aws-sdk/core setCredentialFeature)
 * point to, or undefined when it set none we know. The codes and their ranks come from each
 * source's definition: profile-level codes rank first, so a profile that assumed a role from env
 * keys (`p` and `g`) is a profile resolution.
 */
export function sourceFromFeatures(features: Record<string, string>): Source | undefined {
  // a credential carries one or two codes: each is looked up by its rank, the best kept
  let best: number | undefined
  for (const code of Object.values(features)) {
    const rank = rankOfCodes().get(code)
    if (rank !== undefined && (best === undefined || rank < best)) best = rank
  }
  return best === undefined ? undefined : FEATURE_CODES[best]![1]
}

let rankOfCode: Map<string, number> | undefined
/** Each code's place in FEATURE_CODES (its first, when a code is listed twice). */
function rankOfCodes(): Map<string, number> {
  if (!rankOfCode) {
    rankOfCode = new Map()
    FEATURE_CODES.forEach(([code], i) => {
      if (!rankOfCode!.has(code)) rankOfCode!.set(code, i)
    })
  }
  return rankOfCode
}
