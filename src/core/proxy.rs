//! The server-side proxy's decisions: which browser requests reach the panel (allowed origins,
//! allowed actions, a rate limit, every field checked by the SDK's own rules), and the request
//! it sends on, rebuilt from checked values with the server's key. The browser never has the key
//! and nothing the proxy answers contains it.

use smm_panel_wire::text::{join, split_once};

use crate::core::call;
use crate::core::call::Action;
use crate::core::config::check_url;
use crate::core::error::SmmError;
use crate::core::form::{decode_pairs, push_pair};
use crate::core::json::{write_str, Kind, V};
use crate::core::num::parse_u64;
use crate::core::order::check_form_field;
use crate::core::validate::{describe, int_in_range, parse_js};

/// The defaults of the limits on what a caller may send (options of `createProxy`). Bodies are
/// small forms: no action takes more than 13 fields (`key`, `action`, `service` and at most the
/// 9 fields of a web traffic order, `interval` also as `intervals`), so 32 leaves room without
/// letting a body be thousands of tiny pairs. One field may fill the whole body: a custom
/// comments list is one field and can be long.
pub const DEFAULT_MAX_BODY_BYTES: u32 = 64 * 1024;
pub const DEFAULT_MAX_FIELDS: u32 = 32;
pub const DEFAULT_MAX_FIELD_BYTES: u32 = 64 * 1024;
/// The time a client may take to send its whole body: a slow sender holds a connection open.
pub const DEFAULT_BODY_TIMEOUT_MS: u32 = 10_000;
/// The body is held in memory to be checked, so no option lets it grow past this.
const MOST_BODY_BYTES: u32 = 32 * 1024 * 1024;

/// What a caller may send: checked while the body arrives (size, time) and before it is parsed
/// (fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    pub max_body_bytes: u32,
    pub max_fields: u32,
    pub max_field_bytes: u32,
    pub body_timeout_ms: u32,
}

/// Why reading a request body stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyStop {
    /// More than `maxBodyBytes` arrived (or were declared in Content-Length).
    TooLarge,
    /// The body did not arrive within `bodyTimeoutMs`.
    Timeout,
    /// The stream failed: the client went away, or the body was already used.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
struct RateLimit {
    capacity: f64,
    per_ms: f64,
    tokens: f64,
    updated_ms: f64,
}

#[derive(Clone, PartialEq)]
pub struct Proxy {
    api_url: String,
    key: String,
    allowed_actions: Vec<Action>,
    /// Exact origins, or None for any origin (`["*"]`).
    allowed_origins: Option<Vec<String>>,
    rate: Option<RateLimit>,
    limits: BodyLimits,
}

impl std::fmt::Debug for Proxy {
    // Written out so the key never reaches a log through `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("api_url", &self.api_url)
            .field("key", &"[redacted]")
            .field("allowed_actions", &self.allowed_actions)
            .field("allowed_origins", &self.allowed_origins)
            .field("rate", &self.rate)
            .field("limits", &self.limits)
            .finish()
    }
}

/// What to do with one incoming request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Answer directly: a preflight, or a refusal as `{"error": …}` like a panel's.
    Respond { status: u16, body: String, retry_after_s: Option<u32> },
    /// Send `form_body` (with the server's key) to the panel and relay its answer.
    Forward { action: Action, form_body: String },
}

