// What `npm pack` puts in the tarball: exactly what users need, and an embedded wasm that is the
// same module as the .wasm file. Reads target/consumers/ (written by run.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const work = new URL("../../target/consumers/", import.meta.url);
const [pack] = JSON.parse(readFileSync(new URL("pack.json", work), "utf8"));
const tarball = new URL(pack.filename, work).pathname;

const expected = [
  "LICENSE",
  "README.md",
  "embedded.js",
  "index.d.ts",
  "index.js",
  "node.js",
  "package.json",
  "proxy-node.js",
  "proxy-workerd.js",
  "proxy.d.ts",
  "proxy.js",
  "smm_panel_sdk.d.ts",
  "smm_panel_sdk.js",
  "smm_panel_sdk_bg.wasm",
  "smm_panel_sdk_bg.wasm-text.js",
  "smm_panel_sdk_proxy.d.ts",
  "smm_panel_sdk_proxy.js",
  "smm_panel_sdk_proxy_bg.wasm",
  "smm_panel_sdk_types.d.ts",
  "workerd.js",
];

test("the tarball holds the entries, the glue, the wasm, the types, README and LICENSE; nothing else", () => {
  const listed = pack.files.map((f) => f.path);
  // wasm-bindgen's snippet of the proxy's module (src/wasm/driver.js) is folded into
  // smm_panel_sdk_proxy.js by the build.
  assert.deepEqual(listed.filter((p) => p.startsWith("snippets/")), []);
  assert.deepEqual([...listed].sort(), expected);
  // npm's listing and the archive agree.
  const archived = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n")
    .map((p) => p.replace(/^package\//, ""));
  assert.deepEqual(archived.sort(), listed.sort());
});

test("package.json: exports conditions, sideEffects, no install scripts", () => {
  const json = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
  assert.equal(json.name, "smm-panel-sdk");
  assert.equal(json.type, "module");
  assert.deepEqual(Object.entries(json.exports["."]), [
    ["types", "./index.d.ts"],
    // First after the types: a Workers build may resolve "production" (Vite adds it) or "node" too,
    // and the first listed key it resolves wins.
    ["workerd", "./workerd.js"],
    ["node", "./node.js"],
    ["webpack", "./index.js"],
    ["production", "./index.js"],
    ["default", "./embedded.js"],
  ]);
  // The server entry: Cloudflare Workers import its own .wasm as a module, Node and Bun read it
  // from disk, Deno and other Worker-style runtimes fetch it.
  assert.deepEqual(Object.entries(json.exports["./proxy"]), [
    ["types", "./proxy.d.ts"],
    ["workerd", "./proxy-workerd.js"],
    ["node", "./proxy-node.js"],
    ["bun", "./proxy-node.js"],
    ["default", "./proxy.js"],
  ]);
  // Every entry and the glue run code on import (the wasm is instantiated there): bundlers must
  // keep them; the declarations are free to shake.
  assert.deepEqual(json.sideEffects, ["./index.js", "./node.js", "./embedded.js", "./workerd.js", "./smm_panel_sdk.js", "./proxy.js", "./proxy-node.js", "./proxy-workerd.js", "./smm_panel_sdk_proxy.js"]);
  for (const hook of ["preinstall", "install", "postinstall", "prepare"]) assert.equal(json.scripts?.[hook], undefined, hook);
  for (const file of [...Object.values(json.exports["."]), ...Object.values(json.exports["./proxy"])]) {
    assert.ok(pack.files.some((f) => `./${f.path}` === file), `${file} is packed`);
  }
});

test("the embedded wasm is the packed .wasm, byte for byte, and gzips almost as small", async () => {
  const dir = new URL("extract-embedded/", work);
  execFileSync("rm", ["-rf", dir.pathname]);
  execFileSync("mkdir", ["-p", dir.pathname]);
  execFileSync("tar", ["-xzf", tarball, "-C", dir.pathname]);
  const wasm = readFileSync(new URL("package/smm_panel_sdk_bg.wasm", dir));
  const moduleUrl = new URL("package/smm_panel_sdk_bg.wasm-text.js", dir);
  const { wasmAsText, wasmLength } = await import(moduleUrl);
  assert.equal(wasmLength, wasm.length);
  assert.equal(wasmAsText.length, wasm.length);
  const bytes = Uint8Array.from(wasmAsText, (c) => c.charCodeAt(0));
  assert.ok(Buffer.from(bytes).equals(wasm));
  // Safe to inline into an HTML <script>.
  const source = readFileSync(moduleUrl, "utf8");
  assert.doesNotMatch(source, /<\/script|<!--/i);
  // One character per byte keeps the module's repeats visible to gzip (base64 added ~33 %).
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const [embedded, file] = [gz(readFileSync(moduleUrl)), gz(wasm)];
  assert.ok(embedded <= file * 1.15, `the embedded copy gzips to ${embedded} bytes, the .wasm to ${file}`);

  // A tool that reads the module as latin1 and writes it back as UTF-8 changes its characters:
  // embedded.js must say so instead of failing with a bare CompileError. (A copy of its own:
  // the module above is cached under its URL.)
  const tampered = new URL("extract-tampered/", work);
  execFileSync("rm", ["-rf", tampered.pathname]);
  execFileSync("mkdir", ["-p", tampered.pathname]);
  execFileSync("tar", ["-xzf", tarball, "-C", tampered.pathname]);
  const tamperedText = new URL("package/smm_panel_sdk_bg.wasm-text.js", tampered);
  writeFileSync(tamperedText, readFileSync(tamperedText, "latin1"), "utf8");
  await assert.rejects(import(new URL("package/embedded.js", tampered)), (error) => {
    assert.match(error.message, /embedded WebAssembly module was altered by a build tool/);
    assert.match(error.message, new RegExp(`characters for ${wasm.length} bytes`));
    return true;
  });
});

test("every entry exports at run time exactly the values index.d.ts declares", async () => {
  const dir = new URL("extract/", work);
  execFileSync("mkdir", ["-p", dir.pathname]);
  execFileSync("tar", ["-xzf", tarball, "-C", dir.pathname]);
  const pkg = new URL("package/", dir);
  const types = readFileSync(new URL("index.d.ts", pkg), "utf8");
  const declared = [
    ...types.match(/^export \{ ([^}]+) \} from "\.\/smm_panel_sdk\.js";$/m)[1].split(", "),
    ...[...types.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]),
  ].sort();
  for (const entry of ["node.js", "embedded.js"]) {
    assert.deepEqual(Object.keys(await import(new URL(entry, pkg))).sort(), declared, entry);
  }
  // index.js fetches its wasm, which Node cannot do from a file: URL, and workerd.js imports it as
  // a compiled module, which only the Workers toolchain makes: compare their export lists (the
  // workerd fixture runs workerd.js for real).
  for (const entry of ["index.js", "workerd.js"]) {
    assert.deepEqual(exportsByText(new URL(entry, pkg)), declared, entry);
  }
  // A new export of the driver is either public (declared above) or named here as internal: the
  // entries' `install`, the benchmark's `coreMemoryBytes`, and what the proxy's module imports.
  const internal = ["install", "coreMemoryBytes", "smmErrors", "newSmmError", "toWireJson", "exchange", "readRequestBody", "proxyFunction"];
  const driver = Object.keys(await import(new URL("smm_panel_sdk.js", pkg)));
  assert.deepEqual(driver.filter((n) => !declared.includes(n) && !internal.includes(n)), [], "driver exports neither public nor internal");
  assert.ok(!driver.includes("createProxy"), "the client's driver has no proxy");
  // The client's module is the core's plain exports: it imports nothing and has no proxy.
  const client = new WebAssembly.Module(readFileSync(new URL("smm_panel_sdk_bg.wasm", pkg)));
  assert.deepEqual(WebAssembly.Module.imports(client), [], "the client's module imports nothing");
  assert.ok(WebAssembly.Module.exports(client).every((e) => e.name === "memory" || e.name.startsWith("smm_") || e.name.startsWith("__")));

  // The server entry: proxy.d.ts's names, from proxy-node.js (and proxy.js and proxy-workerd.js,
  // by their text).
  const proxyTypes = readFileSync(new URL("proxy.d.ts", pkg), "utf8");
  const proxyDeclared = [...proxyTypes.matchAll(/^export \{ ([^}]+) \} from/gm)].flatMap((m) => m[1].split(", ")).sort();
  assert.deepEqual(proxyDeclared, ["SmmError", "createProxy", "isSmmError"]);
  assert.deepEqual(Object.keys(await import(new URL("proxy-node.js", pkg))).sort(), proxyDeclared, "proxy-node.js");
  const proxyJs = readFileSync(new URL("proxy.js", pkg), "utf8");
  const proxyJsExports = [...proxyJs.matchAll(/^export const (?:\{ (\w+) \}|(\w+))/gm)].map((m) => m[1] ?? m[2]).sort();
  assert.deepEqual(proxyJsExports, proxyDeclared, "proxy.js");
  assert.deepEqual(exportsByText(new URL("proxy-workerd.js", pkg)), proxyDeclared, "proxy-workerd.js");
  const proxyGlue = Object.keys(await import(new URL("smm_panel_sdk_proxy.js", pkg)));
  assert.deepEqual(proxyGlue.filter((n) => !["createProxy", "default", "initSync", "smmErrors"].includes(n)), [], "the proxy's module exports the proxy alone");
});

/** The names an entry exports, read from its text (`export { a, b };`, `export { a, b } from "…";`,
 * `export const c` and `export const { d, e } = …`), sorted. */
function exportsByText(url) {
  const source = readFileSync(url, "utf8");
  const listed = source.match(/^export (?:const )?\{ ([^}]+) \}(?: from "[^"]+";| = \w+;|;)$/m)?.[1].split(", ") ?? [];
  return [...listed, ...[...source.matchAll(/^export const (\w+)/gm)].map((m) => m[1])].sort();
}
