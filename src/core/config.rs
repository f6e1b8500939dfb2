//! The options of `new SmmClient({...})` and of each call, checked up front.

use std::fmt;

use smm_panel_wire::text::{find, split_once};

use crate::core::error::SmmError;
use crate::core::json::{Kind, V};
use crate::core::num::parse_u64;
use crate::core::validate::{describe, int_in_range, is_absent_or_js, parse_js};

pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
pub const MAX_TIMEOUT_MS: u32 = 600_000;
pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const MAX_RETRIES: u32 = 10;
pub const DEFAULT_CONCURRENCY: u32 = 4;
pub const MAX_CONCURRENCY: u32 = 32;

#[derive(Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// As given, without surrounding whitespace.
    pub api_url: String,
    pub key: Option<String>,
    pub timeout_ms: u32,
    pub max_retries: u32,
    pub concurrency: u32,
    pub allow_http: bool,
}

/// Hand-written so that logging a config never prints the key.
impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("api_url", &self.api_url)
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("concurrency", &self.concurrency)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl ClientConfig {
    /// Reads the constructor's options. Unknown names are ignored; `fetch` arrives as the tag of a
    /// function (the driver keeps the function itself).
    pub fn from_json(options: Option<&str>) -> Result<ClientConfig, SmmError> {
        let doc = parse_js(options, "options")?;
        let root = doc.as_ref().map(|d| d.root());
        let obj = match root {
            Some(v) if v.kind() == Kind::Obj => v,
            other => {
                return Err(SmmError::invalid(
                    "options",
                    format!(
                        "SmmClient needs an options object like {{ apiUrl: \"https://panel.example/api/v2\", key: \"…\" }} (got {})",
                        describe(other)
                    ),
                ))
            }
        };

        let allow_http = match obj.get("allowHttp") {
            None => false,
            Some(v) => v
                .as_bool()
                .ok_or_else(|| SmmError::invalid("allowHttp", format!("allowHttp must be true or false (got {})", describe(Some(v)))))?,
        };

        let api_url = match obj.get("apiUrl") {
            Some(v) if v.kind() == Kind::Str => {
                let s = v.str().unwrap_or_default();
                check_url(&s, allow_http).map_err(|m| SmmError::invalid("apiUrl", m))?
            }
            other => {
                return Err(SmmError::invalid(
                    "apiUrl",
                    format!(
                        "apiUrl must be the panel's API URL as a string, like \"https://panel.example/api/v2\" (got {})",
                        describe(other)
                    ),
                ))
            }
        };

        let key = match obj.get("key") {
            None => None,
            Some(v) => Some(check_key(v).map_err(|m| SmmError::invalid("key", m))?),
        };

        let num = |name: &str, default: u32, min: u32, max: u32| -> Result<u32, SmmError> {
            match obj.get(name) {
                None => Ok(default),
                Some(v) => int_in_range(v, name, min, max).map_err(|m| SmmError::invalid(name, m)),
            }
        };
        let timeout_ms = num("timeoutMs", DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS)?;
        let max_retries = num("maxRetries", DEFAULT_MAX_RETRIES, 0, MAX_RETRIES)?;
        let concurrency = num("concurrency", DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY)?;
        if !is_absent_or_js(obj.get("fetch"), "function") {
            return Err(SmmError::invalid("fetch", "fetch must be a function".to_owned()));
        }

        Ok(ClientConfig { api_url, key, timeout_ms, max_retries, concurrency, allow_http })
    }
}

/// The key is secret: messages describe it, never quote it.
fn check_key(v: V<'_, '_>) -> Result<String, String> {
    let Some(s) = v.str() else {
        return Err(format!("key must be a non-empty string, or left out when apiUrl is a proxy that adds it (got {})", describe(Some(v))));
    };
    if s.trim().is_empty() {
        return Err("key must be a non-empty string, or left out when apiUrl is a proxy that adds it (got an empty string)".to_owned());
    }
    if s.chars().any(char::is_control) {
        return Err(format!(
            "key contains a control character (a line break copied from a file?); it has {} characters",
            // Not `.count()`: its fast path is 0.8 KB of wasm for this one message.
            s.chars().fold(0, |n, _| n + 1)
        ));
    }
    Ok(s.into_owned())
}

