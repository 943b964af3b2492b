// "gaussianreg/lua" and the gaussianreg-lua command: Lua 5.4 with the
// module in WebAssembly. The same-results comparison with native Lua 5.4
// (spec/portable/report.lua, the MAP example) is make test-luawasm's.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { GaussianReg, init } from "../dist/node.js";
import * as luaNode from "../dist/lua-node.js";
import * as luaBrowser from "../dist/lua.js";
import * as luaInline from "../dist/lua-inline.js";
import { ROOT } from "./helpers.js";

const { createLua, Lua, LuaExit, hasSimd, version } = luaNode;

// Lua does not check bytecode: these variants of a dumped function crash
// native lua5.4 (SIGSEGV); in wasm the bad access is a trap.
const CORRUPT_BYTECODE = `
local f = string.dump(function(a, b) local t = {a, b} return t[1] + #t, string.rep("x", b) end)
for i = 30, #f do
  for _, byte in ipairs({ 0, 255, 127, 1 }) do
    local fn = load(f:sub(1, i - 1) .. string.char(byte) .. f:sub(i + 1), "=fuzz", "b")
    if fn then pcall(fn, 1, 2) end
  end
end
print("no trap")`;
const BIN = fileURLToPath(new URL("../dist/gaussianreg-lua.js", import.meta.url));

await init();

// One state per build, shared by the tests that do not close it.
const states = { simd: await createLua({ simd: true }), scalar: await createLua({ simd: false }) };
after(() => Object.values(states).forEach((l) => l.close()));

function ok(lua, code, options) {
  const r = lua.run(code, options);
  assert.equal(r.error, null, `${code}: ${r.error}`);
  assert.equal(r.ok, true);
  return r.output;
}

