// The pieces of the wasm layer that are better written in JavaScript: the error class, the
// fetch exchange, timers and iterator/function adapters. None of them decides anything: the
// core classifies what `exchange` reports.

// Marks every SmmError, whichever copy of the package made it: `instanceof` fails across two
// installed copies (a bundler's duplicate, a monorepo), a registry-wide symbol does not.
const SMM_ERROR_BRAND = Symbol.for("smm-panel-sdk.SmmError");

// A real Error subclass: `instanceof SmmError` and `instanceof Error` work and a stack is
// captured. Rust builds every instance through `newSmmError`, the one place errors reach JS.
export class SmmError extends Error {
  constructor(message, fields) {
    super(message);
    this.name = "SmmError";
    this.code = fields.code;
    this.delivery = fields.delivery;
    this.action = fields.action;
    this.field = fields.field;
    this.status = fields.status;
    this.apiMessage = fields.apiMessage;
    this.results = fields.results;
  }

  get [SMM_ERROR_BRAND]() {
    return true;
  }
}

// True for an SmmError of any copy of the package; copies from before the brand existed
// (0.1.0) are known by their name and their two string fields.
function isSmmError(value) {
  if (typeof value !== "object" || value === null) return false;
  try {
    if (value[SMM_ERROR_BRAND] === true) return true;
    return value instanceof Error && value.name === "SmmError" && typeof value.code === "string" && typeof value.delivery === "string";
  } catch {
    return false; // a Proxy whose traps throw is no SmmError
  }
}

// What the entry modules export about errors.
export function smmErrors() {
  return { SmmError, isSmmError };
}

export function newSmmError(message, code, delivery, action, field, status, apiMessage, results) {
  return new SmmError(message, { code, delivery, action, field, status, apiMessage, results });
}

// Caller input crosses into Rust as JSON text: one crossing instead of one per field. JSON
// cannot say NaN, Infinity or BigInt (and JSON.stringify throws on BigInt and cycles), so those
// become a tagged object that the core's validation names in its message. A Date becomes the
// caller's local calendar day ("YYYY-MM-DD"): its own toJSON would give the UTC instant, which
// is the previous day east of Greenwich.
function replaceForWire(key, value) {
  const original = this[key];
  if (original instanceof Date) {
    if (Number.isNaN(original.getTime())) return { __smm_unrepresentable: "Invalid Date" };
    const pad = (n) => String(n).padStart(2, "0");
    return `${original.getFullYear()}-${pad(original.getMonth() + 1)}-${pad(original.getDate())}`;
  }
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : { __smm_unrepresentable: String(value) };
    // String(x), as the core's describe() expects: "12" for 12n, "Symbol(x)" for a symbol.
    case "bigint":
    case "symbol":
      return { __smm_unrepresentable: String(value) };
    case "function":
      return { __smm_unrepresentable: "function" };
    default:
      return value;
  }
}

export function toWireJson(value) {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, replaceForWire);
  } catch {
    return '{"__smm_unrepresentable":"a value that cannot be serialised"}';
  }
}

