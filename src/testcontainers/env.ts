import type { ServerName } from '../types.js'
import { PORT_OFFSETS } from './ports.js'
import { SERVER_NAMES } from '../servers/index.js'

/** What `chainproof serve --format json` prints as its first stdout line. */
export interface ServeBanner {
  env: Record<string, string>
  endpoints: Record<ServerName, string>
  control: string
}

const LOOPBACK_URL = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/

/** The banner, if `line` is it. */
export function parseBanner(line: string): ServeBanner | undefined {
  const trimmed = line.trim()
  if (!trimmed.startsWith('{')) return undefined
  let value: unknown
  try {
    value = JSON.parse(trimmed)
  } catch {
    return undefined
  }
  const banner = value as Partial<ServeBanner> | null
  if (!banner || typeof banner !== 'object' || typeof banner.control !== 'string' || !banner.env || !banner.endpoints) return undefined
  for (const name of SERVER_NAMES) if (typeof banner.endpoints[name] !== 'string') return undefined
  return banner as ServeBanner
}

/**
 * The banner as seen from this machine: with host networking, as printed; with mapped ports,
 * every `http://<loopback or 0.0.0.0>:<container port>` in the variables, endpoints and
 * control URL is rewritten to `http://127.0.0.1:<mapped port>`. Throws if any URL in the result is not on
 * loopback (nothing in a world may point elsewhere).
 */
export function hostView(banner: ServeBanner, mapping?: ReadonlyMap<number, number>): ServeBanner {
  const rewrite = (value: string): string =>
    value.replace(/\bhttp:\/\/(127\.\d+\.\d+\.\d+|localhost|0\.0\.0\.0|\[::1\]):(\d+)/g, (whole, host: string, port: string) => {
      const mapped = mapping?.get(Number(port))
      if (mapped !== undefined) return `http://127.0.0.1:${mapped}`
      // A server bound to every interface is reached on loopback.
      return host === '0.0.0.0' ? `http://127.0.0.1:${port}` : whole
    })
  const env = Object.fromEntries(Object.entries(banner.env).map(([key, value]) => [key, rewrite(value)]))
  const endpoints = Object.fromEntries(Object.entries(banner.endpoints).map(([key, value]) => [key, rewrite(value)])) as ServeBanner['endpoints']
  const view: ServeBanner = { env, endpoints, control: rewrite(banner.control) }
  const urls = [
    ['control', view.control],
    ...Object.entries(view.endpoints).map(([key, value]) => [`endpoints.${key}`, value]),
    ...Object.entries(view.env).filter(([, value]) => /^https?:\/\//.test(value)),
  ]
  for (const [name, url] of urls) {
    if (!LOOPBACK_URL.test(url!)) throw new Error(`the world container reported ${name} = ${url}, which is not a loopback URL; refusing to use it`)
  }
  return view
}

/** The container ports a serve started at `base` listens on, for mapping. */
export function servePorts(base: number): number[] {
  return Object.values(PORT_OFFSETS).map((offset) => base + offset)
}
