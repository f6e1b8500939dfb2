// The size ratchet: the shipped package (gzip -9 of the .wasm and every .js file in the tarball)
// must not grow past the committed budget. The budget is only ever lowered, towards the goal:
// after making the package smaller, run `node tests/size/update-budget.mjs` and commit budget.json.
// Run through `bash scripts/test.sh size`, which builds pkg/ first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { measurePackage } from "./measure.mjs";

const budgetPath = new URL("./budget.json", import.meta.url);
const budget = JSON.parse(readFileSync(budgetPath, "utf8"));
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

test("the package is within its size budget", () => {
  const size = measurePackage();
  for (const f of size.files) console.log(`  ${f.path}: ${f.raw} bytes, ${f.gzip} gzipped`);
  console.log(`  total: ${size.gzip} bytes gzipped (${kb(size.gzip)}); budget ${budget.gzipBytes} (${kb(budget.gzipBytes)}); goal ${budget.goalBytes} (${kb(budget.goalBytes)})`);
  assert.ok(
    size.gzip <= budget.gzipBytes,
    `the package grew past its budget: ${size.gzip} bytes gzipped > budget ${budget.gzipBytes} bytes ` +
      `(${kb(size.gzip)} > ${kb(budget.gzipBytes)}). Make it smaller; the budget is never raised.`,
  );
  // Server code, never loaded by a client: reported, not budgeted.
  const proxy = measurePackage(undefined, "proxy");
  assert.ok(proxy.files.some((f) => f.path.endsWith(".wasm")), "the proxy entry has its own module");
  console.log(`  apart, the proxy entry (smm-panel-sdk/proxy): ${proxy.files.map((f) => f.path).join(", ")}: ${proxy.gzip} bytes gzipped (${kb(proxy.gzip)})`);
  const lowered = Math.floor(size.gzip * 1.02);
  if (lowered < budget.gzipBytes) {
    console.log(`  the package is smaller than the budget allows: lower it to ${lowered} with node tests/size/update-budget.mjs`);
  }
});

/** The ratchet counts from here: the first budget (ae47c25) was committed while the order-types,
 * catalog and proxy work was landing at the same time, so it was re-measured once on a main that
 * held all of it. Versions of budget.json after this commit may only go down. */
const HISTORY_FROM = "e6395fc";

/** Every version of budget.json committed after HISTORY_FROM, newest first. */
function budgetHistory() {
  const git = (...args) => execFileSync("git", args, { cwd: new URL("../..", import.meta.url).pathname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const commits = git("log", "--format=%H", `${HISTORY_FROM}..HEAD`, "--", "tests/size/budget.json").split("\n").filter(Boolean);
  return commits.map((commit) => ({ commit, ...JSON.parse(git("show", `${commit}:tests/size/budget.json`)) }));
}

test("the budget was only ever lowered", (t) => {
  let history;
  try {
    history = budgetHistory();
  } catch {
    t.skip("no git history here");
    return;
  }
  if (history.length === 0) {
    t.skip(`budget.json has no version committed after ${HISTORY_FROM} yet`);
    return;
  }
  const [newest] = history;
  assert.ok(
    budget.gzipBytes <= newest.gzipBytes,
    `budget.json raises the budget from ${newest.gzipBytes} (commit ${newest.commit.slice(0, 10)}) to ${budget.gzipBytes}`,
  );
  for (let i = 0; i + 1 < history.length; i++) {
    const [later, earlier] = [history[i], history[i + 1]];
    assert.ok(
      later.gzipBytes <= earlier.gzipBytes,
      `commit ${later.commit.slice(0, 10)} raised the size budget from ${earlier.gzipBytes} to ${later.gzipBytes}`,
    );
  }
});
