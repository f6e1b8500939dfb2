// The SDK's JavaScript driver: SmmClient, ServiceCatalog, the batched calls' request pool, the
// waits between retries and between watch polls — over the core's synchronous wasm exports
// (src/wasm/exports.rs). This file moves bytes and waits; what is valid, what is sent, how an
// answer reads, whether and when to retry, what delivery an error has and when a watched order
// is final are all the core's answers, tested natively.
//
// Self-contained (no imports): the package's entries import it and `install` the instantiated
// module; the Rust browser suite loads it as a snippet; the proxy's module folds it in for its
// SmmError and its HTTP exchange (scripts/inline-glue.mjs).

// ---------------------------------------------------------------------------------------------
// Errors

// Marks every SmmError, whichever copy of the package made it: `instanceof` fails across two
// installed copies (a bundler's duplicate, a monorepo), a registry-wide symbol does not.
const SMM_ERROR_BRAND = Symbol.for("smm-panel-sdk.SmmError");

// A real Error subclass: `instanceof SmmError` and `instanceof Error` work and a stack is
// captured. Every instance is made from the core's parts of an error by `newSmmError`.
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
export function isSmmError(value) {
  if (typeof value !== "object" || value === null) return false;
  try {
    if (value[SMM_ERROR_BRAND] === true) return true;
    return value instanceof Error && value.name === "SmmError" && typeof value.code === "string" && typeof value.delivery === "string";
  } catch {
    return false; // a Proxy whose traps throw is no SmmError
  }
}

// What the proxy's module exports about errors (its wasm-bindgen import).
export function smmErrors() {
  return { SmmError, isSmmError };
}

// The proxy's module builds its errors through this (wasm-bindgen passes the parts one by one).
export function newSmmError(message, code, delivery, action, field, status, apiMessage, results) {
  return new SmmError(message, { code, delivery, action, field, status, apiMessage, results });
}

// ---------------------------------------------------------------------------------------------
// Values into the core

// Caller input crosses into the core as JSON text: one crossing instead of one per field. JSON
// cannot say NaN, Infinity or BigInt (and JSON.stringify throws on BigInt and cycles), and has no
// spelling for a function or an AbortSignal, so those become a tagged object that the core reads
// (a function is what `fetch` and `onUpdate` must be) or names in its message. A Date becomes
// the caller's local calendar day ("YYYY-MM-DD"): its own toJSON would give the UTC instant,
// which is the previous day east of Greenwich.
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
    case "object":
      if (looksLikeSignal(value)) return { __smm_unrepresentable: "AbortSignal" };
      // The caller's own object spelled like a tag must not pass for a function or a signal.
      return value !== null && Object.prototype.hasOwnProperty.call(value, "__smm_unrepresentable") ? { __smm_unrepresentable: "object" } : value;
    default:
      return value;
  }
}

// Signals from another realm (an iframe, a Node polyfill) fail `instanceof`; anything shaped
// like one is one.
function looksLikeSignal(value) {
  return value !== null && typeof value.aborted === "boolean" && typeof value.addEventListener === "function";
}

export function toWireJson(value) {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, replaceForWire);
  } catch {
    return '{"__smm_unrepresentable":"a value that cannot be serialised"}';
  }
}

// ---------------------------------------------------------------------------------------------
// The core's exports (see src/wasm/memory.rs for the protocol)

let core;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
// The core's call table: [method, takes an argument] per row (src/core/call.rs).
let calls = [];

// Gives the driver its core: the exports of the instantiated module. Called once by the entry.
export function install(exports) {
  core = exports;
  core.smm_calls();
  calls = JSON.parse(answer());
  calls.forEach(([method, takesArg], call) => {
    const run = takesArg
      ? function (arg, options) {
          return callOnce(this, call, toWireJson(arg), options);
        }
      : function (options) {
          return callOnce(this, call, undefined, options);
        };
    Object.defineProperty(run, "name", { value: method });
    Object.defineProperty(SmmClient.prototype, method, { value: run, writable: true, configurable: true });
  });
}

// The size of the core's memory, for the benchmark's memory row (bench/bench.mjs): not public API.
export function coreMemoryBytes() {
  return core.memory.buffer.byteLength;
}

