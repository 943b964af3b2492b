# The C core: static and shared library, C tests, C benchmarks.

CORE_SRC := $(sort $(wildcard src/*.c src/kernels/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CORE_HDR := $(wildcard src/*.h src/kernels/*.h)
LIBGAUSSREG_A := $(BUILD)/libgaussreg.a
LIBGAUSSREG_SO := $(BUILD)/libgaussreg.so
GAUSSREG_SOVERSION := $(shell sed -n 's/^\#define GAUSSREG_VERSION_MAJOR \([0-9]*\).*/\1/p' src/gaussreg.h)
GAUSSREG_VERSION := $(shell sed -n 's/^\#define GAUSSREG_VERSION_STRING "\(.*\)"/\1/p' src/gaussreg.h)

C_TEST_SRC := $(sort $(wildcard spec/c/test_*.c))
C_TEST_BIN := $(C_TEST_SRC:spec/c/%.c=$(BUILD)/%)

all: $(LIBGAUSSREG_A) $(LIBGAUSSREG_SO)

# GAUSSREG_SHARED: the GAUSSREG_API functions are exported (the archive is
# built from the same objects); the sources hide everything else.
$(BUILD)/obj/%.o: %.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(PIC_CFLAGS) -DGAUSSREG_SHARED $(CFLAGS) -c $< -o $@

$(LIBGAUSSREG_A): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBGAUSSREG_SO): $(CORE_OBJ)
	$(CC) -shared $(CFLAGS) -Wl,-soname,libgaussreg.so.$(GAUSSREG_SOVERSION) -o $@ $^ $(LDLIBS_CORE)

$(BUILD)/test_%: spec/c/test_%.c $(wildcard spec/c/*.h) $(LIBGAUSSREG_A)
	$(CC) $(PROG_CFLAGS) -Ispec/c $(CFLAGS) \
	  $< $(LIBGAUSSREG_A) $(LDLIBS_CORE) -o $@

.PHONY: test-c
test-c: $(C_TEST_BIN)
	@set -e; for t in $(C_TEST_BIN); do ./$$t; done

TEST_TARGETS += test-c

# make sanitize: the same C tests built with ASan+UBSan into their own tree.
.PHONY: sanitize-c
SANITIZE_TARGETS += sanitize-c
sanitize-c:
	@bash scripts/deps.sh tools
	$(MAKE) BUILD=$(BUILD)/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test-c