impl Proxy {
    /// Options: `{ apiUrl, key, allowedActions?, allowedOrigins?, rateLimit?: { requests, perMs },
    /// maxBodyBytes?, maxFields?, maxFieldBytes?, bodyTimeoutMs?, allowHttp? }`. `allowedActions`
    /// defaults to the read-only actions: writes spend money, so a proxy exposes them only when
    /// told to.
    pub fn new(options_json: Option<&str>) -> Result<Proxy, SmmError> {
        let doc = parse_js(options_json, "options")?;
        let root = doc
            .as_ref()
            .map(|d| d.root())
            .filter(|v| v.kind() == Kind::Obj)
            .ok_or_else(|| SmmError::invalid("options", "createProxy needs an options object like { apiUrl, key }".to_owned()))?;
        let allow_http = root.get("allowHttp").and_then(|v| v.as_bool()).unwrap_or(false);
        let api_url = root
            .get("apiUrl")
            .and_then(|v| v.str())
            .ok_or_else(|| {
                SmmError::invalid("apiUrl", format!("apiUrl must be the panel's API URL (got {})", describe(root.get("apiUrl"))))
            })
            .and_then(|u| check_url(&u, allow_http).map_err(|m| SmmError::invalid("apiUrl", m)))?;
        let key = root
            .get("key")
            .and_then(|v| v.str())
            .map(|k| k.into_owned())
            .filter(|k| !k.trim().is_empty() && !k.chars().any(char::is_control))
            .ok_or_else(|| {
                SmmError::invalid("key", "key must be the panel's API key (a non-empty string); the proxy adds it".to_owned())
            })?;
        let allowed_actions = match root.get("allowedActions") {
            None => vec![Action::Services, Action::Balance, Action::Status, Action::RefillStatus],
            Some(list) => names(list, "allowedActions")?
                .iter()
                .map(|n| {
                    Action::from_wire_name(n).ok_or_else(|| {
                        let known: Vec<&str> = Action::ALL.iter().map(|a| a.wire_name()).collect();
                        SmmError::invalid(
                            "allowedActions",
                            format!("allowedActions has an unknown action \"{n}\"; known: {}", join(&known, ", ")),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let allowed_origins = match root.get("allowedOrigins") {
            None => Some(Vec::new()),
            Some(list) => {
                let origins = names(list, "allowedOrigins")?;
                if origins.iter().any(|o| o == "*") {
                    None
                } else {
                    for o in &origins {
                        if origin_of(o).as_deref() != Some(o.as_str()) {
                            return Err(SmmError::invalid(
                                "allowedOrigins",
                                format!("\"{o}\" is not an origin like \"https://shop.example\""),
                            ));
                        }
                    }
                    Some(origins)
                }
            }
        };
        let rate = match root.get("rateLimit") {
            None => None,
            Some(r) if r.kind() == Kind::Obj => {
                let field = |n: &str, max: u32| {
                    r.get(n)
                        .ok_or_else(|| format!("rateLimit.{n} is required"))
                        .and_then(|v| int_in_range(v, &format!("rateLimit.{n}"), 1, max))
                        .map_err(|m| SmmError::invalid("rateLimit", m))
                };
                let requests = f64::from(field("requests", 1_000_000)?);
                Some(RateLimit {
                    capacity: requests,
                    per_ms: f64::from(field("perMs", 86_400_000)?),
                    tokens: requests,
                    updated_ms: f64::NAN,
                })
            }
            Some(other) => {
                return Err(SmmError::invalid(
                    "rateLimit",
                    format!("rateLimit must be {{ requests, perMs }} (got {})", describe(Some(other))),
                ))
            }
        };
        let limit = |name: &str, min: u32, max: u32, default: u32| match root.get(name) {
            None => Ok(default),
            Some(v) => int_in_range(v, name, min, max).map_err(|m| SmmError::invalid(name, m)),
        };
        let limits = BodyLimits {
            max_body_bytes: limit("maxBodyBytes", 1, MOST_BODY_BYTES, DEFAULT_MAX_BODY_BYTES)?,
            max_fields: limit("maxFields", 1, 100_000, DEFAULT_MAX_FIELDS)?,
            max_field_bytes: limit("maxFieldBytes", 1, MOST_BODY_BYTES, DEFAULT_MAX_FIELD_BYTES)?,
            body_timeout_ms: limit("bodyTimeoutMs", 1, 3_600_000, DEFAULT_BODY_TIMEOUT_MS)?,
        };
        Ok(Proxy { api_url, key, allowed_actions, allowed_origins, rate, limits })
    }

    pub fn body_limits(&self) -> BodyLimits {
        self.limits
    }

    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin` to the proxy at
    /// `request_url`, when that origin may read answers (None for same-origin and server calls,
    /// which need no CORS header, and for origins not allowed).
    pub fn cors_origin(&self, origin: Option<&str>, request_url: &str) -> Option<String> {
        let origin = origin?;
        if origin_of(request_url).as_deref() == Some(origin) {
            return None;
        }
        match &self.allowed_origins {
            None => Some("*".to_owned()),
            Some(list) => list.iter().any(|o| o == origin).then(|| origin.to_owned()),
        }
    }

    /// The panel's answer as the browser may see it: the key removed, should the panel echo it
    /// (JSON bodies are text; anything else is passed through lossily as text too).
    pub fn relay_body(&self, upstream: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(upstream);
        crate::core::redact::redact(&text, &self.key).into_bytes()
    }

    /// The answer when the panel could not be asked or did not answer: 504 for a timeout, 502
    /// otherwise, as `{"error": …}` (the SDK behind the proxy reports it as an api error).
    pub fn upstream_failure(failure: &SmmError) -> Decision {
        match failure.code() {
            crate::core::error::ErrorCode::Timeout => refuse(504, "The panel did not answer in time"),
            crate::core::error::ErrorCode::Http => refuse(502, "The panel answered with a redirect or an HTTP error"),
            _ => refuse(502, "The panel could not be reached"),
        }
    }

    /// The answer to a request that is known before its body is read (a preflight, an origin
    /// or a method refused, a declared `Content-Length` over the limit), or None: read the body,
    /// then `decide`.
    pub fn before_body(&self, method: &str, origin: Option<&str>, request_url: &str, content_length: Option<&str>) -> Option<Decision> {
        let same_origin = origin.is_some_and(|o| origin_of(request_url).as_deref() == Some(o));
        if let Some(o) = origin {
            if !same_origin && self.cors_origin(Some(o), request_url).is_none() {
                return Some(refuse(403, "This origin may not use this proxy"));
            }
        }
        match method.to_ascii_uppercase().as_str() {
            "OPTIONS" => return Some(Decision::Respond { status: 204, body: String::new(), retry_after_s: None }),
            "POST" => {}
            _ => return Some(refuse(405, "Use POST with a form body")),
        }
        // Only digits are a length; anything else is left to the count kept while reading.
        let declared = content_length.map(str::trim).filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
        // All digits but no u64: longer than any limit.
        let too_large = declared.is_some_and(|t| parse_u64(t).is_none_or(|n| n > u64::from(self.limits.max_body_bytes)));
        too_large.then(|| self.body_stopped(BodyStop::TooLarge))
    }

    /// The answer when reading the body stopped before its end.
    pub fn body_stopped(&self, stop: BodyStop) -> Decision {
        match stop {
            BodyStop::TooLarge => {
                refuse(413, &format!("The request body is larger than {} bytes (maxBodyBytes)", self.limits.max_body_bytes))
            }
            BodyStop::Timeout => {
                refuse(408, &format!("The request body did not arrive within {} ms (bodyTimeoutMs)", self.limits.body_timeout_ms))
            }
            BodyStop::Error => refuse(400, "The request body could not be read"),
        }
    }

    /// Decides what to do with one request to the proxy, given its whole body.
    pub fn decide(&mut self, method: &str, origin: Option<&str>, request_url: &str, body: &[u8], now_ms: f64) -> Decision {
        if let Some(decision) = self.before_body(method, origin, request_url, None) {
            return decision;
        }
        if body.len() > self.limits.max_body_bytes as usize {
            return self.body_stopped(BodyStop::TooLarge);
        }
        // Counted before decoding, so a body of many tiny pairs costs no allocation per pair.
        let max_fields = self.limits.max_fields;
        if body.split(|&b| b == b'&').filter(|part| !part.is_empty()).count() > max_fields as usize {
            return refuse(413, &format!("The request has more than {max_fields} fields (maxFields)"));
        }
        let fields = decode_pairs(body);
        let max_field_bytes = self.limits.max_field_bytes;
        if let Some((name, _)) = fields.iter().find(|(name, value)| name.len() + value.len() > max_field_bytes as usize) {
            // A name is only worth showing if it could be one of the API's.
            let shown = if name.len() <= 32 && !name.chars().any(char::is_control) {
                format!("The field \"{name}\"")
            } else {
                "A field".to_owned()
            };
            return refuse(413, &format!("{shown} is longer than {max_field_bytes} bytes (maxFieldBytes)"));
        }
        let action_name = fields.iter().find(|(n, _)| n == "action").map(|(_, v)| v.as_str()).unwrap_or("");
        let Some(action) = Action::from_wire_name(action_name) else {
            return refuse(400, "Incorrect request");
        };
        if !self.allowed_actions.contains(&action) {
            return refuse(403, &format!("The action \"{}\" is not allowed by this proxy", action.wire_name()));
        }
        let checked = match check_fields(action, &fields) {
            Ok(checked) => checked,
            Err(message) => return refuse(400, &message),
        };
        if let Some(wait_s) = self.take_token(now_ms) {
            return Decision::Respond { status: 429, body: error_body("Rate limit exceeded. Slow down."), retry_after_s: Some(wait_s) };
        }
        let mut form_body = String::with_capacity(128);
        push_pair(&mut form_body, "key", &self.key);
        push_pair(&mut form_body, "action", action.wire_name());
        for (name, value) in checked {
            push_pair(&mut form_body, &name, &value);
        }
        Decision::Forward { action, form_body }
    }

    /// Takes one request's token; Some(seconds to wait) when none is left.
    fn take_token(&mut self, now_ms: f64) -> Option<u32> {
        let rate = self.rate.as_mut()?;
        if rate.updated_ms.is_finite() && now_ms > rate.updated_ms {
            rate.tokens = (rate.tokens + (now_ms - rate.updated_ms) * rate.capacity / rate.per_ms).min(rate.capacity);
        }
        rate.updated_ms = now_ms;
        if rate.tokens >= 1.0 {
            rate.tokens -= 1.0;
            None
        } else {
            let wait_ms = (1.0 - rate.tokens) * rate.per_ms / rate.capacity;
            Some((wait_ms / 1000.0).ceil().max(1.0) as u32)
        }
    }
}

fn refuse(status: u16, message: &str) -> Decision {
    Decision::Respond { status, body: error_body(message), retry_after_s: None }
}

fn error_body(message: &str) -> String {
    let mut body = String::from("{\"error\":");
    // The browser reads a plain sentence: its own values quoted back, unmarked.
    write_str(&mut body, &crate::core::redact::strip_outside(message));
    body.push('}');
    body
}

fn names(list: V<'_, '_>, option: &str) -> Result<Vec<String>, SmmError> {
    if list.kind() != Kind::Arr {
        return Err(SmmError::invalid(option, format!("{option} must be an array of strings (got {})", describe(Some(list)))));
    }
    list.items()
        .map(|v| {
            v.str()
                .map(|s| s.trim().to_owned())
                .ok_or_else(|| SmmError::invalid(option, format!("{option} must contain strings (got {})", describe(Some(v)))))
        })
        .collect()
}

/// `scheme://host[:port]` of a URL, lower-cased scheme and host.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = split_once(url.trim(), "://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase()))
}

/// The fields of an incoming request, checked by the SDK's rules, as they will be forwarded.
/// The browser's own `key` (if any) is dropped: the proxy's key is the only one sent.
fn check_fields(action: Action, fields: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in fields {
        if name == "key" || name == "action" {
            continue;
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(format!("{name} is given twice"));
        }
        // What each action's calls send (crate::core::call): an order's fields, the ID fields
        // with as many IDs as each may hold, and the fixed fields.
        let checked = match name.as_str() {
            "intervals" if action == Action::Add => check_form_field("interval", value),
            field if action == Action::Add => check_form_field(field, value),
            field => match call::id_fields(action).find(|(id_field, _)| *id_field == field) {
                Some((_, most)) => id_list(name, value, most),
                None if call::fixed_fields(action).any(|fixed| fixed == (field, value.as_str())) => Ok(value.clone()),
                None => Err(format!("{name} is not accepted for \"{}\" by this proxy", action.wire_name())),
            },
        }?;
        out.push((name.clone(), checked));
    }
    let has = |n: &str| out.iter().any(|(name, _)| name == n);
    // An order needs its service; an ID action exactly one of its ID fields (`order` or `orders`).
    let mut one_of: Vec<&str> = Vec::new();
    if action == Action::Add {
        one_of.push("service");
    }
    for (field, _) in call::id_fields(action) {
        if !one_of.contains(&field) {
            one_of.push(field);
        }
    }
    if !one_of.is_empty() {
        match one_of.iter().filter(|n| has(n)).count() {
            1 => {}
            0 => return Err(format!("{} is required", join(&one_of, " or "))),
            _ => return Err(format!("give only one of {}", join(&one_of, " and "))),
        }
    }
    if action == Action::Add {
        // The same pairing and bounds rules addOrder applies.
        if has("runs") != (has("interval") || has("intervals")) {
            return Err("runs and interval go together: a drip-feed order needs both".to_owned());
        }
        let number = |n: &str| out.iter().find(|(name, _)| name == n).and_then(|(_, v)| parse_u64(v));
        if let (Some(min), Some(max)) = (number("min"), number("max")) {
            if min > max {
                return Err(format!("max must be at least min (got min {min}, max {max})"));
            }
        }
    }
    Ok(out)
}

fn id_list(name: &str, raw: &str, max: usize) -> Result<String, String> {
    let ids: Vec<&str> = raw.split(',').map(str::trim).collect();
    if ids.len() > max {
        return Err(format!("{name} may list at most {max} IDs"));
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match crate::core::num::int_from_text(id) {
            Ok(n) if n >= 1 && !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => out.push(n.to_string()),
            _ => return Err(format!("{name} must be positive whole numbers separated by commas")),
        }
    }
    Ok(join(&out, ","))
}
