# workerd's own config format. The modules are what a Workers deploy uploads: the bundle, and the
# two .wasm files it imports (compiled by workerd before the Worker starts, as on Cloudflare).
# The socket listens on a free port, which workerd reports on the check's --control-fd; the
# simulator's URL and the keys come from the environment the check starts workerd with.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The simulator listens on 127.0.0.1, which workerd's default outbound ("public" addresses
    # only) refuses.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "smm_panel_sdk_bg.wasm", wasm = embed "dist/smm_panel_sdk_bg.wasm"),
    (name = "smm_panel_sdk_proxy_bg.wasm", wasm = embed "dist/smm_panel_sdk_proxy_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "SMM_API_URL", fromEnvironment = "SMM_API_URL"),
    (name = "SMM_KEY", fromEnvironment = "SMM_KEY"),
    (name = "SMM_PROXY_KEY", fromEnvironment = "SMM_PROXY_KEY"),
  ],
  globalOutbound = "loopback",
);
