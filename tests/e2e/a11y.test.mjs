// Accessibility checks on every screen state: every control has a name, text contrast meets
// WCAG AA, results are announced (aria-live), and a 380-pixel-wide window needs no sideways scroll
// (in Firefox and WebKit the narrowest window they allow: helpers.mjs setNarrow).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAccount, simOrigin } from "../support/sim.mjs";
import { WIDE, connect, launch, openPage, placeOrder, setNarrow } from "./helpers.mjs";

const apiUrl = `${simOrigin()}/api/v2`;
let browser, page;

before(async () => {
  browser = await launch();
  ({ page } = await openPage(browser));
});
after(async () => {
  await browser?.close();
});

/** Controls without an accessible name (label, aria-label, aria-labelledby or text). */
const unnamedControls = () => page.evaluate(() =>
  [...document.querySelectorAll("input, select, button, textarea")]
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") ||
      (el.tagName === "BUTTON" && el.textContent.trim())))
    .map((el) => el.outerHTML.slice(0, 120)));

/**
 * Visible text whose contrast with its background is below WCAG AA (4.5:1, or 3:1 for large
 * text). The background is the first opaque one among the element and its ancestors.
 */
const lowContrast = () => page.evaluate(() => {
  const rgb = (text) => (text.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(node).backgroundColor);
      if (a > 0.5) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!hasText || el.getClientRects().length === 0 || el.closest("[hidden], .visually-hidden")) continue;
    const style = getComputedStyle(el);
    const fg = luminance(rgb(style.color));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    // Disabled controls are exempt from contrast requirements (WCAG 1.4.3).
    if (ratio < (large ? 3 : 4.5) && !el.disabled) failures.push(`${ratio.toFixed(2)}:1 ${el.tagName} “${el.textContent.trim().slice(0, 40)}”`);
  }
  return failures;
});

/** [content width, window width, the window's width asked] at the narrow viewport. */
const overflowWhenNarrow = async () => {
  const narrow = await setNarrow(page);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  await page.setViewportSize(WIDE);
  return [...widths, narrow];
};

async function checkScreen(name) {
  assert.deepEqual(await unnamedControls(), [], `${name}: every control has a name`);
  assert.deepEqual(await lowContrast(), [], `${name}: contrast`);
  const [scroll, client, narrow] = await overflowWhenNarrow();
  assert.ok(scroll <= client, `${name}: no sideways scrolling at ${narrow} px (content ${scroll} px, window ${client} px)`);
}

test("the start screen", async () => {
  await checkScreen("start");
});

test("an error message", async () => {
  await connect(page, { apiUrl, key: "not-a-key" });
  await checkScreen("wrong key");
});

test("connected, with services, a validation error and orders", async () => {
  const key = await createAccount("50");
  await connect(page, { apiUrl, key });
  await page.getByText(/^Showing 25 of 42 services\.$/).waitFor();
  await placeOrder(page, { service: 102, link: `https://example.com/a11y-${Date.now()}`, quantity: 100 });
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel("Link").fill("");
  await page.getByLabel("Link").blur();
  await checkScreen("connected");
});

test("results are announced: message regions are live", async () => {
  const live = await page.evaluate(() =>
    ["connect-message", "order-message", "orders-message", "services-count", "order-cost"]
      .map((id) => [id, document.getElementById(id).getAttribute("aria-live")]));
  assert.deepEqual(live, [["connect-message", "polite"], ["order-message", "polite"], ["orders-message", "polite"],
    ["services-count", "polite"], ["order-cost", "polite"]]);
  // Field errors are tied to their inputs.
  const described = await page.getByLabel("Link").getAttribute("aria-describedby");
  assert.match(described, /order-link-error/);
  assert.equal(await page.getByLabel("Link").getAttribute("aria-invalid"), "true");
});
