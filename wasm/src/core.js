// gaussianreg -- a Gaussian-prior regularizer (brainstate.nn.GaussianReg) for
// JavaScript. All math is the C kernel of src/ compiled to WebAssembly; this
// module loads the module (SIMD build when the engine validates a simd128
// probe, the scalar build otherwise), moves JS values in and out of the wasm
// heap and turns C status codes into TypeError / RangeError.
//
// It is the one implementation behind the package's entry modules, which
// differ only in where the .wasm bytes come from (see `loader` below):
// index.js (browsers and bundlers: fetch from new URL(..., import.meta.url)),
// node.js (Node, Deno, Bun: read the files) and inline.js (the bytes embedded
// as base64). Nothing here imports a Node module.
//
// No Emscripten glue: the .wasm files are standalone modules and this loader
// supplies their one import. Every typed-array view of wasm memory is derived
// from memory.buffer at the moment of use, because any malloc may grow (and so
// detach) the buffer. User values are read into JS before anything is written
// to the heap: a getter on an input may call back into this module (allocate,
// grow the memory, use the scratch cells), so no view and no scratch value may
// be held across reading one.

// The core's GAUSSREG_VERSION_STRING, written in by the build (mk/wasm.mk).
const VERSION = "@GAUSSREG_VERSION@";

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)):
// engines that only know pre-standard SIMD reject i8x16.popcnt.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
  0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0a, 0x01, 0x08, 0x00,
  0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b,
]);

const MAX_DIMS = 8;
const F64 = 0;
const F32 = 1;
const DTYPES = {
  float64: { code: F64, Ctor: Float64Array, bytes: 8 },
  float32: { code: F32, Ctor: Float32Array, bytes: 4 },
};
const LOG_MODES = ["per_precision", "per_element"];
const E_OK = 0;
const E_FIXED = -4;
const disposeSymbol = Symbol.dispose ?? Symbol.for("nodejs.dispose");

// The engine's own typed-array accessors: they run no user code (a subclass
// or a Proxy cannot override them) and tell real typed arrays from lookalikes.
const TypedArrayProto = Object.getPrototypeOf(Float64Array.prototype);
const taTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const taLength = Object.getOwnPropertyDescriptor(TypedArrayProto, "length").get;
const taBuffer = Object.getOwnPropertyDescriptor(TypedArrayProto, "buffer").get;
const taSet = TypedArrayProto.set;
const taSlice = TypedArrayProto.slice;

// ---------------------------------------------------------------------------
// Errors

function badArg(Kind, n, method, msg) {
  return new Kind(`bad argument #${n} to '${method}' (${msg})`);
}

function typeName(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (ArrayBuffer.isView(v)) return taTag.call(v) ?? "DataView";
  return typeof v;
}

function fmtShape(shape) {
  return `(${shape.join(",")})`;
}

// The core names options as C and Lua do; JS spells them in camelCase.
function jsNames(msg) {
  return msg.replace(/\bfit_hyper\b/g, "fitHyper").replace(/\blog_mode\b/g, "logMode");
}

// ---------------------------------------------------------------------------
// Loading. Each entry module passes a loader:
//   wasm(simd)  the default source of that build: a URL (written as a literal
//               new URL("./x.wasm", import.meta.url), which bundlers rewrite
//               and emit) or a Promise of the bytes;
//   read(src)   optional: the bytes of a URL or path given as a string or URL
//               (Node reads files), or undefined to fetch it;
//   hint        what to tell the user when the default source fails.

function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function importsFor(module) {
  const stub = {
    env: { emscripten_notify_memory_growth() {} },
    wasi_snapshot_preview1: {
      proc_exit(code) {
        throw new Error(`gaussianreg: wasm called proc_exit(${code})`);
      },
      fd_write: () => 52, // ENOSYS: the core never prints
      fd_close: () => 52,
      fd_seek: () => 52,
    },
  };
  const imports = {};
  for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
    const fn = stub[mod]?.[name];
    if (kind !== "function" || !fn) {
      throw new Error(`gaussianreg: the wasm module needs an unknown import ${mod}.${name}`);
    }
    (imports[mod] ??= {})[name] = fn;
  }
  return imports;
}

// The bytes, if they start like a wasm module; else an error that says what
// came instead (typically a dev server's HTML page for a file it lacks).
function wasmBytes(bytes, what) {
  const u8 = bytes instanceof ArrayBuffer
    ? new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 16))
    : new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  if (u8.length >= 4 && u8[0] === 0x00 && u8[1] === 0x61 && u8[2] === 0x73 && u8[3] === 0x6d) return bytes;
  const head = Array.from(u8.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  const html = /^\s*</.test(String.fromCharCode(...u8)) ? ", an HTML page" : "";
  throw new Error(`${what ? `${what}, ` : ""}not a wasm module: it starts with ${head || "nothing"}${html}` +
    ` (a wasm module starts with 00 61 73 6d)`);
}

function isWasmSource(s) {
  return typeof s === "string" || s instanceof URL || s instanceof ArrayBuffer || ArrayBuffer.isView(s) ||
    s instanceof WebAssembly.Module || (typeof Response !== "undefined" && s instanceof Response) ||
    (s !== null && typeof s === "object" && typeof s.then === "function");
}

