// Entry for bundlers that do not copy files referenced by `new URL(..., import.meta.url)`
// (esbuild with its defaults, and any tool the exports map does not name): the wasm travels
// inside the JavaScript, one character per byte, and is instantiated here, once, by top-level
// await. smm_panel_sdk_bg.wasm-text.js is generated from the .wasm when the package is packed
// (the "prepack" script), so it always matches the module next to it.
import { install } from "./smm_panel_sdk.js";
import { wasmAsText, wasmLength } from "./smm_panel_sdk_bg.wasm-text.js";

const bytes = new Uint8Array(wasmAsText.length);
let widest = 0;
for (let i = 0; i < bytes.length; i++) {
  const code = wasmAsText.charCodeAt(i);
  widest |= code;
  bytes[i] = code;
}
// A tool that read the file as anything but UTF-8, or rewrote its escapes, would otherwise
// surface as a bare CompileError.
if (bytes.length !== wasmLength || widest > 0xff) {
  throw new Error(
    "smm-panel-sdk: the embedded WebAssembly module was altered by a build tool " +
      "(smm_panel_sdk_bg.wasm-text.js must be read as UTF-8, its escapes kept): " +
      `${bytes.length} characters for ${wasmLength} bytes`,
  );
}

install((await WebAssembly.instantiate(bytes, {})).instance.exports);

export { SmmClient, ServiceCatalog, SmmError, isSmmError, validateOrder, orderTypeOf, orderTypes } from "./smm_panel_sdk.js";
