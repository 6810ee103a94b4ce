/**
 * Preloaded into each worker thread started while a world is active (`--require`, added by the
 * guard to the worker's execArgv): installs the network guard in that thread — whose net module
 * and node handles are its own — for the worker's whole life, and reports every refusal to the
 * thread that owns the world, which counts it in world.blockedConnections.
 */
import { BroadcastChannel } from 'node:worker_threads'
import { GUARD_CHANNEL, installNetworkGuard, reportBlockedTo } from './guard.js'

const channel = new BroadcastChannel(GUARD_CHANNEL)
channel.unref()
reportBlockedTo((blocked) => channel.postMessage({ ...blocked, at: blocked.at.toISOString() }))
installNetworkGuard()
