// Section 4, "Priors over functions": the model f(x) = Σ_j w_j φ_j(x) on
// [-1, 1] with the prior w ~ GaussianReg(mean, std, weight).
//
// The prior is the package's: its draws (sampleInit), its loss and gradient
// (lossAndGrad, grad), its hyper-gradient (hyperGrad) and its precision. The
// model is this file's: the basis, the likelihood Σ (y − f(x))²/(2σ²) with its
// gradient and curvature, the linear algebra of the MAP solve, and the plots.
import { GaussianReg } from "../dist/index.js";
import { $, COLORS, axes, fmt, line, setup, setValue, stdEff } from "./plot.js";

const X_LO = -1, X_HI = 1;
const GRID = Float64Array.from({ length: 201 }, (_, i) => X_LO + ((X_HI - X_LO) * i) / 200);
const N_DATA = 12; // points in a new data set
const MAX_POINTS = 200;
const DECAY = 0.6; // structured prior: std_j = std · DECAY^j
const LOG_STD = [-4, 3]; // the std slider's range, in log10
const SWEEP = Array.from({ length: 71 }, (_, i) => LOG_STD[0] + (i * (LOG_STD[1] - LOG_STD[0])) / 70);
const FIT_MAX_STEPS = 3000;
/** The function the preset data come from (drawn dashed on the fit plot). */
const hidden = (x) => Math.sin(2.6 * x) + 0.4 * x * x - 0.2;

// ---------------------------------------------------------------------------
// The model: bases and the MAP solve

/** φ_0..φ_{K-1} at x, written into out. */
const BASES = {
  // Legendre polynomials P_0..P_9: the polynomials of degree <= 9, in a basis
  // that stays well conditioned on [-1, 1] (|P_j| <= 1 there).
  poly(x, K, out) {
    out[0] = 1;
    if (K > 1) out[1] = x;
    for (let n = 1; n + 1 < K; n++) out[n + 1] = ((2 * n + 1) * x * out[n] - n * out[n - 1]) / (n + 1);
  },
  // Gaussian bumps at K evenly spaced centres, as wide as their spacing.
  bumps(x, K, out) {
    const h = K > 1 ? (X_HI - X_LO) / (K - 1) : 1;
    for (let j = 0; j < K; j++) {
      const c = K > 1 ? X_LO + j * h : 0;
      out[j] = Math.exp(-0.5 * ((x - c) / h) ** 2);
    }
  },
};

/** Row-major design matrix Φ[i, j] = φ_j(xs[i]). */
function design(kind, K, xs) {
  const phi = new Float64Array(xs.length * K);
  for (let i = 0; i < xs.length; i++) BASES[kind](xs[i], K, phi.subarray(i * K, (i + 1) * K));
  return phi;
}

/** Row-major product Φ w for Φ of shape [n, K] and rows of W of shape [r, K]: [r, n]. */
function curves(phi, K, W, r) {
  const n = phi.length / K;
  const out = new Float64Array(r * n);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += phi[i * K + j] * W[c * K + j];
      out[c * n + i] = s;
    }
  }
  return out;
}

/** A hyperparameter as K per-weight values (it is a number or a length-K array). */
function perWeight(v, K) {
  return typeof v === "number" ? new Float64Array(K).fill(v) : Float64Array.from(v);
}

/** Lower Cholesky factor of the symmetric K×K matrix A (row-major), or null if not positive definite. */
function cholesky(A, K) {
  const L = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * K + j];
      for (let k = 0; k < j; k++) s -= L[i * K + k] * L[j * K + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * K + i] = Math.sqrt(s);
      } else {
        L[i * K + j] = s / L[j * K + j];
      }
    }
  }
  return L;
}

/** Solves L Lᵀ x = b. */
function cholSolve(L, K, b) {
  const y = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * K + k] * y[k];
    y[i] = s / L[i * K + i];
  }
  const x = new Float64Array(K);
  for (let i = K - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < K; k++) s -= L[k * K + i] * x[k];
    x[i] = s / L[i * K + i];
  }
  return x;
}

