// gaussianreg/lua with the .wasm embedded (the "gaussianreg/lua/inline"
// entry, and the browser entry for bundlers that set no production or
// development condition, such as esbuild): nothing to serve or copy. Each
// build is its own module, loaded on demand (see inline.js for the cost).
import { fromBase64 } from "./core.js";
import { createLuaWith } from "./lua-core.js";

export { Lua, LuaExit, hasSimd, version } from "./lua-core.js";

const loader = {
  async wasm(simd) {
    const m = simd ? await import("./gaussreg-lua-simd.wasm.js") : await import("./gaussreg-lua.wasm.js");
    return fromBase64(m.default);
  },
  hint: "",
};

/** A new isolated Lua state with gaussianreg preloaded; see lua.d.ts. */
export function createLua(options) {
  return createLuaWith(loader, options);
}
