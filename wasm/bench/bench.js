// make bench-js: n = 10^6, every figure a ratio against a reference measured
// in this same Node run (median of repeated timings).
//
//   loss/grad: SIMD build zero-copy (HeapArray) | scalar build zero-copy |
//              SIMD with copy-in (Float64Array) | idiomatic pure-JS loop |
//              TensorFlow.js wasm backend (float32, tensor already created)
//   sampleInit into a HeapArray vs pure-JS Box-Muller on Math.random
//   Lua in WebAssembly (gaussianreg-lua): loss and grad on a 1e6 gr.array vs
//              native Lua 5.4 running the same script, and vs pure-Lua loops
//              inside wasm Lua (bench/lua/bench_wasm.lua); startup time of
//              gaussianreg-lua for a one-line script, vs Node's own
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "../dist/node.js";

const N = 1e6;
const REPS = Number(process.env.GAUSSREG_BENCH_REPS ?? 21);
const MEAN = 0.25, STD = 1.3, WEIGHT = 0.01;
const PREC = 1 / (STD * STD + 1e-8) + 1e-6; // relu(precision) + 1e-6

function median(a) {
  const s = a.slice().sort((x, y) => x - y);
  return s[s.length >> 1];
}

// Timings are interleaved: every round runs each candidate once, so a change
// of machine load hits all of them alike; the figure is the median per
// candidate (ms). sink defeats dead-code elimination.
let sink = 0;
function timeAll(fns) {
  const names = Object.keys(fns);
  const t = Object.fromEntries(names.map((k) => [k, []]));
  for (const k of names) for (let i = 0; i < 3; i++) sink += +fns[k]() || 0;
  for (let r = 0; r < REPS; r++) {
    for (const k of names) {
      const t0 = process.hrtime.bigint();
      const v = fns[k]();
      t[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      sink += typeof v === "number" ? v : 0;
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(t[k])]));
}

// ---- pure JS references (what a JS programmer would write) ----
function jsLoss(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - MEAN;
    s += PREC * d * d;
  }
  return WEIGHT * (s - Math.log(PREC));
}
// into a caller's array (the reference of the zero-copy paths) ...
function jsGradInto(x, g) {
  const k = 2 * WEIGHT * PREC;
  for (let i = 0; i < x.length; i++) g[i] = k * (x[i] - MEAN);
  return g[0];
}
// ... and returning a new array (the reference of the copy paths)
function jsGrad(x) {
  const g = new Float64Array(x.length);
  jsGradInto(x, g);
  return g[0];
}
function jsBoxMullerNew(n) {
  return jsBoxMuller(new Float64Array(n));
}
function jsBoxMuller(out) {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - Math.random(), v = Math.random();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = MEAN + STD * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = MEAN + STD * r * Math.sin(2 * Math.PI * v);
  }
  return out[0];
}

const simd = await load({ simd: true });
const scalar = await load({ simd: false });
const x = Float64Array.from({ length: N }, (_, i) => Math.sin(i) * 3);
const gJs = new Float64Array(N);

function setup(mod) {
  const reg = new mod.GaussianReg({ mean: MEAN, std: STD, weight: WEIGHT, seed: 1 });
  const h = mod.HeapArray.from(x);
  const out = new mod.HeapArray(N);
  return { reg, h, out };
}
const S = setup(simd);
const C = setup(scalar);

// correctness first: the figures compare equal computations
const ref = jsLoss(x);
for (const v of [S.reg.loss(S.h), C.reg.loss(C.h), S.reg.loss(x)]) {
  if (Math.abs(v - ref) > 1e-9 * Math.abs(ref)) throw new Error(`loss mismatch ${v} vs ${ref}`);
}

const fns = {
  lossJs: () => jsLoss(x),
  lossSimd: () => S.reg.loss(S.h),
  lossScalar: () => C.reg.loss(C.h),
  lossCopy: () => S.reg.loss(x),
  gradJs: () => jsGradInto(x, gJs),
  gradJsNew: () => jsGrad(x),
  gradSimd: () => S.reg.grad(S.h, S.out),
  gradScalar: () => C.reg.grad(C.h, C.out),
  gradCopy: () => S.reg.grad(x)[0],
  lagSimd: () => S.reg.lossAndGrad(S.h, S.out).loss,
  sampleJs: () => jsBoxMuller(gJs),
  sampleJsNew: () => jsBoxMullerNew(N),
  sampleSimd: () => S.reg.sampleInit(N, S.out),
  sampleCopy: () => S.reg.sampleInit(N)[0],
};

