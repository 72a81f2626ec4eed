#!/usr/bin/env bash
# Measures the built snippet in a real page beside the trackers people use
# today, with the shared browser harness (../shared/bench, read-only, so it
# is copied to a scratch folder first): code bytes on the wire, time to the
# first page-view request, main-thread script time, long tasks.
#
#   make snippet && bench/page/run.sh                 # loopkit beside every anchor
#   bench/page/run.sh --only loopkit -n 5             # options go to the harness
#
# LOOPKIT_SHARED_BENCH: the harness (default ../shared/bench beside the repo);
# LOOPKIT_SNIPPET_DIR: the built snippet (default build/web/loopkit);
# LOOPKIT_PAGE_BENCH_DIR: the scratch copy (default /tmp/loopkit-page-bench).
# Results: <scratch>/results/<tag>.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
harness="${LOOPKIT_SHARED_BENCH:-$root/../shared/bench}"
snippet="$(cd "${LOOPKIT_SNIPPET_DIR:-$root/build/web/loopkit}" && pwd)"
scratch="${LOOPKIT_PAGE_BENCH_DIR:-/tmp/loopkit-page-bench}"

[ -f "$snippet/loopkit.js" ] || { echo "no snippet in $snippet: make snippet" >&2; exit 1; }
[ -f "$harness/snippet-bench.mjs" ] || { echo "no harness in $harness" >&2; exit 1; }

# A fresh copy each run, keeping its node_modules when the lock is unchanged.
mkdir -p "$scratch"
if ! cmp -s "$harness/package-lock.json" "$scratch/package-lock.json"; then
  rm -rf "$scratch/node_modules"
fi
cp -r "$harness/." "$scratch/"
cd "$scratch"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
  node build-bundles.mjs >/dev/null
fi

# Point the harness's loopkit entry at the built snippet.
node - "$snippet" <<'JS'
const fs = require('fs')
const dir = process.argv[2]
const config = JSON.parse(fs.readFileSync('trackers.json', 'utf8'))
const entry = config.trackers.find((t) => t.name === 'loopkit')
entry.disabled = false
entry.serve = { '/loopkit/': dir + '/' }
fs.writeFileSync('trackers.json', JSON.stringify(config, null, 1))
JS

node snippet-bench.mjs "$@"
