// Every error: class and exact message (the Lua module's wording), and the
// object stays usable afterwards.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builds } from "./helpers.js";

function throwsExactly(fn, Kind, message) {
  assert.throws(fn, (e) => {
    assert.equal(e.constructor, Kind, `${e.constructor.name}: ${e.message}`);
    assert.equal(e.message, message);
    return true;
  });
}

for (const { name, mod } of builds) {
  const { GaussianReg, HeapArray } = mod;
  describe(`${name} build: errors`, () => {
    const reg = new GaussianReg({ mean: [0, 1], std: 1, weight: 0.5, seed: 1 });
    const C = "GaussianReg";

    it("shape mismatches (C messages, formatted like Lua)", () => {
      const x43 = { data: new Float64Array(12), shape: [4, 3] };
      throwsExactly(() => reg.loss(x43), RangeError, "bad argument #1 to 'loss' (shape (4,3) does not broadcast with mean shape (2))");
      throwsExactly(() => reg.grad(x43), RangeError, "bad argument #1 to 'grad' (shape (4,3) does not broadcast with mean shape (2))");
      throwsExactly(() => reg.lossAndGrad([1, 2, 3]), RangeError, "bad argument #1 to 'lossAndGrad' (shape (3) does not broadcast with mean shape (2))");
      throwsExactly(() => reg.sampleInit([3]), RangeError, "bad argument #1 to 'sampleInit' (shape (3) does not broadcast with mean shape (2))");
      throwsExactly(() => reg.sampleShape([5, 3]), RangeError, "bad argument #1 to 'sampleShape' (shape (5,3) does not broadcast with mean shape (2))");
      const p = new GaussianReg({ mean: 0, std: [1, 2, 3] });
      throwsExactly(() => p.loss([1, 2]), RangeError, "bad argument #1 to 'loss' (shape (2) does not broadcast with precision shape (3))");
      p.dispose();
      throwsExactly(() => new GaussianReg({ mean: [0, 1], std: [1, 2, 3] }), RangeError,
        "bad argument #1 to 'GaussianReg' (std shape (3) does not broadcast with mean shape (2))");
    });

    it("bad values in a nested array", () => {
      throwsExactly(() => reg.loss([1, "a"]), TypeError, "bad argument #1 to 'loss' (expected number at [1], got string)");
      throwsExactly(() => reg.loss([[1, 2], [null, 3]]), TypeError, "bad argument #1 to 'loss' (expected number at [1][0], got null)");
      // eslint-disable-next-line no-sparse-arrays
      throwsExactly(() => reg.loss([1, , 3].slice(0, 2)), TypeError, "bad argument #1 to 'loss' (hole at index 1)");
      throwsExactly(() => reg.loss([[1, 2], [3]]), RangeError, "bad argument #1 to 'loss' (ragged nested array: expected length 2 at [1], got 1)");
      throwsExactly(() => reg.loss([[1, 2], 3]), TypeError, "bad argument #1 to 'loss' (expected array at [1], got number)");
      throwsExactly(() => reg.loss([1, [2]]), TypeError, "bad argument #1 to 'loss' (expected number at [1], got array)");
      throwsExactly(() => reg.loss([[[[[[[[[1]]]]]]]]]), RangeError, "bad argument #1 to 'loss' (nested array has more than 8 dimensions)");
    });

    it("wrong types and forms", () => {
      throwsExactly(() => reg.loss("x"), TypeError, "bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)");
      throwsExactly(() => reg.loss(new Int32Array(2)), TypeError, "bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got Int32Array)");
      throwsExactly(() => reg.loss(undefined), TypeError, "bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)");
      throwsExactly(() => reg.loss({ data: new Float64Array(5), shape: [2, 3] }), RangeError, "bad argument #1 to 'loss' (shape (2,3) has 6 elements but data has 5)");
      throwsExactly(() => reg.loss({ data: new Int8Array(6), shape: [2, 3] }), TypeError, "bad argument #1 to 'loss' (expected data to be a Float64Array, Float32Array or number array, got Int8Array)");
      throwsExactly(() => reg.loss({ data: [], shape: [-1] }), RangeError, "bad argument #1 to 'loss' (dimension at [0] must be a non-negative integer, got -1)");
      throwsExactly(() => reg.grad([1, 2], [0, 0]), TypeError, "bad argument #2 to 'grad' (expected HeapArray, got array)");
      const h3 = new HeapArray(3);
      throwsExactly(() => reg.grad([1, 2], h3), RangeError, "bad argument #2 to 'grad' (out shape (3) does not match value shape (2))");
      throwsExactly(() => reg.lossAndGrad([1, 2], h3), RangeError, "bad argument #2 to 'lossAndGrad' (out shape (3) does not match value shape (2))");
      throwsExactly(() => reg.sampleInit([2], h3), RangeError, "bad argument #2 to 'sampleInit' (out shape (3) does not match sample shape (2))");
      h3.dispose();
    });

    it("shapes for sampleInit and HeapArray", () => {
      throwsExactly(() => reg.sampleInit(-1), RangeError, "bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got -1)");
      throwsExactly(() => reg.sampleInit(1.5), RangeError, "bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got 1.5)");
      throwsExactly(() => reg.sampleInit([2, "3"]), TypeError, "bad argument #1 to 'sampleInit' (expected integer dimension at [1], got string)");
      throwsExactly(() => reg.sampleInit("3"), TypeError, "bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got string)");
      throwsExactly(() => reg.sampleInit([1, 1, 1, 1, 1, 1, 1, 1, 2]), RangeError, "bad argument #1 to 'sampleInit' (shape has 9 dimensions (at most 8))");
      throwsExactly(() => new HeapArray(3, "int32"), RangeError, "bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got \"int32\")");
      throwsExactly(() => new HeapArray(3, 4), TypeError, "bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)");
      throwsExactly(() => new HeapArray([2 ** 30, 2 ** 10]), RangeError, "bad argument #1 to 'HeapArray' (cannot allocate 8796093022208 bytes of wasm memory)");
      // bigger than any wasm32 heap: malloc returns NULL, nothing breaks
      throwsExactly(() => new HeapArray([2 ** 29 - 1]), RangeError, "bad argument #1 to 'HeapArray' (cannot allocate 4294967288 bytes of wasm memory)");
      // more elements than a wasm32 size_t counts: the core's shape check
      throwsExactly(() => reg.sampleInit([2 ** 31, 2]), RangeError, "bad argument #1 to 'sampleInit' (shape (2147483648,2) has too many elements (more than 4294967295))");
      // countable, but more bytes than a wasm32 heap holds
      throwsExactly(() => reg.sampleInit([2 ** 28, 2]), RangeError, "bad argument #1 to 'sampleInit' (cannot allocate 4294967296 bytes of wasm memory)");
      assert.equal(reg.sampleInit([2, 2]).length, 4);
    });

    it("construction", () => {
      throwsExactly(() => new GaussianReg(), TypeError, `bad argument #1 to '${C}' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got undefined)`);
      throwsExactly(() => new GaussianReg(0), TypeError, `bad argument #1 to '${C}' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)`);
      throwsExactly(() => new GaussianReg({ std: 1 }), TypeError, `bad argument #1 to '${C}' (mean is required (number, array, Float64Array, Float32Array, {data, shape} or HeapArray))`);
      throwsExactly(() => new GaussianReg({ mean: 0 }), TypeError, `bad argument #1 to '${C}' (std is required (number, array, Float64Array, Float32Array, {data, shape} or HeapArray))`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, fit_hyper: true }), TypeError, `bad argument #1 to '${C}' (unknown option 'fit_hyper')`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: -1 }), RangeError, `bad argument #1 to '${C}' (std must be >= 0, got -1)`);
      throwsExactly(() => new GaussianReg({ mean: [0, NaN], std: 1 }), RangeError, `bad argument #1 to '${C}' (mean must be finite, got nan)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: Infinity }), RangeError, `bad argument #1 to '${C}' (std must be finite, got inf)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, weight: NaN }), RangeError, `bad argument #1 to '${C}' (weight must be finite, got nan)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, weight: "1" }), TypeError, `bad argument #1 to '${C}' (weight must be a number, got string)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, fitHyper: 1 }), TypeError, `bad argument #1 to '${C}' (fitHyper must be a boolean, got number)`);
      throwsExactly(() => new GaussianReg({ mean: [1, "x"], std: 1 }), TypeError, `bad argument #1 to '${C}' (mean: expected number at [1], got string)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: {} }), TypeError, `bad argument #1 to '${C}' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, seed: -1 }), RangeError, `bad argument #1 to '${C}' (seed must be an integer in [0, 2^53], got -1)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, seed: 2n ** 64n }), RangeError, `bad argument #1 to '${C}' (seed must be an integer in [0, 2^64), got 18446744073709551616)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, seed: "1" }), TypeError, `bad argument #1 to '${C}' (seed must be a number or bigint, got string)`);
      throwsExactly(() => new GaussianReg({ mean: 0, std: 1, logMode: "full" }), RangeError, `bad argument #1 to '${C}' (logMode must be "per_precision" or "per_element", got "full")`);
    });

    it("fixed hyperparameters", () => {
      const msg = "hyperparameters are fixed: construct with fitHyper = true";
      throwsExactly(() => { reg.mean = 1; }, TypeError, msg);
      throwsExactly(() => { reg.precision = 1; }, TypeError, msg);
      throwsExactly(() => { reg.weight = 1; }, TypeError, msg);
      throwsExactly(() => reg.hyperGrad([1, 2]), TypeError, msg);
      assert.deepEqual(reg.mean, [0, 1]);
      assert.equal(reg.weight, 0.5);
    });

    it("setters validate and leave the object unchanged on failure", () => {
      const f = new GaussianReg({ mean: [0, 1], std: 1, weight: 2, fitHyper: true });
      throwsExactly(() => { f.mean = [0, Infinity]; }, RangeError, "bad argument #1 to 'mean' (must be finite, got inf)");
      throwsExactly(() => { f.precision = [NaN]; }, RangeError, "bad argument #1 to 'precision' (must be finite, got nan)");
      throwsExactly(() => { f.weight = -Infinity; }, RangeError, "bad argument #1 to 'weight' (must be finite, got -inf)");
      throwsExactly(() => { f.weight = "2"; }, TypeError, "bad argument #1 to 'weight' (expected number, got string)");
      throwsExactly(() => { f.mean = "a"; }, TypeError, "bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)");
      throwsExactly(() => { f.logMode = 1; }, TypeError, "bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)");
      throwsExactly(() => { f.isa = "avx512"; }, RangeError, "bad argument #1 to 'isa' (unknown instruction set \"avx512\")");
      throwsExactly(() => { f.isa = "neon"; }, RangeError, "bad argument #1 to 'isa' (neon is not available on this CPU or build)");
      assert.deepEqual(f.mean, [0, 1]);
      assert.equal(f.weight, 2);
      throwsExactly(() => f.hyperGrad([1, 2, 3]), RangeError, "bad argument #1 to 'hyperGrad' (shape (3) does not broadcast with mean shape (2))");
      f.dispose();
    });

    it("seed and state", () => {
      throwsExactly(() => reg.seed(1.5), RangeError, "bad argument #1 to 'seed' (seed must be an integer in [0, 2^53], got 1.5)");
      throwsExactly(() => reg.seed(), TypeError, "bad argument #1 to 'seed' (seed must be a number or bigint, got undefined)");
      throwsExactly(() => GaussianReg.fromState("abc"), TypeError, "bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got string)");
      throwsExactly(() => GaussianReg.fromState(new Uint8Array(10)), RangeError, "bad argument #1 to 'fromState' (bad magic: not a gaussianreg state)");
      const good = reg.state();
      const truncated = good.slice(0, good.length - 3);
      assert.throws(() => GaussianReg.fromState(truncated), RangeError);
      const flipped = good.slice();
      flipped[flipped.length - 1] ^= 0xff;
      assert.throws(() => GaussianReg.fromState(flipped), (e) => e instanceof RangeError && /^bad argument #1 to 'fromState' \(/.test(e.message));
    });

    it("use after dispose throws, dispose is idempotent", () => {
      const r = new GaussianReg({ mean: 0, std: 1 });
      r.dispose();
      r.dispose();
      assert.equal(r.isDisposed, true);
      throwsExactly(() => r.loss(1), TypeError, "'loss' called on a disposed GaussianReg");
      throwsExactly(() => r.sampleInit(1), TypeError, "'sampleInit' called on a disposed GaussianReg");
      throwsExactly(() => r.mean, TypeError, "'mean' called on a disposed GaussianReg");
      throwsExactly(() => r.state(), TypeError, "'state' called on a disposed GaussianReg");
      const h = new HeapArray(2);
      h.dispose();
      h.dispose();
      throwsExactly(() => h.array, TypeError, "HeapArray has been disposed");
      throwsExactly(() => reg.loss(h), TypeError, "bad argument #1 to 'loss' (HeapArray has been disposed)");
    });

    it("after all those errors the object still computes the same numbers", () => {
      const fresh = new GaussianReg({ mean: [0, 1], std: 1, weight: 0.5 });
      assert.equal(reg.loss([0.3, 0.4]), fresh.loss([0.3, 0.4]));
      fresh.dispose();
    });
  });
}

describe("objects of one instance cannot be used by another", () => {
  it("a HeapArray from the SIMD instance is refused by the scalar one", () => {
    const [a, b] = builds.map((x) => x.mod);
    const h = new a.HeapArray(2);
    const r = new b.GaussianReg({ mean: 0, std: 1 });
    throwsExactly(() => r.loss(h), TypeError, "bad argument #1 to 'loss' (HeapArray belongs to another wasm instance)");
    h.dispose();
    r.dispose();
  });
});
