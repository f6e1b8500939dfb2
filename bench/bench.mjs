// The benchmark driver, started by bench/run.sh (which builds pkg/, starts the simulators and
// serves bench/site + pkg/ from them). Runs every measure in headless Chromium, and decode and
// cold start in Node, Firefox and WebKit too, prints one table and writes BENCHMARKS.md.
//
// Env: BENCH_SIM_20K, BENCH_SIM_5K (API URLs of simulators with 20,000 / 5,000 services),
// BENCH_SIM_LATENCY (one with --latency-ms 50), BENCH_QUICK=1 (few repetitions, for trying the
// harness; its figures are not stable and BENCHMARKS.md is not written), ENGINES (the browser
// engines, as scripts/test.sh reads it: default "chromium firefox webkit"; batch and memory need
// chromium; BENCHMARKS.md is written only when all three ran).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "../tests/support/sim.mjs";
import { engines as enginesFromEnv, launch as launchEngine } from "../tests/support/engines.mjs";
import { gzipSize, measurePackage } from "../tests/size/measure.mjs";
import * as measures from "./site/measures.js";

const root = new URL("../", import.meta.url).pathname;
const quick = process.env.BENCH_QUICK === "1";
// BENCH_ONLY=decode,batch,cold,memory runs only those measures (for working on one of them).
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const MEASURES = ["decode", "batch", "cold", "memory"];
const unknown = only?.filter((m) => !MEASURES.includes(m)) ?? [];
if (unknown.length || only?.length === 0) throw new Error(`BENCH_ONLY takes some of ${MEASURES.join(", ")} (got "${process.env.BENCH_ONLY}")`);
const want = (measure) => !only || only.includes(measure);
// The browser engines: Chromium through Playwright (every measure), Firefox and WebKit through
// WebDriver (tests/support/engines.mjs; decode and cold start). Node always runs.
const ENGINE_NAMES = { chromium: "Chromium", firefox: "Firefox", webkit: "WebKit" };
const engines = enginesFromEnv();
const strange = engines.filter((e) => !ENGINE_NAMES[e]);
if (strange.length || !engines.length) throw new Error(`ENGINES takes some of ${Object.keys(ENGINE_NAMES).join(" ")} (got "${process.env.ENGINES}")`);
const withChromium = engines.includes("chromium");
const webdriverEngines = engines.filter((e) => e !== "chromium");
const allEngines = Object.keys(ENGINE_NAMES).every((e) => engines.includes(e));
for (const measure of ["batch", "memory"]) if (only?.includes(measure) && !withChromium) throw new Error(`BENCH_ONLY=${measure} needs chromium in ENGINES`);
const need = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set: run bench/run.sh`); })();
const api20k = need("BENCH_SIM_20K");
const api5k = need("BENCH_SIM_5K");
const api20kAscii = need("BENCH_SIM_20K_ASCII");
const apiLatency = need("BENCH_SIM_LATENCY");
const LATENCY_MS = 50;
const BATCH_IDS = 10_000;
const NAIVE_IDS = 200;
// Fresh contexts / processes per runtime: with 31 the Node row moved 20 % between two runs; with
// 61 the halves of one Chromium run still differed by up to 5 %.
const COLD_SAMPLES = 81;
// Firefox and WebKit: a fresh WebDriver session per sample (a new browser process with a new
// profile, so an empty HTTP cache), which takes ~1 s in WebKit and 2-4 s in Firefox: fewer
// samples, so that the whole run stays under ~20 minutes (bench/README.md has the spread).
const COLD_SAMPLES_WEBDRIVER = 27;
// After a fresh Firefox or WebKit has loaded the page: the browser process was just started.
const WEBDRIVER_SETTLE_MS = 1000;
// orderStatusMany's default `concurrency` (src/core/config.rs); the floor and the pool use the same.
const BATCH_CONCURRENCY = 4;
const origin = (api) => new URL(api).origin;
const started = performance.now();
const log = (...a) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)} s]`, ...a);

// ---- statistics ----------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** How far a statistic of paired samples moves between the two halves (odd/even samples) of
 * this run, relative to its value over all of them. */
function spreadOfHalves(statistic, ...series) {
  const half = (xs, k) => xs.filter((_, i) => i % 2 === k);
  const full = statistic(...series);
  const parts = [0, 1].map((k) => statistic(...series.map((xs) => half(xs, k))));
  return Math.max(...parts.map((p) => Math.abs(p / full - 1)));
}
/** ...of the ratio of two medians. */
const halfSpread = (num, den) => spreadOfHalves((n, d) => median(n) / median(d), num, den);
/** The median of per-round ratios, for series whose i-th samples were taken back to back (one
 * decode round times the SDK and both baselines one after the other): each ratio compares
 * measurements made under the same load, so the machine's drift during a run cancels in it.
 * Over the three pages of one run it moved at most 12 % where the ratio of the two medians moved
 * up to 18 %. */
