// What `delivery` says after every way a write can end, in Node 20: against the simulator for the
// answers real panels give after placing an order, and with a custom fetch for the transport
// paths (a fetch that throws after sending, one that resolves to something odd, a body whose
// read fails, an opaque redirect). The README's delivery table lists the same outcomes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simControl, simOrigin } from "../support/sim.mjs";

const { SmmClient, isSmmError } = await import("smm-panel-sdk");
const apiUrl = `${simOrigin()}/api/v2`;
const order = (link) => ({ service: 101, link: `https://instagram.com/p/${link}`, quantity: 100 });

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(isSmmError(error), `an SmmError, got ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

async function journal(key, action) {
  return (await simControl("GET", `journal?key=${key}`)).filter((e) => e.action === action);
}

test("an add the panel processed and answered unreadably is delivery unknown, and the order exists", async () => {
  for (const fault of ["empty", "malformed_json", "html", "huge_body"]) {
    const key = await createAccount("100");
    // html and huge_body come from a front server by default: here the panel ran the add first.
    await simControl("POST", "faults", { fault, key, action: "add", process: true, ...(fault === "huge_body" ? { size: 40 << 20 } : {}) });
    const error = await rejection(new SmmClient({ apiUrl, key }).addOrder(order(`unreadable-${fault}`)));
    assert.equal(error.delivery, "unknown", `${fault}: ${error.message}`);
    assert.ok(["decode", "http"].includes(error.code), fault);
    assert.match(error.message, /may have been placed/);
    const adds = await journal(key, "add");
    assert.equal(adds.length, 1, `${fault}: sent once`);
    assert.equal(adds[0].processed, true, `${fault}: the panel placed the order`);
  }
});

test("an add answered with CodeIgniter's PHP error block before the JSON is read as placed", async () => {
  const key = await createAccount("100");
  await simControl("POST", "faults", { fault: "php_error_block", key, action: "add" });
  const placed = await new SmmClient({ apiUrl, key }).addOrder(order("codeigniter"));
  assert.equal(placed.type, "normal");
  assert.ok(placed.order > 0);
  // Reads too.
  await simControl("POST", "faults", { fault: "php_error_block", key, action: "balance" });
  assert.equal((await new SmmClient({ apiUrl, key }).balance()).currency, "USD");
});

test("a refill or cancel chunk answered unreadably is unknown; a read keeps received", async () => {
  const key = await createAccount("100");
  const client = new SmmClient({ apiUrl, key, maxRetries: 0 });
  const { order: id } = await client.addOrder(order("chunk-writes"));
  for (const [action, call] of [["refill", () => client.refillMany([id])], ["cancel", () => client.cancelMany([id])], ["refill", () => client.refill(id)], ["cancel", () => client.cancel(id)]]) {
    await simControl("POST", "faults", { fault: "empty", key, action });
    const error = await rejection(call());
    assert.deepEqual([error.code, error.delivery], ["decode", "unknown"], action);
  }
  await simControl("POST", "faults", { fault: "empty", key, action: "status" });
  const error = await rejection(client.orderStatusMany([id]));
  assert.deepEqual([error.code, error.delivery], ["decode", "received"]);
});

/** A client whose fetch ends as `behave` says, after the request was handed over. */
function clientWith(behave) {
  return new SmmClient({ apiUrl: "https://panel.example/api/v2", key: "k-delivery", fetch: behave, timeoutMs: 300 });
}

test("every transport path of a write says unknown once the request may have left", async () => {
  const writes = [(c) => c.addOrder(order("transport")), (c) => c.refill(5), (c) => c.cancel(5), (c) => c.cancelMany([5, 6])];
  const paths = {
    // A custom fetch (a proxy agent, a logging wrapper) that throws after sending.
    "fetch throws after sending": async () => {
      throw new TypeError("socket hang up");
    },
    "fetch resolves to no Response": async () => "not a response",
    "the body's read fails midway": async () =>
      new Response(new ReadableStream({ pull: (c) => c.error(new Error("ECONNRESET")) }), { status: 200 }),
    "an opaque redirect": async () => Object.assign(Object.create(Response.prototype), { type: "opaqueredirect", status: 0, headers: new Headers() }),
    "a 307 redirect": async () => new Response("", { status: 307, headers: { location: "https://elsewhere.example/" } }),
    "no answer within timeoutMs": (_url, init) =>
      new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))),
    "a 200 JSON answer of another shape": async () => Response.json({ data: null }),
  };
  for (const [name, fetch] of Object.entries(paths)) {
    for (const write of writes) {
      const error = await rejection(write(clientWith(fetch)));
      assert.equal(error.delivery, "unknown", `${name} / ${error.action}: ${error.message}`);
      assert.ok(!JSON.stringify({ ...error, message: error.message }).includes("k-delivery"));
    }
  }
  // A refusal is received, and an abort before anything left is not_sent.
  const refused = await rejection(clientWith(async () => Response.json({ error: "Not enough funds on balance" })).addOrder(order("refused")));
  assert.deepEqual([refused.code, refused.delivery], ["api", "received"]);
  const controller = new AbortController();
  controller.abort();
  let called = false;
  const early = await rejection(clientWith(async () => ((called = true), Response.json({ order: 1 }))).addOrder(order("early"), { signal: controller.signal }));
  assert.deepEqual([early.code, early.delivery, called], ["aborted", "not_sent", false]);
});