async function compile(source, read) {
  if (source instanceof WebAssembly.Module) return source;
  if (source !== null && typeof source === "object" && typeof source.then === "function") {
    return compile(await source, read);
  }
  if (typeof Response !== "undefined" && source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status}${source.url ? ` for ${source.url}` : ""}`);
    const type = source.headers.get("content-type") || "";
    if (typeof WebAssembly.compileStreaming === "function" && /^application\/wasm\b/i.test(type)) {
      return WebAssembly.compileStreaming(source);
    }
    return WebAssembly.compile(wasmBytes(await source.arrayBuffer(), `the server sent ${type || "no content type"}`));
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(wasmBytes(source));
  }
  if (typeof source === "string" || source instanceof URL) {
    const bytes = read ? await read(source) : undefined;
    return compile(bytes ?? (await fetch(source)));
  }
  throw new TypeError(`expected a URL, a path, bytes, a WebAssembly.Module or a Response, got ${typeName(source)}`);
}

async function instantiate(loader, simd, wasm) {
  const source = wasm === undefined ? loader.wasm(simd) : wasm;
  let module;
  try {
    module = await compile(source, loader.read);
  } catch (e) {
    const where = source instanceof URL || typeof source === "string" ? ` from ${source}` : "";
    const hint = wasm === undefined && loader.hint ? ` ${loader.hint}` : "";
    const why = e.cause?.message ? `${e.message} (${e.cause.message})` : e.message; // fetch's TypeError has a cause
    throw new Error(`gaussianreg: could not load the ${simd ? "SIMD" : "scalar"} wasm module${where}: ${why}.${hint}`,
      { cause: e });
  }
  const instance = await WebAssembly.instantiate(module, importsFor(module));
  return new Runtime(instance);
}

// ---------------------------------------------------------------------------
// Runtime: one wasm instance and its views.

class Runtime {
  constructor(instance) {
    const x = instance.exports;
    if (typeof x._initialize === "function") x._initialize();
    this.x = x;
    this.memory = x.memory;
    this.buf = null;
    this.decoder = new TextDecoder();
    this.ctx = x.gr_ctx_new();
    if (!this.ctx) throw new Error("gaussianreg: out of wasm memory at start-up");
    this.errPtr = x.gr_ctx_err(this.ctx);
    this.outPtr = x.gr_ctx_out(this.ctx);
    this.dimsPtr = x.gr_ctx_dims(this.ctx);
    this.slot = [0, 1, 2, 3].map((i) => x.gr_ctx_array(this.ctx, i));
    this.simd = x.gr_build_simd() === 1;
    this.isaName = this.cstr(x.gaussreg_isa_name(x.gaussreg_isa_best()));
    this.fixedMsg = jsNames(this.cstr(x.gaussreg_strerror(E_FIXED)));
    this.version = this.cstr(x.gaussreg_version());
    this.regs = new FinalizationRegistry((ptr) => x.gaussreg_destroy(ptr));
    this.blocks = new FinalizationRegistry((ptr) => x.free(ptr));
    this.GaussianReg = null; // bound classes, set by bindRuntime
    this.HeapArray = null;
  }

  refresh() {
    const b = this.memory.buffer;
    if (b !== this.buf) {
      this.buf = b;
      this._f64 = new Float64Array(b);
      this._u8 = new Uint8Array(b);
    }
  }
  get f64() {
    this.refresh();
    return this._f64;
  }
  get u8() {
    this.refresh();
    return this._u8;
  }
  view(Ctor, ptr, n) {
    return new Ctor(this.memory.buffer, ptr, n);
  }
  cstr(ptr) {
    const u8 = this.u8;
    let end = ptr;
    while (u8[end] !== 0) end++;
    return this.decoder.decode(u8.subarray(ptr, end));
  }

  // malloc that throws RangeError(argument-style) instead of returning 0.
  malloc(bytes, n, method) {
    const p = bytes > 0xffffffff ? 0 : this.x.malloc(Math.max(bytes, 1));
    if (!p) throw badArg(RangeError, n, method, `cannot allocate ${bytes} bytes of wasm memory`);
    return p;
  }

  setDims(shape) {
    const f = this.f64;
    const base = this.dimsPtr >> 3;
    for (let i = 0; i < shape.length; i++) f[base + i] = shape[i];
  }

  // slot i <- contiguous view of ptr; the shape is already validated in JS.
  setSlot(i, ptr, dtype, shape) {
    this.setDims(shape);
    const rc = this.x.gr_array_set(this.ctx, i, ptr, dtype, shape.length);
    if (rc !== E_OK) this.fail(rc, 1, "array");
    return this.slot[i];
  }

  // Throws the error recorded in ctx, formatted like the Lua binding. n is
  // the JS argument the error is about; an error about the core argument
  // "out" is about argument outArg and names it.
  fail(rc, n, method, prefixArg = false, outArg = 0) {
    const x = this.x;
    const arg = this.cstr(x.gr_err_arg(this.ctx));
    let msg = this.cstr(x.gr_err_msg(this.ctx));
    if (rc === E_FIXED) throw new TypeError(this.fixedMsg);
    if (outArg && arg === "out") {
      n = outArg;
      prefixArg = true;
    }
    if (prefixArg && arg) msg = `${arg} ${msg}`;
    if (!msg) msg = this.cstr(x.gaussreg_strerror(rc));
    throw badArg(RangeError, n, method, jsNames(msg));
  }

  // The core's one-line description of a regularizer.
  describe(g) {
    const p = this.malloc(600, 1, "toString");
    try {
      return jsNames(this.cstr(this.x.gaussreg_format(g, p, 600)));
    } finally {
      this.x.free(p);
    }
  }

  readArray(arrPtr) {
    const x = this.x;
    const nd = x.gr_array_ndim(arrPtr);
    const shape = [];
    for (let i = 0; i < nd; i++) shape.push(x.gr_array_dim(arrPtr, i));
    const n = shape.reduce((a, b) => a * b, 1);
    const data = copyOf(Float64Array, this.view(Float64Array, x.gr_array_data(arrPtr), n));
    return { data, shape };
  }
}

// ---------------------------------------------------------------------------
// Shapes and input conversion

// A validated copy of a shape (a dimension or an array of them). Each element
// is read once, so a getter cannot pass validation with one value and then
// give another.
function checkShape(shape, n, method) {
  let dims;
  if (typeof shape === "number") dims = [shape];
  else if (Array.isArray(shape)) {
    const len = shape.length;
    if (len > MAX_DIMS) {
      throw badArg(RangeError, n, method, `shape has ${len} dimensions (at most ${MAX_DIMS})`);
    }
    dims = [];
    for (let i = 0; i < len; i++) dims.push(shape[i]);
  } else {
    throw badArg(TypeError, n, method, `expected a dimension or an array of dimensions, got ${typeName(shape)}`);
  }
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i];
    if (typeof d !== "number") {
      throw badArg(TypeError, n, method, `expected integer dimension at [${i}], got ${typeName(d)}`);
    }
    if (!Number.isSafeInteger(d) || d < 0) {
      throw badArg(RangeError, n, method, `dimension at [${i}] must be a non-negative integer, got ${d}`);
    }
  }
  return dims;
}

function numelOf(shape) {
  let k = 1;
  for (const d of shape) k *= d;
  return k;
}

// Shape of a nested number array (from its first elements).
function nestedShape(a, n, method) {
  const shape = [];
  let v = a;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (shape.length > MAX_DIMS) {
      throw badArg(RangeError, n, method, `nested array has more than ${MAX_DIMS} dimensions`);
    }
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

// Writes the nested array a (of shape) into dst (a JS Float64Array), checking it.
function flattenInto(a, shape, dst, n, method) {
  let k = 0;
  const path = [];
  const walk = (v, d) => {
    const len = shape[d];
    if (!Array.isArray(v)) {
      throw badArg(TypeError, n, method, `expected array at ${path.map((i) => `[${i}]`).join("")}, got ${typeName(v)}`);
    }
    if (v.length !== len) {
      throw badArg(RangeError, n, method, `ragged nested array: expected length ${len} at ${path.map((i) => `[${i}]`).join("")}, got ${v.length}`);
    }
    const leaf = d === shape.length - 1;
    for (let i = 0; i < len; i++) {
      path.push(i);
      if (!(i in v)) {
        throw badArg(TypeError, n, method, path.length === 1 ? `hole at index ${i}` : `hole at ${path.map((j) => `[${j}]`).join("")}`);
      }
      const e = v[i];
      if (leaf) {
        if (typeof e !== "number") {
          throw badArg(TypeError, n, method, `expected number at ${path.map((j) => `[${j}]`).join("")}, got ${typeName(e)}`);
        }
        dst[k++] = e;
      } else {
        walk(e, d + 1);
      }
      path.pop();
    }
  };
  walk(a, 0);
}

// A copy of a typed array (view of wasm memory) as a new Ctor array. set() is
// ArrayBuffer.prototype.slice is one memcpy; TypedArray slice()/from() on
// views of wasm memory are much slower in V8.
function copyOf(Ctor, src) {
  if (src.constructor === Ctor) {
    return new Ctor(src.buffer.slice(src.byteOffset, src.byteOffset + src.byteLength));
  }
  const dst = new Ctor(src.length);
  dst.set(src);
  return dst;
}

function nestFrom(flat, shape) {
  if (shape.length === 0) return flat[0];
  let k = 0;
  const build = (d) => {
    const out = new Array(shape[d]);
    if (d === shape.length - 1) {
      for (let i = 0; i < shape[d]; i++) out[i] = flat[k++];
    } else {
      for (let i = 0; i < shape[d]; i++) out[i] = build(d + 1);
    }
    return out;
  };
  return build(0);
}

const ACCEPTED = "number, array, Float64Array, Float32Array, {data, shape} or HeapArray";
const MAX_BYTES = 0xffffffff; // a wasm32 heap cannot hold a larger block

// Input conversion, in two steps. readValue() runs all the user code an input
// can contain (getters and proxies of arrays and of {data, shape}) and keeps
// the values in JS; place() then copies them to the heap without running user
// code, so no scratch cell or heap view is held while user code runs, and it
// frees what it allocated on any error. A method reads all its inputs before
// it places any.

// The dtype of a real Float64Array or Float32Array (by the engine's own tag:
// instanceof can be fooled and misses arrays of other realms), else null.
function floatArrayType(v) {
  if (!ArrayBuffer.isView(v)) return null;
  const tag = taTag.call(v);
  return tag === "Float64Array" ? DTYPES.float64 : tag === "Float32Array" ? DTYPES.float32 : null;
}

function isDetached(buffer) {
  if (typeof buffer.detached === "boolean") return buffer.detached; // ES2024
  try {
    new Uint8Array(buffer, 0, 0); // eslint-disable-line no-new
    return false;
  } catch {
    return true;
  }
}

function checkAttached(buffer, Ctor, n, method) {
  if (isDetached(buffer)) {
    throw badArg(TypeError, n, method, `${Ctor.name} is detached (its buffer was transferred, ` +
      "or it viewed wasm memory that has grown since: take a fresh HeapArray.array)");
  }
}

// The elements of a typed array of type Ctor, safe to copy to the heap later.
// A view of this instance's own memory (a HeapArray's .array) is copied out
// now: the allocation for the copy may grow the memory and detach it.
function readTyped(rt, v, Ctor, n, method) {
  const buffer = taBuffer.call(v);
  checkAttached(buffer, Ctor, n, method);
  if (buffer !== rt.memory.buffer) return v;
  const copy = new Ctor(taLength.call(v));
  taSet.call(copy, v);
  return copy;
}

function checkBytes(k, bytes, n, method) {
  if (k * bytes > MAX_BYTES) throw badArg(RangeError, n, method, `cannot allocate ${k * bytes} bytes of wasm memory`);
}

// A JS value as a plain description: { form, shape, dt, src } with src a
// typed array (or value for a number, heap for a HeapArray).
function readValue(rt, v, n, method) {
  if (typeof v === "number") return { form: "number", shape: [], dt: DTYPES.float64, value: v };
  if (HeapArray._is(v)) return { form: "heap", heap: v };
  const dt = floatArrayType(v);
  if (dt) {
    const src = readTyped(rt, v, dt.Ctor, n, method);
    return { form: "typed", shape: [taLength.call(src)], dt, src };
  }
  if (Array.isArray(v)) {
    const shape = nestedShape(v, n, method);
    const k = numelOf(shape);
    checkBytes(k, 8, n, method);
    const src = new Float64Array(k);
    flattenInto(v, shape, src, n, method);
    return { form: "nested", shape, dt: DTYPES.float64, src };
  }
  if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v) && "data" in v && "shape" in v) {
    const shape = checkShape(v.shape, n, method);
    const data = v.data;
    const k = numelOf(shape);
    const ddt = floatArrayType(data);
    const src = ddt ? readTyped(rt, data, ddt.Ctor, n, method) : data;
    if (ddt || Array.isArray(data)) {
      const len = ddt ? taLength.call(src) : data.length;
      if (len !== k) {
        throw badArg(RangeError, n, method, `shape ${fmtShape(shape)} has ${k} elements but data has ${len}`);
      }
    }
    if (ddt) return { form: "shaped", shape, dt: ddt, src };
    if (Array.isArray(data)) {
      checkBytes(k, 8, n, method);
      const flat = new Float64Array(k);
      flattenInto(data, [k], flat, n, method);
      return { form: "shaped", shape, dt: DTYPES.float64, src: flat };
    }
    throw badArg(TypeError, n, method, `expected data to be a Float64Array, Float32Array or number array, got ${typeName(data)}`);
  }
  throw badArg(TypeError, n, method, `expected ${ACCEPTED}, got ${typeName(v)}`);
}

// A prepared input: where the data sits on the wasm heap and how to give a
// result back in the caller's form. free() releases a copy (never a HeapArray).
class Input {
  constructor(rt, ptr, dtype, shape, form, owned, Ctor) {
    this.rt = rt;
    this.ptr = ptr;
    this.dtype = dtype; // 0 float64, 1 float32
    this.shape = shape;
    this.form = form; // "number" | "nested" | "typed" | "shaped" | "heap"
    this.owned = owned;
    this.Ctor = Ctor; // typed-array type of results
  }
  free() {
    if (this.owned) {
      this.rt.x.free(this.ptr);
      this.owned = false;
    }
  }
}

// Puts a description from readValue on the heap. scalarCell: heap address of
// a spare double for the number form (no malloc); nothing may run between
// this and the call that reads it.
function place(rt, a, scalarCell, n, method) {
  if (a.form === "number") {
    rt.f64[scalarCell >> 3] = a.value;
    return new Input(rt, scalarCell, F64, [], "number", false, Float64Array);
  }
  if (a.form === "heap") {
    const h = HeapArray._usable(a.heap, rt, n, method);
    return new Input(rt, h.ptr, h.dt.code, h.shape, "heap", false, h.dt.Ctor);
  }
  const { dt, src } = a;
  checkAttached(taBuffer.call(src), dt.Ctor, n, method); // another argument's getter may have detached it
  const len = taLength.call(src);
  const ptr = rt.malloc(len * dt.bytes, n, method);
  try {
    taSet.call(rt.view(dt.Ctor, ptr, len), src);
  } catch (e) {
    rt.x.free(ptr);
    throw e;
  }
  return new Input(rt, ptr, dt.code, a.shape, a.form, true, a.form === "nested" ? Float64Array : dt.Ctor);
}

// Both steps, for a call with one value input.
function toInput(rt, v, n, method, scalarCell) {
  return place(rt, readValue(rt, v, n, method), scalarCell, n, method);
}

// A result of `shape` in the form of `like` (an Input or a remembered form),
// copied out of the heap block at ptr (dtype of like).
function outputFrom(rt, ptr, shape, like) {
  const k = numelOf(shape);
  const Ctor = like.dtype === F32 ? Float32Array : Float64Array;
  const src = rt.view(Ctor, ptr, k);
  switch (like.form) {
    case "number":
      return src[0];
    case "nested":
      return nestFrom(src, shape);
    case "typed":
      return copyOf(like.Ctor, src);
    default: // "shaped"
      return { data: copyOf(like.Ctor, src), shape: shape.slice() };
  }
}

// How hyperparameters are handed back: the form they were given in.
function formOf(input) {
  const form = input.form === "heap" ? (input.shape.length === 1 ? "typed" : "shaped") : input.form;
  return { form, dtype: F64, Ctor: input.form === "heap" ? Float64Array : input.Ctor };
}

function defaultForm(shape) {
  return { form: shape.length === 0 ? "number" : "nested", dtype: F64, Ctor: Float64Array };
}

function fromStored(stored, like) {
  const { data, shape } = stored;
  if (shape.length === 0 && (like.form === "number" || like.form === "nested")) return data[0];
  switch (like.form) {
    case "number":
    case "nested":
      return nestFrom(data, shape);
    case "typed":
      return shape.length === 1 ? copyOf(like.Ctor, data) : { data: copyOf(like.Ctor, data), shape };
    default:
      return { data: copyOf(like.Ctor, data), shape };
  }
}

function seedWords(seed, n, method) {
  if (typeof seed === "bigint") {
    if (seed < 0n || seed >= 1n << 64n) {
      throw badArg(RangeError, n, method, `seed must be an integer in [0, 2^64), got ${seed}`);
    }
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (typeof seed !== "number") {
    throw badArg(TypeError, n, method, `seed must be a number or bigint, got ${typeName(seed)}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw badArg(RangeError, n, method, `seed must be an integer in [0, 2^53], got ${seed}`);
  }
  return [seed % 0x100000000, Math.floor(seed / 0x100000000)];
}

