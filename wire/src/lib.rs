//! The text-level half of decoding, split from the SDK crate for one reason: the release profile
//! builds this crate for speed (`opt-level = 3`) and the rest for size (`"z"`). Decoding a
//! services list of 20,000 entries (4 MB) is the one place where the SDK's speed is measured
//! against `JSON.parse`; built at `"z"` with the rest, the whole decode was ~20 % slower end to
//! end in Node (bench/findings.md).
//! Nothing here knows about the SDK's errors, models or JavaScript.

pub mod fields;
pub mod json;
pub mod num;
pub mod services;
pub mod text;
