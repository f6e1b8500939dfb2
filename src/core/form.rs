//! `application/x-www-form-urlencoded` exactly as WHATWG's URLSearchParams serialises it, so a
//! body built here is byte-for-byte what a browser would send.

/// Appends `s` form-urlencoded: ASCII alphanumerics and `*-._` stay, space becomes `+`, every
/// other UTF-8 byte becomes `%XX` (upper-case hex).
pub(crate) fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

pub(crate) fn encoded(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_encoded(&mut out, s);
    out
}

/// Appends `name=value`, preceded by `&` unless `out` is empty.
pub(crate) fn push_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    push_encoded(out, name);
    out.push('=');
    push_encoded(out, value);
}

/// Parses an `application/x-www-form-urlencoded` body into (name, value) pairs, as
/// URLSearchParams does: `+` is a space, `%XX` a byte, a malformed escape stays literal, and
/// invalid UTF-8 becomes U+FFFD.
pub(crate) fn decode_pairs(body: &[u8]) -> Vec<(String, String)> {
    body.split(|&b| b == b'&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = match part.iter().position(|&b| b == b'=') {
                Some(i) => (&part[..i], &part[i + 1..]),
                None => (part, &part[part.len()..]),
            };
            (decode_component(name), decode_component(value))
        })
        .collect()
}

fn decode_component(raw: &[u8]) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => match (raw.get(i + 1).copied().and_then(hex), raw.get(i + 2).copied().and_then(hex)) {
                (Some(high), Some(low)) => {
                    bytes.push(high << 4 | low);
                    i += 2;
                }
                _ => bytes.push(b'%'),
            },
            other => bytes.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_urlsearchparams() {
        assert_eq!(encoded("abcXYZ019*-._"), "abcXYZ019*-._");
        assert_eq!(encoded("a b+c&d=e/f?g#h%"), "a+b%2Bc%26d%3De%2Ff%3Fg%23h%25");
        assert_eq!(encoded("~!'()"), "%7E%21%27%28%29");
        assert_eq!(encoded("é😀"), "%C3%A9%F0%9F%98%80");
        assert_eq!(encoded("a\nb"), "a%0Ab");
    }
}
