// Type test of the published index.d.ts (issue 10): every export and member
// used once with the result type checked exactly, and misuse that must not
// compile marked with @ts-expect-error (tsc fails if such a line compiles).
// Compiled by wasm/test/apps/apps.test.js against the packed tarball with
// tsc --strict --target es2022 (TypeScript 5 and 7; --module nodenext, and
// --module esnext --moduleResolution bundler); never run.
import {
  GaussianReg,
  HeapArray,
  hasSimd,
  heapUsed,
  init,
  load,
  version,
  type Dtype,
  type Hyper,
  type HyperGrad,
  type InitInfo,
  type LoadedModule,
  type LogMode,
  type NestedArray,
  type Shaped,
  type Value,
  type WasmSource,
} from "gaussianreg";
import * as inline from "gaussianreg/inline";

// Equal<A, B> is true only when A and B are the same type.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(_proof: Equal<A, B>): void {}

const info = await init();
same<typeof info, InitInfo>(true);
same<typeof info.simd, boolean>(true);
await init({ simd: false });
const sources: WasmSource[] = ["./gaussreg.wasm", new URL("https://example.invalid/g.wasm"), new Uint8Array(8),
  new ArrayBuffer(8), fetch("./gaussreg.wasm")];
await init({ wasm: sources[0] });
const mod = await load({ simd: true });
same<typeof mod, LoadedModule>(true);
same<ReturnType<typeof mod.heapUsed>, number>(true);
const scalar = new mod.GaussianReg({ mean: 0, std: 1 });
same<typeof scalar, GaussianReg>(true);
same<typeof version, string>(true);
same<ReturnType<typeof hasSimd>, boolean>(true);
same<ReturnType<typeof heapUsed>, number>(true);
same<typeof inline.init, typeof init>(true);
same<typeof inline.GaussianReg, typeof GaussianReg>(true);

const reg = new GaussianReg({ mean: 0, std: 1, weight: 0.01, fitHyper: false, seed: 42, logMode: "per_precision" });
new GaussianReg({ mean: [[0], [1]], std: new Float32Array([1, 2]), seed: 2n ** 63n, logMode: "per_element" });
new GaussianReg({ mean: { data: [0, 1], shape: [2, 1] }, std: HeapArray.from([1, 2]) });

// results typed after the input
const l = reg.loss([0.5, -0.5]);
same<typeof l, number>(true);
const g1 = reg.grad(0.5);
same<typeof g1, number>(true);
const g64 = reg.grad(new Float64Array([0.5, -0.5]));
same<typeof g64, Float64Array>(true);
const g32 = reg.grad(new Float32Array([0.5, -0.5]));
same<typeof g32, Float32Array>(true);
const gNested = reg.grad([[0.5], [-0.5]]);
same<typeof gNested, NestedArray>(true);
const gShaped = reg.grad({ data: [1, 2, 3, 4], shape: [2, 2] });
same<typeof gShaped, Shaped<Float64Array>>(true);
const gShaped32 = reg.grad({ data: new Float32Array(4), shape: [2, 2] });
same<typeof gShaped32, Shaped<Float32Array>>(true);
const h = new HeapArray([2, 2]);
const gHeap = reg.grad(h);
same<typeof gHeap, HeapArray>(true);
const gOut = reg.grad([1, 2, 3, 4], new HeapArray(4, "float32"));
same<typeof gOut, HeapArray>(true);
const lg = reg.lossAndGrad(new Float32Array(2));
same<typeof lg, { loss: number; grad: Float32Array }>(true);
const lgOut = reg.lossAndGrad(h, h);
same<typeof lgOut, { loss: number; grad: HeapArray }>(true);
const anyValue: Value = Math.random() > 0.5 ? 1 : [1];
const gAny = reg.grad(anyValue);
same<typeof gAny, number | NestedArray>(true);
const draws = reg.sampleInit([2, 3] as const);
same<typeof draws, Float64Array>(true);
const drawsOut = reg.sampleInit(4, new HeapArray(4));
same<typeof drawsOut, HeapArray>(true);
same<ReturnType<typeof reg.sampleShape>, number[]>(true);
same<ReturnType<typeof reg.resetValue>, Hyper>(true);
same<ReturnType<typeof reg.state>, Uint8Array>(true);
reg.seed(7);
reg.seed(7n);
const restored = GaussianReg.fromState(reg.state());
GaussianReg.fromState(reg.state().buffer);
GaussianReg.fromState(new SharedArrayBuffer(8));

