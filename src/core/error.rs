//! The one error type of the SDK. Its fields map one to one onto the JavaScript `SmmError`.

use crate::core::call::Action;
use crate::core::redact::{redact_cut, redact_cut_in_json, render_outside, strip_outside};
pub(crate) use smm_panel_wire::text::truncate;
use smm_panel_wire::text::{outside, push_outside};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidRequest,
    Api,
    Http,
    Network,
    Timeout,
    Aborted,
    Decode,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::Api => "api",
            ErrorCode::Http => "http",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::Decode => "decode",
        }
    }
}

/// Whether the panel may have acted on the request: what a caller needs to know before
/// retrying a write by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    NotSent,
    Unknown,
    Received,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::NotSent => "not_sent",
            Delivery::Unknown => "unknown",
            Delivery::Received => "received",
        }
    }
}

#[derive(Debug, Clone)]
struct Inner {
    code: ErrorCode,
    delivery: Delivery,
    action: Option<Action>,
    field: Option<String>,
    status: Option<u16>,
    api_message: Option<String>,
    excerpt: Option<String>,
    /// The sentence, with outside text marked (`smm_panel_wire::text::OUTSIDE_START`): the SDK's
    /// own words never carry the key, so only the marked parts are redacted.
    message: String,
    retry_after_ms: Option<u32>,
    /// For a failed `*Many` call: the JSON array of every ID's outcome (see `BatchPlan::finish`).
    results: Option<String>,
}

/// Boxed so that `Result<_, SmmError>` stays one pointer wide on the hot paths.
#[derive(Debug, Clone)]
pub struct SmmError(Box<Inner>);

impl std::fmt::Display for SmmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SmmError {}

/// Longest panel text kept in a message; apiMessage itself is kept up to `API_MESSAGE_MAX`.
const MESSAGE_API_TEXT_MAX: usize = 300;
const API_MESSAGE_MAX: usize = 2000;

fn write_caution(action: Action) -> &'static str {
    match action {
        Action::Add => "; the order may have been placed: check the panel before sending it again",
        Action::Refill => "; the refill may have been requested: check the panel before sending it again",
        Action::Cancel => "; the cancellation may have been requested: check the panel before sending it again",
        _ => "",
    }
}

/// An answer that is neither a result the SDK could read nor a refusal (an empty body, HTML, a
/// PHP error, JSON of another shape, a body cut off or too large, a redirect, an HTTP error
/// without an error body): whoever sent it, the panel may have run the request first. SmartPanel
/// panels answer an empty 200 after the order row exists; PHP prints a warning instead of the
/// JSON. So for a write it is "unknown" whatever the status: "received" would invite a resend
/// that buys the order twice. A read is safe to repeat: "received".
fn unreadable_delivery(action: Action) -> Delivery {
    if action.is_write() {
        Delivery::Unknown
    } else {
        Delivery::Received
    }
}

/// Who answered an HTTP error may not be the panel: a gateway (a proxy timing out, Cloudflare's
/// 52x) or a crashed script can stand between. For a write those answers leave open whether the
/// panel acted, so they are "unknown", never "received": nobody should resend an order on them.
/// (503 is left out: Cloudflare's challenge page and a down panel answer before anything ran.)
fn answered_delivery(action: Action, status: u16) -> Delivery {
    if action.is_write() && matches!(status, 500 | 502 | 504 | 520..=527) {
        Delivery::Unknown
    } else {
        Delivery::Received
    }
}

impl SmmError {
    fn new(code: ErrorCode, delivery: Delivery, action: Option<Action>, message: String) -> SmmError {
        SmmError(Box::new(Inner {
            code,
            delivery,
            action,
            field: None,
            status: None,
            api_message: None,
            excerpt: None,
            message,
            retry_after_ms: None,
            results: None,
        }))
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    pub fn delivery(&self) -> Delivery {
        self.0.delivery
    }

    /// The wire name of the action, e.g. "add".
    pub fn action(&self) -> Option<&'static str> {
        self.0.action.map(Action::wire_name)
    }

    pub fn action_kind(&self) -> Option<Action> {
        self.0.action
    }

    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    pub fn api_message(&self) -> Option<&str> {
        self.0.api_message.as_deref()
    }

    /// The start of an unreadable answer, as quoted in the message.
    pub fn excerpt(&self) -> Option<&str> {
        self.0.excerpt.as_deref()
    }

    /// The sentence for a person.
    pub fn message(&self) -> String {
        strip_outside(&self.0.message)
    }

