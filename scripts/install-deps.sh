#!/usr/bin/env bash
# Installs what building, testing and running the demo need and is missing:
# Debian packages first, then the npm packages pinned in package-lock.json.
# Safe to run again; it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake g++ make pkg-config
  nlohmann-json3-dev catch2 libcpp-httplib-dev libsqlite3-dev libbenchmark-dev
  emscripten chromium
  clang libclang-rt-14-dev
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "loopkit: missing Debian packages: ${missing[*]}" >&2
    echo "loopkit: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "loopkit: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# node_modules is current when it was installed from this very lock file.
if [ ! -f node_modules/.package-lock.json ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
