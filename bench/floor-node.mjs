// The cold-start floor in Node (measures.coldFloor): the SDK's .wasm read and compiled as
// pkg/node.js does it; none of the SDK's code runs.
import { readFileSync } from "node:fs";

export const module = new WebAssembly.Module(readFileSync(new URL("../pkg/smm_panel_sdk_bg.wasm", import.meta.url)));
