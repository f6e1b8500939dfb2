// Entry for bundlers that do not copy files referenced by `new URL(..., import.meta.url)`
// (esbuild with its defaults, and any tool the exports map does not name): the wasm travels
// inside the JavaScript, one character per byte, and is instantiated here, once, by top-level
// await. smm_panel_sdk_bg.wasm.js is generated from the .wasm when the package is packed (the
// "prepack" script), so it always matches the module next to it.
import initWasm, { SmmClient, smmErrorClass, validateOrder, orderTypeOf, createProxy, ServiceCatalog } from "./smm_panel_sdk.js";
import { wasmAsText } from "./smm_panel_sdk_bg.wasm.js";

const bytes = new Uint8Array(wasmAsText.length);
for (let i = 0; i < bytes.length; i++) bytes[i] = wasmAsText.charCodeAt(i);

await initWasm({ module_or_path: bytes });

export { SmmClient, validateOrder, orderTypeOf, createProxy, ServiceCatalog };
export const SmmError = smmErrorClass();
