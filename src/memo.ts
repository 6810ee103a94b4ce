/**
 * A pure function of a string, with its answers kept by value (at most `size`; all are dropped
 * when that many are kept): for checks a report asks of the same few values again and again.
 */
export function memoByValue<T>(fn: (value: string) => T, size = 64): (value: string) => T {
  const seen = new Map<string, T>()
  return (value) => {
    if (seen.has(value)) return seen.get(value) as T
    if (seen.size >= size) seen.clear()
    const answer = fn(value)
    seen.set(value, answer)
    return answer
  }
}
