#!/usr/bin/env bash
# Sets everything up and starts the demo: the sample page in www/ and the package, served on the
# same origin as the panel simulator. Stops with Ctrl-C. PORT=NNNN picks the port (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sim-lib.sh

bash scripts/bootstrap.sh
bash scripts/build.sh
cargo build -p smm-panel-sim

site=target/demo-site
rm -rf "$site" && mkdir -p "$site" && cp -R www/. "$site/" && cp -R pkg "$site/pkg"

port=${PORT:-8080}
echo
echo "Demo: open http://127.0.0.1:$port/  (API key 'demo-key' is pre-filled; Ctrl-C stops)"
echo
# exec: Ctrl-C and SIGTERM reach the simulator directly, which exits cleanly on both.
exec target/debug/smm-panel-sim --port "$port" --static "$site" --control --clock-speed 60
