// The real calls every fixture makes, in a page, a Worker or Node. The fixture imports the
// package by name and hands it in, so this file never resolves "smm-panel-sdk" itself.
export async function exercise({ SmmClient, SmmError, validateOrder }, { apiUrl, key }) {
  const client = new SmmClient({ apiUrl, key });
  const before = await client.balance();

  let invalid = "resolved";
  try {
    await client.addOrder({ service: 101, link: "https://instagram.com/p/consumer", quantity: 1.5 });
  } catch (error) {
    invalid = describe(error, SmmError);
  }
  let validated = "returned";
  try {
    validateOrder({ service: 101, link: "", quantity: 100 });
  } catch (error) {
    validated = describe(error, SmmError);
  }

  const placed = await client.addOrder({ service: 101, link: `https://instagram.com/p/${key}`, quantity: 100 });
  const status = await client.orderStatus(placed.order);
  const after = await client.balance();
  return { before, invalid, validated, placed, status, after, wasmLoads: wasmLoads() };
}

// The .wasm files this realm downloaded (a Worker has its own list): where the package found
// its module, in any engine.
function wasmLoads() {
  const entries = globalThis.performance?.getEntriesByType?.("resource") ?? [];
  return entries.map((e) => new URL(e.name).pathname).filter((path) => path.endsWith(".wasm"));
}

function describe(error, SmmError) {
  return {
    smmError: error instanceof SmmError,
    error: error instanceof Error,
    code: error.code,
    delivery: error.delivery,
    field: error.field,
  };
}

// In a page: read the account from the query string, run, and leave the outcome where the
// test driver reads it.
export function runInPage(sdk, run = (params) => exercise(sdk, params)) {
  const params = new URLSearchParams(location.search);
  const apiUrl = `${location.origin}/api/v2`;
  run({ apiUrl, key: params.get("key") }).then(
    (result) => { window.__consumer = { ok: true, result }; },
    (error) => { window.__consumer = { ok: false, error: `${error?.name}: ${error?.message} (${error?.code})` }; },
  );
}
