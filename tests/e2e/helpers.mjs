// Shared by the end-to-end tests of the sample page (www/), served by the simulator on its own
// origin with the built package under pkg/ (scripts/test.sh e2e). The suite runs in the engine
// named by E2E_ENGINE (chromium, firefox or webkit; scripts/test.sh runs it once per engine of
// ENGINES) through the Playwright-shaped page API of ../support/pages.mjs.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "../support/pages.mjs";
import { simControl, simOrigin } from "../support/sim.mjs";

export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 380, height: 800 };

/** The engine of this run. */
export const ENGINE = process.env.E2E_ENGINE ?? "chromium";

// Chromium's screenshots where they always were (the README shows some); the others' beside them.
const screenshots = fileURLToPath(new URL(`../artifacts/screenshots/${ENGINE === "chromium" ? "" : `${ENGINE}/`}`, import.meta.url));
mkdirSync(screenshots, { recursive: true });

export function launch() {
  return launchBrowser(ENGINE);
}

/**
 * A fresh page (own context, so its own localStorage) on the sample page. Page errors and console
 * errors are collected; `await problems()` returns them for a final assertion.
 */
export async function openPage(browser, origin = simOrigin()) {
  const context = await browser.newContext({ viewport: WIDE });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  // The page's module has run (it enables Connect): the load event does not wait for its
  // top-level await.
  await page.locator("#connect-button:not([disabled])").waitFor();
  return { page, context, problems: () => page.problems() };
}

/** Fills the connect form and presses Connect; waits for the outcome message. */
export async function connect(page, { apiUrl, key }) {
  await page.getByLabel("API URL").fill(apiUrl);
  await page.getByLabel("API key").fill(key ?? "");
  await page.getByRole("button", { name: "Connect" }).click();
  await page.locator("#connect-message .note:not(.info)").waitFor();
}

/**
 * The narrow viewport (380 px wide); in Firefox and WebKit, whose windows stop short of it, the
 * narrowest the window allows (headless Firefox 500 px, MiniBrowser 447 px: README,
 * "Compatibility"). Resolves to the width set.
 */
export async function setNarrow(page) {
  try {
    await page.setViewportSize(NARROW);
    return NARROW.width;
  } catch (error) {
    if (ENGINE === "chromium" || !error.reached || error.reached.width <= NARROW.width) throw error;
    return error.reached.width;
  }
}

/** Screenshots of the page as it is, wide and narrow (full page), under tests/artifacts/screenshots/. */
export async function snap(page, name) {
  const size = page.viewportSize();
  for (const suffix of ["wide", "narrow"]) {
    if (suffix === "wide") await page.setViewportSize(WIDE);
    else await setNarrow(page);
    await page.screenshot({ path: `${screenshots}${name}-${suffix}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}

/** A screenshot of one element (readable at full size), wide and narrow. */
export async function snapElement(page, selector, name) {
  const size = page.viewportSize();
  for (const suffix of ["wide", "narrow"]) {
    if (suffix === "wide") await page.setViewportSize(WIDE);
    else await setNarrow(page);
    await page.locator(selector).screenshot({ path: `${screenshots}${name}-${suffix}.png` });
  }
  await page.setViewportSize(size);
}

/**
 * The API requests the simulator at `origin` received with this key, oldest first, each as
 * [action, {field: value}] without the key. Control requests are never journaled.
 */
export async function journal(key, origin = simOrigin()) {
  const res = await fetch(`${origin}/__sim/journal?key=${encodeURIComponent(key)}`);
  assert.equal(res.status, 200);
  const entries = await res.json();
  return entries.map((entry) => [entry.action, Object.fromEntries(entry.body.filter(([name]) => name !== "key"))]);
}

/** The same, as sorted JSON lines: for requests the page sends concurrently. */
export function unordered(requests) {
  return requests.map((r) => JSON.stringify(r)).sort();
}

/** The simulator's internal view of an order (control API, not journaled). */
export async function simOrder(id, origin = simOrigin()) {
  const res = await fetch(`${origin}/__sim/orders/${id}`);
  assert.equal(res.status, 200, `order ${id} exists in the simulator`);
  return res.json();
}

export async function simAccount(key, origin = simOrigin()) {
  const res = await fetch(`${origin}/__sim/accounts/${encodeURIComponent(key)}`);
  assert.equal(res.status, 200);
  return res.json();
}

/** The control API of another simulator than SMM_SIM_URL's. */
export function control(origin, method, path, body) {
  return simControl(method, path, body, origin);
}

/** The services of the simulator's catalog, read directly (for independent expectations). */
export async function catalog(key, origin = simOrigin()) {
  const res = await fetch(`${origin}/api/v2`, { method: "POST", body: new URLSearchParams({ key, action: "services" }) });
  return res.json();
}

/** The text of the rows of a table body, one array of cell texts per row. */
export async function rows(page, tbody) {
  return page.locator(`${tbody} tr`).evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.innerText.trim())));
}

/** The order row of the orders table, as a locator. */
export function orderRow(page, id) {
  return page.locator(`#orders-body tr[data-order="${id}"]`);
}

/** Fills the new-order form for a service (via the table's "Order" button) and submits it. */
export async function placeOrder(page, { service, link, quantity, runs, interval }) {
  await page.getByLabel("Search", { exact: true }).fill(String(service));
  await page.getByRole("button", { name: new RegExp(`^Order service ${service}:`) }).click();
  await page.getByLabel("Link").fill(link);
  await page.getByLabel("Quantity").fill(String(quantity));
  if (runs !== undefined) {
    await page.getByLabel("Deliver in several runs").check();
    await page.getByLabel("Runs", { exact: true }).fill(String(runs));
    await page.getByLabel("Interval (minutes)").fill(String(interval));
  }
  await page.getByRole("button", { name: "Place order" }).click();
  const note = page.locator("#order-message .note:not(.info)");
  await note.waitFor();
  const text = await note.innerText();
  const match = /Order (\d+) placed/.exec(text);
  assert.ok(match, `the order was placed; the page says: ${text}`);
  return Number(match[1]);
}

/**
 * The SDK's own catalog, built in Node from the simulator's services with another account (so the
 * page's journal stays its own): the independent source of the messages and charges expected.
 */
export async function sdkCatalog(origin = simOrigin()) {
  const { SmmClient } = await import("../../pkg/node.js");
  const key = `test-catalog-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await control(origin, "POST", "accounts", { key, balance: "0" });
  return new SmmClient({ apiUrl: `${origin}/api/v2`, key }).catalog();
}

/** What the catalog says about an order: null when valid, else {field, message}. */
export function catalogCheck(catalog, order) {
  try {
    catalog.validate(order);
    return null;
  } catch (error) {
    return { field: error.field, message: error.message };
  }
}

/** Waits until the orders view's current watchOrders has reported every order it watches. */
export async function watched(page) {
  await page.locator('#orders-watch[data-polled="yes"]').waitFor({ state: "attached" });
}

/** Chooses how often the orders view polls (the option's text, e.g. "5 minutes"). */
export async function pollEvery(page, label) {
  await page.getByLabel("Check every").selectOption({ label });
  await watched(page);
}
