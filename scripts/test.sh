#!/usr/bin/env bash
# Sets everything up and runs every test. With stage names (e.g. `scripts/test.sh browser e2e`)
# it runs only those, after the setup and build they need.
#   native     cargo fmt --check, cargo clippy -D warnings, cargo test: the SDK core and the simulator
#   browser    wasm-bindgen-test in each engine of ENGINES against one simulator per dialect
#   smoke      the optimised pkg/ imported from Node 20 and from a page in each engine of ENGINES;
#              1,040 mixed calls in one page in each of them and in WPE WebKit 2.38 (when installed)
#   node       createProxy in Node 20 (behind a real HTTP server), in Deno and in a module Web Worker
#   e2e        the sample page (www/) driven in each engine of ENGINES against the simulator
#   consumers  the packed tarball installed into bundler/runtime fixtures, and tsc checks
#   size       the shipped size against the committed budget
# ENGINES picks the browser engines of the browser, smoke, e2e and consumers stages (default all three:
# `ENGINES=chromium bash scripts/test.sh` for a quick local run).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sim-lib.sh
trap stop_simulators EXIT

all_stages=(native browser smoke node e2e consumers size)
# What runs with no arguments: every stage whose suite exists.
default_stages=(native browser smoke node)
[ -d tests/e2e ] && default_stages+=(e2e)
[ -f tests/consumers/run.sh ] && default_stages+=(consumers)
[ -d tests/size ] && default_stages+=(size)
stages=("${@:-${default_stages[@]}}")
read -r -a engines <<< "${ENGINES:-chromium firefox webkit}"
for engine in "${engines[@]}"; do
  [[ " chromium firefox webkit " == *" $engine "* ]] || { echo "unknown engine '$engine' (known: chromium firefox webkit)" >&2; exit 2; }
done
for stage in "${stages[@]}"; do
  [[ " ${all_stages[*]} " == *" $stage "* ]] || { echo "unknown stage '$stage' (known: ${all_stages[*]})" >&2; exit 2; }
done

section() { printf '\n=== %s ===\n' "$*"; }

# A site folder served by a simulator: the given files plus the built package under pkg/.
assemble_site() {
  local site=$1 source=$2
  rm -rf "$site" && mkdir -p "$site" && cp -R "$source"/. "$site/" && cp -R pkg "$site/pkg"
}

stage_native() {
  # The house rules, machine-checked: formatting, and clippy (with clippy.toml's size-driven
  # bans) for the native crates and for the wasm builds of both entries and the browser suite.
  cargo fmt --all -- --check
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy --target wasm32-unknown-unknown -p smm-panel-sdk --lib --tests -- -D warnings
  cargo clippy --target wasm32-unknown-unknown -p smm-panel-sdk --lib --features proxy-entry -- -D warnings
  cargo test --workspace
  # The fuzz targets' hooks (scripts/fuzz.sh builds them; this keeps them compiling).
  cargo check -p smm-panel-sdk --lib --features fuzzing
}

stage_browser() {
  # One simulator per dialect, clocks frozen (tests advance them), CORS on because the test
  # page is served from another origin; and one with CORS off, as real panels are.
  for dialect in perfect seed smartpanel laravel; do
    start_simulator "$dialect" --dialect "$dialect" --control --cors on --clock-speed 0
  done
  start_simulator nocors --control --cors off --clock-speed 0
  export SMM_SIM_PERFECT=$SIM_URL_PERFECT SMM_SIM_SEED=$SIM_URL_SEED SMM_SIM_SMARTPANEL=$SIM_URL_SMARTPANEL \
    SMM_SIM_LARAVEL=$SIM_URL_LARAVEL SMM_SIM_NOCORS=$SIM_URL_NOCORS WASM_BINDGEN_TEST_TIMEOUT=300
  local engine url
  for engine in "${engines[@]}"; do
    printf -- '--- browser suite in %s\n' "$engine"
    # Each engine meets the simulators as a first run does (order IDs, balances, clocks): reset
    # them rather than start new ones, whose ports would recompile the suite (it reads them at
    # compile time).
    for url in "$SIM_URL_PERFECT" "$SIM_URL_SEED" "$SIM_URL_SMARTPANEL" "$SIM_URL_LARAVEL" "$SIM_URL_NOCORS"; do
      curl -fsS -X POST "${url%/api/v2}/__sim/reset" > /dev/null
    done
    run_in_engine "$engine" cargo test --target wasm32-unknown-unknown -p smm-panel-sdk --test browser
  done
}

