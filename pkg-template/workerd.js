// Entry for Cloudflare Workers ("workerd" condition): a Worker may not compile wasm from bytes, but
// its toolchain uploads an imported .wasm as a compiled WebAssembly.Module, instantiated here.
import wasm from "./smm_panel_sdk_bg.wasm";
import { initSync, SmmClient, smmErrors, validateOrder, orderTypeOf, orderTypes, ServiceCatalog } from "./smm_panel_sdk.js";

initSync({ module: wasm });

export { SmmClient, validateOrder, orderTypeOf, orderTypes, ServiceCatalog };
const errors = smmErrors();
export const SmmError = errors.SmmError;
export const isSmmError = errors.isSmmError;
