// Bun, started by check.mjs: Bun.serve with createProxy (adding SMM_PROXY_KEY, forwarding to the
// panel at SMM_API_URL), then the client's own calls with SMM_KEY. Prints one JSON line (the
// outcome and the proxy's URL), then serves the proxy until the check, done calling through it,
// stops the process.
import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import { createProxy } from "smm-panel-sdk/proxy";
import { exercise } from "../shared/exercise.js";

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: createProxy({ apiUrl: process.env.SMM_API_URL, key: process.env.SMM_PROXY_KEY }),
});

const resolved = { client: import.meta.resolve("smm-panel-sdk"), proxy: import.meta.resolve("smm-panel-sdk/proxy") };
let outcome;
try {
  const result = await exercise({ SmmClient, SmmError, validateOrder }, { apiUrl: process.env.SMM_API_URL, key: process.env.SMM_KEY });
  outcome = { ok: true, result };
} catch (error) {
  outcome = { ok: false, error: `${error?.name}: ${error?.message} (${error?.code})` };
}
console.log(JSON.stringify({ ...outcome, resolved, version: Bun.version, proxyUrl: new URL("/api/v2", server.url).href }));
