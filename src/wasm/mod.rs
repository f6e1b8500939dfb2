//! The JavaScript boundary, one module per entry of the package:
//! - the client (the main entry: every call, catalog, watch): `exports`, synchronous functions
//!   over the module's memory (`memory`) that the hand-written driver (driver.js) calls. The
//!   driver does the IO and the waiting; the core decides everything.
//! - `createProxy` (the `smm-panel-sdk/proxy` entry, built with the `proxy-entry` feature): an
//!   async handler through wasm-bindgen. Browsers never download it, and it carries no client.
#[cfg(feature = "proxy-entry")]
mod bindings;
#[cfg(feature = "proxy-entry")]
mod errors;
#[cfg(not(feature = "proxy-entry"))]
mod exports;
#[cfg(not(feature = "proxy-entry"))]
mod memory;
#[cfg(feature = "proxy-entry")]
mod proxy;
#[cfg(feature = "proxy-entry")]
mod transport;
