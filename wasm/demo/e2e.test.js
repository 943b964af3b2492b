// End-to-end test of the demo in a real headless Chromium (Debian's
// /usr/bin/chromium through npm's playwright-core; no browser download).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { GaussianReg, init } from "../dist/node.js";
import { startServer } from "./serve.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEV = process.env.GAUSSREG_NODE_DEV ?? `${ROOT}build/node-dev/node_modules`;
const SHOTS = process.env.GAUSSREG_SHOTS ?? `${ROOT}build/demo`;
const CHROMIUM = process.env.GAUSSREG_CHROMIUM ?? "/usr/bin/chromium";
const { chromium } = createRequire(`${DEV}/`)("playwright-core");

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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

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
    assert.ok(canvases.length === 4 && canvases.every(Boolean));
    await page.focus("#mean-range");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.inputValue("#mean"), "0.02");
    await page.keyboard.press("Home");
    assert.equal(await page.inputValue("#mean"), "-5");
  });

  it("shows the loss and gradient the Node package computes (1e-12 relative)", async () => {
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
      closeRel(await shown("loss-value"), loss, 1e-12, "displayed loss");
      closeRel(await shown("grad-value"), grad, 1e-12, "displayed grad");
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

  it("reads well on a narrow (390 px) screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await frames();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
    const widths = await page.$$eval("canvas", (cs) => cs.map((c) => c.getBoundingClientRect().width));
    assert.ok(widths.every((w) => w > 300 && w <= 390), `canvas widths ${widths}`);
    await page.screenshot({ path: `${SHOTS}/demo-narrow.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("logged no console errors, failed requests or missing files (favicon included)", () => {
    assert.deepEqual(problems, []);
  });
});
