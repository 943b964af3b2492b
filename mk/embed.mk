# Engine embedding (issue 6): a C host with Lua 5.4 and gaussianreg linked in
# statically, the LÖVE example, the thread-safety test under ThreadSanitizer,
# and the exported-symbol check of the libraries.
#
#   make embed-example   build and run examples/embed (Lua 5.4 host + C API)
#   make test-embed      the same, checking its output
#   make test-love       examples/love under Xvfb (screenshot, loss, pixels),
#                        and its model under plain LuaJIT
#   make test-tsan       spec/c/test_threads.c and test_parallel.c (the object's
#                        own threads, executors) + core built with clang -fsanitize=thread
#   make test-visibility libgaussreg.so exports exactly the GAUSSREG_API functions
#   make luacheck-embed  luacheck on the examples' Lua files (part of make check)
#
# The module objects come from mk/lua.mk's per-interpreter builds:
# $(BUILD)/lua5.4/lgaussreg.o for the host, $(BUILD)/luajit/gaussianreg/core.so
# for LÖVE (so LUA_VERSIONS must keep 5.4 and jit).

EMBED_DIR := $(BUILD)/embed
EMBED_BIN := $(EMBED_DIR)/embed-example
EMBED_LUA_INC ?= /usr/include/lua5.4
# Lua itself is linked statically too, as engines do (liblua5.4-dev ships
# the archive); override with EMBED_LUA_LIBS=-llua5.4 for the shared one.
EMBED_LUA_LIBS ?= -Wl,-Bstatic -llua5.4 -Wl,-Bdynamic
EMBED_LIBS := $(EMBED_DIR)/libgaussianreg_lua.a $(LIBGAUSSREG_A)
EMBED_FACADE := lua/gaussianreg/init.lua

LOVE ?= love
XVFB_RUN ?= xvfb-run
LOVE_DIR := $(BUILD)/love
LOVE_MODULE := $(call lua_so,jit)
LUAJIT ?= luajit

TSAN_CC ?= clang
TSAN_BUILD := $(BUILD)/tsan

.PHONY: embed-example test-embed test-love test-tsan test-visibility luacheck-embed

# bin2c runs on the build machine: the host compiler, no project flags needed
# beyond the warnings.
$(EMBED_DIR)/bin2c: examples/embed/bin2c.c
	@mkdir -p $(dir $@)
	$(CC) -std=c99 $(WARN) $(CFLAGS) $< -o $@

$(EMBED_DIR)/gaussianreg_init_lua.h: $(EMBED_FACADE) $(EMBED_DIR)/bin2c
	$(EMBED_DIR)/bin2c gaussianreg_init_lua $< $@

# The native half of the Lua module as a static library for the host.
$(EMBED_DIR)/libgaussianreg_lua.a: $(BUILD)/lua5.4/lgaussreg.o
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^

$(EMBED_BIN): examples/embed/embed.c $(EMBED_DIR)/gaussianreg_init_lua.h \
              $(EMBED_LIBS) src/gaussreg.h
	$(CC) $(PROG_CFLAGS) -I$(EMBED_LUA_INC) -I$(EMBED_DIR) $(CFLAGS) \
	  $< $(EMBED_LIBS) $(EMBED_LUA_LIBS) -lm -ldl -o $@

embed-example:
	@bash scripts/deps.sh core lua
	@$(MAKE) --no-print-directory $(EMBED_BIN)
	$(EMBED_BIN) examples/embed/script.lua

# The example checks itself (exit status); here also that both halves ran
# and that the two allocators ended at zero. Build dependencies are plain
# prerequisites (safe under make -j; scripts/deps.sh core lua provides them).
test-embed: $(EMBED_BIN)
	@$(EMBED_BIN) examples/embed/script.lua >$(EMBED_DIR)/out.txt 2>&1 || \
	  { cat $(EMBED_DIR)/out.txt; exit 1; }
	@cat $(EMBED_DIR)/out.txt
	@grep -q '^lua: [0-9]* checks passed$$' $(EMBED_DIR)/out.txt
	@grep -q '^lua state: .* 0 bytes in 0 blocks after lua_close$$' $(EMBED_DIR)/out.txt
	@grep -q '^C API: .* 0 bytes in 0 blocks after destroy$$' $(EMBED_DIR)/out.txt
	@grep -q '^embed-example: [0-9]* passed, 0 failed$$' $(EMBED_DIR)/out.txt
	@echo "test-embed: ok"

# LÖVE under Xvfb: keys up, up, right, 8 frames of draws, a screenshot, then
# check_screenshot.py compares the printed loss with the formula, the draws
# with the same model run by plain LuaJIT, and decodes the PNG. LÖVE and Xvfb
# are only needed at run time: installed here when missing.
test-love: $(LOVE_MODULE)
	@bash scripts/deps.sh love
	@mkdir -p $(LOVE_DIR)
	LUA_CPATH='$(abspath $(BUILD))/luajit/?.so' $(LUAJIT) examples/love/test_model.lua \
	  >$(LOVE_DIR)/model.txt 2>&1 || { cat $(LOVE_DIR)/model.txt; exit 1; }
	@cat $(LOVE_DIR)/model.txt
	@rm -f $(LOVE_DIR)/shot.png
	timeout 120 $(XVFB_RUN) -a -s '-screen 0 1024x768x24' $(LOVE) examples/love \
	  --root '$(CURDIR)' --cpath '$(abspath $(BUILD))/luajit/?.so' \
	  --screenshot '$(abspath $(LOVE_DIR))/shot.png' >$(LOVE_DIR)/love.txt 2>&1 || \
	  { cat $(LOVE_DIR)/love.txt; exit 1; }
	@grep '^love:' $(LOVE_DIR)/love.txt
	$(PY) examples/love/check_screenshot.py $(LOVE_DIR)/love.txt \
	  $(LOVE_DIR)/model.txt $(LOVE_DIR)/shot.png

# ThreadSanitizer: the core and the thread test in their own build tree.
test-tsan:
	@bash scripts/deps.sh core tools
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) CC=$(TSAN_CC) \
	  CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" \
	  $(TSAN_BUILD)/test_threads $(TSAN_BUILD)/test_parallel
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(TSAN_BUILD)/test_threads
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(TSAN_BUILD)/test_parallel

test-visibility: $(LIBGAUSSREG_SO) $(LIBGAUSSREG_A) $(LOVE_MODULE) \
                 $(call lua_so,5.4)
	bash examples/embed/check_visibility.sh src/gaussreg.h $(LIBGAUSSREG_SO) \
	  $(LIBGAUSSREG_A) $(LOVE_MODULE) $(call lua_so,5.4)

# The Lua files of both examples (mk/lua.mk's luacheck covers examples/*.lua).
luacheck-embed:
	@command -v luacheck >/dev/null || bash scripts/deps.sh tools
	luacheck -q examples/embed/*.lua examples/love/*.lua

TEST_TARGETS += test-embed test-love test-tsan test-visibility
CHECK_TARGETS += luacheck-embed
