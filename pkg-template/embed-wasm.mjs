// Writes smm_panel_sdk_bg.wasm-text.js for embedded.js: the wasm's bytes as one string literal,
// one character per byte (U+0000..U+00FF, stored as UTF-8). Escaped: `\`, `"`, CR and LF (not
// allowed raw), NUL (valid, but makes many tools take the file for binary) and `<` (so the
// module can be inlined into an HTML <script> without a `</script` inside it).
// Unlike base64, every byte keeps a character of its own, so gzip still finds the module's
// repeats: it compresses to within ~10 % of the .wasm (base64 added about a third).
// Runs as the package's "prepack" script, in the package folder; not part of the tarball.
import { readFileSync, writeFileSync } from "node:fs";

const dir = new URL("./", import.meta.url);
const wasm = readFileSync(new URL("smm_panel_sdk_bg.wasm", dir));
if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error("smm_panel_sdk_bg.wasm is not a WebAssembly module");

const escapes = { 0x00: "\\x00", 0x0a: "\\n", 0x0d: "\\r", 0x22: '\\"', 0x3c: "\\x3c", 0x5c: "\\\\" };
let text = "";
for (const byte of wasm) text += escapes[byte] ?? String.fromCharCode(byte);

writeFileSync(
  new URL("smm_panel_sdk_bg.wasm-text.js", dir),
  `// Generated from smm_panel_sdk_bg.wasm by embed-wasm.mjs: do not edit.\n` +
    `// Each character is one byte of the module (embedded.js turns it back into bytes).\n` +
    `export const wasmLength = ${wasm.length};\n` +
    `export const wasmAsText = "${text}";\n`,
  "utf8",
);
