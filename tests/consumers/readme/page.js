// The README's examples in a page (readme.test.mjs runs each in every engine): the same files
// Node runs, imported as modules, with what redirect.mjs gives them in Node — `process.env`, and
// "https://panel.example/api/v2" going to the simulator, the page's own files (the package loads
// its .wasm) and every other URL refused.
const realFetch = globalThis.fetch.bind(globalThis);
let panel = null;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url === "https://panel.example/api/v2" && panel) return realFetch(input instanceof Request ? new Request(panel, input) : panel, init);
  if (new URL(url, location.href).origin === location.origin) return realFetch(input, init);
  return Promise.reject(new TypeError(`the README examples may only call the panel, not ${url}`));
};

/** A value console.log was given, as JSON that Node turns back into the same value to print it. */
function encode(value) {
  if (value === undefined) return { undefined: true };
  if (typeof value === "bigint") return { bigint: String(value) };
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) return { number: String(value) };
  if (value === null || typeof value !== "object") return { value };
  if (Array.isArray(value)) return { array: value.map(encode) };
  if (value instanceof Date) return { date: value.toISOString() };
  if (value instanceof Error) return { error: `${value.name}: ${value.message}` };
  return { object: Object.entries(value).map(([key, item]) => [key, encode(item)]) };
}

/** Runs examples/NAME.mjs with `env` as process.env; resolves to what it logged, or its error. */
window.runExample = async (name, env) => {
  panel = env.SMM_API_URL;
  globalThis.process = { env };
  const logs = [];
  const log = console.log;
  console.log = (...args) => logs.push(args.map(encode));
  try {
    await import(`./examples/${name}.mjs`);
    return { logs };
  } catch (error) {
    return { logs, error: String(error?.stack ?? error) };
  } finally {
    console.log = log;
  }
};
window.examplesReady = true;
