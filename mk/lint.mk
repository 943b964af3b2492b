# make check: static analysis of the C core and the Lua binding (clang-tidy,
# cppcheck), the dependency graph of the core's units (no cycle; the
# generator stands alone), generated files up to date, versions in step.

CHECK_C_SRC = $(sort $(wildcard src/*.c src/kernels/*.c))
CHECK_LUA_INC ?= /usr/include/lua5.4

.PHONY: check-c check-deps check-parity check-version
CHECK_TARGETS += check-c check-deps check-parity check-version
check-c:
	@bash scripts/deps.sh tools
	clang-tidy --quiet $(CHECK_C_SRC) $(LUA_SRC) -- -std=c99 -Isrc -I$(CHECK_LUA_INC) -D_GNU_SOURCE
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c99 -Isrc $(CHECK_C_SRC)

# From nm of the library's objects: which unit uses which.
check-deps: $(CORE_OBJ)
	$(PY) scripts/check_deps.py $(CORE_OBJ)

check-parity:
	$(PY) scripts/gen_parity_h.py --check

# gaussreg.h's GAUSSREG_VERSION_STRING is the version; the npm package and
# the release rockspec must carry the same.
check-version:
	@v=$$(node -p "require('./wasm/package.json').version") && \
	  test "$$v" = "$(GAUSSREG_VERSION)" || \
	  { echo "wasm/package.json has version $$v, src/gaussreg.h $(GAUSSREG_VERSION)"; exit 1; }
	@test -f $(LUA_ROCKSPEC_RELEASE) || \
	  { echo "no release rockspec $(LUA_ROCKSPEC_RELEASE) for version $(GAUSSREG_VERSION)"; exit 1; }
	@echo "check-version: $(GAUSSREG_VERSION) in gaussreg.h, package.json and $(LUA_ROCKSPEC_RELEASE)"
