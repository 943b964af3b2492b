# make install (issue 11): the C library for engines and other C hosts.
#
#   make install [PREFIX=/usr/local] [DESTDIR=]   install into DESTDIR/PREFIX:
#       include/gaussreg.h         the C API
#       include/lgaussreg.h        the Lua binding's host header
#       lib/libgaussreg.a          static library
#       lib/libgaussreg.so.X.Y.Z   shared library (soname libgaussreg.so.X),
#       lib/libgaussreg.so.X, lib/libgaussreg.so   its links
#       lib/pkgconfig/gaussreg.pc  pkg-config file (name gaussreg)
#       share/gaussreg/lua/        the binding's sources (lgaussreg.c and its
#                                  compat header) and the façade
#                                  (gaussianreg/init.lua)
#   make uninstall                 removes exactly those files
#   make test-install              installs into a DESTDIR under build/, then
#                                  builds against it with pkg-config (test)
#
# The Lua binding is installed as source, not as a library: Lua 5.1-5.4 and
# LuaJIT differ in ABI, so an engine compiles lgaussreg.c with its own Lua
# headers (`pkg-config --variable=lua_binding gaussreg` gives the path) and
# links libgaussreg.

PREFIX ?= /usr/local
DESTDIR ?=
INCLUDEDIR ?= $(PREFIX)/include
LIBDIR ?= $(PREFIX)/lib
DATADIR ?= $(PREFIX)/share
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL ?= install
PKG_CONFIG ?= pkg-config

LIBGAUSSREG_SONAME := libgaussreg.so.$(GAUSSREG_SOVERSION)
LIBGAUSSREG_REAL := libgaussreg.so.$(GAUSSREG_VERSION)
INSTALL_LUA_DIR := $(DATADIR)/gaussreg/lua
INSTALL_FILES := $(INCLUDEDIR)/gaussreg.h $(INCLUDEDIR)/lgaussreg.h \
  $(LIBDIR)/libgaussreg.a $(LIBDIR)/$(LIBGAUSSREG_REAL) \
  $(LIBDIR)/$(LIBGAUSSREG_SONAME) $(LIBDIR)/libgaussreg.so \
  $(PKGCONFIGDIR)/gaussreg.pc $(INSTALL_LUA_DIR)/lgaussreg.c \
  $(INSTALL_LUA_DIR)/lgaussreg_compat.h $(INSTALL_LUA_DIR)/gaussianreg/init.lua

.PHONY: install uninstall test-install

# The pkg-config file for a PREFIX (paths relative to ${prefix} when they
# lie under it, so that --define-variable=prefix=... relocates them).
$(BUILD)/gaussreg.pc: src/gaussreg.h mk/install.mk
	@mkdir -p $(dir $@)
	@{ echo 'prefix=$(PREFIX)'; \
	  echo 'exec_prefix=$${prefix}'; \
	  echo 'libdir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))'; \
	  echo 'includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))'; \
	  echo 'datadir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(DATADIR))'; \
	  echo 'lua_dir=$${datadir}/gaussreg/lua'; \
	  echo 'lua_binding=$${lua_dir}/lgaussreg.c'; \
	  echo ''; \
	  echo 'Name: gaussreg'; \
	  echo 'Description: Gaussian-prior regularizer (brainstate GaussianReg): loss, gradients, sampling'; \
	  echo 'Version: $(GAUSSREG_VERSION)'; \
	  echo 'Libs: -L$${libdir} -lgaussreg'; \
	  echo 'Libs.private: -lm'; \
	  echo 'Cflags: -I$${includedir}'; } >$@.tmp && mv $@.tmp $@

