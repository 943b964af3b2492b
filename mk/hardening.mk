# Hardening (issue 7): fuzzing, sanitizers, out-of-memory injection, valgrind.
#
#   make fuzz [FUZZ_SECONDS=60]  libFuzzer (clang -fsanitize=fuzzer,address,
#                                undefined): spec/fuzz/fuzz_capi.c (C API) and
#                                spec/fuzz/fuzz_lua.c (random Lua values into
#                                every Lua method), FUZZ_SECONDS each; new
#                                inputs go to $(BUILD)/fuzz/corpus_*, crashes to
#                                $(BUILD)/fuzz/crash-*
#   make test-fuzz-replay        each harness replays its committed corpus
#                                (spec/fuzz/corpus_*) once: deterministic (test)
#   make test-oom                spec/c/test_oom.c (C API) and spec/oom_lua.c
#                                (the binding in an embedded Lua 5.4 state) (test)
#   make sanitize-lua            the whole busted suite under lua5.4 with the
#                                module built with ASan+UBSan (sanitize)
#   make valgrind                the busted suite under valgrind memcheck, the
#                                memory-stability loops shortened (see below)
#
# Uses mk/core.mk's and mk/lua.mk's variables (included before this file).

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_HARNESSES := capi lua
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_LUA_INC ?= /usr/include/lua5.4
FUZZ_LUA_LIBS ?= -llua5.4
# Every input the fuzzers run stays small (the harnesses cap shapes too).
FUZZ_OPTS ?= -max_len=4096 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_COMMON_HDR := spec/fuzz/fuzz_common.h spec/fuzz/lua_host.h src/lua/lgaussreg.h

FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FUZZ_DIR)/obj/%.o)

$(FUZZ_DIR)/obj/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/obj/lgaussreg.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -I$(FUZZ_LUA_INC) $(FUZZ_CFLAGS) \
	  -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_capi: spec/fuzz/fuzz_capi.c $(FUZZ_COMMON_HDR) $(FUZZ_CORE_OBJ)
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -Ispec/fuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	  $< $(FUZZ_CORE_OBJ) -lm -o $@

$(FUZZ_DIR)/fuzz_lua: spec/fuzz/fuzz_lua.c $(FUZZ_COMMON_HDR) $(FUZZ_CORE_OBJ) \
                      $(FUZZ_DIR)/obj/lgaussreg.o
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -Ispec/fuzz -Isrc/lua -I$(FUZZ_LUA_INC) $(FUZZ_CFLAGS) \
	  -fsanitize=fuzzer $< $(FUZZ_DIR)/obj/lgaussreg.o $(FUZZ_CORE_OBJ) \
	  $(FUZZ_LUA_LIBS) -lm -o $@

FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz fuzz-build test-fuzz-replay test-oom sanitize-lua valgrind

fuzz-build:
	@bash scripts/deps.sh tools lua
	$(MAKE) --no-print-directory $(FUZZ_BINS)

# One run of harness $(1) for $(2) seconds: new inputs into a scratch corpus
# (first directory), the committed seeds read only (second directory).
fuzz_run = mkdir -p $(FUZZ_DIR)/corpus_$(1) && \
  ./$(FUZZ_DIR)/fuzz_$(1) $(FUZZ_OPTS) -max_total_time=$(2) \
    -artifact_prefix=$(FUZZ_DIR)/$(1)- $(FUZZ_DIR)/corpus_$(1) \
    spec/fuzz/corpus_$(1) 2>$(FUZZ_DIR)/fuzz_$(1).log || \
  { tail -n 60 $(FUZZ_DIR)/fuzz_$(1).log; exit 1; }; \
  grep -E '^(Done|stat::number_of_executed_units|stat::average_exec)' \
    $(FUZZ_DIR)/fuzz_$(1).log | sed 's/^/fuzz_$(1): /'

fuzz: fuzz-build
	@set -e; $(foreach h,$(FUZZ_HARNESSES),echo "== fuzz_$(h) for $(FUZZ_SECONDS) s"; \
	  $(call fuzz_run,$(h),$(FUZZ_SECONDS));)

