// Type test of lua.d.ts ("gaussianreg/lua" and "gaussianreg/lua/inline"):
// every export used with its result type checked exactly, misuse marked
// with @ts-expect-error. Compiled like usage.ts (never run); also under
// --lib es2022 alone (no DOM lib, no @types/node).
import {
  Lua,
  LuaExit,
  createLua,
  hasSimd,
  version,
  type CreateLuaOptions,
  type LuaWasmSource,
  type RunOptions,
  type RunResult,
} from "gaussianreg/lua";
import * as inline from "gaussianreg/lua/inline";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(_proof: Equal<A, B>): void {}

const options: CreateLuaOptions = {
  simd: hasSimd(),
  onOutput: (text, stream) => {
    same<typeof text, string>(true);
    same<typeof stream, "stdout" | "stderr">(true);
  },
};
const lua = await createLua(options);
same<typeof lua, Lua>(true);
const runOptions: RunOptions = { name: "cell", args: ["a"], timeLimit: 100, traceback: true };
const r = lua.run('print(require("gaussianreg").isa())', runOptions);
same<typeof r, RunResult>(true);
same<typeof r.ok, boolean>(true);
same<typeof r.output, string>(true);
same<typeof r.error, string | null>(true);
same<typeof r.exitCode, number | undefined>(true);
const fromBytes = lua.run(new Uint8Array(0));
same<typeof fromBytes, RunResult>(true);
same<typeof lua.simd, boolean>(true);
same<typeof lua.isClosed, boolean>(true);
same<typeof version, string>(true);
const source: LuaWasmSource = new Uint8Array(8);
await inline.createLua({ wasm: source, simd: false });
const exit = new Error() as LuaExit;
same<typeof exit.code, number>(true);
lua.close();
lua[Symbol.dispose]();

// @ts-expect-error code is a string or bytes
lua.run(42);
// @ts-expect-error unknown run option
lua.run("", { timelimit: 1 });
// @ts-expect-error simd is a boolean
await createLua({ simd: "yes" });
// @ts-expect-error a state comes from createLua()
new Lua();
// @ts-expect-error read-only
lua.simd = true;