# run_in_engine ENGINE COMMAND... — runs wasm-bindgen-test-runner's COMMAND with exactly one
# WebDriver set (the runner takes GECKODRIVER before CHROMEDRIVER, and otherwise whatever driver
# is first on PATH). webdriver.json carries each engine's own capabilities.
run_in_engine() {
  local engine=$1; shift
  # East of Greenwich, where a Date's local day and its UTC day differ after midnight (the
  # suite checks that a Date expiry is sent as the local day).
  local drivers=(-u CHROMEDRIVER -u GECKODRIVER -u SAFARIDRIVER TZ=Asia/Kolkata)
  case "$engine" in
    chromium) env "${drivers[@]}" CHROMEDRIVER=/usr/bin/chromedriver "$@" ;;
    firefox) env "${drivers[@]}" GECKODRIVER="$(command -v geckodriver)" "$@" ;;
    # MiniBrowser has no headless mode: a virtual X display of its own for each run.
    webkit) env "${drivers[@]}" SAFARIDRIVER=/usr/bin/WebKitWebDriver xvfb-run -a "$@" ;;
  esac
}

stage_smoke() {
  assemble_site target/smoke-site tests/smoke/site
  start_simulator smoke --control --cors on --static target/smoke-site
  # The smoke test imports the package by name, through pkg/package.json's exports map.
  mkdir -p tests/node_modules && ln -sfn ../../pkg tests/node_modules/smm-panel-sdk
  SMM_SIM_URL=$SIM_URL_SMOKE node --test --test-concurrency=1 tests/smoke/
}

stage_node() {
  # CORS on: the Worker test calls the panel from a page on another origin.
  assemble_site target/node-site tests/node/site
  start_simulator node --control --cors on --clock-speed 0
  mkdir -p tests/node_modules && ln -sfn ../../pkg tests/node_modules/smm-panel-sdk
  SMM_SIM_URL=$SIM_URL_NODE node --test --test-concurrency=1 tests/node/
}

stage_e2e() {
  # The sample page on the simulator's origin, as the demo serves it, with the clock frozen.
  assemble_site target/e2e-site www
  start_simulator e2e --control --clock-speed 0 --static target/e2e-site
  # A second origin that sends no CORS headers, like a real panel called from a browser.
  start_simulator e2e_nocors --control --cors off --clock-speed 0
  local engine url
  for engine in "${engines[@]}"; do
    printf -- '--- e2e in %s\n' "$engine"
    # Each engine meets the simulators as the first did (order IDs, clock).
    for url in "$SIM_URL_E2E" "$SIM_URL_E2E_NOCORS"; do
      curl -fsS -X POST "${url%/api/v2}/__sim/reset" > /dev/null
    done
    E2E_ENGINE=$engine SMM_SIM_URL=$SIM_URL_E2E SMM_SIM_NOCORS_URL=$SIM_URL_E2E_NOCORS \
      node --test --test-concurrency=1 tests/e2e/
  done
}

stage_consumers() {
  bash tests/consumers/run.sh
}

stage_size() {
  node --test tests/size/
}

section "bootstrap"
bash scripts/bootstrap.sh
if [[ " ${stages[*]} " != " native " ]]; then
  section "build pkg/ and the simulator"
  # Build under an exclusive lock, then hold it shared so no concurrent build replaces pkg/
  # while these tests read it (see build.sh).
  mkdir -p target
  exec 9>target/pkg.lock
  flock -x 9
  export SMM_PKG_LOCK_HELD=1
  bash scripts/build.sh
  cargo build -p smm-panel-sim
  flock -s 9
fi
for stage in "${stages[@]}"; do
  section "$stage"
  "stage_$stage"
  stop_simulators
done
section "passed: ${stages[*]}"
