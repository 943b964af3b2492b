// Types of "gaussianreg/lua" (every entry: lua.js, lua-node.js, lua-inline.js):
// Lua 5.4 with the gaussianreg module, compiled to WebAssembly. Self-contained
// like index.d.ts: no @types/node, no DOM lib needed.

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

/** Where a build's .wasm comes from (as for the JS package's init({ wasm })). */
export type LuaWasmSource =
  | string
  | URL
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module
  | Response
  | PromiseLike<Response>;

export interface CreateLuaOptions {
  /** true / false: the SIMD or the scalar build (default: SIMD where the engine validates simd128). */
  simd?: boolean;
  /** The module to use instead of the package's gaussreg-lua[-simd].wasm. */
  wasm?: LuaWasmSource;
  /** Called with each piece of output as it is written (print, io.write, io.stderr:write). */
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

export interface RunOptions {
  /** Chunk name in messages: "input" gives "input:3: ..." (default "input"). */
  name?: string;
  /** The script's ... and arg[1..n]. */
  args?: readonly string[];
  /**
   * Milliseconds after which the script is stopped with the error "time limit exceeded"
   * (checked every 10,000 Lua instructions; 0, the default, means none). A script can
   * catch that error with pcall: run untrusted code in a Worker you can terminate.
   */
  timeLimit?: number;
  /** Append a stack traceback to the error message (default false). */
  traceback?: boolean;
}

export interface RunResult {
  /** false when the chunk did not compile or raised an error, or os.exit gave a non-zero status. */
  ok: boolean;
  /** Everything written to stdout and stderr during the run, in order. */
  output: string;
  /** The error message, with the chunk name and line ("input:3: attempt to ..."), or null. */
  error: string | null;
  /** Set when the script called os.exit; the state is closed afterwards. */
  exitCode?: number;
}

/** An isolated Lua 5.4 state (its own wasm instance) with gaussianreg preloaded. */
export declare class Lua {
  private constructor();
  /** true for the SIMD build. */
  readonly simd: boolean;
  /** true after close(), os.exit, or a failure that stopped the instance. */
  readonly isClosed: boolean;
  /** Runs a chunk of Lua code; globals persist between runs. */
  run(code: string | Uint8Array, options?: RunOptions): RunResult;
  /** Frees the state and its instance; idempotent. */
  close(): void;
  [Symbol.dispose](): void;
}

/** Thrown through the wasm by os.exit; run() turns it into RunResult.exitCode. */
export declare class LuaExit extends Error {
  readonly code: number;
}

/** A new Lua state: compiles the module once per build, then instantiates it for each state. */
export declare function createLua(options?: CreateLuaOptions): Promise<Lua>;

/** true when this engine validates wasm simd128 (what createLua() picks by default). */
export declare function hasSimd(): boolean;

/** The library's version. */
export declare const version: string;

