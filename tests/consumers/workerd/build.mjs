// The bundle wrangler would make: esbuild with wrangler's resolve conditions ("workerd" first),
// and each imported .wasm left as a module of its own next to the bundle (wrangler's default rule
// for .wasm), which config.capnp lists. dist/meta.json says which package files were bundled.
import { build } from "esbuild";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

const out = "dist";
await mkdir(out, { recursive: true });

const wasmModules = {
  name: "wasm-modules",
  setup(builder) {
    builder.onResolve({ filter: /\.wasm$/ }, async ({ path, resolveDir }) => {
      const name = basename(path);
      await copyFile(join(resolveDir, path), join(out, name));
      return { path: `./${name}`, external: true };
    });
  },
};

const result = await build({
  entryPoints: ["src/worker.js"],
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  outfile: join(out, "worker.js"),
  metafile: true,
  logLevel: "warning",
  plugins: [wasmModules],
});
await writeFile(join(out, "meta.json"), JSON.stringify(result.metafile));
