// The README's example through require() (CommonJS, Node >= 20.19).
const { GaussianReg, init } = require("gaussianreg");

init().then((info) => {
  const reg = new GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 42 });
  console.log(JSON.stringify({ ...info, loss: reg.loss([0.5, -0.5]) }));
});
