//! From the bytes a panel sent to a parsed JSON document, tolerating what real panels put around
//! their JSON, and short excerpts of what could not be read.

use std::borrow::Cow;

use smm_panel_wire::text::{contains, find};

use crate::core::error::truncate;
use crate::core::json::Doc;

/// Longest excerpt of an unreadable answer quoted in an error.
pub(crate) const EXCERPT_MAX: usize = 100;

/// How many possible JSON starts after a PHP diagnostic are tried; each try is one parse.
const MAX_PHP_SKIP_TRIES: usize = 16;

/// The body as text: UTF-8 BOM removed, invalid UTF-8 replaced rather than refused.
pub(crate) fn body_text(body: &[u8]) -> Cow<'_, str> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // The strict check is much faster than the lossy one on the (usual) valid text.
    match std::str::from_utf8(body) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(body),
    }
}

/// PHP prints notices, warnings and deprecation messages into the answer (as HTML with
/// `html_errors`, as plain lines without, or as CodeIgniter's `<div>` block "A PHP Error was
/// encountered", whose severity may be a bare number such as 8192); the panel's JSON still
/// follows or precedes them.
fn looks_like_php_diagnostic(s: &str) -> bool {
    let head = s.get(..floor_boundary(s, 4096)).unwrap_or(s);
    ["Notice", "Warning", "Deprecated", "Strict Standards", "A PHP Error was encountered"].iter().any(|w| contains(head, w))
}

/// Parses the body as JSON. A PHP diagnostic printed before or after the JSON is skipped when
/// the rest parses completely: an `add` whose order was placed must not look like a failure.
pub(crate) fn parse_lenient(text: &str) -> Option<Doc<'_>> {
    let first_err = match Doc::parse(text) {
        Ok(doc) => return Some(doc),
        Err(e) => e,
    };
    // JSON first, diagnostic after it.
    if first_err.pos > 0 {
        if let Ok((doc, end)) = Doc::parse_prefix(text) {
            if looks_like_php_diagnostic(text.get(end..).unwrap_or("")) {
                return Some(doc);
            }
        }
    }
    // Diagnostic first: try each `{` or `[` that starts a line or follows a tag.
    let start = text.trim_start();
    if !(start.starts_with('<') || start.starts_with("PHP ") || looks_like_php_diagnostic(start)) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut tries = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'{' && b != b'[' {
            continue;
        }
        let before = bytes.get(..i).unwrap_or(&[]);
        let prev = before.iter().rev().find(|c| !matches!(c, b' ' | b'\t')).copied();
        if !matches!(prev, None | Some(b'\n' | b'\r' | b'>')) {
            continue;
        }
        let (prefix, rest) = (text.get(..i).unwrap_or(""), text.get(i..).unwrap_or(""));
        if !looks_like_php_diagnostic(prefix) {
            continue;
        }
        if let Ok(doc) = Doc::parse(rest) {
            return Some(doc);
        }
        tries += 1;
        if tries >= MAX_PHP_SKIP_TRIES {
            break;
        }
    }
    None
}

