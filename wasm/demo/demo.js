// The gaussianreg browser demo: every number shown comes from the wasm
// package (../dist/index.js); this file only reads controls and draws.
// Sections 1-3 live here, section 4 ("Priors over functions") in
// functions.js, section 5 (the Lua playground, Lua 5.4 in WebAssembly) in
// lua-playground.js; plot.js holds the drawing helpers.
import { GaussianReg, HeapArray, init, version } from "../dist/index.js";
import { initFunctions } from "./functions.js";
import { initLuaPlayground } from "./lua-playground.js";
import { $, COLORS, axes, legend, line, setup, setValue, stdEff } from "./plot.js";

const state = {
  reg: null, // the prior the controls describe
  data: null, // Float64Array of fit data
  fit: { iter: 0, losses: [], running: false, raf: 0, start: null },
  draw: 0, // pending animation frame for redraws
};

// ---------------------------------------------------------------------------
// Controls

function num(id, fallback = 0) {
  const v = parseFloat($(id).value);
  return Number.isFinite(v) ? v : fallback;
}

function params() {
  return {
    mean: num("mean"),
    std: Math.max(0, num("std", 1)),
    weight: num("weight", 1),
    seed: Math.max(0, Math.floor(num("seed", 0))),
    n: Math.min(1e6, Math.max(10, Math.floor(num("samples", 20000)))),
    fitHyper: $("fit-hyper").checked,
    logMode: document.querySelector('input[name="log-mode"]:checked').value,
  };
}

function showError(e) {
  const el = $("error");
  if (e) {
    el.textContent = e.message;
    el.hidden = false;
  } else {
    el.hidden = true;
    el.textContent = "";
  }
}

// Rebuilds the regularizer from the controls.
function rebuild() {
  const p = params();
  try {
    const reg = new GaussianReg({ mean: p.mean, std: p.std, weight: p.weight, fitHyper: p.fitHyper, seed: p.seed, logMode: p.logMode });
    state.reg?.dispose();
    state.reg = reg;
    showError(null);
  } catch (e) {
    showError(e);
  }
  resetFit();
  scheduleDraw();
}

// A range slider and its number field stay in step; either rebuilds.
function pair(name) {
  const range = $(`${name}-range`);
  const field = $(name);
  range.addEventListener("input", () => {
    field.value = range.value;
    rebuild();
  });
  field.addEventListener("input", () => {
    if (field.value !== "" && Number.isFinite(+field.value)) range.value = field.value;
    rebuild();
  });
}

// ---------------------------------------------------------------------------
// Drawing

const gauss = (x, m, s) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));

function drawDensity() {
  const { ctx, w, h } = setup($("density-plot"));
  const reg = state.reg;
  if (!reg) return;
  const p = params();
  reg.seed(p.seed); // the same draws for the same settings
  const xs = reg.sampleInit(p.n);
  let mean = 0;
  for (const v of xs) mean += v;
  mean /= xs.length;
  let v2 = 0;
  for (const v of xs) v2 += (v - mean) ** 2;
  const sd = Math.sqrt(v2 / (xs.length - 1));
  const m = reg.mean;
  const s = stdEff(reg.precision);
  const lo = m - 4.5 * Math.max(s, 1e-3), hi = m + 4.5 * Math.max(s, 1e-3);
  const bins = Math.min(80, Math.max(10, Math.round(Math.sqrt(xs.length))));
  const counts = new Float64Array(bins);
  const bw = (hi - lo) / bins;
  for (const v of xs) {
    const b = Math.floor((v - lo) / bw);
    if (b >= 0 && b < bins) counts[b]++;
  }
  const peak = gauss(m, m, s);
  let maxDens = peak;
  for (const c of counts) maxDens = Math.max(maxDens, c / (xs.length * bw));
  const { X, Y, done } = axes(ctx, w, h, [lo, hi], [0, maxDens * 1.1], { xlabel: "x", ylabel: "density" });
  ctx.fillStyle = COLORS.hist;
  for (let b = 0; b < bins; b++) {
    const d = counts[b] / (xs.length * bw);
    ctx.fillRect(X(lo + b * bw) + 0.5, Y(d), Math.max(1, X(lo + (b + 1) * bw) - X(lo + b * bw) - 1), Y(0) - Y(d));
  }
  const gx = Array.from({ length: 241 }, (_, i) => lo + ((hi - lo) * i) / 240);
  line(ctx, gx, gx.map((x) => gauss(x, m, s)), X, Y, COLORS.density, 2.5);
  done();
  setValue("sample-mean", mean);
  setValue("sample-std", sd);
  $("sample-n").textContent = String(xs.length);
}

