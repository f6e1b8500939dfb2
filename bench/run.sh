#!/usr/bin/env bash
# The benchmark command (not part of scripts/test.sh): builds pkg/ and the simulator (release),
# starts three simulators on ephemeral 127.0.0.1 ports, runs bench/bench.mjs (headless Chromium
# and Node), prints one table and writes BENCHMARKS.md. Takes about 3 minutes.
#   BENCH_QUICK=1 bash bench/run.sh   # few repetitions, to try the harness (writes nothing)
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

# Like scripts/sim-lib.sh's start_simulator, but the release build: the simulator's own speed
# should not be what the batch and cold-start figures measure. Sets and exports VAR to the API
# URL (no command substitution: the PID must land in this shell's SIM_PIDS for the EXIT trap).
start_bench_simulator() {
  local var=$1 name=$2; shift 2
  local dir=target/sim-run
  mkdir -p "$dir"
  local port_file="$dir/bench-$name.port"
  rm -f "$port_file"
  target/release/smm-panel-sim --port 0 --port-file "$port_file" --control --cors on --static "$site" "$@" \
    > "$dir/bench-$name.log" 2>&1 &
  SIM_PIDS+=($!)
  local waited=0
  until [ -s "$port_file" ]; do
    if ! kill -0 "${SIM_PIDS[-1]}" 2>/dev/null || [ "$waited" -ge 100 ]; then
      echo "simulator '$name' did not start:" >&2; cat "$dir/bench-$name.log" >&2; return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  printf -v "$var" 'http://127.0.0.1:%s/api/v2' "$(cat "$port_file")"
  export "$var"
}

start_bench_simulator BENCH_SIM_20K s20k --services 20000
start_bench_simulator BENCH_SIM_5K s5k --services 5000
start_bench_simulator BENCH_SIM_LATENCY latency --latency-ms 50
node bench/bench.mjs
