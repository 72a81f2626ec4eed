// Bundles web/snippet/src/ into what a site loads, beside the core itself:
//   loopkit.js         the script-tag build (classic script, minified)
//   loopkit.mjs        the ES module entry for bundlers
//   loopkit-page.wasm  the page's core
//   loopkit.d.ts       the types of the public API
//   loopkit-core.js, loopkit-core.wasm   the full core, for node and tools
// and, for the three a page loads, copies compressed once here (.br, .gz)
// that `loopkit serve` (or any server set up for it) sends as they are.
//
//   node scripts/build-snippet.mjs <out-dir> [<wasm-build-dir>]
//
// The page's core needs no Emscripten glue: web/snippet/src/core.js
// instantiates loopkit-page.wasm itself.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'web/snippet/src')
const out = resolve(process.argv[2] || join(root, 'build/web/loopkit'))
const wasmDir = resolve(process.argv[3] || join(root, 'build/wasm/wasm'))
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
for (const file of ['loopkit-page.wasm', 'loopkit-core.js',
  'loopkit-core.wasm']) {
  copyFileSync(join(wasmDir, file), join(out, file))
}

// Brotli at its best setting takes most of a second for the .wasm: worth
// it once per build, far too slow for each request.
for (const file of ['loopkit.js', 'loopkit.mjs', 'loopkit-page.wasm']) {
  const bytes = readFileSync(join(out, file))
  writeFileSync(join(out, file + '.br'), brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }))
  writeFileSync(join(out, file + '.gz'), gzipSync(bytes, { level: 9 }))
}
