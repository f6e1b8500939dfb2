// Runs one consumer fixture (already installed from the tarball and built by run.sh) against
// the simulator at SMM_SIM_URL and checks what it did. Prints one summary line on success;
// exits non-zero with the reason otherwise.
//   node check.mjs <fixture>
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { createInterface } from "node:readline";
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

// The balance of the server runtimes' proxy account (the runtime's own calls use checkOutcome's).
const proxyBalance = { balance: "7.25000", currency: "USD" };

let detail;
if (fixture === "node") detail = await checkNode(await createAccount("12.50000"));
else if (fixture === "node-require") detail = await checkNodeRequire(await createAccount("12.50000"));
else if (fixture === "workerd") detail = await checkWorkerd();
else if (fixture === "bun") detail = await checkBun();
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

// The server runtimes: the runtime serves createProxy (with an account of its own) and makes its
// own calls with another account. Through the proxy goes the tarball's client, here in Node.
async function checkThroughProxy(proxyUrl, proxyKey) {
  // The client from the fixture's node_modules, resolved by name as the fixture would.
  const { SmmClient, SmmError } = await import(createRequire(new URL("package.json", here)).resolve("smm-panel-sdk"));
  const client = new SmmClient({ apiUrl: proxyUrl });
  assert.deepEqual(await client.balance(), proxyBalance, "balance() through the proxy");
  // The proxy's default refuses writes: an order from the client is answered 403, never sent on.
  const refused = await client.addOrder({ service: 101, link: "https://instagram.com/p/proxy", quantity: 100 }).then(
    () => assert.fail("addOrder through the proxy resolved"),
    (error) => error,
  );
  assert.ok(refused instanceof SmmError, `${refused}`);
  assert.deepEqual({ code: refused.code, status: refused.status }, { code: "api", status: 403 }, "addOrder through the proxy");
  // What the proxy answers never carries the key, whatever it is asked.
  const asked = [
    [{ action: "balance" }, 200],
    [{ action: "services" }, 200],
    [{ action: "add", service: "101", link: "https://instagram.com/p/proxy", quantity: "100" }, 403],
  ];
  for (const [form, status] of asked) {
    const response = await fetch(proxyUrl, { method: "POST", body: new URLSearchParams(form) });
    const text = await response.text();
    assert.equal(response.status, status, `the proxy's answer to ${form.action}: ${text.slice(0, 200)}`);
    assert.ok(!text.includes(proxyKey), `the proxy's answer to ${form.action} holds the key`);
  }
  const adds = await simControl("GET", `journal?key=${encodeURIComponent(proxyKey)}&action=add`);
  assert.deepEqual(adds, [], "no order reached the panel through the proxy");
}

/** Starts a runtime's `command` in the fixture folder with `env` added, waits until `ready` finds a
 * value in a line of the stream `output(child)`, runs `use(value)`, then stops the runtime (this
 * process started it: SIGTERM to its pid). */
