//! Reading one field of a panel's answer leniently (numbers or strings, flags in any spelling,
//! money kept as exact decimal text), with the message that names the field when it cannot be.

use std::borrow::Cow;
use std::fmt::Display;

use crate::json::{write_str, Kind, Scalar};
use crate::num::{int_from_text, money_from_number, money_from_string, IntError};
use crate::text::{outside, truncate};

/// Longest piece of a bad value quoted back in a message.
pub const DESCRIBE_MAX: usize = 40;

/// A short description of any value (for a panel's values as well as JavaScript's).
pub fn describe_scalar<'a, S: Scalar<'a>>(v: Option<S>) -> String {
    let Some(v) = v else { return "undefined".to_owned() };
    match v.kind() {
        Kind::Null => "null".to_owned(),
        Kind::Bool => if v.as_bool() == Some(true) { "true" } else { "false" }.to_owned(),
        // The value itself is outside text (crate::text::OUTSIDE_START): the key is removed
        // from it if someone sent the key back.
        Kind::Num => outside(&truncate(v.num_text().unwrap_or(""), DESCRIBE_MAX)),
        Kind::Str => {
            let s = v.str().unwrap_or_default();
            let mut quoted = String::new();
            write_str(&mut quoted, &truncate(&s, DESCRIBE_MAX));
            outside(&quoted)
        }
        Kind::Arr => "an array".to_owned(),
        Kind::Obj => "an object".to_owned(),
    }
}

/// `s`, trimmed, is one of `words` (ASCII case ignored), without allocating.
pub fn word_in(s: &str, words: &[&str]) -> bool {
    let t = s.trim();
    words.iter().any(|w| t.eq_ignore_ascii_case(w))
}

pub fn got<'a, S: Scalar<'a>>(v: Option<S>) -> String {
    match v {
        None => "nothing".to_owned(),
        some => describe_scalar(some),
    }
}

pub fn int_text<'a, S: Scalar<'a>>(v: S) -> Option<Cow<'a, str>> {
    match v.kind() {
        Kind::Num => v.num_text().map(Cow::Borrowed),
        Kind::Str => v.str().map(|s| match s {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
            Cow::Owned(o) => Cow::Owned(o.trim().to_owned()),
        }),
        _ => None,
    }
}

/// A whole number sent as a number or a string.
pub fn int_value<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<i64, String> {
    let t = v.and_then(int_text);
    match t.as_deref().map(int_from_text) {
        Some(Ok(n)) => Ok(n),
        Some(Err(IntError::Unsafe)) => Err(format!("{name} is too large for JavaScript (got {})", got(v))),
        _ => Err(format!("{name} must be a whole number (got {})", got(v))),
    }
}

pub fn id_value<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<u64, String> {
    match int_value(v, name) {
        Ok(n) if n >= 1 => Ok(n as u64),
        Ok(_) => Err(format!("{name} must be a positive ID (got {})", got(v))),
        Err(e) => Err(e),
    }
}

/// Money: a string must already be a plain decimal and is kept as written; a number is written
/// as its shortest exact decimal.
pub fn money<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<Cow<'a, str>, String> {
    let bad = || format!("{name} must be a decimal amount (got {})", got(v));
    let Some(val) = v else { return Err(bad()) };
    match val.kind() {
        Kind::Num => val.num_text().and_then(money_from_number).ok_or_else(bad),
        Kind::Str => match val.str() {
            Some(Cow::Borrowed(s)) => money_from_string(s).map(Cow::Borrowed).ok_or_else(bad),
            Some(Cow::Owned(s)) => money_from_string(&s).map(|m| Cow::Owned(m.to_owned())).ok_or_else(bad),
            None => Err(bad()),
        },
        _ => Err(bad()),
    }
}

/// true/false, 1/0, "1"/"0", "true"/"false", "yes"/"no"; None when absent or null.
pub fn flag<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<Option<bool>, String> {
    let Some(val) = v else { return Ok(None) };
    let word = match val.kind() {
        Kind::Null => return Ok(None),
        Kind::Bool => return Ok(val.as_bool()),
        Kind::Num => val.num_text().map(Cow::Borrowed),
        Kind::Str => val.str(),
        _ => None,
    };
    match word.as_deref() {
        Some(w) if word_in(w, &["1", "true", "yes", "on"]) => Ok(Some(true)),
        Some(w) if word_in(w, &["0", "false", "no", "off", ""]) => Ok(Some(false)),
        _ => Err(format!("{name} must be a flag like true, 1 or \"0\" (got {})", got(v))),
    }
}
