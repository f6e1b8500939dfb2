// What the page says when connecting fails: a wrong key, a panel that hides its answers from the
// browser (no CORS headers, as real panels), an unreachable panel, an outage; and that each
// failure sent exactly the requests expected.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { closedPort, createAccount, simControl, simOrigin } from "../support/sim.mjs";
import { connect, control, journal, launch, openPage, snap } from "./helpers.mjs";

const apiUrl = `${simOrigin()}/api/v2`;
const noCorsUrl = process.env.SMM_SIM_NOCORS_URL;
let browser;

before(async () => {
  assert.ok(noCorsUrl, "SMM_SIM_NOCORS_URL is set: run through scripts/test.sh e2e");
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const message = (page) => page.locator("#connect-message").innerText();
const balanceOnly = (n) => Array.from({ length: n }, () => ["balance", { action: "balance" }]);

test("a wrong key: the panel's refusal, once, and no workspace", async () => {
  const { page, context, problems } = await openPage(browser);
  const key = `wrong-${Date.now()}`;
  await connect(page, { apiUrl, key });
  const text = await message(page);
  assert.match(text, /^The panel rejected the API key\./);
  assert.match(text, /The panel said: “Invalid API key”/);
  assert.equal(await page.locator("#workspace").isHidden(), true);
  assert.equal(await page.locator("#account").isHidden(), true);
  // The refusal is an answer: not retried.
  assert.deepEqual(await journal(key), balanceOnly(1));
  assert.doesNotMatch(await page.content(), new RegExp(`value="${key}"|>${key}<`), "the key is not echoed into the page");
  await snap(page, "20-wrong-key");
  assert.deepEqual(await problems(), []);
  await context.close();
});

test("a panel on another origin without CORS headers: explained, with why a proxy is needed", async () => {
  const origin = new URL(noCorsUrl).origin;
  const key = `test-nocors-${Date.now()}`;
  await control(origin, "POST", "accounts", { key, balance: "5" });
  await control(origin, "DELETE", "journal");
  const { page, context } = await openPage(browser);
  await connect(page, { apiUrl: noCorsUrl, key });
  const text = await message(page);
  assert.match(text, /^The panel answered, but the browser hides its answers from this page \(CORS\)\./);
  assert.match(text, /proxy on your own server/);
  assert.equal(await page.locator("#workspace").isHidden(), true);

  // The panel did receive the balance requests (the browser only hid the answers). balance is
  // read-only, so the SDK retried it (maxRetries, default 2): three in all.
  assert.deepEqual(await journal(key, origin), balanceOnly(3));
  // Plus the page's one diagnostic request: an opaque GET with no key and no action.
  const all = await (await fetch(`${origin}/__sim/journal`)).json();
  const probes = all.filter((entry) => entry.body.every(([name]) => name !== "key"));
  assert.equal(probes.length, 1);
  assert.equal(probes[0].method, "GET");
  assert.deepEqual([probes[0].query, probes[0].body], [[], []]);
  await snap(page, "21-cors-hidden");
  await context.close();
});

test("an unreachable panel (nothing listens there)", async () => {
  const { page, context } = await openPage(browser);
  // A port nothing listens on.
  const port = await closedPort();
  await connect(page, { apiUrl: `http://127.0.0.1:${port}/api/v2`, key: "any" });
  const text = await message(page);
  assert.match(text, /^The panel could not be reached\./);
  assert.doesNotMatch(text, /CORS/);
  await snap(page, "22-unreachable");
  await context.close();
});

test("an outage (Cloudflare error page): said plainly; connecting works again once it is over", async () => {
  const key = await createAccount("12.34");
  await simControl("POST", "faults", { fault: "html", count: 100, key });
  const { page, context, problems } = await openPage(browser);
  try {
    await connect(page, { apiUrl, key });
    const text = await message(page);
    assert.match(text, /^The panel answered with an error page \(HTTP 503\)\./);
    assert.match(text, /may be down/);
    assert.deepEqual(await journal(key), balanceOnly(3), "read-only: tried three times");
    await snap(page, "23-outage");
  } finally {
    await simControl("DELETE", "faults");
  }
  await page.getByRole("button", { name: "Connect" }).click();
  await page.getByText(/^Connected to /).waitFor();
  assert.equal(await page.locator("#balance").innerText(), "12.34000 USD");
  assert.deepEqual((await journal(key)).slice(3), [["balance", { action: "balance" }], ["services", { action: "services" }]]);
  assert.deepEqual(await problems(), []);
  await context.close();
});

test("an http: URL that is not local is refused before anything is sent", async () => {
  const { page, context } = await openPage(browser);
  await connect(page, { apiUrl: "http://panel.example/api/v2", key: "k" });
  const text = await message(page);
  assert.match(text, /^This cannot be sent\./);
  assert.match(text, /unencrypted/);
  await context.close();
});
