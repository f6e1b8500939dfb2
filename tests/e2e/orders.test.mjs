// New orders (validation, cost, normal and drip-feed), progress as the simulator's clock advances,
// refill, cancel, bulk actions, double submit, and the unknown-delivery message. Each step checks
// what the page shows and that the simulator received exactly the requests expected. The orders
// view polls every 5 minutes here, so its watchOrders polls only when (re)started: at once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simControl, simOrigin } from "../support/sim.mjs";
import {
  catalogCheck, connect, journal, launch, openPage, orderRow, placeOrder, pollEvery, sdkCatalog, simAccount, simOrder, snap,
  snapElement, unordered, watched,
} from "./helpers.mjs";

const apiUrl = `${simOrigin()}/api/v2`;
let browser, page, problems, key, sdk;
let seen = 0;
const run = Date.now().toString(36); // links unique to this run: the panel refuses a second active order per link

/** The requests received since the last call. */
async function newRequests() {
  const all = await journal(key);
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}

const advance = (seconds) => simControl("POST", "clock", { advance_seconds: seconds });
const text = (selector) => page.locator(selector).innerText();
// Trimmed: WebKit's innerText puts line breaks around a cell's progress bar, the others do not.
const rowText = async (id, label) => (await orderRow(page, id).locator(`td[data-label="${label}"]`).innerText()).trim();

/** What the SDK itself says about an order, evaluated in the page from the package it loads. */
function sdkMessage(order) {
  return page.evaluate(async (order) => {
    const { validateOrder } = await import("./pkg/index.js");
    try {
      validateOrder(order);
      return null;
    } catch (error) {
      return { field: error.field, message: error.message };
    }
  }, order);
}

/** "Refresh statuses": the watch restarts and polls at once; waits for its answers. */
async function refresh() {
  await page.getByRole("button", { name: "Refresh statuses" }).click();
  await page.locator("#orders-refresh:not([disabled])").waitFor();
  await watched(page);
}

before(async () => {
  browser = await launch();
  key = await createAccount("100");
  ({ page, problems } = await openPage(browser));
  await connect(page, { apiUrl, key });
  await page.getByText(/^Showing 25 of 42 services\.$/).waitFor();
  assert.deepEqual(await newRequests(), [["balance", { action: "balance" }], ["services", { action: "services" }]]);
  await pollEvery(page, "5 minutes");
  sdk = await sdkCatalog();
});
after(async () => {
  await browser?.close();
});

test("the form validates as you type with the SDK's own messages, and sends nothing while wrong", async () => {
  await page.getByLabel("Search", { exact: true }).fill("101");
  await page.getByRole("button", { name: /^Order service 101:/ }).click();
  assert.match(await text("#order-service-info"), /^Instagram Followers .* — 0\.90 per 1000, 50–100,000$/);

  await page.getByLabel("Quantity").fill("1.5");
  const quantity = await sdkMessage({ service: 101, link: "x", quantity: 1.5 });
  assert.equal(quantity.field, "quantity");
  assert.equal(await text("#order-quantity-error"), quantity.message);
  assert.equal(await page.getByLabel("Quantity").getAttribute("aria-invalid"), "true");

  await page.getByLabel("Link").fill("h");
  await page.getByLabel("Link").fill("");
  const link = await sdkMessage({ service: 101, link: "", quantity: 100 });
  assert.equal(link.field, "link");
  assert.equal(await text("#order-link-error"), link.message);

  // The catalog's range: the SDK's catalog knows it.
  await page.getByLabel("Quantity").fill("5");
  const range = catalogCheck(sdk, { service: 101, link: "x", quantity: 5 });
  assert.equal(range.field, "quantity");
  assert.equal(await text("#order-quantity-error"), range.message);
  assert.equal(await text("#order-cost"), "");

  // Drip-feed: runs without an interval is refused on submit, the focus goes to the field.
  await page.getByLabel("Quantity").fill("100");
  await page.getByLabel("Link").fill(`https://instagram.com/p/${run}-check`);
  await page.getByLabel("Deliver in several runs").check();
  await page.getByLabel("Runs", { exact: true }).fill("3");
  await page.getByRole("button", { name: "Place order" }).click();
  const interval = await sdkMessage({ service: 101, link: "x", quantity: 100, runs: 3 });
  assert.equal(interval.field, "interval");
  assert.equal(await text("#order-interval-error"), interval.message);
  assert.equal(await page.evaluate(() => document.activeElement.id), "order-interval");
  assert.match(await text("#order-message"), /Please correct the highlighted fields/);
  await snap(page, "06-order-validation");
  await snapElement(page, "#order-section", "06-order-validation-form");

  // A service without drip-feed has no drip-feed fields.
  await page.getByLabel("Service ID").fill("104");
  assert.equal(await page.locator("#dripfeed-fields").isHidden(), true);
  await page.getByLabel("Service ID").fill("999999");
  assert.equal(await text("#order-service-error"), "service 999999 is not in this panel's catalog");

  // The exact cost, before submitting: 0.27819 × 1234 / 1000.
  await page.getByLabel("Service ID").fill("102");
  await page.getByLabel("Quantity").fill("1234");
  assert.equal(await text("#order-cost"), "Cost: 0.34328646 USD (0.27819 per 1000 × 1,234)");
  assert.deepEqual(await newRequests(), [], "nothing was sent");
});

