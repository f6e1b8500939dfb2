//! The one place where a core `SmmError` becomes a JavaScript `SmmError` instance.
use wasm_bindgen::prelude::*;

use crate::core::error::SmmError;

use super::bindings::{new_smm_error, smm_errors};

/// `{ SmmError, isSmmError }`, re-exported by the package's entry modules (both builds).
#[wasm_bindgen(js_name = smmErrors, skip_typescript)]
pub fn smm_errors_export() -> JsValue {
    smm_errors()
}

/// Converts after removing the key from every text the error carries, so no thrown object can
/// leak it, whatever a panel chose to echo back.
pub fn to_js_error(error: SmmError, key: Option<&str>) -> JsValue {
    let error = error.redacted(key);
    new_smm_error(
        &error.message(),
        error.code().as_str(),
        error.delivery().as_str(),
        error.action().map(str::to_owned),
        error.field().map(str::to_owned),
        error.status(),
        error.api_message().map(str::to_owned),
        // Our own JSON (see `BatchPlan::finish`); were it unreadable, the error goes without it.
        &error.results().and_then(|json| js_sys::JSON::parse(&json).ok()).unwrap_or(JsValue::UNDEFINED),
    )
}
