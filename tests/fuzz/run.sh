#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and fails on any crash, leak,
# undefined behaviour, timeout or broken invariant.
#   tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# BUILD_DIR is a folder configured with LOOPKIT_BUILD_FUZZERS=ON (see
# tests/fuzz/CMakeLists.txt). Each target starts from its seed corpus in
# tests/fuzz/corpus/<target>/; what it discovers goes to a scratch folder
# (LOOPKIT_FUZZ_WORK, default a temporary one), never into the repository.
# A crashing input is kept there and its path printed.
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
fi
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(bot campaign event query referrer referrer_database scoring
           tracker_config url)
fi

work=${LOOPKIT_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/loopkit-fuzz.XXXXXX")}
mkdir -p "$work"
failed=()
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin not built" >&2
    failed+=("$t")
    continue
  fi
  mkdir -p "$work/$t/corpus" "$work/$t/crashes"
  dict=()
  case $t in
    url|referrer|campaign|query) dict=(-dict="$here/url.dict") ;;
    event|scoring|tracker_config|referrer_database)
      dict=(-dict="$here/json.dict") ;;
  esac

  # One worker: the machine is shared. Inputs up to 16 KB reach the URL
  # length limit; leaks and UB abort the run.
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$work/$t/crashes/" \
    "$work/$t/corpus" "$here/corpus/$t" >"$work/$t/log" 2>&1
  status=$?
  runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$work/$t/log" | tail -1)
  if [ $status -ne 0 ]; then
    echo "fuzz_$t: FAILED (exit $status); log $work/$t/log"
    grep -m5 -E 'ERROR|invariant|SUMMARY|Test unit written' "$work/$t/log"
    failed+=("$t")
  else
    echo "fuzz_$t: ok, ${runs:-no summary}"
  fi
done

echo "fuzz: $(( ${#targets[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (work folder $work)" >&2
  exit 1
fi
[ -z "${LOOPKIT_FUZZ_WORK:-}" ] && rm -rf "$work"
exit 0
