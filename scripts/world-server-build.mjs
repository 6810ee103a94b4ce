/**
 * Build-time helpers for `dist/world-server.cjs`, the world image's one self-contained program
 * (see src/testcontainers/world-server.ts and the world-server object in tsup.config.ts).
 *
 * `bundledSdkLinks()` is an esbuild plugin that does two things:
 *
 * 1. It replaces src/probe/sdk.ts (which finds the SDK's link providers at run time beside the
 *    user's @aws-sdk/credential-provider-node, through createRequire — invisible to a bundler)
 *    with a module that requires the same eight providers by name, resolved at build time from
 *    beside this repo's @aws-sdk/credential-provider-node, so they are inlined. Everything else
 *    sdk.ts exports (silentLogger, the types) is re-exported from it unchanged; only sdkLinks()
 *    is swapped. The providers are still loaded on first use (lazy requires), not at start.
 * 2. After the build, it writes `dist/world-server.meta.json`: the packages inlined
 *    (name@version), which the world image reports.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve, sep } from 'node:path'

const PROVIDERS = {
  fromEnv: '@aws-sdk/credential-provider-env',
  fromIni: '@aws-sdk/credential-provider-ini',
  fromProcess: '@aws-sdk/credential-provider-process',
  fromTokenFile: '@aws-sdk/credential-provider-web-identity',
  fromHttp: '@aws-sdk/credential-provider-http',
  fromInstanceMetadata: '@smithy/credential-provider-imds',
  fromSSO: '@aws-sdk/credential-provider-sso',
  fromLoginCredentials: '@aws-sdk/credential-provider-login',
}

const NAMESPACE = 'chainproof-bundled-sdk'

/** The package a bundled input file belongs to: the last node_modules/<name> in its path. */
function packageDirOf(file) {
  const parts = file.split(/[\\/]/)
  const at = parts.lastIndexOf('node_modules')
  if (at < 0 || at === parts.length - 1) return undefined
  const width = parts[at + 1].startsWith('@') ? 2 : 1
  return parts.slice(0, at + 1 + width).join(sep)
}

export function bundledSdkLinks({ root = process.cwd(), outFile = 'dist/world-server.cjs' } = {}) {
  const sdkSource = resolve(root, 'src', 'probe', 'sdk.ts')
  return {
    name: 'chainproof-bundled-sdk-links',
    setup(build) {
      build.initialOptions.metafile = true
      let nodeProvider
      try {
        nodeProvider = createRequire(join(root, 'package.json')).resolve('@aws-sdk/credential-provider-node')
      } catch {
        throw new Error('building dist/world-server.cjs needs @aws-sdk/credential-provider-node installed (a devDependency): npm install')
      }
      const resolveDir = dirname(nodeProvider)

      // src/probe/sdk.ts, however it is imported (./sdk.js from probe/, ../../probe/sdk.js from a source's folder)
      build.onResolve({ filter: /(^|\/)sdk\.js$/ }, (args) => {
        if (resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) !== sdkSource) return undefined
        return { path: 'sdk-links', namespace: NAMESPACE }
      })
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({
        resolveDir,
        loader: 'js',
        contents: [
          `export * from ${JSON.stringify(sdkSource)}`,
          'let links',
          '/** The SDK link providers, inlined at build time; loaded on first use. */',
          'export function sdkLinks() {',
          '  return (links ??= {',
          ...Object.entries(PROVIDERS).map(([fn, pkg]) => `    ${fn}: require(${JSON.stringify(pkg)}).${fn},`),
          '  })',
          '}',
        ].join('\n'),
      }))

      build.onEnd((result) => {
        if (result.errors.length || !result.metafile) return
        const packages = new Set()
        for (const input of Object.keys(result.metafile.inputs)) {
          const dir = packageDirOf(resolve(root, input.replace(/^[\w-]+:/, '')))
          if (!dir) continue
          try {
            const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
            // tsup itself contributes only its import.meta.url shim, not a runtime dependency.
            if (manifest.name && manifest.version && manifest.name !== 'tsup') packages.add(`${manifest.name}@${manifest.version}`)
          } catch {
            // a nested package.json-less folder: counted with its parent package
          }
        }
        const file = resolve(root, outFile)
        mkdirSync(dirname(file), { recursive: true })
        const sdk = JSON.parse(readFileSync(join(packageDirOf(nodeProvider), 'package.json'), 'utf8'))
        const meta = {
          file: 'world-server.cjs',
          // The providers the chain report runs were resolved beside this credential-provider-node.
          chainReportSdk: `${sdk.name}@${sdk.version}`,
          packages: [...packages].sort(),
        }
        writeFileSync(join(dirname(file), 'world-server.meta.json'), JSON.stringify(meta, null, 2) + '\n')
      })
    },
  }
}
