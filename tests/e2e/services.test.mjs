// Connect, then browse the catalog: search, filter by category and type, sort by rate, show more.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simOrigin } from "../support/sim.mjs";
import { catalog, connect, journal, launch, openPage, rows, snap } from "./helpers.mjs";

const apiUrl = `${simOrigin()}/api/v2`;
let browser, page, problems, key, services;

before(async () => {
  browser = await launch();
  key = await createAccount("25.5");
  services = await catalog(await createAccount("0")); // another account: this one's journal stays the page's
  ({ page, problems } = await openPage(browser));
});
after(async () => {
  await browser?.close();
});

const ids = async () => (await rows(page, "#services-body")).map((cells) => Number(cells[0]));
const count = () => page.locator("#services-count").innerText();

test("the page opens with the simulator's API URL and the demo key pre-filled", async () => {
  await snap(page, "01-start");
  assert.equal(await page.getByLabel("API URL").inputValue(), apiUrl);
  assert.equal(await page.getByLabel("API key").inputValue(), "demo-key");
  assert.equal(await page.locator("#workspace").isHidden(), true, "nothing but the connect form before connecting");
});

test("connect shows the balance and loads the catalog, sending balance then services", async () => {
  await connect(page, { apiUrl, key });
  assert.match(await page.locator("#connect-message").innerText(), /Connected to 127\.0\.0\.1:\d+/);
  assert.equal(await page.locator("#balance").innerText(), "25.50000 USD");
  await page.getByText(/^Showing 25 of 42 services\.$/).waitFor();
  assert.deepEqual(await ids(), services.slice(0, 25).map((s) => Number(s.service)));
  // Rates are shown exactly as the panel spells them, per 1000.
  const first = (await rows(page, "#services-body"))[0];
  assert.equal(first[3], services[0].rate);
  assert.deepEqual(await journal(key), [["balance", { action: "balance" }], ["services", { action: "services" }]]);
  await snap(page, "02-connected");
});

test("show more adds the next rows; the button goes when all are shown", async () => {
  await page.getByRole("button", { name: "Show 17 more" }).click();
  assert.equal(await count(), "Showing 42 of 42 services.");
  assert.deepEqual(await ids(), services.map((s) => Number(s.service)));
  assert.equal(await page.locator("#services-more").isHidden(), true);
});

test("search by name words and by ID", async () => {
  await page.getByLabel("Search", { exact: true }).fill("tiktok likes");
  const expected = services.filter((s) => /tiktok/i.test(s.name) && /likes/i.test(s.name)).map((s) => Number(s.service));
  assert.ok(expected.length > 0);
  assert.deepEqual(await ids(), expected);
  assert.equal(await count(), `Showing ${expected.length} of ${expected.length} service${expected.length === 1 ? "" : "s"} (of 42).`);

  await page.getByLabel("Search", { exact: true }).fill("305");
  assert.deepEqual(await ids(), [305]);

  await page.getByLabel("Search", { exact: true }).fill("no such service anywhere");
  assert.equal(await count(), "No service matches.");
  assert.deepEqual(await ids(), []);
  await snap(page, "03-search-empty");
  await page.getByLabel("Search", { exact: true }).fill("");
});

test("filter by category and by type, sort by rate exactly", async () => {
  await page.getByLabel("Category").selectOption("Instagram Comments");
  assert.deepEqual(await ids(), services.filter((s) => s.category === "Instagram Comments").map((s) => Number(s.service)));

  await page.getByLabel("Category").selectOption("");
  await page.getByLabel("Type").selectOption("Custom Comments");
  const custom = services.filter((s) => s.type === "Custom Comments");
  assert.ok(custom.length >= 2);
  assert.deepEqual(await ids(), custom.map((s) => Number(s.service)));

  await page.getByLabel("Type").selectOption("");
  await page.getByLabel("Sort").selectOption("rate-asc");
  const cells = await rows(page, "#services-body");
  const rates = cells.map((c) => c[3]);
  // The page's order must agree with an independent exact comparison (scaled BigInts here).
  const scaled = (rate) => { const [w, f = ""] = rate.split("."); return BigInt(w + f.padEnd(10, "0")); };
  const sorted = [...services].sort((a, b) => (scaled(a.rate) < scaled(b.rate) ? -1 : scaled(a.rate) > scaled(b.rate) ? 1 : a.service - b.service));
  assert.deepEqual(rates, sorted.slice(0, 25).map((s) => s.rate));

  await page.getByLabel("Sort").selectOption("rate-desc");
  const top = (await rows(page, "#services-body"))[0];
  assert.equal(top[3], sorted.at(-1).rate);
  await snap(page, "04-sorted-by-rate");
  await page.getByLabel("Sort").selectOption("id");
  // Browsing never asks the panel anything more.
  assert.equal((await journal(key)).length, 2);
  assert.deepEqual(await problems(), []);
});

test("keyboard: the connect form and the table are usable without a mouse, with a visible focus", async () => {
  const { page: fresh, context } = await openPage(browser);
  await fresh.getByLabel("API URL").focus();
  await fresh.keyboard.press("Tab");
  assert.equal(await fresh.evaluate(() => document.activeElement.id), "api-key");
  await fresh.keyboard.press("Control+A");
  await fresh.keyboard.type(key);
  await fresh.keyboard.press("Tab");
  assert.equal(await fresh.evaluate(() => document.activeElement.id), "connect-button");
  // The focused control shows a focus ring (keyboard focus: :focus-visible).
  const outline = await fresh.evaluate(() => getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth);
  assert.equal(outline, "solid 3px");
  await fresh.keyboard.press("Enter");
  await fresh.getByText(/^Showing 25 of 42 services\.$/).waitFor();
  // Tab from the search box reaches the filters, and an "Order" button can be pressed with Enter.
  await fresh.getByLabel("Search", { exact: true }).focus();
  await fresh.keyboard.type("301");
  for (let i = 0; i < 10 && !(await fresh.evaluate(() => document.activeElement.dataset?.service)); i++) {
    await fresh.keyboard.press("Tab");
  }
  assert.equal(await fresh.evaluate(() => document.activeElement.dataset.service), "301");
  await fresh.keyboard.press("Enter");
  assert.equal(await fresh.getByLabel("Service ID").inputValue(), "301");
  assert.equal(await fresh.evaluate(() => document.activeElement.id), "order-link", "the link field takes the focus");
  await snap(fresh, "05-keyboard-order-focus");
  await context.close();
});
