//! Browser suite: the SDK (the JS driver over the core compiled to wasm), in each browser engine, over real HTTP to panel
//! simulators that scripts/test.sh starts on 127.0.0.1 (their URLs arrive at compile time).
#![cfg(target_arch = "wasm32")]

mod actions;
mod faults;
mod order_types;
mod sdk;
mod support;
mod validation;
mod watch;

// Linked for its exports (the core's `smm_*` functions, see build.rs), which the driver calls:
// nothing here names the library, and a crate nothing names is not linked.
extern crate smm_panel_sdk;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
