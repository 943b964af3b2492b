// Bad-input matrix (issue 7), the JS twin of spec/badinput_spec.lua: every
// public constructor, method and setter x every kind of bad input -> the
// expected error class and message (or, where the input is a legal value, a
// success), and afterwards the wasm heap is exactly where it was and the
// objects still work with their old hyperparameters. Both builds.
//
// The matrix is data: COLUMNS (the bad values), ROWS (the calls), EXPECTED
// (row -> column -> "ok" | "<ErrorClass>: <message>"). EXPECTED was generated
// once with GAUSSREG_BADINPUT_DUMP=1 (which prints the observed outcomes) and
// read through; a change in any message shows up here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builds } from "./helpers.js";

const COLUMNS = {
  undefined: () => undefined,
  null: () => null,
  boolean: () => true,
  string: () => "x",
  function: () => () => 1,
  bigint: () => 1n,
  "ragged array": () => [[1, 2], [3]],
  "array with holes": () => [2, , 3], // eslint-disable-line no-sparse-arrays
  NaN: () => NaN,
  "+Inf": () => Infinity,
  "-Inf": () => -Infinity,
  "negative dim": () => -2,
  "zero dim": () => 0,
  "huge dim": () => 2 ** 40,
  "overflowing shape": () => [2 ** 31, 2 ** 31, 2 ** 31],
  "wrong self": null, // the row's object replaced by a plain object
  "disposed object": null, // the row's object replaced by a disposed one
};

// call(env, v): the call with v; self: the object the row works on (the
// last two columns call it on {} / a disposed object with the value `good`).
const ROWS = {
  "new GaussianReg(v)": { call: (e, v) => new e.GaussianReg(v) },
  "new GaussianReg({mean: v})": { call: (e, v) => new e.GaussianReg({ mean: v, std: 1 }) },
  "new GaussianReg({std: v})": { call: (e, v) => new e.GaussianReg({ mean: 0, std: v }) },
  "new GaussianReg({weight: v})": { call: (e, v) => new e.GaussianReg({ mean: 0, std: 1, weight: v }) },
  "new GaussianReg({fitHyper: v})": { call: (e, v) => new e.GaussianReg({ mean: 0, std: 1, fitHyper: v }) },
  "new GaussianReg({seed: v})": { call: (e, v) => new e.GaussianReg({ mean: 0, std: 1, seed: v }) },
  "new GaussianReg({logMode: v})": { call: (e, v) => new e.GaussianReg({ mean: 0, std: 1, logMode: v }) },
  "new GaussianReg({threads: v})": { call: (e, v) => new e.GaussianReg({ mean: 0, std: 1, threads: v }) },
  "GaussianReg.fromState(v)": { call: (e, v) => e.GaussianReg.fromState(v) },
  "reg.loss(v)": { self: "reg", good: 1, call: (e, v, s) => e.GaussianReg.prototype.loss.call(s, v) },
  "reg.grad(v)": { self: "reg", good: 1, call: (e, v, s) => e.GaussianReg.prototype.grad.call(s, v) },
  "reg.lossAndGrad(v)": { self: "reg", good: 1, call: (e, v, s) => e.GaussianReg.prototype.lossAndGrad.call(s, v) },
  "fit.hyperGrad(v)": { self: "fit", good: 1, call: (e, v, s) => e.GaussianReg.prototype.hyperGrad.call(s, v) },
  "reg.hyperGrad(v) (fixed)": { self: "reg", good: 1, call: (e, v, s) => e.GaussianReg.prototype.hyperGrad.call(s, v) },
  "reg.sampleInit(v)": { self: "reg", good: 2, call: (e, v, s) => e.GaussianReg.prototype.sampleInit.call(s, v) },
  "scalar.sampleInit(v)": { self: "scalar", good: 2, call: (e, v, s) => e.GaussianReg.prototype.sampleInit.call(s, v) },
  "reg.sampleShape(v)": { self: "reg", good: 2, call: (e, v, s) => e.GaussianReg.prototype.sampleShape.call(s, v) },
  "reg.seed(v)": { self: "reg", good: 7, call: (e, v, s) => e.GaussianReg.prototype.seed.call(s, v) },
  "reg.state()": { self: "reg", good: undefined, call: (e, v, s) => e.GaussianReg.prototype.state.call(s, v) },
  "fit.mean = v": { self: "fit", good: [0, 1], call: (e, v, s) => setter(e, "mean").call(s, v) },
  "fit.precision = v": { self: "fit", good: [1, 1], call: (e, v, s) => setter(e, "precision").call(s, v) },
  "fit.weight = v": { self: "fit", good: 0.25, call: (e, v, s) => setter(e, "weight").call(s, v) },
  "fit.logMode = v": { self: "fit", good: "per_precision", call: (e, v, s) => setter(e, "logMode").call(s, v) },
  "reg.weight = v (fixed)": { self: "reg", good: 1, call: (e, v, s) => setter(e, "weight").call(s, v) },
  "new HeapArray(v)": { call: (e, v) => new e.HeapArray(v) },
  "new HeapArray(3, dtype)": { call: (e, v) => new e.HeapArray(3, v) },
  "HeapArray.from(v)": { call: (e, v) => e.HeapArray.from(v) },
};

