#!/usr/bin/env bash
# The benchmark command (not part of scripts/test.sh): builds pkg/ and the simulator (release),
# starts four simulators on ephemeral 127.0.0.1 ports, runs bench/bench.mjs (headless Chromium,
# Node, and for decode and cold start Firefox and WebKit too), prints one table and writes
# BENCHMARKS.md. Takes about 25 minutes (the full run of 2026-12-04: 24 minutes after the build; the Firefox and WebKit rows about 10 of them).
#   ENGINES=chromium bash bench/run.sh  # only these browser engines (writes nothing)
#   BENCH_QUICK=1 bash bench/run.sh   # few repetitions, to try the harness (writes nothing)
#   BENCH_ONLY=batch bash bench/run.sh  # only some measures: decode, batch, cold, memory (writes nothing)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sim-lib.sh
trap stop_simulators EXIT

bash scripts/bootstrap.sh

# Build under the exclusive pkg/ lock, then hold it shared while measuring, as scripts/test.sh
# does, so a concurrent build never swaps pkg/ under the benchmark.
mkdir -p target
exec 9>target/pkg.lock
flock -x 9
export SMM_PKG_LOCK_HELD=1
bash scripts/build.sh
cargo build --release -p smm-panel-sim
flock -s 9

# The page (bench/site) and the package, served by each simulator on its own origin.
site=target/bench-site
rm -rf "$site" && mkdir -p "$site" && cp -R bench/site/. "$site/" && cp -R pkg "$site/pkg"

# The release build: the simulator's own speed should not be what the batch and cold-start
# figures measure.
bench_flags=(--control --cors on --static "$site")
SIM_BIN=target/release/smm-panel-sim start_simulator s20k "${bench_flags[@]}" --services 20000
SIM_BIN=target/release/smm-panel-sim start_simulator s5k "${bench_flags[@]}" --services 5000
SIM_BIN=target/release/smm-panel-sim start_simulator s20kascii "${bench_flags[@]}" --services 20000 --ascii-catalog
SIM_BIN=target/release/smm-panel-sim start_simulator latency "${bench_flags[@]}" --latency-ms 50
export BENCH_SIM_20K=$SIM_URL_S20K BENCH_SIM_5K=$SIM_URL_S5K BENCH_SIM_20K_ASCII=$SIM_URL_S20KASCII BENCH_SIM_LATENCY=$SIM_URL_LATENCY
# --expose-gc: the decode measure collects garbage before each timed path (measures.js).
node --expose-gc bench/bench.mjs
