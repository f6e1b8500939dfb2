// createProxy cannot be flooded: a huge or endless body is refused (413) as soon as it passes
// maxBodyBytes, a slow one (408) when bodyTimeoutMs passes, and too many or too long fields get
// their 413; each as a Fetch handler called directly (a pull-based stream counts what the proxy
// took) and behind the real Node server (raw node:http uploads; the server's sockets count what
// it read). After every refusal a normal call still goes through.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { createAccount, simOrigin } from "../support/sim.mjs";
import { startProxyServer } from "../../scripts/proxy-server.mjs";

const { SmmClient } = await import("smm-panel-sdk");
const { createProxy } = await import("smm-panel-sdk/proxy");
const panel = `${simOrigin()}/api/v2`;
const KiB = 1024;
const DEFAULT_LIMIT = 64 * KiB;
const CHUNK = 16 * KiB;
const HUNDRED_MB = 100 * 1000 * 1000;
// A proxy that read a flood whole would never answer an endless one: fail instead of hanging.
const BOUNDED = { timeout: 20_000 };
const servers = [];
after(() => Promise.all(servers.map((s) => s.close())));

/** A body that hands out one chunk per read the proxy makes (no read-ahead: highWaterMark 0),
 * `totalBytes` in all (Infinity: endless), each after `everyMs`. */
