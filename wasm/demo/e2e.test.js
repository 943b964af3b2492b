// End-to-end test of the demo in a real headless Chromium (Debian's
// /usr/bin/chromium through npm's playwright-core; no browser download).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { GaussianReg, init } from "../dist/node.js";
import { createLua } from "../dist/lua-node.js";
import { launchChromium, watchProblems } from "../test/chromium.js";
import { startServer } from "./serve.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEV = process.env.GAUSSREG_NODE_DEV ?? `${ROOT}build/node-dev/node_modules`;
const SHOTS = process.env.GAUSSREG_SHOTS ?? `${ROOT}build/demo`;

let server, url, browser, page;
const problems = []; // console errors, page errors, failed or 4xx/5xx requests

const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const shown = async (id) => Number((await page.textContent(`#${id}`)).trim());
const exact = async (id) => Number(await page.getAttribute(`#${id}`, "data-value"));

function closeRel(a, b, rel, what) {
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b} (rel ${Math.abs(a - b) / Math.abs(b)})`);
}

before(async () => {
  await init();
  ({ server, url } = await startServer({ port: 0 }));
  browser = await launchChromium(DEV);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  watchProblems(page, problems);
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});


// ---------------------------------------------------------------------------
// Section 4 helpers: the page's state, and the test's own copy of the model
// (bases, likelihood, evidence) to check the page's numbers against.

const fn = () => page.evaluate(() => window.__functionsDemo.snapshot());
const fnPredictive = (x) => page.evaluate((x) => window.__functionsDemo.predictive(x), x);
const fnSampleAt = (x, n) => page.evaluate(([x, n]) => window.__functionsDemo.sampleAt(x, n), [x, n]);
const fnFitDone = () => page.waitForFunction(() => !window.__functionsDemo.snapshot().fit.running, null, { timeout: 30000 });

/** φ_j(x): Legendre P_j from the three-term recurrence, or Gaussian bumps as wide as their spacing. */
function basisRow(kind, x, K) {
  const p = new Array(K).fill(0);
  if (kind === "poly") {
    p[0] = 1;
    if (K > 1) p[1] = x;
    for (let n = 1; n + 1 < K; n++) p[n + 1] = ((2 * n + 1) * x * p[n] - n * p[n - 1]) / (n + 1);
  } else {
    const h = K > 1 ? 2 / (K - 1) : 1;
    for (let j = 0; j < K; j++) p[j] = Math.exp(-0.5 * ((x - (K > 1 ? -1 + j * h : 0)) / h) ** 2);
  }
  return p;
}

/** A Node GaussianReg with the page's prior (mean and per-weight precision as the snapshot reports them). */
function nodePrior(s) {
  const reg = new GaussianReg({ mean: s.mean[0], std: 1, weight: s.weight, fitHyper: true, logMode: "per_element" });
  reg.precision = Float64Array.from(s.precision);
  return reg;
}

/** |∇| of Σ (y − Φw)²/(2σ²) + reg.loss(w) at w, computed in Node. */
function objectiveGrad(s, reg, w) {
  const g = Array.from(reg.grad(Float64Array.from(w)));
  for (const { x, y } of s.points) {
    const phi = basisRow(s.kind, x, s.K);
    const r = phi.reduce((a, v, j) => a + v * w[j], 0) - y;
    for (let j = 0; j < s.K; j++) g[j] += (r / s.sigma ** 2) * phi[j];
  }
  return Math.hypot(...g);
}

/** log p(y | prior) = log N(y; Φ mean, σ²I + Φ diag(1/(2·weight·prec)) Φᵀ), prec = relu(p) + 1e-6 per weight. */
function logEvidence(s, precision) {
  const n = s.points.length, K = s.K;
  const Phi = s.points.map((p) => basisRow(s.kind, p.x, K));
  const v = precision.map((p) => 1 / (2 * s.weight * (Math.max(p, 0) + 1e-6)));
  const C = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) =>
    Phi[i].reduce((a, f, k) => a + f * Phi[j][k] * v[k], 0) + (i === j ? s.sigma ** 2 : 0)));
  const L = C.map(() => new Array(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let a = C[i][j];
      for (let k = 0; k < j; k++) a -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(a) : a / L[j][j];
    }
  }
  const r = s.points.map((p, i) => p.y - Phi[i].reduce((a, f, k) => a + f * s.mean[k], 0));
  const z = [];
  for (let i = 0; i < n; i++) z.push((r[i] - z.reduce((a, zk, k) => a + L[i][k] * zk, 0)) / L[i][i]);
  const logdet = 2 * L.reduce((a, row, i) => a + Math.log(row[i]), 0);
  return -0.5 * (z.reduce((a, zi) => a + zi * zi, 0) + logdet + n * Math.log(2 * Math.PI));
}

/** Sets section 4's controls (the structure switch is only enabled for polynomials, so it goes first). */
async function fnSet(values) {
  const { "fn-basis": basis, "fn-structured": structured, ...rest } = values;
  if (structured !== undefined) {
    await page.selectOption("#fn-basis", "poly");
    await page.setChecked("#fn-structured", structured);
  }
  if (basis !== undefined) await page.selectOption("#fn-basis", basis);
  for (const [id, v] of Object.entries(rest)) await page.fill(`#${id}`, String(v));
}
const FN_DEFAULTS = { "fn-basis": "poly", "fn-structured": false, "fn-k": 10, "fn-mean": 0, "fn-weight": 0.5, "fn-sigma": 0.25, "fn-std": 1 };