let normal, dripfeed;

test("a normal order and a drip-feed order are placed with exactly the fields given", async () => {
  normal = await placeOrder(page, { service: 101, link: `https://instagram.com/p/${run}-a`, quantity: 1000 });
  await watched(page);
  const placed = await newRequests();
  assert.deepEqual(placed[0], ["add", { action: "add", service: "101", link: `https://instagram.com/p/${run}-a`, quantity: "1000" }]);
  // Then, side by side: the balance, and the new order's first status poll (watchOrders, batched).
  assert.deepEqual(unordered(placed.slice(1)), unordered([
    ["balance", { action: "balance" }],
    ["status", { action: "status", orders: String(normal) }],
  ]));
  assert.equal(await text("#balance"), "99.10000 USD");
  assert.equal(await rowText(normal, "Status"), "Pending");
  assert.equal(await rowText(normal, "Charge"), "0.90000 USD");

  await page.getByLabel("Search", { exact: true }).fill("101");
  await page.getByRole("button", { name: /^Order service 101:/ }).click();
  await page.getByLabel("Link").fill(`https://instagram.com/p/${run}-b`);
  await page.getByLabel("Quantity").fill("100");
  await page.getByLabel("Deliver in several runs").check();
  await page.getByLabel("Runs", { exact: true }).fill("3");
  await page.getByLabel("Interval (minutes)").fill("10");
  assert.equal(await text("#order-cost"), "Cost: 0.27000 USD (0.90 per 1000 × 100 × 3 runs)");
  await page.getByRole("button", { name: "Place order" }).click();
  await page.getByText(/^Order \d+ placed \(drip-feed, 3 runs every 10 min\)\.$/).waitFor();
  dripfeed = Number(/Order (\d+)/.exec(await text("#order-message"))[1]);
  await watched(page);
  const requests = await newRequests();
  assert.deepEqual(requests[0],
    ["add", { action: "add", service: "101", link: `https://instagram.com/p/${run}-b`, quantity: "100", runs: "3", interval: "10", intervals: "10" }]);
  // The watch restarts with both orders: one batched status call for each kind.
  assert.deepEqual(unordered(requests.slice(1)), unordered([
    ["balance", { action: "balance" }],
    ["status", { action: "status", orders: String(normal) }],
    ["status", { action: "status", orders: String(dripfeed), type: "dripfeed" }],
  ]));
  assert.equal(await text("#balance"), "98.83000 USD");
  assert.match(await rowText(dripfeed, "Order"), /drip-feed/);
  // The form starts clean for the next order: never drip-fed by surprise.
  assert.equal(await page.getByLabel("Deliver in several runs").isChecked(), false);
  await snap(page, "07-orders-placed");
});

test("progress advances with the simulator's clock, read with the batched status calls", async () => {
  await advance(180);
  await refresh();
  assert.deepEqual(unordered(await newRequests()), unordered([
    ["status", { action: "status", orders: String(normal) }],
    ["status", { action: "status", orders: String(dripfeed), type: "dripfeed" }],
    ["balance", { action: "balance" }],
  ]));
  let sim = await simOrder(normal);
  assert.equal(sim.status, "In progress");
  assert.ok(sim.remains > 0 && sim.remains < 1000, "part delivered");
  assert.equal(await rowText(normal, "Status"), "In progress");
  assert.equal(await rowText(normal, "Charge"), "0.90000 USD");
  assert.match(await rowText(normal, "Progress"), new RegExp(`^${(1000 - sim.remains).toLocaleString("en")} / 1,000$`));
  assert.equal(await orderRow(page, normal).locator("progress").evaluate((p) => [p.value, p.max].join("/")), `${1000 - sim.remains}/1000`);
  const parent = await simOrder(dripfeed);
  assert.equal(await rowText(dripfeed, "Progress"), `${parent.children.length} of 3 runs started`);
  assert.equal(await rowText(dripfeed, "Status"), "Active");
  await snapElement(page, "#orders-section", "08-orders-in-progress");

  await advance(600);
  await refresh();
  await newRequests();
  sim = await simOrder(normal);
  assert.ok(["Completed", "Partial"].includes(sim.status), `finished (${sim.status})`);
  assert.match(await rowText(normal, "Status"), new RegExp(`^${sim.status}`));
  assert.match(await rowText(normal, "Progress"), new RegExp(`^${(1000 - sim.remains).toLocaleString("en")} / 1,000$`));
  await snap(page, "09-orders-progress");
});

