// The two pieces of the wasm layer that must be JavaScript.

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
  }
}

export function smmErrorClass() {
  return SmmError;
}

export function newSmmError(message, code, delivery, action, field, status, apiMessage) {
  return new SmmError(message, { code, delivery, action, field, status, apiMessage });
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
      signal?.removeEventListener("abort", done);
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

// createProxy's result: a plain function, so it can be passed to any Fetch-API server as is.
export function proxyFunction(handle) {
  return function smmProxy(request) {
    return handle(request);
  };
}
