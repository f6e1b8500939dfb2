// The services table stays fast with thousands of services: a simulator of our own with a
// generated catalog (--services N), the page on its origin, timings measured in the page with
// the User Timing marks the page sets (services-fetch, services-index, services-update).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect, launch, openPage, snap } from "./helpers.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const site = process.env.E2E_SITE ?? join(root, "target/e2e-site");
const binary = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug/smm-panel-sim");
const SIZES = [5000, 20000];
const servers = [];
let browser;

async function startSimulator(services) {
  const portFile = join(mkdtempSync(join(tmpdir(), "smm-e2e-")), "port");
  const child = spawn(binary, ["--port", "0", "--port-file", portFile, "--services", String(services),
    "--clock-speed", "0", "--static", site], { stdio: ["ignore", "ignore", "inherit"] });
  servers.push(child);
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(portFile), "the simulator started");
  return `http://127.0.0.1:${readFileSync(portFile, "utf8").trim()}`;
}

before(async () => {
  assert.ok(existsSync(join(site, "index.html")), `the assembled site is at ${site}`);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const child of servers) {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
  }
});

const measures = (page, name) => page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), name);
const ms = (n) => `${n.toFixed(1)} ms`;

for (const size of SIZES) {
  test(`${size.toLocaleString("en")} services: at most 25 rows in the page, filtering and sorting stay fast`, async (t) => {
    const origin = await startSimulator(size);
    const { page, context, problems } = await openPage(browser, origin);
    const started = Date.now();
    await connect(page, { apiUrl: `${origin}/api/v2`, key: "demo-key" });
    await page.getByText(`Showing 25 of ${size.toLocaleString("en")} services.`).waitFor();
    const connectMs = Date.now() - started;
    assert.equal(await page.locator("#services-body tr").count(), 25);

    // Every keystroke of a search filters the whole catalog and re-renders.
    await page.getByLabel("Search", { exact: true }).pressSequentially("followers 1", { delay: 0 });
    const filtered = await page.locator("#services-count").innerText();
    assert.match(filtered, /^Showing \d+ of [\d,]+ services? \(of [\d,]+\)\.$|^No service matches\.$/);
    await page.getByLabel("Search", { exact: true }).fill("");
    await page.getByLabel("Sort").selectOption("rate-desc");
    await page.getByLabel("Sort").selectOption("rate-asc");
    await page.getByRole("button", { name: "Show 25 more" }).click();
    assert.equal(await page.locator("#services-body tr").count(), 50);

    const [fetchMs] = await measures(page, "services-fetch");
    const [indexMs] = await measures(page, "services-index");
    const updates = await measures(page, "services-update");
    const worstUpdate = Math.max(...updates);
    t.diagnostic(`${size} services: connect→table ${connectMs} ms (services() ${ms(fetchMs)}, index ${ms(indexMs)}); ` +
      `${updates.length} filter/sort renders, worst ${ms(worstUpdate)}, median ${ms(updates.sort((a, b) => a - b)[updates.length >> 1])}`);
    // Generous bounds for a slow 2-core machine; the diagnostic above has the real numbers.
    assert.ok(worstUpdate < (size <= 5000 ? 100 : 250), `a filter/sort render took ${ms(worstUpdate)}`);
    assert.ok(connectMs < 5000, `connect to table took ${connectMs} ms`);
    if (size === SIZES[0]) await snap(page, "30-large-catalog");
    assert.deepEqual(await problems(), []);
    await context.close();
  });
}
