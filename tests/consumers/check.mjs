// Runs one consumer fixture (already installed from the tarball and built by run.sh) against
// the simulator at SMM_SIM_URL and checks what it did. Prints one summary line on success;
// exits non-zero with the reason otherwise.
//   node check.mjs <fixture>
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { gzipSync } from "node:zlib";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { engines, launch } from "../support/engines.mjs";
import { chromiumLaunchOptions, createAccount, simControl, simOrigin } from "../support/sim.mjs";

const run = promisify(execFile);
const fixture = process.argv[2];
const here = new URL(`./${fixture}/`, import.meta.url);

// How each browser fixture must get the wasm: as its own file (the "default"/"webpack"/
// "production" entries use new URL(..., import.meta.url)) or embedded in the JavaScript (esbuild,
// which copies no such file, resolves to embedded.js).
const browserFixtures = {
  "script-tag": { wasm: "file" },
  worker: { wasm: "file", scope: "DedicatedWorkerGlobalScope" },
  vite: { wasm: "file" },
  webpack: { wasm: "file" },
  esbuild: { wasm: "embedded" },
};

let detail;
if (fixture === "node") detail = await checkNode(await createAccount("12.50000"));
else if (browserFixtures[fixture]) detail = await checkBrowsers(browserFixtures[fixture]);
else throw new Error(`unknown fixture ${fixture}`);
console.log(`consumers: ${fixture}: ok — ${detail}`);

function checkOutcome(result) {
  assert.deepEqual(result.before, { balance: "12.50000", currency: "USD" }, "balance() before the order");
  const invalidRequest = { smmError: true, error: true, code: "invalid_request", delivery: "not_sent" };
  assert.deepEqual(result.invalid, { ...invalidRequest, field: "quantity" }, "addOrder with quantity 1.5");
  assert.deepEqual(result.validated, { ...invalidRequest, field: "link" }, "validateOrder with an empty link");
  assert.equal(result.placed.type, "normal");
  assert.ok(Number.isInteger(result.placed.order) && result.placed.order >= 23501, `order ID ${result.placed.order}`);
  assert.equal(result.status.status, "Pending");
  assert.equal(result.status.charge, "0.09000", "0.90 per 1000 × 100");
  assert.deepEqual(result.after, { balance: "12.41000", currency: "USD" }, "balance() after the order");
}

async function checkJournal(key) {
  // The invalid order never reached the panel; the valid one did, once.
  const adds = await simControl("GET", `journal?key=${encodeURIComponent(key)}&action=add`);
  assert.equal(adds.length, 1, `add requests in the simulator's journal: ${JSON.stringify(adds)}`);
}

async function checkNode(key) {
  const { stdout } = await run(process.execPath, ["main.js"], {
    cwd: here,
    env: { ...process.env, SMM_API_URL: `${simOrigin()}/api/v2`, SMM_KEY: key },
  });
  const outcome = JSON.parse(stdout.trim().split("\n").pop());
  assert.equal(outcome.ok, true);
  checkOutcome(outcome.result);
  await checkJournal(key);
  // Resolved from the fixture's own node_modules (the tarball), through the "node" condition.
  const expected = new URL("node_modules/smm-panel-sdk/node.js", here).href;
  assert.equal(outcome.resolved, expected);
  return `Node ${process.version}, resolved to node_modules/smm-panel-sdk/node.js`;
}

// The same page in every engine of ENGINES: the calls, what reached the panel, and where the
// wasm came from; then, in Chromium, what the page downloaded (Playwright sees every response).
async function checkBrowsers(expect) {
  const seen = [];
  for (const engine of engines()) {
    const key = await createAccount("12.50000");
    const browser = await launch(engine);
    try {
      const page = await browser.newPage();
      await page.goto(`${simOrigin()}/index.html?key=${encodeURIComponent(key)}`);
      await page.waitFor(() => window.__consumer, 30000)
        .catch(async () => assert.fail(`${engine}: the page never finished: ${(await page.problems()).join(" | ") || "no error reported"}`));
      const outcome = await page.evaluate(() => window.__consumer);
      assert.equal(outcome.ok, true, `${engine}: the page failed: ${outcome.error} ${(await page.problems()).join(" | ")}`);
      checkOutcome(outcome.result);
      if (expect.scope) assert.equal(outcome.result.scope, expect.scope, `${engine}: ran inside a Worker`);
      await checkJournal(key);
      assert.deepEqual(await page.problems(), [], `${engine}: errors in the page's console`);
      // Listed by the realm that loaded the SDK (the page, or the Worker).
      const wasm = outcome.result.wasmLoads;
      if (expect.wasm === "file") assert.equal(wasm.length, 1, `${engine}: one .wasm download: ${JSON.stringify(wasm)}`);
      else assert.deepEqual(wasm, [], `${engine}: no .wasm download (it is embedded)`);
      await page.close();
    } finally {
      await browser.close();
    }
    seen.push(engine);
  }
  const size = engines().includes("chromium") ? `; ${await downloads(expect)}` : "";
  return `${seen.join(", ")}${size}`;
}

async function downloads(expect) {
  const key = await createAccount("12.50000");
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const context = await browser.newContext();
    const loaded = []; // what the page (and its Worker) downloaded, apart from API calls
    const reading = []; // each response's body is read after its event: wait for all of them
    context.on("response", (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/__sim/")) return;
      reading.push(response.body().catch(() => null).then((body) => {
        loaded.push({ path: url.pathname, status: response.status(), bytes: body?.length ?? 0, gzip: body ? gzipSync(body, { level: 9 }).length : 0 });
      }));
    });
    const page = await context.newPage();
    await page.goto(`${simOrigin()}/index.html?key=${encodeURIComponent(key)}`);
    await page.waitForFunction(() => window.__consumer, null, { timeout: 20000 });
    await Promise.all(reading);
    assert.deepEqual(loaded.filter((r) => r.status >= 400), [], "failed downloads");
    const wasm = loaded.filter((r) => r.path.endsWith(".wasm"));
    const code = loaded.filter((r) => /\.(m?js|wasm)$/.test(r.path));
    const bytes = code.reduce((n, r) => n + r.bytes, 0);
    const gzip = code.reduce((n, r) => n + r.gzip, 0);
    const how = expect.wasm === "file" ? `wasm fetched from ${wasm[0]?.path}` : "wasm embedded in the bundle";
    return `${how}; loads ${code.length} JS/wasm files, ${kb(bytes)} (${kb(gzip)} gzip -9)`;
  } finally {
    await browser.close();
  }
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}