// threads (issue 15): the C core splits large calls across threads, but
// this build has none -- WebAssembly threads need SharedArrayBuffer, which
// browsers give only to cross-origin-isolated pages -- so 0 (one per core)
// and 1 both mean the one thread there is, and more is refused.
function checkThreads(t, n, method) {
  if (typeof t !== "number") throw badArg(TypeError, n, method, `threads must be a number, got ${typeName(t)}`);
  if (t !== 0 && t !== 1) {
    throw badArg(RangeError, n, method, `threads must be 0 or 1: the WebAssembly build runs on one thread ` +
      `(WebAssembly threads need a cross-origin-isolated page), got ${t}`);
  }
}

function checkLogMode(mode, n, method) {
  if (typeof mode !== "string") {
    throw badArg(TypeError, n, method, `logMode must be "per_precision" or "per_element", got ${typeName(mode)}`);
  }
  const i = LOG_MODES.indexOf(mode);
  if (i < 0) throw badArg(RangeError, n, method, `logMode must be "per_precision" or "per_element", got "${mode}"`);
  return i;
}

function checkDtype(dtype, n, method) {
  const dt = typeof dtype === "string" ? DTYPES[dtype] : undefined;
  if (!dt || !Object.hasOwn(DTYPES, dtype)) {
    throw badArg(typeof dtype === "string" ? RangeError : TypeError, n, method,
      `dtype must be "float64" or "float32", got ${typeof dtype === "string" ? `"${dtype}"` : typeName(dtype)}`);
  }
  return dt;
}

