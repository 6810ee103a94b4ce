// Preloaded into every CLI child the tests start (node --require): any socket to an address
// other than loopback fails at once and leaves a marker on stderr that the tests look for.
// The CLI's own defaults may reach 169.254.169.254 on a real host; in this suite they must not.
const net = require('node:net')

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/
const originalConnect = net.Socket.prototype.connect

function targetOf(args) {
  const first = args[0]
  const options = Array.isArray(first) ? first[0] : first
  if (typeof options === 'object' && options !== null) return options.path ? undefined : (options.host ?? 'localhost')
  if (typeof options === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost'
  return undefined
}

net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = targetOf(args)
  if (host !== undefined && !LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) {
    process.stderr.write(`CHAINPROOF-TEST-GUARD: refused a connection to ${host}\n`)
    const error = Object.assign(new Error(`chainproof test guard: refused a connection to ${host}`), { code: 'ECONNREFUSED' })
    process.nextTick(() => this.destroy(error))
    return this
  }
  return originalConnect.apply(this, args)
}
