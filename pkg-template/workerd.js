// Entry for Cloudflare Workers ("workerd" condition): a Worker may not compile wasm from bytes, but
// its toolchain uploads an imported .wasm as a compiled WebAssembly.Module, instantiated here.
import wasm from "./smm_panel_sdk_bg.wasm";
import { install } from "./smm_panel_sdk.js";

install(new WebAssembly.Instance(wasm, {}).exports);

export { SmmClient, ServiceCatalog, SmmError, isSmmError, validateOrder, orderTypeOf, orderTypes } from "./smm_panel_sdk.js";
