// Inputs that are tied to the wasm instance or that run code while they are
// read (issue 10): a typed array that views the module's own memory (it is
// detached when the copy grows the memory), a detached typed array, and
// getters that call back into the library (another object's loss, a new
// HeapArray that grows the memory, dispose). Each gives the right numbers or
// a clear error, and leaves the heap where it was. Both builds.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { load } from "../dist/node.js";

const FILES = { simd: "gaussreg-simd.wasm", scalar: "gaussreg.wasm" };

// A new instance of each build, with its own memory, so that what the tests
// allocate decides where the memory grows.
const builds = [];
for (const [name, file] of Object.entries(FILES)) {
  builds.push({ name, mod: await load({ wasm: readFileSync(new URL(`../dist/${file}`, import.meta.url)) }) });
}

// Allocates 64 KiB blocks (kept in `keep`) until the memory grows. They fill
// every free hole of that size first, and the standalone module grows by
// whole 64 KiB pages, just enough: afterwards no 64 KiB is free in one piece,
// so the next allocation larger than that grows the memory again.
function grow(mod, keep) {
  const m0 = mod.memoryBytes();
  while (mod.memoryBytes() === m0) keep.push(new mod.HeapArray(1 << 13));
}

// An array whose element i runs f() when read (a getter), then yields value.
function withGetter(values, i, f) {
  const a = values.slice();
  Object.defineProperty(a, i, { enumerable: true, get: () => (f(), values[i]) });
  return a;
}

function detachedFloat64(values) {
  const a = new Float64Array(values);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  assert.equal(a.length, 0); // detached
  return a;
}

// Calls that copy a typed-array input, as f(mod, reg, fit, v) -> plain value.
const COPYING_CALLS = {
  "loss(v)": (m, reg, fit, v) => reg.loss(v),
  "loss({data: v, shape})": (m, reg, fit, v) => reg.loss({ data: v, shape: [v.length] }),
  "grad(v)": (m, reg, fit, v) => reg.grad(v),
  "lossAndGrad(v)": (m, reg, fit, v) => reg.lossAndGrad(v),
  "new GaussianReg({mean: v})": (m, reg, fit, v) => {
    const r = new m.GaussianReg({ mean: v, std: 2 });
    const out = r.loss(1);
    r.dispose();
    return out;
  },
  "fit.mean = v": (m, reg, fit, v) => {
    fit.mean = v;
    const out = fit.loss(1);
    fit.mean = 0;
    return out;
  },
  "HeapArray.from(v)": (m, reg, fit, v) => {
    const h = m.HeapArray.from(v);
    const out = reg.loss(h);
    h.dispose();
    return out;
  },
};

