// gaussianreg with the .wasm embedded (the package's "gaussianreg/inline"
// entry, and its browser entry for bundlers that set no production or
// development condition, such as esbuild): nothing to serve or copy, works in
// any bundler, browser, worker or server runtime. The cost: each build's bytes
// travel as base64 (4/3 of the .wasm, and no compilation during the download).
// Each build is its own module, loaded on demand: a bundler that splits code
// puts them in separate chunks and the page downloads only the build it uses.
import { fromBase64, initWith, loadWith } from "./core.js";

export { GaussianReg, HeapArray, hasSimd, heapUsed, version } from "./core.js";

const loader = {
  async wasm(simd) {
    const m = simd ? await import("./gaussreg-simd.wasm.js") : await import("./gaussreg.wasm.js");
    return fromBase64(m.default);
  },
  hint: "",
};

/** Loads the wasm module (memoized) and makes it the default; see index.d.ts. */
export function init(options) {
  return initWith(loader, options);
}

/** An independent instance of one build; see index.d.ts. */
export function load(options) {
  return loadWith(loader, options);
}
