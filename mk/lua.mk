# The Lua module gaussianreg: C part gaussianreg.core (src/lua/lgaussreg.c + the
# core sources) built once per interpreter, Lua facade lua/gaussianreg/init.lua.
#
#   make lua            the module for every interpreter in LUA_VERSIONS
#   make test-lua       busted suite under each interpreter, then once per
#                       forced instruction set (lua5.4), luarocks install check
#   make luacheck       luacheck on every Lua file
#   make example        scripts/deps.sh core lua, then examples/map_regression.lua
#   make bench-lua      pure-Lua vs module ratios, n = 1e6; under LuaJIT, the
#                       module on FFI views vs LuaJIT loops, out= vs allocating
#
# Interpreters are named 5.4 5.3 5.2 5.1 jit; each has a binary, a header
# directory and a build directory $(BUILD)/lua<name>/gaussianreg/core.so.

LUA_VERSIONS ?= 5.4 5.3 5.2 5.1 jit
LUA_BIN_5.4 ?= lua5.4
LUA_BIN_5.3 ?= lua5.3
LUA_BIN_5.2 ?= lua5.2
LUA_BIN_5.1 ?= lua5.1
LUA_BIN_jit ?= luajit
LUA_INC_5.4 ?= /usr/include/lua5.4
LUA_INC_5.3 ?= /usr/include/lua5.3
LUA_INC_5.2 ?= /usr/include/lua5.2
LUA_INC_5.1 ?= /usr/include/lua5.1
LUA_INC_jit ?= /usr/include/luajit-2.1
BUSTED ?= busted
LUACHECK ?= luacheck
LUAROCKS ?= luarocks
# Instruction sets the suite is rerun under (those this CPU lacks are skipped).
LUA_TEST_ISAS ?= scalar sse2 avx2 neon
# The interpreter of those reruns, of the example and of the benchmarks.
LUA_MAIN ?= 5.4

