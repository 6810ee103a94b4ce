/**
 * Preloaded (`node --require ./loopback-guard.cjs`) into the consumer's test and its client
 * process: a socket to any address but loopback fails at once and the process exits 3, so a
 * world that leaked a real endpoint (169.254.169.254, an AWS host) cannot send a packet.
 * Unix sockets (the Docker engine's) are allowed.
 */
const net = require('node:net')
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  let host
  if (typeof first === 'object' && first !== null) host = first.path ? undefined : (first.host ?? 'localhost')
  else if (typeof first === 'number') host = typeof args[1] === 'string' ? args[1] : 'localhost'
  if (host !== undefined && !LOOPBACK.test(String(host).replace(/^\[|\]$/g, ''))) {
    process.stderr.write(`loopback guard: refused a connection to ${host}\n`)
    process.exit(3)
  }
  return connect.apply(this, args)
}