const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/**
 * The MAP weights: argmin over w of Σ (y − Φw)²/(2σ²) + reg.loss(w).
 *
 * The prior's gradient comes from reg.lossAndGrad. Its curvature (diagonal,
 * since the prior is a diagonal Gaussian) is read off the package too: the
 * gradient is linear in w, so grad(1) − grad(0) is exactly its Hessian's
 * diagonal. Newton steps with the exact Hessian ΦᵀΦ/σ² + diag(h) reach the
 * minimum in one step (the closed form); the second step and the gradient
 * left at the end check it: gradRel = |∇| at w_MAP over |∇| at w = 0.
 */
function solveMap(reg, phi, ys, K, sigma) {
  const n = ys.length;
  const s2 = sigma * sigma;
  const g0 = reg.grad(new Float64Array(K));
  const g1 = reg.grad(new Float64Array(K).fill(1));
  const A = new Float64Array(K * K);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < K; a++) {
      const pa = phi[i * K + a] / s2;
      for (let b = 0; b < K; b++) A[a * K + b] += pa * phi[i * K + b];
    }
  }
  for (let j = 0; j < K; j++) A[j * K + j] += g1[j] - g0[j];
  // weight 0 and fewer points than weights leave A singular: the smallest
  // ridge that makes it factor (reported, so the page can say so)
  let L = cholesky(A, K);
  let ridge = 0;
  if (!L) {
    const scale = Math.max(1e-300, ...Array.from({ length: K }, (_, j) => Math.abs(A[j * K + j])));
    for (ridge = 1e-12 * scale; !L && ridge < 1e6 * scale; ridge *= 10) {
      const B = A.slice();
      for (let j = 0; j < K; j++) B[j * K + j] += ridge;
      L = cholesky(B, K);
      if (L) break;
    }
  }
  const total = (w) => {
    const { loss, grad } = reg.lossAndGrad(w);
    const g = Float64Array.from(grad);
    let data = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < K; j++) f += phi[i * K + j] * w[j];
      const r = f - ys[i];
      data += (r * r) / (2 * s2);
      for (let j = 0; j < K; j++) g[j] += (r / s2) * phi[i * K + j];
    }
    return { prior: loss, data, g };
  };
  let w = new Float64Array(K);
  const start = norm(total(w).g);
  for (let step = 0; step < 2; step++) {
    const d = cholSolve(L, K, total(w).g);
    w = w.map((v, j) => v - d[j]);
  }
  const end = total(w);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < K; j++) f += phi[i * K + j] * w[j];
    sse += (f - ys[i]) ** 2;
  }
  return {
    w,
    L,
    ridge,
    priorTerm: end.prior,
    dataTerm: end.data,
    gradRel: start > 0 ? norm(end.g) / start : norm(end.g),
    trainRmse: n ? Math.sqrt(sse / n) : NaN,
  };
}

/**
 * 2K points mean + a·(w_MAP − mean ± √K·c_i), c_i the columns of L⁻ᵀ
 * (A = L Lᵀ). With a = 1 their mean is w_MAP and their covariance A⁻¹, the
 * posterior's, so averages of a quadratic over them are its posterior
 * expectation exactly; a = √(2·weight) scales their spread about the mean
 * (see fitStep).
 */
function posteriorPoints(map, K, mean, a) {
  const { w, L } = map;
  const pts = new Float64Array(2 * K * K);
  const r = Math.sqrt(K);
  const c = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    for (let row = K - 1; row >= 0; row--) {
      let s = row === i ? 1 : 0;
      for (let k = row + 1; k < K; k++) s -= L[k * K + row] * c[k];
      c[row] = s / L[row * K + row];
    }
    for (let j = 0; j < K; j++) {
      pts[2 * i * K + j] = mean[j] + a * (w[j] - mean[j] + r * c[j]);
      pts[(2 * i + 1) * K + j] = mean[j] + a * (w[j] - mean[j] - r * c[j]);
    }
  }
  return pts;
}

