// Classification speed in WebAssembly under node: the corpus written by
// loopkit_bench_corpus runs through the built core's classifyVisit, the same
// work as the native classify_visit benchmark, and the channel counts are
// compared with the native ones.
//
//   node --no-experimental-fetch bench/wasm_bench.mjs \
//     build/wasm/wasm/loopkit-core.js corpus.json [--json]
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [modulePath, corpusPath] = process.argv.slice(2)
const asJson = process.argv.includes('--json')
if (!modulePath || !corpusPath) {
  console.error('usage: wasm_bench.mjs <loopkit-core.js> <corpus.json> [--json]')
  process.exit(2)
}

const { default: createLoopkitCore } = await import(
  pathToFileURL(path.resolve(modulePath)).href)
const wasmFile = path.resolve(path.dirname(modulePath), 'loopkit-core.wasm')
const core = await createLoopkitCore({ wasmBinary: fs.readFileSync(wasmFile) })
const { visits, channels: nativeChannels } =
  JSON.parse(fs.readFileSync(corpusPath, 'utf8'))

// One pass to compare with the native counts (and to warm the JIT up).
const counts = {}
for (const [page, referrer] of visits) {
  const touch = core.classifyVisit(page, referrer)
  const channel = touch.channel === '' ? '(bad page URL)' : touch.channel
  counts[channel] = (counts[channel] ?? 0) + 1
}
const agree = JSON.stringify(Object.entries(counts).sort()) ===
  JSON.stringify(Object.entries(nativeChannels).sort())

// Timed passes over the corpus for at least minMs; the best pass counts, as
// Google Benchmark reports a steady state rather than the warm-up. Time is
// the process's CPU time, as Google Benchmark's items_per_second is, so the
// ratio to native holds on a busy machine too.
const minMs = 3000
const cpuSeconds = (since) => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1e6
}
let best = 0
let total = 0
const started = performance.now()
const startedCpu = process.cpuUsage()
while (performance.now() - started < minMs) {
  const t0 = process.cpuUsage()
  for (const [page, referrer] of visits) core.classifyVisit(page, referrer)
  best = Math.max(best, visits.length / cpuSeconds(t0))
  total += visits.length
}
const mean = total / cpuSeconds(startedCpu)

if (asJson) {
  console.log(JSON.stringify({ best, mean, agree, visits: visits.length }))
} else {
  console.log(`wasm classifyVisit: ${Math.round(mean)} /s mean, ` +
    `${Math.round(best)} /s best pass; channel counts ` +
    (agree ? 'agree with native' : 'DIFFER from native'))
  if (!agree) console.log({ wasm: counts, native: nativeChannels })
}
process.exit(agree ? 0 : 1)
