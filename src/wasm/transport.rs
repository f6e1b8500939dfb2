//! The proxy's HTTP exchange with the panel: driver.js `exchange` does the fetch (form POST, no custom
//! headers, redirects not followed, timeout, the caller's AbortSignal, a capped body) and reports
//! how it ended; this side turns that report into an `Answer` or the core's error.
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::core::call::Action;
use crate::core::error::SmmError;
use crate::core::job::Stop;

use super::bindings::exchange as fetch_exchange;

/// What the panel answered, before the core interprets it.
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

pub struct Exchange<'a> {
    pub fetch: &'a Function,
    pub url: &'a str,
    pub form_body: String,
    pub action: Action,
    pub timeout_ms: u32,
    pub signal: Option<&'a AbortSignal>,
    pub max_body_bytes: usize,
}

pub async fn exchange(x: Exchange<'_>) -> Result<Answer, SmmError> {
    let action = x.action;
    let stopped = |stop: Stop, status: u16| stop.error(action, status, x.timeout_ms, x.max_body_bytes);
    if x.signal.is_some_and(AbortSignal::aborted) {
        return Err(stopped(Stop::Before, 0));
    }
    let max = u32::try_from(x.max_body_bytes).unwrap_or(u32::MAX);
    let pending = fetch_exchange(x.fetch, x.url, &x.form_body, x.timeout_ms, x.signal, max);
    // `exchange` never rejects; a rejection would be a bug in the driver, reported as unknown.
    let report = JsFuture::from(pending).await.unwrap_or(JsValue::UNDEFINED);
    let status = get(&report, "status").as_f64().map_or(0, |s| s as u16);
    match get(&report, "stop").as_string() {
        None => match get(&report, "body").dyn_into::<Uint8Array>() {
            Ok(body) => Ok(Answer { status, retry_after: get(&report, "retryAfter").as_string(), body: body.to_vec() }),
            Err(_) => Err(stopped(Stop::Network, status)),
        },
        Some(stop) => Err(stopped(Stop::from_name(&stop), status)),
    }
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}