describe("createLua", () => {
  for (const [name, lua] of Object.entries(states)) {
    it(`${name}: require("gaussianreg") works with no files; the numbers are the JS package's`, () => {
      assert.equal(lua.simd, name === "simd");
      const out = ok(lua, `
        local gr = require("gaussianreg")
        local r = gr.new({ mean = { 0, 1 }, std = { 1, 2 }, weight = 0.01, seed = 42 })
        print(_VERSION, gr._VERSION, gr.isa())
        print(("%.17g"):format(r:loss({ 0.5, -0.5 })))
        local g = r:grad({ 0.5, -0.5 })
        print(("%.17g %.17g"):format(g[1], g[2]))
        local s = r:sample_init({ 2, 2 })
        print(("%.17g %.17g %.17g %.17g"):format(s[1][1], s[1][2], s[2][1], s[2][2]))`);
      const reg = new GaussianReg({ mean: [0, 1], std: [1, 2], weight: 0.01, seed: 42 });
      const [head, loss, grad, draws] = out.trimEnd().split("\n");
      assert.equal(head, `Lua 5.4\t${version}\t${name === "simd" ? "wasm128" : "scalar"}`);
      assert.equal(Number(loss), reg.loss([0.5, -0.5]));
      assert.deepEqual(grad.split(" ").map(Number), reg.grad([0.5, -0.5]));
      assert.deepEqual(draws.split(" ").map(Number), Array.from(reg.sampleInit([2, 2])));
      reg.dispose();
    });
  }

  it("errors carry the chunk name and line; the state stays usable and keeps its globals", () => {
    const lua = states.simd;
    ok(lua, "counter = 41");
    let r = lua.run("local x = 1\nerror('boom')");
    assert.deepEqual(r, { ok: false, output: "", error: "input:2: boom" });
    r = lua.run("print('before')\nlocal y = = 2", { name: "cell 3" });
    assert.deepEqual(r, { ok: false, output: "", error: "cell 3:2: unexpected symbol near '='" });
    r = lua.run("print('partial')\nlocal gr = require('gaussianreg')\ngr.new(0, 1):loss('x')");
    assert.equal(r.ok, false);
    assert.equal(r.output, "partial\n");
    assert.equal(r.error, "input:3: bad argument #1 to 'loss' (number, table or gaussianreg.array expected, got string)");
    r = lua.run("error(setmetatable({}, { __tostring = function() return 'custom' end }))");
    assert.equal(r.error, "custom");
    assert.equal(lua.run("error({})").error, "(error object is a table value)");
    r = lua.run("local function f() error('deep') end\nf()", { traceback: true });
    assert.match(r.error, /^input:1: deep\nstack traceback:\n\t\[C\]: in function 'error'\n\tinput:1: in (local 'f'|function <input:1>)/);
    assert.equal(ok(lua, "counter = counter + 1 print(counter)"), "42\n");
  });

  it("recovers from stack overflows and memory errors", () => {
    const lua = states.scalar;
    const r = lua.run("local function f() return 1 + f() end f()");
    assert.match(r.error, /^input:1: stack overflow/);
    assert.match(lua.run("local t = setmetatable({}, { __index = function(t, k) return t[k] end }) return t.x").error,
      /C stack overflow/);
    // 2 GB cannot be had (the heap stops at 2 GB): malloc fails at once
    assert.equal(ok(lua, "print(pcall(string.rep, 'x', 2^31 - 64))"), "false\tnot enough memory\n");
    assert.equal(lua.run("local s = string.rep('x', 2^31 - 64)").error, "not enough memory");
    // and the memory grows when it can (16 MB of table)
    assert.equal(ok(lua, "local t = {} for i = 1, 2e6 do t[i] = i end print(#t)"), "2000000\n");
    assert.equal(ok(lua, "print(1 + 1)"), "2\n");
  });

  it("timeLimit stops a loop with a message and its line, and the state goes on", () => {
    const lua = states.simd;
    const t0 = performance.now();
    const r = lua.run("local n = 0\nwhile true do n = n + 1 end", { timeLimit: 200 });
    const ms = performance.now() - t0;
    assert.equal(r.ok, false);
    assert.equal(r.error, "input:2: time limit exceeded (the script ran for more than 200 ms)");
    assert.ok(ms >= 200 && ms < 5000, `stopped after ${ms} ms`);
    assert.equal(ok(lua, "print('after')"), "after\n");
    // no limit afterwards: the hook is gone
    assert.equal(ok(lua, "local n = 0 for i = 1, 3e6 do n = n + i end print(n)"), "4500001500000\n");
  });

  it("output: print, io.write and io.stderr in order, and onOutput as it is written", async () => {
    const seen = [];
    const lua = await createLua({ onOutput: (text, stream) => seen.push([stream, text]) });
    const r = lua.run("print('a', 1)\nio.write('b')\nio.stderr:write('c\\n')\nio.write('é\\n')");
    assert.deepEqual(r, { ok: true, output: "a\t1\nbc\né\n", error: null });
    // each write as it happens (stdout is unbuffered here); adjacent ones joined
    const joined = seen.reduce((a, [s, t]) => (a.at(-1)?.[0] === s ? (a.at(-1)[1] += t) : a.push([s, t]), a), []);
    assert.deepEqual(joined, [["stdout", "a\t1\nb"], ["stderr", "c\n"], ["stdout", "é\n"]]);
    lua.close();
  });

  it("args are the chunk's ... and arg[1..n]", () => {
    const out = ok(states.simd, "print(select('#', ...), arg[1], arg[2], ...)", { args: ["x", "y z"] });
    assert.equal(out, "2\tx\ty z\tx\ty z\n");
  });

  it("states are isolated (own globals, own memory); no files, no environment", async () => {
    const a = await createLua();
    const b = await createLua();
    ok(a, "shared = 'a'");
    assert.equal(ok(b, "print(shared)"), "nil\n");
    assert.equal(ok(a, "print(io.open('README.md'))"), "nil\tREADME.md: Permission denied\t2\n");
    assert.equal(ok(a, "print(os.getenv('HOME'), io.read('l'))"), "nil\tnil\n");
    assert.equal(ok(a, "print(os.time() > 1.7e9, os.clock() >= 0)"), "true\ttrue\n");
    a.close();
    b.close();
  });

  it("os.exit ends the state with its status", async () => {
    let lua = await createLua();
    assert.deepEqual(lua.run("print('bye') os.exit(0)"), { ok: true, output: "bye\n", error: null, exitCode: 0 });
    assert.equal(lua.isClosed, true);
    assert.throws(() => lua.run("print(1)"), { name: "TypeError", message: "'run' called on a closed Lua state" });
    lua = await createLua();
    const r = lua.run("io.write('partial') os.exit(3)");
    assert.deepEqual(r, { ok: false, output: "partial", error: "the Lua script called os.exit(3)", exitCode: 3 });
    lua.close(); // idempotent after exit
    lua.close();
  });

  it("close() is idempotent and Symbol.dispose closes", async () => {
    const lua = await createLua();
    lua[Symbol.dispose]();
    assert.equal(lua.isClosed, true);
    lua.close();
    assert.throws(() => lua.run(""), TypeError);
  });

  it("bad arguments are TypeError / RangeError naming the argument", async () => {
    const lua = states.simd;
    assert.throws(() => lua.run(42), { name: "TypeError", message: "bad argument #1 to 'run' (expected string or Uint8Array, got number)" });
    assert.throws(() => lua.run("", { nme: "x" }), { message: "bad argument #2 to 'run' (unknown option 'nme')" });
    assert.throws(() => lua.run("", { args: [1] }), { message: "bad argument #2 to 'run' (args must be an array of strings)" });
    assert.throws(() => lua.run("", { timeLimit: -1 }), { name: "RangeError" });
    assert.throws(() => lua.run("", { timeLimit: Infinity }), { name: "RangeError" });
    await assert.rejects(createLua({ simd: "yes" }), { message: "bad argument #1 to 'createLua' (simd must be a boolean, got string)" });
    await assert.rejects(createLua({ wasm: 42 }), { name: "TypeError" });
    await assert.rejects(createLua({ onOutput: 1 }), { message: "bad argument #1 to 'createLua' (onOutput must be a function, got number)" });
    await assert.rejects(createLua(null), { name: "TypeError" });
    await assert.rejects(createLua({ wasm: new Uint8Array([1, 2, 3, 4]) }),
      /could not load the (SIMD|scalar) Lua wasm module: not a wasm module: it starts with 01 02 03 04/);
    assert.throws(() => new Lua(), { message: "use createLua() to make a Lua state" });
  });

  it("corrupt bytecode (native Lua crashes on it) traps the wasm: the state is closed, others go on", async () => {
    const lua = await createLua();
    const r = lua.run(CORRUPT_BYTECODE);
    assert.equal(r.ok, false);
    assert.match(r.error, /\(the Lua state was stopped; create a new one\)$/);
    assert.equal(lua.isClosed, true);
    assert.throws(() => lua.run("print(1)"), TypeError);
    lua.close();
    assert.equal(ok(states.simd, "print('still here')"), "still here\n");
  });

  it("Uint8Array code and a #! first line (skipped, lines still counted)", () => {
    const code = new TextEncoder().encode("#!/usr/bin/env gaussianreg-lua\nprint('ok')\nerror('x')");
    assert.deepEqual(states.simd.run(code), { ok: false, output: "ok\n", error: "input:3: x" });
  });

  it("every entry exports the same API; a module given as bytes or a path", async () => {
    for (const m of [luaBrowser, luaInline]) {
      assert.deepEqual(Object.keys(m).sort(), Object.keys(luaNode).sort());
    }
    assert.equal(hasSimd(), true);
    assert.ok(new LuaExit(2) instanceof Error);
    const inline = await luaInline.createLua({ simd: false });
    assert.equal(ok(inline, "print(require('gaussianreg').isa())"), "scalar\n");
    inline.close();
    const path = fileURLToPath(new URL("../dist/gaussreg-lua.wasm", import.meta.url));
    const fromPath = await createLua({ wasm: path });
    assert.equal(fromPath.simd, false);
    fromPath.close();
    const fromBytes = await createLua({ wasm: readFileSync(path.replace("lua.wasm", "lua-simd.wasm")) });
    assert.equal(fromBytes.simd, true);
    fromBytes.close();
  });
});

