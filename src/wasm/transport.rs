//! One HTTP exchange with the panel through `fetch`: form POST, no custom headers (a CORS simple
//! request), redirects not followed, a timeout, the caller's AbortSignal, a capped body.
use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit, RequestRedirect};

use crate::core::action::Action;
use crate::core::error::SmmError;

use super::bindings::{clear_timeout, set_timeout};

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

/// Why an in-flight exchange stopped early; decides timeout vs aborted vs network.
struct Stop {
    timed_out: Rc<Cell<bool>>,
    signal: Option<AbortSignal>,
}

impl Stop {
    fn failure(&self, action: Action, timeout_ms: u32) -> SmmError {
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            SmmError::aborted(action, true)
        } else if self.timed_out.get() {
            SmmError::timeout(action, timeout_ms)
        } else {
            // A rejected fetch looks the same whether the connection failed before sending, was
            // reset after the panel acted, or the browser hid a CORS answer: delivery unknown.
            SmmError::network(action)
        }
    }
}

pub async fn exchange(x: Exchange<'_>) -> Result<Answer, SmmError> {
    let action = x.action;
    if x.signal.is_some_and(AbortSignal::aborted) {
        return Err(SmmError::aborted(action, false));
    }
    let controller = AbortController::new().map_err(|_| SmmError::network(action))?;
    let stop = Stop { timed_out: Rc::new(Cell::new(false)), signal: x.signal.cloned() };

    // Both callbacks are dropped (and so freed) when this function returns, after the timer is
    // cleared and the listener removed, so no closure outlives the exchange.
    let on_timeout = {
        let controller = controller.clone();
        let timed_out = stop.timed_out.clone();
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let on_caller_abort = {
        let controller = controller.clone();
        Closure::<dyn FnMut()>::new(move || controller.abort())
    };
    let timer = set_timeout(
        on_timeout.as_ref().unchecked_ref(),
        i32::try_from(x.timeout_ms).unwrap_or(i32::MAX),
    );
    if let Some(signal) = x.signal {
        // An AbortSignal that cannot take listeners is refused earlier, in options parsing.
        let _ = signal.add_event_listener_with_callback("abort", on_caller_abort.as_ref().unchecked_ref());
    }

    let result = fetch_and_read(&x, &controller, &stop).await;

    clear_timeout(&timer);
    if let Some(signal) = x.signal {
        let _ = signal.remove_event_listener_with_callback("abort", on_caller_abort.as_ref().unchecked_ref());
    }
    drop(on_timeout);
    drop(on_caller_abort);
    result
}

async fn fetch_and_read(x: &Exchange<'_>, controller: &AbortController, stop: &Stop) -> Result<Answer, SmmError> {
    let action = x.action;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&x.form_body));
    // content-type with this value is CORS-safelisted: the request stays "simple" (no preflight).
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"content-type".into(), &"application/x-www-form-urlencoded".into());
    init.set_headers(&headers);
    // The key travels in the body; a followed 307/308 would re-send it to wherever Location points.
    init.set_redirect(RequestRedirect::Manual);
    init.set_signal(Some(&controller.signal()));

    let started = x
        .fetch
        .call2(&js_sys::global(), &JsValue::from_str(x.url), &init)
        .map_err(|_| stop.failure(action, x.timeout_ms))?;
    let response = JsFuture::from(Promise::resolve(&started))
        .await
        .map_err(|_| stop.failure(action, x.timeout_ms))?;

    let status = get(&response, "status").as_f64().map_or(0, |s| s as u16);
    let kind = get(&response, "type").as_string().unwrap_or_default();
    if kind == "opaqueredirect" || (300..400).contains(&status) {
        controller.abort();
        return Err(SmmError::redirected(action, status));
    }
    let retry_after = header(&response, "retry-after");
    let length = header(&response, "content-length").and_then(|v| v.trim().parse::<usize>().ok());
    if length.is_some_and(|length| length > x.max_body_bytes) {
        controller.abort();
        return Err(SmmError::too_large(action, status, x.max_body_bytes));
    }
    let body = read_body(&response, x.max_body_bytes, length.unwrap_or(0))
        .await
        .map_err(|failure| match failure {
            ReadFailure::TooLarge => {
                controller.abort();
                SmmError::too_large(action, status, x.max_body_bytes)
            }
            ReadFailure::Stream => stop.failure(action, x.timeout_ms),
        })?;
    Ok(Answer { status, retry_after, body })
}

enum ReadFailure {
    TooLarge,
    Stream,
}

/// Streams the body into wasm memory so an endless or huge answer is cut at the cap instead of
/// being buffered whole; falls back to `arrayBuffer()` for fetch implementations without streams.
/// `expected` (the Content-Length, when given) sizes the buffer once instead of growing it.
async fn read_body(response: &JsValue, limit: usize, expected: usize) -> Result<Vec<u8>, ReadFailure> {
    let body = get(response, "body");
    let get_reader = get(&body, "getReader").dyn_into::<Function>();
    let Ok(get_reader) = get_reader else {
        let buffer = call_method(response, "arrayBuffer").await?;
        let bytes = Uint8Array::new(&buffer);
        if bytes.length() as usize > limit {
            return Err(ReadFailure::TooLarge);
        }
        return Ok(bytes.to_vec());
    };
    let reader = get_reader.call0(&body).map_err(|_| ReadFailure::Stream)?;
    let mut out = Vec::with_capacity(expected.min(limit));
    loop {
        let step = call_method(&reader, "read").await?;
        if get(&step, "done").as_bool().unwrap_or(true) {
            return Ok(out);
        }
        let chunk: Uint8Array = get(&step, "value").unchecked_into();
        let start = out.len();
        let len = chunk.length() as usize;
        if start + len > limit {
            let _ = call_method(&reader, "cancel");
            return Err(ReadFailure::TooLarge);
        }
        out.resize(start + len, 0);
        chunk.copy_to(&mut out[start..]);
    }
}

async fn call_method(target: &JsValue, name: &str) -> Result<JsValue, ReadFailure> {
    let method = get(target, name).dyn_into::<Function>().map_err(|_| ReadFailure::Stream)?;
    let promise = method.call0(target).map_err(|_| ReadFailure::Stream)?;
    JsFuture::from(Promise::resolve(&promise)).await.map_err(|_| ReadFailure::Stream)
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn header(response: &JsValue, name: &str) -> Option<String> {
    let headers = get(response, "headers");
    let getter = get(&headers, "get").dyn_into::<Function>().ok()?;
    getter.call1(&headers, &JsValue::from_str(name)).ok()?.as_string()
}