LUA_SRC := src/lua/lgaussreg.c
LUA_HDR := $(wildcard src/lua/*.h)
LUA_LUA := $(sort $(wildcard lua/gaussianreg/*.lua spec/*.lua examples/*.lua bench/lua/*.lua rockspec/*.rockspec))
# The core compiled again for the module, with plain -fPIC as LuaRocks does:
# the sources themselves hide the core (no GAUSSREG_SHARED) and the
# binding's helpers, so the .so exports luaopen_gaussianreg_core only
# (make test-visibility checks it).
LUA_CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/lua/obj/%.o)
lua_so = $(BUILD)/lua$(1)/gaussianreg/core.so
LUA_SO := $(foreach v,$(LUA_VERSIONS),$(call lua_so,$(v)))

.PHONY: lua test-lua test-lua-isa test-lua-rock luacheck example bench-lua

all: lua
lua: $(LUA_SO)

$(BUILD)/lua/obj/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -fPIC $(CFLAGS) -c $< -o $@

define lua_module_rules
$(BUILD)/lua$(1)/lgaussreg.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CORE_CFLAGS) -fPIC -I$$(LUA_INC_$(1)) $$(CFLAGS) -c $$< -o $$@

$(call lua_so,$(1)): $(BUILD)/lua$(1)/lgaussreg.o $(LUA_CORE_OBJ)
	@mkdir -p $$(dir $$@)
	$$(CC) -shared $$(CFLAGS) -o $$@ $$^ -lm
endef
$(foreach v,$(LUA_VERSIONS),$(eval $(call lua_module_rules,$(v))))

# busted re-executes itself under --lua; --cpath points require at the build
# of that interpreter, .busted supplies lpath (lua/, spec/).
lua_busted = $(BUSTED) --lua=$(LUA_BIN_$(1)) --cpath='./$(BUILD)/lua$(1)/?.so'

test-lua: $(LUA_SO) luacheck test-lua-isa test-lua-rock
	@set -e; for v in $(LUA_VERSIONS); do \
	  case $$v in \
	    5.4) b=$(LUA_BIN_5.4);; 5.3) b=$(LUA_BIN_5.3);; 5.2) b=$(LUA_BIN_5.2);; \
	    5.1) b=$(LUA_BIN_5.1);; jit) b=$(LUA_BIN_jit);; *) b=lua$$v;; esac; \
	  echo "== busted under $$b"; \
	  $(BUSTED) --lua=$$b --cpath="./$(BUILD)/lua$$v/?.so" -o utfTerminal; \
	done

# The whole suite again with every object forced onto one instruction set
# (spec/helpers.lua reads GAUSSREG_TEST_ISA); GAUSSREG_TEST_QUICK shortens
# the memory-stability loops there.
test-lua-isa: $(call lua_so,$(LUA_MAIN))
	@set -e; for isa in $(LUA_TEST_ISAS); do \
	  if $(LUA_BIN_$(LUA_MAIN)) -e "package.cpath='./$(BUILD)/lua$(LUA_MAIN)/?.so' \
	      os.exit(require('gaussianreg.core').isa_supported('$$isa') and 0 or 1)"; then \
	    echo "== busted under $(LUA_BIN_$(LUA_MAIN)), isa $$isa"; \
	    GAUSSREG_TEST_ISA=$$isa GAUSSREG_TEST_QUICK=1 $(call lua_busted,$(LUA_MAIN)) -o utfTerminal; \
	  else echo "== isa $$isa not available here: skipped"; fi; \
	done

# Both rockspecs (the release and scm) build with rockspec/rock.mk, list
# exactly CORE_SRC and the binding for Windows, and pass luarocks lint. Then,
# in a copy of the sources (src, lua, rockspec), `luarocks make` installs the
# release rockspec for Lua 5.4 and the scm one for Lua 5.1 into trees of
# their own, and the test checks: the copy gained no file outside build/
# (nothing next to the sources, no ./gaussianreg/core.so at its root); each
# tree holds exactly gaussianreg/init.lua and gaussianreg/core.so where Lua
# looks for modules (no C file, header or object); the module exports only
# luaopen_gaussianreg_core; and it loads and computes.
LUA_ROCK_DIR := $(BUILD)/rockcheck
LUA_ROCKSPECS := $(sort $(wildcard rockspec/*.rockspec))
LUA_ROCKSPEC_RELEASE := rockspec/gaussianreg-$(GAUSSREG_VERSION)-1.rockspec
LUA_ROCKSPEC_SCM := rockspec/gaussianreg-scm-1.rockspec
LUA_ROCK_SO := $(LUA_ROCK_DIR)/tree-5.4/lib/lua/5.4/gaussianreg/core.so $(LUA_ROCK_DIR)/tree-5.1/lib/lua/5.1/gaussianreg/core.so
lua_rock_make = cd $(LUA_ROCK_DIR)/src && $(LUAROCKS) --lua-version=$(1) make --tree=../tree-$(1) \
  $(2) >../luarocks-$(1).log 2>&1 || { cat ../luarocks-$(1).log; exit 1; }
test-lua-rock:
	@set -e; for r in $(LUA_ROCKSPECS); do \
	  $(LUA_BIN_5.4) spec/rockcheck.lua sources $$r $(CORE_SRC) $(LUA_SRC); \
	  $(LUAROCKS) lint $$r; done
	@rm -rf $(LUA_ROCK_DIR) && mkdir -p $(LUA_ROCK_DIR)/src
	@cp -r src lua rockspec $(LUA_ROCK_DIR)/src/
	@cd $(LUA_ROCK_DIR)/src && find . -type f | sort >../files-before
	$(call lua_rock_make,5.4,$(LUA_ROCKSPEC_RELEASE))
	$(call lua_rock_make,5.1,$(LUA_ROCKSPEC_SCM))
	@cd $(LUA_ROCK_DIR)/src && find . -type f ! -path './build/*' | sort >../files-after
	@diff $(LUA_ROCK_DIR)/files-before $(LUA_ROCK_DIR)/files-after || \
	  { echo "test-lua-rock: luarocks make left files outside build/ in the sources"; exit 1; }
	@echo "luarocks make: no file added to the sources outside build/"
	$(LUA_BIN_5.4) spec/rockcheck.lua installed $(LUA_ROCK_DIR)/tree-5.4
	$(LUA_BIN_5.1) spec/rockcheck.lua installed $(LUA_ROCK_DIR)/tree-5.1
	@set -e; for so in $(LUA_ROCK_SO); do \
	  got=$$(nm -D --defined-only $$so | awk '{print $$NF}' | grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$$' | tr '\n' ' '); \
	  test "$$got" = "luaopen_gaussianreg_core " || { echo "$$so exports: $$got"; exit 1; }; \
	  echo "$$so exports luaopen_gaussianreg_core only"; done
	$(LUA_BIN_5.4) spec/rockcheck.lua load $(LUA_ROCK_DIR)/tree-5.4
	$(LUA_BIN_5.1) spec/rockcheck.lua load $(LUA_ROCK_DIR)/tree-5.1

luacheck:
	@command -v $(LUACHECK) >/dev/null || scripts/deps.sh tools
	$(LUACHECK) -q $(LUA_LUA)

example:
	scripts/deps.sh core lua
	$(MAKE) --no-print-directory $(call lua_so,5.4)
	LUA_CPATH='./$(BUILD)/lua5.4/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
	  $(LUA_BIN_5.4) examples/map_regression.lua

# Then, under LuaJIT, the module on views of FFI buffers against LuaJIT
# loops over the same buffers, and grad with out= against grad allocating.
bench-lua: $(call lua_so,$(LUA_MAIN)) $(call lua_so,jit)
	LUA_CPATH='./$(BUILD)/lua$(LUA_MAIN)/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
	  $(LUA_BIN_$(LUA_MAIN)) bench/lua/bench.lua
	LUA_CPATH='./$(BUILD)/luajit/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
	  $(LUA_BIN_jit) bench/lua/bench_views.lua

TEST_TARGETS += test-lua
BENCH_TARGETS += bench-lua
CHECK_TARGETS += luacheck
