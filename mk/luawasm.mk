# Lua in WebAssembly (issue 12): Lua 5.4 (from Debian's source package,
# scripts/lua-src.sh; nothing of Lua is committed) and the gaussianreg module
# compiled by emcc into standalone wasm modules, the static library an
# engine's Emscripten build links, and the gaussianreg-lua command.
#
#   make luawasm        (part of make wasm) wasm/dist/gaussreg-lua.wasm and
#                       gaussreg-lua-simd.wasm (+ their base64 modules), and
#                       $(BUILD)/wasm/: libgaussianreg_lua.a (scalar core),
#                       simd/libgaussianreg_lua.a (wasm SIMD core),
#                       include/: gaussianreg_lua.h, lgaussreg.h, gaussreg.h
#   make test-luawasm   spec/portable/report.lua and the MAP example under
#                       gaussianreg-lua (both builds) against native Lua 5.4;
#                       the command's behaviour and the JS entry (node --test
#                       wasm/test/lua.test.js); the library in an Emscripten
#                       host built as engines build theirs (JS glue, Lua
#                       compiled with Emscripten's default flags)
#   make bench-js       also reports the Lua figures (wasm/bench/bench.js)
#
# The archive holds the binding (src/lua/lgaussreg.c), the core and
# luaopen_gaussianreg (the facade compiled in): no Lua, no libc choices, no
# exception-handling flags, so it links into any Emscripten build of Lua 5.4.
# gaussreg-lua*.wasm link exactly that archive with Lua, a host that drives
# a state from JavaScript (wasm/lua/lua_host.c) and file system calls over
# WASI preopens (wasm/lua/lua_wasi.c).

EMAR ?= emar
LUAWASM_DIR := $(BUILD)/luawasm
LUAWASM_LIBDIR := $(BUILD)/wasm
LUAWASM_SRCDIR := $(LUAWASM_DIR)/lua-src.dir
# Lua's own flags (its Makefile: -std=gnu99 -DLUA_COMPAT_5_3, as in Debian's
# lua5.4) but -Os, not -O2 (the modules are 14% smaller, 57 KB, and pure-Lua
# loops run as fast in V8), ISO C only (no LUA_USE_POSIX: no popen, no
# dlopen), and Lua's errors as wasm exceptions (-sSUPPORT_LONGJMP=wasm;
# without it the module would import Emscripten's JavaScript invoke_* glue).
# Modules are found in the host's current directory only.
LUAWASM_LUA_CFLAGS ?= -std=gnu99 -Os -Wall -Wextra -DLUA_COMPAT_5_3 -sSUPPORT_LONGJMP=wasm \
  '-DLUA_PATH_DEFAULT="./?.lua;./?/init.lua"' '-DLUA_CPATH_DEFAULT=""'
LUAWASM_LUA_NAMES := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject \
                     lopcodes lparser lstate lstring ltable ltm lundump lvm lzio \
                     lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib \
                     lstrlib ltablib lutf8lib linit
LUAWASM_LUA_OBJ := $(LUAWASM_LUA_NAMES:%=$(LUAWASM_DIR)/lua/%.o)
# Debian's luaconf.h includes a header its build generates.
LUAWASM_MULTIARCH := $(LUAWASM_DIR)/include/lua5.4-deb-multiarch.h
LUAWASM_LUA_INC = -I"$$(cat $(LUAWASM_SRCDIR))/src" -I$(LUAWASM_DIR)/include

# The library, once per build of the core: scalar and SIMD (-msimd128).
LUAWASM_LIB_SRC := $(CORE_SRC) $(LUA_SRC) wasm/lua/lgaussreg_facade.c
LUAWASM_FACADE_H := $(LUAWASM_DIR)/include/gaussianreg_init_lua.h
luawasm_obj = $(LUAWASM_LIB_SRC:%.c=$(LUAWASM_DIR)/$(1)/%.o)
luawasm_lib = $(LUAWASM_LIBDIR)/$(if $(filter simd,$(1)),simd/)libgaussianreg_lua.a
LUAWASM_LIBS := $(call luawasm_lib,scalar) $(call luawasm_lib,simd)
LUAWASM_HEADERS := $(addprefix $(LUAWASM_LIBDIR)/include/,gaussianreg_lua.h lgaussreg.h gaussreg.h)
LUAWASM_SIMD_scalar :=
LUAWASM_SIMD_simd := $(EMFLAGS_SIMD)

# The modules: a WASI reactor (no main) exporting the glua_* functions of
# lua_host.c, malloc and free.
LUAWASM_HOST_SRC := wasm/lua/lua_host.c wasm/lua/lua_wasi.c
LUAWASM_LINK ?= --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH -sSUPPORT_LONGJMP=wasm \
                -sWASM_BIGINT -sTOTAL_STACK=1048576 -sEXPORTED_FUNCTIONS=_malloc,_free \
                --js-library wasm/lua/wasi_imports.js
