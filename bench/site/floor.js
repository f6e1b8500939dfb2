// The cold-start floor in Chromium (measures.coldFloor): one module hop, then the SDK's .wasm
// fetched and compiled as a stream, as pkg/index.js has it done; none of the SDK's code runs.
export const module = await WebAssembly.compileStreaming(fetch(new URL("./pkg/smm_panel_sdk_bg.wasm", import.meta.url)));
