//! `createProxy`: a Fetch-API handler, `(Request) => Promise<Response>`, for Node ≥ 20,
//! Worker-style runtimes and Deno. Every decision is the core `Proxy`'s; this reads the request,
//! calls the panel through `transport`, and builds the `Response`.
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::config::DEFAULT_TIMEOUT_MS;
use crate::core::error::SmmError;
use crate::core::job::MAX_BODY_BYTES;
use crate::core::proxy::{BodyLimits, BodyStop, Decision, Proxy};

use super::bindings::{global_fetch, promise_of, proxy_function, read_request_body, to_wire_json};
use super::errors::to_js_error;
use super::transport::{exchange, Exchange};

#[wasm_bindgen(typescript_custom_section)]
const PROXY_TYPES: &str = r#"
/** Options of `createProxy`. */
export interface ProxyOptions {
  /** The panel's API URL. */
  apiUrl: string;
  /** The panel's API key: added by the proxy, never sent to or seen by the browser. */
  key: string;
  /** Actions the proxy forwards. Default: the read-only ones (services, balance, status, refill_status). */
  allowedActions?: Array<import("./smm_panel_sdk.js").ActionName>;
  /** Origins whose pages may call the proxy cross-origin (exact, e.g. "https://shop.example"), or ["*"].
   * Same-origin pages and server-side callers need no entry. Default: none. */
  allowedOrigins?: string[];
  /** At most `requests` forwarded per `perMs` (all callers together); more get 429. */
  rateLimit?: { requests: number; perMs: number };
  /** The largest request body accepted, in bytes (default 65536). The body is read as it arrives
   * and reading stops at once past this (or when Content-Length says more): 413. */
  maxBodyBytes?: number;
  /** The most form fields a request may have (default 32; no action needs more than 13): more get 413. */
  maxFields?: number;
  /** The longest form field, name and value once decoded, in bytes (default 65536: a custom comments
   * list is one field and may fill the body). Longer gets 413. */
  maxFieldBytes?: number;
  /** The time a client may take to send its whole body, in milliseconds (default 10000): a slower
   * body gets 408, so a slow sender cannot hold the proxy. */
  bodyTimeoutMs?: number;
  /** Per-request timeout towards the panel in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Allow a plain http: panel URL that is not localhost. */
  allowHttp?: boolean;
  /** A fetch implementation for calling the panel instead of the global fetch. */
  fetch?: typeof fetch;
}
"#;

struct Handler {
    proxy: RefCell<Proxy>,
    fetch: Option<Function>,
    timeout_ms: u32,
}

/// Creates the handler. Throws `SmmError` (`invalid_request`) for bad options.
#[wasm_bindgen(js_name = createProxy, unchecked_return_type = "(request: Request) => Promise<Response>")]
pub fn create_proxy(#[wasm_bindgen(unchecked_param_type = "ProxyOptions")] options: JsValue) -> Result<JsValue, JsValue> {
    let options_json = to_wire_json(&options);
    let proxy = Proxy::new(options_json.as_deref()).map_err(|e| to_js_error(e, key_of(&options).as_deref()))?;
    let key = proxy.key().to_owned();
    let call_options = crate::core::config::CallOptions::from_json(options_json.as_deref()).map_err(|e| to_js_error(e, Some(&key)))?;
    let fetch = match Reflect::get(&options, &"fetch".into()).ok().filter(|f| !f.is_undefined() && !f.is_null()) {
        None => None,
        Some(f) => Some(
            f.dyn_into::<Function>().map_err(|_| to_js_error(SmmError::invalid("fetch", "fetch must be a function".into()), Some(&key)))?,
        ),
    };
    let handler = Rc::new(Handler { proxy: RefCell::new(proxy), fetch, timeout_ms: call_options.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS) });
    let handle = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |request: JsValue| {
        let handler = handler.clone();
        promise_of(async move { Ok(handler.handle(request).await) })
    });
    // The handler lives as long as the function the caller keeps: hand its ownership to JS.
    Ok(proxy_function(&handle.into_js_value()))
}

fn key_of(options: &JsValue) -> Option<String> {
    Reflect::get(options, &"key".into()).ok().and_then(|k| k.as_string())
}

