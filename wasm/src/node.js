// gaussianreg for Node, Deno and Bun (the package's "node" entry): the .wasm
// files beside this module are read from disk, and init({ wasm }) also takes
// a file path or a file: URL.
import { readFile } from "node:fs/promises";
import { initWith, loadWith } from "./core.js";

export { GaussianReg, HeapArray, hasSimd, heapUsed, version } from "./core.js";

const loader = {
  wasm(simd) {
    return simd ? new URL("./gaussreg-simd.wasm", import.meta.url) : new URL("./gaussreg.wasm", import.meta.url);
  },
  // Files: a file: URL, or a string that is not an http(s), data or blob URL.
  read(source) {
    if (source instanceof URL) return source.protocol === "file:" ? readFile(source) : undefined;
    if (/^(https?|data|blob):/i.test(source)) return undefined;
    return readFile(/^file:/i.test(source) ? new URL(source) : source);
  },
  hint: "node_modules/gaussianreg/dist/ must hold gaussreg-simd.wasm and gaussreg.wasm. A bundler that does not " +
    "copy new URL(\"./x.wasm\", import.meta.url) assets needs import \"gaussianreg/inline\" (the .wasm embedded); " +
    "or pass init({ wasm: path_or_bytes }).",
};

/** Loads the wasm module (memoized) and makes it the default; see index.d.ts. */
export function init(options) {
  return initWith(loader, options);
}

/** An independent instance of one build; see index.d.ts. */
export function load(options) {
  return loadWith(loader, options);
}
