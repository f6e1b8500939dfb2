// Smoke test of the optimised package in pkg/: imported from Node 20 through the package's
// exports map, and from a page in each browser engine, each making one real call to the simulator.
// This is what catches a wasm-opt that produces a module that does not load.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { engines, launch } from "../support/engines.mjs";
import { createAccount, simOrigin } from "../support/sim.mjs";

const origin = simOrigin();

test("Node imports the package by name and calls balance()", async () => {
  const key = await createAccount("7.25000");
  // Resolved through pkg/package.json's exports map ("node" condition), via the link that
  // scripts/test.sh puts at tests/node_modules/smm-panel-sdk.
  const { SmmClient, SmmError, validateOrder } = await import("smm-panel-sdk");
  const client = new SmmClient({ apiUrl: `${origin}/api/v2`, key });
  assert.deepEqual(await client.balance(), { balance: "7.25000", currency: "USD" });

  assert.throws(() => new SmmClient({ apiUrl: "ftp://panel.example/api/v2", key }), (error) => {
    assert.ok(error instanceof SmmError, "an SmmError");
    assert.ok(error instanceof Error, "a real Error");
    assert.equal(error.code, "invalid_request");
    assert.equal(error.field, "apiUrl");
    // The shipped glue is minified: class names must survive it (stack traces, logs, checks).
    assert.deepEqual([error.name, error.constructor.name], ["SmmError", "SmmError"]);
    return true;
  });
  assert.deepEqual([SmmClient.name, SmmError.name], ["SmmClient", "SmmError"]);

  // validateOrder checks like addOrder, sending nothing.
  assert.equal(validateOrder({ service: 1, link: "https://instagram.com/p/x", quantity: 100 }), undefined);
  assert.throws(() => validateOrder({ service: 1, link: "https://instagram.com/p/x", quantity: 1.5 }), (error) => {
    assert.ok(error instanceof SmmError);
    assert.deepEqual([error.code, error.delivery, error.field], ["invalid_request", "not_sent", "quantity"]);
    return true;
  });
});

// index.js fetches the .wasm next to it; embedded.js carries it as a string of one character per
// byte (control characters and all), which the browser must parse as it is. In every engine.
for (const engine of engines()) {
  describe(`in ${engine}`, () => {
    let browser;
    before(async () => {
      browser = await launch(engine);
    });
    after(async () => {
      await browser?.close();
    });

    for (const entry of ["index.js", "embedded.js"]) test(`a page imports the package from pkg/${entry} and calls balance()`, async () => {
      const key = await createAccount("3.50000");
      const page = await browser.newPage();
      await page.goto(`${origin}/smoke.html?entry=${entry}`);
      await page.waitFor(() => document.title === "loaded" || window.sdk, 15000)
        .catch(async () => assert.fail(`the package did not load in ${engine}: ${(await page.problems()).join(" | ") || "no error reported"}`));

      const outcome = await page.evaluate(async ({ apiUrl, key }) => {
        const { SmmClient, SmmError, isSmmError } = window.sdk;
        const client = new SmmClient({ apiUrl, key });
        const balance = await client.balance();
        let rejected;
        try {
          await client.orderStatus(1.5);
        } catch (error) {
          rejected = { isSmmError: error instanceof SmmError && isSmmError(error), code: error.code, field: error.field };
        }
        return { balance, rejected };
      }, { apiUrl: `${origin}/api/v2`, key });

      assert.deepEqual(outcome.balance, { balance: "3.50000", currency: "USD" });
      assert.deepEqual(outcome.rejected, { isSmmError: true, code: "invalid_request", field: "order" });
      assert.deepEqual(await page.problems(), []);
      await page.close();
    });
  });
}