const pairedRatio = (num, den) => median(num.map((x, i) => x / den[i]));

// ---- simulator setup (plain fetch from Node) -----------------------------------------------------

async function control(api, method, path, body) {
  const res = await fetch(`${origin(api)}/__sim/${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} /__sim/${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function account(api, balance) {
  const key = `bench-${Math.random().toString(36).slice(2)}`;
  await control(api, "POST", "accounts", { key, balance });
  return key;
}

/** Places `n` orders (16 in flight) and returns their IDs in order. Service 101 is in the
 * built-in catalog; a simulator with --services N has generated ones from 1000 (a Default). */
async function placeOrders(api, key, n, service = "101", quantity = "50") {
  const ids = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const res = await measures.post(api, { key, action: "add", service, link: `https://instagram.com/p/bench${i}`, quantity });
      const body = await res.json();
      if (!body.order) throw new Error(`add failed: ${JSON.stringify(body)}`);
      ids[i] = body.order;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

// ---- Chromium ------------------------------------------------------------------------------------

// --expose-gc: as in Node, the decode measure collects garbage before each timed path.
const launch = chromiumLaunchOptions();
const browser = withChromium ? await chromium.launch({ ...launch, args: [...launch.args, "--js-flags=--expose-gc"] }) : undefined;
const chromiumVersion = browser?.version();

async function openPage(api, context) {
  const page = await (context ?? browser).newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${origin(api)}/index.html`);
  await page.waitForFunction(() => document.title === "ready", null, { timeout: 20000 }).catch(() => {
    throw new Error(`bench page did not load: ${problems.join(" | ")}`);
  });
  return page;
}

/** Runs measures[name](args) in the page with the package (pkg/index.js) as `sdk`. */
function inPage(page, name, args) {
  return page.evaluate(async ({ name, args }) => {
    const sdk = await import(new URL("./pkg/index.js", location.href).href);
    return window.measures[name]({ ...args, sdk });
  }, { name, args });
}

// ---- Firefox and WebKit (WebDriver) ------------------------------------------------------------

// One driver per engine for the whole run; each page is a WebDriver session of its own (a fresh
// browser process and profile). The page runs the measure itself (site/index.html's message
// runner): in Firefox the SDK's fetch failed when started from the script WebDriver injects.
const drivers = Object.fromEntries(await Promise.all(webdriverEngines.map(async (e) => [e, await launchEngine(e)])));

async function openWebDriverPage(engine, api) {
  const page = await drivers[engine].newPage();
  await page.goto(`${origin(api)}/index.html`);
  await page.waitFor(() => document.title === "ready", 20000).catch(async (error) => {
    throw new Error(`bench page did not load in ${engine}: ${error.message} ${(await page.problems()).join(" | ")}`);
  });
  return page;
}

/** Runs measures[name](args) in the page through its message runner (site/index.html), which
 * supplies the SDK (decode), its import (coldStart) or the floor's (coldFloor). */
function inWebDriverPage(page, name, args) {
  return page.evaluate(
    (request) =>
      new Promise((resolve, reject) => {
        const id = Math.random().toString(36).slice(2);
        addEventListener("message", function answer(event) {
          const got = event.source === window ? event.data?.benchAnswer : undefined;
          if (got?.id !== id) return;
          removeEventListener("message", answer);
          if (got.error === undefined) resolve(got.value);
          else reject(new Error(got.error));
        });
        postMessage({ benchRun: { id, ...request } }, location.origin);
      }),
    { name, args },
  );
}

/** The engines' versions, for the table's header (the WebDriver layer does not report them). */
function webdriverVersions() {
  const run = (cmd, ...args) => { try { return execFileSync(cmd, args, { encoding: "utf8" }).trim(); } catch { return "?"; } };
  const names = {
    firefox: () => `${run("firefox-esr", "--version").replace(/^Mozilla /, "")} (headless, geckodriver ${run("geckodriver", "--version").split("\n")[0].split(" ")[1] ?? "?"})`,
    webkit: () => `WebKitGTK ${run("dpkg-query", "-W", "-f=${Version}", "libwebkit2gtk-4.1-0")} (MiniBrowser under Xvfb, WebKitWebDriver)`,
  };
  return webdriverEngines.map((e) => names[e]());
}

// ---- Node ----------------------------------------------------------------------------------------

const nodeSdk = await import(new URL("../pkg/node.js", import.meta.url).href);

// ---- the measures --------------------------------------------------------------------------------

const results = {};
const key20k = await account(api20k, "1000");
const key5k = await account(api5k, "1000");
const key20kAscii = await account(api20kAscii, "1000");

// Cold start: Chromium and Node alternate sample by sample, so a change in the machine's load
// hits both; Chromium gets a fresh browser context (empty HTTP cache) per sample, Node a fresh
// process. The floor (measures.coldFloor) and the plain-JS client (measures.coldPlain,
// bench/site/plain-client.js) are sampled the same way, interleaved with the SDK's samples: the
// SDK's sample sits between the other two, which take turns to go before it.
// Chromium's SDK and plain-client contexts then make a return visit: a new page in the same
// context (the HTTP cache warm from the first; the simulator answers its revalidations with 304)
// takes the same sample again.
// The samples come in COLD_BLOCKS blocks spread over the run (before decode, before batch, at
// the end), each in a browser of its own, started after the machine has settled: on this shared
// 2-core machine the SDK's own part of a Chromium cold start drifts by more than 10 % over
// minutes (one browser's 16 samples differed from the next one's by up to 15 % within a run),
// so one block right after the build stood for the whole run. Blocks average the drift within
// a run; the machine's change of speed between runs hours apart stays (bench/findings.md).
const COLD_BLOCKS = 3;
const coldKey = want("cold") ? await account(api20k, "12.34000") : undefined;
// Where each kind of cold sample goes in `results` (suffixed with the runtime).
const COLD_SERIES = { sdk: "cold", floor: "coldFloor", plain: "coldPlain" };
const RETURN_SERIES = { sdk: "coldReturn", plain: "coldReturnPlain" };
// The files a return visit must find in its HTTP cache (the entry's and the plain client's).
const CACHED_ON_RETURN = /\/pkg\/|\/plain-client\.js$/;
let coldSamplesTaken = 0;
let coldWebdriverTaken = 0;
async function coldBlock(block) {
  const total = quick ? 3 : COLD_SAMPLES;
  const n = Math.round((total * (block + 1)) / COLD_BLOCKS) - Math.round((total * block) / COLD_BLOCKS);
  log(`cold start, its floor and the plain client x${n} in ${withChromium ? "Chromium (with return visits) and in " : ""}Node, alternating (block ${block + 1} of ${COLD_BLOCKS})`);
  await settleMachine();
  const coldBrowser = withChromium ? await chromium.launch({ ...launch, args: [...launch.args, "--js-flags=--expose-gc"] }) : undefined;
  /** One visit: a page of `context` loads the bench page and takes one `kind` sample in it. */
  const chromiumVisit = async (context, kind) => {
    const page = await openPage(api20k, context);
    const sample = await page.evaluate(
      ({ kind, ...args }) => {
        const load = (path) => () => import(new URL(path, location.href).href);
        if (kind === "floor") return window.measures.coldFloor({ ...args, loadWasm: load("./floor.js") });
        if (kind === "plain") return window.measures.coldPlain({ ...args, importPlain: load("./plain-client.js") });
        return window.measures.coldStart({ ...args, importSdk: load("./pkg/index.js") });
      },
      { kind, apiUrl: api20k, key: coldKey },
    );
    // Resource Timing: a file from the HTTP cache (after a 304) transferred less than its body.
    const files = await page.evaluate((pattern) =>
      performance.getEntriesByType("resource")
        .filter((e) => new RegExp(pattern).test(new URL(e.name).pathname))
        .map((e) => ({ path: new URL(e.name).pathname, transferSize: e.transferSize, bodySize: e.encodedBodySize })),
      CACHED_ON_RETURN.source,
    );
    await page.close();
    return { sample, files };
  };
  /** A fresh context's first visit, and for the SDK and the plain client a return visit. */
  const chromiumSample = async (kind) => {
    const context = await coldBrowser.newContext();
    const first = await chromiumVisit(context, kind);
    const again = RETURN_SERIES[kind] ? await chromiumVisit(context, kind) : undefined;
    await context.close();
    // A return visit that downloaded its files again would measure a first visit: stop the run.
    const downloaded = again?.files.filter((f) => f.transferSize >= f.bodySize) ?? [];
    if (again && (!again.files.length || downloaded.length)) {
      throw new Error(`the ${kind} return visit did not use the HTTP cache: ${JSON.stringify(again.files)}`);
    }
    return { first: first.sample, again: again?.sample };
  };
  const nodeSample = (kind) => {
    const run = spawnSync(process.execPath, [new URL("./cold-node.mjs", import.meta.url).pathname], {
      env: { ...process.env, BENCH_API: api20k, BENCH_KEY: coldKey, BENCH_COLD: kind },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`cold-node.mjs failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  };
  for (let i = 0; i < n; i++, coldSamplesTaken++) {
    for (const kind of coldSamplesTaken % 2 ? ["floor", "sdk", "plain"] : ["plain", "sdk", "floor"]) {
      if (coldBrowser) {
        const { first, again } = await chromiumSample(kind);
        results[`${COLD_SERIES[kind]}Chromium`].push(first);
        if (again) results[`${RETURN_SERIES[kind]}Chromium`].push(again);
      }
      results[`${COLD_SERIES[kind]}Node`].push(nodeSample(kind));
    }
  }
  await coldBrowser?.close();
  const own = (xs, k = n) => median(xs.slice(-k).map((s) => s.coldMs - s.fetchMs)).toFixed(1);
  const versus = (sdk, plain) => pairedRatio(...[sdk, plain].map((xs) => xs.slice(-n).map((s) => s.coldMs))).toFixed(2);
  const chromiumLog = withChromium
    ? ` Chromium ${own(results.coldChromium)} ms (floor ${own(results.coldFloorChromium)}; × plain client ${versus(results.coldChromium, results.coldPlainChromium)} first visit, ${versus(results.coldReturnChromium, results.coldReturnPlainChromium)} return),`
    : "";
  log(`block ${block + 1}:${chromiumLog} Node ${own(results.coldNode)} ms (floor ${own(results.coldFloorNode)}; × plain client ${versus(results.coldNode, results.coldPlainNode)})`);
  if (!webdriverEngines.length) return;
  // Then Firefox and WebKit, the same samples in a fresh WebDriver session each, the engines
  // alternating sample by sample (the SDK and the floor taking turns to go first, as above).
  const totalW = quick ? 3 : COLD_SAMPLES_WEBDRIVER;
  const m = Math.round((totalW * (block + 1)) / COLD_BLOCKS) - Math.round((totalW * block) / COLD_BLOCKS);
  const names = webdriverEngines.map((e) => ENGINE_NAMES[e]);
  log(`cold start and its floor x${m} in ${names.join(" and ")}, a fresh WebDriver session per sample, alternating (block ${block + 1} of ${COLD_BLOCKS})`);
  await settleMachine();
  const webdriverSample = async (engine, floor) => {
    const page = await openWebDriverPage(engine, api20k);
    await new Promise((resolve) => setTimeout(resolve, WEBDRIVER_SETTLE_MS));
    const sample = await inWebDriverPage(page, floor ? "coldFloor" : "coldStart", { apiUrl: api20k, key: coldKey });
    await page.close();
    return sample;
  };
  for (let i = 0; i < m; i++, coldWebdriverTaken++) {
    for (const floor of coldWebdriverTaken % 2 ? [true, false] : [false, true]) {
      for (const engine of webdriverEngines) results[`${floor ? "coldFloor" : "cold"}${ENGINE_NAMES[engine]}`].push(await webdriverSample(engine, floor));
    }
  }
  log(`block ${block + 1}: ${names.map((name) => `${name} ${own(results[`cold${name}`], m)} ms (floor ${own(results[`coldFloor${name}`], m)})`).join(", ")}`);
}
/** Lets the work of the phase before (the build, a decode page's garbage, the batch's sockets)
 * finish before cold-start samples are taken. */
async function settleMachine() {
  spawnSync("sync");
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, quick ? 200 : 5000));
}
if (want("cold")) {
  for (const runtime of [...(withChromium ? ["Chromium"] : []), "Node", ...webdriverEngines.map((e) => ENGINE_NAMES[e])]) {
    results[`cold${runtime}`] = [];
    results[`coldFloor${runtime}`] = [];
  }
  // The plain client in Chromium (first and return visits) and Node only.
  for (const runtime of [...(withChromium ? ["Chromium"] : []), "Node"]) results[`coldPlain${runtime}`] = [];
  if (withChromium) Object.assign(results, { coldReturnChromium: [], coldReturnPlainChromium: [] });
  await coldBlock(0);
}