function bytesIn(bytes) {
  const ptr = core.smm_alloc(bytes.length);
  new Uint8Array(core.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
}

// Arguments `(ptr, len)` for text, or (0, 0) for undefined.
function textIn(text) {
  if (text === undefined) return [0, 0];
  const bytes = encoder.encode(text);
  return [bytesIn(bytes), bytes.length];
}

// What the last export call left in the output buffer.
function answer() {
  const ptr = core.smm_out_ptr();
  const len = core.smm_out_len();
  return decoder.decode(new Uint8Array(core.memory.buffer, ptr, len));
}

// The error an export refused with (its parts are the answer). Were the answer anything else (a
// bug of ours), the error says so without quoting it: it could be a form body with the key.
function refusal() {
  let parts;
  try {
    parts = JSON.parse(answer());
  } catch {
    parts = { message: "smm-panel-sdk: internal error (the core's refusal could not be read)", code: "decode", delivery: "unknown" };
  }
  return new SmmError(parts.message, parts);
}

// Frees the core's side of a client or a catalog once its JS object is gone.
const released = typeof FinalizationRegistry === "function" ? new FinalizationRegistry((handle) => core.smm_release(handle)) : undefined;

// ---------------------------------------------------------------------------------------------
// Calls

// What the core answers after a try of a request (otherwise: wait that long, send it again):
// exports.rs `REQUEST_DONE`, `REQUEST_FAILED`.
const DONE = -1;
const FAILED = -2;
// smm_catalog_fresh's answers (exports.rs `CATALOG_FRESH`; `CATALOG_STALE` is 2, 0 a refusal).
const CATALOG_FRESH = 1;
// smm_watch_accept's answers (exports.rs `WATCH_UPDATES`, `WATCH_WAITS`, `WATCH_ENDS`).
const WATCH_UPDATES = 1;
const WATCH_ENDS = 3;

// Per client: its core handle, the fetch it was given and the API URL as the core checked it.
const clients = new WeakMap();

function clientOf(client) {
  const state = clients.get(client);
  if (state === undefined) throw new TypeError("not an SmmClient");
  return state;
}

export class SmmClient {
  constructor(options) {
    const handle = core.smm_client(...textIn(toWireJson(options)));
    if (handle === 0) throw refusal();
    const { apiUrl } = JSON.parse(answer());
    const fetchFn = typeof options.fetch === "function" ? options.fetch : undefined;
    clients.set(this, { handle, apiUrl, fetch: fetchFn, catalog: undefined });
    released?.register(this, handle, this);
  }

  // Every call of the core's table is a method too (`install`).

  // Releases the client's side in the core now rather than when it is collected. Calls made
  // afterwards are refused by the core ("this client has been released"); a second free()
  // does nothing.
  free() {
    const state = clientOf(this);
    released?.unregister(this);
    core.smm_release(state.handle);
  }

  async catalog(options) {
    const state = clientOf(this);
    const cached = state.catalog;
    const freshness = core.smm_catalog_fresh(...textIn(toWireJson(options)), cached?.fetchedAt ?? NaN, Date.now());
    if (freshness === 0) throw refusal();
    const job = startJob(state, callNamed("services"), undefined, options);
    if (freshness === CATALOG_FRESH) {
      core.smm_release(job.handle);
      return new ServiceCatalog(cached);
    }
    await runJob(state, job, options?.signal);
    const handle = core.smm_job_finish(job.handle, 1);
    if (handle === 0) throw refusal();
    const data = { handle, services: JSON.parse(answer()), fetchedAt: Date.now() };
    released?.register(data, handle);
    state.catalog = data;
    return new ServiceCatalog(data);
  }

  watchOrders(orders, options) {
    const state = clientOf(this);
    // Read once: the core checked these, and the polls use them as they were.
    const watching = { signal: options?.signal, onUpdate: options?.onUpdate, onError: options?.onError, token: {} };
    const watch = core.smm_watch(state.handle, ...textIn(toWireJson(orders)), ...textIn(toWireJson(options)));
    if (watch === 0) throw refusal();
    const iterator = watchUpdates(state, watch, watching);
    // A watch that is never iterated (or dropped before its first poll) never reaches the
    // generator's `finally`: released when the iterator is collected.
    released?.register(iterator, watch, watching.token);
    if (typeof watching.onUpdate === "function") {
      // The updates go to onUpdate (watchUpdates calls it): consumed here, in the background.
      // A failure ends the loop quietly; the watch reported it through onError or not at all.
      (async () => {
        for await (const _ of iterator) {
          // Each update has already gone to onUpdate.
        }
      })().catch(() => {});
    }
    return iterator;
  }
}

function callNamed(method) {
  return calls.findIndex(([name]) => name === method);
}

// One method call: checked and prepared by the core (a refusal rejects, nothing sent), then run.
async function callOnce(client, call, argJson, options) {
  const state = clientOf(client);
  const job = startJob(state, call, argJson, options);
  await runJob(state, job, options?.signal);
  if (core.smm_job_finish(job.handle, 0) === 0) throw refusal();
  return JSON.parse(answer());
}

function startJob(state, call, argJson, options) {
  const handle = core.smm_job(state.handle, call, ...textIn(argJson), ...textIn(toWireJson(options)));
  if (handle === 0) throw refusal();
  return { handle, ...JSON.parse(answer()) };
}

// Sends the job's requests, at most `workers` at a time, each until the core calls it done or
// failed, waiting between tries as long as the core says. Never rejects: the outcome is the
// job's, read by `smm_job_finish`.
async function runJob(state, job, signal) {
  const fetchFn = state.fetch ?? globalThis.fetch;
  const worker = async () => {
    for (;;) {
      const request = core.smm_job_next(job.handle);
      if (request < 0) return;
      const form = answer();
      for (;;) {
        let verdict;
        if (typeof fetchFn !== "function") {
          verdict = core.smm_job_stopped(job.handle, request, ...textIn("no_fetch"), 0, 0);
        } else if (signal?.aborted) {
          verdict = core.smm_job_stopped(job.handle, request, ...textIn("before"), 0, 0);
        } else {
          // `exchange` does not reject; were it to (a bug, a hostile fetch), no answer was read.
          const report = await exchange(fetchFn, state.apiUrl, form, job.timeoutMs, signal, job.maxBodyBytes).catch(() => ({ stop: "network" }));
          verdict =
            report.stop === undefined
              ? core.smm_job_answer(job.handle, request, report.status, ...textIn(report.retryAfter), bytesIn(report.body), report.body.length, Math.random())
              : core.smm_job_stopped(job.handle, request, ...textIn(report.stop), report.status ?? 0, Math.random());
        }
        if (verdict === DONE || verdict === FAILED) break;
        await sleep(verdict, signal);
        if (signal?.aborted) {
          core.smm_job_stopped(job.handle, request, ...textIn("aborted"), 0, 0);
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: job.workers }, worker));
}

// Waits `ms`, or less if `signal` aborts; resolves either way (the caller checks the signal).
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      try {
        signal?.removeEventListener?.("abort", done);
      } catch {
        // A signal-like object whose removal throws: the timer is cleared all the same.
      }
      resolve();
    }
    try {
      signal?.addEventListener("abort", done, { once: true });
    } catch {
      // Not listenable after all: the wait runs its full length, and the caller checks `aborted`.
    }
  });
}

