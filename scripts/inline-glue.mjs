// Folds wasm-bindgen's JS snippets (our src/wasm/driver.js) into the generated smm_panel_sdk_proxy.js, so
// a page that loads the package unbundled makes one request fewer, in a chain that must finish
// before the .wasm fetch can start (measured: ~5 ms of a ~37 ms cold start in Chromium).
// Each snippet becomes a closure whose exports the former import statements destructure; the
// snippet paths stay as they are where they name the wasm's import modules.
//   node scripts/inline-glue.mjs <wasm-bindgen out dir> [module name]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
// The module's name (wasm-bindgen's --out-name): smm_panel_sdk, or smm_panel_sdk_proxy.
const name = process.argv[3] ?? "smm_panel_sdk";
const gluePath = join(dir, `${name}.js`);
let glue = readFileSync(gluePath, "utf8");

const importLine = /^import (\{[^}]*\}|\* as \w+) from ["'](\.\/snippets\/[^"']+)["'];?[ \t]*$/gm;
const snippets = new Map(); // path -> closure variable name
const replaced = glue.replace(importLine, (_, what, path) => {
  if (!snippets.has(path)) snippets.set(path, `__snippet${snippets.size}`);
  const source = snippets.get(path);
  return what.startsWith("*")
    ? `const ${what.slice("* as ".length)} = ${source};`
    : `const ${what.replace(/\bas\b/g, ":")} = ${source};`;
});
if (snippets.size === 0) throw new Error(`${gluePath}: no snippet imports found (has wasm-bindgen's output changed?)`);

const closures = [...snippets].map(([path, name]) => {
  const source = readFileSync(join(dir, path), "utf8");
  const exported = [];
  const body = source.replace(/^export (?=(?:async\s+)?function\*?\s|class\s|const\s|let\s)/gm, "");
  for (const m of source.matchAll(/^export (?:async\s+)?(?:function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/gm)) exported.push(m[1]);
  if (/^\s*export\b/m.test(body)) throw new Error(`${path}: an export form this script does not fold`);
  return `const ${name} = (() => {\n${body}\nreturn { ${exported.join(", ")} };\n})();`;
});

// After the first line (wasm-bindgen's `@ts-self-types` comment) so TypeScript still finds it.
const [first, ...rest] = replaced.split("\n");
const out = [first, ...closures, ...rest].join("\n");
if (/from\s+["']\.\/snippets\//.test(out)) throw new Error(`${gluePath}: a snippet import is left`);
writeFileSync(gluePath, out);
console.log(`[build] folded ${snippets.size} snippet(s) into ${name}.js`);