// ---------------------------------------------------------------------------
// The command

const work = mkdtempSync(join(tmpdir(), "gaussianreg-lua-"));
after(() => rmSync(work, { recursive: true, force: true }));

function cmd(args, { input, cwd = work } = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: "utf8" });
}

describe("gaussianreg-lua", () => {
  it("runs a script with arg and ..., prints to stdout, clean stderr, exit 0", () => {
    writeFileSync(join(work, "args.lua"), "print(select('#', ...), ...)\nprint(arg[-1], arg[0], arg[1], arg[2], #arg)\n" +
      "print(require('gaussianreg').new(0, 1, 0.01):loss({ 1, 2, 3 }))\n");
    const r = cmd(["args.lua", "one", "two"]);
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    assert.equal(r.stdout, "2\tone\ttwo\ngaussianreg-lua\targs.lua\tone\ttwo\t2\n0.1400001287\n");
  });

  it("an error goes to stderr with a traceback, exit status 1; os.exit is honoured", () => {
    writeFileSync(join(work, "fail.lua"), "print('out first')\nlocal function f() error('boom') end\nf()\n");
    let r = cmd(["fail.lua"]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "out first\n");
    assert.match(r.stderr, /^gaussianreg-lua: fail\.lua:2: boom\nstack traceback:\n\t\[C\]: in function 'error'\n/);
    assert.match(r.stderr, /\tfail\.lua:3: in main chunk\n\t\[C\]: in \?\n$/);
    writeFileSync(join(work, "exit.lua"), "io.write('buffered, then flushed by exit')\nos.exit(7)\nprint('never')\n");
    r = cmd(["exit.lua"]);
    assert.equal(r.status, 7);
    assert.equal(r.stdout, "buffered, then flushed by exit");
    assert.equal(r.stderr, "");
    assert.equal(cmd(["-e", "os.exit(false)"]).status, 1);
    assert.equal(cmd(["-e", "os.exit(true, true)"]).status, 0);
    r = cmd(["-e", "x ="]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "gaussianreg-lua: (command line):1: unexpected symbol near <eof>\n");
  });

  it("reads the script from stdin with no file or with -", () => {
    let r = cmd([], { input: "print('from stdin', ...)\nerror('line 2')" });
    assert.equal(r.stdout, "from stdin\n");
    assert.match(r.stderr, /^gaussianreg-lua: stdin:2: line 2\n/);
    r = cmd(["-", "a"], { input: "print(arg[0], ...)" });
    assert.equal(r.stdout, "-\ta\n");
    assert.equal(r.status, 0);
  });

  it("io.open reads and writes files under the current directory, and nothing outside it", () => {
    writeFileSync(join(work, "data.txt"), "1.5\n2.5\n");
    writeFileSync(join(work, "files.lua"), `
      local sum = 0
      for line in io.lines("data.txt") do sum = sum + tonumber(line) end
      local f = assert(io.open("sub_out.txt", "w"))
      f:write("sum ", sum, "\\n")
      f:close()
      f = assert(io.open("sub_out.txt", "a+")); f:write("more\\n"); f:seek("set"); print(f:read("a")); f:close()
      f = assert(io.open("sub_out.txt")); print(f:seek("end"), f:seek("set", 4), f:read(3)); f:close()
      print(os.rename("sub_out.txt", "renamed.txt"), io.open("sub_out.txt"))
      print(io.open("../outside.txt"))
      print(io.open("/etc/hostname"))
      print(io.open(arg[1] .. "/data.txt"):read("l"))
      print(os.remove("renamed.txt"), os.remove("renamed.txt"))
      print(io.open("."):read(1))
      require("helper")`);
    writeFileSync(join(work, "helper.lua"), "print('required from the current directory')");
    const r = cmd(["files.lua", work]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, [
      "sum 4\nmore\n",
      "11\t4\t4\nm",
      "true\tnil\tsub_out.txt: No such file or directory\t44",
      "nil\t../outside.txt: Permission denied\t2",
      "nil\t/etc/hostname: Permission denied\t2",
      "1.5",
      "true\tnil\trenamed.txt: No such file or directory\t44",
      "nil\tIs a directory\t31",
      "required from the current directory",
      "",
    ].join("\n"));
  });

  it("scripts that grow the memory run (not node:wasi, which aborts there)", () => {
    const r = cmd(["-e", "local t = {} for i = 1, 4e6 do t[i] = i end print(#t, collectgarbage('count') > 6e4)"]);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "4000000\ttrue\n");
  });

  it("a trap in the wasm (corrupt bytecode) is a one-line error and exit status 1", () => {
    const r = cmd(["-e", CORRUPT_BYTECODE]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^gaussianreg-lua: the WebAssembly module stopped: [^\n]+\n$/);
  });

  it("-e, -v, --no-simd, --help; unknown options and missing files are errors", () => {
    let r = cmd(["-e", "print(require('gaussianreg').isa())"]);
    assert.equal(r.stdout, "wasm128\n");
    r = cmd(["--no-simd", "-e", "print(require('gaussianreg').isa())"]);
    assert.equal(r.stdout, "scalar\n");
    r = cmd(["-v"]);
    assert.equal(r.stdout, `gaussianreg-lua ${version} (Lua 5.4 in WebAssembly, SIMD build)\n`);
    r = cmd(["--help"]);
    assert.match(r.stdout, /^usage: gaussianreg-lua \[options\] \[script \[args\.\.\.\]\]\n/);
    r = cmd(["-x"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^gaussianreg-lua: unrecognized option '-x'\nusage:/);
    r = cmd(["missing.lua"]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "gaussianreg-lua: cannot open missing.lua\n");
  });

  it("runs the MAP example from the repository", () => {
    const r = cmd([join(ROOT, "examples/map_regression.lua")], { cwd: ROOT });
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^gaussianreg \d+\.\d+\.\d+, kernels: wasm128\n/);
    assert.match(r.stdout, /learned prior: mean /);
  });
});
