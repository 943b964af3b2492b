// The app every bundler test builds (copied to each app's entry file): the
// package README's example, then the scalar build too, shown on the page.
// Only the import line is about gaussianreg's packaging; nothing else is
// configured.
import { GaussianReg, init, load } from "gaussianreg";

const out = document.querySelector("#out");
try {
  const info = await init();
  const reg = new GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 42 });
  const scalar = await load({ simd: false });
  const other = new scalar.GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 42 });
  out.dataset.simd = String(info.simd);
  out.dataset.scalarLoss = String(other.loss([0.5, -0.5]));
  out.dataset.loss = String(reg.loss([0.5, -0.5]));
  out.textContent = `loss ${out.dataset.loss} (${info.isa}; scalar build ${out.dataset.scalarLoss})`;
} catch (e) {
  out.dataset.error = e.message;
  out.textContent = e.message;
}
