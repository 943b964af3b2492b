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
# -ffp-contract=off: no FMA contraction, so scalar and SIMD paths round alike.
CFLAGS ?= $(OPT) -g
CORE_CFLAGS = -std=c99 $(WARN) -ffp-contract=off -fno-math-errno \
              -fPIC -fvisibility=hidden -Isrc
LDLIBS_CORE = -lm
PY ?= /usr/bin/python3

# Targets that the parts append to.
TEST_TARGETS :=
BENCH_TARGETS :=
CHECK_TARGETS :=
SANITIZE_TARGETS :=

.PHONY: all test bench check sanitize example clean
all:

include $(sort $(wildcard mk/*.mk))

test: $(TEST_TARGETS)
	@echo "make test: all suites passed ($(TEST_TARGETS))"
bench: $(BENCH_TARGETS)
check: $(CHECK_TARGETS)
sanitize: $(SANITIZE_TARGETS)

clean:
	rm -rf $(BUILD)