function drawLoss() {
  const { ctx, w, h } = setup($("loss-plot"));
  const reg = state.reg;
  if (!reg) return;
  const x0 = num("x");
  const m = reg.mean;
  const s = stdEff(reg.precision);
  const half = Math.max(4 * s, Math.abs(x0 - m) * 1.2, 1e-3);
  const lo = m - half, hi = m + half;
  const gx = Array.from({ length: 201 }, (_, i) => lo + ((hi - lo) * i) / 200);
  const L = gx.map((x) => reg.loss(x));
  const G = gx.map((x) => reg.grad(x));
  const all = L.concat(G);
  let ymin = Math.min(...all), ymax = Math.max(...all);
  if (ymax - ymin < 1e-12) {
    ymin -= 1;
    ymax += 1;
  }
  const pad = 0.06 * (ymax - ymin);
  const { X, Y, done } = axes(ctx, w, h, [lo, hi], [ymin - pad, ymax + pad], { xlabel: "x" });
  ctx.strokeStyle = COLORS.axis;
  ctx.beginPath();
  ctx.moveTo(X(lo), Y(0));
  ctx.lineTo(X(hi), Y(0));
  ctx.stroke();
  line(ctx, gx, L, X, Y, COLORS.loss, 2.5);
  line(ctx, gx, G, X, Y, COLORS.grad, 2, [6, 4]);
  const l0 = reg.loss(x0), g0 = reg.grad(x0);
  for (const [v, c] of [[l0, COLORS.loss], [g0, COLORS.grad]]) {
    ctx.fillStyle = c;
    ctx.beginPath();
    ctx.arc(X(x0), Y(v), 5, 0, 2 * Math.PI);
    ctx.fill();
  }
  done();
  setValue("loss-value", l0);
  setValue("grad-value", g0);
}

