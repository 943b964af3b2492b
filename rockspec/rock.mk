# rockspec/rock.mk -- how LuaRocks builds gaussianreg.core on Unix-like
# systems (the rockspecs' build.type = "make"; Windows uses LuaRocks'
# builtin backend instead). Standalone: not part of the project Makefile.
#
# Everything is compiled into build/rock/ (LuaRocks' builtin backend would
# put objects next to the sources and gaussianreg/core.so at the root of the
# checkout, where Lua's default "./?.so" path finds it before any other
# build). The core's objects do not depend on Lua and are shared; the
# binding and the module are kept per Lua header directory, so one checkout
# can serve `luarocks --lua-version=5.1 make` and `--lua-version=5.4 make`.
#
# LuaRocks passes CC, LD, CFLAGS, LIBFLAG, LUA_INCDIR and LIB_EXTENSION
# (build pass) and LIBDIR (install pass). Visibility is decided in the
# sources: the module exports luaopen_gaussianreg_core only, whatever the
# flags.

CC ?= cc
LD ?= $(CC)
CFLAGS ?= -O2 -fPIC
LIBFLAG ?= -shared
LUA_INCDIR ?= /usr/include
LIB_EXTENSION ?= so
LIBDIR ?= lib

ROCK_BUILD := build/rock
CORE_SRC := $(sort $(wildcard src/*.c src/kernels/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(ROCK_BUILD)/obj/%.o)
HDR := $(wildcard src/*.h src/kernels/*.h src/lua/*.h)
# /usr/include/lua5.4 -> build/rock/usr_include_lua5.4
LUA_DIR := $(ROCK_BUILD)/$(subst /,_,$(patsubst /%,%,$(LUA_INCDIR)))
MODULE := $(LUA_DIR)/gaussianreg/core.$(LIB_EXTENSION)

.PHONY: all install
all: $(MODULE)

$(ROCK_BUILD)/obj/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -c $< -o $@

$(LUA_DIR)/lgaussreg.o: src/lua/lgaussreg.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -I$(LUA_INCDIR) -c $< -o $@

$(MODULE): $(LUA_DIR)/lgaussreg.o $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(LD) $(LIBFLAG) -o $@ $^ -lm

install: $(MODULE)
	mkdir -p $(LIBDIR)/gaussianreg
	cp $(MODULE) $(LIBDIR)/gaussianreg/core.$(LIB_EXTENSION)