# Always regenerated: PREFIX may differ from the last run.
install: $(LIBGAUSSREG_A) $(LIBGAUSSREG_SO)
	@rm -f $(BUILD)/gaussreg.pc
	@$(MAKE) --no-print-directory $(BUILD)/gaussreg.pc
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(INSTALL_LUA_DIR)/gaussianreg
	$(INSTALL) -m 644 src/gaussreg.h src/lua/lgaussreg.h $(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 644 $(LIBGAUSSREG_A) $(DESTDIR)$(LIBDIR)/libgaussreg.a
	$(INSTALL) -m 755 $(LIBGAUSSREG_SO) $(DESTDIR)$(LIBDIR)/$(LIBGAUSSREG_REAL)
	ln -sf $(LIBGAUSSREG_REAL) $(DESTDIR)$(LIBDIR)/$(LIBGAUSSREG_SONAME)
	ln -sf $(LIBGAUSSREG_SONAME) $(DESTDIR)$(LIBDIR)/libgaussreg.so
	$(INSTALL) -m 644 $(BUILD)/gaussreg.pc $(DESTDIR)$(PKGCONFIGDIR)/gaussreg.pc
	$(INSTALL) -m 644 src/lua/lgaussreg.c src/lua/lgaussreg_compat.h $(DESTDIR)$(INSTALL_LUA_DIR)/
	$(INSTALL) -m 644 lua/gaussianreg/init.lua $(DESTDIR)$(INSTALL_LUA_DIR)/gaussianreg/init.lua

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALL_FILES))
	-rmdir $(DESTDIR)$(INSTALL_LUA_DIR)/gaussianreg $(DESTDIR)$(INSTALL_LUA_DIR) \
	  $(DESTDIR)$(DATADIR)/gaussreg 2>/dev/null

# test-install: make install PREFIX=/opt/gaussreg DESTDIR=build/install-test,
# then, with PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR pointing into it
# (a staged install, as distributions build packages):
#  - exactly the files above, the soname links, the soname in the library;
#  - spec/install/install_capi.c built with `pkg-config --cflags --libs`
#    (linked to the shared library, which the program must load from the
#    staged tree) and with `--static` (no libgaussreg.so needed), both
#    printing the reference loss and gradients;
#  - spec/install/install_lua.c, a host that compiles the installed binding
#    source (lua_binding variable) with the installed lgaussreg.h, once for
#    Lua 5.4 and once for LuaJIT, hands a host buffer to a script as a view
#    and checks what the script wrote into it;
#  - make uninstall removes every file it installed.
INSTALL_TEST := $(BUILD)/install-test
INSTALL_TEST_PREFIX := /opt/gaussreg
INSTALL_TEST_ROOT = $(abspath $(INSTALL_TEST))/root
INSTALL_PC_ENV = PKG_CONFIG_PATH=$(INSTALL_TEST_ROOT)$(INSTALL_TEST_PREFIX)/lib/pkgconfig \
  PKG_CONFIG_SYSROOT_DIR=$(INSTALL_TEST_ROOT)
INSTALL_TEST_LUAS ?= lua5.4:/usr/include/lua5.4:-llua5.4 luajit:/usr/include/luajit-2.1:-lluajit-5.1

