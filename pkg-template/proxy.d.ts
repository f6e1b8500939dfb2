// The server entry `smm-panel-sdk/proxy`: createProxy and its options (generated from the Rust
// types by wasm-bindgen, smm_panel_sdk_proxy.d.ts), and the error helpers.
export { createProxy } from "./smm_panel_sdk_proxy.js";
export type { ProxyOptions } from "./smm_panel_sdk_proxy.js";
export { SmmError, isSmmError } from "./index.js";
