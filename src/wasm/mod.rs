//! The JavaScript adapter: `#[wasm_bindgen]` exports, fetch, and the JS error class. Every
//! decision (validation, encoding, decoding, retry and batch policy) is the core's; this layer
//! moves bytes and promises between the core and the JS runtime.
//!
//! One crate, two modules: the package's main entry is built without the `proxy-entry` feature
//! (the client: every call, catalog, watch), the `smm-panel-sdk/proxy` entry with it
//! (`createProxy` alone). Browsers never download the server's code, and the proxy's module
//! carries no client.
mod bindings;
#[cfg(not(feature = "proxy-entry"))]
mod catalog;
#[cfg(not(feature = "proxy-entry"))]
mod client;
mod errors;
#[cfg(feature = "proxy-entry")]
mod proxy;
mod transport;
#[cfg(not(feature = "proxy-entry"))]
mod watch;

#[cfg(not(feature = "proxy-entry"))]
pub use catalog::ServiceCatalog;
#[cfg(not(feature = "proxy-entry"))]
pub use client::{order_type_of, CallOptionsArg, SmmClient, WatchOptionsArg};
