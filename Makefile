# The two commands a newcomer needs: `make demo` and `make test`. Both install
# whatever is missing first (Debian packages, npm packages).

PORT ?= 8080
HOST ?= 127.0.0.1
BUILD ?= build
JOBS ?= 2

NATIVE := $(BUILD)/native
WASM := $(BUILD)/wasm
SNIPPET := $(BUILD)/web/loopkit
LOOPKIT := $(NATIVE)/collector/loopkit

# Debian's Emscripten finds its JS optimizer's parser (acorn) only here.
export NODE_PATH := /usr/share/nodejs

.PHONY: all deps build native wasm snippet test demo clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@$(MAKE) --no-print-directory snippet native

wasm:
	emcmake cmake -S . -B $(WASM) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(WASM) -j $(JOBS)

snippet: wasm
	mkdir -p $(SNIPPET)
	cp web/snippet/loopkit.js web/snippet/loopkit.d.ts \
	   $(WASM)/wasm/loopkit-core.js $(WASM)/wasm/loopkit-core.wasm $(SNIPPET)/

native:
	cmake -S . -B $(NATIVE) -DCMAKE_BUILD_TYPE=Release \
	      -DLOOPKIT_WASM_DIR=$(abspath $(SNIPPET)) >/dev/null
	cmake --build $(NATIVE) -j $(JOBS)

test: build
	ctest --test-dir $(NATIVE) --output-on-failure

demo: build
	$(LOOPKIT) serve --host $(HOST) --port $(PORT) --db $(BUILD)/demo.db \
	  --web web/demo --snippet $(SNIPPET) --scoring web/demo/scoring.json

clean:
	rm -rf $(BUILD)