    /// The sentence with its outside text still marked, for an error built from this one.
    pub(crate) fn marked_message(&self) -> &str {
        &self.0.message
    }

    /// From a 429 answer's Retry-After, for the retry policy.
    pub fn retry_after_ms(&self) -> Option<u32> {
        self.0.retry_after_ms
    }

    /// For a failed `*Many` call, one entry per ID given (a JSON array): what every request that
    /// finished answered, and why the others have no answer.
    pub fn results(&self) -> Option<String> {
        self.0.results.as_deref().map(strip_outside)
    }

    /// The error as the JSON object the JavaScript driver builds its `SmmError` from (`message`,
    /// `code`, `delivery`, and `action`, `field`, `status`, `apiMessage`, `results` when known).
    /// Call it on a `redacted` error: it writes what the error holds.
    pub fn to_json(&self) -> String {
        let e = &*self.0;
        let mut out = String::with_capacity(e.message.len() + 96);
        let text = |out: &mut String, name: &str, value: &str| {
            out.push_str(if out.is_empty() { "{\"" } else { ",\"" });
            out.push_str(name);
            out.push_str("\":");
            crate::core::json::write_str(out, value);
        };
        text(&mut out, "message", &self.message());
        text(&mut out, "code", e.code.as_str());
        text(&mut out, "delivery", e.delivery.as_str());
        if let Some(action) = self.action() {
            text(&mut out, "action", action);
        }
        if let Some(field) = self.field() {
            text(&mut out, "field", field);
        }
        if let Some(message) = self.api_message() {
            text(&mut out, "apiMessage", message);
        }
        if let Some(status) = e.status {
            out.push_str(",\"status\":");
            crate::core::json::write_int(&mut out, i64::from(status));
        }
        if let Some(results) = self.results() {
            out.push_str(",\"results\":");
            out.push_str(&results);
        }
        out.push('}');
        out
    }

    pub(crate) fn with_results(mut self, results_json: String) -> SmmError {
        self.0.results = Some(results_json);
        self
    }

    /// Removes every appearance of the key (as typed, and as it looks form-urlencoded or
    /// percent-encoded) from the text that came from outside: the panel's message, the excerpt of
    /// its answer, and the values quoted in the message. The SDK's own words (the field, the
    /// action, the sentence) are never touched: they cannot contain the key, and a short key
    /// such as "k" must not turn `link` into `lin[redacted]`.
    pub fn redacted(mut self, key: Option<&str>) -> SmmError {
        let key = key.filter(|k| !k.is_empty());
        // A failed *Many call's results carry outside text marked, as messages do (the item
        // errors panels sent, the failed requests' messages): rendered here, key or no key.
        if let Some(r) = self.0.results.take() {
            self.0.results = Some(match key {
                Some(key) => render_outside(&r, &|segment, out| out.push_str(&redact_cut_in_json(segment, key))),
                None => strip_outside(&r),
            });
        }
        let Some(key) = key else { return self };
        let inner = &mut *self.0;
        inner.message = render_outside(&inner.message, &|segment, out| push_outside(out, &redact_cut(segment, key)));
        if let Some(m) = inner.api_message.take() {
            inner.api_message = Some(redact_cut(&m, key));
        }
        if let Some(e) = inner.excerpt.take() {
            inner.excerpt = Some(redact_cut(&e, key));
        }
        self
    }

    /// fetch rejected. A browser reports a CORS-hidden answer and a connection reset the same
    /// way, so the panel may have acted.
    pub fn network(action: Action) -> SmmError {
        let message = format!(
            "could not get an answer from the panel for \"{}\" (network failure, or the browser hid \
             the answer because the panel sends no CORS headers){}",
            action.wire_name(),
            write_caution(action)
        );
        SmmError::new(ErrorCode::Network, Delivery::Unknown, Some(action), message)
    }

    pub fn timeout(action: Action, ms: u32) -> SmmError {
        let message = format!("\"{}\" got no answer within {} ms{}", action.wire_name(), ms, write_caution(action));
        SmmError::new(ErrorCode::Timeout, Delivery::Unknown, Some(action), message)
    }

    pub fn aborted(action: Action, request_started: bool) -> SmmError {
        let (delivery, message) = if request_started {
            (Delivery::Unknown, format!("\"{}\" was aborted after the request was sent{}", action.wire_name(), write_caution(action)))
        } else {
            (Delivery::NotSent, format!("\"{}\" was aborted before anything was sent", action.wire_name()))
        };
        SmmError::new(ErrorCode::Aborted, delivery, Some(action), message)
    }