describe("demo page in headless Chromium", () => {
  it("initialised the SIMD build and measured the 10^6 loss", async () => {
    assert.equal(await page.getAttribute("#build", "data-simd"), "true");
    assert.equal((await page.textContent("#build")).trim(), "SIMD (wasm128)");
    const ms = await exact("timing");
    assert.ok(ms > 0 && ms < 1000, `timing ${ms}`);
    assert.match(await page.textContent("#timing"), /ms \(\d+\.\d\d ns\/value\)/);
  });

  it("every control has a label and the sliders work from the keyboard", async () => {
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll("input, textarea, select, button")]
        .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || (e.tagName === "BUTTON" && e.textContent.trim())))
        .map((e) => e.id || e.outerHTML));
    assert.deepEqual(unlabeled, []);
    const canvases = await page.$$eval("canvas", (cs) => cs.map((c) => c.getAttribute("role") === "img" && !!c.getAttribute("aria-label")));
    assert.ok(canvases.length === 7 && canvases.every(Boolean), `canvases ${canvases}`);
    await page.focus("#mean-range");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.inputValue("#mean"), "0.02");
    await page.keyboard.press("Home");
    assert.equal(await page.inputValue("#mean"), "-5");
  });

  it("shows the loss and gradient the Node package computes (1e-12 relative), printed to 6 digits", async () => {
    const cases = [
      { mean: "0.7", std: "1.3", weight: "0.4", x: "1.9" },
      { mean: "-2.25", std: "0.35", weight: "1.75", x: "-1" },
      { mean: "3", std: "4.5", weight: "0.05", x: "-4.2" },
    ];
    for (const c of cases) {
      for (const k of ["mean", "std", "weight", "x"]) await page.fill(`#${k}`, c[k]);
      await frames();
      const reg = new GaussianReg({ mean: +c.mean, std: +c.std, weight: +c.weight });
      const loss = reg.loss(+c.x), grad = reg.grad(+c.x);
      reg.dispose();
      closeRel(await exact("loss-value"), loss, 1e-12, "loss");
      closeRel(await exact("grad-value"), grad, 1e-12, "grad");
      // printed with 6 significant digits (not 17): rounded, not truncated
      for (const [id, v] of [["loss-value", loss], ["grad-value", grad]]) {
        const text = (await page.textContent(`#${id}`)).trim();
        assert.ok(text.replace(/^-|e.*$/g, "").replace(".", "").replace(/^0+/, "").length <= 6, `${id} printed as ${text}`);
        closeRel(Number(text), v, 5e-6, `${id} as printed`);
      }
      // the sliders followed the typed values
      assert.equal(await page.inputValue("#std-range"), String(+c.std));
    }
  });

  it("the histogram's sample mean and std are within statistical bounds", async () => {
    for (const [mean, std, n] of [[0.7, 1.3, 20000], [-2.25, 0.35, 50000], [4, 3, 2000]]) {
      await page.fill("#mean", String(mean));
      await page.fill("#std", String(std));
      await page.fill("#samples", String(n));
      await frames();
      assert.equal(Number(await page.textContent("#sample-n")), n);
      const m = await exact("sample-mean"), s = await exact("sample-std");
      assert.ok(Math.abs(m - mean) < 5 * std / Math.sqrt(n), `sample mean ${m} for N(${mean}, ${std}) n=${n}`);
      assert.ok(Math.abs(s - std) < 5 * std / Math.sqrt(2 * n), `sample std ${s} for N(${mean}, ${std}) n=${n}`);
      // the displayed (rounded) numbers agree with the exact ones
      closeRel(await shown("sample-mean"), m, 1e-5, "shown mean");
    }
    await page.fill("#samples", "20000");
  });

  it("fitting moves mean and precision toward the data (full likelihood)", async () => {
    await page.fill("#mean", "0");
    await page.fill("#std", "2");
    await page.fill("#weight", "1");
    assert.equal(await page.isDisabled("#fit-run"), true); // needs fit_hyper
    await page.check("#fit-hyper");
    await page.check('input[name="log-mode"][value="per_element"]');
    await page.fill("#data-mean", "2");
    await page.fill("#data-std", "0.5");
    await page.fill("#data-n", "300");
    await page.click("#data-generate");
    await page.fill("#fit-steps", "60");
    await frames();
    const dm = await exact("data-mean-out"), ds = await exact("data-std-out");
    const m0 = await exact("fit-mean"), p0 = await exact("fit-precision");
    const pData = 1 / (ds * ds);
    await page.click("#fit-run");
    await page.waitForFunction(() => document.getElementById("fit-iter").textContent === "60", null, { timeout: 30000 });
    const m1 = await exact("fit-mean"), p1 = await exact("fit-precision");
    assert.ok(Math.abs(m1 - dm) < 0.01 * Math.abs(m0 - dm), `mean ${m0} -> ${m1}, data ${dm}`);
    assert.ok(Math.abs(Math.log(p1 / pData)) < 0.01 * Math.abs(Math.log(p0 / pData)), `precision ${p0} -> ${p1}, data ${pData}`);
    closeRel(p1, await exact("fit-target"), 1e-3, "at the displayed optimum");
    // the prior controls followed the fit
    assert.ok(Math.abs(Number(await page.inputValue("#mean")) - m1) <= 5e-5, "mean control follows the fit");
    await page.screenshot({ path: `${SHOTS}/demo-desktop.png`, fullPage: true });
  });

  it("brainstate's log term converges to the smaller precision 1/(N var)", async () => {
    await page.click("#fit-reset");
    assert.equal(await page.inputValue("#mean"), "0");
    await page.check('input[name="log-mode"][value="per_precision"]');
    await page.fill("#fit-lr", "0.5");
    await page.fill("#fit-steps", "200");
    await page.click("#fit-run");
    await page.waitForFunction(() => document.getElementById("fit-iter").textContent === "200", null, { timeout: 60000 });
    const ds = await exact("data-std-out");
    const p = await exact("fit-precision");
    closeRel(p, 1 / (300 * ds * ds), 1e-2, "brainstate optimum");
    closeRel(await exact("fit-target"), 1 / (300 * ds * ds), 1e-12, "displayed optimum");
  });


  it("section 4, 'Priors over functions': labelled controls, keyboard sliders, click to add/remove points", async () => {
    assert.equal((await page.textContent("#h-fn")).replace(/\s+/g, " ").trim(), "4 Priors over functions");
    const labels = await page.evaluate(() => Object.fromEntries(
      ["fn-basis", "fn-k-range", "fn-std-range", "fn-structured", "fn-mean-range", "fn-weight-range", "fn-sigma-range", "fn-curves",
        "fn-k", "fn-std", "fn-mean", "fn-weight", "fn-sigma"].map((id) => {
        const e = document.getElementById(id);
        return [id, (e.labels?.[0]?.textContent ?? e.getAttribute("aria-label") ?? "").trim()];
      })));
    assert.deepEqual(labels, {
      "fn-basis": "basis", "fn-k-range": "basis functions K", "fn-std-range": "prior std", "fn-structured": "std shrinks with degree",
      "fn-mean-range": "prior mean", "fn-weight-range": "prior weight", "fn-sigma-range": "noise σ", "fn-curves": "curves",
      "fn-k": "basis functions K (number)", "fn-std": "prior std (number)", "fn-mean": "prior mean (number)",
      "fn-weight": "prior weight (number)", "fn-sigma": "noise σ (number)",
    });
    for (const [id, text] of [["fn-new-draws", "New draws"], ["fn-new-data", "New data"], ["fn-remove-point", "Remove last point"], ["fn-fit", "Fit the prior"]]) {
      assert.equal((await page.textContent(`#${id}`)).trim(), text);
    }
    assert.match(await page.textContent("#fn-sentence"), /tight prior.*prior mean.*loose prior.*overfit.*Fit the prior.*in between/s);
    // the std slider is log10(std); its field follows, and the prior with it
    await page.focus("#fn-std-range");
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await page.inputValue("#fn-std"), "1.26");
    assert.equal(await page.getAttribute("#fn-std-range", "aria-valuetext"), "1.26");
    closeRel((await fn()).std[0], 1.26, 1e-6, "prior std after ArrowRight ×10");
    await page.keyboard.press("Home");
    assert.equal(await page.inputValue("#fn-std"), "0.0001");
    await page.keyboard.press("End");
    assert.equal(await page.inputValue("#fn-std"), "1000");
    await page.focus("#fn-k-range");
    await page.keyboard.press("ArrowLeft");
    assert.equal((await fn()).K, 9);
    await fnSet(FN_DEFAULTS);
    // a click on an empty spot adds a point there; a click on it removes it again
    const s0 = await fn();
    const box = await page.$eval("#fn-fit-plot", (c) => ({ width: c.clientWidth, height: c.clientHeight }));
    const [y0, y1] = s0.plotRange.y;
    const at = { x: 48 + 0.5 * (box.width - 58), y: 10 + ((y1 - 2.5) / (y1 - y0)) * (box.height - 44) }; // x = 0, y = 2.5
    await page.click("#fn-fit-plot", { position: at });
    const s1 = await fn();
    assert.equal(s1.points.length, s0.points.length + 1);
    const added = s1.points.at(-1);
    assert.ok(Math.abs(added.x) < 0.01 && Math.abs(added.y - 2.5) < 0.03, `added ${JSON.stringify(added)}`);
    assert.notDeepEqual(s1.map.w, s0.map.w);
    assert.equal(await page.textContent("#fn-npoints"), String(s0.points.length + 1));
    await page.click("#fn-fit-plot", { position: at });
    assert.deepEqual((await fn()).points, s0.points);
    assert.deepEqual((await fn()).map.w, s0.map.w);
  });

  it("moving the prior-std slider rescales the drawn functions by the std ratio; New draws redraws", async () => {
    const s0 = await fn();
    assert.equal(s0.draws.length, 20);
    const pixels0 = await page.$eval("#fn-prior-plot", (c) => c.toDataURL());
    await page.focus("#fn-std-range");
    for (let i = 0; i < 30; i++) await page.keyboard.press("ArrowLeft"); // log10 std: 0 -> -0.3
    await frames();
    assert.equal(await page.inputValue("#fn-std"), "0.501");
    const s1 = await fn();
    const ratio = s1.std[0] / s0.std[0];
    closeRel(ratio, 0.501, 1e-6, "std ratio");
    // same seed, same N(0,1) numbers: every curve's deviation from the prior mean scales by the ratio
    let worst = 0, size = 0;
    for (let c = 0; c < s0.draws.length; c++) {
      for (let i = 0; i < s0.grid.length; i++) {
        const d0 = s0.draws[c][i] - s0.meanFn[i], d1 = s1.draws[c][i] - s1.meanFn[i];
        worst = Math.max(worst, Math.abs(d1 - ratio * d0));
        size = Math.max(size, Math.abs(d0));
      }
    }
    assert.ok(size > 1 && worst <= 1e-9 * size, `draws scale by the std ratio (worst ${worst}, size ${size})`);
    assert.notEqual(await page.$eval("#fn-prior-plot", (c) => c.toDataURL()), pixels0, "the plot changed");
    await page.click("#fn-new-draws");
    const s2 = await fn();
    assert.equal(s2.drawSeed, s1.drawSeed + 1);
    assert.ok(s2.draws[0].some((v, i) => Math.abs(v - s1.draws[0][i]) > 1e-3), "new draws differ");
    await fnSet(FN_DEFAULTS);
  });

  it("f(x) over 20000 prior draws has the band's mean and std (5σ), for each basis and prior shape", async () => {
    const n = 20000;
    for (const cfg of [
      { "fn-std": 1 },
      { "fn-std": 0.8, "fn-structured": true, "fn-mean": 0.2 },
      { "fn-basis": "bumps", "fn-std": 0.3, "fn-mean": -0.4, "fn-k": 7 },
    ]) {
      await fnSet({ ...FN_DEFAULTS, ...cfg });
      const s = await fn();
      // the band drawn at x = 0 (grid index 100) is the predictive std
      const p0 = await fnPredictive(0);
      assert.equal(s.grid[100], 0);
      assert.equal(s.bandStd[100], p0.std);
      for (const x of [0, 0.63, -1]) {
        const pred = await fnPredictive(x);
        const f = await fnSampleAt(x, n);
        assert.equal(f.length, n);
        const m = f.reduce((a, v) => a + v, 0) / n;
        const sd = Math.sqrt(f.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
        const what = `${JSON.stringify(cfg)} x=${x}: sample ${m} ± ${sd}, predictive ${pred.mean} ± ${pred.std}`;
        assert.ok(pred.std > 0.05, what);
        assert.ok(Math.abs(m - pred.mean) < (5 * pred.std) / Math.sqrt(n), what);
        assert.ok(Math.abs(sd - pred.std) < (5 * pred.std) / Math.sqrt(2 * n), what);
      }
    }
    await fnSet(FN_DEFAULTS);
  });

  it("the MAP weights are the objective's minimum (gradient checked in Node); a tiny std keeps the curve at the prior mean (1e-3)", async () => {
    for (const cfg of [{}, { "fn-basis": "bumps", "fn-std": 3 }, { "fn-structured": true, "fn-weight": 1.3 }, { "fn-mean": 0.3, "fn-std": 1e-4 }]) {
      await fnSet({ ...FN_DEFAULTS, ...cfg });
      const s = await fn();
      const reg = nodePrior(s);
      try {
        const rel = objectiveGrad(s, reg, s.map.w) / objectiveGrad(s, reg, new Array(s.K).fill(0));
        assert.ok(rel < 1e-9 && s.map.gradRel < 1e-9, `${JSON.stringify(cfg)}: |∇| relative ${rel} (page ${s.map.gradRel})`);
        closeRel(s.map.priorTerm, reg.loss(Float64Array.from(s.map.w)), 1e-12, "prior term = reg.loss(w_MAP)");
      } finally {
        reg.dispose();
      }
      // the drawn curve is Φ w_MAP
      const worst = Math.max(...s.grid.map((x, i) => Math.abs(basisRow(s.kind, x, s.K).reduce((a, v, j) => a + v * s.map.w[j], 0) - s.map.curve[i])));
      assert.ok(worst < 1e-12, `curve vs Φw: ${worst}`);
    }
    // the last case: std 1e-4 around a prior mean of 0.3
    const s = await fn();
    const far = Math.max(...s.map.curve.map((v, i) => Math.abs(v - s.meanFn[i])));
    assert.ok(Math.max(...s.meanFn.map(Math.abs)) >= 3 - 1e-9, "the prior mean function is not flat zero (0.3·Σ P_j(1) = 3)");
    assert.ok(far < 1e-3, `MAP curve within ${far} of the prior mean function`);
    assert.ok(s.map.trainRmse > 2 * s.sigma, `tight prior: train error ${s.map.trainRmse} above the noise`);
    assert.match(await page.textContent("#fn-verdict"), /too tight; the curve ignores the data/);
    await fnSet(FN_DEFAULTS);
  });

  it("a very large std threads the points: train error below the noise; the readouts show it and the prior term", async () => {
    await fnSet({ ...FN_DEFAULTS, "fn-std": 1000 });
    const s = await fn();
    assert.ok(s.map.trainRmse < 0.5 * s.sigma, `train error ${s.map.trainRmse}, noise ${s.sigma}`);
    assert.ok(s.map.truthErr > 2 * s.sweep.truthErr[s.sweep.best], `overfits: error vs hidden ${s.map.truthErr}`);
    assert.match(await page.textContent("#fn-verdict"), /too loose; the curve threads the points and overfits/);
    closeRel(await exact("fn-train"), s.map.trainRmse, 0, "train error readout");
    closeRel(await shown("fn-train"), s.map.trainRmse, 5e-3, "train error as printed (3 digits)");
    closeRel(await exact("fn-prior-term"), s.map.priorTerm, 0, "prior term readout");
    closeRel(await shown("fn-prior-term"), s.map.priorTerm, 5e-4, "prior term as printed (4 digits)");
    assert.equal(await shown("fn-noise"), 0.25);
    // train error never falls as the prior tightens (the sweep over std, on the same data)
    const tr = s.sweep.train;
    for (let i = 1; i < tr.length; i++) assert.ok(tr[i] <= tr[i - 1] * (1 + 1e-9), `train error rises at std 10^${s.sweep.logStd[i]}`);
    await fnSet(FN_DEFAULTS);
  });

  it("'Fit the prior' moves the std to the weights' spread, at the evidence's maximum, from either side", async () => {
    const tight = (await fnSet({ ...FN_DEFAULTS, "fn-std": 1e-4 }), await fn());
    const loose = (await fnSet({ ...FN_DEFAULTS, "fn-std": 1000 }), await fn());
    const fitted = [];
    for (const [start, weight] of [[10, 0.5], [0.01, 0.5], [1, 1.3]]) {
      await fnSet({ ...FN_DEFAULTS, "fn-std": start, "fn-weight": weight });
      const s0 = await fn();
      await page.click("#fn-fit");
      await fnFitDone();
      const s1 = await fn();
      assert.ok(s1.fit.converged && s1.fit.iter > 1, `converged after ${s1.fit.iter} steps`);
      // the std the MAP's prior N(mean, std²/(2·weight)) has, against the weights' spread
      const gap = (s) => Math.abs(Math.log(s.std[0] / Math.sqrt(2 * weight) / s.spread));
      assert.ok(gap(s1) < gap(s0), `from std ${start}: std/spread ${s0.std[0]}/${s0.spread} -> ${s1.std[0]}/${s1.spread}`);
      // the fixed point: std² = 2·weight · mean over weights of E[(w − mean)²] (spread² + posterior variance)
      const K = s1.K;
      const second = s1.map.w.reduce((a, w, j) => a + (w - s1.mean[j]) ** 2 + s1.map.postVar[j], 0) / K;
      closeRel(s1.std[0] ** 2, 2 * weight * second, 1e-6, "std² at the fixed point");
      // and it is the evidence's maximum (computed here, in Node, from the data)
      const e = (f) => logEvidence(s1, s1.precision.map((p) => p * f));
      assert.ok(e(1) > e(1.1) && e(1) > e(1 / 1.1), `evidence ${e(1 / 1.1)} ${e(1)} ${e(1.1)}`);
      const de = (e(1 + 1e-4) - e(1 - 1e-4)) / 2e-4; // d log evidence / d log precision
      assert.ok(Math.abs(de) < 1e-4, `evidence slope ${de}`);
      // the std control followed the fit
      closeRel(Number(await page.inputValue("#fn-std")), s1.std[0], 5e-4, "std field");
      // in between: fits better than the tight prior, overfits less than the loose one
      assert.ok(tight.map.trainRmse > s1.map.trainRmse && s1.map.trainRmse > loose.map.trainRmse, "train error in between");
      assert.ok(s1.map.truthErr < tight.map.truthErr && s1.map.truthErr < loose.map.truthErr, "error vs hidden function below both");
      assert.match(await page.textContent("#fn-fit-note"), /^Converged after \d+ steps: std /);
      fitted.push(s1);
    }
    closeRel(fitted[0].std[0], fitted[1].std[0], 1e-6, "the same std from above and from below");
    // at weight 1.3 the fitted prior is the same prior for the MAP (std²/(2·weight)), so the same curve
    closeRel(fitted[2].std[0] ** 2 / 2.6, fitted[0].std[0] ** 2, 1e-6, "std²/(2·weight) at weight 1.3");
    const worst = Math.max(...fitted[2].map.curve.map((v, i) => Math.abs(v - fitted[0].map.curve[i])));
    assert.ok(worst < 1e-6, `MAP curves at weight 0.5 and 1.3 differ by ${worst}`);
    await fnSet({ ...FN_DEFAULTS, "fn-std": 10 });
    await page.click("#fn-fit");
    await fnFitDone();
    await page.locator("#functions").screenshot({ path: `${SHOTS}/functions-desktop.png` });
  });

  // ---- section 5: the Lua playground --------------------------------------

  const luaState = () => page.getAttribute("#lua", "data-state");
  const luaOutput = () => page.getByLabel("Lua output").textContent();
  async function runLua(code, { until = ["done", "error"], timeout = 15000 } = {}) {
    if (code !== undefined) await page.getByLabel("Lua code").fill(code);
    await page.getByRole("button", { name: "Run Lua" }).click();
    await page.waitForFunction((s) => s.includes(document.getElementById("lua").dataset.state), until, { timeout });
    await frames();
    return luaOutput();
  }
  /** The same code run by "gaussianreg/lua" in Node. */
  async function inNode(code) {
    const lua = await createLua();
    try {
      return lua.run(code, { name: "input" });
    } finally {
      lua.close();
    }
  }

  it("section 5, the Lua playground: Run Lua prints what the Node package computes", async () => {
    await page.waitForFunction(() => /SIMD build/.test(document.getElementById("lua-build").textContent), null,
      { timeout: 30000 });
    const intro = await page.textContent("#lua .help");
    assert.match(intro, /Lua 5\.4 compiled to WebAssembly/);
    assert.match(intro, /same C kernel/);
    assert.equal(await page.getAttribute("#lua-output", "aria-live"), "polite");
    // the code the page opens with runs
    assert.match(await runLua(), /^GaussianReg\(mean=0, std=1, weight=0\.01, fit_hyper=false\)\nloss\t0\.0049999950500049\n/);
    const out = await runLua(`local gr = require("gaussianreg")
local r = gr.new({ mean = { 0, 1 }, std = { 1, 2 }, weight = 0.01, seed = 42 })
print(("%.17g"):format(r:loss({ 0.5, -0.5 })))
local g = r:grad({ 0.5, -0.5 })
print(("%.17g %.17g"):format(g[1], g[2]))
local d = r:sample_init({ 2, 2 })
print(("%.17g %.17g %.17g %.17g"):format(d[1][1], d[1][2], d[2][1], d[2][2]))
print(gr.isa(), _VERSION)`);
    const reg = new GaussianReg({ mean: [0, 1], std: [1, 2], weight: 0.01, seed: 42 });
    const [loss, grad, draws, info] = out.trimEnd().split("\n");
    assert.equal(Number(loss), reg.loss([0.5, -0.5]));
    assert.deepEqual(grad.split(" ").map(Number), reg.grad([0.5, -0.5]));
    assert.deepEqual(draws.split(" ").map(Number), Array.from(reg.sampleInit([2, 2])));
    assert.equal(info, "wasm128\tLua 5.4");
    reg.dispose();
    assert.match(await page.textContent("#lua-status"), /^Finished in [\d.]+ ms\.$/);
    assert.equal(await page.isHidden("#lua-error"), true);
  });

  it("section 5: each example loads its file from examples/ and prints what gaussianreg-lua prints in Node", async () => {
    for (const [value, file] of [["map", "map_regression"], ["samples", "prior_samples"], ["fit", "fit_hyper"]]) {
      await page.selectOption("#lua-example", value);
      await page.getByRole("button", { name: "Load example" }).click();
      await page.waitForFunction(() => document.getElementById("lua").dataset.state === "loaded");
      const code = readFileSync(new URL(`../../examples/${file}.lua`, import.meta.url), "utf8");
      assert.equal(await page.inputValue("#lua-code"), code, file);
      const out = await runLua(undefined, { until: ["done"], timeout: 30000 });
      const node = await inNode(code);
      assert.equal(node.ok, true, node.error);
      assert.equal(out, node.output, file);
      assert.ok(out.split("\n").length > 6, `${file}: ${out}`);
    }
    assert.match(await luaOutput(), /fitted: {7}mean 3\.063108 {2}std 0\.467238\n$/);
    await page.locator("#lua").screenshot({ path: `${SHOTS}/lua-playground.png` });
  });

  it("section 5: errors are shown with their line number, and Go to line selects it", async () => {
    let out = await runLua("local x = 1\nprint('x is', x)\nundefined_function(x)");
    assert.equal(out, "x is\t1\n");
    assert.equal(await luaState(), "error");
    assert.equal(await page.textContent("#lua-error-text"), "input:3: attempt to call a nil value (global 'undefined_function')");
    assert.equal(await page.textContent("#lua-status"), "Error on line 3.");
    await page.getByRole("button", { name: "Go to line 3" }).click();
    const sel = await page.$eval("#lua-code", (t) => t.value.slice(t.selectionStart, t.selectionEnd));
    assert.equal(sel, "undefined_function(x)");
    out = await runLua("print(1\nprint(2)");
    assert.equal(out, "");
    const expected = (await inNode("print(1\nprint(2)")).error;
    assert.equal(await page.textContent("#lua-error-text"), expected);
    assert.match(expected, /^input:2: '\)' expected \(to close '\(' at line 1\) near 'print'$/);
    await runLua("local gr = require('gaussianreg')\ngr.new(0, -1)");
    assert.equal(await page.textContent("#lua-error-text"), "input:2: bad argument #2 to 'new' (std must be >= 0, got -1)");
  });

  it("section 5: an endless loop is stopped after 3 s with its line, and the page stays usable meanwhile", async () => {
    await page.getByLabel("Lua code").fill("print('started')\nlocal n = 0\nwhile true do n = n + 1 end");
    const t0 = Date.now();
    await page.getByRole("button", { name: "Run Lua" }).click();
    assert.equal(await luaState(), "running");
    assert.equal(await page.isDisabled("#lua-run"), true);
    // the page answers while Lua runs: section 2 recomputes its loss
    await page.fill("#x", "2.5");
    await page.dispatchEvent("#x", "input");
    const before = Date.now();
    await frames();
    assert.ok(Date.now() - before < 1000, "the page did not answer within 1 s");
    assert.equal(await luaState(), "running");
    await page.waitForFunction(() => document.getElementById("lua").dataset.state === "stopped", null, { timeout: 10000 });
    const ms = Date.now() - t0;
    assert.ok(ms >= 3000 && ms < 6000, `stopped after ${ms} ms`);
    assert.equal(await luaOutput(), "started\n");
    assert.equal(await page.textContent("#lua-error-text"), "input:3: time limit exceeded (the script ran for more than 3000 ms)");
    assert.match(await page.textContent("#lua-status"), /^Stopped: the script ran for more than 3 s \(it was on line 3\)\./);
    assert.equal(await runLua("print('again')"), "again\n");
  });

  it("section 5: a loop that catches the limit is ended with its worker; Stop ends a run at once", async () => {
    const t0 = Date.now();
    await runLua("while true do pcall(function() while true do end end) end", { until: ["stopped"], timeout: 15000 });
    const ms = Date.now() - t0;
    assert.ok(ms >= 5000 && ms < 9000, `ended after ${ms} ms`);
    assert.match(await page.textContent("#lua-error-text"), /^Stopped after 5 s: the script kept running past the 3 s limit/);
    assert.equal(await runLua("print('fresh state', x)"), "fresh state\tnil\n");
    await page.getByLabel("Lua code").fill("while true do end");
    await page.getByRole("button", { name: "Run Lua" }).click();
    await page.getByRole("button", { name: "Stop" }).click();
    assert.equal(await luaState(), "stopped");
    assert.equal(await page.textContent("#lua-status"), "Stopped.");
    assert.equal(await runLua("print(1 + 1)"), "2\n");
  });

  it("reads well on a narrow (390 px) screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await frames();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
    const widths = await page.$$eval("canvas", (cs) => cs.map((c) => c.getBoundingClientRect().width));
    assert.ok(widths.every((w) => w > 300 && w <= 390), `canvas widths ${widths}`);
    await page.screenshot({ path: `${SHOTS}/demo-narrow.png`, fullPage: true });
    await page.locator("#functions").screenshot({ path: `${SHOTS}/functions-narrow.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("logged no console errors, failed requests or missing files (favicon included)", () => {
    assert.deepEqual(problems, []);
  });
});
