# The WebAssembly build and the npm package (wasm/): two standalone modules of
# the same core (with and without -msimd128), the hand-written ES-module
# loader, node:test suites, the npm-pack install check, the JS benchmarks.
#
#   make wasm        wasm/dist/{gaussreg,gaussreg-simd}.wasm + index.js/.d.ts
#   make test-js     node --test wasm/test (both builds), native parity, npm pack
#   make bench-js    n = 1e6 ratios in one Node run (includes tfjs-wasm)

EMCC ?= emcc
NODE ?= node
NPM ?= npm
# Debian's emcc 3.1.6 finds its node modules only through NODE_PATH.
EMCC_ENV ?= NODE_PATH=/usr/share/nodejs
# deps.sh only when a tool is missing: a system whose node comes from
# elsewhere (e.g. nodesource, which bundles npm) needs no Debian npm.
WASM_DEPS ?= command -v emcc >/dev/null && command -v node >/dev/null && \
             command -v npm >/dev/null || scripts/deps.sh wasm
WASM_DIST := wasm/dist
WASM_EXPORTS := $(shell paste -sd, wasm/exports.txt)
# Flags by purpose (sql.js): language/FP (same as the native core), the
# standalone-module link, and the SIMD switch of the second build.
EMFLAGS_C ?= -O3 $(CORE_CFLAGS)
EMFLAGS_LINK ?= --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH \
                -sEXPORTED_FUNCTIONS=$(WASM_EXPORTS)
EMFLAGS_SIMD ?= -msimd128
WASM_SRC := $(CORE_SRC) wasm/glue.c
WASM_OUT := $(WASM_DIST)/gaussreg.wasm $(WASM_DIST)/gaussreg-simd.wasm \
            $(WASM_DIST)/index.js $(WASM_DIST)/index.d.ts
NATIVE_SAMPLES := $(BUILD)/native_samples
JS_BENCH := $(BUILD)/bench-node

.PHONY: wasm test-js bench-js wasm-deps
wasm: wasm-deps $(WASM_OUT)

wasm-deps:
	@$(WASM_DEPS)

$(WASM_DIST)/gaussreg.wasm: $(WASM_SRC) $(CORE_HDR) wasm/exports.txt
	@mkdir -p $(dir $@)
	$(EMCC_ENV) $(EMCC) $(EMFLAGS_C) $(EMFLAGS_LINK) $(WASM_SRC) -o $@

$(WASM_DIST)/gaussreg-simd.wasm: $(WASM_SRC) $(CORE_HDR) wasm/exports.txt
	@mkdir -p $(dir $@)
	$(EMCC_ENV) $(EMCC) $(EMFLAGS_C) $(EMFLAGS_SIMD) $(EMFLAGS_LINK) $(WASM_SRC) -o $@

# index.js gets the core's version (gaussreg.h) written in.
$(WASM_DIST)/index.js: wasm/src/index.js src/gaussreg.h
	@mkdir -p $(dir $@)
	sed 's/@GAUSSREG_VERSION@/$(GAUSSREG_VERSION)/' $< >$@

$(WASM_DIST)/%: wasm/src/%
	@mkdir -p $(dir $@)
	cp $< $@

# The same samples/loss/grad printed by the native library, for the parity test.
$(NATIVE_SAMPLES): wasm/test/native_samples.c $(LIBGAUSSREG_A)
	$(CC) $(PROG_CFLAGS) $(CFLAGS) $< $(LIBGAUSSREG_A) $(LDLIBS_CORE) -o $@

test-js: wasm $(NATIVE_SAMPLES)
	GAUSSREG_NATIVE=$(abspath $(NATIVE_SAMPLES)) $(NODE) --test --test-reporter=spec wasm/test/*.test.js
	sh wasm/test/pack-install.sh $(abspath $(BUILD))/npm-pack

TEST_TARGETS += test-js

$(JS_BENCH)/node_modules/.installed: wasm/bench/package.json wasm/bench/package-lock.json
	@mkdir -p $(JS_BENCH)
	cp wasm/bench/package.json wasm/bench/package-lock.json $(JS_BENCH)/
	cd $(JS_BENCH) && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

bench-js: wasm $(JS_BENCH)/node_modules/.installed
	GAUSSREG_BENCH_MODULES=$(abspath $(JS_BENCH))/node_modules $(NODE) wasm/bench/bench.js

BENCH_TARGETS += bench-js
