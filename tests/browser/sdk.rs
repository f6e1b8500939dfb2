//! The SDK as a page sees it: the JavaScript driver (src/wasm/driver.js) over the core's exports,
//! which this test module carries itself (the library is linked into it). Every test goes through
//! here, so the suite tests the driver and the core together, as the package ships them.
use std::sync::Once;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/driver.js")]
extern "C" {
    fn install(exports: JsValue);
    #[wasm_bindgen(js_name = orderTypeOf)]
    fn order_type_of_js(service: &JsValue) -> JsValue;

    pub type SmmClient;
    #[wasm_bindgen(constructor, catch)]
    fn construct(options: JsValue) -> Result<SmmClient, JsValue>;

    #[wasm_bindgen(method)]
    pub fn services(this: &SmmClient, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method)]
    pub fn balance(this: &SmmClient, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = addOrder)]
    pub fn add_order(this: &SmmClient, order: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = orderStatus)]
    pub fn order_status(this: &SmmClient, id: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = orderStatusMany)]
    pub fn order_status_many(this: &SmmClient, ids: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = dripfeedStatus)]
    pub fn dripfeed_status(this: &SmmClient, id: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = dripfeedStatusMany)]
    pub fn dripfeed_status_many(this: &SmmClient, ids: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method)]
    pub fn refill(this: &SmmClient, id: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = refillMany)]
    pub fn refill_many(this: &SmmClient, ids: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = refillStatus)]
    pub fn refill_status(this: &SmmClient, id: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = refillStatusMany)]
    pub fn refill_status_many(this: &SmmClient, ids: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method)]
    pub fn cancel(this: &SmmClient, id: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, js_name = cancelMany)]
    pub fn cancel_many(this: &SmmClient, ids: JsValue, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method)]
    pub fn catalog(this: &SmmClient, options: Option<JsValue>) -> Promise;
    #[wasm_bindgen(method, catch, js_name = watchOrders)]
    pub fn watch_orders(this: &SmmClient, orders: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue>;
}

static INSTALLED: Once = Once::new();

/// The driver gets this module's exports (the core's `smm_*` functions and its memory) once.
fn installed() {
    INSTALLED.call_once(|| install(wasm_bindgen::exports()));
}

impl SmmClient {
    /// `new SmmClient(options)`: throws (here: `Err`) the SmmError for bad options.
    pub fn new(options: JsValue) -> Result<SmmClient, JsValue> {
        installed();
        SmmClient::construct(options)
    }
}

/// `orderTypeOf(service)`.
pub fn order_type_of(service: &JsValue) -> JsValue {
    installed();
    order_type_of_js(service)
}
