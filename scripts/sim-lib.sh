# Sourced by scripts/test.sh and scripts/demo.sh: starts simulators on ephemeral ports on
# 127.0.0.1 and stops every one of them when the calling script exits, whatever the outcome.
SIM_PIDS=()

stop_simulators() {
  local pid
  for pid in "${SIM_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${SIM_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  SIM_PIDS=()
}

# start_simulator NAME [FLAGS...] — sets SIM_URL_<NAME> to http://127.0.0.1:PORT/api/v2.
# SIM_BIN picks the binary (default: the debug build; the benchmarks use the release one).
start_simulator() {
  local name=$1; shift
  # Per run: two runs of the same stage at once must not read each other's port files.
  local dir=target/sim-run/$$
  mkdir -p "$dir"
  local port_file="$dir/$name.port"
  rm -f "$port_file"
  # 9>&-: a simulator must not inherit the pkg/ lock (build.sh), or it would hold it for as
  # long as it runs and block the next build.
  "${SIM_BIN:-target/debug/smm-panel-sim}" --port 0 --port-file "$port_file" "$@" > "$dir/$name.log" 2>&1 9>&- &
  SIM_PIDS+=($!)
  local waited=0
  until [ -s "$port_file" ]; do
    if ! kill -0 "${SIM_PIDS[-1]}" 2>/dev/null || [ "$waited" -ge 100 ]; then
      echo "simulator '$name' did not start:" >&2; cat "$dir/$name.log" >&2; return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  printf -v "SIM_URL_${name^^}" 'http://127.0.0.1:%s/api/v2' "$(cat "$port_file")"
  export "SIM_URL_${name^^}"
}
