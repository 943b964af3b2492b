#!/bin/sh
# pack-install.sh DIR -- `npm pack` the package in wasm/, install the tarball
# into an empty project under DIR with the network disabled, and use it from
# there (both builds, a state round trip, the .wasm subpath exports, the
# gaussianreg/lua entry).
set -eu
dir=${1:?usage: pack-install.sh DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dir"
mkdir -p "$dir/app"
tarball=$(cd "$here" && npm pack --silent --pack-destination "$dir")
echo "pack-install: $tarball: $(tar -tzf "$dir/$tarball" | tr '\n' ' ')"
cd "$dir/app"
echo '{"name":"app","private":true,"type":"module"}' >package.json
npm install --offline --no-audit --no-fund --loglevel=error "../$tarball"
cat >check.mjs <<'JS'
import { init, load, GaussianReg } from "gaussianreg";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
const info = await init();
if (!info.simd) throw new Error("expected the SIMD build in Node");
const reg = new GaussianReg({ mean: 0, std: 1, weight: 0.01, seed: 42 });
const loss = reg.loss([0.5, -0.5]);
if (Math.abs(loss - 0.0049999950500049) > 1e-17) throw new Error(`loss ${loss}`);
const scalar = await load({ simd: false });
const other = scalar.GaussianReg.fromState(reg.state());
const a = reg.sampleInit(8), b = other.sampleInit(8);
if (a.some((v, i) => v !== b[i])) throw new Error("builds disagree");
const req = createRequire(import.meta.url);
for (const f of ["gaussianreg/gaussreg.wasm", "gaussianreg/gaussreg-simd.wasm", "gaussianreg/package.json"]) {
  if (!existsSync(req.resolve(f))) throw new Error(`missing ${f}`);
}
const { createLua } = await import("gaussianreg/lua");
const lua = await createLua();
const r = lua.run("print(require('gaussianreg').new(0, 1, 0.01):loss({ 0.5, -0.5 }))");
if (r.output !== `${loss}\n`) throw new Error(`gaussianreg/lua printed ${JSON.stringify(r)}`);
lua.close();
if (!existsSync(req.resolve("gaussianreg/package.json").replace(/package\.json$/, "dist/gaussianreg-lua.js"))) {
  throw new Error("missing the gaussianreg-lua command");
}
console.log(`pack-install: installed package works offline (simd=${info.simd}, loss=${loss}; gaussianreg/lua too)`);
JS
node check.mjs
