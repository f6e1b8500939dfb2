//! Keeping the API key out of everything that reaches the caller. A panel may echo the key in an
//! error ("Invalid API key: …") or in an HTML error page; messages get logged.

use smm_panel_wire::text::{contains, replace_all};

use crate::core::form::encoded;

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
    fn plain_hex_key() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(redact(&format!("Invalid API key {key}."), key), "Invalid API key [redacted].");
        assert_eq!(redact("nothing here", key), "nothing here");
    }
}
