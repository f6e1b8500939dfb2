//! Text helpers shared by messages.

/// Inside an error message, text that came from outside the SDK (a panel's words, a value the
/// caller or a panel sent) sits between these two private-use characters. The key is removed
/// from that text only, so that no key, however short, can alter the SDK's own words (a field
/// name, an action, a sentence); the marks are taken out before anyone reads the message.
pub const OUTSIDE_START: char = '\u{E000}';
pub const OUTSIDE_END: char = '\u{E001}';

/// Appends `text` as outside text: marked, and with any marks of its own dropped so that it
/// cannot end its segment early. (Through `replace_all`: errors are rare, and in this crate,
/// compiled for speed, a loop of its own costs more wasm.)
pub fn push_outside(out: &mut String, text: &str) {
    out.push_str(MARK_START);
    out.push_str(&replace_all(&replace_all(text, MARK_START, ""), MARK_END, ""));
    out.push_str(MARK_END);
}

/// `text` as outside text (see `push_outside`).
pub fn outside(text: &str) -> String {
    let mut out = String::new();
    push_outside(&mut out, text);
    out
}

/// The two marks as text, for searching.
pub const MARK_START: &str = "\u{E000}";
pub const MARK_END: &str = "\u{E001}";

/// At most `max` characters, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((cut, _)) => {
            let mut t = s.get(..cut).unwrap_or("").to_owned();
            t.push('…');
            t
        }
    }
}

// Substring search by a plain scan instead of `str::find(&str)` and friends: std's two-way
// searcher is ~2 KB of wasm, and the texts searched here (keys in messages, a URL's scheme, an
// HTML title, catalog entries of ~100 characters) are short.

/// Byte position of the first `needle` in `haystack`; `Some(0)` for an empty needle.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return Some(0) };
    let last_start = h.len().checked_sub(n.len())?;
    // A tight scan for the first byte, then one compare: the proxy redacts whole answers
    // (megabytes for a services list) with this.
    let mut from = 0;
    while from <= last_start {
        let at = from + h.get(from..=last_start)?.iter().position(|&b| b == first)?;
        if h.get(at..at + n.len()) == Some(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// The text before and after the first `separator`, like `str::split_once`.
pub fn split_once<'a>(text: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, separator)?;
    Some((text.get(..at)?, text.get(at + separator.len()..)?))
}

/// `text` with every non-overlapping `needle`, left to right, replaced by `with`, like
/// `str::replace`; `text` unchanged for an empty needle. Not inlined: one copy serves redaction
/// and the outside marks.
#[inline(never)]
pub fn replace_all(text: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = split_once(rest, needle) {
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `parts` with `separator` between them, like `[S]::join`, whose two instantiations here
/// (`&str` and `String` parts) were 1.4 KB of wasm for messages and short lists.
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_and_join_agree_with_std() {
        let texts = ["", "a", "aaa", "abcabc", "x::y::z", "héllo wörld", "ab%2Fcd ab%2fcd", "<title>t</title>"];
        let needles = ["", "a", "aa", "abc", "::", "ö", "wörld", "%2F", "</title", "zzz", "héllo wörld!"];
        for t in texts {
            for n in needles {
                assert_eq!(find(t, n), t.find(n), "find({t:?}, {n:?})");
                assert_eq!(contains(t, n), t.contains(n), "contains({t:?}, {n:?})");
                assert_eq!(split_once(t, n), if n.is_empty() { Some(("", t)) } else { t.split_once(n) }, "split_once({t:?}, {n:?})");
                if !n.is_empty() {
                    assert_eq!(replace_all(t, n, "[x]"), t.replace(n, "[x]"), "replace_all({t:?}, {n:?})");
                }
                assert_eq!(join(&[t, n, t], n), [t, n, t].join(n));
                assert_eq!(join(&[t.to_owned()], n), [t.to_owned()].join(n));
                assert_eq!(join::<&str>(&[], n), "");
            }
        }
    }

    #[test]
    fn outside_text_is_marked() {
        let mut m = String::from("(got ");
        push_outside(&mut m, "x\u{E001}y\u{E000}");
        m.push(')');
        assert_eq!(m, "(got \u{E000}xy\u{E001})");
        assert_eq!(outside("1"), "\u{E000}1\u{E001}");
    }
}
