// The npm package in the toolchains web developers use (issue 10): the
// packed tarball (not the source tree) is installed into build/jsapps next
// to pinned toolchains (package-lock.json here), and each app of this folder
// is built with the tool's default production command, served on 127.0.0.1
// and opened in Debian's Chromium (through playwright-core, as the demo's
// test does). Each page must show the README's loss from both builds and log
// no console error and no failed request. Node (ESM, CommonJS), Deno and Bun
// run the same example; tsc 5 and 7 check the .d.ts against typescript/*.ts.
//
//   GAUSSREG_TARBALL   the packed package (make test-jsapps packs it)
//   GAUSSREG_JSAPPS    where the toolchains are installed (build/jsapps)
//   GAUSSREG_CHROMIUM  the browser (/usr/bin/chromium)
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer } from "../../demo/serve.js";
import { launchChromium, watchProblems } from "../chromium.js";

const HERE = fileURLToPath(new URL("./", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const WORK = process.env.GAUSSREG_JSAPPS ?? join(ROOT, "build/jsapps");
const TARBALL = process.env.GAUSSREG_TARBALL;
const TOOLS = join(WORK, "node_modules");
const APPS = join(WORK, "apps");
// The TypeScript checks run outside WORK: tsc would otherwise pick up every
// @types package of the toolchains' node_modules.
const TYPES = `${WORK}-types`;
const README_LOSS = "0.0049999950500049";

// Runs a command to completion; fails the test with its output if it fails.
function run(cmd, args, { cwd, env = {}, ok = true } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 120000 });
  if (ok) assert.equal(r.status, 0, `${cmd} ${args.join(" ")} (in ${cwd}):\n${r.stdout}\n${r.stderr}${r.error ?? ""}`);
  return r;
}

const bin = (name) => join(TOOLS, ".bin", name);

// Unpacks the tarball as npm installs a package without dependencies.
function install(dir) {
  const dest = join(dir, "node_modules/gaussianreg");
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  run("tar", ["-xzf", TARBALL, "-C", dest, "--strip-components=1"]);
}

// A copy of app `name` under APPS with the package installed in its own
// node_modules (as `npm install gaussianreg` does) and the shared main.js
// (or another app source of this folder) as its entry. The toolchains
// resolve from WORK/node_modules above it.
function app(name, entry, source = "main.js", as = name) {
  const dir = join(APPS, as);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(HERE, name), dir, { recursive: true });
  install(dir);
  if (entry) {
    mkdirSync(join(dir, entry, ".."), { recursive: true });
    cpSync(join(HERE, source), join(dir, entry));
  }
  return dir;
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).map(String).sort();
}

