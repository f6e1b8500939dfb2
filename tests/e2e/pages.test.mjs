// The page API itself (../support/pages.mjs), in the engine of this run: what the e2e tests rely
// on it to do, on a small page of its own. A double click is two clicks and a dblclick (the order
// test's "exactly one order" means nothing if the second click never came); fill replaces the
// text, lines and characters outside the BMP included; selectOption waits for an option that
// comes later; check and uncheck change the box; strict locators refuse two matches; the narrow
// viewport is the width asked or, where the window stops short of it, says what it got.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { simOrigin } from "../support/sim.mjs";
import { ENGINE, NARROW, WIDE, launch, setNarrow } from "./helpers.mjs";

let browser, context, page;

const html = `<!doctype html><meta charset="utf-8"><title>pages</title>
<button id="b">Press</button> <button>Press too</button>
<label>Note <textarea id="t">old text</textarea></label>
<label>Count <input id="n" type="number" value="7"></label>
<label>Pick <select id="s"><option value="">none</option></select></label>
<label><input id="c" type="checkbox"> Agree</label>
<script>
  window.events = [];
  for (const type of ["click", "dblclick"]) document.getElementById("b").addEventListener(type, () => events.push(type));
  setTimeout(() => document.getElementById("s").append(new Option("Later", "later")), 500);
</script>`;

before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: WIDE });
  page = await context.newPage();
  // From the simulator's origin, as the e2e pages are (a data: URL is another origin in some engines).
  await page.goto(`${simOrigin()}/`);
  await page.evaluate((html) => {
    document.open();
    document.write(html);
    document.close();
  }, html);
});
after(async () => {
  await context?.close();
  await browser?.close();
});

test("a double click is two clicks and a dblclick", async () => {
  await page.locator("#b").dblclick();
  assert.deepEqual(await page.evaluate(() => window.events), ["click", "click", "dblclick"]);
});

test("fill replaces the text, line breaks and emoji included, and a number field's value", async () => {
  await page.getByLabel("Note").fill("one\ntwo 😍");
  assert.equal(await page.locator("#t").inputValue(), "one\ntwo 😍");
  await page.getByLabel("Count").fill("120");
  assert.equal(await page.locator("#n").inputValue(), "120");
  await page.getByLabel("Count").fill("");
  assert.equal(await page.locator("#n").inputValue(), "");
});

test("selectOption waits for an option that comes later", async () => {
  await page.getByLabel("Pick").selectOption("later");
  assert.equal(await page.locator("#s").inputValue(), "later");
});

test("check and uncheck change the box", async () => {
  await page.getByLabel("Agree").check();
  assert.equal(await page.getByLabel("Agree").isChecked(), true);
  await page.getByLabel("Agree").uncheck();
  assert.equal(await page.getByLabel("Agree").isChecked(), false);
});

test("a locator that matches two elements is refused", async () => {
  await assert.rejects(page.getByRole("button", { name: "Press" }).click(), /strict mode/);
  await page.getByRole("button", { name: "Press", exact: true }).click();
});

test("the narrow viewport is 380 px, or the engine's narrowest window", async (t) => {
  const width = await setNarrow(page);
  const inner = await page.evaluate(() => window.innerWidth);
  assert.equal(inner, width);
  if (ENGINE === "chromium") assert.equal(width, NARROW.width);
  t.diagnostic(`${ENGINE}: narrow viewport ${width} px`);
  await page.setViewportSize(WIDE);
});
