//! Imports from JavaScript for the proxy's module: the driver's error class and HTTP exchange
//! (src/wasm/driver.js, folded in by scripts/inline-glue.mjs) and the runtime's globals.
use std::future::Future;
use std::pin::Pin;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/driver.js")]
extern "C" {
    #[wasm_bindgen(js_name = newSmmError)]
    pub fn new_smm_error(
        message: &str,
        code: &str,
        delivery: &str,
        action: Option<String>,
        field: Option<String>,
        status: Option<u16>,
        api_message: Option<String>,
        results: &JsValue,
    ) -> JsValue;

    /// `{ SmmError, isSmmError }`.
    #[wasm_bindgen(js_name = smmErrors)]
    pub fn smm_errors() -> JsValue;

    #[wasm_bindgen(js_name = toWireJson)]
    pub fn to_wire_json(value: &JsValue) -> Option<String>;

    /// One POST through `fetch`; resolves to `{ status, retryAfter, body }` or `{ stop, status }`.
    pub fn exchange(
        fetch: &Function,
        url: &str,
        form_body: &str,
        timeout_ms: u32,
        signal: Option<&web_sys::AbortSignal>,
        max_body_bytes: u32,
    ) -> Promise;

    /// A request's body read as a stream, stopped past `max_bytes` or after `timeout_ms`;
    /// resolves to `{ body }` or `{ stop }`.
    #[wasm_bindgen(js_name = readRequestBody)]
    pub fn read_request_body(request: &JsValue, max_bytes: u32, timeout_ms: u32) -> Promise;

    #[wasm_bindgen(js_name = proxyFunction)]
    pub fn proxy_function(handle: &JsValue) -> JsValue;
}

/// `globalThis.fetch`, looked up at call time so a polyfill installed after import still counts.
pub fn global_fetch() -> Option<Function> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch")).ok().and_then(|f| f.dyn_into::<Function>().ok())
}

/// A promise of an async block. Every caller shares one instantiation of the executor's
/// glue (the block is boxed): one per async block was ~1.5 KB of wasm each.
pub fn promise_of(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let boxed: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(boxed)
}
