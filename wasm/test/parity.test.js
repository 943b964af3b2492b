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
const native = execFileSync(exe, { encoding: "utf8" }).trim().split("\n").map((l) => JSON.parse(l));

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
