// Entry for browsers, Workers and bundlers (Vite, webpack 5, esbuild). The wasm is fetched and
// instantiated once, here, by top-level await: validateOrder and the catalog's methods are
// synchronous, and a browser's main thread may not compile a module of this size synchronously.
//
// The .wasm request starts before the driver module is loaded (a dynamic import, not a static
// one, which would have to finish loading first): on an unbundled page the two downloads overlap
// instead of following each other (bench/findings.md).
const wasmResponse = fetch(new URL("./smm_panel_sdk_bg.wasm", import.meta.url));
// Until it is awaited below, a failed fetch is not "unhandled"; the await still gets the rejection.
wasmResponse.catch(() => {});
const driver = await import("./smm_panel_sdk.js");
driver.install(await instantiate(wasmResponse));

// Streaming compilation needs the server to say application/wasm; a server that does not (a
// file server, some CDNs) gets the bytes compiled whole.
async function instantiate(pending) {
  const response = await pending;
  if (!response.ok) throw new Error(`smm-panel-sdk: could not load smm_panel_sdk_bg.wasm (HTTP ${response.status})`);
  if (typeof WebAssembly.instantiateStreaming === "function" && response.headers.get("content-type") === "application/wasm") {
    return (await WebAssembly.instantiateStreaming(response, {})).instance.exports;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), {})).instance.exports;
}

export const { SmmClient, ServiceCatalog, SmmError, isSmmError, validateOrder, orderTypeOf, orderTypes } = driver;
