// gaussianreg/lua -- Lua 5.4 and the gaussianreg module in WebAssembly:
// gaussreg-lua-simd.wasm and gaussreg-lua.wasm hold Lua's core and standard
// libraries, the Lua binding and the C kernel (SIMD and scalar builds, as
// for the JS package), built by mk/luawasm.mk. A Lua script sees the same
// module, with the same results, as under native Lua 5.4.
//
// This is the one implementation behind the "gaussianreg/lua" entries
// (lua.js: browsers and bundlers, lua-node.js: Node, Deno, Bun, lua-inline.js:
// the .wasm embedded) and the gaussianreg-lua command (gaussianreg-lua.js).
// They differ in where the bytes come from (the loader, as in core.js) and in
// the WASI preview1 imports: createLua() supplies its own minimal set (no
// files, output to JavaScript, a clock, proc_exit), the command Node's
// node:wasi with the current directory preopened. Nothing here imports a Node
// module, and no Emscripten glue is needed: the modules are WASI reactors
// whose exports are the glua_* functions of wasm/lua/lua_host.c.
import { compileWasm, isWasmSource, simdSupported, typeName } from "./core.js";

// The core's GAUSSREG_VERSION_STRING, written in by the build (mk/wasm.mk).
const VERSION = "@GAUSSREG_VERSION@";

const disposeSymbol = Symbol.dispose ?? Symbol.for("nodejs.dispose");

// WASI errno values (Emscripten's libc uses the same numbers).
const E_SUCCESS = 0;
const E_BADF = 8;
const E_SPIPE = 70;
const E_NOTCAPABLE = 76;

// glua_run flags (lua_host.c)
const RUN_TRACEBACK = 1;

const LUA_OK = 0;

/**
 * Thrown through the wasm by proc_exit (os.exit, or a Lua panic): the
 * instance cannot continue. `code` is the exit status.
 */
export class LuaExit extends Error {
  constructor(code) {
    super(`the Lua script called os.exit(${code})`);
    this.name = "LuaExit";
    this.code = code;
  }
}

// ---------------------------------------------------------------------------
// WASI preview1 without a file system, for createLua(): file descriptors 1
// and 2 go to write(fd, bytes), 0 reads as empty, there is no preopened
// directory (io.open returns nil and a message), no environment; the clocks
// are Date.now() (realtime) and performance.now() (the others).

function sandboxImports(module, memory, write) {
  const view = () => new DataView(memory().buffer);
  const start = performance.now();
  const wasi = {
    fd_write(fd, iovs, count, nwritten) {
      if (fd !== 1 && fd !== 2) return E_BADF;
      const buffer = memory().buffer;
      const dv = new DataView(buffer);
      let total = 0;
      for (let i = 0; i < count; i++) {
        const ptr = dv.getUint32(iovs + 8 * i, true);
        const len = dv.getUint32(iovs + 8 * i + 4, true);
        if (len > 0) write(fd, new Uint8Array(buffer, ptr, len));
        total += len;
      }
      dv.setUint32(nwritten, total, true);
      return E_SUCCESS;
    },
    fd_read(fd, iovs, count, nread) {
      if (fd !== 0) return E_BADF;
      view().setUint32(nread, 0, true);
      return E_SUCCESS;
    },
    fd_close: (fd) => (fd <= 2 ? E_SUCCESS : E_BADF),
    fd_seek: (fd) => (fd <= 2 ? E_SPIPE : E_BADF),
    fd_prestat_get: () => E_BADF,
    fd_prestat_dir_name: () => E_BADF,
    path_open: () => E_NOTCAPABLE,
    path_filestat_get: () => E_NOTCAPABLE,
    path_unlink_file: () => E_NOTCAPABLE,
    path_remove_directory: () => E_NOTCAPABLE,
    path_rename: () => E_NOTCAPABLE,
    clock_time_get(id, precision, out) {
      const ms = id === 0 ? Date.now() : performance.now() - start;
      view().setBigUint64(out, BigInt(Math.round(ms * 1e6)), true);
      return E_SUCCESS;
    },
    environ_sizes_get(count, size) {
      const dv = view();
      dv.setUint32(count, 0, true);
      dv.setUint32(size, 0, true);
      return E_SUCCESS;
    },
    environ_get: () => E_SUCCESS,
    proc_exit(code) {
      throw new LuaExit(code);
    },
  };
  return importsFor(module, wasi);
}