function pulledBody({ totalBytes = Infinity, everyMs = 0, chunkBytes = CHUNK } = {}) {
  const source = { handedOut: 0, cancelled: false };
  source.stream = new ReadableStream(
    {
      async pull(controller) {
        if (source.handedOut >= totalBytes) return controller.close();
        if (everyMs) await sleep(everyMs);
        if (source.cancelled) return;
        source.handedOut += chunkBytes;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
      },
      cancel() {
        source.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return source;
}

function post(body, headers = {}) {
  return new Request("https://shop.example/api/smm", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
    duplex: "half",
  });
}

/** The answer as { status, error, ms }, checked for the key. */
async function answer(pending, key, started = performance.now()) {
  const response = await pending;
  const text = await response.text();
  assert.ok(!text.includes(key), `the key leaked into an answer: ${text}`);
  return { status: response.status, error: text ? JSON.parse(text).error : undefined, ms: performance.now() - started };
}

test("as a Fetch handler: a 100 MB body and an endless one are refused at once, read no further than the limit and one chunk", BOUNDED, async () => {
  const key = await createAccount("3.00000");
  const handle = createProxy({ apiUrl: panel, key });
  for (const totalBytes of [HUNDRED_MB, Infinity]) {
    const body = pulledBody({ totalBytes });
    const refused = await answer(handle(post(body.stream)), key);
    assert.deepEqual([refused.status, refused.error], [413, "The request body is larger than 65536 bytes (maxBodyBytes)"]);
    assert.ok(refused.ms < 1000, `answered after ${refused.ms} ms`);
    assert.ok(body.handedOut <= DEFAULT_LIMIT + CHUNK, `${body.handedOut} bytes were read`);
    assert.ok(body.cancelled, "the body stream was cancelled");
  }
  // A declared length over the limit: refused without reading anything.
  const declared = pulledBody({ totalBytes: HUNDRED_MB });
  const refused = await answer(handle(post(declared.stream, { "content-length": String(HUNDRED_MB) })), key);
  assert.equal(refused.status, 413);
  assert.equal(declared.handedOut, 0);
  // A body just at the limit is read whole (and then refused for what it says, not its size).
  const atLimit = await answer(handle(post(pulledBody({ totalBytes: DEFAULT_LIMIT }).stream)), key);
  assert.equal(atLimit.status, 400);
  const normal = await answer(handle(post("action=balance")), key);
  assert.equal(normal.status, 200);
});

test("as a Fetch handler: a body slower than bodyTimeoutMs gets 408, a larger maxBodyBytes is honoured", BOUNDED, async () => {
  const key = await createAccount("3.00000");
  const handle = createProxy({ apiUrl: panel, key, bodyTimeoutMs: 300, maxBodyBytes: 200 * KiB });
  const trickle = pulledBody({ everyMs: 50, chunkBytes: 1 });
  const slow = await answer(handle(post(trickle.stream)), key);
  assert.deepEqual([slow.status, slow.error], [408, "The request body did not arrive within 300 ms (bodyTimeoutMs)"]);
  assert.ok(slow.ms >= 290 && slow.ms < 1000, `answered after ${slow.ms} ms`);
  assert.ok(trickle.cancelled, "the slow body stream was cancelled");
  // A body that never sends a byte.
  const silent = await answer(handle(post(new ReadableStream({ pull: () => new Promise(() => {}) }, { highWaterMark: 0 }))), key);
  assert.equal(silent.status, 408);

  const big = pulledBody({ totalBytes: HUNDRED_MB });
  const refused = await answer(handle(post(big.stream)), key);
  assert.deepEqual([refused.status, refused.error], [413, "The request body is larger than 204800 bytes (maxBodyBytes)"]);
  assert.ok(big.handedOut > DEFAULT_LIMIT && big.handedOut <= 200 * KiB + CHUNK, `${big.handedOut} bytes were read`);
  assert.equal((await answer(handle(post("action=balance")), key)).status, 200);
});

test("as a Fetch handler: too many fields and a field too long get 413", BOUNDED, async () => {
  const key = await createAccount("3.00000");
  const handle = createProxy({ apiUrl: panel, key, allowedActions: ["status"], maxFieldBytes: 100 });
  const fields = (n) => ["action=status", "order=1", ...Array.from({ length: n - 2 }, (_, i) => `x${i}=1`)].join("&");
  const many = await answer(handle(post(fields(33))), key);
  assert.deepEqual([many.status, many.error], [413, "The request has more than 32 fields (maxFields)"]);
  // 32 fields are not too many: refused for the stray fields instead.
  assert.equal((await answer(handle(post(fields(32))), key)).status, 400);
  const long = await answer(handle(post(`action=status&orders=${"1%2C".repeat(60)}1`)), key);
  assert.deepEqual([long.status, long.error], [413, 'The field "orders" is longer than 100 bytes (maxFieldBytes)']);
  assert.equal((await answer(handle(post(`action=status&orders=${"1%2C".repeat(40)}1`)), key)).status, 200);
});

test("bad limits are refused with the option named", () => {
  for (const [option, value] of [["maxBodyBytes", 0], ["maxBodyBytes", 1e12], ["maxFields", 2.5], ["maxFieldBytes", "64k"], ["bodyTimeoutMs", -1]]) {
    assert.throws(() => createProxy({ apiUrl: panel, key: "k-secret-2", [option]: value }), (error) =>
      error.code === "invalid_request" && error.field === option && !error.message.includes("k-secret-2"), `${option}: ${value}`);
  }
});

/** One raw upload to the server: `chunk` written `totalBytes` long (Infinity: until the server
 * closes the connection), each after `everyMs`. Resolves when the connection is over, to the
 * answer, when it came, and when the connection closed. */
function upload(server, { totalBytes = Infinity, everyMs = 0, chunk = Buffer.alloc(CHUNK, 0x61), headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(`${server.url}/api/v2`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    });
    let answered;
    let sent = 0;
    let pause;
    req.on("response", (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        answered = { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString(), ms: performance.now() - started };
      });
    });
    // Writing into a connection the server has closed fails: that is the point.
    req.on("error", () => {});
    req.on("close", () => {
      clearTimeout(pause);
      if (!answered) return reject(new Error(`the connection closed without an answer after ${sent} bytes`));
      resolve({ ...answered, sent, closedMs: performance.now() - started });
    });
    if (body !== undefined) return void req.end(body);
    const write = () => {
      while (!req.destroyed && sent < totalBytes) {
        const piece = totalBytes - sent < chunk.length ? chunk.subarray(0, totalBytes - sent) : chunk;
        sent += piece.length;
        const more = req.write(piece);
        if (everyMs) return void (pause = setTimeout(write, everyMs));
        if (!more) return void req.once("drain", write);
      }
      if (!req.destroyed) req.end();
    };
    write();
  });
}

/** The proxy behind the real Node server, counting what its sockets read from the network. */
async function serverFor(key, options = {}) {
  const server = await startProxyServer({ panel, key, ...options });
  servers.push(server);
  const sockets = [];
  server.httpServer.on("connection", (socket) => sockets.push(socket));
  server.bytesRead = () => sockets.reduce((sum, s) => sum + s.bytesRead, 0);
  // The server side of a connection closes a moment after the client sees it close.
  server.openConnections = async () => {
    const count = () => new Promise((ok) => server.httpServer.getConnections((_, n) => ok(n)));
    for (let wait = 0; wait < 20 && (await count()) > 0; wait++) await sleep(50);
    return count();
  };
  return server;
}

