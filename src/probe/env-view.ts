/**
 * The process environment as one report reads it: each variable is read from process.env once
 * and kept. process.env is a host object (every read goes to the C++ environment), and a report
 * reads the same thirty-odd variables (AWS_PROFILE, HOME, the container and token variables)
 * again and again across its links, gates and hints. Enumeration and writes go to process.env
 * itself; a write also drops the kept value.
 */
export function envView(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string | undefined>> {
  const kept = new Map<string, string | undefined>()
  return new Proxy(env, {
    get(target, name) {
      if (typeof name !== 'string') return Reflect.get(target, name)
      if (kept.has(name)) return kept.get(name)
      const value = target[name]
      kept.set(name, value)
      return value
    },
    set(target, name, value) {
      if (typeof name === 'string') kept.delete(name)
      return Reflect.set(target, name, value)
    },
    deleteProperty(target, name) {
      if (typeof name === 'string') kept.delete(name)
      return Reflect.deleteProperty(target, name)
    },
  })
}
