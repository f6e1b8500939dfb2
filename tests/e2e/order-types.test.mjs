// The new-order form for every order type: it shows the selected service's fields, validates
// them live with the SDK catalog's own messages, shows the SDK's exact estimate as the cost, and
// places orders whose requests and charges the simulator confirms field by field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simOrigin } from "../support/sim.mjs";
import {
  catalogCheck, connect, journal, launch, openPage, pollEvery, sdkCatalog, simOrder, snap, snapElement, watched,
} from "./helpers.mjs";

const apiUrl = `${simOrigin()}/api/v2`;
const run = Date.now().toString(36);
let browser, page, problems, key, sdk;
let seen = 0;

async function newRequests() {
  const all = await journal(key);
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}

const text = (selector) => page.locator(selector).innerText();
const field = (label) => page.getByLabel(label, { exact: true });

/** The same decimal, whatever its number of trailing zeros ("9.99" and "9.99000"). */
const decimal = (s) => s.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");

async function choose(service) {
  await page.getByLabel("Search", { exact: true }).fill(String(service));
  await page.getByRole("button", { name: new RegExp(`^Order service ${service}:`) }).click();
}

/** The labels of the order form's visible fields, in order. */
const visibleFields = () => page.locator("#order-form .field:not([hidden]) > label:visible").allInnerTexts();