test("refill and cancel follow the service's flags and the order's status", async () => {
  const noFlags = await placeOrder(page, { service: 102, link: `https://instagram.com/p/${run}-c`, quantity: 100 });
  await watched(page);
  await newRequests();
  const button = (id, name) => orderRow(page, id).getByRole("button", { name: `${name} order ${id}` });
  // 101 has refill and cancel: a finished order can be refilled, not canceled.
  assert.equal(await button(normal, "Refill").isEnabled(), true);
  assert.equal(await button(normal, "Cancel").isEnabled(), false);
  // 102 has neither.
  assert.equal(await button(noFlags, "Refill").isEnabled(), false);
  assert.equal(await button(noFlags, "Cancel").isEnabled(), false);
  // A running drip-feed parent of 101 can be canceled.
  assert.equal(await button(dripfeed, "Cancel").isEnabled(), true);

  await button(normal, "Refill").click();
  await page.getByText(`Refill requested for order ${normal}.`).waitFor();
  await page.locator("#orders-refresh:not([disabled])").waitFor();
  const refills = (await simOrder(normal)).refills;
  assert.equal(refills.length, 1, "the panel opened one refill");
  const refillId = typeof refills[0] === "object" ? refills[0].id ?? refills[0].refill : refills[0];
  // A refill does not change the order's status: no status poll, one read of the refill's.
  assert.deepEqual(await newRequests(), [
    ["refill", { action: "refill", order: String(normal) }],
    ["refill_status", { action: "refill_status", refills: String(refillId) }],
  ]);
  assert.match(await rowText(normal, "Status"), new RegExp(`Refill #${refillId}: Pending`));
  assert.equal(await button(normal, "Refill").isEnabled(), false, "no second refill while one is open");

  await button(dripfeed, "Cancel").click();
  await page.getByText(`Cancel requested for order ${dripfeed}.`).waitFor();
  await page.locator("#orders-refresh:not([disabled])").waitFor();
  await watched(page);
  const requests = await newRequests();
  assert.deepEqual(requests[0], ["cancel", { action: "cancel", order: String(dripfeed) }]);
  // The watch restarts on the orders not final yet (the finished one is not polled again).
  assert.deepEqual(unordered(requests.slice(1)), unordered([
    ["status", { action: "status", orders: String(noFlags) }],
    ["status", { action: "status", orders: String(dripfeed), type: "dripfeed" }],
    ["refill_status", { action: "refill_status", refills: String(refillId) }],
  ]));
  assert.equal((await simOrder(dripfeed)).status, "Canceled");
  assert.equal(await rowText(dripfeed, "Status"), "Canceled");
  await snap(page, "10-refill-cancel");
});