luawasm_wasm = $(WASM_DIST)/gaussreg-lua$(if $(filter simd,$(1)),-simd).wasm
LUAWASM_WASM := $(call luawasm_wasm,scalar) $(call luawasm_wasm,simd)
# The JS side: the entries of "gaussianreg/lua", their core and types, the
# command (all copied into dist/ by mk/wasm.mk's pattern rule).
LUAWASM_JS := lua-core.js lua.js lua-node.js lua-inline.js lua.d.ts gaussianreg-lua.js lua-wasi-node.js
LUAWASM_OUT := $(LUAWASM_WASM) $(LUAWASM_WASM:%=%.js) $(addprefix $(WASM_DIST)/,$(LUAWASM_JS)) \
               $(LUAWASM_LIBS) $(LUAWASM_HEADERS)

.PHONY: luawasm test-luawasm
wasm: $(LUAWASM_OUT)
luawasm: wasm-deps $(LUAWASM_OUT)

$(LUAWASM_SRCDIR):
	@mkdir -p $(dir $@)
	bash scripts/lua-src.sh $(BUILD)/lua-src >$@.tmp
	@mv $@.tmp $@

$(LUAWASM_MULTIARCH):
	@mkdir -p $(dir $@)
	echo '#define DEB_HOST_MULTIARCH "wasm32-emscripten"' >$@

# Static pattern: the sources are named through the recorded directory.
$(LUAWASM_LUA_OBJ): $(LUAWASM_DIR)/lua/%.o: $(LUAWASM_SRCDIR) $(LUAWASM_MULTIARCH)
	@mkdir -p $(dir $@)
	$(EMCC_ENV) $(EMCC) $(LUAWASM_LUA_CFLAGS) $(LUAWASM_LUA_INC) \
	  -c "$$(cat $(LUAWASM_SRCDIR))/src/$*.c" -o $@

$(LUAWASM_FACADE_H): lua/gaussianreg/init.lua $(BUILD)/embed/bin2c
	@mkdir -p $(dir $@)
	$(BUILD)/embed/bin2c gaussianreg_init_lua $< $@

define luawasm_rules
$(LUAWASM_DIR)/$(1)/%.o: %.c $(CORE_HDR) $(LUA_HDR) wasm/lua/gaussianreg_lua.h \
                         $(LUAWASM_FACADE_H) $(LUAWASM_SRCDIR) $(LUAWASM_MULTIARCH)
	@mkdir -p $$(dir $$@)
	$$(EMCC_ENV) $$(EMCC) $$(EMFLAGS_C) $$(LUAWASM_SIMD_$(1)) -DGAUSSREG_API= -Isrc/lua -Iwasm/lua \
	  $$(LUAWASM_LUA_INC) -c $$< -o $$@

$(call luawasm_lib,$(1)): $(call luawasm_obj,$(1))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(EMCC_ENV) $$(EMAR) rcs $$@ $$^

# (emcc may leave its output behind when the link fails.)
$(call luawasm_wasm,$(1)): $(LUAWASM_HOST_SRC) wasm/lua/gaussianreg_lua.h wasm/lua/wasi_imports.js \
                           $(call luawasm_lib,$(1)) $(LUAWASM_LUA_OBJ)
	@mkdir -p $$(dir $$@)
	$$(EMCC_ENV) $$(EMCC) $$(EMFLAGS_C) $$(LUAWASM_SIMD_$(1)) -Isrc/lua -Iwasm/lua $$(LUAWASM_LUA_INC) \
	  $$(LUAWASM_LINK) $(LUAWASM_HOST_SRC) $(call luawasm_lib,$(1)) $(LUAWASM_LUA_OBJ) -o $$@ || \
	  { rm -f $$@; exit 1; }
endef
$(foreach b,scalar simd,$(eval $(call luawasm_rules,$(b))))

# lua-core.js gets the core's version written in, as core.js does.
$(WASM_DIST)/lua-core.js: wasm/src/lua-core.js src/gaussreg.h
	@mkdir -p $(dir $@)
	sed 's/@GAUSSREG_VERSION@/$(GAUSSREG_VERSION)/' $< >$@

$(LUAWASM_LIBDIR)/include/%.h: wasm/lua/%.h
	@mkdir -p $(dir $@)
	cp $< $@
$(LUAWASM_LIBDIR)/include/gaussreg.h: src/gaussreg.h
	@mkdir -p $(dir $@)
	cp $< $@
$(LUAWASM_LIBDIR)/include/lgaussreg.h: src/lua/lgaussreg.h
	@mkdir -p $(dir $@)
	cp $< $@