// Waits `ms`, or less if `signal` aborts; resolves either way (the caller checks the signal).
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener?.("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

// `for await (const update of client.watchOrders(...))`: yields each update of each poll;
// `poll()` resolves to the next batch of updates, or undefined when watching is over.
export function updatesIterator(watcher) {
  async function* updates() {
    try {
      for (;;) {
        const batch = await watcher.poll();
        if (batch === undefined) return;
        yield* batch;
      }
    } finally {
      watcher.free();
    }
  }
  return updates();
}

// `onUpdate` given: the updates are consumed here, in the background, and reach the callback
// (the watcher calls it); a failure ends the loop quietly, as the watcher reports it itself.
export function drainUpdates(iterator) {
  (async () => {
    for await (const _ of iterator) {
      // Each update has already gone to onUpdate.
    }
  })().catch(() => {});
}

// createProxy's result: a plain function, so it can be passed to any Fetch-API server as is.
export function proxyFunction(handle) {
  return function smmProxy(request) {
    return handle(request);
  };
}

// One form POST to the panel through `fetchFn`: no custom headers (a CORS simple request),
// redirects not followed (the key travels in the body: a followed 307/308 would re-send it to
// wherever Location points), a timeout, the caller's signal, a body capped at `maxBytes`.
// Never rejects: resolves to { status, retryAfter, body } or to { stop, status } where `stop` is
// "aborted", "timeout", "network", "redirect" or "too_large", for the core to turn into an error.
export async function exchange(fetchFn, url, formBody, timeoutMs, signal, maxBytes) {
  const controller = new AbortController();
  let timedOut = false;
  let timer;
  const onCallerAbort = () => controller.abort();
  // A rejected fetch looks the same whether the connection failed before sending, was reset
  // after the panel acted, or the browser hid a CORS answer; the core says "delivery unknown".
  const stopped = () => ({ stop: signal?.aborted ? "aborted" : timedOut ? "timeout" : "network" });
  try {
    // setTimeout fires at once for delays past 2^31 - 1 ms.
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, Math.min(timeoutMs, 0x7fffffff));
    signal?.addEventListener("abort", onCallerAbort);
    let response;
    try {
      response = await fetchFn.call(globalThis, url, {
        method: "POST",
        body: formBody,
        // With this value content-type is CORS-safelisted: no preflight.
        headers: { "content-type": "application/x-www-form-urlencoded" },
        redirect: "manual",
        signal: controller.signal,
      });
    } catch {
      return stopped();
    }
    // A custom fetch that resolved to something other than a Response: no answer was read.
    if (typeof response !== "object" || response === null) return stopped();
    const status = Number(response.status) || 0;
    const tooLarge = () => {
      controller.abort();
      return { stop: "too_large", status };
    };
    if (response.type === "opaqueredirect" || (status >= 300 && status < 400)) {
      controller.abort();
      return { stop: "redirect", status };
    }
    const header = (name) => {
      try {
        const value = response.headers.get(name);
        return typeof value === "string" ? value : undefined;
      } catch {
        return undefined;
      }
    };
    const declared = header("content-length")?.trim();
    const length = /^\d+$/.test(declared ?? "") ? Number(declared) : undefined;
    if (length > maxBytes) return tooLarge();
    // The exchange's own timer covers the body too: a slow body is aborted, and reads as "timeout".
    const read = await readBody(response, maxBytes, length);
    if (read.stop === "too_large") return tooLarge();
    if (read.stop !== undefined) return stopped();
    return { status, retryAfter: header("retry-after"), body: read.body };
  } finally {
    clearTimeout(timer);
    try {
      signal?.removeEventListener?.("abort", onCallerAbort);
    } catch {
      // A signal-like object whose removal throws: nothing is left to clean up on our side.
    }
  }
}

// createProxy's reading of a request body: as a stream, stopped as soon as more than `maxBytes`
// arrived or `timeoutMs` passed, so a huge, endless or slow upload costs no more than the limit
// (plus the chunk that crossed it) and the time allowed. The core answers what the result means.
export function readRequestBody(request, maxBytes, timeoutMs) {
  return readBody(request, maxBytes, undefined, timeoutMs);
}

// The body of a Response or a Request (`source`), read as a stream and counted as it arrives:
// Content-Length counts the bytes on the wire, so a compressed answer can declare 1 MB and decode
// to 1 GB, and a request's may say nothing or lie. The declared `length` only sizes the buffer up
// front. Past `limit`, or after `timeoutMs` if given, the stream is cancelled: the sender gets
// nothing more read. Never rejects: resolves to { body } (one Uint8Array of this realm) or to
// { stop } where `stop` is "too_large", "timeout" or "error".
async function readBody(source, limit, length, timeoutMs) {
  let timer;
  const timedOut = new Promise((resolve) => {
    // setTimeout fires at once for delays past 2^31 - 1 ms.
    if (timeoutMs !== undefined) timer = setTimeout(() => resolve({ stop: "timeout" }), Math.min(timeoutMs, 0x7fffffff));
  });
  // `timedOut` is listed second: a chunk that is already there wins over the timer.
  const orTimeout = (pending) => Promise.race([Promise.resolve(pending).then((value) => ({ value })), timedOut]);
  let reader;
  const stop = (why) => {
    try {
      Promise.resolve(reader?.cancel()).catch(() => {});
    } catch {
      // Cancelling is a courtesy; the body is refused either way.
    }
    return { stop: why };
  };
  try {
    reader = source.body?.getReader?.();
    if (reader === undefined) {
      // No stream (no body at all, or a fetch implementation without streams): nothing to cut early.
      const read = await orTimeout(source.arrayBuffer());
      if (read.stop !== undefined) return read;
      const bytes = new Uint8Array(read.value);
      return bytes.length > limit ? { stop: "too_large" } : { body: bytes };
    }
    let bytes = new Uint8Array(Math.min(limit, length ?? 0));
    let total = 0;
    for (;;) {
      const read = await orTimeout(reader.read());
      if (read.stop !== undefined) return stop(read.stop);
      const { done, value } = read.value;
      if (done) break;
      const end = total + value.length;
      if (end > limit) return stop("too_large");
      if (end > bytes.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(end, bytes.length * 2)));
        grown.set(bytes.subarray(0, total));
        bytes = grown;
      }
      bytes.set(value, total);
      total = end;
    }
    return { body: total === bytes.length ? bytes : bytes.subarray(0, total) };
  } catch {
    // The stream failed (the sender went away, the body was already used): stop it too, in
    // case it only failed on our side.
    return stop("error");
  } finally {
    clearTimeout(timer);
  }
}