# Replays every committed input once (-runs=0 executes the corpus and
# stops): the same inputs on every run, so make test is deterministic.
# Random fuzzing is `make fuzz` (FUZZ_SECONDS per harness), run by hand.
test-fuzz-replay: fuzz-build
	@set -e; $(foreach h,$(FUZZ_HARNESSES), \
	  echo "== fuzz_$(h): replaying the corpus ($$(ls spec/fuzz/corpus_$(h) | wc -l) inputs)"; \
	  ./$(FUZZ_DIR)/fuzz_$(h) $(FUZZ_OPTS) -runs=0 spec/fuzz/corpus_$(h) \
	    2>$(FUZZ_DIR)/replay_$(h).log || { tail -n 60 $(FUZZ_DIR)/replay_$(h).log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units' $(FUZZ_DIR)/replay_$(h).log | sed 's/^/fuzz_$(h): /';)

TEST_TARGETS += test-fuzz-replay

# ---- out-of-memory injection ----------------------------------------------

$(BUILD)/oom_lua/lgaussreg.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -I$(FUZZ_LUA_INC) $(CFLAGS) -c $< -o $@

$(BUILD)/oom_lua/oom_lua: spec/oom_lua.c $(FUZZ_COMMON_HDR) \
                          $(BUILD)/oom_lua/lgaussreg.o $(LIBGAUSSREG_A)
	$(CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -Isrc/lua -I$(FUZZ_LUA_INC) $(CFLAGS) $< \
	  $(BUILD)/oom_lua/lgaussreg.o $(LIBGAUSSREG_A) $(FUZZ_LUA_LIBS) -lm -o $@

test-oom: $(BUILD)/test_oom
	@bash scripts/deps.sh lua
	$(MAKE) --no-print-directory $(BUILD)/oom_lua/oom_lua
	./$(BUILD)/test_oom
	./$(BUILD)/oom_lua/oom_lua

TEST_TARGETS += test-oom

# ---- the busted suite under ASan+UBSan and under valgrind -------------------

# The module (core + binding) built with clang's ASan+UBSan against the shared
# sanitizer runtime; lua5.4 is not instrumented, so the runtime is preloaded.
# Leaks are checked (the interpreter's own exit paths are suppressed in
# spec/fuzz/lsan-lua.supp).
ASAN_LUA_DIR := $(BUILD)/asan-lua
ASAN_LUA_SO := $(ASAN_LUA_DIR)/gaussianreg/core.so
ASAN_LUA_OBJ := $(CORE_SRC:%.c=$(ASAN_LUA_DIR)/obj/%.o) $(ASAN_LUA_DIR)/obj/lgaussreg.o

$(ASAN_LUA_DIR)/obj/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) $(FUZZ_CFLAGS) -c $< -o $@

$(ASAN_LUA_DIR)/obj/lgaussreg.o: $(LUA_SRC) $(LUA_HDR) src/gaussreg.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -I$(FUZZ_LUA_INC) $(FUZZ_CFLAGS) -c $< -o $@

$(ASAN_LUA_SO): $(ASAN_LUA_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -shared -shared-libsan $(FUZZ_CFLAGS) -o $@ $^ -lm

SANITIZE_LUA_ENV = \
  LD_PRELOAD="$$($(FUZZ_CC) -print-file-name=libclang_rt.asan-x86_64.so)" \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:detect_stack_use_after_return=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/spec/fuzz/lsan-lua.supp:print_suppressions=0 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

sanitize-lua:
	@bash scripts/deps.sh tools lua
	$(MAKE) --no-print-directory $(ASAN_LUA_SO)
	$(SANITIZE_LUA_ENV) busted --lua=lua5.4 --cpath='./$(ASAN_LUA_DIR)/?.so' -o utfTerminal
	$(MAKE) --no-print-directory $(FUZZ_DIR)/oom_lua_asan
	$(SANITIZE_LUA_ENV) ./$(FUZZ_DIR)/oom_lua_asan

# oom_lua again, instrumented (its own state is all ours: no preload needed,
# but the same environment keeps the options in one place).
$(FUZZ_DIR)/oom_lua_asan: spec/oom_lua.c $(FUZZ_COMMON_HDR) $(ASAN_LUA_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -Isrc/lua -I$(FUZZ_LUA_INC) $(FUZZ_CFLAGS) -shared-libsan $< \
	  $(ASAN_LUA_OBJ) $(FUZZ_LUA_LIBS) -lm -o $@

SANITIZE_TARGETS += sanitize-lua

# valgrind: memcheck on the plain -O2 -g module. GAUSSREG_TEST_QUICK=1 (read
# by spec/helpers.lua) shortens the million-cycle memory-stability loops of
# spec/07-memory_spec.lua, which would take most of an hour under valgrind;
# every spec still runs. Errors fail the run (--error-exitcode); definite and
# indirect leaks too (--errors-for-leak-kinds). Leaks "possibly lost" or
# "still reachable" at exit belong to the interpreter and busted's modules.
VALGRIND ?= valgrind
VALGRIND_OPTS ?= --tool=memcheck --error-exitcode=99 --leak-check=full \
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
  --track-origins=yes --trace-children=yes \
  --trace-children-skip='*/sh,*/bash,*/uname,*/env' --quiet

valgrind:
	@bash scripts/deps.sh tools lua
	$(MAKE) --no-print-directory $(BUILD)/lua5.4/gaussianreg/core.so
	GAUSSREG_TEST_QUICK=1 $(VALGRIND) $(VALGRIND_OPTS) \
	  lua5.4 /usr/bin/busted --cpath='./$(BUILD)/lua5.4/?.so' -o utfTerminal