function setter(e, name) {
  for (let p = e.GaussianReg.prototype; p; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d?.set) return d.set;
  }
  throw new Error(`no setter ${name}`);
}

function outcome(fn) {
  try {
    const r = fn();
    return { ok: true, value: r };
  } catch (err) {
    return { ok: false, text: `${err.constructor.name}: ${err.message}` };
  }
}

// Frees what a successful cell created.
function release(v) {
  if (v && typeof v.dispose === "function") {
    v.dispose();
    return;
  }
  if (v && typeof v === "object") {
    for (const k of ["grad", "mean", "precision"]) {
      if (v[k] && typeof v[k].dispose === "function") v[k].dispose();
    }
  }
}

const EXPECTED = {
  "new GaussianReg(v)": {
    "undefined": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got undefined)",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got boolean)",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got array)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got array)",
    "NaN": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)",
    "+Inf": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)",
    "-Inf": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)",
    "negative dim": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)",
    "zero dim": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)",
    "huge dim": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got number)",
    "overflowing shape": "TypeError: bad argument #1 to 'GaussianReg' (expected an options object {mean, std, weight, fitHyper, seed, logMode}, got array)",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (mean is required (number, array, Float64Array, Float32Array, {data, shape} or HeapArray))",
    "disposed object": "TypeError: 'mean' called on a disposed GaussianReg"
  },
  "new GaussianReg({mean: v})": {
    "undefined": "TypeError: bad argument #1 to 'GaussianReg' (mean is required (number, array, Float64Array, Float32Array, {data, shape} or HeapArray))",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'GaussianReg' (mean: ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (mean: hole at index 1)",
    "NaN": "RangeError: bad argument #1 to 'GaussianReg' (mean must be finite, got nan)",
    "+Inf": "RangeError: bad argument #1 to 'GaussianReg' (mean must be finite, got inf)",
    "-Inf": "RangeError: bad argument #1 to 'GaussianReg' (mean must be finite, got -inf)",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "ok",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (mean: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)"
  },
  "new GaussianReg({std: v})": {
    "undefined": "TypeError: bad argument #1 to 'GaussianReg' (std is required (number, array, Float64Array, Float32Array, {data, shape} or HeapArray))",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'GaussianReg' (std: ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (std: hole at index 1)",
    "NaN": "RangeError: bad argument #1 to 'GaussianReg' (std must be finite, got nan)",
    "+Inf": "RangeError: bad argument #1 to 'GaussianReg' (std must be finite, got inf)",
    "-Inf": "RangeError: bad argument #1 to 'GaussianReg' (std must be finite, got -inf)",
    "negative dim": "RangeError: bad argument #1 to 'GaussianReg' (std must be >= 0, got -2)",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "ok",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (std: expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)"
  },
  "new GaussianReg({weight: v})": {
    "undefined": "ok",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got boolean)",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got array)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got array)",
    "NaN": "RangeError: bad argument #1 to 'GaussianReg' (weight must be finite, got nan)",
    "+Inf": "RangeError: bad argument #1 to 'GaussianReg' (weight must be finite, got inf)",
    "-Inf": "RangeError: bad argument #1 to 'GaussianReg' (weight must be finite, got -inf)",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got array)",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (weight must be a number, got object)"
  },
  "new GaussianReg({fitHyper: v})": {
    "undefined": "ok",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got null)",
    "boolean": "ok",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got array)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got array)",
    "NaN": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got number)",
    "+Inf": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got number)",
    "-Inf": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got number)",
    "negative dim": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got number)",
    "zero dim": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got number)",
    "huge dim": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got number)",
    "overflowing shape": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got array)",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (fitHyper must be a boolean, got object)"
  },
  "new GaussianReg({seed: v})": {
    "undefined": "ok",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got boolean)",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got function)",
    "bigint": "ok",
    "ragged array": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got array)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got array)",
    "NaN": "RangeError: bad argument #1 to 'GaussianReg' (seed must be an integer in [0, 2^53], got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'GaussianReg' (seed must be an integer in [0, 2^53], got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'GaussianReg' (seed must be an integer in [0, 2^53], got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'GaussianReg' (seed must be an integer in [0, 2^53], got -2)",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got array)",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (seed must be a number or bigint, got object)"
  },
  "new GaussianReg({logMode: v})": {
    "undefined": "ok",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got boolean)",
    "string": "RangeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got \"x\")",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got array)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got array)",
    "NaN": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "+Inf": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "-Inf": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "negative dim": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "zero dim": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "huge dim": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "overflowing shape": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got array)",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (logMode must be \"per_precision\" or \"per_element\", got object)"
  },
  "new GaussianReg({threads: v})": {
    "undefined": "ok",
    "null": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got null)",
    "boolean": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got boolean)",
    "string": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got string)",
    "function": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got function)",
    "bigint": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got array)",
    "array with holes": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got array)",
    "NaN": "RangeError: bad argument #1 to 'GaussianReg' (threads must be 0 or 1: the WebAssembly build runs on one thread (WebAssembly threads need a cross-origin-isolated page), got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'GaussianReg' (threads must be 0 or 1: the WebAssembly build runs on one thread (WebAssembly threads need a cross-origin-isolated page), got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'GaussianReg' (threads must be 0 or 1: the WebAssembly build runs on one thread (WebAssembly threads need a cross-origin-isolated page), got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'GaussianReg' (threads must be 0 or 1: the WebAssembly build runs on one thread (WebAssembly threads need a cross-origin-isolated page), got -2)",
    "zero dim": "ok",
    "huge dim": "RangeError: bad argument #1 to 'GaussianReg' (threads must be 0 or 1: the WebAssembly build runs on one thread (WebAssembly threads need a cross-origin-isolated page), got 1099511627776)",
    "overflowing shape": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got array)",
    "wrong self": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got object)",
    "disposed object": "TypeError: bad argument #1 to 'GaussianReg' (threads must be a number, got object)"
  },
  "GaussianReg.fromState(v)": {
    "undefined": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got undefined)",
    "null": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got null)",
    "boolean": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got boolean)",
    "string": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got string)",
    "function": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got function)",
    "bigint": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got array)",
    "array with holes": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got array)",
    "NaN": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got number)",
    "+Inf": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got number)",
    "-Inf": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got number)",
    "negative dim": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got number)",
    "zero dim": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got number)",
    "huge dim": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got number)",
    "overflowing shape": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got array)",
    "wrong self": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got object)",
    "disposed object": "TypeError: bad argument #1 to 'fromState' (expected Uint8Array or ArrayBuffer, got object)"
  },
  "reg.loss(v)": {
    "undefined": "TypeError: bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'loss' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'loss' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'loss' (hole at index 1)",
    "NaN": "ok",
    "+Inf": "ok",
    "-Inf": "ok",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "RangeError: bad argument #1 to 'loss' (shape (3) does not broadcast with mean shape (2))",
    "wrong self": "TypeError: calling 'loss' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'loss' called on a disposed GaussianReg"
  },
  "reg.grad(v)": {
    "undefined": "TypeError: bad argument #1 to 'grad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'grad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'grad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'grad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'grad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'grad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'grad' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'grad' (hole at index 1)",
    "NaN": "ok",
    "+Inf": "ok",
    "-Inf": "ok",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "RangeError: bad argument #1 to 'grad' (shape (3) does not broadcast with mean shape (2))",
    "wrong self": "TypeError: calling 'grad' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'grad' called on a disposed GaussianReg"
  },
  "reg.lossAndGrad(v)": {
    "undefined": "TypeError: bad argument #1 to 'lossAndGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'lossAndGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'lossAndGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'lossAndGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'lossAndGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'lossAndGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'lossAndGrad' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'lossAndGrad' (hole at index 1)",
    "NaN": "ok",
    "+Inf": "ok",
    "-Inf": "ok",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "RangeError: bad argument #1 to 'lossAndGrad' (shape (3) does not broadcast with mean shape (2))",
    "wrong self": "TypeError: calling 'lossAndGrad' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'lossAndGrad' called on a disposed GaussianReg"
  },
  "fit.hyperGrad(v)": {
    "undefined": "TypeError: bad argument #1 to 'hyperGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'hyperGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'hyperGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'hyperGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'hyperGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'hyperGrad' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'hyperGrad' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'hyperGrad' (hole at index 1)",
    "NaN": "ok",
    "+Inf": "ok",
    "-Inf": "ok",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "RangeError: bad argument #1 to 'hyperGrad' (shape (3) does not broadcast with mean shape (2))",
    "wrong self": "TypeError: calling 'hyperGrad' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'hyperGrad' called on a disposed GaussianReg"
  },
  "reg.hyperGrad(v) (fixed)": {
    "undefined": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "null": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "boolean": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "string": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "function": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "bigint": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "ragged array": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "array with holes": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "NaN": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "+Inf": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "-Inf": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "negative dim": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "zero dim": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "huge dim": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "overflowing shape": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "wrong self": "TypeError: calling 'hyperGrad' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'hyperGrad' called on a disposed GaussianReg"
  },
  "reg.sampleInit(v)": {
    "undefined": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got undefined)",
    "null": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got null)",
    "boolean": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got boolean)",
    "string": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got string)",
    "function": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got function)",
    "bigint": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'sampleInit' (expected integer dimension at [0], got array)",
    "array with holes": "TypeError: bad argument #1 to 'sampleInit' (expected integer dimension at [1], got undefined)",
    "NaN": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got -2)",
    "zero dim": "RangeError: bad argument #1 to 'sampleInit' (shape (0) does not broadcast with mean shape (2))",
    "huge dim": "RangeError: bad argument #1 to 'sampleInit' (shape (1099511627776) has too many elements (more than 4294967295))",
    "overflowing shape": "RangeError: bad argument #1 to 'sampleInit' (shape (2147483648,2147483648,2147483648) has too many elements (more than 4294967295))",
    "wrong self": "TypeError: calling 'sampleInit' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'sampleInit' called on a disposed GaussianReg"
  },
  "scalar.sampleInit(v)": {
    "undefined": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got undefined)",
    "null": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got null)",
    "boolean": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got boolean)",
    "string": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got string)",
    "function": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got function)",
    "bigint": "TypeError: bad argument #1 to 'sampleInit' (expected a dimension or an array of dimensions, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'sampleInit' (expected integer dimension at [0], got array)",
    "array with holes": "TypeError: bad argument #1 to 'sampleInit' (expected integer dimension at [1], got undefined)",
    "NaN": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'sampleInit' (dimension at [0] must be a non-negative integer, got -2)",
    "zero dim": "ok",
    "huge dim": "RangeError: bad argument #1 to 'sampleInit' (shape (1099511627776) has too many elements (more than 4294967295))",
    "overflowing shape": "RangeError: bad argument #1 to 'sampleInit' (shape (2147483648,2147483648,2147483648) has too many elements (more than 4294967295))",
    "wrong self": "TypeError: calling 'sampleInit' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'sampleInit' called on a disposed GaussianReg"
  },
  "reg.sampleShape(v)": {
    "undefined": "TypeError: bad argument #1 to 'sampleShape' (expected a dimension or an array of dimensions, got undefined)",
    "null": "TypeError: bad argument #1 to 'sampleShape' (expected a dimension or an array of dimensions, got null)",
    "boolean": "TypeError: bad argument #1 to 'sampleShape' (expected a dimension or an array of dimensions, got boolean)",
    "string": "TypeError: bad argument #1 to 'sampleShape' (expected a dimension or an array of dimensions, got string)",
    "function": "TypeError: bad argument #1 to 'sampleShape' (expected a dimension or an array of dimensions, got function)",
    "bigint": "TypeError: bad argument #1 to 'sampleShape' (expected a dimension or an array of dimensions, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'sampleShape' (expected integer dimension at [0], got array)",
    "array with holes": "TypeError: bad argument #1 to 'sampleShape' (expected integer dimension at [1], got undefined)",
    "NaN": "RangeError: bad argument #1 to 'sampleShape' (dimension at [0] must be a non-negative integer, got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'sampleShape' (dimension at [0] must be a non-negative integer, got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'sampleShape' (dimension at [0] must be a non-negative integer, got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'sampleShape' (dimension at [0] must be a non-negative integer, got -2)",
    "zero dim": "RangeError: bad argument #1 to 'sampleShape' (shape (0) does not broadcast with mean shape (2))",
    "huge dim": "RangeError: bad argument #1 to 'sampleShape' (shape (1099511627776) has too many elements (more than 4294967295))",
    "overflowing shape": "RangeError: bad argument #1 to 'sampleShape' (shape (2147483648,2147483648,2147483648) has too many elements (more than 4294967295))",
    "wrong self": "TypeError: calling 'sampleShape' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'sampleShape' called on a disposed GaussianReg"
  },
  "reg.seed(v)": {
    "undefined": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got undefined)",
    "null": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got null)",
    "boolean": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got boolean)",
    "string": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got string)",
    "function": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got function)",
    "bigint": "ok",
    "ragged array": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got array)",
    "array with holes": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got array)",
    "NaN": "RangeError: bad argument #1 to 'seed' (seed must be an integer in [0, 2^53], got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'seed' (seed must be an integer in [0, 2^53], got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'seed' (seed must be an integer in [0, 2^53], got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'seed' (seed must be an integer in [0, 2^53], got -2)",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "TypeError: bad argument #1 to 'seed' (seed must be a number or bigint, got array)",
    "wrong self": "TypeError: calling 'seed' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'seed' called on a disposed GaussianReg"
  },
  "reg.state()": {
    "undefined": "ok",
    "null": "ok",
    "boolean": "ok",
    "string": "ok",
    "function": "ok",
    "bigint": "ok",
    "ragged array": "ok",
    "array with holes": "ok",
    "NaN": "ok",
    "+Inf": "ok",
    "-Inf": "ok",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "ok",
    "wrong self": "TypeError: calling 'state' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'state' called on a disposed GaussianReg"
  },
  "fit.mean = v": {
    "undefined": "TypeError: bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'mean' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'mean' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'mean' (hole at index 1)",
    "NaN": "RangeError: bad argument #1 to 'mean' (must be finite, got nan)",
    "+Inf": "RangeError: bad argument #1 to 'mean' (must be finite, got inf)",
    "-Inf": "RangeError: bad argument #1 to 'mean' (must be finite, got -inf)",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "RangeError: bad argument #1 to 'mean' (shape (3) does not broadcast with precision shape (2))",
    "wrong self": "TypeError: calling 'mean' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'mean' called on a disposed GaussianReg"
  },
  "fit.precision = v": {
    "undefined": "TypeError: bad argument #1 to 'precision' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'precision' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'precision' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'precision' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'precision' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'precision' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'precision' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'precision' (hole at index 1)",
    "NaN": "RangeError: bad argument #1 to 'precision' (must be finite, got nan)",
    "+Inf": "RangeError: bad argument #1 to 'precision' (must be finite, got inf)",
    "-Inf": "RangeError: bad argument #1 to 'precision' (must be finite, got -inf)",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "RangeError: bad argument #1 to 'precision' (shape (3) does not broadcast with mean shape (2))",
    "wrong self": "TypeError: calling 'precision' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'precision' called on a disposed GaussianReg"
  },
  "fit.weight = v": {
    "undefined": "TypeError: bad argument #1 to 'weight' (expected number, got undefined)",
    "null": "TypeError: bad argument #1 to 'weight' (expected number, got null)",
    "boolean": "TypeError: bad argument #1 to 'weight' (expected number, got boolean)",
    "string": "TypeError: bad argument #1 to 'weight' (expected number, got string)",
    "function": "TypeError: bad argument #1 to 'weight' (expected number, got function)",
    "bigint": "TypeError: bad argument #1 to 'weight' (expected number, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'weight' (expected number, got array)",
    "array with holes": "TypeError: bad argument #1 to 'weight' (expected number, got array)",
    "NaN": "RangeError: bad argument #1 to 'weight' (must be finite, got nan)",
    "+Inf": "RangeError: bad argument #1 to 'weight' (must be finite, got inf)",
    "-Inf": "RangeError: bad argument #1 to 'weight' (must be finite, got -inf)",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "TypeError: bad argument #1 to 'weight' (expected number, got array)",
    "wrong self": "TypeError: calling 'weight' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'weight' called on a disposed GaussianReg"
  },
  "fit.logMode = v": {
    "undefined": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got undefined)",
    "null": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got null)",
    "boolean": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got boolean)",
    "string": "RangeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got \"x\")",
    "function": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got function)",
    "bigint": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got array)",
    "array with holes": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got array)",
    "NaN": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "+Inf": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "-Inf": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "negative dim": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "zero dim": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "huge dim": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got number)",
    "overflowing shape": "TypeError: bad argument #1 to 'logMode' (logMode must be \"per_precision\" or \"per_element\", got array)",
    "wrong self": "TypeError: calling 'logMode' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'logMode' called on a disposed GaussianReg"
  },
  "reg.weight = v (fixed)": {
    "undefined": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "null": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "boolean": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "string": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "function": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "bigint": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "ragged array": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "array with holes": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "NaN": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "+Inf": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "-Inf": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "negative dim": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "zero dim": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "huge dim": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "overflowing shape": "TypeError: hyperparameters are fixed: construct with fitHyper = true",
    "wrong self": "TypeError: calling 'weight' on bad self (GaussianReg expected, got object)",
    "disposed object": "TypeError: 'weight' called on a disposed GaussianReg"
  },
  "new HeapArray(v)": {
    "undefined": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got undefined)",
    "null": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got null)",
    "boolean": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got boolean)",
    "string": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got string)",
    "function": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got function)",
    "bigint": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got bigint)",
    "ragged array": "TypeError: bad argument #1 to 'HeapArray' (expected integer dimension at [0], got array)",
    "array with holes": "TypeError: bad argument #1 to 'HeapArray' (expected integer dimension at [1], got undefined)",
    "NaN": "RangeError: bad argument #1 to 'HeapArray' (dimension at [0] must be a non-negative integer, got NaN)",
    "+Inf": "RangeError: bad argument #1 to 'HeapArray' (dimension at [0] must be a non-negative integer, got Infinity)",
    "-Inf": "RangeError: bad argument #1 to 'HeapArray' (dimension at [0] must be a non-negative integer, got -Infinity)",
    "negative dim": "RangeError: bad argument #1 to 'HeapArray' (dimension at [0] must be a non-negative integer, got -2)",
    "zero dim": "ok",
    "huge dim": "RangeError: bad argument #1 to 'HeapArray' (cannot allocate 8796093022208 bytes of wasm memory)",
    "overflowing shape": "RangeError: bad argument #1 to 'HeapArray' (cannot allocate 7.922816251426434e+28 bytes of wasm memory)",
    "wrong self": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got object)",
    "disposed object": "TypeError: bad argument #1 to 'HeapArray' (expected a dimension or an array of dimensions, got object)"
  },
  "new HeapArray(3, dtype)": {
    "undefined": "ok",
    "null": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got null)",
    "boolean": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got boolean)",
    "string": "RangeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got \"x\")",
    "function": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got function)",
    "bigint": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got bigint)",
    "ragged array": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got array)",
    "array with holes": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got array)",
    "NaN": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)",
    "+Inf": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)",
    "-Inf": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)",
    "negative dim": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)",
    "zero dim": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)",
    "huge dim": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got number)",
    "overflowing shape": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got array)",
    "wrong self": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got object)",
    "disposed object": "TypeError: bad argument #2 to 'HeapArray' (dtype must be \"float64\" or \"float32\", got object)"
  },
  "HeapArray.from(v)": {
    "undefined": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got undefined)",
    "null": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got null)",
    "boolean": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got boolean)",
    "string": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got string)",
    "function": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got function)",
    "bigint": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got bigint)",
    "ragged array": "RangeError: bad argument #1 to 'from' (ragged nested array: expected length 2 at [1], got 1)",
    "array with holes": "TypeError: bad argument #1 to 'from' (hole at index 1)",
    "NaN": "ok",
    "+Inf": "ok",
    "-Inf": "ok",
    "negative dim": "ok",
    "zero dim": "ok",
    "huge dim": "ok",
    "overflowing shape": "ok",
    "wrong self": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)",
    "disposed object": "TypeError: bad argument #1 to 'from' (expected number, array, Float64Array, Float32Array, {data, shape} or HeapArray, got object)"
  }
};
const DUMP = !!process.env.GAUSSREG_BADINPUT_DUMP;

