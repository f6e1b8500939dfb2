// Many calls of the optimised package in one page: every rejection must stay an SmmError with the
// right `code` however hot the code gets. JavaScriptCore's baseline wasm JIT in WPE WebKit 2.38
// (Safari 16's generation) threw "RuntimeError: Out of bounds table access" instead, once a
// function had tiered up, for any value whose low 32 bits are zero that crossed through an
// externref table (0, -0, 0.5, 1.5, 2^32, the status 0 of an opaque redirect): the build now
// keeps reference types off (.cargo/config.toml, README "Compatibility"). Runs in each engine of
// ENGINES and in WPE WebKit whenever its WebDriver is installed (scripts/bootstrap.sh installs it
// with the webkit engine), since that is the engine that showed it.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { engines, launch } from "../support/engines.mjs";
import { closedPort, createAccount, simControl, simOrigin } from "../support/sim.mjs";

const origin = simOrigin();
// 80 rounds of the 13 calls in the page below: 1,040 calls per engine.
const ROUNDS = 80;
const wpeInstalled = existsSync("/usr/bin/WPEWebDriver") && existsSync("/usr/bin/cog");
const stressEngines = [...new Set([...engines(), ...(wpeInstalled ? ["wpe"] : [])])];

if (!wpeInstalled) {
  test("WPE WebKit 2.38", { skip: "WPEWebDriver or cog is not installed (scripts/bootstrap.sh installs them with the webkit engine)" }, () => {});
}

for (const engine of stressEngines) {
  describe(`in ${engine}`, () => {
    let browser;
    before(async () => {
      browser = await launch(engine);
    });
    after(async () => {
      await browser?.close();
    });

    test(`${ROUNDS * 13} mixed calls in one page: each resolves or rejects with the right SmmError`, async () => {
      const key = await createAccount("50.00000");
      // Its own key, so the redirect rule touches no other test's calls.
      const redirectKey = await createAccount("1.00000");
      await simControl("POST", "faults", { fault: "redirect", count: 1000000, action: "balance", key: redirectKey });
      const page = await browser.newPage();
      await page.goto(`${origin}/smoke.html?entry=index.js`);
      await page.waitFor(() => document.title === "loaded" || window.sdk, 15000)
        .catch(async () => assert.fail(`the package did not load in ${engine}: ${(await page.problems()).join(" | ") || "no error reported"}`));

      const outcome = await page.evaluate(async ({ apiUrl, deadUrl, key, redirectKey, rounds }) => {
        const { SmmClient, SmmError, isSmmError, validateOrder } = window.sdk;
        // No retries: the refused and unreachable calls fail at once instead of backing off.
        const client = new SmmClient({ apiUrl, key, maxRetries: 0 });
        const wrongKey = new SmmClient({ apiUrl, key: `${key}-wrong`, maxRetries: 0 });
        const unreachable = new SmmClient({ apiUrl: deadUrl, key, maxRetries: 0 });
        const redirected = new SmmClient({ apiUrl, key: redirectKey, maxRetries: 0 });
        const form = { service: 101, link: "https://instagram.com/p/stress", quantity: 100 };
        const { order } = await client.addOrder(form);
        const balance = await client.balance();
        const rejects = (code, field) => ({ code, field });
        // [name, call, expected]: a rejection's `code` and `field`, or a check of the value.
        // Numbers whose low 32 bits are zero (0, -0, 0.5, 1.5, 2^32) are the ones that broke.
        const calls = [
          ["orderStatus(1.5)", () => client.orderStatus(1.5), rejects("invalid_request", "order")],
          ["orderStatus(0)", () => client.orderStatus(0), rejects("invalid_request", "order")],
          ["refill(-0)", () => client.refill(-0), rejects("invalid_request", "order")],
          ["cancel(0.5)", () => client.cancel(0.5), rejects("invalid_request", "order")],
          ["validateOrder(quantity 1.5)", async () => validateOrder({ ...form, quantity: 1.5 }), rejects("invalid_request", "quantity")],
          ["new SmmClient(ftp:)", async () => new SmmClient({ apiUrl: "ftp://panel.example/api/v2", key }), rejects("invalid_request", "apiUrl")],
          // A valid ID the panel does not know: sent, and refused.
          ["orderStatus(2 ** 32)", () => client.orderStatus(2 ** 32), rejects("api", undefined)],
          ["balance() with a wrong key", () => wrongKey.balance(), rejects("api", undefined)],
          ["balance() of an unreachable panel", () => unreachable.balance(), rejects("network", undefined)],
          // An opaque redirect: status 0 in a browser.
          ["balance() redirected", () => redirected.balance(), rejects("http", undefined)],
          ["balance()", () => client.balance(), (value) => value.balance === balance.balance && value.currency === balance.currency],
          ["orderStatus(order)", () => client.orderStatus(order), (value) => typeof value.status === "string"],
          ["validateOrder(valid)", async () => validateOrder(form), (value) => value === undefined],
        ];
        // A trap inside the async part of a call can leave it, and every call after it, pending
        // forever: each gets 10 s, and ten wrong calls end the run.
        const settled = (promise) => {
          let timer;
          const late = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("did not settle within 10 s")), 10000);
          });
          return Promise.race([promise, late]).finally(() => clearTimeout(timer));
        };
        const wrong = [];
        const counts = { resolved: 0, rejected: 0 };
        for (let round = 0; round < rounds && wrong.length < 10; round++) {
          for (const [index, [name, call, expected]] of calls.entries()) {
            const where = `call ${round * calls.length + index + 1} (${name})`;
            let value;
            try {
              value = await settled(call());
            } catch (error) {
              counts.rejected++;
              if (typeof expected === "function") {
                wrong.push(`${where}: rejected with ${error?.name}: ${error?.message}`);
              } else if (!(error instanceof SmmError) || !isSmmError(error)) {
                wrong.push(`${where}: not an SmmError: ${error?.name}: ${error?.message}`);
              } else if (error.code !== expected.code || error.field !== expected.field) {
                wrong.push(`${where}: code ${error.code}, field ${error.field}; expected ${expected.code}, ${expected.field}`);
              }
              continue;
            }
            counts.resolved++;
            if (typeof expected !== "function") wrong.push(`${where}: resolved to ${JSON.stringify(value)}`);
            else if (!expected(value)) wrong.push(`${where}: resolved to an unexpected ${JSON.stringify(value)}`);
          }
        }
        return { counts, wrong };
      }, { apiUrl: `${origin}/api/v2`, deadUrl: `http://127.0.0.1:${await closedPort()}/api/v2`, key, redirectKey, rounds: ROUNDS });

      assert.deepEqual(outcome.wrong, [], `calls went wrong in ${engine} (the run stops at ten)`);
      assert.deepEqual(outcome.counts, { resolved: ROUNDS * 3, rejected: ROUNDS * 10 });
      // Chromium logs each refused connection itself: those are the unreachable panel's calls.
      const problems = (await page.problems()).filter((p) => p !== "Failed to load resource: net::ERR_CONNECTION_REFUSED");
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}
