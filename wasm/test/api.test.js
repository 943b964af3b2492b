// The module API: init (memoized, forced builds, bytes/URL/Module/Response
// sources), load, the default classes, the entry modules (node.js, node.cjs,
// index.js, inline.js), package metadata.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as gr from "../dist/node.js";
import { builds } from "./helpers.js";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const README_LOSS = 0.0049999950500049;

// Runs a script in a fresh Node process in dist/ (no instance shared with
// this one); returns its stdout, failing on a non-zero exit.
function node(args, script) {
  const r = spawnSync(process.execPath, [...args, script], { cwd: DIST, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe("init", () => {
  it("refuses to construct before init()", () => {
    assert.throws(() => new gr.GaussianReg({ mean: 0, std: 1 }), { message: "gaussianreg: call 'await init()' before new GaussianReg()" });
    assert.throws(() => new gr.HeapArray(2), { message: "gaussianreg: call 'await init()' before new HeapArray()" });
  });

  it("is memoized and picks SIMD when the engine validates the probe", async () => {
    const p = gr.init();
    assert.equal(gr.init(), p);
    const info = await p;
    assert.equal(gr.hasSimd(), true); // Node >= 16.4 validates simd128
    assert.deepEqual(info, { simd: true, isa: "wasm128", version: gr.version });
    const r = new gr.GaussianReg({ mean: 0, std: 1, weight: 0.01 });
    assert.ok(Math.abs(r.loss([0.5, -0.5]) - 0.0049999950500049) < 1e-17);
    assert.equal(r.isa, "wasm128");
    r.dispose();
  });

  it("init({ simd: false }) switches the default; older objects keep their instance", async () => {
    const a = new gr.GaussianReg({ mean: 0, std: 1, seed: 3 });
    assert.deepEqual(await gr.init({ simd: false }), { simd: false, isa: "scalar", version: gr.version });
    const b = new gr.GaussianReg({ mean: 0, std: 1, seed: 3 });
    assert.equal(a.isa, "wasm128");
    assert.equal(b.isa, "scalar");
    assert.deepEqual(Array.from(a.sampleInit(5)), Array.from(b.sampleInit(5)));
    assert.deepEqual(await gr.init(), { simd: false, isa: "scalar", version: gr.version });
    assert.deepEqual(await gr.init({ simd: true }), { simd: true, isa: "wasm128", version: gr.version });
    a.dispose();
    b.dispose();
  });

  it("accepts the module as bytes, a file URL, or a compiled Module", async () => {
    const url = new URL("../dist/gaussreg.wasm", import.meta.url);
    const bytes = readFileSync(url);
    for (const wasm of [bytes, new Uint8Array(bytes).buffer, url, await WebAssembly.compile(bytes)]) {
      const m = await gr.load({ wasm });
      assert.equal(m.simd, false);
      const r = new m.GaussianReg({ mean: 1, std: 2 });
      assert.equal(r.resetValue(), 1);
      r.dispose();
    }
  });

  it("accepts a path, a file: URL string, a Response (compiled while streaming) or a Promise of one", async () => {
    const file = `${DIST}gaussreg.wasm`;
    const bytes = readFileSync(file);
    const wasmResponse = () => new Response(bytes, { headers: { "content-type": "application/wasm" } });
    const sources = [file, `file://${file}`, wasmResponse(), Promise.resolve(wasmResponse()),
      new Response(bytes, { headers: { "content-type": "application/octet-stream" } })];
    for (const wasm of sources) {
      const m = await gr.load({ wasm });
      assert.equal(m.simd, false);
      const r = new m.GaussianReg({ mean: 0, std: 1, weight: 0.01 });
      assert.equal(r.loss([0.5, -0.5]), README_LOSS);
      r.dispose();
    }
  });

  it("rejects bad options and unloadable modules with clear errors", async () => {
    await assert.rejects(gr.init({ simd: "yes" }), { name: "TypeError", message: "bad argument #1 to 'init' (simd must be a boolean, got string)" });
    await assert.rejects(gr.init({ wasmPath: "x" }), { name: "TypeError", message: "bad argument #1 to 'init' (unknown option 'wasmPath')" });
    await assert.rejects(gr.init(null), { name: "TypeError", message: "bad argument #1 to 'init' (expected options object, got null)" });
    await assert.rejects(gr.load({ wasm: 42 }), { name: "TypeError",
      message: "bad argument #1 to 'load' (wasm must be a URL, a path, bytes, a WebAssembly.Module or a Response, got number)" });
    await assert.rejects(gr.load({ wasm: new Uint8Array([0, 97, 115, 109]) }), /could not load the SIMD wasm module/);
    await assert.rejects(gr.load({ wasm: new Uint8Array([1, 2, 3]) }), { message:
      "gaussianreg: could not load the SIMD wasm module: not a wasm module: it starts with 01 02 03 (a wasm module starts with 00 61 73 6d)." });
    await assert.rejects(gr.load({ wasm: new URL("file:///nonexistent/gaussreg.wasm") }),
      /could not load the SIMD wasm module from file:\/\/\/nonexistent\/gaussreg.wasm: .*ENOENT/);
    // what a dev server sends for a file it does not have: its HTML page
    const html = new Response("<!doctype html><html></html>", { headers: { "content-type": "text/html" } });
    await assert.rejects(gr.load({ wasm: html }), { message: "gaussianreg: could not load the SIMD wasm module: the server sent " +
      "text/html, not a wasm module: it starts with 3c 21 64 6f, an HTML page (a wasm module starts with 00 61 73 6d)." });
    await assert.rejects(gr.load({ wasm: new Response("gone", { status: 404 }) }),
      { message: "gaussianreg: could not load the SIMD wasm module: HTTP 404." });
    // the default still works after failures
    assert.equal((await gr.init()).simd, true);
  });

  it("load() gives independent instances with their own heaps", async () => {
    const a = await gr.load({ simd: true });
    const b = await gr.load({ simd: false });
    assert.notEqual(a.GaussianReg, b.GaussianReg);
    const r = new a.GaussianReg({ mean: [1, 2], std: 1 });
    assert.ok(r instanceof gr.GaussianReg && r instanceof a.GaussianReg && !(r instanceof b.GaussianReg));
    const s = a.GaussianReg.fromState(r.state());
    assert.ok(s instanceof a.GaussianReg);
    assert.deepEqual(s.mean, [1, 2]);
    const h = a.HeapArray.from([[1, 2], [3, 4]]);
    assert.deepEqual(h.shape, [2, 2]);
    assert.equal(h.dtype, "float64");
    assert.deepEqual(Array.from(h.array), [1, 2, 3, 4]);
    assert.ok(h instanceof gr.HeapArray);
    for (const o of [r, s, h]) o.dispose();
  });
});

describe("HeapArray", () => {
  it("zero-filled, typed, shaped", async () => {
    await gr.init();
    const h = new gr.HeapArray([2, 3], "float32");
    assert.ok(h.array instanceof Float32Array);
    assert.deepEqual(Array.from(h.array), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(h.shape, [2, 3]);
    assert.equal(h.length, 6);
    assert.notEqual(h.array, h.array); // a fresh view every access
    h.shape.push(9); // a copy: the array's shape is not changed
    assert.deepEqual(h.shape, [2, 3]);
    assert.equal(String(h), "HeapArray(shape=(2,3), dtype=float32)");
    const s = new gr.HeapArray(5);
    assert.ok(s.array instanceof Float64Array && s.length === 5);
    const e = new gr.HeapArray(0);
    assert.equal(e.array.length, 0);
    const f = gr.HeapArray.from(new Float64Array([1, 2]), "float32");
    assert.deepEqual(Array.from(f.array), [1, 2]);
    for (const o of [h, s, e, f]) o.dispose();
  });
});

describe("package", () => {
  it("package.json exports the module, the types and both .wasm files", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    assert.equal(pkg.name, "gaussianreg");
    assert.equal(pkg.type, "module");
    assert.equal(pkg.version, gr.version);
    // the export is written in from the core's header; the module says the same
    assert.match(gr.version, /^\d+\.\d+\.\d+$/);
    for (const { mod } of builds) assert.equal(mod.version, gr.version);
    // Node (and Deno, Bun) read files; bundlers that set a production or development
    // condition (Vite, webpack, Parcel...) emit the new URL assets; other
    // browser bundlers (esbuild) get the .wasm inlined
    assert.deepEqual(pkg.exports["."], {
      types: "./dist/index.d.ts",
      node: { import: "./dist/node.js", require: "./dist/node.cjs", default: "./dist/node.js" },
      browser: { production: "./dist/index.js", development: "./dist/index.js", default: "./dist/inline.js" },
      default: "./dist/index.js",
    });
    assert.deepEqual(pkg.exports["./inline"], { types: "./dist/index.d.ts", default: "./dist/inline.js" });
    assert.equal(pkg.exports["./gaussreg.wasm"], "./dist/gaussreg.wasm");
    assert.equal(pkg.exports["./gaussreg-simd.wasm"], "./dist/gaussreg-simd.wasm");
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
  });

  it("npm pack --dry-run: the tarball holds the entries, the .wasm, their base64 modules, the types, README and LICENSE", () => {
    const r = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const files = JSON.parse(r.stdout)[0].files.map((f) => f.path).sort();
    const dist = ["core.js", "gaussianreg-lua.js", "gaussreg-lua-simd.wasm", "gaussreg-lua-simd.wasm.js",
      "gaussreg-lua.wasm", "gaussreg-lua.wasm.js", "gaussreg-simd.wasm", "gaussreg-simd.wasm.js", "gaussreg.wasm",
      "gaussreg.wasm.js", "index.d.ts", "index.js", "inline.js", "lua-core.js", "lua-inline.js", "lua-node.js",
      "lua-wasi-node.js", "lua.d.ts", "lua.js", "node.cjs", "node.js"].map((f) => `dist/${f}`);
    assert.deepEqual(files, ["LICENSE", "README.md", ...dist, "package.json"]);
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    // every file an export names is in the tarball
    const targets = [];
    (function walk(v) {
      if (typeof v === "string") targets.push(v.slice(2));
      else Object.values(v).forEach(walk);
    })(pkg.exports);
    for (const t of targets) assert.ok(files.includes(t), t);
    assert.equal(pkg.license, "MIT");
    assert.match(readFileSync(new URL("../LICENSE", import.meta.url), "utf8"), /^MIT License\n\nCopyright \(c\) /);
    assert.match(readFileSync(new URL("../README.md", import.meta.url), "utf8"), /^# gaussianreg\n[\s\S]*## Bundlers\n/);
  });

  it("the .d.ts declares every runtime export", () => {
    const dts = readFileSync(new URL("../dist/index.d.ts", import.meta.url), "utf8");
    for (const name of Object.keys(gr)) {
      assert.match(dts, new RegExp(`export (declare )?(function|class|const) ${name}\\b`), name);
    }
    for (const m of ["loss", "grad", "lossAndGrad", "hyperGrad", "sampleInit", "sampleShape", "resetValue", "seed", "state", "dispose", "fromState"]) {
      assert.match(dts, new RegExp(`\\b${m}(<[^>]*>)?\\(`), m);
    }
  });
});

describe("entry modules", () => {
  it("index.js, node.js and inline.js export the same API, and share one core", async () => {
    const entries = await Promise.all(["index.js", "node.js", "inline.js"].map((f) => import(`../dist/${f}`)));
    for (const e of entries) {
      assert.deepEqual(Object.keys(e).sort(), Object.keys(gr).sort());
      assert.equal(e.GaussianReg, gr.GaussianReg);
      assert.equal(e.version, gr.version);
    }
  });

  it("only node.js imports a Node module; each .wasm is named in a literal new URL(..., import.meta.url)", () => {
    for (const f of ["core.js", "index.js", "inline.js"]) {
      assert.doesNotMatch(readFileSync(`${DIST}${f}`, "utf8"), /["']node:|\bprocess\b|require\(/, f);
    }
    for (const f of ["index.js", "node.js"]) {
      const src = readFileSync(`${DIST}${f}`, "utf8");
      for (const w of ["gaussreg-simd.wasm", "gaussreg.wasm"]) {
        assert.ok(src.includes(`new URL("./${w}", import.meta.url)`), `${f}: ${w}`);
      }
    }
  });

  it("inline.js loads both builds from the embedded bytes", () => {
    const out = node(["--input-type=module", "-e"], `
      import { init, load, GaussianReg } from "./inline.js";
      const info = await init();
      const scalar = await load({ simd: false });
      const a = new GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 5 });
      const b = new scalar.GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 5 });
      console.log(JSON.stringify({ info, simd: a.loss([0.5, -0.5]), scalar: b.loss([0.5, -0.5]),
        same: a.sampleInit(6).join() === b.sampleInit(6).join(), isa: b.isa }));`);
    assert.deepEqual(JSON.parse(out), { info: { simd: true, isa: "wasm128", version: gr.version },
      simd: README_LOSS, scalar: README_LOSS, same: true, isa: "scalar" });
    // base64 of each .wasm, byte for byte
    for (const w of ["gaussreg.wasm", "gaussreg-simd.wasm"]) {
      const text = readFileSync(`${DIST}${w}.js`, "utf8");
      const b64 = /export default "([A-Za-z0-9+/=]*)";/.exec(text)[1];
      assert.ok(Buffer.from(b64, "base64").equals(readFileSync(`${DIST}${w}`)), w);
    }
  });

  it("index.js (browsers) fetches; in Node its error says to import the package by name", () => {
    const out = node(["--input-type=module", "-e"], `
      import { init } from "./index.js";
      await init().then(() => console.log("loaded"), (e) => console.log(e.message));`);
    assert.match(out, /^gaussianreg: could not load the SIMD wasm module from file:\/\/.*\/gaussreg-simd\.wasm: fetch failed/);
    assert.match(out, /import "gaussianreg\/inline" \(the \.wasm embedded\)/);
    assert.match(out, /In Node, import "gaussianreg" by name/);
  });

  it("node.cjs: require() gets the same module; where Node cannot require ES modules, a clear error", () => {
    const script = `
      const g = require("./node.cjs");
      g.init().then((info) => console.log(JSON.stringify({ info, loss: new g.GaussianReg({ mean: 0, std: 1, weight: 0.01 }).loss([0.5, -0.5]),
        keys: Object.keys(g).sort() })), (e) => { console.error(e); process.exit(1); });`;
    if (process.features.require_module) { // Node >= 20.19, 22.12
      const got = JSON.parse(node(["-e"], script));
      assert.deepEqual(got, { info: { simd: true, isa: "wasm128", version: gr.version }, loss: README_LOSS, keys: Object.keys(gr).sort() });
    }
    // Node < 20.19 has no require(esm); this flag gives the same behaviour
    const off = process.features.require_module ? ["--no-experimental-require-module"] : [];
    const r = spawnSync(process.execPath, [...off, "-e", script], { cwd: DIST, encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp("Error: gaussianreg is an ES module, and this Node \\(v[0-9.]+\\) cannot require\\(\\) " +
      "ES modules \\(Node >= 20\\.19 or >= 22\\.12 can\\)\\. Use `const \\{ init, GaussianReg \\} = await import\\(\"gaussianreg\"\\)` instead\\."));
  });
});
