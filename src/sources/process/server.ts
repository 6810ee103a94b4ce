import { json, type Route } from '../../servers/http.js'
import { PROCESS_HELPER_PATH } from './plan.js'
import { processDocument, type ProcessServerState } from './state.js'

/** Where a timed credential_process helper (`process.expiresIn`) gets the current generation, on the world's STS server. */
export const processRoutes: readonly Route[] = [
  {
    name: 'process.helper',
    method: 'GET',
    path: new RegExp(`${PROCESS_HELPER_PATH.replace(/\//g, '\\/')}([\\w-]+)`),
    handle(request, world) {
      const state = world.parts?.process as ProcessServerState | undefined
      const helper = state?.helpers.find((h) => h.id !== undefined && h.id === request.params[0])
      if (!helper?.stream) return json(404, { message: 'no such credential helper in this world' })
      const issued = helper.stream.current()
      return {
        ...json(200, processDocument(issued)),
        record: { fetch: { source: 'process', profile: helper.profile, step: 'credentials', accessKeyId: issued.accessKeyId } },
      }
    },
  },
]