/// Per-call options (`{ signal, timeoutMs }`); `signal` arrives as the tag of an AbortSignal (the
/// driver keeps the signal itself).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub timeout_ms: Option<u32>,
}

impl CallOptions {
    pub fn from_json(options: Option<&str>) -> Result<CallOptions, SmmError> {
        let doc = parse_js(options, "options")?;
        let Some(root) = doc.as_ref().map(|d| d.root()) else { return Ok(CallOptions::default()) };
        match root.kind() {
            Kind::Null => Ok(CallOptions::default()),
            Kind::Obj => {
                let timeout_ms = match root.get("timeoutMs") {
                    None => None,
                    Some(v) => Some(int_in_range(v, "timeoutMs", 1, MAX_TIMEOUT_MS).map_err(|m| SmmError::invalid("timeoutMs", m))?),
                };
                if !is_absent_or_js(root.get("signal"), "AbortSignal") {
                    return Err(SmmError::invalid("signal", "signal must be an AbortSignal".to_owned()));
                }
                Ok(CallOptions { timeout_ms })
            }
            _ => Err(SmmError::invalid(
                "options",
                format!("call options must be an object like {{ timeoutMs: 10000 }} (got {})", describe(Some(root))),
            )),
        }
    }
}

const URL_EXAMPLE: &str = "like \"https://panel.example/api/v2\"";

/// The checks fetch would not make, plus those that keep the key safe. Returns the URL trimmed.
pub(crate) fn check_url(raw: &str, allow_http: bool) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(format!("apiUrl must not be empty; give the panel's API URL, {URL_EXAMPLE}"));
    }
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("apiUrl must not contain spaces or control characters".to_owned());
    }
    let Some((scheme, rest)) = split_once(s, "://") else {
        return Err(format!("apiUrl must be an absolute http(s) URL, {URL_EXAMPLE}"));
    };
    let scheme = scheme.to_ascii_lowercase();
    let https = match scheme.as_str() {
        "https" => true,
        "http" => false,
        _ => {
            return Err(format!(
                "apiUrl must use https: (got \"{}:\")",
                smm_panel_wire::text::outside(&crate::core::error::truncate(&scheme, 20))
            ))
        }
    };
    if s.contains('#') {
        return Err("apiUrl must not contain a fragment (#…)".to_owned());
    }
    let auth_end = rest.find(['/', '?', '\\']).unwrap_or(rest.len());
    let authority = rest.get(..auth_end).unwrap_or("");
    if authority.contains('@') {
        return Err("apiUrl must not contain a user name or password; pass the API key with the key option".to_owned());
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let Some(close) = inner.find(']') else { return Err("apiUrl has an unterminated [IPv6] host".to_owned()) };
        let after = inner.get(close + 1..).unwrap_or("");
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(|| "apiUrl has an invalid host".to_owned())?),
        };
        (authority.get(..close + 2).unwrap_or(""), port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(format!("apiUrl has no host, {URL_EXAMPLE}"));
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        if ipv6_groups(v6).is_none() {
            return Err("apiUrl has an invalid IPv6 host".to_owned());
        }
    } else if !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') || !c.is_ascii()) {
        return Err("apiUrl has an invalid host".to_owned());
    }
    if let Some(p) = port {
        if !p.is_empty() && (p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) || parse_u64(p).is_none_or(|n| n > 65535)) {
            return Err("apiUrl has an invalid port".to_owned());
        }
    }
    if let Some((_, query)) = rest.split_once('?') {
        if query.split('&').any(|pair| percent_decoded_name(pair.split('=').next().unwrap_or("")) == "key") {
            return Err(
                "apiUrl must not carry the API key in its query (?key=…): pass it with the key option, which sends it in the request body"
                    .to_owned(),
            );
        }
    }
    if !https && !allow_http && !is_localhost(host) {
        return Err(
            "apiUrl uses http:, which would send the API key unencrypted; use https:, or set allowHttp: true if this is deliberate (e.g. a proxy on a private network)"
                .to_owned(),
        );
    }
    Ok(s.to_owned())
}

