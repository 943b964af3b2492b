// Type declarations for gaussianreg: a Gaussian-prior regularizer
// (brainstate.nn.GaussianReg) compiled from C to WebAssembly. One file for
// every entry ("gaussianreg" in Node, browsers and bundlers, and
// "gaussianreg/inline"): they export the same API.
//
// Self-contained: no @types/node, no DOM lib and no esnext lib needed. The
// global declarations below only merge with the ones a lib may already have.
declare global {
  interface SymbolConstructor {
    /** The well-known symbol of `using` (TC39 explicit resource management). */
    readonly dispose: unique symbol;
  }
  // Declared by the DOM lib and by @types/node; empty here otherwise.
  interface URL {}
  interface Response {}
  namespace WebAssembly {
    interface Module {}
  }
}

/**
 * Where a .wasm file comes from: a URL (fetched; in Node a file: URL is read),
 * a path (Node), its bytes, a compiled module, or a fetch Response (compiled
 * while it downloads when served as application/wasm) or a Promise of one.
 */
export type WasmSource =
  | string
  | URL
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module
  | Response
  | PromiseLike<Response>;

export interface InitOptions {
  /**
   * Force the SIMD build (true) or the scalar build (false). Default: the SIMD
   * build when `WebAssembly.validate` accepts a tiny simd128 module.
   */
  simd?: boolean;
  /**
   * The module to load instead of the package's own `gaussreg-simd.wasm` /
   * `gaussreg.wasm` (which Node reads from disk, browsers fetch from where
   * the bundler put them, and "gaussianreg/inline" carries embedded). Either
   * build; the resolved `simd` says which one it is.
   */
  wasm?: WasmSource;
}

export interface InitInfo {
  /** true when the running module is the -msimd128 build. */
  simd: boolean;
  /** The best kernel instruction set of that build: "wasm128" or "scalar". */
  isa: string;
  /** The C core's version (gaussreg_version()), the same as `version`. */
  version: string;
}

/**
 * Loads the module and makes it the default for `GaussianReg` and
 * `HeapArray`. Memoized: later calls without options return the same
 * Promise; `init({ simd })` switches the default to that build (objects
 * made before keep working on their own instance).
 */
export function init(options?: InitOptions): Promise<InitInfo>;

/** An independent instance of one build, with its own classes and heap. */
export interface LoadedModule extends InitInfo {
  GaussianReg: typeof GaussianReg;
  HeapArray: typeof HeapArray;
  /** Bytes of this instance's wasm heap in use (malloc's count). */
  heapUsed(): number;
  /** Size of this instance's linear memory in bytes. */
  memoryBytes(): number;
}

/** Loads an independent instance (not the default); objects cannot cross instances. */
export function load(options?: InitOptions): Promise<LoadedModule>;

/** Bytes of the default instance's wasm heap in use (for leak checks). */
export function heapUsed(): number;

/** true when this engine validates wasm simd128. */
export function hasSimd(): boolean;

/** The package version: the C core's GAUSSREG_VERSION_STRING. */
export const version: string;

export type Dtype = "float64" | "float32";
export type LogMode = "per_precision" | "per_element";
/** A dimension or the dimensions of a shape (`[]`: a scalar). */
export type Shape = number | readonly number[];

/** A nested array of numbers (rectangular, at most 8 levels). */
export type NestedArray = number[] | NestedArray[];

/** `{ data, shape }`: row-major data with an explicit shape. */
export interface Shaped<T = Float64Array | Float32Array | number[]> {
  data: T;
  shape: number[];
}

/**
 * Any accepted value: a number, a (nested) number array, a Float64Array or
 * Float32Array (1-d), `{ data, shape }`, or a HeapArray (no copy).
 */
export type Value = number | NestedArray | Float64Array | Float32Array | Shaped | HeapArray;

/**
 * The result form that corresponds to an input form: number -> number,
 * Float64Array -> Float64Array, Float32Array -> Float32Array, nested array ->
 * nested array, `{ data, shape }` -> `{ data, shape }` (Float32Array data stays
 * float32, anything else becomes Float64Array), HeapArray -> HeapArray.
 */
export type Like<V> = V extends number
  ? number
  : V extends HeapArray
  ? HeapArray
  : V extends Float32Array
  ? Float32Array
  : V extends Float64Array
  ? Float64Array
  : V extends Shaped<Float32Array>
  ? Shaped<Float32Array>
  : V extends Shaped
  ? Shaped<Float64Array>
  : V extends NestedArray
  ? NestedArray
  : Value;

/** A hyperparameter as returned by the getters: the form it was given in (number when scalar). */
export type Hyper = number | NestedArray | Float64Array | Float32Array | Shaped;

/**
 * A block of wasm memory holding a C-contiguous array: the zero-copy path.
 * Requires `await init()` (or use `LoadedModule.HeapArray`).
 */
