// gaussianreg/lua for Node, Deno and Bun: the .wasm files beside this module
// are read from disk, and createLua({ wasm }) also takes a file path or a
// file: URL. A state made here has no file system either (as in a browser);
// the gaussianreg-lua command is the one that opens files.
import { readFile } from "node:fs/promises";
import { createLuaWith } from "./lua-core.js";

export { Lua, LuaExit, hasSimd, version } from "./lua-core.js";

const loader = {
  wasm(simd) {
    return simd ? new URL("./gaussreg-lua-simd.wasm", import.meta.url) : new URL("./gaussreg-lua.wasm", import.meta.url);
  },
  read(source) {
    if (source instanceof URL) return source.protocol === "file:" ? readFile(source) : undefined;
    if (/^(https?|data|blob):/i.test(source)) return undefined;
    return readFile(/^file:/i.test(source) ? new URL(source) : source);
  },
  hint: "node_modules/gaussianreg/dist/ must hold gaussreg-lua-simd.wasm and gaussreg-lua.wasm, or pass " +
    "createLua({ wasm: path_or_bytes }).",
};

/** A new isolated Lua state with gaussianreg preloaded; see lua.d.ts. */
export function createLua(options) {
  return createLuaWith(loader, options);
}
