// Bundles web/snippet/src/ and the page core's Emscripten glue
// (loopkit-page.js) into what a site loads, beside the .wasm the Makefile
// copies in:
//   loopkit.js    the script-tag build (classic script, minified)
//   loopkit.mjs   the ES module entry for bundlers
//   loopkit.d.ts  the types of the public API
//
//   node scripts/build-snippet.mjs <out-dir> [<wasm-build-dir>]
//
// The glue rides in the bundle rather than beside it: one request less
// before the core can start, and esbuild shortens its names (Emscripten
// leaves them long without the Closure Compiler).
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'web/snippet/src')
const out = resolve(process.argv[2] || join(root, 'build/web/loopkit'))
const glue = join(resolve(process.argv[3] || join(root, 'build/wasm/wasm')),
  'loopkit-page.js')
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
  // runtime.js imports the glue by this name.
  alias: { 'loopkit-page': glue },
  // The glue reads import.meta.url only when it is not given locateFile,
  // which runtime.js always gives; a classic script has no import.meta.
  define: { 'import.meta.url': '""' },
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
