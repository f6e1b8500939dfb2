// Writes smm_panel_sdk_bg.wasm.base64.js (the wasm as a base64 string) for embedded.js.
// Runs as the package's "prepack" script, in the package folder; not part of the tarball.
import { readFileSync, writeFileSync } from "node:fs";

const dir = new URL("./", import.meta.url);
const wasm = readFileSync(new URL("smm_panel_sdk_bg.wasm", dir));
if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error("smm_panel_sdk_bg.wasm is not a WebAssembly module");
writeFileSync(
  new URL("smm_panel_sdk_bg.wasm.base64.js", dir),
  `// Generated from smm_panel_sdk_bg.wasm (${wasm.length} bytes) by embed-wasm.mjs: do not edit.\n` +
    `export const wasmBase64 = "${wasm.toString("base64")}";\n`,
);