test-install:
	@bash scripts/deps.sh core lua
	@$(MAKE) --no-print-directory $(LIBGAUSSREG_A) $(LIBGAUSSREG_SO)
	@rm -rf $(INSTALL_TEST) && mkdir -p $(INSTALL_TEST)
	@$(MAKE) --no-print-directory install PREFIX=$(INSTALL_TEST_PREFIX) \
	  DESTDIR=$(INSTALL_TEST_ROOT) >$(INSTALL_TEST)/install.log
	@cd $(INSTALL_TEST_ROOT) && find . \( -type f -o -type l \) | sed 's|^\./||' | sort >../files
	@printf '%s\n' $(patsubst /%,%,$(INSTALL_FILES:$(PREFIX)%=$(INSTALL_TEST_PREFIX)%)) | sort >$(INSTALL_TEST)/files-want
	@diff $(INSTALL_TEST)/files-want $(INSTALL_TEST)/files || \
	  { echo "test-install: installed files differ from the list"; exit 1; }
	@L=$(INSTALL_TEST_ROOT)$(INSTALL_TEST_PREFIX)/lib; \
	  test "$$(readlink $$L/libgaussreg.so)" = $(LIBGAUSSREG_SONAME) && \
	  test "$$(readlink $$L/$(LIBGAUSSREG_SONAME))" = $(LIBGAUSSREG_REAL) && \
	  readelf -d $$L/$(LIBGAUSSREG_REAL) | grep -q 'SONAME.*\[$(LIBGAUSSREG_SONAME)\]' || \
	  { echo "test-install: soname links or SONAME wrong"; ls -l $$L; exit 1; }
	@echo "test-install: $$(wc -l <$(INSTALL_TEST)/files) files, links $(LIBGAUSSREG_SONAME) -> $(LIBGAUSSREG_REAL)"
	@echo "pkg-config --cflags --libs gaussreg: $$($(INSTALL_PC_ENV) $(PKG_CONFIG) --cflags --libs gaussreg)"
	$(CC) -std=c99 $(WARN) -o $(INSTALL_TEST)/capi-shared spec/install/install_capi.c \
	  $$($(INSTALL_PC_ENV) $(PKG_CONFIG) --cflags --libs gaussreg) -lm
	$(CC) -std=c99 $(WARN) -static -o $(INSTALL_TEST)/capi-static spec/install/install_capi.c \
	  $$($(INSTALL_PC_ENV) $(PKG_CONFIG) --cflags --static --libs gaussreg)
	@readelf -d $(INSTALL_TEST)/capi-shared | grep -q 'NEEDED.*\[$(LIBGAUSSREG_SONAME)\]' || \
	  { echo "test-install: capi-shared does not need $(LIBGAUSSREG_SONAME)"; exit 1; }
	@! readelf -d $(INSTALL_TEST)/capi-static | grep -q 'NEEDED.*libgaussreg' || \
	  { echo "test-install: capi-static needs libgaussreg.so"; exit 1; }
	LD_LIBRARY_PATH=$(INSTALL_TEST_ROOT)$(INSTALL_TEST_PREFIX)/lib $(INSTALL_TEST)/capi-shared \
	  $(INSTALL_TEST_ROOT)$(INSTALL_TEST_PREFIX)/lib/$(LIBGAUSSREG_SONAME)
	$(INSTALL_TEST)/capi-static
	@set -e; for spec in $(INSTALL_TEST_LUAS); do \
	  name=$${spec%%:*}; rest=$${spec#*:}; inc=$${rest%%:*}; lib=$${rest#*:}; \
	  bin=$(INSTALL_TEST)/lua-host-$$name; \
	  binding=$$($(INSTALL_PC_ENV) $(PKG_CONFIG) --variable=lua_binding gaussreg); \
	  luadir=$$($(INSTALL_PC_ENV) $(PKG_CONFIG) --variable=lua_dir gaussreg); \
	  echo "== host with $$name: $$binding"; \
	  $(CC) -std=c99 $(WARN) -Wno-missing-prototypes -I$$inc -o $$bin spec/install/install_lua.c \
	    $$binding $$($(INSTALL_PC_ENV) $(PKG_CONFIG) --cflags gaussreg) \
	    -Wl,-Bstatic $$($(INSTALL_PC_ENV) $(PKG_CONFIG) --libs gaussreg) $$lib -Wl,-Bdynamic -lm -ldl; \
	  $$bin $$luadir; done
	@$(MAKE) --no-print-directory uninstall PREFIX=$(INSTALL_TEST_PREFIX) \
	  DESTDIR=$(INSTALL_TEST_ROOT) >>$(INSTALL_TEST)/install.log
	@left=$$(cd $(INSTALL_TEST_ROOT) && find . \( -type f -o -type l \)); \
	  test -z "$$left" || { echo "test-install: uninstall left $$left"; exit 1; }
	@echo "test-install: ok (make uninstall removed every file)"

TEST_TARGETS += test-install
