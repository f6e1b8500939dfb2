//! Entry points for the fuzz targets in `fuzz/`, compiled only with the `fuzzing` feature: the
//! decoders the public API reaches only behind another path. Not part of the SDK's surface.

use crate::core::body::body_text;
use crate::core::call::Action;
use crate::core::decode;
use crate::core::error::SmmError;
use crate::core::form;

/// The general (document) path of the services answer, which `Prepared::interpret` takes only
/// when the streaming reader declines.
pub fn services_general(http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<String, SmmError> {
    decode::interpret_with(Action::Services, http_status, retry_after, body, &mut decode::services)
}

/// The streaming reader as `Prepared::interpret` runs it on a 2xx answer: None where it declines.
pub fn services_streamed(body: &[u8]) -> Option<String> {
    let mut out = String::new();
    smm_panel_wire::services::services_stream(&body_text(body), &mut out).map(|()| out)
}

/// Appends `name=value` to a form body as the SDK encodes every request.
pub fn push_form_pair(out: &mut String, name: &str, value: &str) {
    form::push_pair(out, name, value);
}

/// A form body's (name, value) pairs as the proxy reads them.
pub fn decode_form(body: &[u8]) -> Vec<(String, String)> {
    form::decode_pairs(body)
}