/** Checks the cost shown against the SDK's estimate, places the order, returns [id, charge shown]. */
async function place(order) {
  const expected = sdk.estimateCharge(order);
  const cost = await text("#order-cost");
  const match = /^Cost: ([\d.]+) USD \(/.exec(cost);
  assert.ok(match, `a cost is shown: ${cost}`);
  assert.equal(match[1], expected, "the cost is the SDK's exact estimate");
  await page.getByRole("button", { name: "Place order" }).click();
  const note = page.locator("#order-message .note:not(.info)");
  await note.waitFor();
  const placed = /Order (\d+) placed/.exec(await note.innerText());
  assert.ok(placed, `placed: ${await note.innerText()}`);
  await watched(page);
  return [Number(placed[1]), match[1]];
}

/** The add request the page just sent (the balance and status reads follow it). */
async function addRequest() {
  const requests = await newRequests();
  const adds = requests.filter(([action]) => action === "add");
  assert.equal(adds.length, 1, "one add request");
  return adds[0][1];
}

before(async () => {
  browser = await launch();
  key = await createAccount("500");
  sdk = await sdkCatalog();
  ({ page, problems } = await openPage(browser));
  await connect(page, { apiUrl, key });
  await page.getByText(/^Showing 25 of 42 services\.$/).waitFor();
  await pollEvery(page, "5 minutes");
  await newRequests();
});
after(async () => {
  await browser?.close();
});

test("each type shows its own fields", async () => {
  await choose(101);
  assert.deepEqual(await visibleFields(), ["Service ID", "Link", "Quantity", "Deliver in several runs"]);
  await choose(105);
  assert.deepEqual(await visibleFields(), ["Service ID", "Link", "Comments (one per line)"]);
  assert.equal(await text("#order-type"), "Order type: Custom Comments");
  await choose(115);
  assert.deepEqual(await visibleFields(), ["Service ID", "Username", "Minimum per post", "Maximum per post",
    "New posts (optional)", "Old posts (optional)", "Delay (minutes)", "Expiry (optional)"]);
  // The delays the panel accepts, 0 to 600 minutes.
  const delays = await field("Delay (minutes)").locator("option").evaluateAll((options) => options.map((o) => Number(o.value)));
  assert.deepEqual(delays, [0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600]);
  await choose(116);
  assert.deepEqual(await visibleFields(), ["Service ID", "Link"]);
  assert.match(await text("#order-service-info"), /— 9\.99 per package$/);
  await choose(801);
  await field("Traffic source").selectOption("1");
  assert.deepEqual(await visibleFields(), ["Service ID", "Link", "Quantity", "Country", "Device", "Traffic source",
    "Google keyword", "Deliver in several runs"]);
  await field("Traffic source").selectOption("2");
  assert.deepEqual((await visibleFields()).slice(5, 7), ["Traffic source", "Referring URL"]);
  await field("Traffic source").selectOption("3");
  assert.deepEqual((await visibleFields()).slice(5, 7), ["Traffic source", "Deliver in several runs"]);
  await choose(404);
  assert.deepEqual(await visibleFields(), ["Service ID", "Link", "Quantity", "Answer number"]);
  assert.deepEqual(await newRequests(), [], "choosing services sends nothing");
});

test("live validation per type shows the SDK catalog's messages next to the field it names", async () => {
  const cases = [
    [105, async () => { await field("Link").fill("https://instagram.com/p/x"); await field("Comments (one per line)").fill("one\ntwo"); },
      { type: "custom_comments", service: 105, link: "https://instagram.com/p/x", comments: ["one", "two"] }],
    [106, async () => { await field("Link").fill("https://instagram.com/p/x"); await field("Usernames (one per line)").fill("@a"); },
      { type: "mentions_custom_list", service: 106, link: "https://instagram.com/p/x", usernames: ["@a"] }],
    [115, async () => {
      await field("Username").fill("bob"); await field("Minimum per post").fill("300"); await field("Maximum per post").fill("200");
    }, { type: "subscriptions", service: 115, username: "bob", min: 300, max: 200, delay: 0 }],
    [801, async () => {
      await field("Link").fill("https://example.com/"); await field("Quantity").fill("1000"); await field("Country").fill("US");
      await field("Traffic source").selectOption("1"); await field("Google keyword").fill("");
    }, { type: "web_traffic", service: 801, link: "https://example.com/", quantity: 1000, country: "US", device: 1, type_of_traffic: 1, google_keyword: "" }],
    [404, async () => { await field("Link").fill("https://t.me/c/1"); await field("Quantity").fill("100"); await field("Answer number").fill("0"); },
      { type: "poll", service: 404, link: "https://t.me/c/1", quantity: 100, answer_number: 0 }],
  ];
  for (const [service, fill, order] of cases) {
    await choose(service);
    await fill();
    await page.getByRole("button", { name: "Place order" }).click(); // shows every error, sends nothing
    const expected = catalogCheck(sdk, order);
    assert.ok(expected, `service ${service}: the SDK refuses ${JSON.stringify(order)}`);
    assert.equal(await text(`#order-${expected.field}-error`), expected.message, `service ${service}`);
    assert.equal(await page.locator(`#order-${expected.field}`).getAttribute("aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.name), expected.field, "the focus goes to the wrong field");
    assert.equal(await text("#order-cost"), "", "no cost for an order that cannot be sent");
    if (service === 115) await snapElement(page, "#order-section", "30-order-subscriptions-invalid");
  }
  assert.deepEqual(await newRequests(), [], "nothing was sent");
});

test("custom comments: the lines are sent joined by \\n, the quantity is their number, the cost is the charge", async () => {
  await choose(105);
  const link = `https://instagram.com/p/${run}-comments`;
  const comments = ["Great shot!", "Love this 😍", "Where is this?", "So good", "Wow", "Nice colours"];
  await field("Link").fill(link);
  await field("Comments (one per line)").fill(["", ...comments.slice(0, 3), "  ", ...comments.slice(3)].join("\n"));
  assert.match(await text("#order-cost"), /\(12\.50 per 1000 × 6 comments\)$/);
  await snapElement(page, "#order-section", "31-order-custom-comments");
  const [id, charge] = await place({ type: "custom_comments", service: 105, link, comments });
  assert.deepEqual(await addRequest(), { action: "add", service: "105", link, comments: comments.join("\n") });
  const sim = await simOrder(id);
  assert.equal(sim.quantity, 6);
  assert.deepEqual(sim.fields, { comments: comments.join("\n") });
  assert.equal(decimal(sim.charge), decimal(charge));
});

test("mentions custom list: usernames, one per line", async () => {
  await choose(106);
  const link = `https://instagram.com/p/${run}-mentions`;
  const usernames = Array.from({ length: 12 }, (_, i) => `@user${i}`);
  await field("Link").fill(link);
  await field("Usernames (one per line)").fill(usernames.join("\n"));
  const [id, charge] = await place({ type: "mentions_custom_list", service: 106, link, usernames });
  assert.deepEqual(await addRequest(), { action: "add", service: "106", link, usernames: usernames.join("\n") });
  const sim = await simOrder(id);
  assert.equal(sim.quantity, 12);
  assert.deepEqual(sim.fields, { usernames: usernames.join("\n") });
  assert.equal(decimal(sim.charge), decimal(charge));
});

test("subscriptions: username, min, max, posts, delay and the expiry date sent as d/m/Y; no link, no quantity", async () => {
  await choose(115);
  await field("Username").fill(`sub_${run}`);
  await field("Minimum per post").fill("100");
  await field("Maximum per post").fill("250");
  await field("New posts (optional)").fill("10");
  await field("Delay (minutes)").selectOption("90");
  await field("Expiry (optional)").fill("2031-12-31");
  const order = { type: "subscriptions", service: 115, username: `sub_${run}`, min: 100, max: 250, posts: 10, delay: 90, expiry: "2031-12-31" };
  const [id, charge] = await place(order);
  assert.deepEqual(await addRequest(),
    { action: "add", service: "115", username: `sub_${run}`, min: "100", max: "250", posts: "10", delay: "90", expiry: "31/12/2031" });
  const sim = await simOrder(id);
  assert.deepEqual(sim.subscription, { username: `sub_${run}`, min: 100, max: 250, posts: 10, old_posts: null, delay: 90, expiry: "31/12/2031" });
  assert.equal(decimal(sim.charge), decimal(charge));
  assert.equal(await page.locator(`#orders-body tr[data-order="${id}"] td[data-label="Status"]`).innerText(), "Active");
});

test("web traffic from a Google keyword, drip-fed", async () => {
  await choose(801);
  const link = `https://example.com/${run}-traffic`;
  await field("Link").fill(link);
  await field("Quantity").fill("2000");
  await field("Country").fill("DE");
  await field("Device").selectOption("2");
  await field("Traffic source").selectOption("1");
  await field("Google keyword").fill("best coffee berlin");
  await page.getByLabel("Deliver in several runs").check();
  await field("Runs").fill("2");
  await field("Interval (minutes)").fill("30");
  assert.match(await text("#order-cost"), /\(0\.75 per 1000 × 2,000 × 2 runs\)$/);
  await snapElement(page, "#order-section", "32-order-web-traffic");
  const [id, charge] = await place({
    type: "web_traffic", service: 801, link, quantity: 2000, country: "DE", device: 2, type_of_traffic: 1,
    google_keyword: "best coffee berlin", runs: 2, interval: 30,
  });
  assert.deepEqual(await addRequest(), {
    action: "add", service: "801", link, quantity: "2000", country: "DE", device: "2", type_of_traffic: "1",
    google_keyword: "best coffee berlin", runs: "2", interval: "30", intervals: "30",
  });
  const sim = await simOrder(id);
  assert.deepEqual(sim.fields, { country: "DE", device: "2", type_of_traffic: "1", google_keyword: "best coffee berlin" });
  // A drip-feed parent: its charge is that of every run together.
  assert.equal(decimal(sim.charge), decimal(charge));
});

test("a package: the link only, priced per package", async () => {
  await choose(116);
  const link = `https://instagram.com/${run}-package`;
  await field("Link").fill(link);
  assert.match(await text("#order-cost"), /^Cost: 9\.99 USD \(9\.99 per package\)$/);
  const [id, charge] = await place({ type: "package", service: 116, link });
  assert.deepEqual(await addRequest(), { action: "add", service: "116", link });
  const sim = await simOrder(id);
  assert.equal(sim.type, "Package");
  assert.deepEqual(sim.fields, {});
  assert.equal(decimal(sim.charge), decimal(charge));
  await snap(page, "33-order-types-placed");
  assert.deepEqual(await problems(), []);
});