export class HeapArray {
  /** Zero-filled array of the given shape and dtype (default "float64"). */
  constructor(shape: Shape, dtype?: Dtype);
  /** A HeapArray holding a copy of values (dtype: that of the values unless given). */
  static from(values: Value, dtype?: Dtype): HeapArray;
  /** A fresh typed-array view, re-derived from the current memory buffer on every access. */
  readonly array: Float64Array | Float32Array;
  readonly shape: number[];
  readonly dtype: Dtype;
  /** Number of elements. */
  readonly length: number;
  /** Address in wasm memory (0 once disposed). */
  readonly byteOffset: number;
  readonly isDisposed: boolean;
  /** Frees the block; idempotent. */
  dispose(): void;
  /** The same as dispose(), for `using` (where the runtime supports it). */
  [Symbol.dispose](): void;
  /** `HeapArray(shape=(2,3), dtype=float64)`. */
  toString(): string;
}

export interface GaussianRegOptions {
  /** The prior mean (required). Finite values. */
  mean: Value;
  /** The prior standard deviation (required). Finite values >= 0; stored as precision = 1/(std^2+1e-8). */
  std: Value;
  /** Scale of the loss (default 1). */
  weight?: number;
  /** Allow mean/precision/weight to be set and `hyperGrad` (default false). */
  fitHyper?: boolean;
  /** Seed of the object's generator, integer in [0, 2^64) (default 0). */
  seed?: number | bigint;
  /**
   * "per_precision" (default, brainstate): the log term counts each precision
   * element once; "per_element": once per broadcast element (the full
   * diagonal-Gaussian negative log-likelihood up to constants).
   */
  logMode?: LogMode;
  /**
   * 0 or 1 (default): the WebAssembly build runs on one thread (WebAssembly
   * threads need a cross-origin-isolated page); anything else is a
   * RangeError. The C library and the Lua module split large calls across
   * threads; their results are the same bits.
   */
  threads?: 0 | 1;
}

export interface HyperGrad {
  /** dL/dmean, in the mean's form. */
  mean: Hyper;
  /** dL/dprecision (0 where precision <= 0), in the precision's form. */
  precision: Hyper;
  /** dL/dweight. */
  weight: number;
}

/**
 * loss(x) = weight * ( sum_B prec*(x-mean)^2 - c * sum_P log(prec) ),
 * prec = relu(precision) + 1e-6, numpy broadcasting between x, mean and
 * precision; c = 1 ("per_precision") or numel(B)/numel(P) ("per_element").
 *
 * Errors are TypeError / RangeError reading like the Lua module's:
 * `bad argument #1 to 'loss' (shape (4,3) does not broadcast with mean shape (2))`.
 */
export class GaussianReg {
  constructor(options: GaussianRegOptions);
  /** Restores an object from `state()` bytes (the same format as the C and Lua modules). */
  static fromState(bytes: Uint8Array | ArrayBufferLike): GaussianReg;

  /** The loss of x. */
  loss(x: Value): number;
  /** dL/dx, shaped and formed like x (a HeapArray for a HeapArray). */
  grad<V extends Value>(x: V): Like<V>;
  /** dL/dx written into `out` (any dtype, x's shape; may be x itself); returns `out`. */
  grad(x: Value, out: HeapArray): HeapArray;
  /** Loss and gradient in one pass over memory. */
  lossAndGrad<V extends Value>(x: V): { loss: number; grad: Like<V> };
  /** Loss and gradient, the gradient written into `out`. */
  lossAndGrad(x: Value, out: HeapArray): { loss: number; grad: HeapArray };
  /** Gradients with respect to the hyperparameters (fitHyper only, TypeError otherwise). */
  hyperGrad(x: Value): HyperGrad;
  /** The shape sampleInit(shape) returns: broadcast(shape, mean shape, precision shape). */
  sampleShape(shape: Shape): number[];
  /**
   * mean + std_eff * N(0,1) with std_eff = 1/sqrt(relu(precision)+1e-8), of
   * shape sampleShape(shape), row-major; fills and returns `out` when given.
   * Identical draws for the same seed in every build and in the C/Lua module.
   */
  sampleInit(shape: Shape): Float64Array;
  sampleInit(shape: Shape, out: HeapArray): HeapArray;
  /** A copy of the mean (a number when the mean is scalar). */
  resetValue(): Hyper;
  /** Reseeds this object's generator. */
  seed(n: number | bigint): void;
  /** Checkpoint bytes: hyperparameters, flags, log mode and generator state. */
  state(): Uint8Array;

  /** A copy of the mean, in the form it was given in (a number when scalar); assignable only when fitHyper. */
  get mean(): Hyper;
  set mean(value: Value);
  /** The stored precision 1/(std^2+1e-8), like `mean`; assignable only when fitHyper. */
  get precision(): Hyper;
  set precision(value: Value);
  /** The weight; assignable only when fitHyper. */
  weight: number;
  readonly fitHyper: boolean;
  /** Threads a call uses: always 1 in WebAssembly. */
  readonly threads: 1;
  /** The log-term mode; assignable whatever fitHyper is. */
  logMode: LogMode;
  /** The kernel instruction set in use ("wasm128" or "scalar"); assign to force one. */
  isa: string;

  readonly isDisposed: boolean;
  /** Frees the object's wasm memory; idempotent. Any later call throws TypeError. */
  dispose(): void;
  /** The same as dispose(), for `using` (where the runtime supports it). */
  [Symbol.dispose](): void;
  /** `GaussianReg(mean=0, std=1, weight=0.01, fitHyper=false)`, or `GaussianReg(disposed)`. */
  toString(): string;
}