// ---------------------------------------------------------------------------------------------
// watchOrders

// Polls with the batched status calls until the core says every order is final, or the signal
// aborts; yields every update. A refusal ends it with the error; an outage is waited out (the
// core grows the delay) and reported to onError.
async function* watchUpdates(state, watch, { signal, onUpdate, onError, token }) {
  try {
    for (let first = 1; ; first = 0) {
      const delay = core.smm_watch_delay(watch, first);
      if (delay < 0 || signal?.aborted) return;
      if (delay > 0) {
        await sleep(delay, signal);
        if (signal?.aborted) return;
      }
      const updates = [];
      let failure;
      for (const dripfeed of [0, 1]) {
        const handle = core.smm_watch_job(watch, dripfeed);
        if (handle < 0) continue;
        if (handle === 0) throw refusal();
        const job = { handle, ...JSON.parse(answer()) };
        await runJob(state, job, signal);
        const outcome = core.smm_watch_accept(watch, job.handle, dripfeed);
        if (outcome === WATCH_UPDATES) updates.push(...JSON.parse(answer()));
        // A failure that ends the watch is kept over one to wait out.
        else if (!failure?.ends) failure = { error: refusal(), ends: outcome === WATCH_ENDS };
      }
      if (failure !== undefined) {
        if (failure.ends) throw failure.error;
        core.smm_watch_failed(watch);
        callBack(onError, failure.error);
      }
      if (updates.length > 0) {
        for (const update of updates) callBack(onUpdate, update);
        yield* updates;
      }
    }
  } finally {
    released?.unregister(token);
    core.smm_release(watch);
  }
}

