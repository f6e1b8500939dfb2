//! Checking values that came from JavaScript (as JSON text) before anything is sent.

use crate::core::error::{truncate, SmmError};
use crate::core::json::{Doc, Kind, V};
use crate::core::num::{int_from_text, IntError};
pub(crate) use smm_panel_wire::fields::{describe_scalar, DESCRIBE_MAX};

/// The object the driver's JSON replacer (src/wasm/driver.js) puts where JSON has no spelling for a value (NaN,
/// ±Infinity, BigInt, functions, symbols); its value is `String(x)`.
pub(crate) const UNREPRESENTABLE: &str = "__smm_unrepresentable";

/// Parses the JSON text the driver made of a JavaScript value; `None` is `undefined`.
pub(crate) fn parse_js<'a>(json: Option<&'a str>, field: &str) -> Result<Option<Doc<'a>>, SmmError> {
    match json {
        None => Ok(None),
        Some(text) => Doc::parse(text)
            .map(Some)
            .map_err(|e| SmmError::invalid(field, format!("{field} could not be read ({} at position {})", e.what, e.pos))),
    }
}

/// The `String(x)` of a value JSON cannot hold.
fn unrepresentable<'a>(v: V<'_, 'a>) -> Option<std::borrow::Cow<'a, str>> {
    if v.kind() != Kind::Obj || v.len() != 1 {
        return None;
    }
    v.get(UNREPRESENTABLE)?.str()
}

/// Whether an option that only JavaScript can hold (a function, an AbortSignal) is absent or of
/// the kind named: the driver's JSON replacer writes such a value as its tag (`"function"`,
/// `"AbortSignal"`), and only the core decides whether it is acceptable.
pub(crate) fn is_absent_or_js(v: Option<V<'_, '_>>, kind: &str) -> bool {
    match v {
        None => true,
        Some(v) if v.kind() == Kind::Null => true,
        Some(v) => unrepresentable(v).is_some_and(|tag| tag == kind),
    }
}

/// A short description of a JavaScript value for an error message: never a long string whole.
pub(crate) fn describe(v: Option<V<'_, '_>>) -> String {
    let Some(v) = v else { return "undefined".to_owned() };
    if let Some(s) = unrepresentable(v) {
        let s = s.trim();
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return format!("the BigInt {}n", smm_panel_wire::text::outside(&truncate(s, DESCRIBE_MAX)));
        }
        if s.starts_with("Symbol(") {
            return "a symbol".to_owned();
        }
        if matches!(s, "NaN" | "Infinity" | "-Infinity") {
            return s.to_owned();
        }
        if s == "Invalid Date" {
            return "an invalid Date".to_owned();
        }
        if s == "AbortSignal" {
            return "an AbortSignal".to_owned();
        }
        // The caller's own object that looked like one of these tags (the driver rewrites it).
        if s == "object" {
            return "an object".to_owned();
        }
        return "a function".to_owned();
    }
    describe_scalar(Some(v))
}

/// A positive whole number that JavaScript holds exactly (1 ..= 2^53 − 1): every ID, quantity,
/// run count and interval. `name` is what the message calls it (`orders[3]`).
pub(crate) fn positive_int(v: Option<V<'_, '_>>, name: &str) -> Result<u64, String> {
    positive_int_named(v, &|| name.to_owned())
}

/// `positive_int` for a name that costs an allocation to spell (`orders[3]`): it is only made
/// for the message, so checking 10,000 IDs written as plain digits allocates nothing.
pub(crate) fn positive_int_named(v: Option<V<'_, '_>>, name: &dyn Fn() -> String) -> Result<u64, String> {
    let parsed = v.and_then(|v| v.num_text()).map(int_from_text);
    let why = match parsed {
        Some(Ok(n)) if n >= 1 => return Ok(n.unsigned_abs()),
        Some(Err(IntError::Unsafe)) => format!("got {}, which is beyond Number.MAX_SAFE_INTEGER", describe(v)),
        _ => format!("got {}", describe(v)),
    };
    Err(format!("{} must be a positive whole number ({why})", name()))
}

/// A whole number in `min..=max` for an option.
pub(crate) fn int_in_range(v: V<'_, '_>, name: &str, min: u32, max: u32) -> Result<u32, String> {
    let n = v.num_text().and_then(|t| int_from_text(t).ok());
    match n {
        Some(n) if n >= i64::from(min) && n <= i64::from(max) => Ok(n as u32),
        _ => Err(format!("{name} must be a whole number from {min} to {max} (got {})", describe(Some(v)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The description as a reader sees it (outside text unmarked).
    fn d(json: &str) -> String {
        let doc = Doc::parse(json).unwrap();
        crate::core::redact::strip_outside(&describe(Some(doc.root())))
    }

    #[test]
    fn quoted_values_are_marked_as_outside_text() {
        let doc = Doc::parse("\"12\"").unwrap();
        assert_eq!(describe(Some(doc.root())), "\u{E000}\"12\"\u{E001}");
        let doc = Doc::parse("[]").unwrap();
        assert_eq!(describe(Some(doc.root())), "an array", "the SDK's own words are not marked");
    }

    #[test]
    fn describes_values_briefly() {
        assert_eq!(describe(None), "undefined");
        assert_eq!(d("null"), "null");
        assert_eq!(d("true"), "true");
        assert_eq!(d("1.5"), "1.5");
        assert_eq!(d("\"12\""), "\"12\"");
        assert_eq!(d("[]"), "an array");
        assert_eq!(d("{}"), "an object");
        assert_eq!(d(r#"{"__smm_unrepresentable":"NaN"}"#), "NaN");
        assert_eq!(d(r#"{"__smm_unrepresentable":"12"}"#), "the BigInt 12n");
        assert_eq!(d(r#"{"__smm_unrepresentable":"Symbol(x)"}"#), "a symbol");
        assert_eq!(d(r#"{"__smm_unrepresentable":"function f() {}"}"#), "a function");
        let long = format!("\"{}\"", "x".repeat(500));
        assert!(d(&long).chars().count() < 50);
    }
}
