// Rollup's usual browser setup: node-resolve finds packages in node_modules.
// Rollup does not emit new URL(..., import.meta.url) assets, so the app
// imports "gaussianreg/inline" (the README's one-line recipe for Rollup).
import { nodeResolve } from "@rollup/plugin-node-resolve";

export default {
  input: "src/main.js",
  output: { dir: "dist", format: "es" },
  plugins: [nodeResolve({ browser: true })],
};