test("bulk: cancel and refill the selected orders with one batched request each", async () => {
  const link = (n) => `https://instagram.com/p/${run}-bulk-${n}`;
  const pending = [];
  for (const n of [1, 2, 3]) pending.push(await placeOrder(page, { service: 101, link: link(n), quantity: 100 }));
  await watched(page);
  await newRequests();
  await page.getByLabel("Select all orders").check();
  // Only the three pending 101 orders can be canceled; the rest are finished, canceled or 102.
  const cancelSelected = page.getByRole("button", { name: "Cancel selected (3)" });
  await cancelSelected.click();
  await page.getByText(/^Cancel requested for orders /).waitFor();
  await page.locator("#orders-refresh:not([disabled])").waitFor();
  await watched(page);
  const requests = await newRequests();
  assert.equal(requests[0][0], "cancel");
  assert.deepEqual(requests[0][1].orders.split(",").map(Number).sort(), [...pending].sort());
  assert.equal(requests[0][1].order, undefined, "one batched request");
  // One batched status poll for every order not final yet; the drip-feed parent is canceled.
  assert.deepEqual(requests.slice(1).map(([action]) => action).sort(), ["refill_status", "status"]);
  for (const id of pending) {
    assert.equal((await simOrder(id)).status, "Canceled");
    assert.equal(await rowText(id, "Status"), "Canceled");
  }
  assert.equal(await page.getByLabel("Select all orders").isChecked(), false, "the selection is cleared");

  // Two finished 101 orders can be refilled together; a finished 102 order is skipped.
  const done = [];
  for (const n of [4, 5]) done.push(await placeOrder(page, { service: 101, link: link(n), quantity: 100 }));
  const skipped = await placeOrder(page, { service: 102, link: link(6), quantity: 100 });
  await watched(page);
  await advance(300);
  await refresh();
  await newRequests();
  for (const id of [...done, skipped]) await page.getByLabel(`Select order ${id}`).check();
  await page.getByRole("button", { name: "Refill selected (2)" }).click();
  await page.getByText(/^Refill requested for orders /).waitFor();
  await page.locator("#orders-refresh:not([disabled])").waitFor();
  await watched(page);
  const refill = (await newRequests())[0];
  assert.equal(refill[0], "refill");
  assert.deepEqual(refill[1].orders.split(",").map(Number).sort(), [...done].sort());
  for (const id of done) {
    assert.equal((await simOrder(id)).refills.length, 1);
    assert.match(await rowText(id, "Status"), /Refill #\d+: Pending/);
  }
  assert.equal((await simOrder(skipped)).refills.length, 0);
  await snap(page, "11-bulk");
});

test("a double click on Place order places exactly one order", async () => {
  await newRequests();
  const before = await page.locator("#orders-body tr").count();
  await simControl("POST", "faults", { fault: "latency", ms: 800, action: "add", key });
  await page.getByLabel("Search", { exact: true }).fill("101");
  await page.getByRole("button", { name: /^Order service 101:/ }).click();
  await page.getByLabel("Link").fill(`https://instagram.com/p/${run}-double`);
  await page.getByLabel("Quantity").fill("100");
  const submit = page.locator("#order-submit");
  await submit.dblclick();
  // While the order is in flight the button is disabled and says so.
  assert.equal(await submit.isDisabled(), true);
  assert.equal(await submit.innerText(), "Placing order…");
  await page.getByLabel("Link").press("Enter"); // nor does Enter in the form send it again
  await page.getByText(/^Order \d+ placed\.$/).waitFor();
  assert.equal(await submit.isEnabled(), true);
  const adds = (await newRequests()).filter(([action]) => action === "add");
  assert.equal(adds.length, 1, "one add request");
  assert.equal(await page.locator("#orders-body tr").count(), before + 1);
});

test("an order whose answer is lost says the panel may have placed it", async () => {
  const balanceBefore = (await simAccount(key)).balance;
  const rowsBefore = await page.locator("#orders-body tr").count();
  // The panel places the order, then the connection is reset in the middle of the answer.
  await simControl("POST", "faults", { fault: "reset_mid_body", action: "add", key });
  await page.getByLabel("Search", { exact: true }).fill("101");
  await page.getByRole("button", { name: /^Order service 101:/ }).click();
  await page.getByLabel("Link").fill(`https://instagram.com/p/${run}-lost`);
  await page.getByLabel("Quantity").fill("100");
  await page.getByRole("button", { name: "Place order" }).click();
  const note = page.locator("#order-message .note");
  await page.locator("#order-message .note.warn").waitFor();
  assert.match(await note.innerText(), /^The panel may have placed this order — check its status before retrying\./);
  assert.doesNotMatch(await note.innerText(), /failed/i);
  assert.equal(await page.locator("#order-submit").isEnabled(), true);
  assert.equal(await page.locator("#orders-body tr").count(), rowsBefore, "no order ID is known, so no row");
  assert.deepEqual(await newRequests(), [
    ["add", { action: "add", service: "101", link: `https://instagram.com/p/${run}-lost`, quantity: "100" }],
  ]);
  // It was indeed placed: the panel charged 0.90 × 100 / 1000.
  const cents = (s) => Math.round(Number(s) * 1e5);
  assert.equal(cents(balanceBefore) - cents((await simAccount(key)).balance), 9000);
  await snap(page, "12-unknown-delivery");
  await snapElement(page, "#order-section", "12-unknown-delivery-form");
  assert.deepEqual(await problems(), []);
});

test("the orders list survives a reload (localStorage), without the key", async () => {
  const ids = await page.locator("#orders-body tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.order));
  await page.reload();
  await page.locator("#connect-button:not([disabled])").waitFor();
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  assert.doesNotMatch(stored, new RegExp(key), "the API key is never stored");
  await connect(page, { apiUrl, key });
  await page.locator("#orders-refresh:not([disabled])").waitFor();
  assert.deepEqual(await page.locator("#orders-body tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.order)), ids);
});
