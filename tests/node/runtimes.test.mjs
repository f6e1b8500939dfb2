// createProxy outside Node: in Deno (its own HTTP server takes the handler as is), and in a
// Worker-style runtime (a module Web Worker in Chromium, no window, Fetch API globals only).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions, createAccount, simControl, simOrigin } from "../support/sim.mjs";
import { startProxyServer } from "../../scripts/proxy-server.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const panel = `${simOrigin()}/api/v2`;

test("Deno: Deno.serve(createProxy(...)) serves a keyless SmmClient", async () => {
  const key = await createAccount("12.50000");
  const { stdout } = await run(`${root}node_modules/.bin/deno`, ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "tests/node/runtimes/deno-proxy.mjs"], {
    cwd: root,
    timeout: 60000,
    env: { ...process.env, SMM_PKG_ENTRY: new URL("pkg/index.js", `file://${root}`).href, SMM_PROXY_ENTRY: new URL("pkg/proxy.js", `file://${root}`).href, SMM_SIM_URL: panel, SMM_KEY: key, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" },
  });
  const result = JSON.parse(stdout.trim().split("\n").pop());
  assert.match(result.runtime, /^deno 2\./);
  assert.deepEqual(result.balance, { balance: "12.50000", currency: "USD" });
  assert.deepEqual(result.refused, { code: "api", status: 403 }, "writes are refused by default");
  assert.equal(result.keyInAnswer, false);
  assert.equal((await simControl("GET", `journal?key=${key}`)).length, 2, "two balance calls reached the panel, the add did not");
});

test("a module Web Worker runs the handler on Requests it makes", async () => {
  const key = await createAccount("3.25000");
  const site = await startProxyServer({ panel, key: "unused-here", staticDir: `${root}target/node-site` });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${site.url}/worker.html`);
    await page.waitForFunction(() => window.workerReady || window.workerResult, null, { timeout: 20000 })
      .catch(() => assert.fail(`the worker did not start: ${problems.join(" | ") || "no error reported"}`));
    await page.evaluate(([apiUrl, key]) => window.askWorker(apiUrl, key), [panel, key]);
    await page.waitForFunction(() => window.workerResult, null, { timeout: 20000 })
      .catch(() => assert.fail(`the worker did not answer: ${problems.join(" | ") || "no error reported"}`));
    const result = await page.evaluate(() => window.workerResult);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.isWorker, true);
    assert.equal(result.balance.status, 200);
    assert.match(result.balance.type, /^application\/json/);
    assert.deepEqual(JSON.parse(result.balance.body), { balance: "3.25000", currency: "USD" });
    assert.equal(result.add.status, 403);
    assert.ok(!result.balance.body.includes(key) && !result.add.body.includes(key));
  } finally {
    await browser.close();
    await site.close();
  }
});
