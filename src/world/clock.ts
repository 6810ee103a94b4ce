import { ChainproofError } from '../errors.js'
import type { WorldClock } from '../types.js'

/**
 * The world's time. The SDK and the world's servers both read `Date` (Date.now(), new Date()),
 * so moving time means moving `Date` for both, in this process:
 *
 * - when the runner's fake timers fake `Date` (Vitest `vi.useFakeTimers()`, Jest's modern fake
 *   timers — both @sinonjs/fake-timers, whose `Date.clock` is the clock), through that clock's
 *   `setSystemTime`, exactly as `vi.setSystemTime`/`jest.setSystemTime` would (no timer fires);
 * - otherwise the world puts a `Date` of its own in place — real time plus an offset — and takes
 *   it away when the world is disposed. Timers stay real, so nothing the SDK awaits hangs.
 */

type DateConstructor = typeof Date
interface FakeClock {
  now: number
  setSystemTime(now: number | Date): void
}

const realDate: DateConstructor = Date
const WORLD_DATE = Symbol.for('chainproof.worldDate')

/** A fake-timers clock behind the current global Date, if the runner's fake timers fake it. */
export function runnerClock(): FakeClock | undefined {
  const current = globalThis.Date as DateConstructor & { clock?: Partial<FakeClock>; [WORLD_DATE]?: true }
  if (current[WORLD_DATE]) return undefined
  const clock = current.clock
  return clock && typeof clock.setSystemTime === 'function' && typeof clock.now === 'number' ? (clock as FakeClock) : undefined
}

/** A Date constructor that reads real time plus `offset()`; everything else is the real Date's. */
function shiftedDate(base: DateConstructor, offset: () => number): DateConstructor {
  const Shifted = function (this: unknown, ...args: unknown[]) {
    if (!new.target) return new base(base.now() + offset()).toString()
    return args.length === 0 ? Reflect.construct(base, [base.now() + offset()], new.target) : Reflect.construct(base, args, new.target)
  } as unknown as DateConstructor
  Object.defineProperties(Shifted, {
    prototype: { value: base.prototype },
    now: { value: () => base.now() + offset(), writable: true, configurable: true },
    parse: { value: base.parse, writable: true, configurable: true },
    UTC: { value: base.UTC, writable: true, configurable: true },
    length: { value: 7 },
    name: { value: 'Date' },
    [WORLD_DATE]: { value: true },
  })
  return Shifted
}

export class Clock implements WorldClock {
  #offset = 0
  #installed: { date: DateConstructor; replaced: DateConstructor } | undefined
  #disposed = false

  get offset(): number {
    return this.#offset
  }

  now(): Date {
    return new Date()
  }

  async advance(ms: number): Promise<void> {
    if (this.#disposed) throw new ChainproofError('this credential world has been disposed; its clock no longer moves')
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new ChainproofError(`clock.advance(ms): expected a number of milliseconds, 0 or more (time only moves forward), got ${typeof ms === 'number' ? ms : typeof ms}`)
    }
    const fake = runnerClock()
    if (fake) {
      fake.setSystemTime(globalThis.Date.now() + ms)
      return
    }
    this.#offset += ms
    if (!this.#installed && this.#offset !== 0) {
      const replaced = globalThis.Date
      const date = shiftedDate(replaced, () => this.#offset)
      globalThis.Date = date
      this.#installed = { date, replaced }
    }
  }

  /** Puts back the Date the world replaced (unless something else has replaced it since). */
  dispose(): void {
    this.#disposed = true
    const installed = this.#installed
    this.#installed = undefined
    if (installed && globalThis.Date === installed.date) globalThis.Date = installed.replaced
  }
}

export { realDate }