/// A one-line description of an unreadable answer: an HTML page's `<title>` if it has one
/// (Cloudflare's "Just a moment..."), else the start of the text without tags, whitespace
/// collapsed, at most `EXCERPT_MAX` characters.
pub(crate) fn excerpt(text: &str) -> String {
    let head = text.get(..floor_boundary(text, 64 * 1024)).unwrap_or("");
    if let Some(title) = html_title(head) {
        let t = collapse(title, false);
        if !t.is_empty() {
            return truncate(&t, EXCERPT_MAX);
        }
    }
    let head = head.get(..floor_boundary(head, 4096)).unwrap_or("");
    let strip_tags = head.trim_start().starts_with('<');
    truncate(&collapse(head, strip_tags), EXCERPT_MAX)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn html_title(s: &str) -> Option<&str> {
    let lower = s.to_ascii_lowercase();
    let open = find(&lower, "<title")?;
    let content_start = open + lower.get(open..)?.find('>')? + 1;
    let content_end = content_start + find(lower.get(content_start..)?, "</title")?;
    s.get(content_start..content_end)
}

fn collapse(s: &str, strip_tags: bool) -> String {
    let mut out = String::with_capacity(s.len().min(256));
    let mut in_tag = false;
    let mut tag = String::new();
    let mut space = false;
    for c in s.chars() {
        if strip_tags {
            if c == '<' {
                in_tag = true;
                tag.clear();
                continue;
            }
            if in_tag {
                if c == '>' {
                    in_tag = false;
                    // Inline tags (PHP's `<b>Notice</b>:`) join their text; others separate it.
                    let name = tag.trim_start_matches('/').split(|ch: char| !ch.is_ascii_alphanumeric()).next().unwrap_or("");
                    if !matches!(name.to_ascii_lowercase().as_str(), "b" | "i" | "u" | "em" | "strong" | "span" | "a" | "font" | "code") {
                        space = true;
                    }
                } else if tag.len() < 16 {
                    tag.push(c);
                }
                continue;
            }
        }
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
        if out.len() > EXCERPT_MAX * 4 {
            break;
        }
    }
    out
}

/// Retry-After in delta-seconds (an HTTP-date is ignored: the backoff applies instead).
pub(crate) fn retry_after_ms(v: Option<&str>) -> Option<u32> {
    let t = v?.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || int.len() > 9 || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs = crate::core::num::parse_u64(int)?;
    let tenths = frac.bytes().next().map_or(0, |d| u64::from(d - b'0'));
    u32::try_from(secs * 1000 + tenths * 100).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::Kind;

    #[test]
    fn strips_bom_and_reads_lossily() {
        assert_eq!(body_text(b"\xEF\xBB\xBF{}"), "{}");
        assert_eq!(body_text(b"{\"a\":\"\xFF\"}"), "{\"a\":\"\u{FFFD}\"}");
    }

    #[test]
    fn skips_php_notices() {
        let html = "<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/api.php</b> on line <b>12</b><br />\n{\"order\":1}";
        let d = parse_lenient(html).unwrap();
        assert!(d.root().get("order").is_some());
        let plain = "\nWarning: Something in /x.php on line 3\n[1,2]";
        assert_eq!(parse_lenient(plain).unwrap().root().kind(), Kind::Arr);
        let dep = "<br />\n<b>Deprecated</b>: f() is deprecated in <b>/a.php</b> on line <b>1</b><br />\n<br />\n<b>Warning</b>: w in <b>/b.php</b> on line <b>2</b><br />\n{\"balance\":\"1\"}";
        assert!(parse_lenient(dep).is_some());
        let after = "{\"order\":5}<br />\n<b>Notice</b>: x in <b>/a.php</b> on line <b>1</b><br />";
        assert!(parse_lenient(after).is_some());
        // A diagnostic followed by something that is not complete JSON is not JSON.
        assert!(parse_lenient("<br />\n<b>Notice</b>: x<br />\n{\"order\":").is_none());
        assert!(parse_lenient("<b>Fatal error</b>: out of memory").is_none());
        // Not a PHP diagnostic: an HTML page is not searched for JSON.
        assert!(parse_lenient("<html><body>\n{\"order\":1}</body></html>").is_none());
        assert!(parse_lenient("{\"order\":1} trailing").is_none());
    }

    #[test]
    fn excerpts() {
        let cf = "<!DOCTYPE html><html><head><title>Just a   moment...</title></head><body>x</body></html>";
        assert_eq!(excerpt(cf), "Just a moment...");
        assert_eq!(excerpt("  Bad\n\n gateway  "), "Bad gateway");
        assert_eq!(excerpt("<html><body><h1>502 Bad Gateway</h1></body></html>"), "502 Bad Gateway");
        assert!(excerpt(&"x".repeat(1000)).chars().count() <= EXCERPT_MAX + 1);
    }

    #[test]
    fn retry_after() {
        assert_eq!(retry_after_ms(Some("5")), Some(5000));
        assert_eq!(retry_after_ms(Some(" 1.5 ")), Some(1500));
        assert_eq!(retry_after_ms(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(retry_after_ms(Some("-1")), None);
        assert_eq!(retry_after_ms(Some("99999999999")), None);
        assert_eq!(retry_after_ms(None), None);
    }
}
