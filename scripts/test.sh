#!/usr/bin/env bash
# Sets everything up and runs every test: native Rust (SDK core + simulator), the browser suite
# (wasm-bindgen-test in headless Chromium against the simulator), and the package smoke tests
# (the optimised pkg/ loaded by Node 20 and by a page in Chromium). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sim-lib.sh
trap stop_simulators EXIT

section() { printf '\n=== %s ===\n' "$*"; }

section "bootstrap"
bash scripts/bootstrap.sh

section "native tests: SDK core and simulator"
cargo test --workspace

section "build pkg/"
bash scripts/build.sh

section "simulator for the browser and package tests"
cargo build -p smm-panel-sim
site=target/smoke-site
rm -rf "$site" && mkdir -p "$site" && cp -R tests/smoke/site/. "$site/" && cp -R pkg "$site/pkg"
start_simulator main --control --cors on --static "$site"
echo "simulator at $SIM_URL_MAIN"

section "browser tests: wasm-bindgen-test in headless Chromium"
SMM_SIM_URL=$SIM_URL_MAIN CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown -p smm-panel-sdk --test browser

section "package smoke tests: Node 20 and Chromium (Playwright)"
# The smoke test imports the package by name, through pkg/package.json's exports map.
mkdir -p tests/node_modules && ln -sfn ../../pkg tests/node_modules/smm-panel-sdk
SMM_SIM_URL=$SIM_URL_MAIN node --test --test-concurrency=1 tests/smoke/

section "all tests passed"
