// Memory: the wasm heap stays flat over 10^5 create/dispose cycles and error
// paths; views survive memory growth; the FinalizationRegistry frees objects
// that were never disposed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { builds } from "./helpers.js";

for (const { name, mod } of builds) {
  const { GaussianReg, HeapArray } = mod;
  describe(`${name} build: memory`, () => {
    it("10^5 create/use/dispose cycles leave the heap where it was", () => {
      const warm = new GaussianReg({ mean: [0, 1], std: [1, 2], fitHyper: true });
      warm.dispose();
      const before = mod.heapUsed();
      for (let i = 0; i < 1e5; i++) {
        const r = new GaussianReg({ mean: i % 2 ? [0, 1] : 0.5, std: [1, 2], weight: 0.1, seed: i });
        if (i % 1000 === 0) {
          r.loss([1, 2]);
          r.grad({ data: new Float32Array([1, 2]), shape: [2] });
          r.sampleInit([3, 2]);
          GaussianReg.fromState(r.state()).dispose();
        }
        r.dispose();
      }
      assert.equal(mod.heapUsed(), before);
    });

    it("error paths free their temporaries (10^4 of each)", () => {
      const r = new GaussianReg({ mean: [0, 1], std: 1 });
      const f = new GaussianReg({ mean: [0, 1], std: 1, fitHyper: true });
      const before = mod.heapUsed();
      const bad = [
        () => r.loss([[1, 2, 3], [4, 5, 6]]),
        () => r.grad({ data: new Float64Array(12), shape: [4, 3] }),
        () => r.lossAndGrad([1, 2, 3]),
        () => r.loss([1, "x"]),
        () => r.sampleInit([3]),
        () => new GaussianReg({ mean: [0, 1], std: [1, -2] }),
        () => new GaussianReg({ mean: [0, 1], std: [1, 2, 3] }),
        () => new GaussianReg({ mean: [0, 1], std: [[1], "a"] }),
        () => GaussianReg.fromState(new Uint8Array(64)),
        () => { f.mean = [NaN, 1]; },
        () => f.hyperGrad([1, 2, 3]),
        () => new HeapArray([2 ** 29 - 1]),
      ];
      for (let i = 0; i < 1e4; i++) {
        for (const b of bad) assert.throws(b);
      }
      assert.equal(mod.heapUsed(), before);
      r.dispose();
      f.dispose();
    });

    it("HeapArray.array is re-derived after memory growth", () => {
      const h = new HeapArray(4);
      h.array.set([1, 2, 3, 4]);
      const oldView = h.array;
      const bytes = mod.memoryBytes();
      const big = new HeapArray(Math.ceil(bytes / 8) + 1024); // forces growth
      assert.ok(mod.memoryBytes() > bytes);
      assert.equal(oldView.length, 0); // the old buffer is detached
      assert.deepEqual(Array.from(h.array), [1, 2, 3, 4]);
      const r = new GaussianReg({ mean: 0, std: 1 });
      assert.ok(Number.isFinite(r.loss(h)));
      big.dispose();
      h.dispose();
      r.dispose();
    });

    it("Symbol.dispose frees like dispose()", () => {
      const before = mod.heapUsed();
      {
        const r = new GaussianReg({ mean: [1, 2, 3], std: 1 });
        const h = new HeapArray(100);
        r[Symbol.dispose]();
        h[Symbol.dispose]();
        assert.ok(r.isDisposed && h.isDisposed);
      }
      assert.equal(mod.heapUsed(), before);
    });
  });
}

describe("FinalizationRegistry", () => {
  it("frees regularizers and HeapArrays that were dropped without dispose (child with --expose-gc)", () => {
    const child = fileURLToPath(new URL("./gc-child.mjs", import.meta.url));
    const res = spawnSync(process.execPath, ["--expose-gc", child], { encoding: "utf8", timeout: 60000 });
    assert.equal(res.status, 0, res.stderr + res.stdout);
    const { before, leaked, after } = JSON.parse(res.stdout);
    assert.ok(leaked > before + 1e6, `objects were allocated (${before} -> ${leaked})`);
    assert.ok(after <= before + 4096, `heap went back: before ${before}, after gc ${after}`);
  });
});
