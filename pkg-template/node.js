// Entry for Node (>= 20): fetch() cannot read file: URLs there, so the wasm is read from disk and
// compiled synchronously, without a top-level await, so `require("smm-panel-sdk")` works too
// where Node loads ES modules from require (20.19, 22.12 and later).
import { readFileSync } from "node:fs";
import { install } from "./smm_panel_sdk.js";

const module = new WebAssembly.Module(readFileSync(new URL("./smm_panel_sdk_bg.wasm", import.meta.url)));
install(new WebAssembly.Instance(module, {}).exports);

export { SmmClient, ServiceCatalog, SmmError, isSmmError, validateOrder, orderTypeOf, orderTypes } from "./smm_panel_sdk.js";
