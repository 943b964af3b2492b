// The README's example as a script for Node (ESM), Deno and Bun: prints one
// JSON line that the test checks. `node app.mjs inline` uses the inline entry.
const entry = process.argv[2] === "inline" ? "gaussianreg/inline" : "gaussianreg";
const { GaussianReg, init, load } = await import(entry);
const info = await init();
const reg = new GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 42 });
const scalar = await load({ simd: false });
const other = new scalar.GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 42 });
console.log(JSON.stringify({ ...info, loss: reg.loss([0.5, -0.5]), scalarLoss: other.loss([0.5, -0.5]),
  sameDraws: reg.sampleInit(8).join() === other.sampleInit(8).join() }));