// Rounds are split over DECODE_SESSIONS fresh pages (and as many turns in Node), the two
// variants taking turns to go first: one page's state (heap size, when the GC runs, which code
// V8 has optimised) moved the Chromium body-in-memory ratio by 12-16 % between whole runs while
// the halves within a run agreed to 1 %.
const DECODE_SESSIONS = 3;
async function decodeMeasure(label, api, key, rounds, variants = [false, true]) {
  const sessions = quick ? 1 : DECODE_SESSIONS;
  const args = { apiUrl: api, key, rounds: quick ? 4 : Math.ceil(rounds / sessions), warmup: quick ? 1 : 5 };
  const merge = (id, part) => {
    const into = (results[id] ??= { samples: { A: [], B: [], SDK: [] } });
    for (const path of Object.keys(into.samples)) into.samples[path].push(...part.samples[path]);
  };
  for (let session = 0; session < sessions; session++) {
    const page = withChromium ? await openPage(api) : undefined;
    // Firefox and WebKit: a page (WebDriver session) of their own per session too.
    const others = [];
    for (const engine of webdriverEngines) others.push([engine, await openWebDriverPage(engine, api)]);
    for (const inMemory of session % 2 ? [...variants].reverse() : variants) {
      const where = inMemory ? "body in memory" : "over HTTP";
      const id = (runtime) => `decode ${label} ${runtime} ${inMemory ? "mem" : "http"}`;
      if (page) {
        log(`decode ${label} (${where}) in Chromium, page ${session + 1} of ${sessions}`);
        merge(id("chromium"), await inPage(page, "decode", { ...args, inMemory }));
      }
      log(`decode ${label} (${where}) in Node, turn ${session + 1} of ${sessions}`);
      merge(id("node"), await measures.decode({ ...args, inMemory, sdk: nodeSdk }));
      for (const [engine, other] of others) {
        log(`decode ${label} (${where}) in ${ENGINE_NAMES[engine]}, page ${session + 1} of ${sessions}`);
        merge(id(engine), await inWebDriverPage(other, "decode", { ...args, inMemory }));
      }
    }
    await page?.close();
    for (const [, other] of others) await other.close();
  }
}
if (want("decode")) {
  await decodeMeasure("20k", api20k, key20k, 90);
  await decodeMeasure("5k", api5k, key5k, 210);
  // The worst case: plain-ASCII names and no descriptions, where JSON.parse's share of the work
  // (which every path pays) is smallest. Over HTTP only, reported next to the goal's rows.
  await decodeMeasure("20k-ascii", api20kAscii, key20kAscii, 90, [false]);
}

