//! Keeping the API key out of everything that reaches the caller. A panel may echo the key in an
//! error ("Invalid API key: …") or in an HTML error page; messages get logged.

use smm_panel_wire::text::{contains, replace_all, split_once, MARK_END, MARK_START};

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

/// `redact` for a text that `truncate` may have cut (it then ends with `…`): a key cut in half
/// at the end is removed too, when at least four of its characters (or all of a shorter key)
/// are left before the cut.
pub(crate) fn redact_cut(text: &str, key: &str) -> String {
    let out = redact(text, key);
    let Some(before) = out.strip_suffix('…') else { return out };
    // Bytes, not characters: a key is nearly always ASCII, and counting characters here cost
    // more wasm than the rest of this function.
    let shortest = key.len().min(4);
    let mut cut = key.len();
    while cut > shortest {
        cut -= 1;
        if let Some(prefix) = key.get(..cut).filter(|p| before.ends_with(p)) {
            let mut kept = before.get(..before.len() - prefix.len()).unwrap_or("").to_owned();
            kept.push_str(MARK);
            kept.push('…');
            return kept;
        }
    }
    out
}

/// `redact_cut` for text inside a JSON string, where a key with `"`, `\\` or a control character
/// appears escaped.
pub(crate) fn redact_cut_in_json(text: &str, key: &str) -> String {
    let mut quoted = String::with_capacity(key.len() + 2);
    crate::core::json::write_str(&mut quoted, key);
    let escaped = quoted.get(1..quoted.len() - 1).unwrap_or(key);
    if escaped == key {
        return redact_cut(text, key);
    }
    redact_cut(&replace_all(text, escaped, MARK), key)
}

/// `message` with each outside segment (see `smm_panel_wire::text::OUTSIDE_START`) passed
/// through `each` and the marks removed. An unterminated segment runs to the end.
pub(crate) fn render_outside(message: &str, each: &dyn Fn(&str, &mut String)) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((ours, after)) = split_once(rest, MARK_START) {
        // A stray end mark (a panel's own U+E001) goes like every other mark.
        out.push_str(&replace_all(ours, MARK_END, ""));
        let (segment, next) = split_once(after, MARK_END).unwrap_or((after, ""));
        // A stray start mark inside (a panel's own U+E000) goes too.
        each(&replace_all(segment, MARK_START, ""), &mut out);
        rest = next;
    }
    out.push_str(&replace_all(rest, MARK_END, ""));
    out
}

/// `message` without its outside marks: what a person reads. Every mark character goes,
/// wherever it stands, so the text alone decides the result.
pub(crate) fn strip_outside(message: &str) -> String {
    replace_all(&replace_all(message, MARK_START, ""), MARK_END, "")
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
// Tests do not ship: the size-driven bans of clippy.toml do not apply.
#[allow(clippy::disallowed_methods)]
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
    fn a_key_cut_by_truncation_is_removed_too() {
        let key = "0123456789abcdef";
        assert_eq!(redact_cut("Invalid key 01234567…", key), "Invalid key [redacted]…");
        assert_eq!(redact_cut("Invalid key 012…", key), "Invalid key 012…", "three characters say nothing");
        assert_eq!(redact_cut("no cut 0123", key), "no cut 0123");
        assert_eq!(redact_cut("k…", "k"), "[redacted]…");
        assert_eq!(redact_cut("ab…", "abc"), "ab…", "a shorter key is removed only whole");
    }

    #[test]
    fn outside_segments_are_rendered_and_unmarked() {
        let m = "link must be text (got \u{E000}\"x\"\u{E001}) or \u{E000}1\u{E001}.";
        assert_eq!(strip_outside(m), "link must be text (got \"x\") or 1.");
        assert_eq!(render_outside(m, &|seg, out| out.push_str(&seg.to_uppercase())), "link must be text (got \"X\") or 1.");
        assert_eq!(strip_outside("plain"), "plain");
        assert_eq!(strip_outside("a\u{E000}open"), "aopen");
        assert_eq!(strip_outside("a\u{E001}b"), "ab");
        assert_eq!(strip_outside("a\u{E001}b\u{E000}c\u{E001}d"), "abcd", "a stray end mark before a segment");
        assert_eq!(strip_outside("a\u{E000}b\u{E000}c"), "abc", "a stray start mark inside a segment");
        let upper = render_outside("a\u{E000}b\u{E000}c", &|seg, out| out.push_str(&seg.to_uppercase()));
        assert_eq!(upper, "aBC");
    }

    #[test]
    fn plain_hex_key() {
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(redact(&format!("Invalid API key {key}."), key), "Invalid API key [redacted].");
        assert_eq!(redact("nothing here", key), "nothing here");
    }
}