// ---- TensorFlow.js, wasm backend (float32 only) ----
let tfCleanup = () => {};
let tfInfo = "not installed (make bench-js installs it into build/bench-node)";
const modules = process.env.GAUSSREG_BENCH_MODULES;
if (modules) {
  try {
    const require = createRequire(`${modules}/`);
    const tf = require("@tensorflow/tfjs-core");
    const wasmBackend = require("@tensorflow/tfjs-backend-wasm");
    wasmBackend.setWasmPaths(`${modules}/@tensorflow/tfjs-backend-wasm/dist/`);
    await tf.setBackend("wasm");
    await tf.ready();
    const xt = tf.tensor1d(Float32Array.from(x), "float32");
    const tfLoss = () => tf.tidy(() => {
      const d = tf.sub(xt, MEAN);
      const s = tf.sum(tf.mul(tf.square(d), PREC));
      return tf.mul(tf.sub(s, Math.log(PREC)), WEIGHT);
    }).dataSync()[0];
    const tfGrad = () => {
      const g = tf.tidy(() => tf.mul(tf.sub(xt, MEAN), 2 * WEIGHT * PREC));
      const v = g.dataSync()[0];
      g.dispose();
      return v;
    };
    const lt = tfLoss();
    const x32 = Float32Array.from(x);
    fns.lossTf = tfLoss;
    fns.gradTf = tfGrad;
    fns.lossSimd32 = () => S.reg.loss(x32);
    tfCleanup = () => xt.dispose();
    tfInfo = `tfjs-core ${tf.version_core}, backend ${tf.getBackend()} (float32 loss ${lt.toPrecision(9)} vs float64 ${ref.toPrecision(9)}, rel err ${Math.abs(lt - ref) / Math.abs(ref)})`;
  } catch (e) {
    tfInfo = `unavailable: ${e.message}`;
  }
}

const t = timeAll(fns);
tfCleanup();
const ns = (ms) => `${((ms * 1e6) / N).toFixed(2)} ns/elem`;
const rows = [];
function ratio(label, num, den, goal) {
  const r = t[den] / t[num];
  rows.push({ label, r, goal, a: t[num], b: t[den] });
}
ratio("loss  SIMD zero-copy vs pure JS", "lossSimd", "lossJs", 2.5);
ratio("loss  SIMD vs scalar build (zero-copy)", "lossSimd", "lossScalar", 1.3);
ratio("loss  SIMD copy-in vs pure JS", "lossCopy", "lossJs", 1);
ratio("grad  SIMD zero-copy vs pure JS", "gradSimd", "gradJs", 2.5);
ratio("grad  SIMD vs scalar build (zero-copy)", "gradSimd", "gradScalar", 1.3);
ratio("grad  SIMD copy-in/out vs pure JS new array", "gradCopy", "gradJsNew", 1);
if (t.lossTf !== undefined) {
  ratio("loss  SIMD zero-copy vs tfjs-wasm (f32 tensor)", "lossSimd", "lossTf", 5);
  ratio("loss  SIMD copy-in Float32Array vs tfjs-wasm", "lossSimd32", "lossTf", undefined);
  ratio("grad  SIMD zero-copy vs tfjs-wasm (f32 tensor)", "gradSimd", "gradTf", 5);
}
ratio("sampleInit into HeapArray vs JS Box-Muller", "sampleSimd", "sampleJs", 2);
ratio("sampleInit -> new Float64Array vs JS Box-Muller", "sampleCopy", "sampleJsNew", 2);

console.log(`gaussianreg JS benchmark: n = ${N}, median of ${REPS} runs, node ${process.version}`);
console.log(`  TensorFlow.js: ${tfInfo}`);
for (const { label, r, goal, a, b } of rows) {
  const mark = goal === undefined ? "" : r >= goal ? `  (goal >= ${goal}: met)` : `  (goal >= ${goal}: NOT MET)`;
  console.log(`  ${label.padEnd(48)} ${r.toFixed(2).padStart(6)}x   [${ns(a)} vs ${ns(b)}]${mark}`);
}
console.log(`  loss+grad one pass, SIMD zero-copy: ${ns(t.lagSimd)}${sink === 42 ? "" : ""}`);
for (const o of [S, C]) {
  o.reg.dispose();
  o.h.dispose();
  o.out.dispose();
}

// ---- Lua in WebAssembly ----
// The same Lua script under native Lua 5.4 (GAUSSREG_LUA: the interpreter,
// GAUSSREG_LUA_CPATH: where its gaussianreg/core.so is; make bench-js sets
// both) and under gaussianreg-lua, each a process of its own; each timing
// inside is the best of 3 rounds (os.clock).
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CMD = fileURLToPath(new URL("../dist/gaussianreg-lua.js", import.meta.url));
const SCRIPT = join(ROOT, "bench/lua/bench_wasm.lua");

