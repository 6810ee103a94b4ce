// Runs the installed SDK's shared-ini parser over profile names, in a process of its own: the
// parser writes some names onto JavaScript's built-in objects, which must never happen in a
// test process. Names arrive as JSON on stdin; one JSON verdict per name goes to stdout.
'use strict'
const { mkdtempSync, writeFileSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join } = require('node:path')
const { loadSharedConfigFiles } = require('@smithy/shared-ini-file-loader')

const builtins = () => JSON.stringify([Object, Object.prototype, ...Object.getOwnPropertyNames(Object.prototype).map((k) => Object.prototype[k])]
  .map((o) => (o && (typeof o === 'object' || typeof o === 'function') ? Object.getOwnPropertyNames(o).sort() : [])))

async function verdict(name, i) {
  const dir = mkdtempSync(join(tmpdir(), 'chainproof-ini-oracle-'))
  const credentials = join(dir, 'credentials')
  const config = join(dir, 'config')
  writeFileSync(credentials, `[neighbour]\naws_access_key_id = AKIANEIGHBOUR\n\n[${name}]\naws_access_key_id = AKIAMARK${i}\n`)
  writeFileSync(config, `[profile neighbour]\nregion = eu-west-1\n\n[profile ${name}]\nregion = mark-${i}\n\n[profile chained]\nsource_profile = ${name}\n`)
  const before = builtins()
  const parsed = await loadSharedConfigFiles({ filepath: credentials, configFilepath: config, ignoreCache: true })
  const touchedBuiltins = builtins() !== before
  rmSync(dir, { recursive: true, force: true })
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k)
  const c = parsed.credentialsFile
  const f = parsed.configFile
  return {
    name,
    touchedBuiltins,
    // the section reads back under exactly this name, with its own value, and its neighbour survives
    credentials: !touchedBuiltins && own(c, name) && c[name].aws_access_key_id === `AKIAMARK${i}` && own(c, 'neighbour'),
    config: !touchedBuiltins && own(f, name) && f[name].region === `mark-${i}` && own(f, 'neighbour'),
    sourceProfile: own(f, 'chained') && f.chained.source_profile === name,
  }
}

let input = ''
process.stdin.on('data', (chunk) => (input += chunk))
process.stdin.on('end', async () => {
  const names = JSON.parse(input)
  const out = []
  for (const [i, name] of names.entries()) out.push(await verdict(name, i))
  process.stdout.write(JSON.stringify(out))
})
