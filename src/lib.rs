//! smm-panel-sdk: a typed, safe client for the SMM panel API v2.
//!
//! `core` is pure Rust (validation, form encoding, lenient decoding, retry and batch policy) and
//! is tested natively; `wasm` only adapts it to JavaScript (exports, fetch, the JS error class).
pub mod core;

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(target_arch = "wasm32")]
pub use wasm::{order_type_of, CallOptionsArg, ServiceCatalog, SmmClient, WatchOptionsArg};