if (want("cold")) await coldBlock(1);

// Batch: orders are placed with the latency off, then 50 ms is switched on for the measure.
if (want("batch") && withChromium) {
  log(`placing ${BATCH_IDS} orders on the latency simulator`);
  await control(apiLatency, "POST", "config", { latency_ms: 0 });
  const key = await account(apiLatency, "100000");
  const ids = await placeOrders(apiLatency, key, BATCH_IDS);
  await control(apiLatency, "POST", "config", { latency_ms: LATENCY_MS });
  const page = await openPage(apiLatency);
  // The SDK and the plain-fetch pool alternate, so a change in the machine's load hits both.
  log("batch: SDK orderStatusMany and a plain-fetch pool, alternating");
  results.batchSdk = { samples: [] };
  results.batchPool = { samples: [] };
  for (let r = 0; r < (quick ? 1 : 9); r++) {
    results.batchSdk.samples.push(...(await inPage(page, "batchSdk", { apiUrl: apiLatency, key, ids, reps: 1 })).samples);
    results.batchPool.samples.push(...(await inPage(page, "batchPlainPool", { apiUrl: apiLatency, key, ids, reps: 1, concurrency: BATCH_CONCURRENCY })).samples);
  }
  log("batch: sequential chunks of 100");
  results.batchChunks = await inPage(page, "batchSequentialChunks", { apiUrl: apiLatency, key, ids, reps: quick ? 1 : 3 });
  log(`batch: naive loop over ${NAIVE_IDS} orders`);
  results.batchNaive = await inPage(page, "batchNaive", { apiUrl: apiLatency, key, ids: ids.slice(0, NAIVE_IDS), reps: quick ? 1 : 2 });
  await page.close();
  await control(apiLatency, "POST", "config", { latency_ms: LATENCY_MS });
}

