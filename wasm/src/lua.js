// gaussianreg/lua for browsers and bundlers: Lua 5.4 with the gaussianreg
// module, compiled to WebAssembly (see lua-core.js). Node resolves
// "gaussianreg/lua" to lua-node.js instead.
//
// Each .wasm file is named in a literal new URL("./file.wasm", import.meta.url),
// the form Vite, webpack, Parcel and Rspack copy into their output (as
// index.js does for the JS package's own modules).
import { createLuaWith } from "./lua-core.js";

export { Lua, LuaExit, hasSimd, version } from "./lua-core.js";

const loader = {
  wasm(simd) {
    return simd ? new URL("./gaussreg-lua-simd.wasm", import.meta.url) : new URL("./gaussreg-lua.wasm", import.meta.url);
  },
  hint: "The page must serve gaussreg-lua-simd.wasm and gaussreg-lua.wasm at that address. A bundler that does not " +
    "emit new URL(\"./x.wasm\", import.meta.url) assets needs import \"gaussianreg/lua/inline\" (the .wasm embedded); " +
    "or pass createLua({ wasm: url_or_bytes }).",
};

/** A new isolated Lua state with gaussianreg preloaded; see lua.d.ts. */
export function createLua(options) {
  return createLuaWith(loader, options);
}