    /// `status` 0 is a browser's opaque redirect (`redirect: "manual"` hides the status): the
    /// error then carries no status and says "a redirect" without a number.
    pub fn redirected(action: Action, status: u16) -> SmmError {
        let shown = if status == 0 { String::new() } else { format!(" (HTTP {status})") };
        let message = format!(
            "the panel answered \"{}\" with a redirect{shown}; redirects are not followed because \
             the key travels in the body: use the final URL as apiUrl{}",
            action.wire_name(),
            write_caution(action)
        );
        let mut e = SmmError::new(ErrorCode::Http, unreadable_delivery(action), Some(action), message);
        e.0.status = (status != 0).then_some(status);
        e
    }

    /// The panel answered with `status` and a body over `limit` bytes, which was not read.
    pub fn too_large(action: Action, status: u16, limit: usize) -> SmmError {
        let message = format!("the panel's answer to \"{}\" is larger than {} bytes{}", action.wire_name(), limit, write_caution(action));
        let mut e = SmmError::new(ErrorCode::Decode, unreadable_delivery(action), Some(action), message);
        e.0.status = Some(status);
        e
    }

    /// The panel answered but the SDK could not hand the result over (a bug of ours, reported
    /// instead of panicking). Never "not sent": for a write, the panel may have acted.
    pub fn unreadable_result(action: Action) -> SmmError {
        let message = format!(
            "internal error: the answer to \"{}\" could not be converted for JavaScript{}",
            action.wire_name(),
            write_caution(action)
        );
        SmmError::new(ErrorCode::Decode, unreadable_delivery(action), Some(action), message)
    }

    /// A refused argument or option: nothing was sent.
    pub fn invalid(field: &str, message: String) -> SmmError {
        let mut e = SmmError::new(ErrorCode::InvalidRequest, Delivery::NotSent, None, message);
        e.0.field = Some(field.to_owned());
        e
    }

    pub(crate) fn invalid_for(action: Action, field: &str, message: String) -> SmmError {
        let mut e = SmmError::invalid(field, message);
        e.0.action = Some(action);
        e
    }

    /// The panel said no, in any of the error shapes panels use, whatever the HTTP status.
    pub(crate) fn api(action: Action, status: u16, api_message: Option<&str>, retry_after_ms: Option<u32>) -> SmmError {
        let text = api_message.map(str::trim).filter(|m| !m.is_empty());
        let delivery = answered_delivery(action, status);
        let mut message = match text {
            Some(m) => format!("the panel refused \"{}\": {}", action.wire_name(), outside(&truncate(m, MESSAGE_API_TEXT_MAX))),
            None => format!("the panel refused \"{}\" without saying why", action.wire_name()),
        };
        if delivery == Delivery::Unknown {
            message.push_str(&format!(" (HTTP {status}){}", write_caution(action)));
        }
        let mut e = SmmError::new(ErrorCode::Api, delivery, Some(action), message);
        e.0.status = Some(status);
        e.0.api_message = text.map(|m| truncate(m, API_MESSAGE_MAX));
        e.0.retry_after_ms = retry_after_ms;
        e
    }

    pub(crate) fn http(action: Action, status: u16, retry_after_ms: Option<u32>, excerpt: Option<String>) -> SmmError {
        let mut message = format!("the panel answered \"{}\" with HTTP {}", action.wire_name(), status);
        if let Some(x) = excerpt.as_deref().filter(|x| !x.is_empty()) {
            message.push_str(": \"");
            push_outside(&mut message, x);
            message.push('"');
        }
        // No error body: not a refusal, so not "received" for a write, whatever the status.
        let delivery = unreadable_delivery(action);
        message.push_str(write_caution(action));
        let mut e = SmmError::new(ErrorCode::Http, delivery, Some(action), message);
        e.0.status = Some(status);
        e.0.retry_after_ms = retry_after_ms;
        e.0.excerpt = excerpt;
        e
    }

    /// An answer that is not JSON or not of the documented shape. `what` says what was wrong.
    pub(crate) fn decode(action: Action, status: u16, what: &str, excerpt: Option<String>) -> SmmError {
        let mut message = format!("could not read the panel's answer to \"{}\": {}", action.wire_name(), what);
        if let Some(x) = excerpt.as_deref().filter(|x| !x.is_empty()) {
            message.push_str(" (answer began: \"");
            push_outside(&mut message, x);
            message.push_str("\")");
        }
        message.push_str(write_caution(action));
        let mut e = SmmError::new(ErrorCode::Decode, unreadable_delivery(action), Some(action), message);
        e.0.status = Some(status);
        e.0.excerpt = excerpt;
        e
    }
}
