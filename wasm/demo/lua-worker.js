// The Lua playground's worker: runs each script in a fresh Lua state (Lua
// 5.4 and gaussianreg compiled to WebAssembly, "gaussianreg/lua") off the
// page's thread, so that a long or endless script never blocks the page.
// The page terminates this worker when a script outlives the time limit
// (a script can catch the limit's error with pcall).
//
// Messages in: { id, code, timeLimit }. Out: { type: "ready", simd },
// { id, type: "output", text } (batched), { id, type: "done", ok, error,
// exitCode, ms }.
import { createLua } from "../dist/lua.js";

// Compiles the module once, up front.
const ready = createLua().then(
  (lua) => {
    const { simd } = lua;
    lua.close();
    postMessage({ type: "ready", simd });
  },
  (e) => {
    postMessage({ type: "failed", error: String(e?.message ?? e) });
    throw e;
  },
);

// Output goes to the page in batches (a print loop must not post a message
// per write), at most every 50 ms while the script runs, and all at the end.
function outputBatcher(id) {
  let pending = "";
  let last = performance.now();
  const flush = () => {
    if (pending) postMessage({ id, type: "output", text: pending });
    pending = "";
    last = performance.now();
  };
  const write = (text) => {
    pending += text;
    if (pending.length > 65536 || performance.now() - last > 50) flush();
  };
  return { write, flush };
}

self.onmessage = async ({ data: { id, code, timeLimit } }) => {
  try {
    await ready;
  } catch (e) {
    postMessage({ id, type: "done", ok: false, error: `Lua could not be loaded: ${e?.message ?? e}`, ms: 0 });
    return;
  }
  const out = outputBatcher(id);
  let lua = null;
  try {
    lua = await createLua({ onOutput: out.write });
    const t0 = performance.now();
    const r = lua.run(code, { name: "input", timeLimit });
    const ms = performance.now() - t0;
    out.flush();
    postMessage({ id, type: "done", ok: r.ok, error: r.error, exitCode: r.exitCode, ms });
  } catch (e) {
    out.flush();
    postMessage({ id, type: "done", ok: false, error: String(e?.message ?? e), ms: 0 });
  } finally {
    lua?.close();
  }
};
