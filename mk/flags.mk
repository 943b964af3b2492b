# make test-flags: the same bits whatever the compiler flags (issue 11).
#
# The core is compiled again with flag sets other than the Makefile's --
# none of them with -ffp-contract=off or -std=c99 -- and linked with
# spec/c/dump_bits.c, which prints a fingerprint of draws, the generator's
# exp/log, gradients (every instruction set) and losses. Each set's output
# must equal the reference build's (the Makefile's libgaussreg.a) bit for
# bit, sums and losses included (the same set forced, the same order). The
# fingerprint program itself is always built with the reference flags: only
# the library varies. mk/cross.mk compares aarch64 builds with the same
# reference file.

# What LuaRocks compiles with on Linux (`luarocks config variables.CFLAGS`);
# GNU C by default, so GCC contracts FMAs wherever the target has them.
LUAROCKS_CFLAGS ?= -O2 -fPIC
FLAGS_GCC ?= gcc
FLAGS_CLANG ?= clang
FLAGS_DIR := $(BUILD)/flags
FLAGS_REF := $(FLAGS_DIR)/ref.txt
FLAGS_DUMP_O := $(FLAGS_DIR)/dump_bits.o

# name -> compiler and flags
FLAGSET_luarocks := $(FLAGS_GCC) $(LUAROCKS_CFLAGS)
FLAGSET_gcc-O3 := $(FLAGS_GCC) -O3
FLAGSET_gcc-O3-native := $(FLAGS_GCC) -O3 -march=native
FLAGSET_gcc-gnu11-native := $(FLAGS_GCC) -std=gnu11 -O2 -march=native -fPIC
FLAGSET_gcc-fast := $(FLAGS_GCC) -O2 -march=native -ffp-contract=fast
FLAGSET_clang-O2 := $(FLAGS_CLANG) -O2 -fPIC
FLAGSET_clang-O3-native := $(FLAGS_CLANG) -O3 -march=native
FLAGSET_clang-fast := $(FLAGS_CLANG) -O2 -march=native -ffp-contract=fast
FLAGSETS := luarocks gcc-O3 gcc-O3-native gcc-gnu11-native gcc-fast \
            clang-O2 clang-O3-native clang-fast
# GNU C with AVX512-FP16 (FLT_EVAL_METHOD 16): must compile everywhere; it
# runs and is compared where the CPU has AVX512-FP16.
FLAGSET_gcc-gnu11-fp16 := $(FLAGS_GCC) -std=gnu11 -O2 -mavx512fp16

$(FLAGS_DUMP_O): spec/c/dump_bits.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) $(CFLAGS) -c $< -o $@

$(FLAGS_REF): $(FLAGS_DUMP_O) $(LIBGAUSSREG_A)
	$(CC) $(CFLAGS) $(FLAGS_DUMP_O) $(LIBGAUSSREG_A) $(LDLIBS_CORE) \
	  -o $(FLAGS_DIR)/dump_ref
	$(FLAGS_DIR)/dump_ref >$@.tmp && mv $@.tmp $@

# $(call flags_lib,COMPILER FLAGS,AR): a recipe that compiles the core with
# exactly those flags (and -Isrc) next to $@ and archives the objects as $@.
define flags_lib
	@mkdir -p $(dir $@)
	@set -e; for f in $(CORE_SRC); do \
	  $(1) -Isrc -c $$f -o $(dir $@)$$(basename $$f .c).o; done
	@rm -f $@
	@$(2) rcs $@ $(addprefix $(dir $@),$(notdir $(CORE_SRC:.c=.o)))
endef

$(FLAGS_DIR)/%/lib.a: $(CORE_SRC) $(CORE_HDR)
	@echo "flags $*: $(FLAGSET_$*)"
	$(call flags_lib,$(FLAGSET_$*),$(AR))

.SECONDARY: $(FLAGSETS:%=$(FLAGS_DIR)/%/lib.a)

# One set's fingerprint, kept only when it equals the reference.
$(FLAGS_DIR)/%.txt: $(FLAGS_DIR)/%/lib.a $(FLAGS_DUMP_O) $(FLAGS_REF)
	@$(CC) $(FLAGS_DUMP_O) $< $(LDLIBS_CORE) -o $(FLAGS_DIR)/$*/dump_bits
	@$(FLAGS_DIR)/$*/dump_bits >$@.tmp
	@if cmp -s $@.tmp $(FLAGS_REF); then mv $@.tmp $@; \
	  echo "flags $*: $$(wc -l <$@) results, the reference bits"; \
	else echo "flags $*: results differ from the reference build:"; \
	  diff $(FLAGS_REF) $@.tmp | head -20; exit 1; fi

.PHONY: test-flags test-flags-fp16
test-flags:
	@bash scripts/deps.sh core tools
	@$(MAKE) --no-print-directory $(FLAGSETS:%=$(FLAGS_DIR)/%.txt) \
	  test-flags-fp16
	@echo "test-flags: $(words $(FLAGSETS)) flag sets give the reference bits"

test-flags-fp16: $(FLAGS_DIR)/gcc-gnu11-fp16/lib.a
	@echo | $(FLAGSET_gcc-gnu11-fp16) -dM -E - | \
	  grep -q '__FLT_EVAL_METHOD__ 16' && \
	  echo "flags gcc-gnu11-fp16: compiles with FLT_EVAL_METHOD 16"
	@if grep -qw avx512fp16 /proc/cpuinfo 2>/dev/null; then \
	  $(MAKE) --no-print-directory $(FLAGS_DIR)/gcc-gnu11-fp16.txt; \
	else echo "flags gcc-gnu11-fp16: not run (this CPU lacks AVX512-FP16;" \
	  "test-aarch64 runs the FLT_EVAL_METHOD 16 case)"; fi

TEST_TARGETS += test-flags