// Memory: wasm linear memory and JS heap (after a forced GC) after 100 and after 10,000 calls.
if (want("memory") && withChromium) {
  log("memory: 10,000 orderStatus calls in Chromium");
  const key = await account(api20k, "1000");
  const [order] = await placeOrders(api20k, key, 1, "1000", "1000");
  const page = await openPage(api20k);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.enable");
  const snapshot = async () => {
    for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    // The driver the page's SDK was installed into (one module instance per URL).
    const wasm = await page.evaluate(async () => (await import(new URL("./pkg/smm_panel_sdk.js", location.href).href)).coreMemoryBytes());
    return { wasm, heap: usedSize };
  };
  const args = { apiUrl: api20k, key, order };
  const total = quick ? 1000 : 10_000;
  await inPage(page, "statusCalls", { ...args, n: 100 });
  const after100 = await snapshot();
  await inPage(page, "statusCalls", { ...args, n: total - 100 });
  const afterAll = await snapshot();
  results.memory = { after100, afterAll, calls: total };
  await page.close();
}

if (want("cold")) await coldBlock(2);

await browser?.close();
for (const driver of Object.values(drivers)) await driver.close();
results.size = measurePackage();
results.sizeByEntry = sizeByEntry(results.size.files);
// Every sample of this run, for looking into a figure beyond its median (not read back).
writeFileSync(new URL("../target/bench-samples.json", import.meta.url), JSON.stringify(results));

/** What one user loads, by the package's export condition: the entry module, the glue, and the
 * wasm as a file or inside a JS module (embedded.js). The size row sums every .js but that copy,
 * plus the .wasm: all three entries at once, which no user loads together; these rows say what
 * each kind of user gets. Kept in step with pkg-template/package.json's "exports" by hand (the
 * imports are checked below). */
