// gaussianreg for browsers and bundlers (the package's "browser" and
// "default" entry; Node resolves "gaussianreg" to node.js instead).
//
// Each .wasm file is named in a literal new URL("./file.wasm", import.meta.url):
// that is the form Vite, webpack, Parcel and Rspack recognise, copy into their
// output and rewrite. Unbundled (an import map, a CDN), the files sit beside
// this module. The file is fetched and compiled while it downloads
// (WebAssembly.compileStreaming) when it is served as application/wasm.
import { initWith, loadWith } from "./core.js";

export { GaussianReg, HeapArray, hasSimd, heapUsed, version } from "./core.js";

const loader = {
  wasm(simd) {
    return simd ? new URL("./gaussreg-simd.wasm", import.meta.url) : new URL("./gaussreg.wasm", import.meta.url);
  },
  hint: "The page must serve gaussreg-simd.wasm and gaussreg.wasm at that address. A bundler that does not emit " +
    "new URL(\"./x.wasm\", import.meta.url) assets needs import \"gaussianreg/inline\" (the .wasm embedded); " +
    "or pass init({ wasm: url_or_bytes }). In Node, import \"gaussianreg\" by name (its Node entry reads the files).",
};

/** Loads the wasm module (memoized) and makes it the default; see index.d.ts. */
export function init(options) {
  return initWith(loader, options);
}

/** An independent instance of one build; see index.d.ts. */
export function load(options) {
  return loadWith(loader, options);
}
