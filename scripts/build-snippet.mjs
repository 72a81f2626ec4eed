// Bundles web/snippet/src/ into what a site loads, beside the WebAssembly
// core the Makefile copies in:
//   loopkit.js    the script-tag build (classic script, minified)
//   loopkit.mjs   the ES module entry for bundlers
//   loopkit.d.ts  the types of the public API
//
//   node scripts/build-snippet.mjs <out-dir>
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'web/snippet/src')
const out = resolve(process.argv[2] || join(root, 'build/web/loopkit'))
mkdirSync(out, { recursive: true })

// Browsers that run WebAssembly under 'wasm-unsafe-eval' all have ES2020;
// older ones still get page views (fallback.js) as long as they parse it.
const common = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
}

await build({
  ...common,
  entryPoints: [join(src, 'script-tag.js')],
  outfile: join(out, 'loopkit.js'),
  format: 'iife',
})
await build({
  ...common,
  entryPoints: [join(src, 'module.js')],
  outfile: join(out, 'loopkit.mjs'),
  format: 'esm',
})
copyFileSync(join(root, 'web/snippet/loopkit.d.ts'),
  join(out, 'loopkit.d.ts'))
