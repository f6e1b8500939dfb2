//! The pure-Rust core: validation, form encoding, lenient decoding, batching and retry policy.
//! Nothing here knows about JavaScript; values from JS arrive as JSON text and results leave as
//! JSON text in the shapes of docs/CONTRACT.md "Models".

pub mod batch;
mod body;
pub mod call;
pub mod catalog;
pub mod config;
mod decode;
pub mod error;
mod form;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz_hooks;
pub mod job;
pub mod model;
pub mod order;
pub mod proxy;
mod redact;
pub mod request;
pub mod retry;
mod validate;
pub mod watch;

// The JSON reader/writer and number parsing live in their own crate (built for speed).
pub(crate) use smm_panel_wire::{json, num};

pub use batch::{plan, BatchPlan, CHUNK_SIZE};
pub use call::{Action, Call};
pub use config::{CallOptions, ClientConfig};
pub use error::{Delivery, ErrorCode, SmmError};
pub use request::{prepare, Prepared};
pub use retry::RetryPolicy;
