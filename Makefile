# The two commands a newcomer needs: `make demo` and `make test`. Both install
# whatever is missing first (Debian packages, npm packages).

PORT ?= 8080
HOST ?= 127.0.0.1
BUILD ?= build
JOBS ?= 2

NATIVE := $(BUILD)/native
WASM := $(BUILD)/wasm
SNIPPET := $(BUILD)/web/loopkit
FUZZ := $(BUILD)/fuzz
FUZZ_SECONDS ?= 12
LOOPKIT := $(NATIVE)/collector/loopkit

# Debian's Emscripten finds its JS optimizer's parser (acorn) only here.
export NODE_PATH := /usr/share/nodejs

.PHONY: all deps build native wasm snippet test fuzz demo clean

# esbuild and playwright-core, as the lock file pins them; `make deps` does
# this too, with the Debian packages.
node_modules: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@$(MAKE) --no-print-directory snippet native

wasm:
	emcmake cmake -S . -B $(WASM) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(WASM) -j $(JOBS)

# web/snippet/src/ bundled by esbuild (scripts/build-snippet.mjs), beside
# the page core's .wasm; the full core (loopkit-core.*) goes there too, for
# node and the parity tests.
snippet: wasm node_modules
	node scripts/build-snippet.mjs $(SNIPPET) $(WASM)/wasm

native:
	cmake -S . -B $(NATIVE) -DCMAKE_BUILD_TYPE=Release \
	      -DLOOPKIT_WASM_DIR=$(abspath $(SNIPPET)) >/dev/null
	cmake --build $(NATIVE) -j $(JOBS)

test: build
	ctest --test-dir $(NATIVE) --output-on-failure
	@$(MAKE) --no-print-directory fuzz

# Each libFuzzer target runs FUZZ_SECONDS under ASan and UBSan; any crash,
# leak or undefined behaviour fails the run.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLOOPKIT_BUILD_FUZZERS=ON -DLOOPKIT_BUILD_TESTS=OFF \
	  -DLOOPKIT_BUILD_COLLECTOR=OFF >/dev/null
	cmake --build $(FUZZ) -j $(JOBS)
	tests/fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS)

demo: build
	$(LOOPKIT) serve --host $(HOST) --port $(PORT) --db $(BUILD)/demo.db \
	  --web web/demo --snippet $(SNIPPET) --scoring web/demo/scoring.json

clean:
	rm -rf $(BUILD)