// What Node reads beyond what the proxy took: a socket reads up to 64 KiB at a time, and keeps
// up to 16 KiB of request body buffered, and the request line and headers come first. The chunk
// that crosses the limit is one socket read at most.
const NODE_READ_AHEAD = 64 * KiB + 16 * KiB + 1 * KiB;

test("behind the Node server: a 100 MB body and an endless one are refused within a second, and the connection closed", BOUNDED, async () => {
  const key = await createAccount("4.00000");
  const server = await serverFor(key);
  for (const [what, options] of [
    ["100 MB, chunked", { totalBytes: HUNDRED_MB }],
    ["endless, chunked", {}],
    ["100 MB, Content-Length", { totalBytes: HUNDRED_MB, headers: { "content-length": String(HUNDRED_MB) } }],
  ]) {
    const before = server.bytesRead();
    const refused = await upload(server, options);
    const read = server.bytesRead() - before;
    assert.equal(refused.status, 413, what);
    assert.deepEqual(JSON.parse(refused.text), { error: "The request body is larger than 65536 bytes (maxBodyBytes)" }, what);
    assert.ok(!refused.text.includes(key));
    assert.equal(refused.headers.connection, "close", what);
    assert.ok(refused.ms < 1000, `${what}: answered after ${refused.ms} ms`);
    // The client never stops writing on its own: the server closed the connection.
    assert.ok(refused.closedMs < 2000, `${what}: closed after ${refused.closedMs} ms`);
    assert.ok(refused.sent < HUNDRED_MB, `${what}: the whole body was taken`);
    const most = what.includes("Content-Length") ? NODE_READ_AHEAD : DEFAULT_LIMIT + 64 * KiB + NODE_READ_AHEAD;
    assert.ok(read <= most, `${what}: the server read ${read} bytes (of ${refused.sent} sent)`);
  }
  assert.equal(await server.openConnections(), 0, "no refused upload keeps a connection");
  assert.deepEqual(await new SmmClient({ apiUrl: `${server.url}/api/v2` }).balance(), { balance: "4.00000", currency: "USD" });
});

test("behind the Node server: a slow body gets 408 after bodyTimeoutMs; too many and too long fields get 413", BOUNDED, async () => {
  const key = await createAccount("5.00000");
  const server = await serverFor(key, { bodyTimeoutMs: 300, maxFieldBytes: 100, allowedActions: ["status", "balance"] });
  const slow = await upload(server, { everyMs: 50, chunk: Buffer.from("a") });
  assert.equal(slow.status, 408);
  assert.deepEqual(JSON.parse(slow.text), { error: "The request body did not arrive within 300 ms (bodyTimeoutMs)" });
  assert.ok(slow.ms >= 290 && slow.ms < 1000, `answered after ${slow.ms} ms`);
  assert.ok(slow.closedMs < 2000, `closed after ${slow.closedMs} ms`);
  // Headers sent, then silence.
  const silent = await upload(server, { everyMs: 60_000, chunk: Buffer.from("action=balance") });
  assert.equal(silent.status, 408);

  const fields = ["action=status", "order=1", ...Array.from({ length: 31 }, (_, i) => `x${i}=1`)].join("&");
  const many = await upload(server, { body: fields });
  assert.deepEqual([many.status, JSON.parse(many.text).error], [413, "The request has more than 32 fields (maxFields)"]);
  const long = await upload(server, { body: `action=status&orders=${"1%2C".repeat(60)}1` });
  assert.deepEqual([long.status, JSON.parse(long.text).error], [413, 'The field "orders" is longer than 100 bytes (maxFieldBytes)']);
  for (const refused of [slow, silent, many, long]) assert.ok(!refused.text.includes(key));

  assert.equal(await server.openConnections(), 0, "no refused upload keeps a connection");
  assert.deepEqual(await new SmmClient({ apiUrl: `${server.url}/api/v2` }).balance(), { balance: "5.00000", currency: "USD" });
});
