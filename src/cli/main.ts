#!/usr/bin/env node
/**
 * The `chainproof` bin: doctor | explain | capture | serve. Exit codes: 0 ok, 1 an expectation
 * failed, 2 usage or input error (see `chainproof --help`).
 */
import { processIo } from './io.js'
import { runCli } from './run.js'

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code
    // Nothing should be left running, but a stray handle (a slow endpoint's socket) must not keep the CLI alive.
    setImmediate(() => process.exit(code)).unref()
  },
  (error: unknown) => {
    process.stderr.write(`chainproof: unexpected error: ${String(error)}\n`)
    process.exit(2)
  },
)
