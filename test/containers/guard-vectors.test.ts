/**
 * The guard's vectors again, outside the loopback-only namespace: npm test runs test/containers
 * in the machine's own network (they need the Docker engine's), so a vector the guard missed
 * would have somewhere to go here. Nothing does: the guard refuses each before any packet, and
 * the suite's own nets beneath it (test/setup/loopback-only.ts) record none reaching them.
 */
import { guardVectorSuite } from '../support/guard-vectors.js'

guardVectorSuite('outside the loopback-only namespace')
