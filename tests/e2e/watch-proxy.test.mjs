// The orders view follows orders with the SDK's watchOrders as the simulator's clock advances
// (batched polls, never faster than the interval chosen, stopping once every order is final), and
// the proxy mode: the page served by scripts/proxy-server.mjs connects with no key, and the key
// appears in nothing the browser sees, while the panel does receive it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import { createAccount, simControl, simOrigin } from "../support/sim.mjs";
import { startProxyServer } from "../../scripts/proxy-server.mjs";
import { connect, journal, launch, openPage, placeOrder, pollEvery, simOrder, snap, snapElement, watched } from "./helpers.mjs";

let browser;
const run = Date.now().toString(36);

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * An HTTP server on 127.0.0.1 that forwards every request to the origin given to `forwardTo`
 * and pushes onto `seen` what crossed it: [what, text] for each request line, request headers,
 * request body, answer headers and answer body. Resolves to { url, forwardTo, close }.
 */
async function startRecorder(seen) {
  let target;
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    seen.push([`request ${req.method} ${req.url}`, req.url]);
    seen.push(["request headers", JSON.stringify(req.headers)]);
    seen.push(["request body", body.toString("latin1")]);
    // Forwarded as it came, Host included: to the proxy the page is on its own origin, as it
    // would be were the proxy serving it directly.
    const answer = await new Promise((resolve, reject) => {
      const forward = request(new URL(req.url, target), { method: req.method, headers: req.headers }, resolve);
      forward.on("error", reject);
      forward.end(body);
    });
    const answerChunks = [];
    for await (const chunk of answer) answerChunks.push(chunk);
    const answerBody = Buffer.concat(answerChunks);
    seen.push(["response headers", JSON.stringify(answer.headers)]);
    seen.push([`response body ${req.url}`, answerBody.toString("latin1")]);
    res.writeHead(answer.statusCode, answer.headers);
    res.end(answerBody);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    forwardTo: (origin) => {
      target = origin;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const rowStatus = (page, id) => page.locator(`#orders-body tr[data-order="${id}"] td[data-label="Status"]`);

/** The status polls the simulator received with this key: [time_ms, {fields}]. */
async function statusPolls(key) {
  const res = await fetch(`${simOrigin()}/__sim/journal?key=${encodeURIComponent(key)}&action=status`);
  return (await res.json()).map((e) => [e.time_ms, Object.fromEntries(e.body.filter(([n]) => n !== "key"))]);
}

test("the orders view updates from watchOrders as the clock advances, polling batched and no faster than asked", async () => {
  const key = await createAccount("50");
  const { page, context, problems } = await openPage(browser);
  await connect(page, { apiUrl: `${simOrigin()}/api/v2`, key });
  await page.getByText(/^Showing 25 of 42 services\.$/).waitFor();
  await pollEvery(page, "5 seconds");
  const a = await placeOrder(page, { service: 102, link: `https://instagram.com/p/${run}-w1`, quantity: 500 });
  const b = await placeOrder(page, { service: 103, link: `https://instagram.com/p/${run}-w2`, quantity: 400 });
  await watched(page);
  assert.equal(await rowStatus(page, a).innerText(), "Pending");
  assert.match(await page.locator("#orders-watch").innerText(), /^Watching 2 orders: statuses are checked every 5 seconds\./);

  // Nobody clicks anything: the next polls bring the changes.
  await simControl("POST", "clock", { advance_seconds: 61 });
  await page.waitForFunction((id) => document.querySelector(`tr[data-order="${id}"] td[data-label="Status"]`)?.innerText === "In progress", a, { timeout: 15000 });
  const sim = await simOrder(a);
  await page.waitForFunction(([id, text]) => document.querySelector(`tr[data-order="${id}"] td[data-label="Progress"]`)?.innerText.trim().startsWith(text),
    [a, `${(500 - sim.remains).toLocaleString("en")} / 500`], { timeout: 15000 });
  await snapElement(page, "#orders-section", "40-orders-watching");

  await simControl("POST", "clock", { advance_seconds: 1200 });
  await page.getByText("Every order is final: nothing left to watch.").waitFor({ timeout: 15000 });
  for (const id of [a, b]) assert.match(await rowStatus(page, id).innerText(), new RegExp(`^${(await simOrder(id)).status}`));
  await snap(page, "41-orders-final");

  // Every poll asked for both orders in one request, at least 5 s apart (the first two come from
  // restarts when an order was added); after the last order became final, polling stopped.
  const polls = await statusPolls(key);
  assert.ok(polls.length >= 4, `several polls (${polls.length})`);
  const both = [a, b].sort().join(",");
  const scheduled = polls.slice(2);
  for (const [, fields] of scheduled) {
    assert.deepEqual({ ...fields, orders: fields.orders.split(",").sort().join(",") }, { action: "status", orders: both });
  }
  for (let i = 1; i < scheduled.length; i++) {
    const gap = scheduled[i][0] - scheduled[i - 1][0];
    assert.ok(gap >= 4900, `polls ${gap} ms apart, not faster than 5 s`);
  }
  const count = polls.length;
  await new Promise((resolve) => setTimeout(resolve, 6000));
  assert.equal((await statusPolls(key)).length, count, "no poll after every order is final");
  assert.deepEqual(await problems(), []);
  await context.close();
});

test("proxy mode: the page connects with no key and orders; the key is in nothing the browser sees", async () => {
  const key = await createAccount("20");
  // Everything between the browser and the proxy passes through a recorder: every request's
  // line, headers and body and every answer's headers and body, whatever the engine (classic
  // WebDriver cannot intercept requests, so the wire itself is watched).
  const seen = []; // [what, text]
  const front = await startRecorder(seen);
  const proxy = await startProxyServer({
    panel: `${simOrigin()}/api/v2`, key, staticDir: "target/e2e-site",
    allowedActions: ["services", "balance", "add", "status", "refill", "refill_status", "cancel"],
  });
  front.forwardTo(proxy.url);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${front.url}/?mode=proxy`);
    await page.locator("#api-key-field").waitFor({ state: "hidden" }); // the page's module has run
    assert.equal(await page.getByLabel("Through my proxy", { exact: false }).isChecked(), true);
    assert.equal(await page.locator("#api-key-field").isHidden(), true, "no key field in proxy mode");
    assert.equal(await page.getByLabel("API URL").inputValue(), `${front.url}/api/v2`);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.locator("#connect-message .note:not(.info)").waitFor();
    assert.match(await page.locator("#connect-message").innerText(), /through a proxy: no API key in this browser/);
    assert.equal(await page.locator("#balance").innerText(), "20.00000 USD");
    await page.getByText(/^Showing 25 of 42 services\.$/).waitFor();
    await snap(page, "42-proxy-connected");
    const id = await placeOrder(page, { service: 102, link: `https://instagram.com/p/${run}-proxy`, quantity: 200 });
    await watched(page);
    assert.equal((await simOrder(id)).link, `https://instagram.com/p/${run}-proxy`);
    await page.getByRole("button", { name: "Refresh statuses" }).click();
    await watched(page);
    await snap(page, "43-proxy-order");
    // The page fetched from its own origin only (every request that completed: Resource Timing
    // lists no failed ones), so the recorder saw its traffic.
    const fetched = await page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name));
    for (const url of fetched) assert.equal(new URL(url).origin, front.url, `the page fetched ${url}`);
    seen.push(["resource URLs (page)", fetched.join("\n")]);
    assert.deepEqual(await page.problems(), []);

    // The recorder saw the traffic: the order's link went out, its ID came back.
    const all = seen.map(([, text]) => text).join("\n");
    assert.match(all, new RegExp(`${run}-proxy`), "the page's requests were seen");
    assert.match(all, new RegExp(`"order":\\s*${id}`), "the panel's answers were seen");
    assert.ok(seen.filter(([what]) => what.startsWith("request POST")).length >= 4, "balance, services, add, status at least");
    // The key appears nowhere: not in URLs, request bodies, headers, answers, storage, cookies or the page.
    for (const [what, text] of seen) assert.ok(!text.includes(key), `the key is in ${what}`);
    const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]));
    assert.ok(!storage.includes(key), "the key is in the page's storage");
    const dom = await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText +
      [...document.querySelectorAll("input, textarea, select")].map((el) => el.value).join("\n"));
    assert.ok(!dom.includes(key), "the key is in the page");
    assert.equal(JSON.stringify(await context.cookies()).includes(key), false);

    // And the panel did receive it, from the proxy: every request carries it (masked in the journal).
    const received = await journal(key);
    assert.deepEqual(received.slice(0, 3).map(([action]) => action), ["balance", "services", "add"]);
    assert.ok(received.some(([action, fields]) => action === "status" && fields.orders === String(id)));
    const raw = await (await fetch(`${simOrigin()}/__sim/journal?key=${encodeURIComponent(key)}`)).json();
    for (const entry of raw) assert.deepEqual(entry.body.find(([name]) => name === "key"), ["key", `****${key.slice(-2)}`]);
    await context.close();
  } finally {
    await front.close();
    await proxy.close();
  }
});
