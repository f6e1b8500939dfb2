#!/usr/bin/env bash
# Sets everything up and starts the demo: the sample page in www/ and the package, served on the
# same origin as the panel simulator. Stops with Ctrl-C. PORT=NNNN picks the port (default 8080).
# MODE=proxy: the page is served by a Node proxy (scripts/proxy-server.mjs) that adds the API key
# on the server, in front of a simulator on another port; the page connects with no key.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sim-lib.sh

bash scripts/bootstrap.sh
bash scripts/build.sh
cargo build -p smm-panel-sim

site=target/demo-site
rm -rf "$site" && mkdir -p "$site" && cp -R www/. "$site/" && cp -R pkg "$site/pkg"

port=${PORT:-8080}

if [ "${MODE:-direct}" = proxy ]; then
  # Proxy mode: the simulator on an ephemeral port with a key made for this run, and in front of
  # it scripts/proxy-server.mjs serving the site and /api/v2 with createProxy(), which adds the
  # key. The page connects to the proxy with no key: the browser never has it.
  trap stop_simulators EXIT
  key="demo-proxy-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  start_simulator demo_panel --key "$key=100" --control --clock-speed 60
  port_file=target/sim-run/$$/proxy.port
  rm -f "$port_file"
  SMM_KEY=$key node scripts/proxy-server.mjs --panel "$SIM_URL_DEMO_PANEL" --static "$site" --port "$port" \
    --allow services,balance,add,status,refill,refill_status,cancel --port-file "$port_file" 9>&- &
  SIM_PIDS+=($!)
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || { echo "the proxy server did not start" >&2; exit 1; }
  echo
  echo "Demo (proxy mode): open http://127.0.0.1:$(cat "$port_file")/?mode=proxy  (no API key in the browser: the proxy adds it; Ctrl-C stops)"
  echo "  panel simulator: $SIM_URL_DEMO_PANEL (its key stays in the proxy process)"
  echo
  wait "${SIM_PIDS[-1]}"
  exit
fi

echo
echo "Demo: open http://127.0.0.1:$port/  (API key 'demo-key' is pre-filled; Ctrl-C stops)"
echo
# exec: Ctrl-C and SIGTERM reach the simulator directly, which exits cleanly on both.
exec target/debug/smm-panel-sim --port "$port" --static "$site" --control --clock-speed 60
