# Lua in WebAssembly (issue 12): Lua 5.4 (from Debian's source package,
# scripts/lua-src.sh; nothing of Lua is committed) and the gaussianreg module
# compiled by emcc into standalone wasm modules, the static library an
# engine's Emscripten build links, and the gaussianreg-lua command.
#
#   make luawasm        (part of make wasm) wasm/dist/gaussreg-lua.wasm and
#                       gaussreg-lua-simd.wasm (+ their base64 modules), and
#                       $(BUILD)/wasm/: libgaussianreg_lua.a (scalar core),
#                       simd/libgaussianreg_lua.a (wasm SIMD core),
#                       include/gaussianreg_lua.h + gaussreg.h
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
# Lua's own flags (its Makefile: -std=gnu99 -O2 -DLUA_COMPAT_5_3, as in
# Debian's lua5.4), ISO C only (no LUA_USE_POSIX: no popen, no dlopen), and
# Lua's errors as wasm exceptions (-sSUPPORT_LONGJMP=wasm; without it the
# module would import Emscripten's JavaScript invoke_* glue). Modules are
# found in the host's current directory only.
LUAWASM_LUA_CFLAGS ?= -std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -sSUPPORT_LONGJMP=wasm \
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
LUAWASM_HEADERS := $(LUAWASM_LIBDIR)/include/gaussianreg_lua.h $(LUAWASM_LIBDIR)/include/gaussreg.h
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
	$$(EMCC_ENV) $$(EMCC) $$(EMFLAGS_C) $$(LUAWASM_SIMD_$(1)) -DGAUSSREG_API= -Iwasm/lua \
	  $$(LUAWASM_LUA_INC) -c $$< -o $$@

$(call luawasm_lib,$(1)): $(call luawasm_obj,$(1))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(EMCC_ENV) $$(EMAR) rcs $$@ $$^

# (emcc may leave its output behind when the link fails.)
$(call luawasm_wasm,$(1)): $(LUAWASM_HOST_SRC) wasm/lua/gaussianreg_lua.h wasm/lua/wasi_imports.js \
                           $(call luawasm_lib,$(1)) $(LUAWASM_LUA_OBJ)
	@mkdir -p $$(dir $$@)
	$$(EMCC_ENV) $$(EMCC) $$(EMFLAGS_C) $$(LUAWASM_SIMD_$(1)) -Iwasm/lua $$(LUAWASM_LUA_INC) \
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

TEST_TARGETS += test-luawasm
