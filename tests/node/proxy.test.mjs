// createProxy in Node 20 behind a real HTTP server, in front of the simulator: an SmmClient with
// no key works through it, writes are refused unless allowed, origins and the rate limit are
// enforced, requests are checked before they cost money, and no answer contains the key.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simControl, simOrigin } from "../support/sim.mjs";
import { startProxyServer } from "../../scripts/proxy-server.mjs";

const { SmmClient, SmmError } = await import("smm-panel-sdk");
// The server entry: a module of its own, with its own SmmError class.
const { createProxy, SmmError: ProxySmmError, isSmmError } = await import("smm-panel-sdk/proxy");
const panel = `${simOrigin()}/api/v2`;
const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function proxyFor(key, options = {}) {
  const server = await startProxyServer({ panel, key, ...options });
  servers.push(server);
  return server;
}

/** Every answer the proxy gives, as raw text, checked for the key. */
async function raw(server, key, body, headers = {}, method = "POST") {
  const res = await fetch(`${server.url}/api/v2`, {
    method,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: method === "POST" ? body : undefined,
  });
  const text = await res.text();
  assert.ok(!text.includes(key), `the key leaked into an answer: ${text}`);
  for (const [name, value] of res.headers) assert.ok(!value.includes(key), `the key leaked into header ${name}`);
  return { status: res.status, text, headers: res.headers };
}

test("an SmmClient without a key works through the proxy", async () => {
  const key = await createAccount("21.50000");
  const server = await proxyFor(key);
  const client = new SmmClient({ apiUrl: `${server.url}/api/v2` });
  assert.deepEqual(await client.balance(), { balance: "21.50000", currency: "USD" });
  assert.equal((await client.services()).length, 42);
  const journal = await simControl("GET", `journal?key=${key}`);
  assert.equal(journal.length, 2);
  for (const entry of journal) {
    assert.equal(entry.body[0][0], "key");
    assert.ok(entry.body[0][1].endsWith(key.slice(-2)), "the proxy added the server's key");
  }
});

test("writes are refused unless allowed, and checked before they cost money", async () => {
  const key = await createAccount("50");
  const readOnly = await proxyFor(key);
  const order = { service: 101, link: "https://instagram.com/p/via-proxy", quantity: 100 };
  await assert.rejects(new SmmClient({ apiUrl: `${readOnly.url}/api/v2` }).addOrder(order), (error) => {
    assert.ok(error instanceof SmmError);
    assert.deepEqual([error.code, error.status, error.apiMessage], ["api", 403, 'The action "add" is not allowed by this proxy']);
    return true;
  });
  const shop = await proxyFor(key, { allowedActions: ["services", "balance", "add", "status"] });
  const placed = await new SmmClient({ apiUrl: `${shop.url}/api/v2` }).addOrder(order);
  assert.equal(placed.type, "normal");
  // A caller that is not the SDK gets the SDK's checks anyway.
  const junk = await raw(shop, key, "action=add&service=101&link=https%3A%2F%2Fx&quantity=1.5");
  assert.equal(junk.status, 400);
  assert.match(JSON.parse(junk.text).error, /quantity must be a positive whole number/);
  const stray = await raw(shop, key, "action=add&service=101&link=https%3A%2F%2Fx&quantity=100&coupon=FREE");
  assert.equal(stray.status, 400);
  const refill = await raw(shop, key, `action=refill&order=${placed.order}`);
  assert.equal(refill.status, 403);
  const adds = await simControl("GET", `journal?key=${key}&action=add`);
  assert.equal(adds.length, 1, "only the allowed, valid order reached the panel");
});

test("CORS only for allowed origins; same-origin and server callers need none", async () => {
  const key = await createAccount("1");
  const server = await proxyFor(key, { allowedOrigins: ["https://shop.example"] });
  const allowed = await raw(server, key, "action=balance", { origin: "https://shop.example" });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get("access-control-allow-origin"), "https://shop.example");
  const evil = await raw(server, key, "action=balance", { origin: "https://evil.example" });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  const preflight = await fetch(`${server.url}/api/v2`, { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST" } });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  const sameOrigin = await raw(server, key, "action=balance", { origin: server.url });
  assert.equal(sameOrigin.status, 200);
  assert.equal((await raw(server, key, "", {}, "GET")).status, 405);
});

test("the rate limit answers 429, and a key the panel echoes is redacted", async () => {
  const key = await createAccount("1");
  const server = await proxyFor(key, { rateLimit: { requests: 2, perMs: 60000 } });
  const client = new SmmClient({ apiUrl: `${server.url}/api/v2`, maxRetries: 0 });
  await client.balance();
  await client.balance();
  await assert.rejects(client.balance(), (error) => error.code === "api" && error.status === 429);
  assert.equal((await simControl("GET", `journal?key=${key}`)).length, 2, "the refused call never reached the panel");

  const echoing = await proxyFor(key);
  await simControl("POST", "faults", { fault: "status", status: 200, body: JSON.stringify({ error: `Invalid API key ${key}` }), key });
  const echoed = await raw(echoing, key, "action=balance");
  assert.deepEqual(JSON.parse(echoed.text), { error: "Invalid API key [redacted]" });
});

test("bad proxy options throw an SmmError without the key", () => {
  // The proxy entry's own SmmError class; isSmmError of either entry knows it.
  assert.throws(() => createProxy({ apiUrl: "ftp://panel.example", key: "k-secret-1" }), (error) =>
    error instanceof ProxySmmError && isSmmError(error) && error.field === "apiUrl" && !JSON.stringify({ ...error, m: error.message }).includes("k-secret-1"));
  assert.notEqual(ProxySmmError, SmmError, "two modules, two classes");
  assert.throws(() => createProxy({ apiUrl: panel }), (error) => error.field === "key");
  assert.throws(() => createProxy({ apiUrl: panel, key: "k", allowedActions: ["buy"] }), (error) => error.field === "allowedActions");
});
