// Run by memory.test.js under --expose-gc: drops objects without dispose()
// and prints the heap before, with them alive, and after collection.
import { GaussianReg, HeapArray, heapUsed, init } from "../dist/node.js";

await init();
const before = heapUsed();
(() => {
  const keep = [];
  for (let i = 0; i < 2000; i++) {
    keep.push(new GaussianReg({ mean: new Float64Array(64), std: 1 }));
    keep.push(new HeapArray(100));
  }
  globalThis.leaked = heapUsed();
})();
let after = heapUsed();
for (let i = 0; i < 300 && after > before; i++) {
  globalThis.gc();
  await new Promise((r) => setTimeout(r, 20));
  after = heapUsed();
}
process.stdout.write(JSON.stringify({ before, leaked: globalThis.leaked, after }));