// ---------------------------------------------------------------------------
// HeapArray

let defaultRuntime = null;
let currentInit = null; // the memoized Promise of the default runtime
const runtimes = new Map(); // "simd" | "scalar" | a caller-given source -> Promise<Runtime>

function needRuntime(rt, what) {
  const r = rt ?? defaultRuntime;
  if (!r) throw new Error(`gaussianreg: call 'await init()' before ${what}`);
  return r;
}

/** A block of wasm memory holding a typed, shaped, C-contiguous array. */
export class HeapArray {
  #rt;
  #ptr = 0;
  #shape;
  #dt;
  #n;

  constructor(shape, dtype = "float64", runtime = undefined) {
    const rt = needRuntime(runtime instanceof Runtime ? runtime : undefined, "new HeapArray()");
    const dims = checkShape(shape, 1, "HeapArray");
    const dt = checkDtype(dtype, 2, "HeapArray");
    const n = numelOf(dims);
    const bytes = n * dt.bytes;
    const ptr = rt.malloc(bytes, 1, "HeapArray");
    rt.u8.fill(0, ptr, ptr + bytes);
    this.#rt = rt;
    this.#ptr = ptr;
    this.#shape = dims;
    this.#dt = dt;
    this.#n = n;
    rt.blocks.register(this, ptr, this);
  }

