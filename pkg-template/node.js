// Entry for Node (>= 20): fetch() cannot read file: URLs there, so the wasm is read from disk.
import { readFileSync } from "node:fs";
import { initSync, SmmClient, smmErrors, validateOrder, orderTypeOf, orderTypes, ServiceCatalog } from "./smm_panel_sdk.js";

initSync({ module: readFileSync(new URL("./smm_panel_sdk_bg.wasm", import.meta.url)) });

export { SmmClient, validateOrder, orderTypeOf, orderTypes, ServiceCatalog };
const errors = smmErrors();
export const SmmError = errors.SmmError;
export const isSmmError = errors.isSmmError;
