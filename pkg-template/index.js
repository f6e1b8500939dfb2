// Entry for browsers, Workers and bundlers (Vite, webpack 5, esbuild). The wasm is fetched and
// instantiated once, here, by top-level await, so users never call an init function.
//
// The .wasm request starts before the glue module is loaded (a dynamic import, not a static one,
// which would have to finish loading first): on an unbundled page the two downloads overlap
// instead of following each other (-2.5 ms of a cold start in Chromium; bench/findings.md).
const wasmResponse = fetch(new URL("./smm_panel_sdk_bg.wasm", import.meta.url));
// Until the glue takes it, a failed fetch is not "unhandled"; the glue still gets the rejection.
wasmResponse.catch(() => {});
const glue = await import("./smm_panel_sdk.js");
await glue.default({ module_or_path: wasmResponse });

const { SmmClient, validateOrder, orderTypeOf, orderTypes, ServiceCatalog } = glue;
export { SmmClient, validateOrder, orderTypeOf, orderTypes, ServiceCatalog };
const errors = glue.smmErrors();
export const SmmError = errors.SmmError;
export const isSmmError = errors.isSmmError;