  /** A HeapArray holding a copy of values (any accepted input form). */
  static from(values, dtype = undefined) {
    const rt = needRuntime(undefined, "HeapArray.from()");
    return heapArrayFrom(rt, values, dtype, (shape, dt) => new HeapArray(shape, dt, rt));
  }

  /** A fresh typed-array view (Float64Array or Float32Array) of the block. */
  get array() {
    if (!this.#ptr) throw new TypeError("HeapArray has been disposed");
    return new this.#dt.Ctor(this.#rt.memory.buffer, this.#ptr, this.#n);
  }
  get shape() {
    return this.#shape.slice();
  }
  get dtype() {
    return this.#dt === DTYPES.float32 ? "float32" : "float64";
  }
  get length() {
    return this.#n;
  }
  /** Address in wasm memory (0 once disposed). */
  get byteOffset() {
    return this.#ptr;
  }
  get isDisposed() {
    return this.#ptr === 0;
  }
  /** Frees the block; idempotent. */
  dispose() {
    if (this.#ptr) {
      this.#rt.blocks.unregister(this);
      this.#rt.x.free(this.#ptr);
      this.#ptr = 0;
    }
  }
  [disposeSymbol]() {
    this.dispose();
  }
  toString() {
    return `HeapArray(shape=${fmtShape(this.#shape)}, dtype=${this.dtype})`;
  }

  #checkUsable(rt, n, method) {
    if (!this.#ptr) throw badArg(TypeError, n, method, "HeapArray has been disposed");
    if (this.#rt !== rt) throw badArg(TypeError, n, method, "HeapArray belongs to another wasm instance");
    return { ptr: this.#ptr, shape: this.#shape, dt: this.#dt };
  }

  // Made by this class (any instance's), not an imitation: checks the private
  // field, which neither a Proxy nor Object.create(HeapArray.prototype) has.
  static _is(v) {
    return typeof v === "object" && v !== null && #ptr in v;
  }

  static _usable(h, rt, n, method) {
    return h.#checkUsable(rt, n, method);
  }
}

// HeapArray.from for the default and the bound classes; make(shape, dtype)
// constructs the result.
function heapArrayFrom(rt, values, dtype, make) {
  const input = toInput(rt, values, 1, "from", rt.outPtr + 16);
  try {
    const dt = dtype === undefined ? (input.dtype === F32 ? DTYPES.float32 : DTYPES.float64) : checkDtype(dtype, 2, "from");
    const h = make(input.shape, dt === DTYPES.float32 ? "float32" : "float64");
    h.array.set(rt.view(input.dtype === F32 ? Float32Array : Float64Array, input.ptr, h.length));
    return h;
  } finally {
    input.free();
  }
}

// ---------------------------------------------------------------------------
// GaussianReg

// What fromState hands to the constructor.
class Restored {
  constructor(rt, g) {
    this.rt = rt;
    this.g = g;
  }
}

const OPTION_KEYS = new Set(["mean", "std", "weight", "fitHyper", "seed", "logMode", "threads"]);

/** The Gaussian-prior regularizer; see index.d.ts for the full reference. */
export class GaussianReg {
  #rt;
  #g = 0;
  #meanForm;
  #precForm;

  constructor(options, runtime = undefined) {
    if (options instanceof Restored) {
      // from fromState: adopt the restored object
      const { rt, g } = options;
      this.#rt = rt;
      this.#g = g;
      this.#meanForm = defaultForm(rt.readArray(rt.x.gaussreg_mean(g)).shape);
      this.#precForm = defaultForm(rt.readArray(rt.x.gaussreg_precision(g)).shape);
      rt.regs.register(this, g, this);
      return;
    }
    const rt = needRuntime(runtime instanceof Runtime ? runtime : undefined, "new GaussianReg()");
    const M = "GaussianReg";
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw badArg(TypeError, 1, M, `expected an options object {mean, std, weight, fitHyper, seed, logMode}, got ${typeName(options)}`);
    }
    for (const k of Object.keys(options)) {
      if (!OPTION_KEYS.has(k)) throw badArg(TypeError, 1, M, `unknown option '${k}'`);
    }
    const { mean, std, weight = 1, fitHyper = false, seed = 0, logMode = "per_precision", threads = 1 } = options;
    if (mean === undefined) throw badArg(TypeError, 1, M, `mean is required (${ACCEPTED})`);
    if (std === undefined) throw badArg(TypeError, 1, M, `std is required (${ACCEPTED})`);
    if (typeof weight !== "number") throw badArg(TypeError, 1, M, `weight must be a number, got ${typeName(weight)}`);
    if (typeof fitHyper !== "boolean") throw badArg(TypeError, 1, M, `fitHyper must be a boolean, got ${typeName(fitHyper)}`);
    const [lo, hi] = seedWords(seed, 1, M);
    const mode = checkLogMode(logMode, 1, M);
    checkThreads(threads, 1, M);
    const x = rt.x;
    const mVal = prefixErrors("mean", () => readValue(rt, mean, 1, M));
    const sVal = prefixErrors("std", () => readValue(rt, std, 1, M));
    const mIn = prefixErrors("mean", () => place(rt, mVal, rt.outPtr + 16, 1, M));
    let sIn;
    try {
      sIn = prefixErrors("std", () => place(rt, sVal, rt.outPtr + 24, 1, M));
      rt.setSlot(0, mIn.ptr, mIn.dtype, mIn.shape);
      rt.setSlot(1, sIn.ptr, sIn.dtype, sIn.shape);
      const g = x.gr_create(rt.ctx, weight, fitHyper ? 1 : 0, mode, lo, hi);
      if (!g) rt.fail(x.gr_err_code(rt.ctx), 1, M, true);
      this.#rt = rt;
      this.#g = g;
      this.#meanForm = formOf(mIn);
      this.#precForm = formOf(sIn);
      rt.regs.register(this, g, this);
    } finally {
      mIn.free();
      sIn?.free();
    }
  }

  /** Restores a regularizer from the bytes of state() (the C/Lua format). */
  static fromState(bytes) {
    return GaussianReg._fromStateIn(needRuntime(undefined, "GaussianReg.fromState()"), bytes);
  }

  static _fromStateIn(rt, bytes) {
    const M = "fromState";
    let u8;
    if (ArrayBuffer.isView(bytes) && taTag.call(bytes) === "Uint8Array") {
      u8 = readTyped(rt, bytes, Uint8Array, 1, M);
    } else if (bytes instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && bytes instanceof SharedArrayBuffer)) {
      checkAttached(bytes, ArrayBuffer, 1, M);
      u8 = new Uint8Array(bytes);
    } else {
      throw badArg(TypeError, 1, M, `expected Uint8Array or ArrayBuffer, got ${typeName(bytes)}`);
    }
    const x = rt.x;
    const len = taLength.call(u8);
    const ptr = rt.malloc(len, 1, M);
    try {
      taSet.call(rt.u8, u8, ptr);
      const g = x.gr_state_restore(rt.ctx, ptr, len);
      if (!g) rt.fail(x.gr_err_code(rt.ctx), 1, M);
      const reg = new this(new Restored(rt, g)); // eslint-disable-line new-cap
      return reg;
    } finally {
      x.free(ptr);
    }
  }

  // Every method starts here: a receiver that is not a GaussianReg gets the
  // Lua module's wording instead of the engine's private-field TypeError.
  static #use(self, method) {
    if (typeof self !== "object" || self === null || !(#g in self))
      throw new TypeError(`calling '${method}' on bad self (GaussianReg expected, got ${typeName(self)})`);
    if (!self.#g) throw new TypeError(`'${method}' called on a disposed GaussianReg`);
    return self.#rt;
  }

  /** The loss of value x (a number). */
  loss(x) {
    const rt = GaussianReg.#use(this, "loss");
    const a = readValue(rt, x, 1, "loss");
    GaussianReg.#use(this, "loss"); // a getter of x may have disposed this
    const v = place(rt, a, rt.outPtr + 16, 1, "loss");
    try {
      const arr = rt.setSlot(0, v.ptr, v.dtype, v.shape);
      const rc = rt.x.gaussreg_loss(this.#g, arr, rt.outPtr, rt.errPtr);
      if (rc !== E_OK) rt.fail(rc, 1, "loss");
      return rt.f64[rt.outPtr >> 3];
    } finally {
      v.free();
    }
  }

  // Runs grad or lossAndGrad; returns [loss, gradient in x's form].
  #gradImpl(method, x, out, withLoss) {
    const rt = GaussianReg.#use(this, method);
    const a = readValue(rt, x, 1, method);
    GaussianReg.#use(this, method);
    const v = place(rt, a, rt.outPtr + 16, 1, method);
    let gPtr = 0;
    let outHeap = null;
    try {
      const k = numelOf(v.shape);
      const bytes = v.dtype === F32 ? 4 : 8;
      let gType = v.dtype;
      let gShape = v.shape;
      if (out !== undefined) {
        // any dtype; the core checks the shape
        if (!HeapArray._is(out)) throw badArg(TypeError, 2, method, `expected HeapArray, got ${typeName(out)}`);
        const o = HeapArray._usable(out, rt, 2, method);
        outHeap = out;
        gPtr = o.ptr;
        gType = o.dt.code;
        gShape = o.shape;
      } else if (v.form === "heap") {
        outHeap = new rt.HeapArray(v.shape, v.dtype === F32 ? "float32" : "float64");
        gPtr = outHeap.byteOffset;
      } else if (v.form === "number") {
        gPtr = rt.outPtr + 24;
      } else {
        gPtr = rt.malloc(k * bytes, 1, method);
      }
      const xa = rt.setSlot(0, v.ptr, v.dtype, v.shape);
      const ga = rt.setSlot(1, gPtr, gType, gShape);
      const rc = withLoss
        ? rt.x.gaussreg_loss_and_grad(this.#g, xa, rt.outPtr, ga, rt.errPtr)
        : rt.x.gaussreg_grad(this.#g, xa, ga, rt.errPtr);
      if (rc !== E_OK) {
        if (outHeap && outHeap !== out) outHeap.dispose();
        rt.fail(rc, 1, method, false, 2);
      }
      const loss = withLoss ? rt.f64[rt.outPtr >> 3] : undefined;
      const g = outHeap ?? outputFrom(rt, gPtr, v.shape, v);
      return [loss, g];
    } finally {
      if (!outHeap && v.form !== "number" && gPtr) rt.x.free(gPtr);
      v.free();
    }
  }

  /** dL/dx in the form of x (a HeapArray for a HeapArray; `out` reuses one). */
  grad(x, out = undefined) {
    GaussianReg.#use(this, "grad"); // before any private member of this
    return this.#gradImpl("grad", x, out, false)[1];
  }

  /** { loss, grad } from one pass over memory. */
  lossAndGrad(x, out = undefined) {
    GaussianReg.#use(this, "lossAndGrad");
    const [loss, grad] = this.#gradImpl("lossAndGrad", x, out, true);
    return { loss, grad };
  }

  /** { mean, precision, weight }: gradients with respect to the hyperparameters (fitHyper only). */
  hyperGrad(x) {
    const M = "hyperGrad";
    const rt = GaussianReg.#use(this, M);
    if (!this.fitHyper) throw new TypeError(rt.fixedMsg);
    const a = readValue(rt, x, 1, M);
    GaussianReg.#use(this, M);
    const xx = rt.x;
    const mean = rt.readArray(xx.gaussreg_mean(this.#g));
    const prec = rt.readArray(xx.gaussreg_precision(this.#g));
    const v = place(rt, a, rt.outPtr + 16, 1, M);
    const km = numelOf(mean.shape);
    const kp = numelOf(prec.shape);
    let p = 0;
    try {
      p = rt.malloc((km + kp) * 8, 1, M);
      const xa = rt.setSlot(0, v.ptr, v.dtype, v.shape);
      const ma = rt.setSlot(1, p, F64, mean.shape);
      const pa = rt.setSlot(2, p + km * 8, F64, prec.shape);
      const rc = xx.gaussreg_hyper_grad(this.#g, xa, ma, pa, rt.outPtr, rt.errPtr);
      if (rc !== E_OK) rt.fail(rc, 1, M);
      const gw = rt.f64[rt.outPtr >> 3];
      const gm = { data: copyOf(Float64Array, rt.view(Float64Array, p, km)), shape: mean.shape };
      const gp = { data: copyOf(Float64Array, rt.view(Float64Array, p + km * 8, kp)), shape: prec.shape };
      return { mean: fromStored(gm, this.#meanForm), precision: fromStored(gp, this.#precForm), weight: gw };
    } finally {
      if (p) xx.free(p);
      v.free();
    }
  }

  /** The shape sampleInit(shape) returns: broadcast(shape, mean, precision). */
  sampleShape(shape) {
    const rt = GaussianReg.#use(this, "sampleShape");
    const dims = checkShape(shape, 1, "sampleShape");
    return this.#sampleShape(rt, dims, "sampleShape");
  }

  #sampleShape(rt, dims, method) {
    rt.setDims(dims);
    const nd = rt.x.gr_sample_shape(rt.ctx, this.#g, dims.length);
    if (nd < 0) rt.fail(nd, 1, method);
    const f = rt.f64;
    const out = [];
    for (let i = 0; i < nd; i++) out.push(f[(rt.dimsPtr >> 3) + i]);
    return out;
  }

  /** Draws mean + std * N(0,1) of shape broadcast(shape, mean, precision): a Float64Array, row-major (or fills `out`). */
  sampleInit(shape, out = undefined) {
    const M = "sampleInit";
    const rt = GaussianReg.#use(this, M);
    const dims = checkShape(shape, 1, M);
    const sshape = this.#sampleShape(rt, dims, M);
    const k = numelOf(sshape);
    let ptr;
    let dtype = F64;
    let oshape = sshape;
    if (out !== undefined) {
      // the core checks the shape
      if (!HeapArray._is(out)) throw badArg(TypeError, 2, M, `expected HeapArray, got ${typeName(out)}`);
      const o = HeapArray._usable(out, rt, 2, M);
      ptr = o.ptr;
      dtype = o.dt.code;
      oshape = o.shape;
    } else {
      ptr = rt.malloc(k * 8, 1, M);
    }
    try {
      const oa = rt.setSlot(2, ptr, dtype, oshape);
      rt.setDims(dims);
      const rc = rt.x.gr_sample_init(rt.ctx, this.#g, dims.length, oa);
      if (rc !== E_OK) rt.fail(rc, 1, M, false, 2);
      return out ?? copyOf(Float64Array, rt.view(Float64Array, ptr, k));
    } finally {
      if (out === undefined) rt.x.free(ptr);
    }
  }

  /** A copy of the mean: a number when the mean is scalar. */
  resetValue() {
    return this.mean;
  }

  /** Reseeds this object's generator (integer in [0, 2^64) as number or bigint). */
  seed(n) {
    const rt = GaussianReg.#use(this, "seed");
    const [lo, hi] = seedWords(n, 1, "seed");
    rt.x.gr_seed(this.#g, lo, hi);
  }

  /** The checkpoint: hyperparameters, flags and generator state (same bytes as the C and Lua modules). */
  state() {
    const rt = GaussianReg.#use(this, "state");
    const x = rt.x;
    const size = x.gaussreg_state_size(this.#g);
    const ptr = rt.malloc(size, 1, "state");
    try {
      const rc = x.gr_state_save(rt.ctx, this.#g, ptr, size);
      if (rc !== E_OK) rt.fail(rc, 1, "state");
      return copyOf(Uint8Array, rt.u8.subarray(ptr, ptr + x.gr_state_written(rt.ctx)));
    } finally {
      x.free(ptr);
    }
  }

  get mean() {
    const rt = GaussianReg.#use(this, "mean");
    return fromStored(rt.readArray(rt.x.gaussreg_mean(this.#g)), this.#meanForm);
  }
  set mean(v) {
    GaussianReg.#use(this, "mean");
    this.#setHyper("mean", v, "gaussreg_set_mean", (f) => { this.#meanForm = f; });
  }
  get precision() {
    const rt = GaussianReg.#use(this, "precision");
    return fromStored(rt.readArray(rt.x.gaussreg_precision(this.#g)), this.#precForm);
  }
  set precision(v) {
    GaussianReg.#use(this, "precision");
    this.#setHyper("precision", v, "gaussreg_set_precision", (f) => { this.#precForm = f; });
  }
  get weight() {
    return GaussianReg.#use(this, "weight").x.gaussreg_weight(this.#g);
  }
  set weight(w) {
    const rt = GaussianReg.#use(this, "weight");
    if (!this.fitHyper) throw new TypeError(rt.fixedMsg);
    if (typeof w !== "number") throw badArg(TypeError, 1, "weight", `expected number, got ${typeName(w)}`);
    const rc = rt.x.gaussreg_set_weight(this.#g, w, rt.errPtr);
    if (rc !== E_OK) rt.fail(rc, 1, "weight");
  }
  /** Threads a call may use: always 1 in WebAssembly (see checkThreads). */
  get threads() {
    GaussianReg.#use(this, "threads");
    return 1;
  }
  get fitHyper() {
    return GaussianReg.#use(this, "fitHyper").x.gaussreg_fit_hyper(this.#g) !== 0;
  }
  get logMode() {
    return LOG_MODES[GaussianReg.#use(this, "logMode").x.gaussreg_get_log_mode(this.#g)];
  }
  set logMode(mode) {
    const rt = GaussianReg.#use(this, "logMode");
    const m = checkLogMode(mode, 1, "logMode");
    const rc = rt.x.gaussreg_set_log_mode(this.#g, m, rt.errPtr);
    if (rc !== E_OK) rt.fail(rc, 1, "logMode");
  }
  /** The kernel instruction set in use: "wasm128" or "scalar". Assign to force one (tests). */
  get isa() {
    const rt = GaussianReg.#use(this, "isa");
    return rt.cstr(rt.x.gaussreg_isa_name(rt.x.gaussreg_get_isa(this.#g)));
  }
  set isa(name) {
    const rt = GaussianReg.#use(this, "isa");
    if (typeof name !== "string") throw badArg(TypeError, 1, "isa", `expected string, got ${typeName(name)}`);
    const bytes = new TextEncoder().encode(name);
    const p = rt.malloc(bytes.length + 1, 1, "isa");
    try {
      rt.u8.set(bytes, p);
      rt.u8[p + bytes.length] = 0;
      const code = rt.x.gaussreg_isa_from_name(p);
      if (code < 0) throw badArg(RangeError, 1, "isa", `unknown instruction set "${name}"`);
      const rc = rt.x.gaussreg_set_isa(this.#g, code, rt.errPtr);
      if (rc !== E_OK) rt.fail(rc, 1, "isa");
    } finally {
      rt.x.free(p);
    }
  }

  #setHyper(name, v, fn, setForm) {
    const rt = GaussianReg.#use(this, name);
    if (!this.fitHyper) throw new TypeError(rt.fixedMsg);
    const a = readValue(rt, v, 1, name);
    GaussianReg.#use(this, name);
    const inp = place(rt, a, rt.outPtr + 16, 1, name);
    try {
      const arr = rt.setSlot(0, inp.ptr, inp.dtype, inp.shape);
      const rc = rt.x[fn](this.#g, arr, rt.errPtr);
      if (rc !== E_OK) rt.fail(rc, 1, name);
      setForm(formOf(inp));
    } finally {
      inp.free();
    }
  }

  get isDisposed() {
    return this.#g === 0;
  }
  /** Frees the wasm memory this object owns; idempotent. */
  dispose() {
    if (this.#g) {
      this.#rt.regs.unregister(this);
      this.#rt.x.gaussreg_destroy(this.#g);
      this.#g = 0;
    }
  }
  [disposeSymbol]() {
    this.dispose();
  }
  toString() {
    if (!this.#g) return "GaussianReg(disposed)";
    return this.#rt.describe(this.#g);
  }
}

function prefixErrors(name, f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof TypeError || e instanceof RangeError) {
      const m = /^bad argument #1 to 'GaussianReg' \((.*)\)$/s.exec(e.message);
      if (m) e.message = `bad argument #1 to 'GaussianReg' (${name}: ${m[1]})`;
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Module API

// Classes bound to one runtime: for a second, independent instance.
function bindRuntime(rt) {
  if (rt.GaussianReg) return rt;
  class BoundGaussianReg extends GaussianReg {
    constructor(options) {
      super(options, rt);
    }
    static fromState(bytes) {
      return GaussianReg._fromStateIn.call(BoundGaussianReg, rt, bytes);
    }
  }
  class BoundHeapArray extends HeapArray {
    constructor(shape, dtype = "float64") {
      super(shape, dtype, rt);
    }
    static from(values, dtype = undefined) {
      return heapArrayFrom(rt, values, dtype, (shape, dt) => new BoundHeapArray(shape, dt));
    }
  }
  rt.GaussianReg = BoundGaussianReg;
  rt.HeapArray = BoundHeapArray;
  return rt;
}

function moduleInfo(rt) {
  return {
    simd: rt.simd,
    isa: rt.isaName,
    version: rt.version,
    GaussianReg: rt.GaussianReg,
    HeapArray: rt.HeapArray,
    heapUsed: () => rt.x.gr_heap_used(),
    memoryBytes: () => rt.memory.buffer.byteLength,
  };
}

function loadRuntime(loader, options, method) {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`bad argument #1 to '${method}' (expected options object, got ${typeName(options)})`);
  }
  for (const k of Object.keys(options)) {
    if (k !== "simd" && k !== "wasm") throw new TypeError(`bad argument #1 to '${method}' (unknown option '${k}')`);
  }
  const { simd: forced, wasm } = options;
  if (forced !== undefined && typeof forced !== "boolean") {
    throw new TypeError(`bad argument #1 to '${method}' (simd must be a boolean, got ${typeName(forced)})`);
  }
  if (wasm !== undefined && !isWasmSource(wasm)) {
    throw new TypeError(`bad argument #1 to '${method}' (wasm must be a URL, a path, bytes, a WebAssembly.Module ` +
      `or a Response, got ${typeName(wasm)})`);
  }
  const simd = forced ?? simdSupported();
  const key = wasm !== undefined ? wasm : simd ? "simd" : "scalar";
  let p = runtimes.get(key);
  if (!p) {
    p = instantiate(loader, simd, wasm).then(bindRuntime);
    p.catch(() => runtimes.delete(key));
    runtimes.set(key, p);
  }
  return p;
}

// The entry modules' init() and load(): the same, but for where the default
// .wasm comes from (their loader). The instances are shared by all entries.

/**
 * Loads the wasm module (memoized) and makes it the default for GaussianReg
 * and HeapArray. Resolves to { simd, isa, version }.
 */
export function initWith(loader, options = {}) {
  const plain = options !== null && typeof options === "object" && options.simd === undefined && options.wasm === undefined;
  if (currentInit && plain && Object.keys(options).length === 0) return currentInit;
  const p = Promise.resolve()
    .then(() => loadRuntime(loader, options, "init"))
    .then((rt) => {
      defaultRuntime = rt;
      return { simd: rt.simd, isa: rt.isaName, version: rt.version };
    });
  currentInit = p;
  p.catch(() => {
    if (currentInit === p) currentInit = null;
  });
  return p;
}

/**
 * An independent instance of a build ({ simd } as in init), not made the
 * default: { simd, isa, GaussianReg, HeapArray, heapUsed(), memoryBytes() }.
 * Objects of one instance cannot be passed to another.
 */
export async function loadWith(loader, options = {}) {
  return moduleInfo(await loadRuntime(loader, options, "load"));
}

/** Bytes of the default instance's wasm heap in use (for leak checks). */
export function heapUsed() {
  return needRuntime(undefined, "heapUsed()").x.gr_heap_used();
}

/** true when this engine validates wasm simd128 (what init() picks by default). */
export function hasSimd() {
  return simdSupported();
}

export const version = VERSION;

// The bytes of a base64 text (the inline entries' embedded builds).
function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

// For the entries (inline.js, lua-inline.js) and lua-core.js (the
// "gaussianreg/lua" entries), which load their modules the same way; not part
// of the package's API (no entry re-exports them).
export { compile as compileWasm, fromBase64, isWasmSource, simdSupported, typeName };
