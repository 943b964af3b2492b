# make test-aarch64: the C tests cross-compiled for aarch64 and run under
# qemu-user. Checks the NEON kernels against the scalar path on real NEON
# semantics, and that the generator's golden draws and the state bytes are
# the same on a second architecture.

CROSS_CC ?= aarch64-linux-gnu-gcc
CROSS_RUN ?= qemu-aarch64
CROSS_DIR := $(BUILD)/aarch64
CROSS_TESTS := $(C_TEST_SRC:spec/c/%.c=$(CROSS_DIR)/%)

$(CROSS_DIR)/test_%: spec/c/test_%.c $(wildcard spec/c/*.h) $(CORE_SRC) $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CROSS_CC) $(PROG_CFLAGS) -O2 \
	  -static -Ispec/c $(CORE_SRC) $< -lm -lpthread -o $@

.PHONY: test-aarch64
test-aarch64:
	@bash scripts/deps.sh cross
	@$(MAKE) --no-print-directory $(CROSS_TESTS)
	@set -e; for t in $(CROSS_TESTS); do $(CROSS_RUN) ./$$t; done

TEST_TARGETS += test-aarch64
