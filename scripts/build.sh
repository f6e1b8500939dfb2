#!/usr/bin/env bash
# Builds the npm package into pkg/ (generated, git-ignored):
#   cargo (release, wasm32) -> wasm-bindgen --target web -> wasm-opt -Oz (npm binaryen) -> pkg/
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

# bindgen_module WASM NAME — wasm-bindgen's glue and module for WASM as NAME.js and NAME_bg.wasm in
# $bindgen_out, optimised and with glue.js folded in.
bindgen_module() {
  local wasm=$1 name=$2
  wasm-bindgen --target web --typescript --out-dir "$bindgen_out" --out-name "$name" "$wasm"
  # -ocimfs 30: a function with a single caller is inlined into it only when it is tiny (under 30
  # bytes). The module gets a little larger but compresses better (-3.6 KB gzip): inlined copies
  # differ from each other, separate functions repeat the same prologues and calls that gzip
  # finds again. 0 (never) was 0.3 KB larger with 20 % more functions (bench/findings.md).
  # The producers and target_features sections are for tools (wasm-bindgen has read the
  # latter already); nothing reads them at load time. Reference types are not enabled: the
  # module must not use them (.cargo/config.toml says why), and wasm-opt refuses one that does.
  "$wasm_opt" -Oz --one-caller-inline-max-function-size 30 --strip-producers --strip-target-features --enable-bulk-memory --enable-sign-ext \
    --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue \
    "$bindgen_out/${name}_bg.wasm" -o "$bindgen_out/${name}_bg.opt.wasm"
  mv "$bindgen_out/${name}_bg.opt.wasm" "$bindgen_out/${name}_bg.wasm"
  # One JS module instead of two (glue.js folded in), then minified (terser: compress + mangle
  # local names; class names, export names and the wasm import object's property names are kept): one request
  # less on an unbundled page and -4.4 KB gzip. The hand-written entry files stay readable.
  node scripts/inline-glue.mjs "$bindgen_out" "$name"
  rm -rf "$bindgen_out/snippets"
  node_modules/.bin/terser "$bindgen_out/${name}.js" --module --compress --mangle --keep-classnames --comments "/@ts-self-types/" --output "$bindgen_out/${name}.min.js"
  mv "$bindgen_out/${name}.min.js" "$bindgen_out/${name}.js"
}

bindgen_out=target/wasm-bindgen
rm -rf "$bindgen_out" && mkdir -p "$bindgen_out"
# The client: what the main entry (browsers, bundlers, Node) loads.
cargo build --release --target wasm32-unknown-unknown -p smm-panel-sdk --lib
bindgen_module "target/wasm32-unknown-unknown/release/$crate.wasm" "$crate"
# createProxy: the server entry `smm-panel-sdk/proxy` (src/wasm/mod.rs). A target dir of its own, so
# that neither build invalidates the other's.
cargo build --release --target wasm32-unknown-unknown -p smm-panel-sdk --lib --features proxy-entry --target-dir target/proxy-entry
bindgen_module "target/proxy-entry/wasm32-unknown-unknown/release/$crate.wasm" "${crate}_proxy"

rm -rf pkg && mkdir -p pkg
cp -R pkg-template/. pkg/
cp -R "$bindgen_out"/. pkg/
cp README.md LICENSE pkg/
# The copy of the wasm inside a JS module that embedded.js imports (npm pack regenerates it in prepack).
(cd pkg && node embed-wasm.mjs)
echo "[build] pkg/ ready: $(wc -c < "pkg/${crate}_bg.wasm") bytes of wasm ($(gzip -9c "pkg/${crate}_bg.wasm" | wc -c) gzipped)"
