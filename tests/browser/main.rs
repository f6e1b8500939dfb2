//! Browser suite: the SDK compiled to wasm, in headless Chromium, over real HTTP to panel
//! simulators that scripts/test.sh starts on 127.0.0.1 (their URLs arrive at compile time).
#![cfg(target_arch = "wasm32")]

mod actions;
mod faults;
mod order_types;
mod support;
mod validation;
mod watch;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