# ---------------------------------------------------------------------------
# The engine check: Lua 5.4 compiled again with Emscripten's default flags
# (its JavaScript setjmp/longjmp), spec/luawasm/engine_host.c (the README's
# two lines) linked with each archive into a normal Emscripten program (JS
# glue, in-memory file system holding the scripts).
LUAWASM_ENGINE_DIR := $(LUAWASM_DIR)/engine
LUAWASM_ENGINE_LUA_OBJ := $(LUAWASM_LUA_NAMES:%=$(LUAWASM_ENGINE_DIR)/lua/%.o)
luawasm_engine = $(LUAWASM_ENGINE_DIR)/engine-host-$(1).js
LUAWASM_ENGINE_FILES := --embed-file spec/portable/report.lua@/report.lua \
                        --embed-file examples/map_regression.lua@/map_regression.lua

$(LUAWASM_ENGINE_LUA_OBJ): $(LUAWASM_ENGINE_DIR)/lua/%.o: $(LUAWASM_SRCDIR) $(LUAWASM_MULTIARCH)
	@mkdir -p $(dir $@)
	$(EMCC_ENV) $(EMCC) -std=gnu99 -O2 -DLUA_COMPAT_5_3 $(LUAWASM_LUA_INC) \
	  -c "$$(cat $(LUAWASM_SRCDIR))/src/$*.c" -o $@

$(LUAWASM_ENGINE_DIR)/engine-host-%.js: spec/luawasm/engine_host.c $(LUAWASM_HEADERS) $(LUAWASM_LIBS) \
                                        $(LUAWASM_ENGINE_LUA_OBJ) spec/portable/report.lua examples/map_regression.lua
	@mkdir -p $(dir $@)
	$(EMCC_ENV) $(EMCC) -O2 $(LUAWASM_SIMD_$*) -I$(LUAWASM_LIBDIR)/include $(LUAWASM_LUA_INC) $< \
	  $(call luawasm_lib,$*) $(LUAWASM_ENGINE_LUA_OBJ) -sALLOW_MEMORY_GROWTH $(LUAWASM_ENGINE_FILES) -o $@

# ---------------------------------------------------------------------------
# make test-luawasm: the same scripts natively (Lua 5.4 and the module of
# mk/lua.mk) and in WebAssembly, outputs compared byte for byte (the MAP
# example's one line that names the kernels apart): gaussianreg-lua with each
# build, the engine host with each archive, and gaussianreg-lua from the
# packed tarball installed offline (npx, as a user runs it).
LUAWASM_OUT_DIR := $(LUAWASM_DIR)/test
LUAWASM_NATIVE := env -u LUA_INIT -u LUA_INIT_5_4 LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
                  LUA_CPATH='./$(BUILD)/lua5.4/?.so' $(LUA_BIN_5.4)
LUAWASM_CMD := $(NODE) wasm/dist/gaussianreg-lua.js
# Debian's emcc 3.1.6 glue fetch()es its .wasm when fetch exists (Node >= 18),
# which fails on a path.
LUAWASM_ENGINE_NODE := $(NODE) --no-experimental-fetch
LUAWASM_KERNELS_LINE := ^gaussianreg [0-9.]*, kernels: [a-z0-9]*$$

# The examples run both ways (and offered by the demo's Lua playground).
LUAWASM_EXAMPLES := map_regression prior_samples fit_hyper

# luawasm_same NAME, COMMAND, REFERENCE-FILE: COMMAND's stdout must equal the
# reference (and its stderr be empty).
luawasm_same = \
  $(2) >$(LUAWASM_OUT_DIR)/$(1).txt 2>$(LUAWASM_OUT_DIR)/$(1).err || \
    { cat $(LUAWASM_OUT_DIR)/$(1).err; echo "test-luawasm: $(1) failed"; exit 1; }; \
  test ! -s $(LUAWASM_OUT_DIR)/$(1).err || \
    { cat $(LUAWASM_OUT_DIR)/$(1).err; echo "test-luawasm: $(1) wrote to stderr"; exit 1; }; \
  grep -v '$(LUAWASM_KERNELS_LINE)' $(LUAWASM_OUT_DIR)/$(1).txt | \
    diff $(3) - >$(LUAWASM_OUT_DIR)/$(1).diff || \
    { cat $(LUAWASM_OUT_DIR)/$(1).diff; echo "test-luawasm: $(1): output differs from native Lua 5.4's (< native)"; exit 1; }; \
  echo "test-luawasm: $(1): $$(wc -l <$(3)) lines, = native Lua 5.4's"

