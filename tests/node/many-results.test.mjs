// A *Many call that fails keeps every result it got: each of the five methods with 250 IDs
// (requests of 100, 100 and 50), the second request reset mid-answer by the simulator (the
// panel acted: process true), at concurrency 1 and 4. The rejection's `results` is checked
// against what the simulator's journal says was sent and against the panel's state afterwards.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simControl, simOrigin } from "../support/sim.mjs";

const { SmmClient, SmmError } = await import("smm-panel-sdk");
const apiUrl = `${simOrigin()}/api/v2`;
const NOT_SENT = "Not sent: the call stopped after another of its requests failed";
const COUNT = 250;
const CHUNK = 100;

/** One API request to the simulator, as a panel client would send it (no SDK involved). */
async function panel(key, fields) {
  const res = await fetch(apiUrl, { method: "POST", body: new URLSearchParams({ key, ...fields }) });
  return res.json();
}

/** `n` orders of service 101 (refill and cancel allowed), `runs` > 1 for drip-feed orders. */
async function placeOrders(key, n, runs = 0) {
  const ids = [];
  for (let from = 0; from < n; from += 25) {
    const batch = Array.from({ length: Math.min(25, n - from) }, (_, j) => {
      const drip = runs ? { runs: String(runs), interval: "10", intervals: "10" } : {};
      return panel(key, { action: "add", service: "101", link: `https://instagram.com/p/${key}-${runs}-${from + j}`, quantity: "50", ...drip });
    });
    for (const answer of await Promise.all(batch)) {
      assert.ok(answer.order, JSON.stringify(answer));
      ids.push(answer.order);
    }
  }
  return ids;
}

/** The journal's entries of `key` and `action`. */
const journalOf = (key, action) => simControl("GET", `journal?key=${encodeURIComponent(key)}&action=${action}`);

/** The IDs each journaled request of `key` and `action` after `afterSeq` carried, with its fault. */
async function sentRequests(key, action, afterSeq) {
  return (await journalOf(key, action))
    .filter((entry) => entry.method === "POST" && entry.seq > afterSeq)
    .map((entry) => {
      const list = entry.body.find(([name]) => name === "orders" || name === "refills");
      return { ids: list ? list[1].split(",").map(Number) : [], fault: entry.fault, processed: entry.processed };
    });
}

const chunkOf = (i) => Math.floor(i / CHUNK);
const idsOfChunk = (ids, k) => ids.slice(k * CHUNK, (k + 1) * CHUNK);

// Accounts and orders, made once: reads share one account, each write test has its own.
const accounts = {};
before(async () => {
  accounts.read = await createAccount("1000");
  accounts.orders = await placeOrders(accounts.read, 300);
  accounts.dripfeeds = (await placeOrders(accounts.read, COUNT, 2)).slice(0, COUNT);
  for (const concurrency of [1, 4]) {
    const key = await createAccount("1000");
    accounts[`refill${concurrency}`] = { key, ids: await placeOrders(key, COUNT) };
  }
  // A day later every order is complete and can be refilled.
  await simControl("POST", "clock", { advance_seconds: 86400 });
  accounts.refills = [];
  for (let from = 0; from < 300; from += CHUNK) {
    const answer = await panel(accounts.read, { action: "refill", orders: accounts.orders.slice(from, from + CHUNK).join(",") });
    accounts.refills.push(...answer.filter((item) => typeof item.refill === "number").map((item) => item.refill));
  }
  assert.ok(accounts.refills.length >= COUNT, `${accounts.refills.length} refills`);
  accounts.refills = accounts.refills.slice(0, COUNT);
  accounts.orders = accounts.orders.slice(0, COUNT);
  // Placed after the clock moved: still pending, so they can be canceled.
  for (const concurrency of [1, 4]) {
    const key = await createAccount("1000");
    accounts[`cancel${concurrency}`] = { key, ids: await placeOrders(key, COUNT) };
  }
});

/**
 * Calls `method` with the second request reset mid-answer and checks the rejection's results
 * against the journal. `expected(i)` is what position i answers when its request finished.
 * Returns the results.
 */
async function failSecondChunk({ method, action, key, ids, concurrency, idKey = "order", read, expected }) {
  // Reads are retried twice more (maxRetries 2): the fault covers every attempt.
  const attempts = read ? 3 : 1;
  const afterSeq = Math.max(0, ...(await journalOf(key, action)).map((entry) => entry.seq));
  await simControl("POST", "faults", { fault: "reset_mid_body", key, action, ids: [ids[CHUNK]], count: attempts, process: true });
  const client = new SmmClient({ apiUrl, key, concurrency });
  const error = await client[method](ids).then(
    (value) => assert.fail(`${method} resolved: ${JSON.stringify(value).slice(0, 200)}`),
    (e) => e,
  );
  assert.ok(error instanceof SmmError, String(error));
  assert.deepEqual([error.code, error.delivery, error.action], ["network", "unknown", action]);
  assert.ok(!JSON.stringify(error.results).includes(key), "the key is nowhere in results");
  const { results } = error;
  assert.ok(Array.isArray(results));
  assert.equal(results.length, ids.length);

  const sent = await sentRequests(key, action, afterSeq);
  const requestsWith = (k) => sent.filter((r) => idsOfChunk(ids, k).every((id) => r.ids.includes(id)));
  assert.equal(requestsWith(0).length, 1);
  assert.equal(requestsWith(0)[0].fault, null);
  assert.deepEqual(requestsWith(1).map((r) => [r.fault, r.processed]), Array(attempts).fill(["reset_mid_body", true]));
  const third = idsOfChunk(ids, 2);
  if (concurrency === 1) {
    assert.equal(sent.filter((r) => r.ids.some((id) => third.includes(id))).length, 0, "the third request was never sent");
  } else {
    assert.deepEqual(requestsWith(2).map((r) => r.fault), [null], "all three were in flight; the third was answered");
  }
  assert.equal(sent.length, concurrency === 1 ? 1 + attempts : 2 + attempts);
  const left = (await simControl("GET", "faults")).filter((rule) => rule.ids?.includes(ids[CHUNK]));
  assert.deepEqual(left, [], "the fault was used up");

  for (const [i, result] of results.entries()) {
    const id = ids[i];
    assert.equal(result[idKey], id, `input order at ${i}`);
    const chunk = chunkOf(i);
    if (chunk === 1) {
      assert.deepEqual(result, { [idKey]: id, error: error.message, code: "network", delivery: "unknown" });
    } else if (chunk === 2 && concurrency === 1) {
      assert.deepEqual(result, { [idKey]: id, error: NOT_SENT, code: "network", delivery: "not_sent" });
    } else {
      assert.deepEqual(result, expected(i, result), `position ${i}`);
    }
  }
  client.free();
  return results;
}