/// A query parameter name as the server will read it (`%6Bey` and `k%65y` are `key` too).
fn percent_decoded_name(name: &str) -> String {
    let b = name.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Plain http: is tolerated for the machine itself (a local proxy or simulator).
fn is_localhost(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if h == "localhost" {
        return true;
    }
    if let Some(v6) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        // ::1 in any spelling: every group zero but the last, which is one.
        return ipv6_groups(v6).is_some_and(|g| g.last() == Some(&1) && g.iter().rev().skip(1).all(|&x| x == 0));
    }
    let octets: Vec<&str> = h.split('.').collect();
    octets.len() == 4
        && octets.first() == Some(&"127")
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()) && parse_u64(o).is_some_and(|n| n <= 255))
}

/// The explicit groups of an IPv6 address (hex, at most eight, `::` standing for the rest), or
/// None when it is not one. Checked by hand: std's address parsers cost kilobytes of wasm, and
/// fetch checks the address again anyway.
fn ipv6_groups(v6: &str) -> Option<Vec<u16>> {
    let again = |at: usize| v6.get(at + 2..).and_then(|rest| find(rest, "::"));
    let compressed = find(v6, "::").map_or(0, |at| if again(at).is_some() { 2 } else { 1 });
    if compressed > 1 || v6.is_empty() {
        return None;
    }
    let groups: Vec<u16> = v6
        .split(':')
        .filter(|g| !g.is_empty())
        .map(|g| if g.len() <= 4 { u16::from_str_radix(g, 16).ok() } else { None })
        .collect::<Option<_>>()?;
    let fits = if compressed == 1 { groups.len() <= 7 } else { groups.len() == 8 };
    fits.then_some(groups)
}

/// `watchOrders`' callbacks (`onUpdate`, `onError`): absent, or functions.
pub fn check_callbacks(options: Option<&str>, names: &[&str]) -> Result<(), SmmError> {
    let doc = parse_js(options, "options")?;
    let root = doc.as_ref().map(|d| d.root());
    for name in names {
        if !is_absent_or_js(root.and_then(|o| o.get(name)), "function") {
            return Err(SmmError::invalid(name, format!("{name} must be a function")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let ok = |u: &str, http: bool| check_url(u, http).unwrap();
        assert_eq!(ok(" https://panel.example/api/v2 ", false), "https://panel.example/api/v2");
        ok("HTTPS://Panel.Example:8443/api/v2?x=1", false);
        ok("http://localhost:8080/api/v2", false);
        ok("http://127.0.0.1/api/v2", false);
        ok("http://127.8.9.10/api/v2", false);
        ok("http://[::1]:9000/api/v2", false);
        ok("http://panel.example/api/v2", true);
        ok("https://[2001:db8::1]/api", false);
        ok("https://пример.рф/api/v2", false);
        for bad in [
            "",
            "panel.example/api/v2",
            "ftp://panel.example/",
            "https://user:pass@panel.example/api/v2",
            "https://panel.example/api/v2#top",
            "https://panel.example/api/v2?key=abc",
            "https://panel.example/api/v2?a=1&%6Bey=abc",
            "http://panel.example/api/v2",
            "http://10.0.0.1/api/v2",
            "http://localhost.evil.example/",
            "https:///api/v2",
            "https://pa nel.example/",
            "https://panel.example:99999/",
            "https://panel.example:abc/",
            "https://[zz]/",
            "https://pan<el.example/",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad:?} should be refused");
        }
    }
}
