# Engine embedding (issue 6): a C host with Lua 5.4 and gaussianreg linked in
# statically, the LÖVE example, the thread-safety test under ThreadSanitizer,
# and the exported-symbol check of the libraries.
#
#   make embed-example   build and run examples/embed (C API + Lua host),
#                        once per Lua it is built for: 5.4, 5.1, LuaJIT 2.1
#   make test-embed      the same, checking each output
#   make test-love       examples/love under Xvfb (screenshot, loss, pixels),
#                        and its model under plain LuaJIT
#   make test-tsan       spec/c/test_threads.c + core built with clang -fsanitize=thread
#   make test-visibility libgaussreg.so exports exactly the GAUSSREG_API
#                        functions; the Lua modules (make's and the rock's)
#                        export luaopen_gaussianreg_core only
#   make luacheck-embed  luacheck on the examples' Lua files (part of make check)
#
# The binding objects come from mk/lua.mk's per-interpreter builds
# ($(BUILD)/lua<v>/lgaussreg.o), $(BUILD)/luajit/gaussianreg/core.so serves
# LÖVE (so LUA_VERSIONS must keep 5.4, 5.1 and jit).

EMBED_DIR := $(BUILD)/embed
EMBED_LUAS ?= 5.4 5.1 jit
# Lua itself is linked statically too, as engines do (the Debian -dev
# packages ship the archives); override EMBED_LUA_LIBS_<v> for shared ones.
EMBED_LUA_LIBS_5.4 ?= -Wl,-Bstatic -llua5.4 -Wl,-Bdynamic
EMBED_LUA_LIBS_5.1 ?= -Wl,-Bstatic -llua5.1 -Wl,-Bdynamic
EMBED_LUA_LIBS_jit ?= -Wl,-Bstatic -lluajit-5.1 -Wl,-Bdynamic
embed_bin = $(EMBED_DIR)/embed-example-$(1)
EMBED_BINS := $(foreach v,$(EMBED_LUAS),$(call embed_bin,$(v)))
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

# The host for Lua <v>: embed.c, the binding compiled for that Lua, the
# core's archive, that Lua's archive. The header lgaussreg.h declares the
# binding (no hand-written prototypes).
define embed_rules
$(call embed_bin,$(1)): examples/embed/embed.c $(EMBED_DIR)/gaussianreg_init_lua.h \
              $(BUILD)/lua$(1)/lgaussreg.o $(LIBGAUSSREG_A) src/gaussreg.h src/lua/lgaussreg.h
	$$(CC) $$(PROG_CFLAGS) -Isrc/lua -I$$(LUA_INC_$(1)) -I$$(EMBED_DIR) $$(CFLAGS) \
	  $$< $(BUILD)/lua$(1)/lgaussreg.o $$(LIBGAUSSREG_A) $$(EMBED_LUA_LIBS_$(1)) -lm -ldl -o $$@
endef
$(foreach v,$(EMBED_LUAS),$(eval $(call embed_rules,$(v))))

embed-example:
	@bash scripts/deps.sh core lua
	@$(MAKE) --no-print-directory $(EMBED_BINS)
	@set -e; for v in $(EMBED_LUAS); do \
	  echo "== embed-example built against Lua $$v"; \
	  $(EMBED_DIR)/embed-example-$$v examples/embed/script.lua; done

# The example checks itself (exit status); here also, for each Lua, that
# both halves ran, the script trained the host's buffer, and the two
# allocators ended at zero. Build dependencies are plain prerequisites (safe
# under make -j; scripts/deps.sh core lua provides them).
test-embed: $(EMBED_BINS)
	@set -e; for v in $(EMBED_LUAS); do \
	  out=$(EMBED_DIR)/out-$$v.txt; \
	  $(EMBED_DIR)/embed-example-$$v examples/embed/script.lua >$$out 2>&1 || \
	    { cat $$out; exit 1; }; \
	  cat $$out; \
	  grep -q '^lua: [0-9]* checks passed$$' $$out; \
	  grep -q '^lua: trained the host.s float32 buffer in place' $$out; \
	  grep -q '^host: the script trained 8 float32 weights' $$out; \
	  grep -q '^lua state: .* 0 bytes in 0 blocks after lua_close$$' $$out; \
	  grep -q '^C API: .* 0 bytes in 0 blocks after destroy$$' $$out; \
	  grep -q '^embed-example: [0-9]* passed, 0 failed$$' $$out; \
	  echo "test-embed: Lua $$v ok"; done

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
	  $(TSAN_BUILD)/test_threads
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(TSAN_BUILD)/test_threads

# The rock's modules come from test-lua-rock (LuaRocks' own flags).
test-visibility: $(LIBGAUSSREG_SO) $(LIBGAUSSREG_A) $(LOVE_MODULE) \
                 $(call lua_so,5.4) test-lua-rock
	bash examples/embed/check_visibility.sh src/gaussreg.h $(LIBGAUSSREG_SO) \
	  $(LIBGAUSSREG_A) $(LOVE_MODULE) $(call lua_so,5.4) $(LUA_ROCK_SO)

# The Lua files of both examples (mk/lua.mk's luacheck covers examples/*.lua).
luacheck-embed:
	@command -v luacheck >/dev/null || bash scripts/deps.sh tools
	luacheck -q examples/embed/*.lua examples/love/*.lua

TEST_TARGETS += test-embed test-love test-tsan test-visibility
CHECK_TARGETS += luacheck-embed
