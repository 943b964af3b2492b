// Values: reference vectors, broadcasting, both log modes, float32 paths,
// every input/output form, finite-difference gradients. Runs on both builds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builds, close, closeArray, flat, lcg, nest, numel, oracle, vectors } from "./helpers.js";

const asValue = (op) => (op.shape.length === 0 ? op.data[0] : { data: Float64Array.from(op.data), shape: op.shape });

for (const { name, mod } of builds) {
  const { GaussianReg, HeapArray } = mod;

  describe(`${name} build: reference vectors`, () => {
    it(`runs the ${name} kernels`, () => {
      const reg = new GaussianReg({ mean: 0, std: 1 });
      assert.equal(reg.isa, name === "simd" ? "wasm128" : "scalar");
      assert.equal(mod.simd, name === "simd");
      reg.dispose();
    });

    for (const c of vectors.cases) {
      it(`${c.name}: loss, grad, hyperGrad, precision, resetValue`, () => {
        const reg = new GaussianReg({ mean: asValue(c.mean), std: asValue(c.std), weight: c.weight, fitHyper: true });
        const x = asValue(c.value);
        close(reg.loss(x), c.loss, 1e-13, 1e-300, "loss");
        closeArray(flat(reg.grad(x)), c.grad.data, 1e-13, 0, "grad");
        const lg = reg.lossAndGrad(x);
        close(lg.loss, c.loss, 1e-13, 1e-300, "lossAndGrad.loss");
        closeArray(flat(lg.grad), c.grad.data, 1e-13, 0, "lossAndGrad.grad");
        const hg = reg.hyperGrad(x);
        closeArray(flat(hg.mean), c.grad_mean.data, 1e-12, 1e-15, "grad_mean");
        closeArray(flat(hg.precision), c.grad_precision.data, 1e-12, 1e-15, "grad_precision");
        close(hg.weight, c.grad_weight, 1e-13, 1e-300, "grad_weight");
        closeArray(flat(reg.precision), c.precision.data, 1e-15, 0, "precision");
        closeArray(flat(reg.resetValue()), c.reset_value.data, 0, 0, "reset_value");
        assert.deepEqual(reg.sampleShape(c.value.shape), c.broadcast_shape);
        reg.dispose();
      });
    }
  });

  describe(`${name} build: broadcasting and log modes against a float64 oracle`, () => {
    const rnd = lcg(11);
    const cases = [
      { xs: [4, 3], ms: [3], ps: [] },
      { xs: [2, 3], ms: [2, 1], ps: [3] },
      { xs: [], ms: [3], ps: [3] },
      { xs: [3, 5, 4], ms: [3, 1, 4], ps: [4] },
      { xs: [5, 1], ms: [1, 6], ps: [6] }, // x stretched along axis 1
      { xs: [1001], ms: [], ps: [] }, // odd length, SIMD tail
      { xs: [0], ms: [], ps: [] }, // empty value
      { xs: [2, 2, 2, 2, 2, 2, 2, 2], ms: [2], ps: [1] }, // 8-d
    ];
    for (const mode of ["per_precision", "per_element"]) {
      for (const cs of cases) {
        it(`${mode}: x ${JSON.stringify(cs.xs)}, mean ${JSON.stringify(cs.ms)}, std ${JSON.stringify(cs.ps)}`, () => {
          const x = Array.from({ length: numel(cs.xs) }, () => rnd() * 6 - 3);
          const m = Array.from({ length: numel(cs.ms) }, () => rnd() * 2 - 1);
          const s = Array.from({ length: numel(cs.ps) }, () => 0.2 + rnd() * 2);
          const w = 0.37;
          const reg = new GaussianReg({ mean: nest(m, cs.ms), std: nest(s, cs.ps), weight: w, fitHyper: true, logMode: mode });
          assert.equal(reg.logMode, mode);
          const p = flat(reg.precision);
          const o = oracle({ x, xs: cs.xs, m, ms: cs.ms, p, ps: cs.ps, w, mode });
          const xv = cs.xs.length ? { data: Float64Array.from(x), shape: cs.xs } : x[0];
          close(reg.loss(xv), o.loss, 1e-12, 1e-12, "loss");
          closeArray(flat(reg.grad(xv)), o.grad, 1e-12, 1e-14, "grad");
          const hg = reg.hyperGrad(xv);
          closeArray(flat(hg.mean), o.gmean, 1e-12, 1e-12, "gmean");
          closeArray(flat(hg.precision), o.gprec, 1e-11, 1e-10, "gprec");
          close(hg.weight, o.gweight, 1e-12, 1e-12, "gweight");
          reg.dispose();
        });
      }
    }

    it("per_element scales the log term by numel(B)/numel(P) and the mode can be switched", () => {
      const reg = new GaussianReg({ mean: 0, std: 2, weight: 1 });
      const x = [0, 0, 0, 0];
      const prec = 1 / (4 + 1e-8) + 1e-6;
      close(reg.loss(x), -Math.log(prec), 1e-14);
      reg.logMode = "per_element";
      close(reg.loss(x), -4 * Math.log(prec), 1e-14);
      reg.logMode = "per_precision";
      close(reg.loss(x), -Math.log(prec), 1e-14);
      reg.dispose();
    });

    it("loss is minimal at the mean, grows with distance, and scales linearly with weight", () => {
      const r1 = new GaussianReg({ mean: 1.5, std: 0.7, weight: 1 });
      const r3 = new GaussianReg({ mean: 1.5, std: 0.7, weight: 3 });
      const at = (d) => r1.loss([1.5 + d, 1.5 - d]);
      assert.ok(at(0) < at(0.1) && at(0.1) < at(0.5) && at(0.5) < at(2));
      close(r3.loss([0.2, 4]), 3 * r1.loss([0.2, 4]), 1e-14);
      assert.deepEqual(Array.from(r1.grad(new Float64Array([1.5]))), [0]);
      r1.dispose();
      r3.dispose();
    });

    it("zero std gives precision 1e8 and a finite loss; a large std a tiny one", () => {
      const reg = new GaussianReg({ mean: 0, std: [0, 1e4] });
      closeArray(flat(reg.precision), [1e8, 1 / (1e8 + 1e-8)], 1e-15);
      assert.ok(Number.isFinite(reg.loss([1e-3, 1])));
      reg.dispose();
    });
  });

  describe(`${name} build: float32 paths accumulate in float64`, () => {
    it("Float32Array in -> Float32Array out, loss equal to the float64 loss of the same numbers", () => {
      const rnd = lcg(5);
      const x32 = Float32Array.from({ length: 4099 }, () => rnd() * 8 - 4);
      const x64 = Float64Array.from(x32);
      const reg = new GaussianReg({ mean: 0.25, std: 1.3, weight: 0.1 });
      close(reg.loss(x32), reg.loss(x64), 1e-13);
      const g32 = reg.grad(x32);
      assert.ok(g32 instanceof Float32Array);
      const g64 = reg.grad(x64);
      for (let i = 0; i < g64.length; i++) assert.equal(g32[i], Math.fround(g64[i]));
      const h = HeapArray.from(x32);
      assert.equal(h.dtype, "float32");
      close(reg.loss(h), reg.loss(x64), 1e-13);
      const gh = reg.grad(h);
      assert.equal(gh.dtype, "float32");
      assert.deepEqual(Array.from(gh.array), Array.from(g32));
      h.dispose();
      gh.dispose();
      reg.dispose();
    });

    it("a large float32 sum keeps float64 accuracy (10^6 elements)", () => {
      const n = 1e6;
      const x32 = new Float32Array(n).fill(0.1);
      const reg = new GaussianReg({ mean: 0, std: 1, weight: 1 });
      const v = Math.fround(0.1);
      const prec = 1 / (1 + 1e-8) + 1e-6;
      close(reg.loss(x32), n * prec * v * v - Math.log(prec), 1e-12);
      reg.dispose();
    });
  });

  describe(`${name} build: input and output forms`, () => {
    const reg = new GaussianReg({ mean: [0, 1, 2], std: 0.5, weight: 2 });
    const rows = [[0.5, 1, 3], [-1, 2, 2]];
    const expected = reg.grad({ data: Float64Array.from(rows.flat()), shape: [2, 3] });

    it("nested arrays in -> nested arrays out", () => {
      const g = reg.grad(rows);
      assert.ok(Array.isArray(g) && Array.isArray(g[0]) && g.length === 2 && g[0].length === 3);
      assert.deepEqual(g.flat(), Array.from(expected.data));
      assert.deepEqual(flat(reg.lossAndGrad(rows).grad), Array.from(expected.data));
    });

    it("{data, shape} in -> {data, shape} out (number[] data gives Float64Array)", () => {
      assert.deepEqual(expected.shape, [2, 3]);
      assert.ok(expected.data instanceof Float64Array);
      const g = reg.grad({ data: rows.flat(), shape: [2, 3] });
      assert.ok(g.data instanceof Float64Array);
      assert.deepEqual(Array.from(g.data), Array.from(expected.data));
      const g32 = reg.grad({ data: Float32Array.from(rows.flat()), shape: [2, 3] });
      assert.ok(g32.data instanceof Float32Array);
    });

    it("a number in -> a number out; typed arrays keep their type", () => {
      const r = new GaussianReg({ mean: 1, std: 1, weight: 1 });
      assert.equal(typeof r.grad(3), "number");
      close(r.grad(3), 2 * (1 / (1 + 1e-8) + 1e-6) * 2, 1e-15);
      const g = reg.grad(new Float64Array([0, 0, 0]));
      assert.ok(g instanceof Float64Array && g.length === 3);
      r.dispose();
    });

    it("HeapArray in -> HeapArray out, no copy; out= reuses a HeapArray", () => {
      const h = new HeapArray([2, 3]);
      h.array.set(rows.flat());
      const g = reg.grad(h);
      assert.ok(g instanceof HeapArray);
      assert.deepEqual(g.shape, [2, 3]);
      assert.deepEqual(Array.from(g.array), Array.from(expected.data));
      const out = new HeapArray([2, 3]);
      assert.equal(reg.grad(h, out), out);
      assert.deepEqual(Array.from(out.array), Array.from(expected.data));
      const { loss, grad } = reg.lossAndGrad(h, out);
      assert.equal(grad, out);
      close(loss, reg.loss(rows), 1e-15);
      // gradient in place: out may alias x when x has the full broadcast shape
      reg.grad(h, h);
      assert.deepEqual(Array.from(h.array), Array.from(expected.data));
      // out= may have another dtype: float64 value, float32 gradient (rounded once)
      const h64 = HeapArray.from(rows);
      const g32 = new HeapArray([2, 3], "float32");
      assert.equal(reg.grad(h64, g32), g32);
      assert.deepEqual(Array.from(g32.array), Array.from(Float32Array.from(expected.data)));
      for (const a of [h, g, out, h64, g32]) a.dispose();
    });

    it("getters return hyperparameters in the form they were given", () => {
      const a = new GaussianReg({ mean: [[1], [2]], std: new Float32Array([1, 2, 4]), fitHyper: true });
      assert.deepEqual(a.mean, [[1], [2]]);
      assert.ok(a.precision instanceof Float32Array);
      a.mean = { data: [3, 4], shape: [2, 1] };
      assert.deepEqual(a.mean.shape, [2, 1]);
      assert.ok(a.mean.data instanceof Float64Array);
      a.mean = 5;
      assert.equal(a.mean, 5);
      assert.equal(a.resetValue(), 5);
      a.precision = [1, 2, 3];
      assert.deepEqual(a.precision, [1, 2, 3]);
      a.weight = 0.5;
      assert.equal(a.weight, 0.5);
      close(a.loss(5), -0.5 * (Math.log(1 + 1e-6) + Math.log(2 + 1e-6) + Math.log(3 + 1e-6)), 1e-14);
      a.dispose();
    });

    it("toString names the hyperparameters", () => {
      const a = new GaussianReg({ mean: 0, std: 1, weight: 0.01 });
      assert.equal(String(a), "GaussianReg(mean=0, std=1, weight=0.01, fitHyper=false)");
      a.dispose();
      // the core's description: arrays by shape, the std rebuilt from the
      // stored precision (inf where it is <= 0), the log mode when set
      const b = new GaussianReg({ mean: [0, 1], std: [1, 2], fitHyper: true, logMode: "per_element" });
      assert.equal(String(b), "GaussianReg(mean=<array (2)>, std=<array (2)>, weight=1, fitHyper=true, logMode=per_element)");
      b.dispose();
      const c = new GaussianReg({ mean: -1.5, std: 3, weight: 1e-3, fitHyper: true });
      c.precision = 0.25;
      assert.equal(String(c), "GaussianReg(mean=-1.5, std=1.9999999975, weight=0.001, fitHyper=true)");
      c.precision = 0;
      assert.equal(String(c), "GaussianReg(mean=-1.5, std=inf, weight=0.001, fitHyper=true)");
      c.dispose();
      assert.equal(String(a), "GaussianReg(disposed)");
    });
  });

  describe(`${name} build: finite-difference gradients`, () => {
    const h = 1e-6;
    for (const mode of ["per_precision", "per_element"]) {
      it(`grad and hyperGrad match central differences (${mode})`, () => {
        const rnd = lcg(99);
        const m = [0.3, -0.7, 1.1];
        const s = [0.8, 1.5, 0.6];
        const x = Array.from({ length: 6 }, () => rnd() * 4 - 2);
        const xv = { data: x, shape: [2, 3] };
        const reg = new GaussianReg({ mean: m, std: s, weight: 0.7, fitHyper: true, logMode: mode });
        const gx = flat(reg.grad(xv));
        for (let i = 0; i < x.length; i++) {
          const xp = x.slice(), xm = x.slice();
          xp[i] += h;
          xm[i] -= h;
          close(gx[i], (reg.loss({ data: xp, shape: [2, 3] }) - reg.loss({ data: xm, shape: [2, 3] })) / (2 * h), 1e-6, 1e-8, `dx${i}`);
        }
        const hg = reg.hyperGrad(xv);
        const p0 = flat(reg.precision);
        for (let i = 0; i < 3; i++) {
          const mp = m.slice(), mm = m.slice();
          mp[i] += h;
          mm[i] -= h;
          reg.mean = mp;
          const lp = reg.loss(xv);
          reg.mean = mm;
          const lm = reg.loss(xv);
          reg.mean = m;
          close(hg.mean[i], (lp - lm) / (2 * h), 1e-6, 1e-8, `dmean${i}`);
          const pp = p0.slice(), pm = p0.slice();
          pp[i] += h;
          pm[i] -= h;
          reg.precision = pp;
          const qp = reg.loss(xv);
          reg.precision = pm;
          const qm = reg.loss(xv);
          reg.precision = p0;
          close(hg.precision[i], (qp - qm) / (2 * h), 1e-6, 1e-8, `dprec${i}`);
        }
        reg.weight = 0.7 + h;
        const wp = reg.loss(xv);
        reg.weight = 0.7 - h;
        const wm = reg.loss(xv);
        close(hg.weight, (wp - wm) / (2 * h), 1e-6, 1e-8, "dweight");
        reg.dispose();
      });
    }

    it("precision <= 0 gets a zero gradient", () => {
      const reg = new GaussianReg({ mean: 0, std: 1, fitHyper: true });
      reg.precision = [-1, 0, 2];
      assert.deepEqual(Array.from(flat(reg.hyperGrad([1, 1, 1]).precision).slice(0, 2)), [0, 0]);
      reg.dispose();
    });
  });
}