for (const concurrency of [1, 4]) {
  test(`orderStatusMany, concurrency ${concurrency}: the finished requests' statuses are kept`, async () => {
    const key = accounts.read;
    const ids = accounts.orders;
    const reference = await new SmmClient({ apiUrl, key }).orderStatusMany(ids);
    assert.ok(reference.every((r) => r.status === "Completed" || r.status === "Partial"), JSON.stringify(reference[0]));
    await failSecondChunk({ method: "orderStatusMany", action: "status", key, ids, concurrency, read: true, expected: (i) => reference[i] });
  });

  test(`dripfeedStatusMany, concurrency ${concurrency}: the finished requests' drip-feed statuses are kept`, async () => {
    const key = accounts.read;
    const ids = accounts.dripfeeds;
    const reference = await new SmmClient({ apiUrl, key }).dripfeedStatusMany(ids);
    assert.ok(reference.every((r) => Array.isArray(r.orders) && r.orders.length === 2), JSON.stringify(reference[0]));
    await failSecondChunk({ method: "dripfeedStatusMany", action: "status", key, ids, concurrency, read: true, expected: (i) => reference[i] });
  });

  test(`refillStatusMany, concurrency ${concurrency}: the finished requests' refill statuses are kept`, async () => {
    const key = accounts.read;
    const ids = accounts.refills;
    const reference = await new SmmClient({ apiUrl, key }).refillStatusMany(ids);
    assert.ok(reference.every((r) => typeof r.status === "string"), JSON.stringify(reference[0]));
    await failSecondChunk({ method: "refillStatusMany", action: "refill_status", key, ids, concurrency, idKey: "refill", read: true, expected: (i) => reference[i] });
  });

  test(`refillMany, concurrency ${concurrency}: the refill IDs the panel created are in results`, async () => {
    const { key, ids } = accounts[`refill${concurrency}`];
    // Every order is complete (or Partial, which may be refilled too): each answered one has a
    // new refill ID.
    const results = await failSecondChunk({
      method: "refillMany", action: "refill", key, ids, concurrency,
      expected: (i, got) => ({ order: ids[i], refill: typeof got.refill === "number" ? got.refill : "a refill ID" }),
    });
    const created = results.filter((r) => typeof r.refill === "number").map((r) => r.refill);
    assert.equal(created.length, concurrency === 1 ? 100 : 150);
    assert.equal(new Set(created).size, created.length);
    // Those refills exist on the panel...
    const statuses = await new SmmClient({ apiUrl, key }).refillStatusMany(created);
    assert.ok(statuses.every((s) => s.status === "Pending"), JSON.stringify(statuses.find((s) => s.status !== "Pending")));
    // ...and asking again shows which orders have one: the first request's and the reset one's
    // (the panel acted before the answer was lost, as "unknown" warned), the third's only if sent.
    const again = await new SmmClient({ apiUrl, key }).refillMany(ids);
    for (const [i, r] of again.entries()) {
      if (chunkOf(i) === 2 && concurrency === 1) assert.equal(typeof r.refill, "number", JSON.stringify(r));
      else assert.deepEqual(r, { order: ids[i], error: "Refill request already exists" });
    }
  });

  test(`cancelMany, concurrency ${concurrency}: the finished requests' cancellations are kept`, async () => {
    const { key, ids } = accounts[`cancel${concurrency}`];
    await failSecondChunk({ method: "cancelMany", action: "cancel", key, ids, concurrency, expected: (i) => ({ order: ids[i], cancel: 1 }) });
    const statuses = await new SmmClient({ apiUrl, key }).orderStatusMany(ids);
    for (const [i, s] of statuses.entries()) {
      const canceled = !(chunkOf(i) === 2 && concurrency === 1);
      assert.equal(s.status, canceled ? "Canceled" : "Pending", `order ${ids[i]} at ${i}`);
    }
  });
}

test("a failure before anything is sent carries no results, and a call that succeeds has none to carry", async () => {
  const client = new SmmClient({ apiUrl, key: accounts.read });
  const invalid = await client.orderStatusMany([1, "x"]).catch((e) => e);
  assert.ok(invalid instanceof SmmError);
  assert.deepEqual([invalid.code, invalid.results], ["invalid_request", undefined]);
  assert.equal((await client.orderStatusMany(accounts.orders.slice(0, 3))).length, 3);
});