impl Handler {
    async fn handle(&self, request: JsValue) -> JsValue {
        let method = get(&request, "method").as_string().unwrap_or_default();
        let url = get(&request, "url").as_string().unwrap_or_default();
        let origin = header(&request, "origin");
        let cors = self.proxy.borrow().cors_origin(origin.as_deref(), &url);
        let early = self.proxy.borrow().before_body(&method, origin.as_deref(), &url, header(&request, "content-length").as_deref());
        let decision = match early {
            Some(decision) => decision,
            None => {
                // Copied out: no borrow of the proxy may be held while the body arrives.
                let limits = self.proxy.borrow().body_limits();
                let body = read_body(&request, limits).await;
                match body {
                    Ok(body) => self.proxy.borrow_mut().decide(&method, origin.as_deref(), &url, &body, js_sys::Date::now()),
                    Err(stop) => self.proxy.borrow().body_stopped(stop),
                }
            }
        };
        let preflight = method.eq_ignore_ascii_case("OPTIONS");
        match decision {
            Decision::Respond { status, body, retry_after_s } => {
                response(status, body.into_bytes(), cors.as_deref(), retry_after_s.map(|s| s.to_string()), preflight)
            }
            Decision::Forward { action, form_body } => {
                let (api_url, fetch) = (self.proxy.borrow().api_url().to_owned(), self.fetch.clone().or_else(global_fetch));
                let Some(fetch) = fetch else {
                    return response(500, br#"{"error":"No fetch in this runtime"}"#.to_vec(), cors.as_deref(), None, false);
                };
                let answer = exchange(Exchange {
                    fetch: &fetch,
                    url: &api_url,
                    form_body,
                    action,
                    timeout_ms: self.timeout_ms,
                    signal: None,
                    // Answers larger than the client's own limit are not relayed either.
                    max_body_bytes: MAX_BODY_BYTES,
                })
                .await;
                match answer {
                    Ok(answer) => {
                        let body = self.proxy.borrow().relay_body(&answer.body);
                        let status = if (200..600).contains(&answer.status) { answer.status } else { 502 };
                        response(status, body, cors.as_deref(), answer.retry_after, false)
                    }
                    Err(failure) => match Proxy::upstream_failure(&failure) {
                        Decision::Respond { status, body, .. } => response(status, body.into_bytes(), cors.as_deref(), None, false),
                        Decision::Forward { .. } => response(502, Vec::new(), cors.as_deref(), None, false),
                    },
                }
            }
        }
    }
}

/// The whole request body, or why reading it stopped (too large, too slow, failed): the glue
/// reads it as a stream within the proxy's limits.
async fn read_body(request: &JsValue, limits: BodyLimits) -> Result<Vec<u8>, BodyStop> {
    let read =
        JsFuture::from(read_request_body(request, limits.max_body_bytes, limits.body_timeout_ms)).await.map_err(|_| BodyStop::Error)?;
    match get(&read, "stop").as_string().as_deref() {
        None => get(&read, "body").dyn_into::<Uint8Array>().map(|bytes| bytes.to_vec()).map_err(|_| BodyStop::Error),
        Some("too_large") => Err(BodyStop::TooLarge),
        Some("timeout") => Err(BodyStop::Timeout),
        Some(_) => Err(BodyStop::Error),
    }
}

/// A Fetch API `Response` with the proxy's headers: JSON, never cached, CORS only for an allowed
/// origin. Nothing of the panel's own headers is passed on.
fn response(status: u16, body: Vec<u8>, cors: Option<&str>, retry_after: Option<String>, preflight: bool) -> JsValue {
    let headers = Object::new();
    let set = |name: &str, value: &str| {
        let _ = Reflect::set(&headers, &JsValue::from_str(name), &JsValue::from_str(value));
    };
    set("cache-control", "no-store");
    if status != 204 {
        set("content-type", "application/json; charset=utf-8");
    }
    if let Some(origin) = cors {
        set("access-control-allow-origin", origin);
        set("vary", "Origin");
        if preflight {
            set("access-control-allow-methods", "POST, OPTIONS");
            set("access-control-allow-headers", "content-type");
            set("access-control-max-age", "600");
        }
    }
    if let Some(seconds) = retry_after {
        set("retry-after", &seconds);
        if cors.is_some() {
            set("access-control-expose-headers", "Retry-After");
        }
    }
    let init = Object::new();
    let _ = Reflect::set(&init, &"status".into(), &JsValue::from(status));
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    let body: JsValue = if status == 204 || body.is_empty() { JsValue::NULL } else { Uint8Array::from(body.as_slice()).into() };
    let constructor = get(&js_sys::global(), "Response");
    match constructor.dyn_into::<Function>() {
        Ok(constructor) => Reflect::construct(&constructor, &js_sys::Array::of2(&body, &init)).unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    }
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn header(request: &JsValue, name: &str) -> Option<String> {
    let headers = get(request, "headers");
    let getter = get(&headers, "get").dyn_into::<Function>().ok()?;
    getter.call1(&headers, &JsValue::from_str(name)).ok()?.as_string()
}