function sizeByEntry(files) {
  const entries = [
    { entry: "index.js", who: "browsers and bundlers with the webpack/production condition", wasm: "smm_panel_sdk_bg.wasm" },
    { entry: "node.js", who: "Node", wasm: "smm_panel_sdk_bg.wasm" },
    { entry: "embedded.js", who: "the default condition (esbuild, Vite's dev server, other tools): the wasm inside a JS module", wasm: "smm_panel_sdk_bg.wasm-text.js" },
  ];
  const gzipOf = (path) => files.find((f) => f.path === path)?.gzip ?? gzipSize(readFileSync(new URL(`../pkg/${path}`, import.meta.url)));
  return entries.map(({ entry, who, wasm }) => {
    const loaded = [entry, "smm_panel_sdk.js", wasm];
    const source = readFileSync(new URL(`../pkg/${entry}`, import.meta.url), "utf8");
    const missing = loaded.slice(1).filter((path) => !source.includes(`"./${path}"`));
    if (missing.length) throw new Error(`pkg/${entry} no longer loads ${missing.join(", ")}: update sizeByEntry`);
    return { entry, who, loaded, gzip: loaded.reduce((sum, path) => sum + gzipOf(path), 0) };
  });
}

// ---- the table -----------------------------------------------------------------------------------

const fmtMs = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + " ms";
const fmtX = (x) => x.toFixed(2) + "×";
const pct = (x) => `±${(x * 100).toFixed(1)}%`;
const rows = [];
const figures = {};
function row(id, measure, sdk, baseline, figure, value, goal, met, spread) {
  figures[id] = value;
  rows.push({ id, measure, sdk, baseline, figure, goal, met: met === undefined ? "" : met ? "yes" : "**no**", spread: spread ?? "" });
}

for (const label of want("decode") ? ["20k", "5k", "20k-ascii"] : []) {
  const worstCase = label === "20k-ascii";
  const catalog = { "20k": "20,000 services", "5k": "5,000 services", "20k-ascii": "20,000 services, plain-ASCII names (worst case)" }[label];
  for (const runtime of [...(withChromium ? ["chromium"] : []), "node", ...webdriverEngines]) {
    for (const where of worstCase ? ["http"] : ["http", "mem"]) {
      const r = results[`decode ${label} ${runtime} ${where}`];
      const [a, b, s] = [median(r.samples.A), median(r.samples.B), median(r.samples.SDK)];
      const [ratioA, ratioB] = [pairedRatio(r.samples.SDK, r.samples.A), pairedRatio(r.samples.SDK, r.samples.B)];
      const what = `decode ${catalog}, ${ENGINE_NAMES[runtime] ?? "Node"}, ${where === "http" ? "Response over HTTP" : "body in memory"}`;
      row(`decode-${label}-${runtime}-${where}-A`, `${what}: SDK / baseline A (res.json())`, fmtMs(s), fmtMs(a), fmtX(ratioA), ratioA, worstCase ? "report" : "≤ 2.00×", worstCase ? undefined : ratioA <= 2, pct(spreadOfHalves(pairedRatio, r.samples.SDK, r.samples.A)));
      row(`decode-${label}-${runtime}-${where}-B`, `${what}: SDK / baseline B (plain-JS normalising client)`, fmtMs(s), fmtMs(b), fmtX(ratioB), ratioB, "report", undefined, pct(spreadOfHalves(pairedRatio, r.samples.SDK, r.samples.B)));
    }
  }
}

if (results.batchSdk) {
  const concurrency = BATCH_CONCURRENCY;
  const floor = (Math.ceil(BATCH_IDS / 100) / concurrency) * LATENCY_MS;
  const sdk = median(results.batchSdk.samples);
  const spread = (xs) => `${fmtMs(Math.min(...xs))}–${fmtMs(Math.max(...xs))} over ${xs.length}`;
  const chunks = median(results.batchChunks.samples);
  const naive = median(results.batchNaive.samples) * (BATCH_IDS / NAIVE_IDS);
  row("batch-floor", `batch status, ${BATCH_IDS} IDs, ${LATENCY_MS} ms latency, Chromium: SDK orderStatusMany / floor (ceil(${BATCH_IDS}/100)/${concurrency} × ${LATENCY_MS} ms)`, fmtMs(sdk), fmtMs(floor), fmtX(sdk / floor), sdk / floor, "≤ 1.15×", sdk / floor <= 1.15, spread(results.batchSdk.samples));
  const pool = median(results.batchPool.samples);
  row("batch-pool", `batch status: SDK / a plain-fetch pool of ${concurrency} over chunks of 100 (hand-written, untyped; its own ratio to the floor: ${fmtX(pool / floor)})`, fmtMs(sdk), fmtMs(pool), fmtX(sdk / pool), sdk / pool, "report", undefined, pct(halfSpread(results.batchSdk.samples, results.batchPool.samples)));
  row("batch-chunks", "batch status: SDK / sequential chunks of 100 (plain fetch)", fmtMs(sdk), fmtMs(chunks), `${fmtX(sdk / chunks)} (${(chunks / sdk).toFixed(1)}× faster)`, sdk / chunks, "report", undefined);
  row("batch-naive", `batch status: SDK / naive per-order loop (plain fetch, ${NAIVE_IDS} orders, × ${BATCH_IDS / NAIVE_IDS})`, fmtMs(sdk), fmtMs(naive), `${(sdk / naive).toFixed(4)}× (${(naive / sdk).toFixed(0)}× faster)`, sdk / naive, "report", undefined);
}

