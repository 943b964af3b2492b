// Cross-platform guarantee: the native library (build/native_samples, from
// wasm/test/native_samples.c) and both wasm builds give bit-identical
// samples and state bytes, and loss/grad within 1e-13 relative.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { ROOT, builds, close, closeArray } from "./helpers.js";

const exe = process.env.GAUSSREG_NATIVE ?? `${ROOT}build/native_samples`;
if (!existsSync(exe)) throw new Error(`${exe} not found: run 'make test-js' (it builds it)`);
const lines = execFileSync(exe, { encoding: "utf8" }).trim().split("\n").map((l) => JSON.parse(l));
const native = lines.filter((l) => l.name !== "blocked");
const blocked = lines.find((l) => l.name === "blocked");

// The cases of native_samples.c, in its order.
const cases = {
  scalar: { mean: 0, std: 1, weight: 0.01, logMode: "per_precision", seed: 42, sample: [1000] },
  vector: { mean: [0, 1, 2], std: [0.5, 1, 2], weight: 0.5, logMode: "per_precision", seed: 7, sample: [4, 3] },
  per_element: { mean: 1.5, std: 0.3, weight: 2, logMode: "per_element", seed: 2n ** 40n + 5n, sample: [257] },
  column: { mean: [[-1], [1]], std: [1, 0.25, 4], weight: 1, logMode: "per_precision", seed: 123, sample: [2, 3] },
};

const hex = (a) => Array.from(new BigUint64Array(Float64Array.from(a).buffer), (b) => b.toString(16).padStart(16, "0"));
const toHex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, "0")).join("");

for (const { name, mod } of builds) {
  describe(`${name} build vs native`, () => {
    assert.equal(native.length, Object.keys(cases).length);
    for (const n of native) {
      it(`${n.name}: samples bit-identical, loss/grad to 1e-13, state bytes identical`, () => {
        const { sample, ...opts } = cases[n.name];
        const reg = new mod.GaussianReg(opts);
        assert.deepEqual(reg.sampleShape(sample), n.shape);
        const s = reg.sampleInit(sample);
        assert.deepEqual(hex(s), n.samples);
        const x = Float64Array.from({ length: s.length }, (_, i) => 3 * Math.sin(i + 1));
        const { loss, grad } = reg.lossAndGrad({ data: x, shape: n.shape });
        close(loss, n.loss, 1e-13, 0, "loss");
        closeArray(grad.data, n.grad, 1e-13, 0, "grad");
        assert.equal(toHex(reg.state()), n.state);
        // and a native state restores in wasm to the same next draws
        const back = mod.GaussianReg.fromState(Uint8Array.from(n.state.match(/../g), (h) => parseInt(h, 16)));
        assert.deepEqual(hex(back.sampleInit(sample)), hex(reg.sampleInit(sample)));
        back.dispose();
        reg.dispose();
      });
    }
  });
}

// FNV-1a, 32 bits, of the bytes of a Float64Array (as native_samples.c).
function fnv32(f64) {
  const b = new Uint8Array(f64.buffer, f64.byteOffset, f64.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return h;
}

// A request above GAUSSREG_SAMPLE_SPLIT, which the native library draws in
// seeded blocks on two threads: the same bits here, on one thread.
for (const { name, mod } of builds) {
  describe(`${name} build vs native, blocked draws (issue 15)`, () => {
    it("300002 draws: the native two-thread bits; loss to 1e-13; state identical", () => {
      const reg = new mod.GaussianReg({ mean: [0.5, -1], std: 0.75, seed: 2024, threads: 1 });
      assert.equal(reg.threads, 1);
      const s = reg.sampleInit([150001, 2]);
      assert.equal(s.length, 300002);
      assert.deepEqual(hex(s.slice(0, 2)), blocked.first);
      assert.equal(fnv32(Float64Array.from(s)), blocked.fnv);
      const x = Float64Array.from({ length: s.length }, (_, i) => 3 * Math.sin(i + 1));
      close(reg.loss({ data: x, shape: [150001, 2] }), blocked.loss, 1e-13, 0, "loss");
      assert.equal(toHex(reg.state()), blocked.state);
      reg.dispose();
    });
  });
}
