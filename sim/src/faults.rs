//! Fault injection: rules set through the control API, consumed by matching API requests.

use serde_json::Value;

use crate::api::intval;
use crate::json::J;
use crate::state::mask_key;

#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    Latency { ms: u64 },
    Status { status: u16, body: String, content_type: String },
    Html,
    MalformedJson,
    Empty,
    Bom,
    PhpNotice,
    PhpErrorBlock,
    Redirect { status: u16, location: Option<String> },
    RateLimit { retry_after: Option<u64>, status: u16, body: String },
    Close,
    ResetMidBody { bytes: Option<usize> },
    HugeBody { size: usize },
    SlowDrip { interval_ms: u64 },
}

impl FaultKind {
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Latency { .. } => "latency",
            FaultKind::Status { .. } => "status",
            FaultKind::Html => "html",
            FaultKind::MalformedJson => "malformed_json",
            FaultKind::Empty => "empty",
            FaultKind::Bom => "bom",
            FaultKind::PhpNotice => "php_notice",
            FaultKind::PhpErrorBlock => "php_error_block",
            FaultKind::Redirect { .. } => "redirect",
            FaultKind::RateLimit { .. } => "rate_limit",
            FaultKind::Close => "close",
            FaultKind::ResetMidBody { .. } => "reset_mid_body",
            FaultKind::HugeBody { .. } => "huge_body",
            FaultKind::SlowDrip { .. } => "slow_drip",
        }
    }

    /// Whether the panel performed the action before the fault spoiled the answer, unless the
    /// rule says otherwise: faults that happen "on the way back" process, faults that a proxy
    /// or the front server produces instead of the panel do not.
    pub fn default_process(&self) -> bool {
        !matches!(
            self,
            FaultKind::Status { .. }
                | FaultKind::Html
                | FaultKind::Redirect { .. }
                | FaultKind::RateLimit { .. }
                | FaultKind::HugeBody { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct FaultRule {
    pub id: u64,
    pub kind: FaultKind,
    pub remaining: u64,
    pub action: Option<String>,
    pub key: Option<String>,
    /// Only requests about one of these order or refill IDs (see `request_ids`).
    pub ids: Option<Vec<u64>>,
    pub process: bool,
}

/// The order and refill IDs a request is about: its `order`, `orders`, `refill` and `refills`
/// fields, comma-separated lists read as the panel reads them.
pub fn request_ids<'a>(field: impl Fn(&str) -> Option<&'a str>) -> Vec<u64> {
    ["order", "orders", "refill", "refills"]
        .into_iter()
        .filter_map(field)
        .flat_map(|list| list.split(','))
        .filter_map(|id| u64::try_from(intval(id.trim())).ok().filter(|&n| n > 0))
        .collect()
}

impl FaultRule {
    /// `ids`: the request's, from `request_ids`.
    pub fn matches(&self, action: Option<&str>, key: Option<&str>, ids: &[u64]) -> bool {
        self.remaining > 0
            && self.action.as_deref().is_none_or(|a| Some(a) == action)
            && self.key.as_deref().is_none_or(|k| Some(k) == key)
            && self.ids.as_deref().is_none_or(|wanted| wanted.iter().any(|id| ids.contains(id)))
    }

    pub fn to_json(&self) -> J {
        let mut v = J::obj([
            ("id", J::int(self.id)),
            ("fault", J::str(self.kind.name())),
            ("remaining", J::int(self.remaining)),
            ("action", self.action.clone().map_or(J::Null, J::Str)),
            ("key", self.key.as_deref().map_or(J::Null, |k| J::Str(mask_key(k)))),
        ]);
        if let Some(ids) = &self.ids {
            v.push("ids", J::Arr(ids.iter().map(|&id| J::int(id)).collect()));
        }
        v.push("process", J::Bool(self.process));
        match &self.kind {
            FaultKind::Latency { ms } => v.push("ms", J::int(*ms)),
            FaultKind::Status { status, body, .. } => {
                v.push("status", J::int(*status));
                v.push("body", J::str(body.clone()));
            }
            FaultKind::Redirect { status, location } => {
                v.push("status", J::int(*status));
                v.push("location", location.clone().map_or(J::Null, J::Str));
            }
            FaultKind::RateLimit { retry_after, status, .. } => {
                v.push("status", J::int(*status));
                v.push("retry_after", retry_after.map_or(J::Null, J::int));
            }
            FaultKind::ResetMidBody { bytes } => v.push("bytes", bytes.map_or(J::Null, |b| J::int(b as u64))),
            FaultKind::HugeBody { size } => v.push("size", J::int(*size as u64)),
            FaultKind::SlowDrip { interval_ms } => v.push("interval_ms", J::int(*interval_ms)),
            _ => {}
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    #[error("a fault must be a JSON object")]
    NotObject,
    #[error("missing \"fault\"")]
    MissingName,
    #[error("unknown fault {0:?}")]
    Unknown(String),
    #[error("field {0:?} has the wrong type or range")]
    BadField(&'static str),
}

fn u64_field(o: &serde_json::Map<String, Value>, name: &'static str) -> Result<Option<u64>, FaultError> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_u64().map(Some).ok_or(FaultError::BadField(name)),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| FaultError::BadField(name)),
        Some(_) => Err(FaultError::BadField(name)),
    }
}

fn str_field(o: &serde_json::Map<String, Value>, name: &'static str) -> Result<Option<String>, FaultError> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(FaultError::BadField(name)),
    }
}

/// A non-empty list of positive IDs (numbers, or digits in strings).
fn ids_field(o: &serde_json::Map<String, Value>, name: &'static str) -> Result<Option<Vec<u64>>, FaultError> {
    let items = match o.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(_) => return Err(FaultError::BadField(name)),
    };
    let id = |v: &Value| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    items.iter().map(|v| id(v).filter(|&n| n > 0).ok_or(FaultError::BadField(name))).collect::<Result<_, _>>().map(Some)
}

fn status_field(o: &serde_json::Map<String, Value>, default: u16) -> Result<u16, FaultError> {
    match u64_field(o, "status")? {
        None => Ok(default),
        Some(s) if (100..=999).contains(&s) => Ok(s as u16),
        Some(_) => Err(FaultError::BadField("status")),
    }
}

/// Parses one rule of `POST /__sim/faults`.
pub fn parse_rule(v: &Value, id: u64) -> Result<FaultRule, FaultError> {
    let o = v.as_object().ok_or(FaultError::NotObject)?;
    let name = o.get("fault").and_then(Value::as_str).ok_or(FaultError::MissingName)?;
    let kind = match name {
        "latency" => FaultKind::Latency { ms: u64_field(o, "ms")?.unwrap_or(1000) },
        "status" => FaultKind::Status {
            status: status_field(o, 500)?,
            body: str_field(o, "body")?.unwrap_or_default(),
            content_type: str_field(o, "content_type")?.unwrap_or_else(|| "text/html; charset=UTF-8".into()),
        },
        "html" => FaultKind::Html,
        "malformed_json" => FaultKind::MalformedJson,
        "empty" => FaultKind::Empty,
        "bom" => FaultKind::Bom,
        "php_notice" => FaultKind::PhpNotice,
        "php_error_block" => FaultKind::PhpErrorBlock,
        "redirect" => FaultKind::Redirect { status: status_field(o, 301)?, location: str_field(o, "location")? },
        "rate_limit" => FaultKind::RateLimit {
            // Absent: 1 second; explicit null: no Retry-After header at all (some panels omit it).
            retry_after: match o.get("retry_after") {
                None => Some(1),
                Some(Value::Null) => None,
                Some(_) => u64_field(o, "retry_after")?,
            },
            status: status_field(o, 429)?,
            body: str_field(o, "body")?.unwrap_or_else(|| "{\"error\":\"Rate limit exceeded. Slow down.\"}".into()),
        },
        "close" => FaultKind::Close,
        "reset_mid_body" => FaultKind::ResetMidBody { bytes: u64_field(o, "bytes")?.map(|b| b as usize) },
        "huge_body" => FaultKind::HugeBody { size: u64_field(o, "size")?.unwrap_or(50 * 1024 * 1024) as usize },
        "slow_drip" => FaultKind::SlowDrip { interval_ms: u64_field(o, "interval_ms")?.unwrap_or(100) },
        other => return Err(FaultError::Unknown(other.to_string())),
    };
    let process = match o.get("process") {
        None | Some(Value::Null) => kind.default_process(),
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(FaultError::BadField("process")),
    };
    Ok(FaultRule {
        id,
        remaining: u64_field(o, "count")?.unwrap_or(1),
        action: str_field(o, "action")?,
        key: str_field(o, "key")?,
        ids: ids_field(o, "ids")?,
        process,
        kind,
    })
}

pub const CLOUDFLARE_PAGE: &str = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>\
<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><meta name=\"robots\" content=\"noindex,nofollow\">\
</head><body><div class=\"main-wrapper\" role=\"main\"><div class=\"main-content\"><h1>Checking if the site connection is secure</h1>\
<p>Enable JavaScript and cookies to continue</p></div></div></body></html>";

/// What CodeIgniter 3 prints for a PHP error when `display_errors` is on: its own HTML block
/// (not PHP's), here for E_DEPRECATED, which CodeIgniter names only by number.
pub const PHP_ERROR_BLOCK: &str = "<div style=\"border:1px solid #990000;padding-left:20px;margin:0 0 10px 0;\">\n\n<h4>A PHP Error was encountered</h4>\n\n<p>Severity: 8192</p>\n<p>Message:  Required parameter $link follows optional parameter $type</p>\n<p>Filename: controllers/Api.php</p>\n<p>Line Number: 42</p>\n\n\n\t<p>Backtrace:</p>\n\t\t\t<p style=\"margin-left:10px\">\n\t\t\tFile: /var/www/html/application/controllers/Api.php<br />\n\t\t\tLine: 42<br />\n\t\t\tFunction: _error_handler\t\t\t</p>\n\n</div>";

pub const PHP_NOTICE: &str =
    "<br />\n<b>Notice</b>:  Undefined index: type in <b>/var/www/html/api/v2/index.php</b> on line <b>42</b><br />\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules() {
        let r = parse_rule(&serde_json::json!({"fault":"rate_limit","count":2,"action":"balance","key":"k","retry_after":3}), 1);
        let r = r.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.remaining, 2);
        assert!(!r.process);
        assert_eq!(
            r.kind,
            FaultKind::RateLimit { retry_after: Some(3), status: 429, body: "{\"error\":\"Rate limit exceeded. Slow down.\"}".into() }
        );
        assert!(r.matches(Some("balance"), Some("k"), &[]));
        assert!(!r.matches(Some("add"), Some("k"), &[]));
        assert!(!r.matches(Some("balance"), Some("other"), &[]));
        let r = parse_rule(&serde_json::json!({"fault":"close","process":false}), 2).unwrap_or_else(|e| panic!("{e}"));
        assert!(!r.process && r.remaining == 1);
        assert_eq!(parse_rule(&serde_json::json!({"fault":"nope"}), 3).err(), Some(FaultError::Unknown("nope".into())));
    }

    #[test]
    fn ids_match_any_id_of_the_request() {
        let r = parse_rule(&serde_json::json!({"fault":"close","ids":[201,"7"]}), 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.ids, Some(vec![201, 7]));
        assert!(r.matches(Some("status"), None, &[200, 201, 202]));
        assert!(r.matches(Some("refill"), None, &[7]));
        assert!(!r.matches(Some("status"), None, &[20, 2010]));
        assert!(!r.matches(Some("balance"), None, &[]));
        let fields = [("orders", " 5, 201 ,x"), ("refill", "7")];
        let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        assert_eq!(request_ids(get), vec![5, 201, 7]);
        for bad in [serde_json::json!([]), serde_json::json!([0]), serde_json::json!("201"), serde_json::json!([-1])] {
            let err = parse_rule(&serde_json::json!({"fault":"close","ids":bad}), 2).err();
            assert_eq!(err, Some(FaultError::BadField("ids")), "{bad}");
        }
    }
}