// The baseline of the rows against a plain-JS client, sized as the package is (tests/size).
const plainClientBytes = readFileSync(new URL("./site/plain-client.js", import.meta.url));
const plainClientSize = { raw: plainClientBytes.length, gzip: gzipSize(plainClientBytes) };
for (const runtime of results.coldNode ? [...(withChromium ? ["Chromium"] : []), "Node", ...webdriverEngines.map((e) => ENGINE_NAMES[e])] : []) {
  const samples = results[`cold${runtime}`];
  const floors = results[`coldFloor${runtime}`];
  const viaWebDriver = runtime === "Firefox" || runtime === "WebKit";
  const fresh = `fresh ${runtime === "Chromium" ? "contexts" : viaWebDriver ? "WebDriver sessions (a new browser process and profile each)" : "processes"}`;
  const alternating = viaWebDriver ? (webdriverEngines.length > 1 ? "alternating with the other WebDriver engine" : "WebDriver") : withChromium ? "alternating with the other runtime" : "Node only";
  const figure = (xs) => median(xs.map((s) => s.coldMs - s.fetchMs));
  const cold = figure(samples);
  const floor = figure(floors);
  const middle = (xs, field) => fmtMs(median(xs.map((s) => s[field])));
  row(`cold-${runtime}`, `cold start, ${runtime}: import → first balance(), minus the same request with plain fetch (median of ${samples.length} ${fresh} in ${COLD_BLOCKS} blocks spread over the run, ${alternating})`, middle(samples, "coldMs"), middle(samples, "fetchMs"), fmtMs(cold), cold, "≤ 15 ms", cold <= 15, pct(spreadOfHalves(figure, samples)));
  const how = runtime !== "Node" ? "import() of bench/site/floor.js, which fetches and compiles the .wasm as a stream" : "import of bench/floor-node.mjs, which reads and compiles the .wasm";
  row(`cold-floor-${runtime}`, `cold-start floor, ${runtime}: ${how} (no SDK code runs), then the same request with plain fetch, minus it: what any package shipping this .wasm pays; the row above minus this one (after the semicolon) is the SDK's own code (median of ${floors.length} ${fresh}, interleaved with the row above)`, middle(floors, "coldMs"), middle(floors, "fetchMs"), `${fmtMs(floor)}; SDK's own ${fmtMs(cold - floor)}`, floor, "report", undefined, pct(spreadOfHalves(figure, floors)));
  // Against the plain-JS client (Chromium and Node): each one's import → first balance(), the
  // median of the ratios of samples taken next to each other, as decode's rows pair theirs.
  const plains = results[`coldPlain${runtime}`];
  if (!plains) continue;
  const coldOf = (xs) => xs.map((s) => s.coldMs);
  const visits = runtime === "Chromium"
    ? [
        { id: "first", what: "first visit (a fresh context each, so an empty HTTP cache)", sdk: samples, plain: plains, goal: 1.5 },
        { id: "return", what: "return visit (a new page in the first visit's context: the HTTP cache warm, every file revalidated with a 304)", sdk: results.coldReturnChromium, plain: results.coldReturnPlainChromium, goal: 2 },
      ]
    : [{ id: "first", what: "a fresh process each", sdk: samples, plain: plains }];
  const entry = runtime === "Chromium" ? "pkg/index.js" : "pkg/node.js";
  for (const { id, what, sdk, plain, goal } of visits) {
    const ratio = pairedRatio(coldOf(sdk), coldOf(plain));
    row(`cold-plain-${id}-${runtime}`, `cold start against a plain-JS client, ${runtime}, ${what}: import → first balance(), SDK (${entry}) / bench/site/plain-client.js (${plainClientSize.raw.toLocaleString("en")} B, ${plainClientSize.gzip.toLocaleString("en")} B gzip -9: one form POST with fetch), timed as in the cold-start row (median of the ratios of ${sdk.length} pairs, the two samples of a pair taken next to each other, in ${COLD_BLOCKS} blocks)`, fmtMs(median(coldOf(sdk))), fmtMs(median(coldOf(plain))), fmtX(ratio), ratio, goal ? `≤ ${goal.toFixed(2)}×` : "report", goal ? ratio <= goal : undefined, pct(spreadOfHalves(pairedRatio, coldOf(sdk), coldOf(plain))));
  }
}

