#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian machine (root, Rust, Node),
# and does nothing (in seconds) when it is all there. Only package registries are used: apt,
# crates.io and npm. Nothing downloads a browser or a prebuilt binary of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[bootstrap] %s\n' "$*"; }

# 1. The wasm target of the machine's one Rust toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock: the CLI and
#    the crate must agree or the glue does not match the module.
wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$wanted" ] || { echo "bootstrap: wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$wanted" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wanted (a few minutes)"
  # --locked first; its lockfile can name a crate version the registry no longer serves, and
  # then an unlocked install is the working fallback.
  cargo install wasm-bindgen-cli --version "$wanted" --locked --force \
    || cargo install wasm-bindgen-cli --version "$wanted" --force
fi

# 3. Debian's Chromium and chromedriver, for wasm-bindgen-test and Playwright.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 4. Node packages from the committed lockfile (binaryen's wasm-opt, playwright-core, ...).
#    The stamp holds the lockfile's hash, so a warm machine skips `npm ci`.
stamp=node_modules/.bootstrap-lock-hash
lock_hash=$(sha256sum package-lock.json | awk '{ print $1 }')
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_hash" ]; then
  say "installing Node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi

say "ready: $(wasm-bindgen --version), $(/usr/bin/chromium --version 2>/dev/null | head -n 1), node $(node --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{ print $3 }')"
