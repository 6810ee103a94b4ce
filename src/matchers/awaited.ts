import { activeWorld } from '../world/world.js'
import { auditText } from '../audit.js'
import type { MatcherContext, MatcherResult } from './context.js'
import { hintOf } from './process-match.js'

type Matcher = (this: MatcherContext, received: unknown, ...args: any[]) => Promise<MatcherResult>

/**
 * A matcher that notices when the world it started in was disposed before it finished — the
 * mark of a forgotten `await`: the test ended, its world was torn down, and whatever the matcher
 * learned afterwards is about the real machine, not the world. Such a result is replaced by a
 * failure that says so (and shows nothing of the machine).
 */
export function awaited<M extends Matcher>(name: string, matcher: M): M {
  const wrapped = async function (this: MatcherContext, received: unknown, ...args: unknown[]): Promise<MatcherResult> {
    const world = activeWorld()
    let result: MatcherResult | undefined
    let failure: unknown
    try {
      result = await matcher.call(this, received, ...args)
    } catch (error) {
      failure = error
    }
    if (world !== undefined && world.disposed) {
      const hint = hintOf(this, { name, expected: '', received: 'received' })
      const message = [
        hint,
        '',
        `The credential world (created at ${world.createdAt}) was disposed while this matcher was still running, so its result would describe this machine, not the world.`,
        "Did you forget `await`? chainproof's matchers are asynchronous: `await expect(client).toResolveCredentialsFrom('env')`.",
      ].join('\n')
      auditText(message)
      return { pass: this.isNot === true, message: () => message }
    }
    if (failure !== undefined) throw failure
    return result!
  }
  Object.defineProperty(wrapped, 'name', { value: name })
  return wrapped as unknown as M
}
