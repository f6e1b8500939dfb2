//! What every browser test needs: the simulators, accounts, a client, and assertions on
//! answers, errors and the simulator's request journal.
pub use crate::sdk::SmmClient;
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export async function simControl(url, method, body) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
export function uniqueKey() {
  return `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
export function stringify(value) {
  return JSON.stringify(value);
}
export function parse(text) {
  return JSON.parse(text);
}
// A fetch that counts what the SDK itself sends, so a browser-level resend (Chromium retries a
// request once on a fresh connection when a reused one closes without answering) is not
// mistaken for an SDK retry.
export function countingFetch() {
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0, urls: [], bodies: [] };
  const fetchFn = async (url, init) => {
    stats.calls += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    stats.urls.push(String(url));
    stats.bodies.push(String(init && init.body));
    try {
      return await fetch(url, init);
    } finally {
      stats.inFlight -= 1;
    }
  };
  return { fetch: fetchFn, stats };
}
export function abortedSignal() {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
}
export function abortAfter(ms) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}
export function collector() {
  const seen = [];
  return [seen, (value) => seen.push(value)];
}
export function sleepMs(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
export function errorSnapshot(error) {
  return {
    isSmmError: error instanceof Error && error.name === "SmmError",
    isError: error instanceof Error,
    message: error && error.message,
    code: error && error.code,
    delivery: error && error.delivery,
    action: error && error.action,
    field: error && error.field,
    status: error && error.status,
    apiMessage: error && error.apiMessage,
    everything: JSON.stringify({ ...error, message: error && error.message, stack: error && error.stack }),
  };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = simControl, catch)]
    async fn sim_control(url: &str, method: &str, body: Option<String>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = uniqueKey)]
    fn unique_key() -> String;
    pub fn stringify(value: &JsValue) -> String;
    pub fn parse(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = countingFetch)]
    fn counting_fetch() -> JsValue;
    #[wasm_bindgen(js_name = abortedSignal)]
    pub fn aborted_signal() -> JsValue;
    #[wasm_bindgen(js_name = abortAfter)]
    pub fn abort_after(ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = collector)]
    fn collector_pair() -> js_sys::Array;
    #[wasm_bindgen(js_name = sleepMs)]
    fn sleep_ms_promise(ms: u32) -> Promise;
    #[wasm_bindgen(js_name = errorSnapshot)]
    fn error_snapshot(error: &JsValue) -> JsValue;
}

/// A simulator started by scripts/test.sh; its URL is compiled in.
#[derive(Clone, Copy, Debug)]
pub struct Sim {
    pub dialect: &'static str,
    pub api_url: &'static str,
}

fn sim(dialect: &'static str, url: Option<&'static str>) -> Sim {
    Sim { dialect, api_url: url.expect("run through scripts/test.sh: it starts the simulators and sets SMM_SIM_*") }
}

/// One simulator per dialect (all with the control API, CORS on, the clock frozen).
pub fn dialects() -> [Sim; 4] {
    [
        sim("perfect", option_env!("SMM_SIM_PERFECT")),
        sim("seed", option_env!("SMM_SIM_SEED")),
        sim("smartpanel", option_env!("SMM_SIM_SMARTPANEL")),
        sim("laravel", option_env!("SMM_SIM_LARAVEL")),
    ]
}

pub fn perfect() -> Sim {
    sim("perfect", option_env!("SMM_SIM_PERFECT"))
}

/// A simulator with CORS off, like a real panel: the browser sends, then hides the answer.
pub fn no_cors() -> Sim {
    sim("perfect-no-cors", option_env!("SMM_SIM_NOCORS"))
}

impl Sim {
    fn control_url(&self, path: &str) -> String {
        let origin = self.api_url.trim_end_matches("/api/v2");
        format!("{origin}/__sim/{path}")
    }

    pub async fn control(&self, method: &str, path: &str, body: Option<&str>) -> JsValue {
        sim_control(&self.control_url(path), method, body.map(str::to_owned))
            .await
            .unwrap_or_else(|e| panic!("simulator control {method} {path} failed: {}", stringify(&e)))
    }

    /// A fresh account: every test uses its own key, so its journal and faults are its own.
    pub async fn account(&self, balance: &str) -> String {
        let key = unique_key();
        self.control("POST", "accounts", Some(&format!(r#"{{"key":"{key}","balance":"{balance}"}}"#))).await;
        key
    }

    pub async fn fault(&self, rule: &str) {
        self.control("POST", "faults", Some(rule)).await;
    }

    pub async fn advance_clock(&self, seconds: u32) {
        self.control("POST", "clock", Some(&format!(r#"{{"advance_seconds":{seconds}}}"#))).await;
    }

    /// Every API request this key made, as the simulator received it.
    pub async fn journal(&self, key: &str) -> Vec<JsValue> {
        let entries = self.control("GET", &format!("journal?key={key}"), None).await;
        Array::from(&entries).iter().collect()
    }

    pub async fn journal_of(&self, key: &str, action: &str) -> Vec<JsValue> {
        let entries = self.control("GET", &format!("journal?key={key}&action={action}"), None).await;
        Array::from(&entries).iter().collect()
    }

    pub fn client(&self, key: &str) -> SmmClient {
        self.client_with(key, "{}")
    }

    /// A client whose options are `{apiUrl, key}` merged with `extra` (JSON).
    pub fn client_with(&self, key: &str, extra: &str) -> SmmClient {
        let options = parse(extra);
        set(&options, "apiUrl", &self.api_url.into());
        set(&options, "key", &key.into());
        SmmClient::new(options).unwrap_or_else(|e| panic!("client options refused: {}", stringify(&error_snapshot(&e))))
    }

    /// A client whose every fetch goes through a counter; returns the client and the counter.
    pub fn counted_client(&self, key: &str, extra: &str) -> (SmmClient, JsValue) {
        let counting = counting_fetch();
        let options = parse(extra);
        set(&options, "apiUrl", &self.api_url.into());
        set(&options, "key", &key.into());
        set(&options, "fetch", &get(&counting, "fetch"));
        let client = SmmClient::new(options).unwrap_or_else(|e| panic!("client options refused: {}", stringify(&e)));
        (client, get(&counting, "stats"))
    }
}

pub fn set(target: &JsValue, name: &str, value: &JsValue) {
    Reflect::set(target, &JsValue::from_str(name), value).expect("setting a property");
}

pub fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(target: &JsValue, name: &str) -> Option<String> {
    get(target, name).as_string()
}

pub fn get_f64(target: &JsValue, name: &str) -> Option<f64> {
    get(target, name).as_f64()
}

pub fn object() -> JsValue {
    Object::new().into()
}

/// Resolves the SDK's promise, failing the test with the SDK error's fields when it rejects.
pub async fn ok(promise: Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(value) => value,
        Err(error) => panic!("expected success, got {}", stringify(&error_snapshot(&error))),
    }
}

/// An SDK rejection, with its fields read out. Every error is checked for being a real
/// `SmmError` and for not carrying the key anywhere.
#[derive(Debug)]
pub struct Rejection {
    pub code: String,
    pub delivery: String,
    pub action: Option<String>,
    pub field: Option<String>,
    pub status: Option<f64>,
    pub api_message: Option<String>,
    pub message: String,
}

pub async fn rejected(promise: Promise, key: &str) -> Rejection {
    match JsFuture::from(promise).await {
        Ok(value) => panic!("expected a rejection, got {}", stringify(&value)),
        Err(error) => rejection(&error, key),
    }
}

pub fn rejection(error: &JsValue, key: &str) -> Rejection {
    let snapshot = error_snapshot(error);
    assert_eq!(get(&snapshot, "isSmmError").as_bool(), Some(true), "not an SmmError: {}", stringify(&snapshot));
    assert_eq!(get(&snapshot, "isError").as_bool(), Some(true), "not an Error subclass");
    let everything = get_str(&snapshot, "everything").unwrap_or_default();
    assert!(!key.is_empty() && !everything.contains(key), "the API key leaked into an error: {everything}");
    Rejection {
        code: get_str(&snapshot, "code").unwrap_or_default(),
        delivery: get_str(&snapshot, "delivery").unwrap_or_default(),
        action: get_str(&snapshot, "action"),
        field: get_str(&snapshot, "field"),
        status: get_f64(&snapshot, "status"),
        api_message: get_str(&snapshot, "apiMessage"),
        message: get_str(&snapshot, "message").unwrap_or_default(),
    }
}

/// Asserts `value` serialises to exactly `expected` (compact JSON, contract field order).
pub fn assert_json(value: &JsValue, expected: &str, context: &str) {
    let expected = stringify(&parse(expected));
    assert_eq!(stringify(value), expected, "{context}");
}

/// The body fields of a journal entry as (name, value) pairs, key masked by the simulator.
pub fn body_fields(entry: &JsValue) -> Vec<(String, String)> {
    Array::from(&get(entry, "body"))
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default())
        })
        .collect()
}

/// Body fields without the (masked) key, for comparing against what the SDK should send.
pub fn fields_after_key(entry: &JsValue) -> Vec<(String, String)> {
    let fields = body_fields(entry);
    assert_eq!(fields.first().map(|(name, _)| name.as_str()), Some("key"), "key is the first field");
    fields.into_iter().skip(1).collect()
}

pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

pub fn stat(stats: &JsValue, name: &str) -> f64 {
    get_f64(stats, name).unwrap_or(f64::NAN)
}

pub fn id_of(value: &JsValue, name: &str) -> u64 {
    get_f64(value, name).unwrap_or_else(|| panic!("{name} missing in {}", stringify(value))) as u64
}

/// `await iterator.next()` of a JS async iterator: `Some(value)`, or `None` when it is done.
pub async fn next_of(iterator: &JsValue) -> Result<Option<JsValue>, JsValue> {
    let next: js_sys::Function = get(iterator, "next").into();
    let step = JsFuture::from(Promise::resolve(&next.call0(iterator)?)).await?;
    Ok(if get(&step, "done").as_bool() == Some(true) { None } else { Some(get(&step, "value")) })
}

/// An array and a function that pushes its argument onto it (for callbacks).
pub fn collector() -> (JsValue, JsValue) {
    let pair = collector_pair();
    (pair.get(0), pair.get(1))
}

pub async fn sleep_ms(ms: u32) {
    let _ = JsFuture::from(sleep_ms_promise(ms)).await;
}

/// Calls `target[name](...args)` as JavaScript would; Err is what it threw.
pub fn invoke(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = get(target, name).dyn_into().unwrap_or_else(|_| panic!("{name} is not a method"));
    function.apply(target, &args.iter().collect::<Array>())
}
