// Without the DOM lib and without @types/node (--lib es2022): the .d.ts must
// still compile on its own.
import { GaussianReg, init, type InitInfo } from "gaussianreg";

const info: InitInfo = await init({ wasm: new Uint8Array(8) });
const reg = new GaussianReg({ mean: 0, std: 1 });
export const loss: number = reg.loss(info.simd ? [1] : 1);
reg.dispose();
