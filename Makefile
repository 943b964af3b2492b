# gaussianreg -- the one Makefile. Each part of the project keeps its rules in
# mk/<part>.mk; every variable here is ?= so CI and users can override it.
#
#   make            static + shared C library, the Lua module
#   make test       every test suite (C, Lua on each interpreter, JS, browser, ...)
#   make example    the main job: the Lua MAP-regression example
#   make bench      benchmarks, each reported as a ratio against a reference
#   make sanitize   C tests under ASan+UBSan        make check   clang-tidy, cppcheck, luacheck

CC ?= cc
BUILD ?= build
OPT ?= -O2
WARN ?= -Wall -Wextra -Werror -pedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wcast-qual -Wpointer-arith -Wundef
CFLAGS ?= $(OPT) -g
# The one flag set of every build of the core's C (the libraries, the Lua
# modules, sanitizer, fuzzer and wasm builds): C99, the warnings, and no FMA
# contraction. The core's sources pin that themselves (src/gaussreg_fp.h;
# make test-flags builds it without the flag); it keeps the tests' and
# benchmarks' own arithmetic unfused too.
CORE_CFLAGS = -std=c99 $(WARN) -ffp-contract=off -fno-math-errno -Isrc
# Objects that go into shared libraries export only what is marked.
PIC_CFLAGS = -fPIC -fvisibility=hidden
# Programs built against the core (tests, benchmarks, examples).
PROG_CFLAGS = $(CORE_CFLAGS) -Wno-missing-prototypes
LDLIBS_CORE = -lm -lpthread
PY ?= /usr/bin/python3

# Targets that the parts append to.
TEST_TARGETS :=
BENCH_TARGETS :=
CHECK_TARGETS :=
SANITIZE_TARGETS :=

.PHONY: all test test-all bench check sanitize example clean
all:

# In this order: later parts use the variables of earlier ones (the core's
# sources and libraries, then the Lua modules, then what builds on both).
include mk/core.mk mk/kernels.mk mk/rng.mk mk/lua.mk mk/wasm.mk mk/luawasm.mk mk/demo.mk mk/jsapps.mk \
        mk/embed.mk mk/install.mk mk/hardening.mk mk/flags.mk mk/cross.mk mk/lint.mk \
        mk/windows.mk

# make test first installs every Debian package the suites need (nothing
# when all are there), then runs them; test-all runs them as they are.
TEST_DEPS ?= core lua wasm browser bench tools love cross windows
test:
	@bash scripts/deps.sh $(TEST_DEPS)
	@$(MAKE) --no-print-directory test-all
test-all: $(TEST_TARGETS)
	@echo "make test: all suites passed ($(TEST_TARGETS))"
bench: $(BENCH_TARGETS)
check: $(CHECK_TARGETS)
sanitize: $(SANITIZE_TARGETS)

clean:
	rm -rf $(BUILD)
