//! `ServiceCatalog`: the core catalog plus the JS `Service` objects it indexes.
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::core::catalog::Catalog;

use super::bindings::to_wire_json;
use super::errors::to_js_error;

pub(super) struct CatalogData {
    pub core: Catalog,
    /// The same objects `services()` resolves to, in panel order.
    pub services: Array,
    pub fetched_at_ms: f64,
}

/// The panel's services with lookup, search, order checks and exact charge estimates. Get one
/// with `client.catalog()`; it is cached per client for `maxAgeMs`.
#[wasm_bindgen]
pub struct ServiceCatalog {
    data: Rc<CatalogData>,
}

impl ServiceCatalog {
    pub(super) fn new(data: Rc<CatalogData>) -> ServiceCatalog {
        ServiceCatalog { data }
    }
}

#[wasm_bindgen]
impl ServiceCatalog {
    /// Every service, in the panel's order.
    #[wasm_bindgen(getter, unchecked_return_type = "Service[]")]
    pub fn services(&self) -> Array {
        self.data.services.clone()
    }

    /// When this catalog was fetched (milliseconds since the epoch).
    #[wasm_bindgen(getter, js_name = fetchedAt)]
    pub fn fetched_at(&self) -> f64 {
        self.data.fetched_at_ms
    }

    /// The service with this ID, or undefined.
    #[wasm_bindgen(unchecked_return_type = "Service | undefined")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> JsValue {
        id.as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n <= 9_007_199_254_740_991.0)
            .and_then(|n| self.data.core.position(n as u64))
            .map_or(JsValue::UNDEFINED, |i| self.data.services.get(i as u32))
    }

    /// The categories, in the panel's order.
    pub fn categories(&self) -> Vec<String> {
        self.data.core.categories().into_iter().map(str::to_owned).collect()
    }

    /// The panel-spelled service types, in the panel's order (see `orderTypeOf`).
    pub fn types(&self) -> Vec<String> {
        self.data.core.types().into_iter().map(str::to_owned).collect()
    }

    /// Services whose name, category or type contain every word of `query`, case-insensitive.
    #[wasm_bindgen(unchecked_return_type = "Service[]")]
    pub fn search(&self, #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue) -> Array {
        let query = query.as_string().unwrap_or_default();
        self.data.core.search(&query).into_iter().map(|i| self.data.services.get(i as u32)).collect()
    }

    /// Throws `SmmError` (`invalid_request`, with `field`) unless `order` would be accepted by
    /// `addOrder` and fits its service (type, min/max, drip-feed). Sends nothing.
    pub fn validate(&self, #[wasm_bindgen(unchecked_param_type = "NewOrder")] order: JsValue) -> Result<(), JsValue> {
        self.data.core.validate(to_wire_json(&order).as_deref()).map(|_| ()).map_err(|e| to_js_error(e, None))
    }

    /// The exact charge of `order` as a decimal string (e.g. "0.09000"); throws like `validate`.
    #[wasm_bindgen(js_name = estimateCharge)]
    pub fn estimate_charge(&self, #[wasm_bindgen(unchecked_param_type = "NewOrder")] order: JsValue) -> Result<String, JsValue> {
        self.data.core.estimate_charge(to_wire_json(&order).as_deref()).map_err(|e| to_js_error(e, None))
    }
}