/**
 * The import object of a Lua module: wasi_snapshot_preview1 from `wasi`
 * (an object of functions, e.g. node:wasi's wasiImport), proc_exit replaced
 * by one that throws LuaExit, and Emscripten's memory-growth notice. Every
 * import the module names must be there.
 */
export function importsFor(module, wasi) {
  const given = {
    env: { emscripten_notify_memory_growth() {} },
    wasi_snapshot_preview1: { ...wasi, proc_exit: (code) => { throw new LuaExit(code); } },
  };
  const imports = {};
  for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
    const fn = given[mod]?.[name];
    if (kind !== "function" || typeof fn !== "function") {
      throw new Error(`gaussianreg/lua: the wasm module needs an unknown import ${mod}.${name}`);
    }
    (imports[mod] ??= {})[name] = fn;
  }
  return imports;
}

// ---------------------------------------------------------------------------
// LuaInstance: one wasm instance and the glua_* calls, with strings moved in
// and out of its memory. Views are derived from memory.buffer at each use
// (any malloc may grow and detach it).

export class LuaInstance {
  constructor(instance) {
    this.x = instance.exports;
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder();
    this.dead = false; // after a trap or proc_exit: the memory may be inconsistent
  }

  get simd() {
    return this.x.glua_simd() === 1;
  }

  // Copies bytes (+ a NUL) into a fresh block; the caller frees it.
  place(bytes) {
    const p = this.x.malloc(bytes.length + 1);
    if (!p) throw new Error("gaussianreg/lua: out of wasm memory");
    const heap = new Uint8Array(this.x.memory.buffer);
    heap.set(bytes, p);
    heap[p + bytes.length] = 0;
    return p;
  }

  text(ptr, len) {
    return this.decoder.decode(new Uint8Array(this.x.memory.buffer, ptr, len));
  }

  // Calls f(), marking the instance dead if it throws (a trap, a stack
  // overflow in the engine, proc_exit): no further call may enter it.
  guard(f) {
    if (this.dead) throw new Error("gaussianreg/lua: the wasm instance has stopped");
    try {
      return f();
    } catch (e) {
      this.dead = true;
      throw e;
    }
  }

  newState() {
    const L = this.guard(() => this.x.glua_new());
    if (!L) throw new Error("gaussianreg/lua: out of wasm memory while creating a Lua state");
    return L;
  }

  close(L) {
    if (!this.dead) this.guard(() => this.x.glua_close(L));
  }

  // stdout: "none" (the default here), "line" or "full".
  stdoutBuffering(mode) {
    this.guard(() => this.x.glua_stdout_buffering({ none: 0, line: 1, full: 2 }[mode]));
  }

  // arg[i] = s (a string or bytes).
  setArg(L, i, s) {
    const bytes = typeof s === "string" ? this.encoder.encode(s) : s;
    const p = this.place(bytes);
    const status = this.guard(() => this.x.glua_arg(L, i, p, bytes.length));
    this.x.free(p);
    if (status !== LUA_OK) throw new Error(`gaussianreg/lua: ${this.message(L)}`);
  }

  message(L) {
    const lenPtr = this.x.malloc(4);
    if (!lenPtr) return "out of memory";
    const ptr = this.guard(() => this.x.glua_message(L, lenPtr));
    const len = new DataView(this.x.memory.buffer).getUint32(lenPtr, true);
    const text = this.text(ptr, len);
    this.x.free(lenPtr);
    return text;
  }

