# The browser demo (wasm/demo/): `make demo` serves it on 127.0.0.1 and
# prints the URL; `make test-demo` drives Debian's /usr/bin/chromium through
# npm's playwright-core (installed into $(BUILD)/node-dev, never a browser
# download) against the page and saves screenshots under $(BUILD)/demo/.

DEMO_PORT ?= 8077
CHROMIUM ?= /usr/bin/chromium
DEMO_DEPS ?= test -x $(CHROMIUM) || scripts/deps.sh browser
NODE_DEV := $(BUILD)/node-dev

.PHONY: demo test-demo
demo: wasm
	node wasm/demo/serve.js $(DEMO_PORT)

$(NODE_DEV)/node_modules/.installed: wasm/dev/package.json wasm/dev/package-lock.json
	@mkdir -p $(NODE_DEV)
	cp wasm/dev/package.json wasm/dev/package-lock.json $(NODE_DEV)/
	cd $(NODE_DEV) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-demo: wasm $(NODE_DEV)/node_modules/.installed
	@$(DEMO_DEPS)
	GAUSSREG_NODE_DEV=$(abspath $(NODE_DEV))/node_modules GAUSSREG_CHROMIUM=$(CHROMIUM) \
	  GAUSSREG_SHOTS=$(abspath $(BUILD))/demo node --test --test-reporter=spec wasm/demo/e2e.test.js

TEST_TARGETS += test-demo