// hyperparameters: read as Hyper, assigned any Value
const fit = new GaussianReg({ mean: [0, 1], std: 1, fitHyper: true });
const hg = fit.hyperGrad([1, 2]);
same<typeof hg, HyperGrad>(true);
same<typeof hg.weight, number>(true);
const m = fit.mean;
same<typeof m, Hyper>(true);
fit.mean = h;
fit.precision = { data: new Float64Array(2), shape: [2] };
fit.weight = 0.5;
fit.logMode = "per_element";
const mode: LogMode = fit.logMode;
const isa: string = fit.isa;
fit.isa = "scalar";
const fixed: boolean = fit.fitHyper;
new GaussianReg({ mean: 0, std: 1, threads: 0 });
same<typeof fit.threads, 1>(true);

// HeapArray
const h32 = new HeapArray(3, "float32");
const dtype: Dtype = h32.dtype;
const view = h32.array;
same<typeof view, Float64Array | Float32Array>(true);
same<typeof h32.shape, number[]>(true);
const total: number = h32.length + h32.byteOffset;
const copied = HeapArray.from([1, 2, 3], "float64");
same<typeof copied, HeapArray>(true);

// disposal, with or without a lib that knows Symbol.dispose
const disposed: boolean = reg.isDisposed || h.isDisposed;
reg[Symbol.dispose]();
h[Symbol.dispose]();
for (const o of [restored, fit, h32, copied, scalar]) o.dispose();
const text: string = `${String(reg)} ${String(h)}`;

// misuse
// @ts-expect-error mean is required
new GaussianReg({ std: 1 });
// @ts-expect-error no option "stdev"
new GaussianReg({ mean: 0, std: 1, stdev: 2 });
// @ts-expect-error seed is a number or a bigint
new GaussianReg({ mean: 0, std: 1, seed: "1" });
// @ts-expect-error log modes are "per_precision" and "per_element"
reg.logMode = "per_sample";
// @ts-expect-error strings are not values
reg.loss("0.5");
// @ts-expect-error an Int32Array is not a value
reg.loss(new Int32Array(2));
// @ts-expect-error out is a HeapArray
reg.grad([1, 2], new Float64Array(2));
// @ts-expect-error a loss is a number
const notString: string = reg.loss(1);
// @ts-expect-error the gradient of a Float32Array is a Float32Array
const notF64: Float64Array = reg.grad(new Float32Array(2));
// @ts-expect-error the gradient of a number is a number
const notArray: number[] = reg.grad(1);
// @ts-expect-error fitHyper is read-only
reg.fitHyper = true;
// @ts-expect-error the WebAssembly build has one thread
new GaussianReg({ mean: 0, std: 1, threads: 2 });
// @ts-expect-error threads is read-only
reg.threads = 1;
// @ts-expect-error dtypes are "float64" and "float32"
new HeapArray(3, "int8");
// @ts-expect-error HeapArray.array is read-only
h.array = new Float64Array(4);
// @ts-expect-error simd is a boolean
await init({ simd: "yes" });
// @ts-expect-error no option "wasmPath"
await init({ wasmPath: "x" });
// @ts-expect-error null is not a wasm source (a number cannot be refused: lib.dom's WebAssembly.Module is an empty interface)
await init({ wasm: null });

export { dtype, disposed, fixed, isa, mode, notArray, notF64, notString, text, total };
