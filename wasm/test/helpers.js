// Shared by the node:test suites: both wasm builds, the reference vectors,
// an independent float64 oracle of the formula, and small assertions.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { load } from "../dist/node.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VECTORS = process.env.GAUSSREG_VECTORS ?? `${ROOT}spec/fixtures/gaussianreg-vectors.json`;
if (!existsSync(VECTORS)) throw new Error(`reference vectors not found: ${VECTORS}`);
export const vectors = JSON.parse(readFileSync(VECTORS, "utf8"));

// Both builds, each an independent instance: every suite runs on both.
export const builds = [
  { name: "simd", mod: await load({ simd: true }) },
  { name: "scalar", mod: await load({ simd: false }) },
];

// Relative closeness with an absolute floor for values near 0.
export function close(actual, expected, rel = 1e-13, abs = 1e-300, what = "") {
  const tol = Math.max(rel * Math.abs(expected), abs);
  assert.ok(Math.abs(actual - expected) <= tol,
    `${what} ${actual} != ${expected} (tol ${tol}, diff ${Math.abs(actual - expected)})`);
}

export function closeArray(actual, expected, rel = 1e-13, abs = 1e-300, what = "") {
  assert.equal(actual.length, expected.length, `${what} length`);
  const scale = Math.max(1e-300, ...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) {
    close(actual[i], expected[i], rel, Math.max(abs, rel * 1e-3 * scale), `${what}[${i}]`);
  }
}

export const numel = (shape) => shape.reduce((a, b) => a * b, 1);

export function flat(v) {
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) return v.flat(Infinity);
  if (ArrayBuffer.isView(v)) return Array.from(v);
  if (v && v.data) return Array.from(v.data);
  throw new Error("flat: unknown form");
}

export function nest(data, shape) {
  if (shape.length === 0) return data[0];
  let k = 0;
  const b = (d) => Array.from({ length: shape[d] }, () => (d === shape.length - 1 ? data[k++] : b(d + 1)));
  return b(0);
}

export function broadcast(...shapes) {
  const nd = Math.max(...shapes.map((s) => s.length));
  const out = [];
  for (let i = 0; i < nd; i++) {
    let d = 1;
    for (const s of shapes) {
      const j = i - (nd - s.length);
      const e = j >= 0 ? s[j] : 1;
      if (e !== 1 && d !== 1 && e !== d) return null;
      if (e !== 1) d = e;
    }
    out.push(d);
  }
  return out;
}

// Flat offset into an operand of `shape` for the broadcast multi-index idx.
function offsetOf(idx, shape) {
  let off = 0;
  const nd = idx.length;
  for (let j = 0; j < shape.length; j++) {
    const i = idx[nd - shape.length + j];
    off = off * shape[j] + (shape[j] === 1 ? 0 : i);
  }
  return off;
}

// The formula in plain float64 JS (naive sums): loss and all gradients.
export function oracle({ x, xs, m, ms, p, ps, w, mode = "per_precision" }) {
  const B = broadcast(xs, ms, ps);
  const nb = numel(B);
  const pe = p.map((q) => Math.max(q, 0) + 1e-6);
  const c = mode === "per_element" ? nb / numel(ps) : 1;
  let sq = 0;
  const gx = new Array(numel(xs)).fill(0);
  const gm = new Array(numel(ms)).fill(0);
  const gsq = new Array(numel(ps)).fill(0);
  const idx = new Array(B.length).fill(0);
  for (let k = 0; k < nb; k++) {
    const xi = offsetOf(idx, xs), mi = offsetOf(idx, ms), pi = offsetOf(idx, ps);
    const d = x[xi] - m[mi];
    sq += pe[pi] * d * d;
    gx[xi] += w * 2 * pe[pi] * d;
    gm[mi] -= w * 2 * pe[pi] * d;
    gsq[pi] += d * d;
    for (let a = B.length - 1; a >= 0; a--) {
      if (++idx[a] < B[a]) break;
      idx[a] = 0;
    }
  }
  const logsum = pe.reduce((a, q) => a + Math.log(q), 0);
  const bracket = sq - c * logsum;
  const gp = p.map((q, i) => (q > 0 ? w * (gsq[i] - c / pe[i]) : 0));
  return { loss: w * bracket, grad: gx, gmean: gm, gprec: gp, gweight: bracket, shape: B };
}

// A deterministic pseudo-random sequence for test data (not the library's RNG).
export function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
