// The measurements themselves, run unchanged in a Chromium page (served next to pkg/ by the
// simulator) and in Node. Every function takes the SDK module and the simulator's API URL, and
// returns raw samples in milliseconds; bench.mjs turns them into medians and ratios.

const now = () => performance.now();

/** A form POST to the panel API, as every client sends it. */
export function post(apiUrl, fields) {
  return fetch(apiUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

// ---- baseline B: a hand-written plain-JS client doing the SDK's normalisation -----------------

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

function flag(v, name) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  const w = String(v).trim().toLowerCase();
  if (TRUE_WORDS.has(w)) return true;
  if (FALSE_WORDS.has(w)) return false;
  throw new Error(`${name} must be a flag`);
}

function int(v, name) {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be a whole number`);
  return n;
}

const MONEY = /^-?\d+(\.\d+)?$/;
function money(v, name) {
  if (typeof v === "string" && MONEY.test(v.trim())) return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new Error(`${name} must be a decimal amount`);
}

const text = (v) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Baseline B's decoder: the same checks and output shape as the SDK's `services()`. */
export function normaliseServices(list) {
  if (!Array.isArray(list)) throw new Error("expected a list of services");
  const out = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s === null || typeof s !== "object") throw new Error(`services[${i}] is not an object`);
    const service = int(s.service, "service");
    if (service < 1) throw new Error("service must be a positive ID");
    const o = {
      service,
      name: text(s.name),
      type: text(s.type),
      category: text(s.category),
      rate: money(s.rate, "rate"),
      min: int(s.min, "min"),
      max: int(s.max, "max"),
      refill: flag(s.refill, "refill") ?? false,
      cancel: flag(s.cancel, "cancel") ?? false,
    };
    const dripfeed = flag(s.dripfeed, "dripfeed");
    if (dripfeed !== undefined) o.dripfeed = dripfeed;
    const description = [s.description, s.desc].find((d) => typeof d === "string" && d.trim() !== "");
    if (description !== undefined) o.description = description;
    out[i] = o;
  }
  return out;
}

/** Throws, naming the first service that differs, unless B's result equals the SDK's. */
function assertSameAsB(b, sdk) {
  const at = b.findIndex((service, i) => JSON.stringify(service) !== JSON.stringify(sdk[i]));
  if (at >= 0 || b.length !== sdk.length) {
    const i = at >= 0 ? at : Math.min(b.length, sdk.length);
    throw new Error(`baseline B's output differs from the SDK's at services[${i}]: B ${JSON.stringify(b[i])}, SDK ${JSON.stringify(sdk[i])}`);
  }
}

// ---- decode of services --------------------------------------------------------------------------

/**
 * Times "from Response in hand to typed result" for baseline A (`await res.json()`), baseline B
 * (`res.json()` + normaliseServices) and the SDK (`client.services()` with a `fetch` option that
 * hands over the same kind of Response, so the SDK's own fetch call costs nothing and its
 * timing starts, like the baselines', with the Response in hand). Rounds interleave the three
 * in rotating order, each with a fresh Response. With `inMemory` the body is fetched once and
 * each Response is built from those bytes (decode only, no network in the window).
 */
export async function decode({ sdk, apiUrl, key, rounds, warmup, inMemory }) {
  let bytes;
  if (inMemory) bytes = new Uint8Array(await (await post(apiUrl, { key, action: "services" })).arrayBuffer());
  const fresh = async () =>
    inMemory
      ? new Response(bytes.slice(), { status: 200, headers: { "content-type": "application/json" } })
      : post(apiUrl, { key, action: "services" });
  let handed;
  const client = new sdk.SmmClient({ apiUrl, key, fetch: () => Promise.resolve(handed) });
  const paths = {
    A: (res) => res.json(),
    B: async (res) => normaliseServices(await res.json()),
    SDK: (res) => {
      handed = res;
      return client.services();
    },
  };
  const names = Object.keys(paths);
  const samples = { A: [], B: [], SDK: [] };
  let count;
  for (let r = 0; r < warmup + rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const res = await fresh();
      // Every path starts on a collected heap: otherwise whichever path comes after the one
      // that allocated most (B builds 20,000 objects) pays for its collection, and the ratios
      // to B moved by 11-13 % between runs in Node. `gc` exists with --expose-gc (bench.mjs
      // and run.sh pass it); without it the paths share the GC's cost by chance.
      globalThis.gc?.();
      const t0 = now();
      const result = await paths[name](res);
      const t = now() - t0;
      if (r >= warmup) samples[name].push(t);
      count ??= result.length;
      if (result.length !== count) throw new Error(`${name} decoded ${result.length} services, not ${count}`);
      // B is only a fair baseline while it produces what the SDK does: stop the run otherwise.
      if (r === 0 && name === "SDK") assertSameAsB(normaliseServices(await (await fresh()).json()), result);
    }
  }
  return { samples, count, bodyBytes: bytes?.length };
}

// ---- batch status --------------------------------------------------------------------------------

/** SDK orderStatusMany over all `ids`; one sample per repetition. */
export async function batchSdk({ sdk, apiUrl, key, ids, reps }) {
  const client = new sdk.SmmClient({ apiUrl, key });
  const samples = [];
  let concurrency;
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    const out = await client.orderStatusMany(ids);
    samples.push(now() - t0);
    if (out.length !== ids.length) throw new Error(`orderStatusMany gave ${out.length} results`);
    const failed = out.filter((o) => o.error).length;
    if (failed) throw new Error(`${failed} of ${ids.length} statuses failed: ${JSON.stringify(out.find((o) => o.error))}`);
  }
  return { samples, concurrency };
}

/**
 * The best a hand-written client can do: plain fetch, chunks of 100, `concurrency` workers each
 * taking the next chunk as soon as its previous answer is parsed. No validation, no retries, no
 * typed result: it separates what the browser and the panel cost from what the SDK adds.
 */
export async function batchPlainPool({ apiUrl, key, ids, reps, concurrency }) {
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    const answers = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const chunk = ids.slice(next, next + 100);
        next += 100;
        answers.push(await (await post(apiUrl, { key, action: "status", orders: chunk.join(",") })).json());
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    samples.push(now() - t0);
    const count = answers.reduce((n, a) => n + Object.keys(a).length, 0);
    if (count !== ids.length) throw new Error(`the pool got ${count} statuses for ${ids.length} IDs`);
  }
  return { samples };
}

/** Plain fetch, one request per order, one after the other (what a naive loop does). */
export async function batchNaive({ apiUrl, key, ids, reps }) {
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    for (const id of ids) {
      const status = await (await post(apiUrl, { key, action: "status", order: String(id) })).json();
      if (!status.status) throw new Error(`no status for ${id}: ${JSON.stringify(status)}`);
    }
    samples.push(now() - t0);
  }
  return { samples };
}

/** Plain fetch, chunks of 100 IDs, one request after the other. */
export async function batchSequentialChunks({ apiUrl, key, ids, reps }) {
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const answer = await (await post(apiUrl, { key, action: "status", orders: chunk.join(",") })).json();
      if (Object.keys(answer).length !== chunk.length) throw new Error(`chunk answer has ${Object.keys(answer).length} items`);
    }
    samples.push(now() - t0);
  }
  return { samples };
}

// ---- cold start ----------------------------------------------------------------------------------

/**
 * One cold-start sample, in a fresh page or process: the same balance request made with plain
 * fetch, then from `import` of the package to the first resolved `balance()`. A first POST warms
 * the runtime's HTTP stack so that neither side pays the first-request costs (a first POST costs
 * Node 8-10 ms more than the next one), and each side starts after a pause: for ~100 ms after a
 * fetch Node does background work that slows whatever runs then (file reads, compiles) by
 * several times, which would be charged to whichever side came second.
 */
export async function coldStart({ importSdk, apiUrl, key }) {
  return coldSample(apiUrl, key, async () => {
    const sdk = await importSdk();
    return (await new sdk.SmmClient({ apiUrl, key }).balance()).balance;
  });
}

/**
 * The floor under coldStart, sampled the same way in a fresh page or process of its own:
 * `loadWasm` imports a module that only loads and compiles the SDK's .wasm the way the package's
 * entry does (bench/site/floor.js, bench/floor-node.mjs), then the balance request is made with
 * plain fetch. It is what any package shipping this .wasm pays before its first request; the
 * cold-start figure minus this one is what the SDK's own code costs (the glue module,
 * instantiation, the client's first call).
 */
export async function coldFloor({ loadWasm, apiUrl, key }) {
  return coldSample(apiUrl, key, async () => {
    await loadWasm();
    return (await (await post(apiUrl, { key, action: "balance" })).json()).balance;
  });
}

/**
 * The same sample with a hand-written plain-JS client in place of the package (`importPlain`
 * imports bench/site/plain-client.js): the cold-start rows against a plain client compare the two
 * import → first balance() times, taken in the same setup.
 */
export async function coldPlain({ importPlain, apiUrl, key }) {
  return coldSample(apiUrl, key, async () => {
    const { PlainClient } = await importPlain();
    return (await new PlainClient({ apiUrl, key }).balance()).balance;
  });
}

/** { fetchMs, coldMs }: the balance request with plain fetch, then `firstBalance()` (which
 * resolves to the balance it read) from its start. */
async function coldSample(apiUrl, key, firstBalance) {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  await (await post(apiUrl, { key, action: "balance" })).json();
  await settle();
  const f0 = now();
  const plain = await (await post(apiUrl, { key, action: "balance" })).json();
  const fetchMs = now() - f0;
  await settle();
  const t0 = now();
  const balance = await firstBalance();
  const coldMs = now() - t0;
  if (balance !== plain.balance) throw new Error(`balance ${balance} != ${plain.balance}`);
  return { fetchMs, coldMs };
}

// ---- memory --------------------------------------------------------------------------------------

/** `n` sequential orderStatus calls on one client (kept on globalThis between steps). */
export async function statusCalls({ sdk, apiUrl, key, order, n }) {
  globalThis.benchClient ??= new sdk.SmmClient({ apiUrl, key });
  for (let i = 0; i < n; i++) {
    const s = await globalThis.benchClient.orderStatus(order);
    if (!s.status) throw new Error(`no status: ${JSON.stringify(s)}`);
  }
}
