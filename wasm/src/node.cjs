// require("gaussianreg"): the package is ES modules; Node >= 20.19 (and
// >= 22.12) loads them synchronously from require(), which gives the same
// module instance as import. Older Node gets a message that says what to do.
"use strict";

try {
  module.exports = require("./node.js");
} catch (e) {
  if (e && e.code === "ERR_REQUIRE_ESM") {
    throw new Error(
      `gaussianreg is an ES module, and this Node (${process.version}) cannot require() ES modules ` +
        "(Node >= 20.19 or >= 22.12 can). Use `const { init, GaussianReg } = await import(\"gaussianreg\")` instead.",
      { cause: e },
    );
  }
  throw e;
}
