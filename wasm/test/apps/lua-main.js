// The app of the "gaussianreg/lua" bundler tests (copied to the app's entry
// file): Lua 5.4 and gaussianreg in WebAssembly, the README's loss printed
// by a Lua script. Only the import line is about packaging.
import { createLua } from "gaussianreg/lua";

const out = document.querySelector("#out");
try {
  const lua = await createLua();
  const r = lua.run(`
    local gr = require("gaussianreg")
    print(gr.new({ mean = 0, std = 1, weight = 0.01, seed = 42 }):loss({ 0.5, -0.5 }))
    print(gr.isa())`);
  if (!r.ok) throw new Error(r.error);
  const [loss, isa] = r.output.trim().split("\n");
  out.dataset.loss = loss;
  out.dataset.isa = isa;
  out.textContent = `Lua: loss ${loss} (${isa})`;
  lua.close();
} catch (e) {
  out.dataset.error = e.message;
  out.textContent = e.message;
}
