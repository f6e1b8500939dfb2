// How the client reads an answer's body (driver.js `exchange`), in Node 20 with its built-in
// fetch: the 32 MiB cap holds however the answer is framed, and a body that arrives in several
// chunks without a length is read whole. No simulator: these answers are made here, on purpose.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";

const { SmmClient, SmmError } = await import("smm-panel-sdk");
const CAP = 32 * 1024 * 1024;
const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

/** A panel on 127.0.0.1 that answers every request with `respond(req, res)`. */
async function panel(respond) {
  const server = createServer(respond);
  servers.push(server);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}/api/v2`;
}

const client = (apiUrl, options = {}) => new SmmClient({ apiUrl, key: "k-transport-test", allowHttp: true, ...options });

function assertTooLarge(error) {
  assert.ok(error instanceof SmmError, `an SmmError, got ${error}`);
  assert.equal(error.code, "decode");
  assert.match(error.message, new RegExp(`larger than ${CAP} bytes`));
  assert.ok(!JSON.stringify(error).includes("k-transport-test") && !error.message.includes("k-transport-test"));
  return true;
}

test("a gzip answer that declares a small Content-Length but inflates past the cap is refused", async () => {
  // ~40 KB on the wire, 40 MiB once decoded (Node's fetch decodes it and keeps the wire length).
  const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20), { level: 9 });
  assert.ok(bomb.length < 1024 * 1024);
  const apiUrl = await panel((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": bomb.length });
    res.end(bomb);
  });
  await assert.rejects(client(apiUrl).balance(), assertTooLarge);
});

test("a custom fetch whose Response declares fewer bytes than its stream carries is cut at the cap", async () => {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let sent = 0;
  const fetch = () => {
    const stream = new ReadableStream({
      pull(controller) {
        // Endless: only the cap stops it.
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return Promise.resolve(new Response(stream, { status: 200, headers: { "content-length": "16" } }));
  };
  await assert.rejects(client("https://panel.example/api/v2", { fetch }).balance(), assertTooLarge);
  assert.ok(sent <= CAP + 2 * chunk.length, `read ${sent} bytes past a ${CAP}-byte cap`);
});

test("a chunked answer without Content-Length, in many small pieces, is read whole", async () => {
  const answer = JSON.stringify({ balance: "12.34567", currency: "USD" });
  const apiUrl = await panel(async (req, res) => {
    res.writeHead(200, { "content-type": "application/json" }); // chunked: no length
    for (const piece of answer.match(/.{1,3}/g)) {
      res.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    res.end();
  });
  assert.deepEqual(await client(apiUrl).balance(), { balance: "12.34567", currency: "USD" });
});

test("a Content-Length larger than the bytes that come does not pad or break the answer", async () => {
  const answer = JSON.stringify({ balance: "1.00000", currency: "EUR" });
  const fetch = () => Promise.resolve(new Response(answer, { status: 200, headers: { "content-length": String(answer.length + 500) } }));
  assert.deepEqual(await client("https://panel.example/api/v2", { fetch }).balance(), { balance: "1.00000", currency: "EUR" });
});

test("a custom fetch that resolves to no Response is a network error, and a write is not retried", async () => {
  let calls = 0;
  const fetch = async () => {
    calls += 1;
    return undefined;
  };
  const c = client("https://panel.example/api/v2", { fetch });
  await assert.rejects(c.addOrder({ service: 1, link: "https://example.com/p", quantity: 100 }), (error) => {
    assert.ok(error instanceof SmmError, `an SmmError, got ${error}`);
    assert.equal(error.code, "network");
    assert.equal(error.delivery, "unknown");
    assert.ok(!error.message.includes("k-transport-test"));
    return true;
  });
  assert.equal(calls, 1, "an add is sent once");
});
