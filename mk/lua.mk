# The Lua module gaussianreg: C part gaussianreg.core (src/lua/lgaussreg.c + the
# core sources) built once per interpreter, Lua facade lua/gaussianreg/init.lua.
#
#   make lua            the module for every interpreter in LUA_VERSIONS
#   make test-lua       busted suite under each interpreter, then once per
#                       forced instruction set (lua5.4), luarocks install check
#   make luacheck       luacheck on every Lua file
#   make example        scripts/deps.sh core lua, then examples/map_regression.lua
#   make bench-lua      pure-Lua vs module ratios, n = 1e6
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
# The core compiled again for the module: GAUSSREG_API empty, so that the
# .so exports luaopen_gaussianreg_core only.
LUA_CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/lua/obj/%.o)
lua_so = $(BUILD)/lua$(1)/gaussianreg/core.so
LUA_SO := $(foreach v,$(LUA_VERSIONS),$(call lua_so,$(v)))

.PHONY: lua test-lua test-lua-isa test-lua-rock luacheck example bench-lua

all: lua
lua: $(LUA_SO)

$(BUILD)/lua/obj/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -DGAUSSREG_API= $(CFLAGS) -c $< -o $@

define lua_module_rules
$(BUILD)/lua$(1)/lgaussreg.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CORE_CFLAGS) $$(PIC_CFLAGS) -I$$(LUA_INC_$(1)) $$(CFLAGS) -c $$< -o $$@

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

# Both rockspecs (the release and scm) must list exactly CORE_SRC and the
# binding, and pass luarocks lint; the release one is then installed with
# luarocks make, from a copy of the sources (builtin drops objects next to
# them), into a temporary tree, and loaded from there.
LUA_ROCK_DIR := $(BUILD)/rockcheck
LUA_ROCKSPECS := $(sort $(wildcard rockspec/*.rockspec))
LUA_ROCKSPEC_RELEASE := rockspec/gaussianreg-$(GAUSSREG_VERSION)-1.rockspec
test-lua-rock:
	@set -e; for r in $(LUA_ROCKSPECS); do \
	  $(LUA_BIN_5.4) spec/rockcheck.lua sources $$r $(CORE_SRC) $(LUA_SRC); \
	  $(LUAROCKS) lint $$r; done
	@rm -rf $(LUA_ROCK_DIR) && mkdir -p $(LUA_ROCK_DIR)/src
	@cp -r src lua rockspec spec $(LUA_ROCK_DIR)/src/
	cd $(LUA_ROCK_DIR)/src && $(LUAROCKS) --lua-version=5.4 make --tree=../tree \
	  $(LUA_ROCKSPEC_RELEASE) >../luarocks.log 2>&1 || { cat ../luarocks.log; exit 1; }
	$(LUA_BIN_5.4) spec/rockcheck.lua load $(LUA_ROCK_DIR)/tree

luacheck:
	@command -v $(LUACHECK) >/dev/null || scripts/deps.sh tools
	$(LUACHECK) -q $(LUA_LUA)

example:
	scripts/deps.sh core lua
	$(MAKE) --no-print-directory $(call lua_so,5.4)
	LUA_CPATH='./$(BUILD)/lua5.4/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
	  $(LUA_BIN_5.4) examples/map_regression.lua

bench-lua: $(call lua_so,$(LUA_MAIN))
	LUA_CPATH='./$(BUILD)/lua$(LUA_MAIN)/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
	  $(LUA_BIN_$(LUA_MAIN)) bench/lua/bench.lua

TEST_TARGETS += test-lua
BENCH_TARGETS += bench-lua
CHECK_TARGETS += luacheck
