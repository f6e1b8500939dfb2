//! The JavaScript adapter: `#[wasm_bindgen]` exports, fetch, and the JS error class. Every
//! decision (validation, encoding, decoding, retry and batch policy) is the core's; this layer
//! moves bytes and promises between the core and the JS runtime.
mod bindings;
mod client;
mod errors;
mod transport;

pub use client::{CallOptionsArg, SmmClient};
