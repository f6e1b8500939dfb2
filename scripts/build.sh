#!/usr/bin/env bash
# Builds the npm package into pkg/ (generated, git-ignored):
#   cargo (release, wasm32) -> wasm-opt -Oz (npm binaryen) + the driver (terser) -> pkg/
#   (the proxy's module goes through wasm-bindgen --target web first)
# Run scripts/bootstrap.sh first (scripts/test.sh and scripts/demo.sh do).
set -euo pipefail
cd "$(dirname "$0")/.."

crate=smm_panel_sdk

# Concurrent runs (tests, benchmarks, the demo) share pkg/: rebuild it only while no one else is
# building or reading it. scripts/test.sh holds the lock itself and sets SMM_PKG_LOCK_HELD.
if [ -z "${SMM_PKG_LOCK_HELD:-}" ]; then
  mkdir -p target
  exec 9>target/pkg.lock
  flock -x 9
fi
# Debian's wasm-opt (binaryen 108) produces modules that fail at load; npm's binaryen is the one
# we test against, so call it by path and never whatever `wasm-opt` is first on PATH. WASM_OPT
# overrides it only to prove the smoke tests catch a broken optimiser (see README).
wasm_opt=${WASM_OPT:-node_modules/.bin/wasm-opt}

# optimise WASM — wasm-opt -Oz in place.
optimise() {
  # -ocimfs 30: a function with a single caller is inlined into it only when it is tiny (under 30
  # bytes). The module gets a little larger but compresses better (-3.6 KB gzip): inlined copies
  # differ from each other, separate functions repeat the same prologues and calls that gzip
  # finds again. 0 (never) was 0.3 KB larger with 20 % more functions (bench/findings.md).
  # The producers and target_features sections are for tools (wasm-bindgen has read the
  # latter already); nothing reads them at load time. Reference types are not enabled: the
  # module must not use them (.cargo/config.toml says why), and wasm-opt refuses one that does.
  "$wasm_opt" -Oz --one-caller-inline-max-function-size 30 --strip-producers --strip-target-features --enable-bulk-memory --enable-sign-ext \
    --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue \
    "$1" -o "$1.opt"
  mv "$1.opt" "$1"
}

# minify JS OUT — terser (compress + mangle local names; class names, export names and the wasm
# export and import names are kept), with the `@ts-self-types` comment kept if there is one.
minify() {
  node_modules/.bin/terser "$1" --module --compress --mangle --keep-classnames --comments "/@ts-self-types/" --output "$2"
}

bindgen_out=target/wasm-bindgen
rm -rf "$bindgen_out" && mkdir -p "$bindgen_out"

# The client (the main entry for browsers, bundlers and Node): the core's plain exports, driven by
# src/wasm/driver.js. The module imports nothing and needs no generated glue.
cargo build --release --target wasm32-unknown-unknown -p smm-panel-sdk --lib
cp "target/wasm32-unknown-unknown/release/$crate.wasm" "$bindgen_out/${crate}_bg.wasm"
optimise "$bindgen_out/${crate}_bg.wasm"
minify src/wasm/driver.js "$bindgen_out/$crate.js"
cp src/wasm/driver.d.ts "$bindgen_out/$crate.d.ts"

# createProxy: the server entry `smm-panel-sdk/proxy` (src/wasm/mod.rs), through wasm-bindgen, with
# the driver (its SmmError, its HTTP exchange) folded into the glue. A target dir of its own, so
# that neither build invalidates the other's.
proxy=${crate}_proxy
cargo build --release --target wasm32-unknown-unknown -p smm-panel-sdk --lib --features proxy-entry --target-dir target/proxy-entry
wasm-bindgen --target web --typescript --out-dir "$bindgen_out" --out-name "$proxy" "target/proxy-entry/wasm32-unknown-unknown/release/$crate.wasm"
optimise "$bindgen_out/${proxy}_bg.wasm"
# One JS module instead of two (the driver folded in): one request less, and -4.4 KB gzip.
node scripts/inline-glue.mjs "$bindgen_out" "$proxy"
rm -rf "$bindgen_out/snippets"
# The models' declarations (tsify) that the driver's declarations import: wasm-bindgen writes them
# for this module, which is built with the same core.
node scripts/model-types.mjs "$bindgen_out/$proxy.d.ts" "$bindgen_out/${crate}_types.d.ts"
minify "$bindgen_out/$proxy.js" "$bindgen_out/$proxy.min.js"
mv "$bindgen_out/$proxy.min.js" "$bindgen_out/$proxy.js"

rm -rf pkg && mkdir -p pkg
cp -R pkg-template/. pkg/
cp -R "$bindgen_out"/. pkg/
cp README.md LICENSE pkg/
# The copy of the wasm inside a JS module that embedded.js imports (npm pack regenerates it in prepack).
(cd pkg && node embed-wasm.mjs)
echo "[build] pkg/ ready: $(wc -c < "pkg/${crate}_bg.wasm") bytes of wasm ($(gzip -9c "pkg/${crate}_bg.wasm" | wc -c) gzipped)"