async function withRuntime({ command, args, env, stdio, output, ready }, use) {
  const child = spawn(command, args, { cwd: here, env: { ...process.env, ...env }, stdio });
  let stderr = "";
  child.stderr.on("data", (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const failed = (message) => assert.fail(`${basename(command)}: ${message}; stderr: ${stderr.trim() || "(none)"}`);
  try {
    let timer;
    const value = await Promise.race([
      (async () => {
        for await (const line of createInterface({ input: output(child) })) {
          const found = ready(line);
          if (found !== undefined) return found;
        }
        throw new Error("its output ended");
      })(),
      exited.then((how) => { throw new Error(`it exited (${how})`); }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("it was not ready within 30 s")), 30000); }),
    ]).catch((error) => failed(error.message)).finally(() => clearTimeout(timer));
    return await use(value, failed);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

async function checkNodeRequire(key) {
  const proxyKey = await createAccount(proxyBalance.balance);
  const [major, minor] = process.versions.node.split(".").map(Number);
  const { stdout } = await run(process.execPath, ["main.cjs"], {
    cwd: here,
    env: { ...process.env, SMM_API_URL: `${simOrigin()}/api/v2`, SMM_KEY: key, SMM_PROXY_KEY: proxyKey },
  }).catch((error) => {
    // Before require(esm) (Node 20.0–20.18, 22.0–22.11) the package is ESM only: say so plainly.
    if (major === 20 && minor < 19 || major === 22 && minor < 12) assert.fail(`Node ${process.version} has no require(esm): ${error.stderr}`);
    throw error;
  });
  const outcome = JSON.parse(stdout.trim().split("\n").pop());
  assert.equal(outcome.ok, true, outcome.error);
  checkOutcome(outcome.result);
  await checkJournal(key);
  assert.deepEqual(outcome.proxied, proxyBalance, "createProxy from require() served the balance");
  assert.deepEqual(outcome.refused, { isSmmError: true, code: "invalid_request", field: "link" });
  const entry = (file) => new URL(`node_modules/smm-panel-sdk/${file}`, here).pathname;
  assert.deepEqual(outcome.resolved, { client: entry("node.js"), proxy: entry("proxy-node.js") });
  return `Node ${process.version}, require() resolved to node.js and proxy-node.js`;
}

async function checkWorkerd() {
  const [key, proxyKey] = [await createAccount("12.50000"), await createAccount(proxyBalance.balance)];
  // The bundle took the package's workerd entries, not the ones that compile or fetch the wasm.
  const bundled = Object.keys(JSON.parse(readFileSync(new URL("dist/meta.json", here), "utf8")).inputs)
    .filter((path) => path.startsWith("node_modules/smm-panel-sdk/")).sort();
  const entries = ["workerd.js", "proxy-workerd.js", "smm_panel_sdk.js", "smm_panel_sdk_proxy.js"];
  assert.deepEqual(bundled, entries.map((f) => `node_modules/smm-panel-sdk/${f}`).sort(), "the package files in the bundle");
  const workerd = new URL("node_modules/.bin/workerd", here).pathname;
  const { stdout: version } = await run(workerd, ["--version"]);
  const runtime = {
    command: workerd,
    args: ["serve", "config.capnp", "--control-fd=3"],
    env: { SMM_API_URL: `${simOrigin()}/api/v2`, SMM_KEY: key, SMM_PROXY_KEY: proxyKey },
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    // workerd writes each socket's port there as JSON once it listens on it.
    output: (child) => child.stdio[3],
    ready: (line) => {
      const event = JSON.parse(line);
      return event.event === "listen" && event.socket === "http" ? `http://127.0.0.1:${event.port}` : undefined;
    },
  };
  await withRuntime(runtime, async (origin, failed) => {
    await checkThroughProxy(`${origin}/api/v2`, proxyKey);
    const outcome = await (await fetch(`${origin}/self`)).json();
    if (!outcome.ok) failed(`the Worker's own calls failed: ${outcome.error}`);
    checkOutcome(outcome.result);
  });
  await checkJournal(key);
  return `${version.trim()}, bundled by esbuild with wrangler's conditions: workerd.js and proxy-workerd.js, the .wasm files as modules; createProxy served the client in Node, and the Worker's own calls`;
}

async function checkBun() {
  const [key, proxyKey] = [await createAccount("12.50000"), await createAccount(proxyBalance.balance)];
  const runtime = {
    command: new URL("node_modules/.bin/bun", here).pathname,
    args: ["main.js"],
    env: { SMM_API_URL: `${simOrigin()}/api/v2`, SMM_KEY: key, SMM_PROXY_KEY: proxyKey },
    stdio: ["ignore", "pipe", "pipe"],
    output: (child) => child.stdout,
    // main.js prints one JSON line after its own calls, and serves the proxy until stopped.
    ready: (line) => (line.startsWith("{") ? JSON.parse(line) : undefined),
  };
  const outcome = await withRuntime(runtime, async (outcome, failed) => {
    if (!outcome.ok) failed(`Bun's own calls failed: ${outcome.error}`);
    await checkThroughProxy(outcome.proxyUrl, proxyKey);
    return outcome;
  });
  checkOutcome(outcome.result);
  await checkJournal(key);
  // Resolved from the fixture's own node_modules (the tarball). Bun resolves "node" too, which the
  // exports map lists before "bun": both name the same files.
  const entry = (file) => new URL(`node_modules/smm-panel-sdk/${file}`, here).href;
  assert.deepEqual(outcome.resolved, { client: entry("node.js"), proxy: entry("proxy-node.js") });
  return `Bun ${outcome.version}: createProxy with Bun.serve served the client in Node, and Bun's own calls; resolved to node.js and proxy-node.js`;
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
