# The npm package in the toolchains web developers use (issue 10): the packed
# tarball in apps built by Vite (build and dev server), webpack 5, esbuild and
# Rollup and opened in Chromium; Node (ESM and require), Deno and Bun; the
# .d.ts under TypeScript 5 and 7. The toolchains are pinned in
# wasm/test/apps/package-lock.json and installed into $(BUILD)/jsapps with
# npm ci (Deno, Bun and TypeScript 7 come as npm packages with their binaries).
#
#   make test-jsapps    pack, install, build, serve on 127.0.0.1, check

JSAPPS := $(BUILD)/jsapps

.PHONY: test-jsapps

$(JSAPPS)/node_modules/.installed: wasm/test/apps/package.json wasm/test/apps/package-lock.json
	@mkdir -p $(JSAPPS)
	cp wasm/test/apps/package.json wasm/test/apps/package-lock.json $(JSAPPS)/
	cd $(JSAPPS) && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

test-jsapps: wasm $(JSAPPS)/node_modules/.installed
	@$(DEMO_DEPS)
	rm -rf $(JSAPPS)/pack && mkdir -p $(JSAPPS)/pack
	cd wasm && $(NPM) pack --silent --pack-destination $(abspath $(JSAPPS))/pack >/dev/null
	GAUSSREG_TARBALL=$$(ls $(abspath $(JSAPPS))/pack/gaussianreg-*.tgz) GAUSSREG_JSAPPS=$(abspath $(JSAPPS)) \
	  GAUSSREG_CHROMIUM=$(CHROMIUM) $(NODE) --test --test-reporter=spec wasm/test/apps/apps.test.js

TEST_TARGETS += test-jsapps
