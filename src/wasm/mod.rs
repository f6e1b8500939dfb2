//! The JavaScript adapter: `#[wasm_bindgen]` exports, fetch, and the JS error class. Every
//! decision (validation, encoding, decoding, retry and batch policy) is the core's; this layer
//! moves bytes and promises between the core and the JS runtime.
mod bindings;
mod catalog;
mod client;
mod errors;
mod proxy;
mod transport;
mod watch;

pub use catalog::ServiceCatalog;
pub use client::{order_type_of, CallOptionsArg, SmmClient, WatchOptionsArg};
