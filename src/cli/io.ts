/**
 * The CLI's streams and styling. Colour only when the stream is a terminal, never with
 * NO_COLOR or --no-color; FORCE_COLOR (non-empty, not "0") forces it otherwise.
 */

export interface Style {
  readonly color: boolean
  bold(text: string): string
  dim(text: string): string
  green(text: string): string
  yellow(text: string): string
  red(text: string): string
  cyan(text: string): string
}

const wrap = (on: boolean, open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text)

export function createStyle(color: boolean): Style {
  return {
    color,
    bold: wrap(color, 1, 22),
    dim: wrap(color, 2, 22),
    green: wrap(color, 32, 39),
    yellow: wrap(color, 33, 39),
    red: wrap(color, 31, 39),
    cyan: wrap(color, 36, 39),
  }
}

/** Whether to colour a stream, from the environment and the --no-color flag. */
export function colorWanted(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>, noColorFlag = false): boolean {
  if (noColorFlag) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true && env.TERM !== 'dumb'
}

export interface Io {
  out(text: string): void
  err(text: string): void
  readonly stdoutStyle: (noColor: boolean) => Style
  readonly stderrStyle: (noColor: boolean) => Style
  readonly stderrIsTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}

let pipeHandled = false
/** A reader that went away (`chainproof doctor | head -1`, `| true`) ends the command quietly, exit 0, as other CLIs do. */
function endQuietlyOnClosedPipe(): void {
  if (pipeHandled) return
  pipeHandled = true
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0)
      throw error
    })
  }
}

export function processIo(): Io {
  endQuietlyOnClosedPipe()
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    stdoutStyle: (noColor) => createStyle(colorWanted(process.stdout, process.env, noColor)),
    stderrStyle: (noColor) => createStyle(colorWanted(process.stderr, process.env, noColor)),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  }
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** A one-line spinner on stderr, only on a terminal; elsewhere it prints nothing. */
export function createSpinner(enabled: boolean): { step(text: string): void; stop(): void } {
  if (!enabled) return { step() {}, stop() {} }
  let text = ''
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  const draw = () => process.stderr.write(`\r\u001b[K${FRAMES[frame++ % FRAMES.length]} ${text}`)
  return {
    step(next) {
      text = next
      draw()
      timer ??= setInterval(draw, 80)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      if (text) process.stderr.write('\r\u001b[K')
      text = ''
    },
  }
}

/**
 * Exits with the code a command resolved to. Nothing should be left running, but a stray
 * handle (a slow endpoint's socket) must not keep the process alive.
 */
export function exitWhenDone(run: Promise<number>): void {
  run.then(
    (code) => {
      process.exitCode = code
      setImmediate(() => process.exit(code)).unref()
    },
    (error: unknown) => {
      process.stderr.write(`chainproof: unexpected error: ${String(error)}\n`)
      process.exit(2)
    },
  )
}
