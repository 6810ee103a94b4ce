import { text, type Route } from './http.js'

/**
 * The service gate: where an application's signed AWS calls land, to be checked against the
 * world's allow/deny rules. For now it knows no service, so every call is refused with 501
 * (and recorded); rules arrive as routes in this table.
 */
export const gateRoutes: readonly Route[] = [
  {
    name: 'gate.unimplemented',
    method: '*',
    path: /.*/,
    handle() {
      return text(501, 'chainproof gate: no service rules yet\n')
    },
  },
]
