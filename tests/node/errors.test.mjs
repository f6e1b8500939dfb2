// The error surface in Node 20: isSmmError across two copies of the package, and redaction
// that removes the key from the panel's text without ever touching the SDK's own words.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const first = await import("smm-panel-sdk");
// A second copy of the package's files, as a bundler's duplicate or a monorepo installs it: its
// own modules, its own wasm, its own SmmError class.
const copy = mkdtempSync(join(tmpdir(), "smm-second-copy-"));
after(() => rmSync(copy, { recursive: true, force: true }));
cpSync(fileURLToPath(new URL(".", import.meta.resolve("smm-panel-sdk"))), copy, { recursive: true });
const second = await import(pathToFileURL(join(copy, "node.js")).href);

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

test("isSmmError recognises an SmmError from any copy of the package", async () => {
  assert.notEqual(first.SmmError, second.SmmError, "precondition: two classes");
  const fromSecond = await rejection(new second.SmmClient({ apiUrl: "https://panel.example/api/v2" }).orderStatus("x"));
  assert.equal(fromSecond instanceof first.SmmError, false, "instanceof fails across copies");
  assert.equal(first.isSmmError(fromSecond), true);
  assert.equal(second.isSmmError(fromSecond), true);
  let thrown;
  try {
    first.validateOrder({ service: 0 });
  } catch (error) {
    thrown = error;
  }
  assert.equal(second.isSmmError(thrown), true);

  // An SmmError of a version from before the brand (0.1.0): an Error named SmmError with its
  // string code and delivery.
  class OldSmmError extends Error {
    constructor() {
      super("old");
      this.name = "SmmError";
      this.code = "api";
      this.delivery = "received";
    }
  }
  assert.equal(first.isSmmError(new OldSmmError()), true);

  const others = [undefined, null, 0, "SmmError", new Error("x"), { name: "SmmError", code: "api", delivery: "received" },
    Object.assign(new Error("x"), { name: "SmmError" }), new Proxy({}, { get() { throw new Error("trap"); } })];
  others.forEach((other, i) => assert.equal(first.isSmmError(other), false, `value ${i}`));
});

const HEX64 = "0123456789abcdef".repeat(4);
const keys = ["k", "li", "link", "add", "order", "1", "error", "quantity", HEX64];

test("a short key or one that equals our words never alters a field, an action or a message", async () => {
  for (const key of keys) {
    const client = new first.SmmClient({ apiUrl: "https://panel.example/api/v2", key });
    const bad = await rejection(client.addOrder({ service: 1, link: "", quantity: 1 }));
    assert.deepEqual([bad.code, bad.field, bad.action, bad.delivery], ["invalid_request", "link", "add", "not_sent"], `key ${key}`);
    assert.match(bad.message, /^link must be /, `key ${key}: ${bad.message}`);
    assert.doesNotMatch(bad.message, /redacted/, `key ${key}`);
    const id = await rejection(client.orderStatusMany([2, "x"]));
    assert.equal(id.field, "orders", `key ${key}`);
    assert.doesNotMatch(id.message, /redacted/, `key ${key}: ${id.message}`);
  }
});

test("the key is still removed from whatever the panel sends back", async () => {
  for (const key of keys) {
    const echo = async () => Response.json({ error: `Bad: ${key}.` });
    const client = new first.SmmClient({ apiUrl: "https://panel.example/api/v2", key, fetch: echo });
    const error = await rejection(client.balance());
    assert.equal(error.apiMessage, "Bad: [redacted].", `key ${key}`);
    assert.equal(error.message, 'the panel refused "balance": Bad: [redacted].', `key ${key}`);
    const page = async () => new Response(`<html><title>Denied for ${key}</title></html>`, { status: 403 });
    const http = await rejection(new first.SmmClient({ apiUrl: "https://panel.example/api/v2", key, fetch: page }).services());
    assert.equal(http.message, 'the panel answered "services" with HTTP 403: "Denied for [redacted]"', `key ${key}`);
  }
});
