# make check: static analysis of the C core (clang-tidy, cppcheck).

CHECK_C_SRC = $(sort $(wildcard src/*.c src/kernels/*.c))

.PHONY: check-c
CHECK_TARGETS += check-c
check-c:
	@bash scripts/deps.sh tools
	clang-tidy --quiet $(CHECK_C_SRC) -- -std=c99 -Isrc -D_GNU_SOURCE
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c99 -Isrc $(CHECK_C_SRC)