for (const { name, mod } of builds) {
  const { GaussianReg, HeapArray } = mod;

  describe(`${name} build: typed arrays that view wasm memory`, () => {
    for (const [call, f] of Object.entries(COPYING_CALLS)) {
      for (const Ctor of [Float64Array, Float32Array]) {
        it(`${call} with a ${Ctor.name} HeapArray's .array, when the copy grows the memory`, () => {
          const reg = new GaussianReg({ mean: 0.25, std: 2, weight: 0.5 });
          const fit = new GaussianReg({ mean: 0, std: 1, fitHyper: true });
          const n = 1 << 16; // 256 or 512 KiB
          const values = Ctor.from({ length: n }, (_, i) => (i % 13) * 0.25 - 1.5);
          const want = f(mod, reg, fit, values);
          const h = new HeapArray(n, Ctor === Float32Array ? "float32" : "float64");
          h.array.set(values);
          const keep = [];
          grow(mod, keep); // now copying h cannot fit without growing
          const heap0 = mod.heapUsed();
          const mem0 = mod.memoryBytes();
          const got = f(mod, reg, fit, h.array);
          assert.ok(mod.memoryBytes() > mem0, "the copy grew the memory (the case under test)");
          assert.deepEqual(got, want);
          assert.equal(mod.heapUsed(), heap0);
          for (const o of [...keep, h, reg, fit]) o.dispose();
        });
      }
    }

    it("fromState of a Uint8Array that views wasm memory", () => {
      const reg = new GaussianReg({ mean: [1, 2, 3], std: 1, seed: 9 });
      const bytes = reg.state();
      const block = new HeapArray(Math.ceil(bytes.length / 8));
      const u8 = new Uint8Array(block.array.buffer, block.byteOffset, bytes.length);
      u8.set(bytes);
      const heap0 = mod.heapUsed();
      const back = GaussianReg.fromState(u8);
      assert.deepEqual(Array.from(back.sampleInit(3)), Array.from(reg.sampleInit(3)));
      back.dispose();
      const shared = new SharedArrayBuffer(bytes.length); // also accepted
      new Uint8Array(shared).set(bytes);
      const fromShared = GaussianReg.fromState(shared);
      assert.deepEqual(fromShared.mean, [1, 2, 3]);
      fromShared.dispose();
      assert.equal(mod.heapUsed(), heap0);
      for (const o of [block, reg]) o.dispose();
    });

    it("a detached typed array is a TypeError that leaks nothing", () => {
      const reg = new GaussianReg({ mean: 0, std: 1 });
      const fit = new GaussianReg({ mean: 0, std: 1, fitHyper: true });
      const why = "its buffer was transferred, or it viewed wasm memory that has grown since: take a fresh HeapArray.array";
      const heap0 = mod.heapUsed();
      for (let i = 0; i < 1000; i++) {
        assert.throws(() => reg.loss(detachedFloat64([1, 2])),
          { name: "TypeError", message: `bad argument #1 to 'loss' (Float64Array is detached (${why}))` });
        assert.throws(() => reg.grad({ data: detachedFloat64([1, 2]), shape: [2] }),
          { name: "TypeError", message: `bad argument #1 to 'grad' (Float64Array is detached (${why}))` });
        assert.throws(() => new GaussianReg({ mean: [0, 1], std: detachedFloat64([1, 2]) }),
          { name: "TypeError", message: `bad argument #1 to 'GaussianReg' (std: Float64Array is detached (${why}))` });
        assert.throws(() => { fit.mean = detachedFloat64([1]); },
          { name: "TypeError", message: `bad argument #1 to 'mean' (Float64Array is detached (${why}))` });
        assert.throws(() => HeapArray.from(detachedFloat64([1])),
          { name: "TypeError", message: `bad argument #1 to 'from' (Float64Array is detached (${why}))` });
      }
      const state = reg.state();
      const copy = state.slice();
      structuredClone(state.buffer, { transfer: [state.buffer] });
      assert.throws(() => GaussianReg.fromState(state),
        { name: "TypeError", message: `bad argument #1 to 'fromState' (Uint8Array is detached (${why}))` });
      assert.throws(() => GaussianReg.fromState(state.buffer),
        { name: "TypeError", message: `bad argument #1 to 'fromState' (ArrayBuffer is detached (${why}))` });
      GaussianReg.fromState(copy.buffer).dispose();
      // an old HeapArray view after the memory grew
      const h = HeapArray.from([1, 2, 3]);
      const stale = h.array;
      const keep = [];
      grow(mod, keep);
      assert.equal(stale.length, 0, "growth detached the old view");
      assert.throws(() => reg.loss(stale), { name: "TypeError", message: `bad argument #1 to 'loss' (Float64Array is detached (${why}))` });
      assert.equal(reg.loss(h.array), reg.loss([1, 2, 3]));
      for (const o of [...keep, h]) o.dispose();
      assert.equal(mod.heapUsed(), heap0);
      reg.dispose();
      fit.dispose();
    });
  });

  describe(`${name} build: getters that call back into the library`, () => {
    it("another object's loss inside a getter does not change this constructor's scalar mean", () => {
      const other = new GaussianReg({ mean: 0, std: 1 });
      const std = withGetter([1, 2], 1, () => other.loss(42));
      const reg = new GaussianReg({ mean: 7, std, fitHyper: true });
      assert.equal(reg.mean, 7);
      const plain = new GaussianReg({ mean: 7, std: [1, 2] });
      assert.equal(reg.loss([1, 1]), plain.loss([1, 1]));
      // the same through {data, shape} getters and a scalar x of another call
      const shaped = { shape: [2], get data() { other.grad(42); return new Float64Array([1, 2]); } };
      const reg2 = new GaussianReg({ mean: 7, std: shaped });
      assert.equal(reg2.loss([1, 1]), plain.loss([1, 1]));
      for (const o of [other, reg, plain, reg2]) o.dispose();
    });

    it("a getter that grows the memory (a new HeapArray) does not change the loss", () => {
      const reg = new GaussianReg({ mean: [1, 2, 3, 4], std: 0.5, weight: 2 });
      const values = [3, -1, 4, 1];
      const want = reg.loss(values);
      reg.loss([9, 9, 9, 9]); // the next copy's block no longer holds the values
      const made = [];
      const more = () => grow(mod, made);
      const heap0 = mod.heapUsed();
      const mem0 = mod.memoryBytes();
      assert.equal(reg.loss(withGetter(values, 2, more)), want);
      assert.ok(mod.memoryBytes() > mem0, "the getter grew the memory (the case under test)");
      assert.deepEqual(reg.grad([withGetter(values, 0, more)]), reg.grad([values]));
      assert.equal(reg.loss({ data: withGetter(values, 3, more), shape: [4] }), want);
      const fit = new GaussianReg({ mean: withGetter([1, 2, 3, 4], 1, more), std: 0.5, weight: 2, fitHyper: true });
      assert.equal(fit.loss(values), want);
      const twin = new GaussianReg({ mean: [1, 2, 3, 4], std: 0.5, weight: 2, fitHyper: true });
      twin.precision = [4, 3, 2, 1];
      fit.precision = withGetter([4, 3, 2, 1], 0, more);
      assert.equal(fit.loss(values), twin.loss(values));
      assert.deepEqual(fit.hyperGrad(withGetter(values, 1, more)), fit.hyperGrad(values));
      fit.dispose();
      twin.dispose();
      for (const h of made) h.dispose();
      assert.equal(mod.heapUsed(), heap0);
      reg.dispose();
    });

    it("a getter that changes or disposes the object, or throws, is handled before anything is placed", () => {
      const fit = new GaussianReg({ mean: [0, 1], std: 1, fitHyper: true });
      const heap0 = mod.heapUsed();
      // hyperGrad reads the hyperparameters' shapes after x's getters ran
      const x = withGetter([[1], [2]], 0, () => { fit.mean = [[0], [1]]; });
      const g = fit.hyperGrad(x);
      assert.deepEqual(g.mean, fit.hyperGrad([[1], [2]]).mean);
      assert.deepEqual(fit.mean, [[0], [1]]);
      const doomed = new GaussianReg({ mean: 0, std: 1 });
      assert.throws(() => doomed.loss(withGetter([1, 2], 0, () => doomed.dispose())),
        { name: "TypeError", message: "'loss' called on a disposed GaussianReg" });
      assert.throws(() => fit.grad(withGetter([1, 2], 1, () => { throw new Error("from a getter"); })),
        { message: "from a getter" });
      const h = new HeapArray(2);
      assert.throws(() => fit.grad(withGetter([[1, 2], [3, 4]], 0, () => h.dispose()), h),
        { name: "TypeError", message: "bad argument #2 to 'grad' (HeapArray has been disposed)" });
      assert.equal(mod.heapUsed(), heap0); // doomed was made after heap0 and freed by the getter
      fit.dispose();
    });

    it("imitations of a HeapArray or a typed array (prototype tricks, proxies) are refused without touching the heap", () => {
      const reg = new GaussianReg({ mean: 0, std: 1 });
      const h = new HeapArray(2);
      const heap0 = mod.heapUsed();
      const accepted = "expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object";
      for (const fake of [Object.create(HeapArray.prototype), new Proxy(h, {}), Object.create(Float64Array.prototype),
        new Proxy(new Float64Array(2), {})]) {
        assert.throws(() => reg.loss(fake), { name: "TypeError", message: `bad argument #1 to 'loss' (${accepted})` });
        assert.throws(() => reg.grad([1, 2], fake), { name: "TypeError", message: "bad argument #2 to 'grad' (expected HeapArray, got object)" });
      }
      assert.equal(mod.heapUsed(), heap0);
      h.dispose();
      reg.dispose();
    });

    it("a shape is read once: a getter cannot pass validation with one value and give another", () => {
      const reg = new GaussianReg({ mean: 0, std: 1, seed: 1 });
      let reads = 0;
      const shape = [2];
      Object.defineProperty(shape, 0, { get: () => (reads++ === 0 ? 3 : "x") });
      assert.equal(reg.sampleInit(shape).length, 3);
      assert.equal(reads, 1);
      reg.dispose();
    });
  });
}
