// What each file of a built snippet costs on the wire: raw, gzip -9 and
// brotli -q 11 bytes (brotli is what the page bench's server sends).
//
//   node bench/page/sizes.mjs [snippet-dir]     # default build/web/loopkit
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dir = resolve(process.argv[2] || 'build/web/loopkit')
// Maps and types are never fetched by a page.
const shipped = (name) => /\.(js|mjs|wasm)$/.test(name)

const rows = []
for (const name of readdirSync(dir).sort()) {
  const file = join(dir, name)
  if (!shipped(name) || !statSync(file).isFile()) continue
  const bytes = readFileSync(file)
  rows.push({
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  })
}

const kib = (n) => (n / 1024).toFixed(1)
console.log('| file | raw B | gzip -9 B | brotli 11 B | brotli KiB |')
console.log('|---|--:|--:|--:|--:|')
for (const r of rows) {
  console.log(`| ${r.name} | ${r.raw} | ${r.gzip} | ${r.brotli} | ` +
    `${kib(r.brotli)} |`)
}
