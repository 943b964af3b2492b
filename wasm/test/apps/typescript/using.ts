// With a lib that has Symbol.dispose (esnext.disposable), `using` accepts the
// package's objects: compiled with --lib es2022,esnext.disposable,dom.
import { GaussianReg, HeapArray, init } from "gaussianreg";

await init();
export function lossOnce(values: number[]): number {
  using reg = new GaussianReg({ mean: 0, std: 1, weight: 0.01 });
  using h = HeapArray.from(values);
  return reg.loss(h);
}
