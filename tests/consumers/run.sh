#!/usr/bin/env bash
# The packed package in every place JavaScript runs (scripts/test.sh consumers calls this after
# building pkg/ and the simulator). For each fixture folder: install its pinned tools from its
# own lockfile, install the tarball from `npm pack` (never a link into the repo), build with the
# fixture's tool, and make real calls against a simulator — in headless Chromium for the
# browser fixtures (the built output served by the simulator, same origin), in Node for Node, in
# workerd and Bun (the npm packages' binaries) for the server runtimes.
# Then the TypeScript checks and the README's examples. One summary line per fixture.
#   bash tests/consumers/run.sh [fixture...]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/sim-lib.sh
trap stop_simulators EXIT

consumers=tests/consumers
all=(pack node node-require script-tag worker vite webpack esbuild workerd bun typescript readme)
selected=("${@:-${all[@]}}")

# SMM_PKG_DIR: pack another build of the package than pkg/ (default pkg).
pkg_dir=${SMM_PKG_DIR:-pkg}
[ -s "$pkg_dir/smm_panel_sdk_bg.wasm" ] || { echo "$pkg_dir/ is not built: run 'bash scripts/test.sh consumers'" >&2; exit 1; }
[ -x target/debug/smm-panel-sim ] || { echo "the simulator is not built: run 'bash scripts/test.sh consumers'" >&2; exit 1; }

# Pack a copy of pkg/: the prepack script writes the embedded wasm module, and pkg/ is shared
# with concurrent runs that must not see files appear in it.
work=target/consumers
rm -rf "$work" && mkdir -p "$work"
cp -R "$pkg_dir" "$work/pkg"
(cd "$work/pkg" && npm pack --json --pack-destination .. --loglevel=error > ../pack.json)
tarball=$(realpath "$work"/smm-panel-sdk-*.tgz)
tarball_hash=$(sha256sum "$tarball" | awk '{ print $1 }')

passed=() failed=()
record() { # name, status
  if [ "$2" = 0 ]; then passed+=("$1"); else failed+=("$1"); echo "consumers: $1: FAILED" >&2; fi
}

# npm ci when the fixture's lockfile changed since the last install, then the tarball when it
# changed: a warm run installs nothing.
install_fixture() {
  local dir=$consumers/$1
  local lock_hash lock_stamp=$dir/node_modules/.consumer-lock-hash sdk_stamp=$dir/node_modules/.consumer-sdk-hash
  lock_hash=$(sha256sum "$dir/package-lock.json" | awk '{ print $1 }')
  if [ "$(cat "$lock_stamp" 2>/dev/null || true)" != "$lock_hash" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    mkdir -p "$dir/node_modules" && echo "$lock_hash" > "$lock_stamp"
    rm -f "$sdk_stamp"
  fi
  if [ "$(cat "$sdk_stamp" 2>/dev/null || true)" != "$tarball_hash" ]; then
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "$tarball")
    echo "$tarball_hash" > "$sdk_stamp"
  fi
  # The tools stay as the lockfile pins them, and the package is the tarball's copy.
  [ "$(sha256sum "$dir/package-lock.json" | awk '{ print $1 }')" = "$lock_hash" ] \
    || { echo "$1: installing changed package-lock.json" >&2; return 1; }
  [ -d "$dir/node_modules/smm-panel-sdk" ] && [ ! -L "$dir/node_modules/smm-panel-sdk" ] \
    || { echo "$1: node_modules/smm-panel-sdk is missing or a link" >&2; return 1; }
  cmp -s "$dir/node_modules/smm-panel-sdk/smm_panel_sdk_bg.wasm" "$work/pkg/smm_panel_sdk_bg.wasm" \
    || { echo "$1: the installed package is not the one just packed" >&2; return 1; }
}

run_fixture() {
  local name=$1 dir=$consumers/$1 started=$SECONDS
  case $name in
    pack)
      node --test "$consumers/pack.test.mjs"
      return ;;
  esac
  install_fixture "$name"
  (cd "$dir" && rm -rf dist && npm run build --silent)
  local sim=consumer_${name//-/_}
  case $name in
    node|node-require|workerd|bun) start_simulator "$sim" --control ;;
    # The examples run in Node and, served from dist/, in a page of each engine.
    readme) start_simulator "$sim" --control --static "$dir/dist" ;;
    typescript) ;;
    *) start_simulator "$sim" --control --cors on --static "$dir/dist" ;;
  esac
  local url_var=SIM_URL_${sim^^}
  case $name in
    typescript) node --test "$consumers/typescript.test.mjs" ;;
    readme) SMM_SIM_URL=${!url_var} node --test "$consumers/readme.test.mjs" ;;
    *) SMM_SIM_URL=${!url_var} node "$consumers/check.mjs" "$name" ;;
  esac
  echo "consumers: $name: $((SECONDS - started)) s"
}

for name in "${selected[@]}"; do
  [[ " ${all[*]} " == *" $name "* ]] || { echo "unknown fixture '$name' (known: ${all[*]})" >&2; exit 2; }
  printf '\n--- %s ---\n' "$name"
  status=0
  # In its own subshell, in the background, so that errexit applies inside it (it would not
  # under `||`) and its simulators stop when it ends, however it ends.
  ( trap stop_simulators EXIT; run_fixture "$name" ) &
  wait $! || status=$?
  record "$name" "$status"
done

printf '\n'
[ ${#passed[@]} -eq 0 ] || echo "consumers passed: ${passed[*]}"
[ ${#failed[@]} -eq 0 ] || echo "consumers FAILED: ${failed[*]}"
echo "consumers: ${#passed[@]} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
