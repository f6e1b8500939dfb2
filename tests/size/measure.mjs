// The shipped size of the package in pkg/: every .js file in the tarball plus the .wasm, each
// compressed with gzip at level 9 (zlib's deflate, as `gzip -9`), summed. The file list is npm's
// own (`npm pack --dry-run`), so it is exactly what users install. `gzip -9 -n` is used where it
// exists (it does on Debian); zlib at level 9 otherwise, which differs by a few tenths of a
// percent. Shared by the size test and the benchmark (bench/).
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants } from "node:zlib";

export const pkgDir = new URL("../../pkg/", import.meta.url).pathname;

/** Files of the tarball that a user's runtime loads: the .wasm and every .js file, except
 * `*.wasm-text.js` (made by the package's prepack script): it is the same module again, inside a JS
 * module for bundlers that cannot copy a .wasm, loaded *instead of* the .wasm, never with it. */
/** The server entry's files (`smm-panel-sdk/proxy`: its entries, glue and .wasm): no client loads
 * them, so they are measured apart from the client's. */
export const isProxyFile = (path) => /^(proxy[.-]|smm_panel_sdk_proxy)/.test(path);

/** `part`: "client" (the main entry's files: what the budget holds) or "proxy". */
export function shippedFiles(dir = pkgDir, part = "client") {
  if (!existsSync(join(dir, "package.json"))) {
    throw new Error(`${dir} has no package.json: build it first (bash scripts/build.sh)`);
  }
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [{ files }] = JSON.parse(out);
  return files
    .map((f) => f.path)
    .filter((p) => (p.endsWith(".js") && !p.endsWith(".wasm-text.js")) || p.endsWith(".wasm"))
    .filter((p) => isProxyFile(p) === (part === "proxy"))
    .sort();
}

export function gzipSize(bytes) {
  try {
    return execFileSync("gzip", ["-9", "-n", "-c"], { input: bytes, maxBuffer: 64 << 20 }).length;
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
    return gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
  }
}

/** { files: [{ path, raw, gzip }], raw, gzip } for the package in `dir`. */
export function measurePackage(dir = pkgDir, part = "client") {
  const files = shippedFiles(dir, part).map((path) => {
    const bytes = readFileSync(join(dir, path));
    return { path, raw: bytes.length, gzip: gzipSize(bytes) };
  });
  return {
    files,
    raw: files.reduce((s, f) => s + f.raw, 0),
    gzip: files.reduce((s, f) => s + f.gzip, 0),
  };
}
