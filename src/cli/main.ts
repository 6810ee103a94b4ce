#!/usr/bin/env node
/**
 * The `chainproof` bin: doctor | explain | capture | serve. Exit codes: 0 ok, 1 an expectation
 * failed, 2 usage or input error (see `chainproof --help`).
 */
import { exitWhenDone, processIo } from './io.js'
import { runCli } from './run.js'

exitWhenDone(runCli(process.argv.slice(2), processIo()))
