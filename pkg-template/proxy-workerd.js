// The server entry `smm-panel-sdk/proxy` for Cloudflare Workers ("workerd" condition): its own .wasm
// imported as a compiled WebAssembly.Module, as in workerd.js (a Worker may not compile bytes).
import wasm from "./smm_panel_sdk_proxy_bg.wasm";
import { initSync, createProxy, smmErrors } from "./smm_panel_sdk_proxy.js";

initSync({ module: wasm });

export { createProxy };
const errors = smmErrors();
export const SmmError = errors.SmmError;
export const isSmmError = errors.isSmmError;
