# Windows (issue 16): the core, its C tests, Lua 5.4 and the Lua module
# cross-built for 64-bit Windows with MinGW-w64, and run under Wine.
#
#   make windows        build/windows/: gaussreg.dll (+ libgaussreg.dll.a,
#                       gaussreg.def), libgaussreg.a, the C tests (*.exe),
#                       lua54.dll + lua.exe (Lua 5.4 from Debian's source
#                       package, scripts/lua-src.sh), and the module as
#                       gaussianreg/core.dll + gaussianreg/init.lua; under
#                       luajit/: LuaJIT (lua51.dll, luajit.exe, from Debian's
#                       source package too) and the module built against it,
#                       the one LÖVE and other LuaJIT engines load
#   make test-windows   the above; the DLLs' export tables; every C test
#                       under Wine, its output equal to the Linux build's;
#                       spec/portable/report.lua under Wine's lua.exe and
#                       luajit.exe, and the MAP example under lua.exe, their
#                       output equal to native Lua 5.4's and LuaJIT's
#
# Everything is built with the project's flags (CORE_CFLAGS: the full
# warning set and -Werror) except Lua itself, which gets Lua's own (its
# Makefile's mingw target). Wine runs in a prefix of its own under
# build/windows/wineprefix, created once and reused.

WIN_CROSS ?= x86_64-w64-mingw32-
WIN_CC ?= $(WIN_CROSS)gcc
WIN_AR ?= $(WIN_CROSS)ar
WIN_OBJDUMP ?= $(WIN_CROSS)objdump
WIN_CFLAGS ?= $(OPT)
# Debian installs the loader outside PATH.
WINE ?= $(or $(wildcard /usr/lib/wine/wine64),wine64)
WINESERVER ?= $(or $(wildcard /usr/lib/wine/wineserver64),wineserver)

WIN_DIR := $(BUILD)/windows
WIN_PREFIX := $(abspath $(WIN_DIR)/wineprefix)
# No display, no Mono/Gecko installers, no debug channels.
WIN_ENV := env -u DISPLAY -u WAYLAND_DISPLAY WINEPREFIX=$(WIN_PREFIX) WINEDEBUG=-all \
           WINEDLLOVERRIDES='mscoree,mshtml='
# Programs are linked statically to libgcc and winpthreads, so a Windows
# machine needs only the DLLs built here (and its own kernel32/msvcrt).
WIN_LDFLAGS := -static-libgcc

# The core: gaussreg.dll exports the GAUSSREG_API functions (dllexport);
# the static library and the Lua module use objects without it.
WIN_DLL := $(WIN_DIR)/gaussreg.dll
WIN_IMPLIB := $(WIN_DIR)/libgaussreg.dll.a
WIN_DEF := $(WIN_DIR)/gaussreg.def
WIN_LIB := $(WIN_DIR)/libgaussreg.a
WIN_DLL_OBJ := $(CORE_SRC:%.c=$(WIN_DIR)/obj-dll/%.o)
WIN_OBJ := $(CORE_SRC:%.c=$(WIN_DIR)/obj/%.o)

# C tests: those that use only the public header link gaussreg.dll (so the
# DLL's exports are what they test), the others the static library.
WIN_TEST_NAMES := $(C_TEST_SRC:spec/c/%.c=%)
WIN_TEST_INTERNAL := $(basename $(notdir $(shell grep -l gaussreg_internal.h $(C_TEST_SRC))))
WIN_TESTS := $(WIN_TEST_NAMES:%=$(WIN_DIR)/%.exe)

# Lua 5.4 for Windows, from the source scripts/lua-src.sh unpacks; the
# object lists are those of Lua's src/Makefile (CORE_O, LIB_O).
WIN_LUA_SRCDIR := $(WIN_DIR)/lua-src.dir
WIN_LUA_CFLAGS ?= -std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_BUILD_AS_DLL
WIN_LUA_NAMES := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject \
                 lopcodes lparser lstate lstring ltable ltm lundump lvm lzio \
                 lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib \
                 lstrlib ltablib lutf8lib linit