// A throwing callback is the caller's bug; it must not stop the watch.
function callBack(callback, value) {
  if (typeof callback !== "function") return;
  try {
    callback(value);
  } catch {
    // Ignored, as documented.
  }
}

// ---------------------------------------------------------------------------------------------
// ServiceCatalog

const catalogs = new WeakMap();

function catalogOf(catalog) {
  const data = catalogs.get(catalog);
  if (data === undefined) {
    throw new SmmError("this ServiceCatalog has been freed (or was not made by client.catalog())", { code: "invalid_request", delivery: "not_sent", field: "catalog" });
  }
  return data;
}

// The panel's services with lookup, search, order checks and exact charge estimates. Get one
// with `client.catalog()`; it is cached per client for `maxAgeMs`.
export class ServiceCatalog {
  constructor(data) {
    catalogs.set(this, data);
  }

  // Lets go of this object; the catalog's index in the core is released once no ServiceCatalog
  // of it (nor the client's cache) is left. Methods called afterwards throw; a second free()
  // does nothing.
  free() {
    catalogs.delete(this);
  }

  get services() {
    return catalogOf(this).services;
  }

  get fetchedAt() {
    return catalogOf(this).fetchedAt;
  }

  get(id) {
    const data = catalogOf(this);
    const position = core.smm_catalog_position(data.handle, typeof id === "number" ? id : NaN);
    return position < 0 ? undefined : data.services[position];
  }

  categories() {
    core.smm_catalog_names(catalogOf(this).handle, 0);
    return JSON.parse(answer());
  }

  types() {
    core.smm_catalog_names(catalogOf(this).handle, 1);
    return JSON.parse(answer());
  }

  search(query) {
    const data = catalogOf(this);
    core.smm_catalog_search(data.handle, ...textIn(typeof query === "string" ? query : undefined));
    return JSON.parse(answer()).map((position) => data.services[position]);
  }

  validate(order) {
    if (core.smm_catalog_check(catalogOf(this).handle, ...textIn(toWireJson(order)), 0) === 0) throw refusal();
  }

  estimateCharge(order) {
    if (core.smm_catalog_check(catalogOf(this).handle, ...textIn(toWireJson(order)), 1) === 0) throw refusal();
    return answer();
  }
}

// `using client = new SmmClient(…)` (or a catalog) frees it at the end of the block, where `using` exists.
if (typeof Symbol.dispose === "symbol") {
  SmmClient.prototype[Symbol.dispose] = SmmClient.prototype.free;
  ServiceCatalog.prototype[Symbol.dispose] = ServiceCatalog.prototype.free;
}

// ---------------------------------------------------------------------------------------------
// Functions

// Checks an order exactly as `addOrder` would, without sending anything.
export function validateOrder(order) {
  if (core.smm_validate_order(...textIn(toWireJson(order))) === 0) throw refusal();
}

// Every order type the SDK knows, with its fields and charge basis.
export function orderTypes() {
  core.smm_order_types();
  return JSON.parse(answer());
}

// The order type a service's panel-spelled type stands for, or undefined.
export function orderTypeOf(service) {
  const panelType = typeof service === "string" ? service : typeof service === "object" && service !== null ? service.type : undefined;
  if (typeof panelType !== "string") return undefined;
  return core.smm_order_type_of(...textIn(panelType)) === 1 ? answer() : undefined;
}

// ---------------------------------------------------------------------------------------------
// HTTP

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
    try {
      signal?.addEventListener("abort", onCallerAbort);
    } catch {
      // A signal-like object that cannot be listened to: the timeout still applies.
    }
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

// createProxy's result: a plain function, so it can be passed to any Fetch-API server as is.
export function proxyFunction(handle) {
  return function smmProxy(request) {
    return handle(request);
  };
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