  // Runs code (string or bytes) named name; { status, message }.
  run(L, code, name, nargs, { traceback = false, timeLimit = 0 } = {}) {
    const bytes = typeof code === "string" ? this.encoder.encode(code) : code;
    const codePtr = this.place(bytes);
    let namePtr = 0;
    try {
      namePtr = this.place(this.encoder.encode(name));
      const flags = traceback ? RUN_TRACEBACK : 0;
      const status = this.guard(() => this.x.glua_run(L, codePtr, bytes.length, namePtr, nargs, flags, timeLimit));
      return { status, message: status === LUA_OK ? null : this.message(L) };
    } finally {
      if (!this.dead) {
        this.x.free(codePtr);
        if (namePtr) this.x.free(namePtr);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Loading: compiled modules are memoized per build; each state gets its own
// instance (its own memory).

const modules = new Map(); // "simd" | "scalar" -> Promise<WebAssembly.Module>

function compileBuild(loader, simd, wasm) {
  const key = simd ? "simd" : "scalar";
  if (wasm === undefined && modules.has(key)) return modules.get(key);
  const source = wasm === undefined ? loader.wasm(simd) : wasm;
  const p = compileWasm(source, loader.read).catch((e) => {
    const where = source instanceof URL || typeof source === "string" ? ` from ${source}` : "";
    const hint = wasm === undefined && loader.hint ? ` ${loader.hint}` : "";
    const why = e.cause?.message ? `${e.message} (${e.cause.message})` : e.message;
    throw new Error(`gaussianreg/lua: could not load the ${simd ? "SIMD" : "scalar"} Lua wasm module${where}: ${why}.${hint}`,
      { cause: e });
  });
  if (wasm === undefined) {
    modules.set(key, p);
    p.catch(() => modules.delete(key));
  }
  return p;
}

const OPTION_KEYS = new Set(["simd", "wasm", "onOutput"]);
const RUN_KEYS = new Set(["name", "args", "timeLimit", "traceback"]);
const created = Symbol("createLua");

function badArg(Kind, n, method, msg) {
  return new Kind(`bad argument #${n} to '${method}' (${msg})`);
}

/**
 * An isolated Lua 5.4 state (its own wasm instance) with the standard
 * libraries and gaussianreg preloaded: `require("gaussianreg")` works with
 * no files. Made by createLua(); see lua.d.ts.
 */
export class Lua {
  #inst;
  #L;
  #simd;
  #onOutput;
  #chunks = null; // the output of the run in progress
  #decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
  #closed = false;

  // connect(write) receives this state's output function, which the
  // instance's fd_write calls.
  constructor(token, inst, simd, onOutput, connect) {
    if (token !== created) throw new TypeError("use createLua() to make a Lua state");
    this.#inst = inst;
    this.#simd = simd;
    this.#onOutput = onOutput;
    connect((fd, bytes) => this.#write(fd, bytes));
    this.#L = inst.newState();
  }

  #write(fd, bytes) {
    const text = this.#decoders[fd].decode(bytes, { stream: true });
    if (text === "") return;
    this.#chunks?.push(text);
    this.#onOutput?.(text, fd === 1 ? "stdout" : "stderr");
  }

  /** true for the SIMD build. */
  get simd() {
    return this.#simd;
  }

  /** true after close(), os.exit, or a failure that stopped the instance. */
  get isClosed() {
    return this.#closed;
  }

  /**
   * Runs a chunk of Lua code in this state (globals persist between runs).
   * Returns { ok, output, error } (+ exitCode after os.exit); see lua.d.ts.
   */
  run(code, options = {}) {
    if (this.#closed) throw new TypeError("'run' called on a closed Lua state");
    if (typeof code !== "string" && !(code instanceof Uint8Array)) {
      throw badArg(TypeError, 1, "run", `expected string or Uint8Array, got ${typeName(code)}`);
    }
    if (options === null || typeof options !== "object") {
      throw badArg(TypeError, 2, "run", `expected options object, got ${typeName(options)}`);
    }
    for (const k of Object.keys(options)) {
      if (!RUN_KEYS.has(k)) throw badArg(TypeError, 2, "run", `unknown option '${k}'`);
    }
    const { name = "input", args = [], timeLimit = 0, traceback = false } = options;
    if (typeof name !== "string") throw badArg(TypeError, 2, "run", `name must be a string, got ${typeName(name)}`);
    if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
      throw badArg(TypeError, 2, "run", "args must be an array of strings");
    }
    if (typeof timeLimit !== "number" || !(timeLimit >= 0) || !Number.isFinite(timeLimit)) {
      throw badArg(RangeError, 2, "run", `timeLimit must be a finite number of milliseconds >= 0, got ${timeLimit}`);
    }
    if (typeof traceback !== "boolean") {
      throw badArg(TypeError, 2, "run", `traceback must be a boolean, got ${typeName(traceback)}`);
    }
    const inst = this.#inst;
    const chunks = (this.#chunks = []);
    const output = () => chunks.join("");
    try {
      args.forEach((a, i) => inst.setArg(this.#L, i + 1, a));
      const { status, message } = inst.run(this.#L, code, `=${name}`, args.length, { traceback, timeLimit });
      return { ok: status === LUA_OK, output: output(), error: message };
    } catch (e) {
      if (!inst.dead) throw e; // e.g. no wasm memory left to copy the code in: the state is intact
      this.#closed = true;
      if (e instanceof LuaExit) {
        return { ok: e.code === 0, output: output(), error: e.code === 0 ? null : e.message, exitCode: e.code };
      }
      // A trap or the engine's own stack limit inside the wasm: the state
      // cannot be trusted any more.
      return {
        ok: false,
        output: output(),
        error: `${e instanceof Error ? e.message : String(e)} (the Lua state was stopped; create a new one)`,
      };
    } finally {
      this.#chunks = null;
    }
  }

  /** Frees the state and its instance; idempotent. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#inst.close(this.#L);
  }

  [disposeSymbol]() {
    this.close();
  }
}

/**
 * A new Lua state. options: { simd?: boolean, wasm?: source, onOutput?:
 * (text, stream) => void }. The compiled module is shared; the instance is not.
 */
export async function createLuaWith(loader, options = {}) {
  if (options === null || typeof options !== "object") {
    throw badArg(TypeError, 1, "createLua", `expected options object, got ${typeName(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!OPTION_KEYS.has(k)) throw badArg(TypeError, 1, "createLua", `unknown option '${k}'`);
  }
  const { simd: forced, wasm, onOutput } = options;
  if (forced !== undefined && typeof forced !== "boolean") {
    throw badArg(TypeError, 1, "createLua", `simd must be a boolean, got ${typeName(forced)}`);
  }
  if (wasm !== undefined && !isWasmSource(wasm)) {
    throw badArg(TypeError, 1, "createLua", "wasm must be a URL, a path, bytes, a WebAssembly.Module or a Response, " +
      `got ${typeName(wasm)}`);
  }
  if (onOutput !== undefined && typeof onOutput !== "function") {
    throw badArg(TypeError, 1, "createLua", `onOutput must be a function, got ${typeName(onOutput)}`);
  }
  const module = await compileBuild(loader, forced ?? simdSupported(), wasm);
  let memory = null;
  let write = null;
  const imports = sandboxImports(module, () => memory, (fd, bytes) => write?.(fd, bytes));
  const instance = await WebAssembly.instantiate(module, imports);
  memory = instance.exports.memory;
  instance.exports._initialize?.();
  const inst = new LuaInstance(instance);
  inst.stdoutBuffering("none"); // output in the order it is written
  return new Lua(created, inst, inst.simd, onOutput, (w) => {
    write = w;
  });
}

export const version = VERSION;
export { simdSupported as hasSimd };
