// Runs every ```js block of README.md, as a user would paste it, in Node against the simulator,
// with the package installed from the tarball (tests/consumers/readme/node_modules), and then
// every block that is not Node-only in a page of each engine of ENGINES (readme/page.js, with the
// tarball's files next to it). Blocks without an import of the package run after the README's
// stated setup: `client` from the quick start and `order`, an order ID that addOrder returned
// (completed, so it can be refilled). Each block is named (```js example=NAME) and its output must
// match what is expected of it here, in Node and in each engine alike.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { format, promisify } from "node:util";
import { engines, launch } from "../support/engines.mjs";
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
  "order-types": [/^custom_comments number$/m, /^link comments thousand comments$/m],
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

// Under dist/, which the simulator serves to the pages; Node resolves the package from there too.
const examples = new URL("dist/examples/", dir);
mkdirSync(examples, { recursive: true });

/** The example's file, written with the README's setup, and the environment it runs with. */
async function prepare(name, code) {
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
  // One file per run: a page imports each module once.
  const file = new URL(`${name}-${key}.mjs`, examples);
  writeFileSync(file, [...imports, prelude, rest].join("\n"));
  return { file, env: { SMM_API_URL: apiUrl, SMM_KEY: key, SMM_ORDER: String(order) } };
}

function expectOutput(name, where, stdout) {
  if (process.env.README_SHOW) console.log(`--- ${name} (${where})\n${stdout}`);
  for (const pattern of expectations[name]) assert.match(stdout, pattern, `example ${name} in ${where} printed:\n${stdout}`);
}

for (const { name, code } of blocks) {
  if (!name) continue;
  test(`README example "${name}" runs and prints what it says`, async () => {
    const { file, env } = await prepare(name, code);
    const { stdout } = await run(process.execPath, ["--import", "./redirect.mjs", file.pathname], {
      cwd: dir,
      env: { ...process.env, ...env },
      timeout: 30000,
    }).catch((error) => assert.fail(`example ${name} failed:\n${error.stderr || error.message}`));
    expectOutput(name, "Node", stdout);
  });
}

// What console.log printed in the page, as Node prints the same values.
function decode(encoded) {
  if ("undefined" in encoded) return undefined;
  if ("bigint" in encoded) return BigInt(encoded.bigint);
  if ("number" in encoded) return Number(encoded.number);
  if ("array" in encoded) return encoded.array.map(decode);
  if ("date" in encoded) return new Date(encoded.date);
  if ("error" in encoded) return encoded.error;
  if ("object" in encoded) return Object.fromEntries(encoded.object.map(([key, item]) => [key, decode(item)]));
  return encoded.value;
}

// Server-only examples (they import node: modules) have no page to run in.
const pageBlocks = blocks.filter(({ code }) => !/from "node:/.test(code));
test("the examples that run only in Node are the ones that use node: modules", () => {
  assert.deepEqual(blocks.filter((b) => !pageBlocks.includes(b)).map((b) => b.name), ["proxy-node"]);
});

for (const engine of engines()) {
  test(`README examples in a page, in ${engine}`, async (t) => {
    const browser = await launch(engine);
    try {
      const page = await browser.newPage();
      await page.goto(`${simOrigin()}/index.html`);
      await page.waitFor(() => window.examplesReady === true, 30000);
      for (const { name, code } of pageBlocks) {
        await t.test(name, async () => {
          const { file, env } = await prepare(name, code);
          const module = file.pathname.split("/").pop().replace(/\.mjs$/, "");
          const seen = (await page.problems()).length;
          const { logs, error } = await page.evaluate(([module, env]) => window.runExample(module, env), [module, env]);
          assert.equal(error, undefined, `example ${name} failed in ${engine}`);
          expectOutput(name, engine, logs.map((args) => format(...args.map(decode))).join("\n"));
          assert.deepEqual((await page.problems()).slice(seen), [], `example ${name}: errors in the page's console`);
        });
      }
    } finally {
      await browser.close();
    }
  });
}
