// Entry for browsers, Workers and bundlers (Vite, webpack 5, esbuild). The wasm is fetched and
// instantiated once, here, by top-level await, so users never call an init function.
import initWasm, { SmmClient, smmErrorClass, validateOrder, orderTypeOf, createProxy, ServiceCatalog } from "./smm_panel_sdk.js";

await initWasm({ module_or_path: new URL("./smm_panel_sdk_bg.wasm", import.meta.url) });

export { SmmClient, validateOrder, orderTypeOf, createProxy, ServiceCatalog };
export const SmmError = smmErrorClass();
