/** The guard's vectors, in this run's namespace (CI: inside the loopback-only one; see test/support/guard-vectors.ts). */
import { guardVectorSuite } from '../support/guard-vectors.js'

guardVectorSuite(process.env.CHAINPROOF_NETNS === '1' ? 'inside the loopback-only namespace' : 'in this process’s namespace')