function luaTimings(cmd, args) {
  const r = spawnSync(cmd, [...args, SCRIPT], {
    cwd: ROOT, encoding: "utf8",
    env: { ...process.env, LUA_PATH: "./lua/?.lua;./lua/?/init.lua", LUA_CPATH: process.env.GAUSSREG_LUA_CPATH ?? "" },
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim() };
  return Object.fromEntries(r.stdout.trim().split("\n").map((l) => l.split(" ")).map(([k, v]) => [k, k === "isa" ? v : Number(v)]));
}

// Wall time of a command, median of `reps` runs (ms).
function wall(cmd, args, reps = 11) {
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) return NaN;
  }
  return median(t);
}

const native = luaTimings(process.env.GAUSSREG_LUA ?? "lua5.4", []);
const wasmLua = luaTimings(process.execPath, [CMD]);
const wasmOpt = luaTimings(process.execPath, [CMD, "--optimize"]);
const wasmScalar = luaTimings(process.execPath, [CMD, "--no-simd"]);
const ms = (sec) => `${(sec * 1e3).toFixed(3)} ms`;
const goalMet = (ok, goal) => `  (goal ${goal}: ${ok ? "met" : "NOT MET"})`;
console.log(`Lua in WebAssembly: bench/lua/bench_wasm.lua, n = 1e6, each timing the best of 3 rounds (os.clock)`);
for (const [name, r] of [["native Lua 5.4", native], ["gaussianreg-lua", wasmLua], ["gaussianreg-lua --optimize", wasmOpt],
  ["gaussianreg-lua --no-simd", wasmScalar]]) {
  if (r.error) console.log(`  ${name}: unavailable (${r.error.split("\n")[0]})`);
}
if (!wasmLua.error) {
  for (const op of ["loss", "grad"]) {
    const what = op === "loss" ? "loss on a gr.array" : "grad into out=   ";
    if (!native.error) {
      const slow = wasmLua[`${op}_module`] / native[`${op}_module`];
      console.log(`  ${what}: wasm Lua (${wasmLua.isa}) / native Lua 5.4 (${native.isa})   ${slow.toFixed(2)}x the time` +
        `   [${ms(wasmLua[`${op}_module`])} vs ${ms(native[`${op}_module`])}]${goalMet(slow <= 2, "<= 2")}`);
      if (!wasmScalar.error) {
        const s2 = wasmScalar[`${op}_module`] / native[`${op}_module`];
        console.log(`  ${what}: wasm Lua (scalar) / native Lua 5.4 (${native.isa})    ${s2.toFixed(2)}x the time` +
          `   [${ms(wasmScalar[`${op}_module`])} vs ${ms(native[`${op}_module`])}]`);
      }
    }
    const speed = wasmLua[`${op}_lua`] / wasmLua[`${op}_module`];
    console.log(`  ${op}: module vs pure-Lua loop, both in wasm Lua          ${speed.toFixed(0).padStart(5)}x` +
      `   [${ms(wasmLua[`${op}_module`])} vs ${ms(wasmLua[`${op}_lua`])}]${goalMet(speed >= 20, ">= 20")}`);
    if (!wasmOpt.error) {
      const so = wasmOpt[`${op}_lua`] / wasmOpt[`${op}_module`];
      console.log(`  ${op}: the same with --optimize (Lua's loop optimized)       ${so.toFixed(0).padStart(5)}x` +
        `   [${ms(wasmOpt[`${op}_module`])} vs ${ms(wasmOpt[`${op}_lua`])}]${goalMet(so >= 20, ">= 20")}`);
    }
  }
  if (!native.error && !wasmOpt.error) {
    const vm = wasmOpt.loss_lua / native.loss_lua;
    console.log(`  (the pure-Lua loss loop: wasm Lua --optimize / native Lua 5.4 ${vm.toFixed(2)}x the time, ` +
      `${(wasmLua.loss_lua / native.loss_lua).toFixed(2)}x without --optimize)`);
  }
}
const tmp = mkdtempSync(join(tmpdir(), "gaussianreg-bench-"));
try {
  const one = join(tmp, "hello.lua");
  writeFileSync(one, 'print("hello from " .. require("gaussianreg").isa())\n');
  const start = wall(process.execPath, [CMD, one]);
  const startOpt = wall(process.execPath, [CMD, "--optimize", one]);
  const nodeOnly = wall(process.execPath, ["-e", "0"]);
  const lua = wall(process.env.GAUSSREG_LUA ?? "lua5.4", ["-e", "print(1)"]);
  console.log(`  startup, a one-line script (median of 11 runs): gaussianreg-lua ${start.toFixed(0)} ms` +
    `${goalMet(start < 150, "< 150 ms")}; --optimize ${startOpt.toFixed(0)} ms; node -e 0 alone ` +
    `${nodeOnly.toFixed(0)} ms; native lua5.4 ${lua.toFixed(1)} ms`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
