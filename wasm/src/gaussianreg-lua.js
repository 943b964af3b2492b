#!/usr/bin/env node
// gaussianreg-lua -- runs a Lua 5.4 script, with the gaussianreg module
// preloaded, in WebAssembly under Node (the npm package's command):
//
//   npx gaussianreg-lua [options] [script [args...]]
//
// As the standalone lua does: the script gets arg (arg[0] the script, arg[1..]
// its arguments) and ... ; print and io.write go to stdout; an error is printed
// to stderr with a traceback and the exit status is 1; os.exit(n) exits with
// n. Files under the current directory can be opened (it is preopened as "."
// and under its absolute path, lua-wasi-node.js); nothing outside it. With no
// script (or "-") the script is read from stdin.
import { readFileSync, writeSync } from "node:fs";
import process from "node:process";
import { isatty } from "node:tty";
import { setFlagsFromString } from "node:v8";
import { LuaExit, LuaInstance, hasSimd, importsFor, version } from "./lua-core.js";
import { nodeWasi } from "./lua-wasi-node.js";

const PROG = "gaussianreg-lua";
const USAGE = `usage: ${PROG} [options] [script [args...]]
Runs a Lua 5.4 script with the gaussianreg module, in WebAssembly.
  -e stat     execute string 'stat' (before the script)
  -           read the script from stdin (also when no script is given)
  --          stop handling options
  --no-simd   use the scalar build (default: the SIMD build where supported)
  --optimize  compile all code with V8's optimizing compiler before running:
              about 0.1 s more to start, long pure-Lua loops 2-4x faster
  -v          show version information
  -h, --help  show this help
`;

function fail(msg, status = 1) {
  writeSync(2, `${PROG}: ${msg}\n`);
  process.exitCode = status;
}

function parseArgs(argv) {
  const opts = { exec: [], simd: undefined, script: null, scriptIndex: argv.length, version: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-" || !a.startsWith("-")) break;
    if (a === "-h" || a === "--help") opts.help = true;
    else if (a === "-v" || a === "--version") opts.version = true;
    else if (a === "--no-simd") opts.simd = false;
    else if (a === "--optimize") opts.optimize = true;
    else if (a === "-e") {
      if (i + 1 >= argv.length) throw new Error("'-e' needs argument");
      opts.exec.push(argv[++i]);
    } else throw new Error(`unrecognized option '${a}'`);
  }
  if (i < argv.length) {
    opts.script = argv[i];
    opts.scriptIndex = i;
  }
  return opts;
}

function main() {
  const argv = process.argv.slice(2);
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    writeSync(2, `${PROG}: ${e.message}\n${USAGE}`);
    process.exitCode = 1;
    return;
  }
  if (opts.help) {
    writeSync(1, USAGE);
    return;
  }
  const simd = opts.simd ?? hasSimd();
  let bytes;
  try {
    bytes = readFileSync(new URL(simd ? "./gaussreg-lua-simd.wasm" : "./gaussreg-lua.wasm", import.meta.url));
  } catch (e) {
    fail(`cannot read the wasm module: ${e.message}`);
    return;
  }
  if (opts.version) {
    writeSync(1, `${PROG} ${version} (Lua 5.4 in WebAssembly, ${simd ? "SIMD" : "scalar"} build)\n`);
    if (!opts.script && opts.exec.length === 0) return;
  }
  // The script: a file, or stdin.
  let code, chunkname;
  const fromStdin = opts.script === null || opts.script === "-";
  if (opts.script === null && opts.exec.length > 0) {
    code = null;
  } else if (fromStdin) {
    try {
      code = readFileSync(0);
    } catch (e) {
      fail(`cannot read stdin: ${e.message}`);
      return;
    }
    chunkname = "=stdin";
  } else {
    try {
      code = readFileSync(opts.script);
    } catch {
      fail(`cannot open ${opts.script}`);
      return;
    }
    chunkname = `@${opts.script}`;
  }

  // V8 starts wasm code in its baseline compiler and optimizes functions
  // once they are hot, but a running call keeps its code: Lua runs a whole
  // script (Lua-to-Lua calls included) inside one call of its interpreter
  // loop, which so stays baseline code unless everything is optimized first.
  if (opts.optimize) setFlagsFromString("--no-liftoff");
  const cwd = process.cwd();
  const module = new WebAssembly.Module(bytes);
  let memory = null;
  const wasi = nodeWasi({ memory: () => memory, preopens: { ".": cwd, [cwd]: cwd } });
  const instance = new WebAssembly.Instance(module, importsFor(module, wasi));
  memory = instance.exports.memory;
  instance.exports._initialize();
  const inst = new LuaInstance(instance);
  try {
    if (isatty(1)) inst.stdoutBuffering("line"); // else fully, as a C program's
    const L = inst.newState();
    // arg: the command and its options at negative indices, the script at 0.
    const base = opts.script === null ? argv.length : opts.scriptIndex;
    inst.setArg(L, -base - 1, PROG);
    for (let i = 0; i < argv.length; i++) inst.setArg(L, i - base, argv[i]);
    for (const stat of opts.exec) {
      const { status, message } = inst.run(L, stat, "=(command line)", 0, { traceback: true });
      if (status !== 0) return fail(message);
    }
    if (code !== null) {
      const nargs = opts.script === null ? 0 : argv.length - base - 1;
      const { status, message } = inst.run(L, code, chunkname, nargs, { traceback: true });
      if (status !== 0) return fail(message);
    }
    inst.close(L);
  } catch (e) {
    if (e instanceof LuaExit) {
      process.exitCode = e.code;
      return;
    }
    // A trap inside the wasm (not a Lua error: those are caught above).
    fail(`the WebAssembly module stopped: ${e instanceof Error ? e.message : String(e)}`);
  }
}

main();
