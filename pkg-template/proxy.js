// The server entry `smm-panel-sdk/proxy` for Deno and Worker-style runtimes that fetch file and
// module URLs: createProxy with a module of its own (no client code). Its SmmError is a class of
// its own too; isSmmError recognises an error from either entry.
const glue = await import("./smm_panel_sdk_proxy.js");
await glue.default({ module_or_path: fetch(new URL("./smm_panel_sdk_proxy_bg.wasm", import.meta.url)) });

export const { createProxy } = glue;
const errors = glue.smmErrors();
export const SmmError = errors.SmmError;
export const isSmmError = errors.isSmmError;
