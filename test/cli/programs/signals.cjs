// A program for the exec signal tests: says it is ready, then on SIGTERM or SIGINT prints which
// one arrived and exits 42; stays up otherwise (for at most 20 s).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    process.stdout.write(`got ${signal}\n`)
    process.exit(42)
  })
}
process.stdout.write('ready\n')
setTimeout(() => process.exit(0), 20_000)
