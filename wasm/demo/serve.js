// A small static file server for the demo (no dependencies): serves wasm/
// (so /demo/ and /dist/ are both reachable) on 127.0.0.1 and prints the URL.
//
//   node wasm/demo/serve.js [port]      (port 0 or GAUSSREG_DEMO_PORT=0: any free port)
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server; resolves to { server, url }. */
export function startServer({ port = 8077, host = "127.0.0.1", root = ROOT, log = false } = {}) {
  const server = createServer(async (req, res) => {
    const send = (code, body, type = "text/plain; charset=utf-8", extra = {}) => {
      res.writeHead(code, { "content-type": type, ...extra });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return send(400, "bad request\n");
    }
    if (path === "/" || path === "/demo") return send(302, "", undefined, { location: "/demo/" });
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return send(403, "forbidden\n");
    try {
      const st = await stat(file);
      if (!st.isFile()) return send(404, "not found\n");
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": st.size,
        "cache-control": "no-cache",
      });
      if (req.method === "HEAD") return res.end();
      createReadStream(file).pipe(res);
      if (log) console.log(`200 ${path}`);
    } catch {
      if (log) console.log(`404 ${path}`);
      send(404, "not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ server, url: `http://${host}:${p}/demo/` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.argv[2] ?? process.env.GAUSSREG_DEMO_PORT ?? 8077);
  const { url } = await startServer({ port });
  console.log(`gaussianreg demo: ${url}   (Ctrl-C to stop)`);
}
