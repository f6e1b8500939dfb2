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
# rustfmt and clippy: the test command checks formatting and lints.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

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

# 3a. Time zone data: scripts/test.sh runs the browsers in TZ=Asia/Kolkata (a Date's local day
#     differs from its UTC day there); without the data a zone falls back to UTC.
if [ ! -e /usr/share/zoneinfo/Asia/Kolkata ]; then
  say "installing tzdata from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq tzdata >/dev/null
fi

# 3b. The other two engines of the browser suite (ENGINES in scripts/test.sh): Debian's Firefox ESR
#     with geckodriver from crates.io (no Debian package; pinned), and WebKitGTK's MiniBrowser with
#     WebKitWebDriver, which has no headless mode and so runs under Xvfb. Skipped when ENGINES
#     names neither.
engines=${ENGINES:-chromium firefox webkit}
geckodriver_version=0.37.1
if [[ " $engines " == *" firefox "* ]]; then
  if [ ! -x /usr/bin/firefox-esr ]; then
    say "installing firefox-esr from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends firefox-esr >/dev/null
  fi
  if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 { print $2 }')" != "$geckodriver_version" ]; then
    say "installing geckodriver $geckodriver_version (a few minutes)"
    cargo install geckodriver --version "$geckodriver_version" --locked \
      || cargo install geckodriver --version "$geckodriver_version"
  fi
fi
if [[ " $engines " == *" webkit "* ]] && { [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null; }; then
  say "installing webkit2gtk-driver and xvfb from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends webkit2gtk-driver xvfb xauth >/dev/null
fi
# 3c. WPE WebKit 2.38 (cog with WPEWebDriver), Safari 16's generation of the engine, headless
#     without Xvfb: the smoke stage's stress test runs in it too (tests/smoke/stress.test.mjs).
if [[ " $engines " == *" webkit "* ]] && { [ ! -x /usr/bin/WPEWebDriver ] || [ ! -x /usr/bin/cog ]; }; then
  say "installing cog and wpewebkit-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends cog wpewebkit-driver >/dev/null
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
[[ " $engines " == *" firefox "* ]] && say "ready: $(/usr/bin/firefox-esr --version 2>/dev/null), $(geckodriver --version | head -n 1)"
[[ " $engines " == *" webkit "* ]] && say "ready: WebKitWebDriver $(dpkg-query -W -f '${Version}' webkit2gtk-driver 2>/dev/null), WPEWebDriver $(dpkg-query -W -f '${Version}' wpewebkit-driver 2>/dev/null)"
true