/** Diagonal of A⁻¹ (the posterior variances of the weights). */
function posteriorVar(map, K) {
  const v = new Float64Array(K);
  const e = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    e.fill(0);
    e[j] = 1;
    v[j] = cholSolve(map.L, K, e)[j];
  }
  return v;
}

// ---------------------------------------------------------------------------
// State

const st = {
  reg: null, // the prior: fitHyper (so "fit the prior" may set its precision), per_element log term
  kind: "poly",
  K: 10,
  sigma: 0.25,
  mean: 0,
  weight: 0.5,
  std: 1,
  structured: false,
  nCurves: 20,
  drawSeed: 1,
  dataSeed: 7,
  points: [], // { x, y }
  draws: null, // Float64Array [nCurves, K] from sampleInit
  map: null,
  sweep: null,
  sweepKey: "",
  fit: { running: false, raf: 0, iter: 0, converged: false, from: null, runaway: null },
  fitAxes: null, // the fit plot's coordinate maps, for clicks
  raf: 0,
};

function num(id, fallback) {
  const v = parseFloat($(id).value);
  return Number.isFinite(v) ? v : fallback;
}

function showError(e) {
  const el = $("fn-error");
  el.hidden = !e;
  el.textContent = e ? e.message : "";
}

/** The std control's value as the constructor's std: a number, or per weight when structured. */
function stdOption(std, K, structured) {
  return structured ? Float64Array.from({ length: K }, (_, j) => std * DECAY ** j) : std;
}

function readControls() {
  st.kind = $("fn-basis").value === "bumps" ? "bumps" : "poly";
  st.K = Math.min(10, Math.max(1, Math.round(num("fn-k", 10))));
  st.mean = num("fn-mean", 0);
  st.weight = num("fn-weight", 0.5);
  st.std = num("fn-std", 1);
  st.sigma = num("fn-sigma", 0.25);
  $("fn-structured").disabled = st.kind !== "poly";
  st.structured = st.kind === "poly" && $("fn-structured").checked;
  st.nCurves = Math.min(30, Math.max(10, Math.round(num("fn-curves", 20))));
}

/** Rebuilds the prior from the controls, then everything that depends on it. */
function rebuild() {
  stopFit();
  readControls();
  try {
    if (!(st.sigma > 0)) throw new RangeError(`noise σ must be > 0, got ${$("fn-sigma").value || "nothing"}`);
    const reg = new GaussianReg({
      mean: st.mean,
      std: stdOption(st.std, st.K, st.structured),
      weight: st.weight,
      fitHyper: true,
      logMode: "per_element",
      seed: st.drawSeed,
    });
    st.reg?.dispose();
    st.reg = reg;
    showError(null);
  } catch (e) {
    showError(e);
    return;
  }
  st.fit.iter = 0;
  st.fit.converged = false;
  st.fit.from = null;
  st.fit.runaway = null;
  resample();
  refit();
}

/** The functions on the left: sampleInit([curves, K]) from the draw seed. */
function resample() {
  st.reg.seed(st.drawSeed);
  st.draws = st.reg.sampleInit([st.nCurves, st.K]);
  schedule();
}

/** The MAP fit, and the error-versus-std sweep when its inputs changed. */
function refit() {
  const xs = st.points.map((p) => p.x);
  const ys = st.points.map((p) => p.y);
  const phi = design(st.kind, st.K, xs);
  st.map = solveMap(st.reg, phi, ys, st.K, st.sigma);
  st.map.curve = curves(design(st.kind, st.K, GRID), st.K, st.map.w, 1);
  st.map.truthErr = rmsDiff(st.map.curve, GRID.map(hidden));
  const key = JSON.stringify([st.kind, st.K, st.sigma, st.mean, st.weight, st.structured, st.points]);
  if (key !== st.sweepKey) {
    st.sweep = sweep(phi, ys);
    st.sweepKey = key;
  }
  schedule();
}

