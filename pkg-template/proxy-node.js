// The server entry `smm-panel-sdk/proxy` for Node (>= 20) and Bun: createProxy with a module of
// its own (no client code), read from disk, since fetch() cannot read file: URLs in Node.
import { readFileSync } from "node:fs";
import { initSync, createProxy, smmErrors } from "./smm_panel_sdk_proxy.js";

initSync({ module: readFileSync(new URL("./smm_panel_sdk_proxy_bg.wasm", import.meta.url)) });

export { createProxy };
const errors = smmErrors();
export const SmmError = errors.SmmError;
export const isSmmError = errors.isSmmError;