// Node-only code never reaches a browser bundle (the .js files of a build's
// output, or the given files).
function assertBrowserOnly(dir, files = filesUnder(dir).filter((f) => f.endsWith(".js"))) {
  assert.ok(files.length > 0);
  for (const f of files) {
    assert.doesNotMatch(readFileSync(join(dir, f), "utf8"), /node:fs|node:module|readFile\(/, `${f} has Node-only code`);
  }
}

let browser;

// Opens url in a fresh browser context and waits for the app's result.
async function visit(url) {
  const context = await browser.newContext();
  // counts the modules compiled while streaming (the page's own code is untouched)
  await context.addInitScript(() => {
    const compileStreaming = WebAssembly.compileStreaming;
    window.streamedModules = 0;
    WebAssembly.compileStreaming = function (...args) {
      window.streamedModules++;
      return compileStreaming.apply(this, args);
    };
  });
  const page = await context.newPage();
  const problems = [];
  const wasm = []; // { url, type } of every .wasm response
  watchProblems(page, problems, (r) => {
    if (new URL(r.url()).pathname.endsWith(".wasm")) wasm.push({ url: r.url(), type: r.headers()["content-type"] });
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => {
      const o = document.querySelector("#out");
      return o && (o.dataset.loss || o.dataset.error);
    }, null, { timeout: 30000 });
    const shown = await page.evaluate(() => {
      const o = document.querySelector("#out");
      return { ...o.dataset, text: o.textContent };
    });
    const streamed = await page.evaluate(() => window.streamedModules);
    return { shown, problems, wasm, streamed };
  } finally {
    await context.close();
  }
}

// The page shows the README's loss from both builds, with no error.
function assertShown({ shown, problems }) {
  assert.equal(shown.error, undefined, shown.error);
  assert.equal(shown.loss, README_LOSS);
  assert.equal(shown.scalarLoss, README_LOSS);
  assert.equal(shown.simd, "true");
  assert.match(shown.text, new RegExp(`^loss ${README_LOSS} \\(wasm128; scalar build ${README_LOSS}\\)$`));
  assert.deepEqual(problems, []);
}

// Both .wasm files fetched as application/wasm and compiled while streaming.
function assertStreamed({ wasm, streamed }) {
  assert.equal(wasm.length, 2, JSON.stringify(wasm));
  for (const w of wasm) assert.match(w.type, /^application\/wasm/, w.url);
  assert.equal(streamed, 2);
}

// The .wasm came embedded in the script: nothing fetched, nothing streamed.
function assertInlined({ wasm, streamed }) {
  assert.deepEqual(wasm, []);
  assert.equal(streamed, 0);
}

async function serveAndVisit(root, path = "/index.html") {
  const { server, url } = await startServer({ port: 0, root });
  try {
    return await visit(new URL(path, url).href);
  } finally {
    server.close();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  assert.ok(TARBALL, "GAUSSREG_TARBALL: the packed package (run through make test-jsapps)");
  install(TYPES);
  mkdirSync(APPS, { recursive: true });
  browser = await launchChromium(TOOLS);
});

after(async () => {
  await browser?.close();
});

describe("bundlers: default production build, served and opened in Chromium", () => {
  it("Vite (vite build): both .wasm emitted as assets and streamed", async () => {
    const dir = app("vite", "src/main.js");
    run(process.execPath, [bin("vite"), "build", "--logLevel", "warn"], { cwd: dir });
    const out = join(dir, "dist");
    assert.equal(filesUnder(out).filter((f) => f.endsWith(".wasm")).length, 2, filesUnder(out).join(" "));
    assertBrowserOnly(out);
    const r = await serveAndVisit(out);
    assertShown(r);
    assertStreamed(r);
  });

  it("Vite dev server (vite): the same page, unbundled dependencies pre-bundled by Vite", async () => {
    const dir = app("vite", "src/main.js");
    const port = await freePort();
    const dev = spawn(process.execPath, [bin("vite"), "--host", "127.0.0.1", "--port", String(port), "--strictPort"],
      { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    dev.stdout.on("data", (d) => { log += d; });
    dev.stderr.on("data", (d) => { log += d; });
    try {
      const deadline = Date.now() + 30000;
      while (!/ready in/.test(log)) {
        assert.ok(Date.now() < deadline && dev.exitCode === null, `vite did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const r = await visit(`http://127.0.0.1:${port}/`);
      assertShown(r);
      assertStreamed(r);
      assert.doesNotMatch(log, /error/i, log);
    } finally {
      dev.kill();
    }
  });

  it("webpack 5 (webpack --mode=production): both .wasm emitted as assets and streamed", async () => {
    const dir = app("webpack", "src/index.js");
    const out = join(dir, "dist");
    run(process.execPath, [bin("webpack"), "--mode=production"], { cwd: dir });
    cpSync(join(dir, "index.html"), join(out, "index.html"));
    assert.equal(filesUnder(out).filter((f) => f.endsWith(".wasm")).length, 2, filesUnder(out).join(" "));
    assertBrowserOnly(out);
    const r = await serveAndVisit(out);
    assertShown(r);
    assertStreamed(r);
  });

  it("esbuild (--bundle --format=esm --platform=browser): the browser entry has the .wasm inlined", async () => {
    const dir = app("esbuild", "app.js");
    run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--platform=browser", "--outfile=out.js", "--log-level=warning"], { cwd: dir });
    const js = readFileSync(join(dir, "out.js"), "utf8");
    assert.match(js, /"AGFzbQ/); // base64 of "\0asm"
    assertBrowserOnly(dir, ["out.js"]);
    const r = await serveAndVisit(dir);
    assertShown(r);
    assertInlined(r);
  });

  it("Rollup (rollup -c, node-resolve) with import \"gaussianreg/inline\": one chunk per build", async () => {
    const dir = app("rollup", "src/main.js");
    const main = join(dir, "src/main.js"); // the one-line recipe: import the inline entry
    const src = readFileSync(main, "utf8").replace('from "gaussianreg";', 'from "gaussianreg/inline";');
    assert.match(src, /from "gaussianreg\/inline";/);
    writeFileSync(main, src);
    run(process.execPath, [bin("rollup"), "-c", "--silent"], { cwd: dir });
    const out = join(dir, "dist");
    assert.equal(filesUnder(out).length, 3, filesUnder(out).join(" ")); // main.js + a chunk per build
    assertBrowserOnly(out);
    const r = await serveAndVisit(dir);
    assertShown(r);
    assertInlined(r);
  });
});

describe("\"gaussianreg/lua\" (Lua 5.4 in WebAssembly) in a bundle, opened in Chromium", () => {
  // The page ran a Lua script that printed the README's loss, with no error.
  function assertLua({ shown, problems }) {
    assert.equal(shown.error, undefined, shown.error);
    assert.equal(shown.loss, README_LOSS);
    assert.equal(shown.isa, "wasm128");
    assert.deepEqual(problems, []);
  }

  it("Vite (vite build): the Lua .wasm emitted as assets, the SIMD one streamed", async () => {
    const dir = app("vite", "src/main.js", "lua-main.js", "vite-lua");
    run(process.execPath, [bin("vite"), "build", "--logLevel", "warn"], { cwd: dir });
    const out = join(dir, "dist");
    const emitted = filesUnder(out).filter((f) => f.endsWith(".wasm"));
    assert.equal(emitted.length, 2, emitted.join(" "));
    assert.ok(emitted.every((f) => /gaussreg-lua/.test(f)), emitted.join(" "));
    assertBrowserOnly(out);
    const r = await serveAndVisit(out);
    assertLua(r);
    assert.equal(r.wasm.length, 1, JSON.stringify(r.wasm));
    assert.match(r.wasm[0].url, /gaussreg-lua-simd/);
    assert.equal(r.streamed, 1);
  });

  it("esbuild (--bundle --platform=browser): the Lua .wasm inlined", async () => {
    const dir = app("esbuild", "app.js", "lua-main.js", "esbuild-lua");
    run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--platform=browser", "--outfile=out.js", "--log-level=warning"], { cwd: dir });
    assert.match(readFileSync(join(dir, "out.js"), "utf8"), /"AGFzbQ/);
    assertBrowserOnly(dir, ["out.js"]);
    const r = await serveAndVisit(dir);
    assertLua(r);
    assertInlined(r);
  });
});

describe("server runtimes: the README's example", () => {
  const expected = { simd: true, isa: "wasm128", version: JSON.parse(readFileSync(join(HERE, "../../package.json"), "utf8")).version,
    loss: Number(README_LOSS), scalarLoss: Number(README_LOSS), sameDraws: true };
  const json = (r) => JSON.parse(r.stdout.trim().split("\n").at(-1));

  it("Node: ESM, the inline entry, and require() (Node >= 20.19; a clear error before)", () => {
    const dir = app("runtime");
    assert.deepEqual(json(run(process.execPath, ["app.mjs"], { cwd: dir })), expected);
    assert.deepEqual(json(run(process.execPath, ["app.mjs", "inline"], { cwd: dir })), expected);
    if (process.features.require_module) {
      const { simd, isa, version, loss } = expected;
      assert.deepEqual(json(run(process.execPath, ["app.cjs"], { cwd: dir })), { simd, isa, version, loss });
    }
    const off = process.features.require_module ? ["--no-experimental-require-module"] : [];
    const r = run(process.execPath, [...off, "app.cjs"], { cwd: dir, ok: false });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Error: gaussianreg is an ES module, and this Node \(v[\d.]+\) cannot require\(\) ES modules/);
  });

  it("Deno (deno run --allow-read; the inline entry with no permission at all)", () => {
    const dir = app("runtime");
    const env = { DENO_DIR: join(WORK, "deno-cache"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" };
    assert.deepEqual(json(run(bin("deno"), ["run", "--allow-read", "app.mjs"], { cwd: dir, env })), expected);
    assert.deepEqual(json(run(bin("deno"), ["run", "app.mjs", "inline"], { cwd: dir, env })), expected);
  });

  it("Bun (bun app.mjs, require() and the inline entry)", () => {
    const dir = app("runtime");
    const env = { DO_NOT_TRACK: "1" };
    assert.deepEqual(json(run(bin("bun"), ["app.mjs"], { cwd: dir, env })), expected);
    assert.deepEqual(json(run(bin("bun"), ["app.mjs", "inline"], { cwd: dir, env })), expected);
    const { simd, isa, version, loss } = expected;
    assert.deepEqual(json(run(bin("bun"), ["app.cjs"], { cwd: dir, env })), { simd, isa, version, loss });
  });
});

describe("TypeScript: index.d.ts and lua.d.ts under tsc --strict, without @types/node or skipLibCheck", () => {
  const TSC = { 5: join(TOOLS, "typescript5/bin/tsc"), 7: join(TOOLS, "typescript/bin/tsc") };
  const STRICT = ["--noEmit", "--strict", "--target", "es2022"];
  const NODENEXT = ["--module", "nodenext"];
  const BUNDLER = ["--module", "esnext", "--moduleResolution", "bundler"];

  before(() => {
    for (const f of readdirSync(join(HERE, "typescript"))) cpSync(join(HERE, "typescript", f), join(TYPES, f));
  });

  // tsc runs in parallel (two at a time would do; they are few).
  function tsc(version, runs) {
    return Promise.all(runs.map(([args, files]) => new Promise((resolve) => {
      const child = spawn(process.execPath, [TSC[version], ...STRICT, ...args, ...files], { cwd: TYPES });
      let out = "";
      child.stdout.on("data", (d) => { out += d; });
      child.stderr.on("data", (d) => { out += d; });
      child.on("close", (code) => resolve({ code, out, what: `tsc ${version} ${args.join(" ")} ${files.join(" ")}` }));
    }))).then((results) => {
      for (const r of results) assert.equal(r.code, 0, `${r.what}:\n${r.out}`);
    });
  }

  for (const version of [5, 7]) {
    it(`TypeScript ${version}: the whole API and its misuse (nodenext, bundler); a lib with Symbol.dispose and @types/node; no DOM lib`, async () => {
      const v = run(process.execPath, [TSC[version], "--version"]).stdout;
      assert.match(v, new RegExp(`^Version ${version}\\.`));
      await tsc(version, [
        [NODENEXT, ["usage.ts"]],
        [BUNDLER, ["usage.ts"]],
        [NODENEXT, ["lua.ts"]],
        [BUNDLER, ["lua.ts"]],
        [[...NODENEXT, "--lib", "es2022"], ["lua.ts"]],
        // esnext.disposable and @types/node both declare Symbol.dispose, as the .d.ts does
        [[...NODENEXT, "--lib", "es2022,esnext.disposable,dom", "--typeRoots", join(TOOLS, "@types"), "--types", "node"],
          ["usage.ts", "using.ts"]],
        [[...NODENEXT, "--lib", "es2022"], ["nodom.ts"]],
      ]);
    });
  }
});