WIN_LUA_OBJ := $(WIN_LUA_NAMES:%=$(WIN_DIR)/lua54/%.o)
WIN_LUA_DLL := $(WIN_DIR)/lua54.dll
WIN_LUA_IMPLIB := $(WIN_DIR)/liblua54.dll.a
WIN_LUA_EXE := $(WIN_DIR)/lua.exe

# The module: gaussianreg/core.dll (binding + core, against lua54.dll) and
# the façade beside it, the layout Lua's default Windows paths search
# (!\?.dll and !\?\init.lua, ! being lua.exe's directory).
WIN_MOD := $(WIN_DIR)/gaussianreg/core.dll
WIN_FACADE := $(WIN_DIR)/gaussianreg/init.lua

# LuaJIT for Windows (its own Makefile, cross mode, in a copy of the
# source tree) and the module against its lua51.dll, in LuaJIT's default
# Windows layout: !\?.dll for C modules, !\lua\?\init.lua for Lua ones.
WIN_LJ_SRCDIR := $(WIN_DIR)/luajit-src.dir
WIN_LJ_TREE := $(WIN_DIR)/luajit-build
WIN_LJ_DIR := $(WIN_DIR)/luajit
WIN_LJ_EXE := $(WIN_LJ_DIR)/luajit.exe
WIN_LJ_IMPLIB := $(WIN_LJ_DIR)/libluajit-5.1.dll.a
WIN_LJ_MOD := $(WIN_LJ_DIR)/gaussianreg/core.dll
WIN_LJ_FACADE := $(WIN_LJ_DIR)/lua/gaussianreg/init.lua

WIN_ALL := $(WIN_DLL) $(WIN_LIB) $(WIN_TESTS) $(WIN_LUA_EXE) $(WIN_MOD) $(WIN_FACADE) \
           $(WIN_LJ_EXE) $(WIN_LJ_MOD) $(WIN_LJ_FACADE)

.PHONY: windows test-windows windows-run
windows:
	@bash scripts/deps.sh windows
	@$(MAKE) --no-print-directory $(WIN_ALL)

$(WIN_DIR)/obj-dll/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(CORE_CFLAGS) -DGAUSSREG_BUILD_DLL $(WIN_CFLAGS) -c $< -o $@

$(WIN_DIR)/obj/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(CORE_CFLAGS) $(WIN_CFLAGS) -c $< -o $@

# gaussreg.def lets MSVC users make an import library: lib /def:gaussreg.def
$(WIN_DLL): $(WIN_DLL_OBJ)
	$(WIN_CC) -shared -s $(WIN_LDFLAGS) -o $@ $^ -lm \
	  -Wl,--out-implib,$(WIN_IMPLIB) -Wl,--output-def,$(WIN_DEF)
$(WIN_IMPLIB) $(WIN_DEF): $(WIN_DLL)

$(WIN_LIB): $(WIN_OBJ)
	@rm -f $@
	$(WIN_AR) rcs $@ $^

