// Runs every ```js block of README.md, as a user would paste it, in Node against the simulator,
// with the package installed from the tarball (tests/consumers/readme/node_modules). Blocks
// without an import of the package run after the README's stated setup: `client` from the quick
// start and `order`, an order ID that addOrder returned (completed, so it can be refilled).
// Each block is named (```js example=NAME) and its output must match what is expected of it here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { createAccount, simControl, simOrigin } from "../support/sim.mjs";

const run = promisify(execFile);
const dir = new URL("./readme/", import.meta.url);
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const apiUrl = `${simOrigin()}/api/v2`;

const expectations = {
  quickstart: [/^100\.84292 USD$/m, /status: 'Pending'/, /charge: '0\.90000'/, /remains: 1000/],
  services: [/service: 101/, /rate: '0\.90'/, /refill: true/],
  "add-order": [/^\{ order: \d+, type: 'normal' \}$/m, /^dripfeed$/m],
  status: [/^Completed 0$/m, /status: 'Active'/],
  refill: [/^\d+ Pending$/m],
  cancel: [/^\{ order: \d+, cancel: 1 \}$/m],
  batching: [/^\d+ Completed$/m, /^1 failed: Incorrect order ID$/m, /^2 failed: Incorrect order ID$/m, 
    /\{ order: \d+, refill: \d+ \}/, /\{ order: 2, error: 'Incorrect order ID' \}/, /\{ refill: \d+, status: 'Pending' \}/,
    /\{ order: \d+, error: 'This order cannot be canceled' \}/, /\[ \{ order: \d+, error: 'Incorrect order ID' \} \]/],
  errors: [/^api received Quantity less than minimal 50$/m, /^invalid_request order not_sent$/m],
  "is-smm-error": [/^invalid_request order$/m],
  timeouts: [/^true aborted not_sent$/m],
  proxy: [/balance: '100\.84292', currency: 'USD'/, /^api 403$/m],
  "proxy-node": [/^\{ balance: '100\.84292', currency: 'USD' \}$/m, /^key seen by the page: false$/m],
  "order-types": [/^custom_comments number$/m],
  catalog: [/^Instagram Followers .* true true$/m, /^0\.90000$/m, /^invalid_request quantity$/m],
  watch: [/^true Completed true$/m],
};

const blocks = [...readme.matchAll(/^```js(.*)\n([\s\S]*?)^```$/gm)].map(([, info, code]) => ({
  name: info.match(/example=(\S+)/)?.[1],
  code,
}));

test("every js block of the README is a named example with expectations here, and none is missing", () => {
  assert.ok(blocks.length > 0);
  for (const block of blocks) assert.ok(block.name, `a js block without example=NAME:\n${block.code}`);
  assert.deepEqual(blocks.map((b) => b.name).sort(), Object.keys(expectations).sort());
});

// An order of the account's own, completed: placed through the simulator's API as the README's
// "order", and the simulated clock moved on a day.
async function completedOrder(key) {
  // The simulator ends orders whose ID ends in 7 "Partial": the README shows a completed one.
  for (let attempt = 0; ; attempt++) {
    const body = new URLSearchParams({ key, action: "add", service: "101", link: `https://instagram.com/p/${key}-${attempt}`, quantity: "100" });
    const answer = await (await fetch(apiUrl, { method: "POST", body })).json();
    assert.ok(answer.order, JSON.stringify(answer));
    if (answer.order % 10 === 7) continue;
    await simControl("POST", "clock", { advance_seconds: 86400 });
    return answer.order;
  }
}

mkdirSync(new URL("examples/", dir), { recursive: true });
for (const { name, code } of blocks) {
  if (!name) continue;
  test(`README example "${name}" runs and prints what it says`, async () => {
    const key = await createAccount("100.84292");
    // A block that makes its own `client` runs as it is; the others get the README's setup, and
    // those that use `order` get one.
    const ownClient = /\bconst client\b/.test(code);
    const order = !ownClient && /[([]\s*order\b/.test(code) ? await completedOrder(key) : 0;
    const prelude = ownClient ? "" : [
      /import \{[^}]*\bSmmClient\b/.test(code) ? "" : 'import { SmmClient } from "smm-panel-sdk";',
      'const client = new SmmClient({ apiUrl: "https://panel.example/api/v2", key: process.env.SMM_KEY });',
      "const order = Number(process.env.SMM_ORDER);",
    ].join("\n");
    // Imports first (a module's imports may not follow statements in a readable file).
    const imports = code.match(/^import .*;$/gm) ?? [];
    const rest = code.replace(/^import .*;$/gm, "");
    const file = new URL(`examples/${name}.mjs`, dir);
    writeFileSync(file, [...imports, prelude, rest].join("\n"));
    const { stdout } = await run(process.execPath, ["--import", "./redirect.mjs", file.pathname], {
      cwd: dir,
      env: { ...process.env, SMM_API_URL: apiUrl, SMM_KEY: key, SMM_ORDER: String(order) },
      timeout: 30000,
    }).catch((error) => assert.fail(`example ${name} failed:\n${error.stderr || error.message}`));
    if (process.env.README_SHOW) console.log(`--- ${name}\n${stdout}`);
    for (const pattern of expectations[name]) assert.match(stdout, pattern, `example ${name} printed:\n${stdout}`);
  });
}
