// The driver's own bookkeeping (src/wasm/driver.js over the core's exports), in Node with a
// custom fetch: what a watch sends after its client is gone, the options only JS can hold,
// a fetch that misbehaves, and what happens after free(). No panel is needed: every answer is
// made here by the fetch, on purpose.
import { test } from "node:test";
import assert from "node:assert/strict";

const { SmmClient, SmmError } = await import("smm-panel-sdk");

const json = (value) => new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });
/** A fetch that records every request (URL and body) and answers `answer(body)`. */
function recordingFetch(answer) {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push({ url: String(url), body: String(init.body) });
    return answer(new URLSearchParams(String(init.body)));
  };
  return { fetch, sent };
}
const running = (params) => json(Object.fromEntries(params.get("orders").split(",").map((id) => [id, { status: "In progress", charge: "0.1", start_count: 0, remains: 5, currency: "USD" }])));

test("a watch keeps polling with its own client's key and URL after that client is freed and its slot reused", async () => {
  const a = recordingFetch(running);
  const first = new SmmClient({ apiUrl: "https://a.example/api/v2", key: "KEY-OF-A", fetch: a.fetch });
  const controller = new AbortController();
  const updates = first.watchOrders([1], { intervalMs: 5, signal: controller.signal });
  assert.equal((await updates.next()).value.order, 1, "the first poll");
  first.free();
  const b = recordingFetch(running);
  const second = new SmmClient({ apiUrl: "https://b.example/api/v2", key: "KEY-OF-B", fetch: b.fetch });
  await second.balance().catch(() => {});
  // Only changes are yielded, so this waits while the watch keeps polling, until the abort.
  const next = updates.next();
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort();
  assert.equal((await next).done, true, "the abort ended the watch");
  assert.ok(a.sent.length >= 2, `A polled again (${a.sent.length} requests)`);
  for (const { url, body } of a.sent) {
    assert.equal(url, "https://a.example/api/v2");
    assert.ok(body.startsWith("key=KEY-OF-A&"), body);
  }
  assert.ok(b.sent.every(({ body }) => !body.includes("KEY-OF-A")), "B never sent A's key");
  assert.ok(a.sent.every(({ body }) => !body.includes("KEY-OF-B")), "A never sent B's key");
});

test("the caller's own objects cannot pass for a signal or a function", async () => {
  const { fetch } = recordingFetch(() => json({ balance: "1", currency: "USD" }));
  const client = new SmmClient({ apiUrl: "https://p.example/api/v2", key: "k", fetch });
  await assert.rejects(client.balance({ signal: { __smm_unrepresentable: "AbortSignal" } }), (error) => {
    assert.ok(error instanceof SmmError);
    assert.equal(error.code, "invalid_request");
    assert.equal(error.field, "signal");
    return true;
  });
  assert.throws(() => new SmmClient({ apiUrl: "https://p.example/api/v2", fetch: { __smm_unrepresentable: "function" } }), (error) => {
    assert.equal(error.code, "invalid_request");
    assert.equal(error.field, "fetch");
    return true;
  });
});

test("a fetch that resolves to something unreadable is a network error whose delivery is unknown, and the call ends", async () => {
  const hostile = { get type() { throw new Error("boom"); }, status: 200 };
  for (const call of ["balance", "addOrder"]) {
    const client = new SmmClient({ apiUrl: "https://p.example/api/v2", key: "k", maxRetries: 0, fetch: async () => hostile });
    const pending = call === "balance" ? client.balance() : client.addOrder({ service: 1, link: "https://x.example/p", quantity: 10 });
    await assert.rejects(pending, (error) => {
      assert.ok(error instanceof SmmError, `${call}: an SmmError, got ${error}`);
      assert.equal(error.code, "network", call);
      assert.equal(error.delivery, "unknown", call);
      return true;
    });
  }
});

test("after free(), calls are refused with an SmmError and a second free() does nothing; catalogs free too", async () => {
  const services = [{ service: 1, name: "Likes", type: "Default", category: "Instagram", rate: "0.5", min: 10, max: 1000 }];
  const { fetch, sent } = recordingFetch(() => json(services));
  const client = new SmmClient({ apiUrl: "https://p.example/api/v2", key: "k", fetch });
  const catalog = await client.catalog();
  assert.equal(catalog.get(1).name, "Likes");
  catalog.free();
  catalog.free();
  assert.throws(() => catalog.get(1), (error) => error instanceof SmmError && error.field === "catalog");
  assert.equal(typeof catalog[Symbol.dispose], "function");
  assert.equal((await client.catalog()).get(1).name, "Likes", "the client's cached catalog is still whole");
  client.free();
  client.free();
  const before = sent.length;
  await assert.rejects(client.balance(), (error) => error instanceof SmmError && error.code === "invalid_request" && error.field === "client");
  assert.throws(() => client.watchOrders([1]), (error) => error instanceof SmmError && error.field === "client");
  assert.equal(sent.length, before, "nothing was sent");
});
