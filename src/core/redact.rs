//! Keeping the API key out of everything that reaches the caller. A panel may echo the key in an
//! error ("Invalid API key: …") or in an HTML error page; messages get logged.

use smm_panel_wire::text::{contains, replace_all};

use crate::core::form::encoded;
use crate::core::json::{write_str, Doc, Kind, V};

const MARK: &str = "[redacted]";

/// `text` with every appearance of `key` removed: as typed, form-urlencoded, and
/// percent-encoded as encodeURIComponent does (`%20` for space), in upper- and lower-case hex.
pub(crate) fn redact(text: &str, key: &str) -> String {
    if key.is_empty() {
        return text.to_owned();
    }
    let form = encoded(key);
    let pct = form.replace('+', "%20");
    let lower_form = lower_hex(&form);
    let lower_pct = lower_hex(&pct);
    let mut out = replace_all(text, key, MARK);
    for variant in [&form, &pct, &lower_form, &lower_pct] {
        if variant != key && contains(&out, variant) {
            out = replace_all(&out, variant, MARK);
        }
    }
    out
}

/// JSON text with `redact` applied to every string in it. Replacing in the text itself could
/// cut through its syntax (a key such as `1` or `"`), so the document is read and written again.
/// Text that does not parse is none of ours: it is dropped rather than risk passing the key on.
pub(crate) fn redact_json(json: &str, key: &str) -> String {
    let Ok(doc) = Doc::parse(json) else { return "null".to_owned() };
    let mut out = String::with_capacity(json.len());
    write_redacted(doc.root(), key, &mut out);
    out
}

fn write_redacted(v: V<'_, '_>, key: &str, out: &mut String) {
    match v.kind() {
        Kind::Null => out.push_str("null"),
        Kind::Bool => out.push_str(if v.as_bool() == Some(true) { "true" } else { "false" }),
        Kind::Num => out.push_str(v.num_text().unwrap_or("0")),
        Kind::Str => write_str(out, &redact(&v.str().unwrap_or_default(), key)),
        Kind::Arr => {
            out.push('[');
            for (i, item) in v.items().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_redacted(item, key, out);
            }
            out.push(']');
        }
        Kind::Obj => {
            out.push('{');
            for (i, (name, value)) in v.entries().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_redacted(name, key, out);
                out.push(':');
                write_redacted(value, key, out);
            }
            out.push('}');
        }
    }
}

/// Lower-cases the two hex digits after each `%`.
fn lower_hex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut after_pct = 0;
    for c in s.chars() {
        if c == '%' {
            after_pct = 2;
            out.push(c);
        } else if after_pct > 0 {
            after_pct -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_every_spelling() {
        let key = "ab c/d";
        let t = "raw ab c/d form ab+c%2Fd pct ab%20c%2Fd lower ab+c%2fd";
        let r = redact(t, key);
        assert_eq!(r, "raw [redacted] form [redacted] pct [redacted] lower [redacted]");
    }

    #[test]
    fn json_strings_are_redacted_and_the_syntax_kept() {
        let json = r#"[{"order":1,"error":"Invalid key 1\"x"},{"order":12,"orders":[1,21],"ok":true,"n":null}]"#;
        // A key that is also a digit and a quote: only the strings change.
        assert_eq!(redact_json(json, "1\"x"), r#"[{"order":1,"error":"Invalid key [redacted]"},{"order":12,"orders":[1,21],"ok":true,"n":null}]"#);
        assert_eq!(redact_json(json, "1"), r#"[{"order":1,"error":"Invalid key [redacted]\"x"},{"order":12,"orders":[1,21],"ok":true,"n":null}]"#);
        assert_eq!(redact_json("[1,", "k"), "null");
    }

    #[test]
    fn plain_hex_key() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(redact(&format!("Invalid API key {key}."), key), "Invalid API key [redacted].");
        assert_eq!(redact("nothing here", key), "nothing here");
    }
}