function rmsDiff(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

/** Train error and error against the hidden function of the MAP fit for each std of SWEEP. */
function sweep(phi, ys) {
  const phiGrid = design(st.kind, st.K, GRID);
  const truth = GRID.map(hidden);
  const train = [], truthErr = [];
  for (const l of SWEEP) {
    const reg = new GaussianReg({ mean: st.mean, std: stdOption(10 ** l, st.K, st.structured), weight: st.weight });
    try {
      const m = solveMap(reg, phi, ys, st.K, st.sigma);
      train.push(m.trainRmse);
      truthErr.push(rmsDiff(curves(phiGrid, st.K, m.w, 1), truth));
    } finally {
      reg.dispose();
    }
  }
  let best = 0;
  for (let i = 1; i < SWEEP.length; i++) if (truthErr[i] < truthErr[best]) best = i;
  return { logStd: SWEEP, train, truthErr, best };
}

/** New data: N_DATA points of the hidden function plus N(0, σ²) noise, from the package's generator. */
function newData() {
  const gen = new GaussianReg({ mean: 0, std: 1, seed: st.dataSeed });
  let z;
  try {
    z = gen.sampleInit(2 * N_DATA);
  } finally {
    gen.dispose();
  }
  const sigma = num("fn-sigma", 0.25) > 0 ? num("fn-sigma", 0.25) : 0.25;
  st.points = Array.from({ length: N_DATA }, (_, i) => {
    const x = X_LO + ((i + 0.5 + 0.35 * Math.tanh(z[i])) * (X_HI - X_LO)) / N_DATA;
    return { x, y: hidden(x) + sigma * z[N_DATA + i] };
  });
}

/** The prior's mean and std per weight, read from the regularizer. */
function priorPerWeight() {
  const K = st.K;
  const mean = perWeight(st.reg.mean, K);
  const std = perWeight(st.reg.precision, K).map(stdEff);
  return { mean, std };
}

/** Prior predictive of f(x): mean Σ φ_j mean_j, std sqrt(Σ φ_j² std_j²). */
function predictive(x) {
  const K = st.K;
  const phi = new Float64Array(K);
  BASES[st.kind](x, K, phi);
  const { mean, std } = priorPerWeight();
  let m = 0, v = 0;
  for (let j = 0; j < K; j++) {
    m += phi[j] * mean[j];
    v += (phi[j] * std[j]) ** 2;
  }
  return { mean: m, std: Math.sqrt(v) };
}

// ---------------------------------------------------------------------------
// Fit the prior

/**
 * One step of the prior's precision scale s (all precisions times the same
 * factor, so a structured prior keeps its shape).
 *
 * hyperGrad with the per-element log term at the 2K posterior points gives
 * t = Σ_j p_j ∂L/∂p_j = weight·(s·Q − N), N = 2K·K the points' element
 * count; log s moves by −log(1 + t/(weight·N)), which is the minimiser of
 * the prior term over s for the current posterior: an EM step. At weight ½,
 * reg.loss is the prior's negative log-density, and the fixed point
 * std_j² = E[(w_j − mean)²] under the posterior is where the evidence
 * p(data | std) is largest. At another weight the objective's prior is
 * N(mean, std²/(2·weight)); spreading the points by √(2·weight) makes the
 * fixed point that prior's evidence maximum, std_j² = 2·weight·E[(w_j − mean)²].
 *
 * Returns false when there is nothing to fit (weight 0, no data) or the
 * evidence keeps growing towards std 0 or ∞ (the precision left [1e-12, 1e12]).
 */
function fitStep() {
  const K = st.K;
  const reg = st.reg;
  if (!(reg.weight > 0) || !st.points.length) return false;
  const mean = perWeight(reg.mean, K);
  const pts = posteriorPoints(st.map, K, mean, Math.sqrt(2 * reg.weight));
  const gp = reg.hyperGrad({ data: pts, shape: [2 * K, K] }).precision;
  const p = reg.precision;
  const pv = perWeight(p, K);
  const t = typeof gp === "number" ? p * gp : pv.reduce((a, v, j) => a + v * gp[j], 0);
  const u = t / (reg.weight * 2 * K * K);
  const step = -Math.max(-3, Math.min(3, Math.log1p(Math.max(u, -1 + 1e-12))));
  const next = pv.map((v) => v * Math.exp(step));
  if (!next.every((v) => v >= 1e-12 && v <= 1e12)) {
    st.fit.runaway = step > 0 ? "0" : "∞";
    return false;
  }
  reg.precision = typeof p === "number" ? next[0] : next;
  st.fit.iter += 1;
  st.fit.converged = Math.abs(step) < 1e-9;
  // the std control follows the fit (std of the first weight)
  const std = stdEff(next[0]);
  $("fn-std").value = String(+std.toPrecision(4));
  $("fn-std-range").value = String(Math.log10(std));
  $("fn-std-range").setAttribute("aria-valuetext", fmt(std, 4));
  resample();
  refit();
  return true;
}

function runFit() {
  if (st.fit.running) return stopFit();
  if (!st.reg || !(st.reg.weight > 0) || !st.points.length) return;
  st.fit.running = true;
  st.fit.converged = false;
  st.fit.runaway = null;
  st.fit.from = stdEff(perWeight(st.reg.precision, st.K)[0]);
  const start = st.fit.iter;
  $("fn-fit").textContent = "Stop";
  $("fn-fit").setAttribute("aria-pressed", "true");
  let frame = 0;
  const tick = () => {
    if (!st.fit.running) return;
    frame += 1;
    const perFrame = Math.min(60, 1 + (frame >> 2)); // slow at first, so the curves visibly move
    let more = true;
    try {
      for (let i = 0; i < perFrame && more && !st.fit.converged && st.fit.iter - start < FIT_MAX_STEPS; i++) more = fitStep();
    } catch (e) {
      showError(e);
      more = false;
    }
    draw();
    if (!more || st.fit.converged || st.fit.iter - start >= FIT_MAX_STEPS) stopFit();
    else st.fit.raf = requestAnimationFrame(tick);
  };
  st.fit.raf = requestAnimationFrame(tick);
  updateReadouts();
}

function stopFit() {
  if (!st.fit.running) return;
  st.fit.running = false;
  cancelAnimationFrame(st.fit.raf);
  $("fn-fit").textContent = "Fit the prior";
  $("fn-fit").setAttribute("aria-pressed", "false");
  updateReadouts();
}

// ---------------------------------------------------------------------------
// Drawing

function schedule() {
  if (!st.raf) st.raf = requestAnimationFrame(draw);
}

/** The y range both function plots share: the data with a margin, at least [-3, 3]. */
function yRange() {
  let lo = -3, hi = 3;
  for (const p of st.points) {
    lo = Math.min(lo, p.y - 0.3);
    hi = Math.max(hi, p.y + 0.3);
  }
  return [lo, hi];
}

function drawPrior() {
  const { ctx, w, h } = setup($("fn-prior-plot"));
  if (!st.reg || !st.draws) return;
  const yr = yRange();
  const { X, Y, done } = axes(ctx, w, h, [X_LO, X_HI], yr, { xlabel: "x", ylabel: "f(x)" });
  const pred = Array.from(GRID, (x) => predictive(x));
  ctx.fillStyle = COLORS.band;
  ctx.beginPath();
  GRID.forEach((x, i) => ctx.lineTo(X(x), Y(Math.min(yr[1] + 10, pred[i].mean + 2 * pred[i].std))));
  for (let i = GRID.length - 1; i >= 0; i--) ctx.lineTo(X(GRID[i]), Y(Math.max(yr[0] - 10, pred[i].mean - 2 * pred[i].std)));
  ctx.closePath();
  ctx.fill();
  const F = curves(design(st.kind, st.K, GRID), st.K, st.draws, st.nCurves);
  ctx.globalAlpha = 0.6;
  for (let c = 0; c < st.nCurves; c++) {
    const ys = F.subarray(c * GRID.length, (c + 1) * GRID.length).map((v) => Math.max(yr[0] - 10, Math.min(yr[1] + 10, v)));
    line(ctx, GRID, ys, X, Y, c % 2 ? "#3a6ea5" : COLORS.draw, 1.3);
  }
  ctx.globalAlpha = 1;
  line(ctx, GRID, pred.map((p) => p.mean), X, Y, COLORS.axis, 2, [6, 4]);
  done();
}

function drawFitPlot() {
  const canvas = $("fn-fit-plot");
  const { ctx, w, h } = setup(canvas);
  if (!st.reg || !st.map) return;
  const yr = yRange();
  const ax = axes(ctx, w, h, [X_LO, X_HI], yr, { xlabel: "x", ylabel: "f(x)" });
  const { X, Y, done } = ax;
  st.fitAxes = ax;
  line(ctx, GRID, GRID.map(hidden), X, Y, COLORS.truth, 1.5, [3, 3]);
  line(ctx, GRID, GRID.map((x) => predictive(x).mean), X, Y, COLORS.axis, 1.5, [6, 4]);
  line(ctx, GRID, st.map.curve, X, Y, COLORS.map, 3);
  for (const p of st.points) {
    ctx.fillStyle = "#fff";
    ctx.beginPath();
    ctx.arc(X(p.x), Y(p.y), 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = COLORS.data;
    ctx.beginPath();
    ctx.arc(X(p.x), Y(p.y), 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  done();
}

const SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const pow10 = (t) => (t === 0 ? "1" : t === 1 ? "10" : `10${String(t).replace(/./g, (c) => SUP[c])}`);

function drawSweep() {
  const { ctx, w, h } = setup($("fn-sweep-plot"));
  const sw = st.sweep;
  if (!sw || !st.points.length) {
    ctx.fillStyle = COLORS.axis;
    ctx.font = "13px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText("add data points to see the errors", w / 2, h / 2);
    return;
  }
  const top = 1.25 * Math.max(st.sigma, ...sw.train.filter(Number.isFinite), sw.truthErr[sw.best]);
  const xticks = [];
  for (let t = LOG_STD[0]; t <= LOG_STD[1]; t += w < 360 ? 2 : 1) xticks.push(t);
  const { X, Y, done } = axes(ctx, w, h, LOG_STD, [0, top], { xlabel: "prior std (log scale)", ylabel: "RMS error", xticks, xfmt: pow10 });
  line(ctx, LOG_STD, [st.sigma, st.sigma], X, Y, COLORS.axis, 1.2, [2, 3]);
  line(ctx, sw.logStd, sw.truthErr, X, Y, COLORS.truth, 2, [6, 3]);
  line(ctx, sw.logStd, sw.train, X, Y, COLORS.loss, 2.5);
  const cur = Math.log10(stdEff(perWeight(st.reg.precision, st.K)[0]));
  line(ctx, [cur, cur], [0, top], X, Y, COLORS.map, 2);
  done();
}

/**
 * RMS of (w_j − mean_j) in the prior's own shape, scaled to w_0:
 * sqrt(mean_j ((w_j − mean_j)·std_0/std_j)²), the plain RMS when all stds
 * are equal; the number the fitted std_0 is compared with.
 */
function weightSpread(w, mean, std) {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += (((w[j] - mean[j]) * std[0]) / std[j]) ** 2;
  return Math.sqrt(s / w.length);
}

function updateReadouts() {
  const m = st.map;
  if (!st.reg || !m) return;
  const K = st.K;
  const { mean, std } = priorPerWeight();
  const spread = weightSpread(m.w, mean, std);
  const has = st.points.length > 0;
  setValue("fn-train", has ? m.trainRmse : NaN, 3);
  if (!has) $("fn-train").textContent = "–";
  setValue("fn-noise", st.sigma, 3);
  setValue("fn-truth", m.truthErr, 3);
  setValue("fn-data-term", m.dataTerm, 4);
  setValue("fn-prior-term", m.priorTerm, 4);
  setValue("fn-prior-std", std[0], 4);
  setValue("fn-spread", spread, 4);
  setValue("fn-grad-check", m.gradRel, 2);
  $("fn-npoints").textContent = String(st.points.length);
  // the verdict: how far the fit is from the best std of the sweep
  let verdict = "";
  if (has && st.sweep) {
    const sw = st.sweep;
    const bestStd = 10 ** sw.logStd[sw.best];
    const best = sw.truthErr[sw.best];
    const tail = ` (best in the sweep: std ≈ ${fmt(bestStd, 2)}, error ${fmt(best, 2)}).`;
    if (m.truthErr <= 1.25 * best) verdict = `Now: close to the best fit this basis allows${tail}`;
    else if (std[0] < bestStd) verdict = `Now: the prior is too tight; the curve ignores the data${tail}`;
    else verdict = `Now: the prior is too loose; the curve threads the points and overfits${tail}`;
  }
  $("fn-verdict").textContent = verdict;
  const note = m.ridge > 0 ? `The data alone do not fix all ${K} weights and the prior's weight is 0: solved with a ridge of ${fmt(m.ridge, 2)}. ` : "";
  let fitNote = "";
  if (st.fit.running) fitNote = `fitting… step ${st.fit.iter}`;
  else if (st.fit.runaway) {
    fitNote = `Stopped after ${st.fit.iter} steps: the evidence keeps growing as the std goes to ${st.fit.runaway}; these data do not pin it down.`;
  } else if (st.fit.iter > 0) {
    fitNote = st.fit.converged
      ? `Converged after ${st.fit.iter} steps: std ${fmt(std[0], 4)} (from ${fmt(st.fit.from, 4)}), weights' spread ${fmt(spread, 4)}.`
      : `Stopped after ${st.fit.iter} steps: std ${fmt(std[0], 4)}; press again to continue.`;
  }
  $("fn-fit").disabled = !(st.reg.weight > 0) || !has;
  if (!st.fit.running && !(st.reg.weight > 0)) fitNote = "The prior's weight is 0: there is no prior to fit.";
  else if (!st.fit.running && !has) fitNote = "Add data points to fit the prior to.";
  $("fn-fit-note").textContent = note + fitNote;
  $("fn-remove-point").disabled = !has;
}

function draw() {
  st.raf = 0;
  try {
    drawPrior();
    drawFitPlot();
    drawSweep();
    updateReadouts();
  } catch (e) {
    showError(e);
  }
}

// ---------------------------------------------------------------------------
// Controls

/** A slider and its number field stay in step; std's slider is log10(std). */
function pair(name, log = false) {
  const range = $(`${name}-range`);
  const field = $(name);
  const valuetext = () => range.setAttribute("aria-valuetext", field.value);
  range.addEventListener("input", () => {
    field.value = log ? String(+(10 ** +range.value).toPrecision(3)) : range.value;
    valuetext();
    rebuild();
  });
  field.addEventListener("input", () => {
    const v = +field.value;
    if (field.value !== "" && Number.isFinite(v) && (!log || v > 0)) range.value = String(log ? Math.log10(v) : v);
    valuetext();
    rebuild();
  });
  valuetext();
}

/** Click on the fit plot: remove the point under the pointer, or add one there. */
function onPlotClick(ev) {
  const ax = st.fitAxes;
  if (!ax) return;
  const px = ev.offsetX, py = ev.offsetY; // inside the border, like the drawing
  let hit = -1, dmin = 9;
  st.points.forEach((p, i) => {
    const d = Math.hypot(ax.X(p.x) - px, ax.Y(p.y) - py);
    if (d <= dmin) {
      dmin = d;
      hit = i;
    }
  });
  const x = ax.toX(px), y = ax.toY(py);
  if (hit >= 0) st.points.splice(hit, 1);
  else if (x >= X_LO && x <= X_HI && st.points.length < MAX_POINTS) st.points.push({ x, y });
  else return;
  stopFit();
  refit();
}

/** Wires the section's controls and draws it; needs init() to have resolved. */
export function initFunctions() {
  for (const [name, log] of [["fn-std", true], ["fn-mean"], ["fn-weight"], ["fn-k"]]) pair(name, log);
  // σ changes the likelihood only; the prior stays
  const sigmaChanged = () => {
    readControls();
    if (!(st.sigma > 0)) return showError(new RangeError(`noise σ must be > 0, got ${$("fn-sigma").value || "nothing"}`));
    showError(null);
    stopFit();
    refit();
  };
  $("fn-sigma-range").addEventListener("input", () => {
    $("fn-sigma").value = $("fn-sigma-range").value;
    sigmaChanged();
  });
  $("fn-sigma").addEventListener("input", () => {
    if ($("fn-sigma").value !== "") $("fn-sigma-range").value = $("fn-sigma").value;
    sigmaChanged();
  });
  $("fn-basis").addEventListener("change", rebuild);
  $("fn-structured").addEventListener("change", rebuild);
  $("fn-curves").addEventListener("input", () => {
    readControls();
    stopFit();
    resample();
  });
  $("fn-new-draws").addEventListener("click", () => {
    st.drawSeed += 1;
    resample();
  });
  $("fn-new-data").addEventListener("click", () => {
    st.dataSeed += 1;
    stopFit();
    newData();
    refit();
  });
  $("fn-remove-point").addEventListener("click", () => {
    st.points.pop();
    stopFit();
    refit();
  });
  $("fn-fit").addEventListener("click", runFit);
  $("fn-fit-plot").addEventListener("click", onPlotClick);
  window.addEventListener("resize", schedule);
  newData();
  rebuild();
  draw();

  // A read-only view for the end-to-end test (copies; nothing here changes the page).
  window.__functionsDemo = Object.freeze({
    snapshot() {
      const K = st.K;
      const { mean, std } = priorPerWeight();
      const phiGrid = design(st.kind, K, GRID);
      const F = curves(phiGrid, K, st.draws, st.nCurves);
      const m = st.map;
      return {
        kind: st.kind, K, sigma: st.sigma, weight: st.reg.weight, structured: st.structured,
        mean: Array.from(mean), std: Array.from(std), precision: Array.from(perWeight(st.reg.precision, K)),
        drawSeed: st.drawSeed, nCurves: st.nCurves,
        points: st.points.map((p) => ({ ...p })),
        plotRange: { x: [X_LO, X_HI], y: yRange() },
        spread: weightSpread(m.w, mean, std),
        grid: Array.from(GRID),
        draws: Array.from({ length: st.nCurves }, (_, c) => Array.from(F.subarray(c * GRID.length, (c + 1) * GRID.length))),
        meanFn: Array.from(GRID, (x) => predictive(x).mean),
        bandStd: Array.from(GRID, (x) => predictive(x).std),
        map: {
          w: Array.from(m.w), curve: Array.from(m.curve), trainRmse: m.trainRmse, truthErr: m.truthErr,
          dataTerm: m.dataTerm, priorTerm: m.priorTerm, gradRel: m.gradRel, ridge: m.ridge,
          postVar: Array.from(posteriorVar(m, K)),
        },
        fit: { running: st.fit.running, iter: st.fit.iter, converged: st.fit.converged },
        sweep: st.sweep && { logStd: [...st.sweep.logStd], train: [...st.sweep.train], truthErr: [...st.sweep.truthErr], best: st.sweep.best },
      };
    },
    /** f(x) of n fresh functions drawn with sampleInit([n, K]) under the current prior (another seed than the plot's). */
    sampleAt(x, n, seed = 987654321) {
      const K = st.K;
      const phi = new Float64Array(K);
      BASES[st.kind](x, K, phi);
      st.reg.seed(seed);
      const W = st.reg.sampleInit([n, K]);
      st.reg.seed(st.drawSeed);
      return Array.from({ length: n }, (_, i) => {
        let f = 0;
        for (let j = 0; j < K; j++) f += phi[j] * W[i * K + j];
        return f;
      });
    },
    /** The prior predictive { mean, std } of f(x), as the band shows it. */
    predictive: (x) => predictive(x),
  });
}
