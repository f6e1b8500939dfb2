//! Browser suite: the SDK compiled to wasm, in headless Chromium, over real HTTP to the panel
//! simulator that scripts/test.sh starts on 127.0.0.1 (its URL arrives at compile time).
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect};
use smm_panel_sdk::SmmClient;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SIM_URL: Option<&str> = option_env!("SMM_SIM_URL");

// Control-API calls made by the tests themselves (not by the SDK), so plain fetch is right here.
#[wasm_bindgen(inline_js = r#"
export async function simControl(url, method, body) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}
export function uniqueKey(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = simControl, catch)]
    async fn sim_control(url: &str, method: &str, body: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = uniqueKey)]
    fn unique_key(prefix: &str) -> String;
}

fn api_url() -> &'static str {
    SIM_URL.expect("run through scripts/test.sh: it starts the simulator and sets SMM_SIM_URL")
}

fn control_url(path: &str) -> String {
    let base = api_url().trim_end_matches("/api/v2");
    format!("{base}/__sim/{path}")
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(name), value).expect("setting a property on a fresh object");
    }
    object.into()
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).expect("reading a property")
}

async fn new_account(balance: &str) -> String {
    let key = unique_key("browser");
    sim_control(
        &control_url("accounts"),
        "POST",
        object(&[("key", key.clone().into()), ("balance", balance.into())]),
    )
    .await
    .expect("creating an account on the simulator");
    key
}

#[wasm_bindgen_test]
async fn balance_is_a_form_post_decoded_to_exact_money() {
    let key = new_account("12.34567").await;
    let client = SmmClient::new(object(&[("apiUrl", api_url().into()), ("key", key.clone().into())]))
        .expect("valid options");

    let answer = JsFuture::from(client.balance(None)).await.expect("balance resolves");

    assert_eq!(get(&answer, "balance").as_string().as_deref(), Some("12.34567"), "balance as an exact decimal string");
    assert_eq!(get(&answer, "currency").as_string().as_deref(), Some("USD"));

    let journal = sim_control(&control_url(&format!("journal?key={key}")), "GET", JsValue::UNDEFINED)
        .await
        .expect("reading the journal");
    let entries = js_sys::Array::from(&journal);
    assert_eq!(entries.length(), 1, "exactly one request reached the panel");
    let entry = entries.get(0);
    assert_eq!(get(&entry, "action").as_string().as_deref(), Some("balance"));
    assert_eq!(get(&entry, "method").as_string().as_deref(), Some("POST"));
    let content_type = get(&entry, "content_type").as_string().unwrap_or_default();
    assert!(content_type.starts_with("application/x-www-form-urlencoded"), "form body, got {content_type}");
}