$(WIN_DIR)/test_%.exe: spec/c/test_%.c $(wildcard spec/c/*.h) $(WIN_DLL) $(WIN_LIB)
	$(WIN_CC) $(PROG_CFLAGS) -Ispec/c $(WIN_CFLAGS) $(WIN_LDFLAGS) -static \
	  $(if $(filter test_$*,$(WIN_TEST_INTERNAL)),$< $(WIN_LIB),$< $(WIN_IMPLIB)) \
	  -lm -lpthread -o $@

$(WIN_LUA_SRCDIR):
	@mkdir -p $(dir $@)
	bash scripts/lua-src.sh $(BUILD)/lua-src >$@.tmp
	@mv $@.tmp $@

# Static pattern: the sources are named through the directory recorded in
# $(WIN_LUA_SRCDIR) (Lua's version is in the path), and never change.
$(WIN_LUA_OBJ) $(WIN_DIR)/lua54/lua.o: $(WIN_DIR)/lua54/%.o: $(WIN_LUA_SRCDIR)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_LUA_CFLAGS) -c "$$(cat $(WIN_LUA_SRCDIR))/src/$*.c" -o $@

$(WIN_LUA_DLL): $(WIN_LUA_OBJ)
	$(WIN_CC) -shared -s $(WIN_LDFLAGS) -o $@ $^ -Wl,--out-implib,$(WIN_LUA_IMPLIB)
$(WIN_LUA_IMPLIB): $(WIN_LUA_DLL)

$(WIN_LUA_EXE): $(WIN_DIR)/lua54/lua.o $(WIN_LUA_IMPLIB)
	$(WIN_CC) -s $(WIN_LDFLAGS) -o $@ $^

# The binding against the Lua it is linked with (dllimport of the Lua API).
$(WIN_DIR)/lgaussreg.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h $(WIN_LUA_SRCDIR)
	$(WIN_CC) $(CORE_CFLAGS) -DLUA_BUILD_AS_DLL -I"$$(cat $(WIN_LUA_SRCDIR))/src" \
	  $(WIN_CFLAGS) -c $< -o $@

$(WIN_MOD): $(WIN_DIR)/lgaussreg.o $(WIN_OBJ) $(WIN_LUA_IMPLIB)
	@mkdir -p $(dir $@)
	$(WIN_CC) -shared -s $(WIN_LDFLAGS) -o $@ $^ -lm

$(WIN_FACADE) $(WIN_LJ_FACADE): lua/gaussianreg/init.lua
	@mkdir -p $(dir $@)
	cp $< $@

$(WIN_LJ_SRCDIR):
	@mkdir -p $(dir $@)
	LUA_SRC_PACKAGE=luajit bash scripts/lua-src.sh $(BUILD)/lua-src >$@.tmp
	@mv $@.tmp $@

# LuaJIT's Makefile must not see this make's command-line variables.
$(WIN_LJ_EXE): $(WIN_LJ_SRCDIR)
	@rm -rf $(WIN_LJ_TREE) && mkdir -p $(WIN_LJ_DIR)
	cp -r "$$(cat $<)" $(WIN_LJ_TREE)
	env -u MAKEFLAGS -u MFLAGS $(MAKE) -C $(WIN_LJ_TREE)/src HOST_CC="$(CC)" \
	  CROSS=$(WIN_CROSS) TARGET_SYS=Windows BUILDMODE=dynamic amalg \
	  >$(WIN_LJ_TREE)/build.log 2>&1 || { tail -n 30 $(WIN_LJ_TREE)/build.log; exit 1; }
	cp $(WIN_LJ_TREE)/src/luajit.exe $(WIN_LJ_TREE)/src/lua51.dll \
	  $(WIN_LJ_TREE)/src/libluajit-5.1.dll.a $(WIN_LJ_DIR)/
$(WIN_LJ_IMPLIB): $(WIN_LJ_EXE)

$(WIN_DIR)/lgaussreg-jit.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h $(WIN_LJ_SRCDIR)
	$(WIN_CC) $(CORE_CFLAGS) -DLUA_BUILD_AS_DLL -I"$$(cat $(WIN_LJ_SRCDIR))/src" \
	  $(WIN_CFLAGS) -c $< -o $@

$(WIN_LJ_MOD): $(WIN_DIR)/lgaussreg-jit.o $(WIN_OBJ) $(WIN_LJ_IMPLIB)
	@mkdir -p $(dir $@)
	$(WIN_CC) -shared -s $(WIN_LDFLAGS) -o $@ $^ -lm

# Wine's first start builds the prefix (seconds); later runs reuse it.
$(WIN_PREFIX)/.ready:
	@mkdir -p $(WIN_PREFIX)
	@$(WIN_ENV) $(WINE) wineboot --init >$(WIN_DIR)/wineboot.log 2>&1 && \
	  $(WIN_ENV) $(WINESERVER) -w || { cat $(WIN_DIR)/wineboot.log; exit 1; }
	@touch $@

# Runs a Windows program under Wine, and the same job natively, and wants
# the same stdout (\r stripped): win_same NAME, WINDOWS-COMMAND, NATIVE-COMMAND
win_same = \
  $(WIN_ENV) $(2) >$(WIN_DIR)/$(1).out 2>$(WIN_DIR)/$(1).err || \
    { cat $(WIN_DIR)/$(1).err; echo "test-windows: $(1) failed under Wine"; exit 1; }; \
  tr -d '\r' <$(WIN_DIR)/$(1).out >$(WIN_DIR)/$(1).windows.txt; \
  $(3) >$(WIN_DIR)/$(1).linux.txt 2>$(WIN_DIR)/$(1).linux.err || \
    { cat $(WIN_DIR)/$(1).linux.err; echo "test-windows: $(1) failed natively"; exit 1; }; \
  diff $(WIN_DIR)/$(1).linux.txt $(WIN_DIR)/$(1).windows.txt || \
    { echo "test-windows: $(1): Windows output differs from Linux (above: < Linux, > Windows)"; exit 1; }

WIN_LUA_ENV := LUA_PATH='./lua/?.lua;./lua/?/init.lua' LUA_CPATH='$(BUILD)/lua5.4/?.so'
WIN_LUA_UNSET := env -u LUA_INIT -u LUA_INIT_5_4 -u LUA_PATH -u LUA_PATH_5_4 -u LUA_CPATH -u LUA_CPATH_5_4

windows-run: $(WIN_ALL) $(WIN_PREFIX)/.ready $(C_TEST_BIN) $(call lua_so,5.4) $(call lua_so,jit)
	@OBJDUMP=$(WIN_OBJDUMP) bash scripts/check_pe_exports.sh $(WIN_DLL) --header src/gaussreg.h
	@OBJDUMP=$(WIN_OBJDUMP) bash scripts/check_pe_exports.sh $(WIN_MOD) luaopen_gaussianreg_core
	@OBJDUMP=$(WIN_OBJDUMP) bash scripts/check_pe_exports.sh $(WIN_LJ_MOD) luaopen_gaussianreg_core
	@set -e; for t in $(WIN_TEST_NAMES); do \
	  $(call win_same,$$t,$(WINE) $(WIN_DIR)/$$t.exe,$(BUILD)/$$t); \
	  echo "test-windows: $$t.exe under Wine: $$(tail -n 1 $(WIN_DIR)/$$t.windows.txt), output = Linux's"; \
	done
	@set -e; \
	$(call win_same,report,$(WIN_LUA_UNSET) LUA_PATH='$(WIN_DIR)/?.lua;$(WIN_DIR)/?/init.lua' \
	  LUA_CPATH='$(WIN_DIR)/?.dll' $(WINE) $(WIN_LUA_EXE) spec/portable/report.lua, \
	  $(WIN_LUA_UNSET) $(WIN_LUA_ENV) $(LUA_BIN_5.4) spec/portable/report.lua); \
	echo "test-windows: spec/portable/report.lua under Wine: $$(wc -l <$(WIN_DIR)/report.linux.txt) lines, = Linux's"
	@set -e; \
	$(call win_same,map_regression,$(WIN_LUA_UNSET) $(WINE) $(WIN_LUA_EXE) examples/map_regression.lua, \
	  $(WIN_LUA_UNSET) $(WIN_LUA_ENV) $(LUA_BIN_5.4) examples/map_regression.lua); \
	echo "test-windows: examples/map_regression.lua under Wine (default paths): $$(wc -l <$(WIN_DIR)/map_regression.linux.txt) lines, = Linux's"
	@set -e; \
	$(call win_same,report-jit,$(WIN_LUA_UNSET) $(WINE) $(WIN_LJ_EXE) spec/portable/report.lua, \
	  $(WIN_LUA_UNSET) LUA_PATH='./lua/?.lua;./lua/?/init.lua' LUA_CPATH='$(BUILD)/luajit/?.so' \
	  $(LUA_BIN_jit) spec/portable/report.lua); \
	echo "test-windows: spec/portable/report.lua under Wine's luajit.exe (default paths): $$(wc -l <$(WIN_DIR)/report-jit.linux.txt) lines, = Linux LuaJIT's"

# Skipped only when the cross tools are missing and cannot be installed.
test-windows: $(C_TEST_BIN) $(call lua_so,5.4) $(call lua_so,jit)
	@if bash scripts/deps.sh windows || \
	    { command -v $(WIN_CC) && command -v $(WINE); } >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory windows-run; \
	else echo "test-windows: skipped: no $(WIN_CC) or $(WINE), and scripts/deps.sh windows could not install them"; fi

TEST_TARGETS += test-windows
LUA_LUA += $(wildcard spec/portable/*.lua)
