#!/usr/bin/env bash
# Builds the native benchmark and the full WebAssembly core (for node and
# tools: -O2 with SIMD, as built by default, and -Oz for comparison), runs
# the same corpus of page views through each, and prints classifications
# per second and the wasm/native ratios: for the classify_visit loop itself
# compiled to WebAssembly (bench/classify_wasm.cpp), and through the JS
# API's classifyVisit, which adds each call's string conversions.
#
#   bench/run.sh                 # builds in build/bench and build/bench-wasm
#   LOOPKIT_BENCH_DIR=/tmp/b bench/run.sh
#
# Needs libbenchmark-dev, emscripten and node (scripts/install-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${LOOPKIT_BENCH_DIR:-$root/build}"
native="$out/bench"
wasm="$out/bench-wasm"          # LOOPKIT_WASM_OPT=z
wasm_fast="$out/bench-wasm-o2"  # LOOPKIT_WASM_OPT=2, the default
jobs="${LOOPKIT_BENCH_JOBS:-2}"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

echo "== building (native: $native, wasm: $wasm)" >&2
cmake -S "$root" -B "$native" -DCMAKE_BUILD_TYPE=Release \
  -DLOOPKIT_BUILD_BENCH=ON -DLOOPKIT_BUILD_TESTS=OFF \
  -DLOOPKIT_BUILD_COLLECTOR=OFF >/dev/null
cmake --build "$native" -j"$jobs" --target loopkit_bench loopkit_bench_corpus \
  >/dev/null
for dir in "$wasm" "$wasm_fast"; do
  opt=z
  [ "$dir" = "$wasm_fast" ] && opt=2
  emcmake cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release \
    -DLOOPKIT_WASM_OPT="$opt" -DLOOPKIT_BUILD_BENCH=ON >/dev/null
  cmake --build "$dir" -j"$jobs" --target loopkit_wasm loopkit_bench_wasm \
    >/dev/null
done

corpus="$native/bench/corpus.json"
"$native/bench/loopkit_bench_corpus" >"$corpus"

echo "== native (Google Benchmark, one thread)" >&2
native_json="$native/bench/native.json"
"$native/bench/loopkit_bench" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="$native_json" \
  --benchmark_out_format=json >&2

echo "== wasm (node, classifyVisit)" >&2
run_wasm() {
  node --no-experimental-fetch "$root/bench/wasm_bench.mjs" \
    "$1/wasm/loopkit-core.js" "$corpus" --json
}
wasm_json="$(run_wasm "$wasm")"
wasm_fast_json="$(run_wasm "$wasm_fast")"

echo "== wasm (node, the classify_visit loop compiled to WebAssembly)" >&2
loop_json="$(node --no-experimental-fetch "$wasm/bench/loopkit_bench_wasm.js")"
loop_fast_json="$(node --no-experimental-fetch \
  "$wasm_fast/bench/loopkit_bench_wasm.js")"

node - "$native_json" "$wasm_json" "$wasm_fast_json" \
  "$wasm/wasm/loopkit-core.wasm" "$wasm_fast/wasm/loopkit-core.wasm" \
  "$corpus" "$loop_json" "$loop_fast_json" <<'JS'
const fs = require('fs')
const zlib = require('zlib')
const [nativeFile, wasmText, fastText, wasmFile, fastFile, corpusFile,
  loopText, loopFastText] = process.argv.slice(2)
const rows = JSON.parse(fs.readFileSync(nativeFile, 'utf8')).benchmarks
const median = (name) => rows.find(
  (b) => b.run_name === name && b.aggregate_name === 'median').items_per_second
const native = median('classify_visit')
const f = (n) => Math.round(n).toLocaleString('en-US').padStart(11)
const kb = (file) => Math.round(zlib.gzipSync(fs.readFileSync(file),
  { level: 9 }).length / 1024)
const line = (label, value, note = '') =>
  console.log(`  ${label.padEnd(40)}${f(value)}${note}`)

console.log('\npage view -> campaign, referrer class, source, medium, channel')
console.log(`  ${'classifications per second'.padEnd(40)}${'median'.padStart(11)}`)
for (const name of ['parse_page_url', 'extract_campaign', 'classify_referrer',
                    'derive_source_and_channel']) {
  line(`native ${name}`, median(name))
}
line('native classify_visit (whole)', native)
// Into one report kept from view to view, as a worker classifying a stream
// does: nothing is allocated once its strings have grown.
const nativeReused = median('classify_visit_reused')
line('native classify_visit, report reused', nativeReused)
// The same loop in WebAssembly: the core's own speed, to compare with
// native's. The channel counts must be native's: the corpus is generated
// in the wasm from the same seed.
const nativeCounts = JSON.stringify(Object.entries(
  JSON.parse(fs.readFileSync(corpusFile, 'utf8')).channels).sort())
for (const [label, text] of [['-Oz', loopText], ['-O2', loopFastText]]) {
  const w = JSON.parse(text)
  const agree = JSON.stringify(Object.entries(w.channels).sort()) ===
    nativeCounts
  line(`wasm ${label} classify_visit loop (whole)`, w.median,
    `   ${(native / w.median).toFixed(1)}x native time,` +
    ` counts ${agree ? 'agree' : 'DIFFER'}`)
  line(`wasm ${label} classify_visit loop, reused`, w.reused_median,
    `   ${(nativeReused / w.reused_median).toFixed(1)}x native time`)
}
// Through the JS API: the loop above plus each call's string conversions.
for (const [label, text, file] of [['-Oz', wasmText, wasmFile],
                                   ['-O2', fastText, fastFile]]) {
  const w = JSON.parse(text)
  line(`wasm ${label} classifyVisit (whole)`, w.mean,
    `   ${(native / w.mean).toFixed(1)}x native time, ${kb(file)} KB gzip,` +
    ` counts ${w.agree ? 'agree' : 'DIFFER'}`)
}
JS
