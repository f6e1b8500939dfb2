// Entry for bundlers that do not copy files referenced by `new URL(..., import.meta.url)`
// (esbuild with its defaults, and any tool the exports map does not name): the wasm travels
// inside the JavaScript as base64 and is instantiated here, once, by top-level await.
// smm_panel_sdk_bg.wasm.base64.js is generated from the .wasm when the package is packed
// (the "prepack" script), so it always matches the module next to it.
import initWasm, { SmmClient, smmErrorClass, validateOrder, orderTypeOf, createProxy, ServiceCatalog } from "./smm_panel_sdk.js";
import { wasmBase64 } from "./smm_panel_sdk_bg.wasm.base64.js";

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

await initWasm({ module_or_path: decodeBase64(wasmBase64) });

export { SmmClient, validateOrder, orderTypeOf, createProxy, ServiceCatalog };
export const SmmError = smmErrorClass();
