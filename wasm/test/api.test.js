// The module API: init (memoized, forced builds, bytes/URL/Module sources),
// load, the default classes, package metadata.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import * as gr from "../dist/index.js";
import { builds } from "./helpers.js";

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

  it("rejects bad options and unloadable modules with clear errors", async () => {
    await assert.rejects(gr.init({ simd: "yes" }), { name: "TypeError", message: "bad argument #1 to 'init' (simd must be a boolean, got string)" });
    await assert.rejects(gr.init({ wasmPath: "x" }), { name: "TypeError", message: "bad argument #1 to 'init' (unknown option 'wasmPath')" });
    await assert.rejects(gr.load({ wasm: new Uint8Array([0, 97, 115, 109]) }), /could not load the SIMD wasm module/);
    await assert.rejects(gr.load({ wasm: new URL("file:///nonexistent/gaussreg.wasm") }),
      /could not load the SIMD wasm module from file:\/\/\/nonexistent\/gaussreg.wasm: .*ENOENT/);
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
    assert.deepEqual(pkg.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" });
    assert.equal(pkg.exports["./gaussreg.wasm"], "./dist/gaussreg.wasm");
    assert.equal(pkg.exports["./gaussreg-simd.wasm"], "./dist/gaussreg-simd.wasm");
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), []);
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
