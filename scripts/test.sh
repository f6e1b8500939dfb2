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

section "simulators for the browser and package tests"
cargo build -p smm-panel-sim
# One per dialect, clocks frozen (tests advance them), CORS on because the test page is served
# from another origin; one with CORS off, as real panels are; one serving the smoke page.
for dialect in perfect seed smartpanel laravel; do
  start_simulator "$dialect" --dialect "$dialect" --control --cors on --clock-speed 0
done
start_simulator nocors --control --cors off --clock-speed 0
site=target/smoke-site
rm -rf "$site" && mkdir -p "$site" && cp -R tests/smoke/site/. "$site/" && cp -R pkg "$site/pkg"
start_simulator main --control --cors on --static "$site"
env | grep '^SIM_URL_' | sort

section "browser tests: wasm-bindgen-test in headless Chromium"
SMM_SIM_PERFECT=$SIM_URL_PERFECT SMM_SIM_SEED=$SIM_URL_SEED SMM_SIM_SMARTPANEL=$SIM_URL_SMARTPANEL \
SMM_SIM_LARAVEL=$SIM_URL_LARAVEL SMM_SIM_NOCORS=$SIM_URL_NOCORS \
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 \
  cargo test --target wasm32-unknown-unknown -p smm-panel-sdk --test browser

section "package smoke tests: Node 20 and Chromium (Playwright)"
# The smoke test imports the package by name, through pkg/package.json's exports map.
mkdir -p tests/node_modules && ln -sfn ../../pkg tests/node_modules/smm-panel-sdk
SMM_SIM_URL=$SIM_URL_MAIN node --test --test-concurrency=1 tests/smoke/

section "all tests passed"