function drawFit() {
  const reg = state.reg;
  const data = state.data;
  {
    const { ctx, w, h } = setup($("fit-plot"));
    if (reg && data && data.length) {
      let dmin = Infinity, dmax = -Infinity;
      for (const v of data) {
        dmin = Math.min(dmin, v);
        dmax = Math.max(dmax, v);
      }
      const m = reg.mean, s = stdEff(reg.precision);
      const lo = Math.min(dmin, m - 3 * s), hi = Math.max(dmax, m + 3 * s);
      const span = hi - lo || 1;
      const xr = [lo - 0.05 * span, hi + 0.05 * span];
      const { mean: dm, std: ds } = stats(data);
      const gx = Array.from({ length: 241 }, (_, i) => xr[0] + ((xr[1] - xr[0]) * i) / 240);
      const fitD = gx.map((x) => gauss(x, m, s));
      const trueD = gx.map((x) => gauss(x, dm, ds || 1e-3));
      const top = Math.max(...trueD) * 1.25;
      const { X, Y, done } = axes(ctx, w, h, xr, [-0.12 * top, top], { xlabel: "x", ylabel: "density" });
      // data points as a jittered strip below zero
      ctx.fillStyle = COLORS.data;
      ctx.globalAlpha = Math.max(0.15, Math.min(0.8, 40 / Math.sqrt(data.length)));
      for (let i = 0; i < data.length; i++) {
        const jitter = ((i * 0.6180339887) % 1) * 0.09 * top;
        ctx.beginPath();
        ctx.arc(X(data[i]), Y(-0.015 * top - jitter), 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      line(ctx, gx, trueD, X, Y, COLORS.truth, 2, [5, 4]);
      line(ctx, gx, fitD, X, Y, COLORS.fit, 2.5);
      done();
      legend(ctx, w, [["prior being fitted", COLORS.fit, []], ["data's Gaussian", COLORS.truth, [5, 4]]]);
    }
  }
  {
    const { ctx, w, h } = setup($("curve-plot"));
    const L = state.fit.losses;
    if (L.length) {
      let lo = Math.min(...L), hi = Math.max(...L);
      if (hi - lo < 1e-12) {
        lo -= 1;
        hi += 1;
      }
      const pad = 0.08 * (hi - lo);
      const n = Math.max(L.length - 1, 1);
      const { X, Y, done } = axes(ctx, w, h, [0, n], [lo - pad, hi + pad], { xlabel: "step", ylabel: "loss" });
      line(ctx, L.map((_, i) => i), L, X, Y, COLORS.loss, 2);
      done();
    } else {
      ctx.fillStyle = COLORS.axis;
      ctx.font = "13px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText("loss over steps appears here", w / 2, h / 2);
    }
  }
}

function stats(a) {
  let m = 0;
  for (const v of a) m += v;
  m /= a.length;
  let v2 = 0;
  for (const v of a) v2 += (v - m) ** 2;
  return { mean: m, std: Math.sqrt(v2 / a.length) };
}

function drawAll() {
  state.draw = 0;
  try {
    drawDensity();
    drawLoss();
    drawFit();
    updateFitReadout();
  } catch (e) {
    showError(e);
  }
}

function scheduleDraw() {
  if (!state.draw) state.draw = requestAnimationFrame(drawAll);
}

// ---------------------------------------------------------------------------
// Fit the prior

function newData() {
  const dm = num("data-mean", 2), ds = Math.max(0, num("data-std", 0.5));
  const n = Math.min(100000, Math.max(2, Math.floor(num("data-n", 200))));
  const p = params();
  const gen = new GaussianReg({ mean: dm, std: ds, seed: p.seed + 1 });
  try {
    setData(gen.sampleInit(n));
  } finally {
    gen.dispose();
  }
}

function setData(d) {
  state.data = d;
  const { mean, std } = stats(d);
  setValue("data-mean-out", mean);
  setValue("data-std-out", std);
  $("data-text").value = Array.from(d.slice(0, 2000), (v) => +v.toFixed(4)).join(", ");
  resetFit();
  scheduleDraw();
}

function resetFit() {
  stopFit();
  state.fit.iter = 0;
  state.fit.losses = state.reg && state.data ? [state.reg.loss(state.data)] : [];
  updateFitReadout();
}

function updateFitReadout() {
  const reg = state.reg;
  $("fit-iter").textContent = String(state.fit.iter);
  const ok = !!reg && reg.fitHyper;
  $("fit-run").disabled = !ok;
  $("fit-step").disabled = !ok;
  if (!reg) return;
  setValue("fit-mean", reg.mean);
  setValue("fit-precision", reg.precision);
  if (state.data) {
    const n = state.data.length;
    const { std } = stats(state.data);
    const c = reg.logMode === "per_element" ? n : 1;
    // optimum of sum prec (y-m)^2 - c log prec at m = data mean
    setValue("fit-target", c / (n * std * std));
    const L = state.fit.losses;
    if (L.length) setValue("fit-loss", L[L.length - 1]);
  }
  $("fit-note").textContent = ok
    ? state.fit.running ? "fitting…" : ""
    : "Turn on fit_hyper to train the prior's mean and precision.";
}

// One gradient step on mean and precision, each scaled by its curvature
// (2·w·N·prec for the mean, w·c/prec² for the precision).
function fitStep() {
  const reg = state.reg;
  const data = state.data;
  if (!reg || !reg.fitHyper || !data) return false;
  const w = reg.weight;
  if (w === 0) {
    $("fit-note").textContent = "weight is 0: the loss is flat, nothing to fit.";
    return false;
  }
  const lr = Math.min(1, Math.max(0.001, num("fit-lr", 0.2)));
  if (state.fit.iter === 0) state.fit.start = { mean: $("mean").value, std: $("std").value };
  const n = data.length;
  const c = reg.logMode === "per_element" ? n : 1;
  const g = reg.hyperGrad(data);
  const m = reg.mean, p = reg.precision;
  const pe = Math.max(p, 0) + 1e-6;
  reg.mean = m - (lr * g.mean) / (2 * Math.abs(w) * n * pe);
  reg.precision = Math.min(1e8, Math.max(1e-6, p - (lr * g.precision * pe * pe) / (Math.abs(w) * c)));
  state.fit.iter += 1;
  state.fit.losses.push(reg.loss(data));
  // the prior controls follow the fit
  const std = Math.sqrt(Math.max(1 / reg.precision - 1e-8, 0));
  for (const [id, v] of [["mean", reg.mean], ["std", std]]) {
    $(id).value = String(+v.toFixed(4));
    $(`${id}-range`).value = $(id).value;
  }
  return true;
}

function runFit() {
  if (state.fit.running) return stopFit();
  const target = state.fit.iter + Math.max(1, Math.floor(num("fit-steps", 150)));
  state.fit.running = true;
  $("fit-run").textContent = "Stop";
  const frame = () => {
    if (!state.fit.running) return;
    const perFrame = 2;
    for (let i = 0; i < perFrame && state.fit.iter < target; i++) {
      if (!fitStep()) {
        stopFit();
        break;
      }
    }
    drawAll();
    if (state.fit.iter >= target) stopFit();
    else state.fit.raf = requestAnimationFrame(frame);
  };
  state.fit.raf = requestAnimationFrame(frame);
  updateFitReadout();
}

function stopFit() {
  state.fit.running = false;
  cancelAnimationFrame(state.fit.raf);
  $("fit-run").textContent = "Run";
  $("fit-note").textContent = "";
}

// ---------------------------------------------------------------------------
// Timing: one loss over 10^6 values already on the wasm heap.

function measure() {
  const n = 1e6;
  const reg = new GaussianReg({ mean: 0.25, std: 1.3, weight: 0.01 });
  const h = new HeapArray(n);
  try {
    const a = h.array;
    for (let i = 0; i < n; i++) a[i] = Math.sin(i) * 3;
    for (let i = 0; i < 3; i++) reg.loss(h);
    const t = [];
    for (let r = 0; r < 15; r++) {
      const t0 = performance.now();
      reg.loss(h);
      t.push(performance.now() - t0);
    }
    t.sort((x, y) => x - y);
    const ms = t[t.length >> 1];
    $("timing").textContent = `${ms < 1 ? ms.toFixed(3) : ms.toFixed(2)} ms (${((ms * 1e6) / n).toFixed(2)} ns/value)`;
    $("timing").dataset.value = String(ms);
  } finally {
    h.dispose();
    reg.dispose();
  }
}

// ---------------------------------------------------------------------------

async function main() {
  const info = await init();
  const build = $("build");
  build.textContent = info.simd ? "SIMD (wasm128)" : "scalar (no SIMD)";
  build.dataset.simd = String(info.simd);
  $("version").textContent = version;
  for (const name of ["mean", "std", "weight", "x"]) pair(name);
  $("x-range").addEventListener("input", scheduleDraw);
  $("x").addEventListener("input", scheduleDraw);
  for (const id of ["seed", "samples", "fit-hyper"]) $(id).addEventListener("input", rebuild);
  $("fit-hyper").addEventListener("change", rebuild);
  for (const r of document.querySelectorAll('input[name="log-mode"]')) {
    r.addEventListener("change", () => {
      if (state.reg) state.reg.logMode = params().logMode;
      resetFit();
      scheduleDraw();
    });
  }
  $("data-generate").addEventListener("click", newData);
  $("data-use").addEventListener("click", () => {
    const vals = $("data-text").value.split(/[\s,;]+/).filter(Boolean).map(Number);
    if (vals.length < 2 || vals.some((v) => !Number.isFinite(v))) {
      showError(new Error("type at least two numbers, separated by commas or spaces"));
      return;
    }
    showError(null);
    setData(Float64Array.from(vals));
  });
  $("fit-run").addEventListener("click", runFit);
  $("fit-step").addEventListener("click", () => {
    stopFit();
    fitStep();
    drawAll();
  });
  $("fit-reset").addEventListener("click", () => {
    // back to the prior the fit started from
    const start = state.fit.start;
    if (start) {
      for (const id of ["mean", "std"]) {
        $(id).value = start[id];
        $(`${id}-range`).value = start[id];
      }
      state.fit.start = null;
    }
    rebuild();
  });
  $("remeasure").addEventListener("click", measure);
  window.addEventListener("resize", scheduleDraw);
  rebuild();
  newData();
  drawAll();
  initFunctions();
  initLuaPlayground();
  measure();
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  showError(e);
  $("build").textContent = "failed to load";
  throw e;
});