for (const { name, mod } of builds) {
  describe(`${name} build: bad-input matrix`, () => {
    const { GaussianReg, heapUsed } = mod;
    const env = { GaussianReg, HeapArray: mod.HeapArray };
    const objs = {
      reg: new GaussianReg({ mean: [0, 1], std: 1, weight: 0.5 }),
      fit: new GaussianReg({ mean: [0, 1], std: [1, 2], weight: 0.25, fitHyper: true }),
      scalar: new GaussianReg({ mean: 0, std: 1 }),
    };
    const disposed = new GaussianReg({ mean: 0, std: 1, fitHyper: true });
    disposed.dispose();
    const lossReg = objs.reg.loss([3, -1]);
    const lossFit = objs.fit.loss([3, -1]);
    const fitPrecision = Array.from(objs.fit.precision);
    const dump = {};

    for (const [rowName, row] of Object.entries(ROWS)) {
      it(rowName, () => {
        const problems = [];
        dump[rowName] = {};
        for (const [colName, make] of Object.entries(COLUMNS)) {
          let self = row.self ? objs[row.self] : undefined;
          let value;
          if (make === null) {
            if (row.self) {
              self = colName === "wrong self" ? {} : disposed;
              value = row.good;
            } else {
              value = colName === "wrong self" ? {} : disposed; // a wrong object as the argument
            }
          } else {
            value = make();
          }
          const heap0 = heapUsed();
          const got = outcome(() => row.call(env, value, self));
          if (got.ok) release(got.value);
          const text = got.ok ? "ok" : got.text;
          dump[rowName][colName] = text;
          const want = EXPECTED?.[rowName]?.[colName];
          if (!DUMP) {
            if (want === undefined) problems.push(`${colName}: no expectation (got ${text})`);
            else if (want !== text) problems.push(`${colName}: expected ${want}, got ${text}`);
          }
          // the objects still work; refused calls changed nothing
          if (!got.ok) {
            assert.equal(objs.reg.loss([3, -1]), lossReg);
            assert.equal(objs.fit.loss([3, -1]), lossFit);
          }
          objs.fit.mean = [0, 1];
          objs.fit.precision = fitPrecision;
          objs.fit.weight = 0.25;
          objs.fit.logMode = "per_precision";
          assert.equal(objs.fit.loss([3, -1]), lossFit);
          // nothing leaked, on error or after release (fit back to its shapes)
          if (heapUsed() !== heap0) problems.push(`${colName}: wasm heap ${heap0} -> ${heapUsed()}`);
        }
        assert.deepEqual(problems, [], `${rowName}:\n  ${problems.join("\n  ")}`);
      });
    }

    it(`covers ${Object.keys(ROWS).length} rows x ${Object.keys(COLUMNS).length} columns`, () => {
      if (DUMP) {
        console.log(`export const EXPECTED = ${JSON.stringify(dump, null, 2)};`);
        return;
      }
      let cells = 0;
      for (const r of Object.keys(ROWS)) for (const c of Object.keys(COLUMNS)) if (EXPECTED?.[r]?.[c]) cells++;
      assert.equal(cells, Object.keys(ROWS).length * Object.keys(COLUMNS).length);
    });
  });
}
