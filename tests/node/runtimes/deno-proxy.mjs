// Run by Deno (tests/node/runtimes.test.mjs starts it): createProxy's handler given to Deno's own
// HTTP server as is, an SmmClient without a key through it, and the raw answer checked for the key.
const env = (name) => Deno.env.get(name) ?? "";
const { SmmClient } = await import(env("SMM_PKG_ENTRY"));
const { createProxy } = await import(env("SMM_PROXY_ENTRY"));
const handle = createProxy({ apiUrl: env("SMM_SIM_URL"), key: env("SMM_KEY") });
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handle);
const url = `http://127.0.0.1:${server.addr.port}/api/v2`;
const balance = await new SmmClient({ apiUrl: url }).balance();
const raw = await (await fetch(url, { method: "POST", body: new URLSearchParams({ action: "balance" }) })).text();
let refused;
try {
  await new SmmClient({ apiUrl: url }).addOrder({ service: 101, link: "https://instagram.com/p/deno", quantity: 100 });
} catch (error) {
  refused = { code: error.code, status: error.status };
}
console.log(JSON.stringify({ runtime: `deno ${Deno.version.deno}`, balance, refused, keyInAnswer: raw.includes(env("SMM_KEY")) }));
await server.shutdown();