test-luawasm: $(LUAWASM_OUT) $(WASM_OUT) $(call lua_so,5.4) $(call luawasm_engine,scalar) \
              $(call luawasm_engine,simd)
	@rm -rf $(LUAWASM_OUT_DIR) && mkdir -p $(LUAWASM_OUT_DIR)
	@$(LUAWASM_NATIVE) spec/portable/report.lua --portable >$(LUAWASM_OUT_DIR)/native-report.txt
	@grep -q "^== every instruction set" $(LUAWASM_OUT_DIR)/native-report.txt
	@! grep "^== isa .* differs" $(LUAWASM_OUT_DIR)/native-report.txt
	@set -e; for e in $(LUAWASM_EXAMPLES); do \
	  $(LUAWASM_NATIVE) examples/$$e.lua | grep -v '$(LUAWASM_KERNELS_LINE)' >$(LUAWASM_OUT_DIR)/native-$$e.txt; \
	done
	@set -e; R=$(LUAWASM_OUT_DIR)/native-report.txt; \
	$(call luawasm_same,report-simd,$(LUAWASM_CMD) spec/portable/report.lua --portable,$$R); \
	$(call luawasm_same,report-scalar,$(LUAWASM_CMD) --no-simd spec/portable/report.lua --portable,$$R); \
	for e in $(LUAWASM_EXAMPLES); do \
	  $(call luawasm_same,$$e-simd,$(LUAWASM_CMD) examples/$$e.lua,$(LUAWASM_OUT_DIR)/native-$$e.txt); \
	  $(call luawasm_same,$$e-scalar,$(LUAWASM_CMD) --no-simd examples/$$e.lua,$(LUAWASM_OUT_DIR)/native-$$e.txt); \
	done; \
	M=$(LUAWASM_OUT_DIR)/native-map_regression.txt; \
	for b in scalar simd; do \
	  $(call luawasm_same,engine-report-$$b,$(LUAWASM_ENGINE_NODE) $(LUAWASM_ENGINE_DIR)/engine-host-$$b.js /report.lua --portable,$$R); \
	  $(call luawasm_same,engine-map-$$b,$(LUAWASM_ENGINE_NODE) $(LUAWASM_ENGINE_DIR)/engine-host-$$b.js /map_regression.lua,$$M); \
	done
	@rm -rf $(LUAWASM_OUT_DIR)/pack && mkdir -p $(LUAWASM_OUT_DIR)/pack/app
	@cd wasm && $(NPM) pack --silent --pack-destination $(abspath $(LUAWASM_OUT_DIR))/pack >/dev/null
	@cd $(LUAWASM_OUT_DIR)/pack/app && echo '{"name":"app","private":true}' >package.json && \
	  $(NPM) install --offline --no-audit --no-fund --loglevel=error ../gaussianreg-*.tgz >/dev/null
	@set -e; M=$(LUAWASM_OUT_DIR)/native-map_regression.txt; \
	$(call luawasm_same,npx-map,sh -c 'cd $(LUAWASM_OUT_DIR)/pack/app && $(NPM) exec --offline -- gaussianreg-lua $(abspath examples/map_regression.lua)',$$M)

TEST_TARGETS += test-luawasm

# make check: the C of the Lua host, its WASI layer, the facade opener and
# the engine host, with clang-tidy (against Emscripten's sysroot, as emcc
# compiles them) and cppcheck.
LUAWASM_CHECK_SRC := $(wildcard wasm/lua/*.c) spec/luawasm/engine_host.c
.PHONY: check-luawasm
check-luawasm: $(LUAWASM_FACADE_H) $(LUAWASM_SRCDIR) $(LUAWASM_MULTIARCH)
	@bash scripts/deps.sh tools
	clang-tidy --quiet $(LUAWASM_CHECK_SRC) -- --target=wasm32-unknown-emscripten \
	  --sysroot="$$($(EMCC_ENV) em-config CACHE)/sysroot" -D__EMSCRIPTEN__ -std=c99 \
	  -Isrc -Isrc/lua -Iwasm/lua $(LUAWASM_LUA_INC)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --inline-suppr \
	  --std=c99 -Isrc -Isrc/lua -Iwasm/lua $(LUAWASM_CHECK_SRC)
CHECK_TARGETS += check-luawasm

# make bench-js also runs bench/lua/bench_wasm.lua natively for its ratios.
bench-js: $(call lua_so,$(LUA_MAIN))
bench-js: export GAUSSREG_LUA = $(LUA_BIN_$(LUA_MAIN))
bench-js: export GAUSSREG_LUA_CPATH = ./$(BUILD)/lua$(LUA_MAIN)/?.so

# The demo's Lua playground loads the examples from beside the page
# (copies, not committed: wasm/.gitignore).
LUAWASM_DEMO_EXAMPLES := $(LUAWASM_EXAMPLES:%=wasm/demo/examples/%.lua)
demo test-demo: $(LUAWASM_DEMO_EXAMPLES)
wasm/demo/examples/%.lua: examples/%.lua
	@mkdir -p $(dir $@)
	cp $< $@
