// sampleInit: shapes, statistics, determinism, state round trips; the two
// builds give bit-identical draws.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builds, close } from "./helpers.js";

const bits = (a) => Array.from(new BigUint64Array(Float64Array.from(a).buffer), (b) => b.toString(16));

// Kolmogorov-Smirnov distance of draws from N(mu, sigma).
function ksDistance(xs, mu, sigma) {
  const s = Float64Array.from(xs).sort();
  const cdf = (x) => 0.5 * (1 + erf((x - mu) / (sigma * Math.SQRT2)));
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs((i + 1) / s.length - f));
  }
  return d;
}

// erf to ~1e-7 (Abramowitz-Stegun 7.1.26 is 1.5e-7; enough for a KS bound).
function erf(x) {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

for (const { name, mod } of builds) {
  const { GaussianReg, HeapArray } = mod;
  describe(`${name} build: sampleInit`, () => {
    it("shapes: an int, an array, broadcast with mean and precision", () => {
      const r = new GaussianReg({ mean: 0, std: 1, seed: 1 });
      assert.equal(r.sampleInit(7).length, 7);
      assert.equal(r.sampleInit([2, 3]).length, 6);
      assert.equal(r.sampleInit([]).length, 1);
      assert.equal(r.sampleInit(0).length, 0);
      const v = new GaussianReg({ mean: [[0], [10]], std: [1, 2, 3], seed: 1 });
      assert.deepEqual(v.sampleShape([]), [2, 3]);
      assert.deepEqual(v.sampleShape([4, 1, 1]), [4, 2, 3]);
      assert.equal(v.sampleInit([4, 1, 1]).length, 24);
      r.dispose();
      v.dispose();
    });

    it("moments and a KS bound over 10^5 draws", () => {
      const mu = 1.7, sigma = 0.6, n = 1e5;
      const r = new GaussianReg({ mean: mu, std: sigma, seed: 2024 });
      const xs = r.sampleInit(n);
      let m = 0;
      for (const x of xs) m += x;
      m /= n;
      let v = 0;
      for (const x of xs) v += (x - m) ** 2;
      v /= n - 1;
      const sd = Math.sqrt(v);
      // 5-sigma bounds of the estimators
      assert.ok(Math.abs(m - mu) < 5 * sigma / Math.sqrt(n), `mean ${m}`);
      assert.ok(Math.abs(sd - sigma) < 5 * sigma / Math.sqrt(2 * n), `std ${sd}`);
      // KS: P(D > 1.95/sqrt(n)) ~ 0.001
      const d = ksDistance(xs, mu, sigma);
      assert.ok(d < 1.95 / Math.sqrt(n), `KS distance ${d}`);
      r.dispose();
    });

    it("per-element std: each column has its own spread", () => {
      const r = new GaussianReg({ mean: [0, 5], std: [0.1, 3], seed: 3 });
      const xs = r.sampleInit([20000, 1]);
      const col = (j) => xs.filter((_, i) => i % 2 === j);
      const sd = (a) => {
        const m = a.reduce((s, x) => s + x, 0) / a.length;
        return [m, Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1))];
      };
      const [m0, s0] = sd(col(0));
      const [m1, s1] = sd(col(1));
      assert.ok(Math.abs(m0) < 5 * 0.1 / Math.sqrt(20000) && Math.abs(s0 - 0.1) < 0.005);
      assert.ok(Math.abs(m1 - 5) < 5 * 3 / Math.sqrt(20000) && Math.abs(s1 - 3) < 0.15);
      r.dispose();
    });

    it("zero std samples the mean exactly up to std_eff = 1e-4", () => {
      const r = new GaussianReg({ mean: 2, std: 0, seed: 3 });
      for (const x of r.sampleInit(1000)) assert.ok(Math.abs(x - 2) < 1e-3);
      r.dispose();
    });

    it("determinism: same seed same draws; seed() restarts; different seeds differ", () => {
      const a = new GaussianReg({ mean: 0, std: 1, seed: 42 });
      const b = new GaussianReg({ mean: 0, std: 1, seed: 42 });
      const c = new GaussianReg({ mean: 0, std: 1, seed: 43 });
      const first = a.sampleInit(100);
      assert.deepEqual(bits(first), bits(b.sampleInit(100)));
      assert.notDeepEqual(bits(first), bits(c.sampleInit(100)));
      assert.notDeepEqual(bits(first), bits(a.sampleInit(100)));
      a.seed(42);
      assert.deepEqual(bits(first), bits(a.sampleInit(100)));
      a.seed(42n);
      assert.deepEqual(bits(first), bits(a.sampleInit(100)));
      // a 64-bit seed as bigint and its number form agree below 2^53
      c.seed(2n ** 40n + 5n);
      const d = new GaussianReg({ mean: 0, std: 1, seed: 2 ** 40 + 5 });
      assert.deepEqual(bits(c.sampleInit(10)), bits(d.sampleInit(10)));
      const e = new GaussianReg({ mean: 0, std: 1, seed: 2n ** 64n - 1n });
      assert.equal(e.sampleInit(3).length, 3);
      for (const r of [a, b, c, d, e]) r.dispose();
    });

    it("sampleInit into a HeapArray (float64 and float32) draws the same numbers", () => {
      const a = new GaussianReg({ mean: 1, std: 2, seed: 9 });
      const ref = a.sampleInit([3, 4]);
      a.seed(9);
      const h = new HeapArray([3, 4]);
      assert.equal(a.sampleInit([3, 4], h), h);
      assert.deepEqual(bits(h.array), bits(ref));
      a.seed(9);
      const h32 = new HeapArray([3, 4], "float32");
      a.sampleInit([3, 4], h32);
      assert.deepEqual(Array.from(h32.array), Array.from(ref, Math.fround));
      h.dispose();
      h32.dispose();
      a.dispose();
    });

    it("state round trip: the restored object continues the same stream with the same hyperparameters", () => {
      const a = new GaussianReg({ mean: [1, 2], std: [0.5, 3], weight: 0.3, fitHyper: true, seed: 77, logMode: "per_element" });
      a.sampleInit([5, 2]);
      const bytes = a.state();
      assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
      const b = GaussianReg.fromState(bytes);
      assert.ok(b instanceof GaussianReg);
      assert.deepEqual(bits(b.sampleInit([6, 2])), bits(a.sampleInit([6, 2])));
      assert.deepEqual(b.mean, [1, 2]);
      assert.deepEqual(b.precision, a.precision);
      assert.equal(b.weight, 0.3);
      assert.equal(b.fitHyper, true);
      assert.equal(b.logMode, "per_element");
      close(b.loss([0, 0]), a.loss([0, 0]), 0);
      // the bytes of a restored object are the bytes of the original
      assert.deepEqual(b.state(), a.state());
      const c = GaussianReg.fromState(a.state().buffer.slice(0));
      assert.deepEqual(c.state(), a.state());
      const s = new GaussianReg({ mean: 0, std: 1 });
      const sr = GaussianReg.fromState(s.state());
      assert.equal(sr.mean, 0);
      assert.equal(sr.fitHyper, false);
      for (const r of [a, b, c, s, sr]) r.dispose();
    });
  });
}

describe("both builds draw bit-identical samples and agree on loss", () => {
  it("same hyperparameters and seed -> same bits in the SIMD and scalar builds", () => {
    const [s, v] = builds.map(({ mod }) => new mod.GaussianReg({ mean: [0, 1, -2], std: [1, 0.5, 2], seed: 5 }));
    for (const shape of [[1], [7, 3], [1001, 3]]) assert.deepEqual(bits(s.sampleInit(shape)), bits(v.sampleInit(shape)));
    const x = Float64Array.from({ length: 3003 }, (_, i) => Math.sin(i));
    close(s.loss({ data: x, shape: [1001, 3] }), v.loss({ data: x, shape: [1001, 3] }), 1e-13);
    assert.deepEqual(s.state(), v.state());
    s.dispose();
    v.dispose();
  });
});
