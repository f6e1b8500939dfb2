// A Node server for the demo's proxy mode and the proxy tests: serves a folder and, at
// /api/v2, the SDK's createProxy() in front of a panel. The key stays in this process.
//
//   SMM_KEY=KEY node scripts/proxy-server.mjs --panel URL [--static DIR] [--port N]
//        [--port-file FILE] [--allow ACTION,...] [--origins ORIGIN,...]
// The key comes from the environment, not the command line, where any user could read it in
// the process list.
import http from "node:http";
import { Readable } from "node:stream";
import { readFile, writeFile, rename } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const { createProxy } = await import(join(here, "..", "pkg", "proxy-node.js"));

/** Node's request → a Fetch API Request whose body streams in as the handler reads it: Node reads
 * from the socket only as far as the handler asks, so the proxy's limits bound what this process
 * reads. */
export function toFetchRequest(req, origin) {
  const hasBody = !["GET", "HEAD"].includes(req.method ?? "GET");
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v]) : [[name, value ?? ""]])),
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: "half",
  });
}

/** A Fetch API Response → Node's response. When the handler answered before the request's body
 * ended (refused as too large or too slow), the connection is closed once the answer is out:
 * Node would otherwise read the rest to reuse the connection — forever, for an endless upload. */
export async function sendFetchResponse(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  const unfinished = !res.req.complete;
  // The response's: a request whose body stream was cancelled is destroyed and has let go of it.
  const { socket } = res;
  const headers = Object.fromEntries(response.headers);
  if (unfinished) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(body, () => {
    if (unfinished) socket?.destroy();
  });
}

const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png" };

/** Starts the server; resolves to { url, close, httpServer }. `limits` are createProxy's
 * maxBodyBytes, maxFields, maxFieldBytes and bodyTimeoutMs. */
export async function startProxyServer({ panel, key, staticDir, port = 0, allowedActions, allowedOrigins, rateLimit, host = "127.0.0.1", ...limits }) {
  const handle = createProxy({ apiUrl: panel, key, allowedActions, allowedOrigins, rateLimit, ...limits });
  const root = staticDir ? resolve(staticDir) : undefined;
  const server = http.createServer(async (req, res) => {
    try {
      const origin = `http://${req.headers.host ?? host}`;
      const path = new URL(req.url ?? "/", origin).pathname;
      if (path === "/api/v2") return await sendFetchResponse(res, await handle(toFetchRequest(req, origin)));
      if (!root || req.method !== "GET") return void res.writeHead(404).end();
      const file = normalize(join(root, decodeURIComponent(path === "/" ? "/index.html" : path)));
      if (!file.startsWith(root)) return void res.writeHead(404).end();
      const body = await readFile(file).catch(() => undefined);
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise((ok) => server.listen(port, host, ok));
  const url = `http://${host}:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)), httpServer: server };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
  const list = (value) => value?.split(",").map((s) => s.trim()).filter(Boolean);
  const server = await startProxyServer({
    panel: args.panel, key: process.env.SMM_KEY, staticDir: args.static, port: Number(args.port ?? 0),
    allowedActions: list(args.allow), allowedOrigins: list(args.origins),
  });
  console.log(`smm proxy listening on ${server.url}`);
  if (args["port-file"]) {
    await writeFile(`${args["port-file"]}.tmp`, String(new URL(server.url).port));
    await rename(`${args["port-file"]}.tmp`, args["port-file"]);
  }
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close().then(() => process.exit(0)));
}
