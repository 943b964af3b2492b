# make test-aarch64: the core cross-compiled for aarch64 and run under
# qemu-user. The C tests run against a library built as LuaRocks builds it
# (plain -O2 -fPIC, GNU C: GCC would contract FMAs there if the sources let
# it), so they check the NEON kernels against the scalar path, the golden
# draws and the state bytes under those flags. Then the fingerprint of
# spec/c/dump_bits.c (mk/flags.mk) of several aarch64 builds -- LuaRocks'
# flags, -O3 -ffp-contract=fast, GNU C with Arm FP16 (FLT_EVAL_METHOD 16),
# clang -ffp-contract=fast -- must give the x86 reference build's bits for
# everything portable (draws, exp/log, elementwise gradients, scalar sums)
# and, for the NEON sums, the reference's SSE2 sums.

CROSS_CC ?= aarch64-linux-gnu-gcc
CROSS_AR ?= aarch64-linux-gnu-ar
CROSS_CLANG ?= clang --target=aarch64-linux-gnu
CROSS_RUN ?= qemu-aarch64
CROSS_DIR := $(BUILD)/aarch64
CROSS_TESTS := $(C_TEST_SRC:spec/c/%.c=$(CROSS_DIR)/%)
CROSS_LIB := $(CROSS_DIR)/luarocks/lib.a

CROSSSET_luarocks := $(CROSS_CC) $(LUAROCKS_CFLAGS)
CROSSSET_O3-fast := $(CROSS_CC) -O3 -ffp-contract=fast
CROSSSET_gnu11-fp16 := $(CROSS_CC) -std=gnu11 -O2 -march=armv8.2-a+fp16
CROSSSET_clang-fast := $(CROSS_CLANG) -O3 -ffp-contract=fast
CROSSSETS := luarocks O3-fast gnu11-fp16 clang-fast

.SECONDARY: $(CROSSSETS:%=$(CROSS_DIR)/%/lib.a)

$(CROSS_DIR)/%/lib.a: $(CORE_SRC) $(CORE_HDR)
	@echo "aarch64 $*: $(CROSSSET_$*)"
	$(call flags_lib,$(CROSSSET_$*),$(CROSS_AR))

$(CROSS_DIR)/test_%: spec/c/test_%.c $(wildcard spec/c/*.h) $(CROSS_LIB)
	@mkdir -p $(dir $@)
	$(CROSS_CC) $(PROG_CFLAGS) -O2 \
	  -static -Ispec/c $< $(CROSS_LIB) -lm -lpthread -o $@

$(CROSS_DIR)/dump_bits.o: spec/c/dump_bits.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CROSS_CC) $(PROG_CFLAGS) -O2 -c $< -o $@

# One aarch64 build's fingerprint, kept only when its portable (P) lines are
# the x86 reference's and its NEON sums (S) are the reference's SSE2 sums
# (both sets sum two lanes the same way).
$(CROSS_DIR)/%.txt: $(CROSS_DIR)/%/lib.a $(CROSS_DIR)/dump_bits.o $(FLAGS_REF)
	@$(CROSS_CC) -static $(CROSS_DIR)/dump_bits.o $< -lm \
	  -o $(CROSS_DIR)/$*/dump_bits
	@$(CROSS_RUN) $(CROSS_DIR)/$*/dump_bits >$@.tmp
	@grep -E '^P|^S.* sse2 n=' $(FLAGS_REF) | \
	  sed 's/ sse2 n=/ neon n=/' >$@.ref
	@if grep -E '^P|^S' $@.tmp | cmp -s - $@.ref; then mv $@.tmp $@; \
	  echo "aarch64 $*: $$(grep -c '^P' $@.ref) portable results and" \
	    "$$(grep -c '^S' $@.ref) NEON sums, the x86 reference bits"; \
	else echo "aarch64 $*: results differ from the x86 reference build:"; \
	  grep -E '^P|^S' $@.tmp | diff $@.ref - | head -20; exit 1; fi

.PHONY: test-aarch64
test-aarch64:
	@bash scripts/deps.sh cross tools
	@$(MAKE) --no-print-directory $(CROSS_TESTS) \
	  $(CROSSSETS:%=$(CROSS_DIR)/%.txt)
	@set -e; for t in $(CROSS_TESTS); do $(CROSS_RUN) ./$$t; done

TEST_TARGETS += test-aarch64