if (results.memory) {
  const { after100, afterAll, calls } = results.memory;
  const wasmGrowth = afterAll.wasm - after100.wasm;
  const heapGrowth = afterAll.heap - after100.heap;
  const kib = (x) => `${(x / 1024).toFixed(0)} KiB`;
  row("memory-wasm", `memory, Chromium: wasm linear memory after ${calls.toLocaleString("en")} orderStatus calls vs after 100`, kib(afterAll.wasm), kib(after100.wasm), `+${kib(wasmGrowth)}`, wasmGrowth, "≤ 64 KiB", wasmGrowth <= 64 * 1024);
  row("memory-heap", `memory, Chromium: JS heap (after GC) after ${calls.toLocaleString("en")} calls vs after 100`, kib(afterAll.heap), kib(after100.heap), `${heapGrowth >= 0 ? "+" : ""}${kib(heapGrowth)}`, heapGrowth, "report", undefined);
}

{
  const { gzip, raw, files } = results.size;
  const budget = JSON.parse(readFileSync(new URL("../tests/size/budget.json", import.meta.url), "utf8"));
  const wasm = files.find((f) => f.path.endsWith(".wasm"));
  row("size", `shipped size: gzip -9 of the .wasm + every .js in the tarball except the copy of the .wasm inside a JS module (${files.length} files; ${raw.toLocaleString("en")} bytes raw)`, `${(gzip / 1000).toFixed(1)} KB`, `wasm ${(wasm.gzip / 1000).toFixed(1)} KB`, `${gzip.toLocaleString("en")} B`, gzip, `≤ 55 KB (budget ${budget.gzipBytes.toLocaleString("en")} B)`, gzip <= 55_000);
  for (const { entry, who, loaded, gzip: total } of results.sizeByEntry) {
    row(`size-${entry}`, `shipped size, what one user loads: ${entry} for ${who} (${loaded.join(" + ")}, gzip -9 each)`, `${(total / 1000).toFixed(1)} KB`, "", `${total.toLocaleString("en")} B`, total, "report", undefined);
  }
}

// ---- output --------------------------------------------------------------------------------------

const previous = (() => {
  try {
    const text = readFileSync(new URL("../BENCHMARKS.md", import.meta.url), "utf8");
    return JSON.parse(text.match(/<!-- figures: (.*) -->/)[1]);
  } catch {
    return null;
  }
})();
const change = (id) => {
  const before = previous?.figures?.[id];
  if (before === undefined || !figures[id] || !before) return "";
  return `${((figures[id] / before - 1) * 100).toFixed(1)}%`;
};

const head = "| measure | SDK | baseline | figure | goal | met | ratio spread within run | change vs previous run |";
const table = [head, "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.measure} | ${r.sdk} | ${r.baseline} | **${r.figure}** | ${r.goal} | ${r.met} | ${r.spread} | ${change(r.id)} |`)].join("\n");

const git = (...a) => { try { return execFileSync("git", a, { cwd: root, encoding: "utf8" }).trim(); } catch { return "?"; } };
const commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--", "src", "Cargo.toml") ? " (with uncommitted changes in src/ or Cargo.toml)" : "");
const cpu = os.cpus()[0]?.model ?? "?";
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const header = [
  `Date: ${date} · commit ${commit}`,
  `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
  [...(withChromium ? [`Chromium ${chromiumVersion} (headless, playwright-core)`] : []), `Node ${process.version}`, ...webdriverVersions()].join(" · "),
].join("  \n");

console.log(`\n${header.replaceAll("  \n", "\n")}\n\n${table}\n`);
if (quick || only || !allEngines) {
  console.log(`${quick ? "BENCH_QUICK=1: too few repetitions for stable figures" : only ? "BENCH_ONLY: not every measure ran" : `ENGINES=${engines.join(" ")}: not every engine ran`}; BENCHMARKS.md not written.`);
} else {
  const findings = existsSync(new URL("./findings.md", import.meta.url)) ? readFileSync(new URL("./findings.md", import.meta.url), "utf8") : "";
  const doc = `# Benchmarks

Written by \`bash bench/run.sh\` (see [bench/README.md](bench/README.md)); do not edit by hand.
Every speed figure is a ratio to a baseline measured in the same run, in the same engine (Chromium,
Node, Firefox, WebKit: rows of their own, the same goals): medians over interleaved
repetitions (for decode, the median of the per-round ratios; the SDK and baseline columns show
each path's median time). "Ratio spread within run" is how far the ratio moves between the odd and even
repetitions of this run; "change vs previous run" compares with the figures of the
BENCHMARKS.md this run replaced.

Coverage-guided fuzzing of the decoders and parsers (\`bash scripts/fuzz.sh\`) is recorded in [FUZZING.md](FUZZING.md).

${header}

${table}

${findings}
<!-- figures: ${JSON.stringify({ date, commit, figures })} -->
`;
  writeFileSync(new URL("../BENCHMARKS.md", import.meta.url), doc);
  console.log("wrote BENCHMARKS.md");
}
