//! Reading panel answers leniently (every quirk in docs/WIRE.md "Quirks real panels show") into the shapes of docs/CONTRACT.md "Models",
//! written straight out as JSON text in one pass.

use std::borrow::Cow;
use std::fmt::Display;

use crate::core::body::{body_text, excerpt, parse_lenient, retry_after_ms};
use crate::core::call::Action;
use crate::core::call::Call;
use crate::core::error::SmmError;
use crate::core::json::{Kind, Scalar, V};
use crate::core::model::{
    AddOrderResult, Balance, CancelResult, DripfeedStatus, DripfeedStatusItem, OrderItemError, OrderKind, OrderStatus, OrderStatusItem,
    RefillItemError, RefillResult, RefillStatus, Service, WriteJson,
};
use crate::core::num::int_from_text;
use crate::core::validate::describe;
use smm_panel_wire::fields::{flag, got, id_value, int_text, int_value, money, word_in};
use smm_panel_wire::services::{services_stream, At, ServiceSlots};
use smm_panel_wire::text::{contains, outside};

/// Why an answer could not be turned into a result.
pub(crate) enum Fail {
    /// Valid JSON of the wrong shape; the text says what was wrong.
    Shape(String),
    /// An error reported inside the answer (e.g. `{"refill": {"error": "…"}}`).
    Api(Option<String>),
}

impl From<String> for Fail {
    fn from(s: String) -> Fail {
        Fail::Shape(s)
    }
}

type R<T> = Result<T, Fail>;

/// The frame every answer goes through: text, JSON, error shapes, HTTP status, then `decode`.
pub(crate) fn interpret_with(
    action: Action,
    http_status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    // A trait object, not a generic: one copy of this frame in the .wasm serves every decoder
    // (a generic was inlined once per call, ~1 KB each).
    decode: &mut dyn FnMut(V<'_, '_>, &mut String) -> R<()>,
) -> Result<String, SmmError> {
    let text = body_text(body);
    let retry_ms = retry_after_ms(retry_after);
    let ok_status = (200..300).contains(&http_status);
    let Some(doc) = parse_lenient(&text) else {
        let x = excerpt(&text);
        if !ok_status {
            return Err(SmmError::http(action, http_status, retry_ms, Some(x)));
        }
        let what = if text.trim().is_empty() { "the answer was empty" } else { "the answer is not JSON" };
        return Err(SmmError::decode(action, http_status, what, Some(x)));
    };
    let root = doc.root();
    if let Some(msg) = api_error(root) {
        return Err(SmmError::api(action, http_status, msg.as_deref(), retry_ms));
    }
    if !ok_status {
        return Err(SmmError::http(action, http_status, retry_ms, Some(excerpt(&text))));
    }
    let root = unwrap_success(root);
    let mut out = String::with_capacity(text.len() / 2 + 64);
    match decode(root, &mut out) {
        Ok(()) => Ok(out),
        Err(Fail::Shape(what)) => Err(SmmError::decode(action, http_status, &what, Some(excerpt(&text)))),
        Err(Fail::Api(msg)) => Err(SmmError::api(action, http_status, msg.as_deref(), retry_ms)),
    }
}

/// What a request sent that its answer is read against.
#[derive(Debug, Default)]
pub(crate) struct Sent<'a> {
    /// The one ID of a single-ID call (0 otherwise).
    pub id: u64,
    /// The IDs of a `*Many` chunk.
    pub ids: &'a [u64],
    /// Whether an `add` asked for drip-feed.
    pub dripfeed: bool,
}

/// Reads the answer to one request of `call`: each call's decoder, by its row. A new call's
/// decoder is added here, next to the others.
pub(crate) fn interpret(call: Call, sent: &Sent<'_>, http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<String, SmmError> {
    let action = call.action();
    let Sent { id, ids, dripfeed: dripfeed_sent } = *sent;
    let read = |decode: &mut dyn FnMut(V<'_, '_>, &mut String) -> R<()>| interpret_with(action, http_status, retry_after, body, decode);
    match call {
        Call::Services => interpret_services(http_status, retry_after, body),
        Call::Balance => read(&mut balance),
        Call::AddOrder => read(&mut |r, o| add(r, o, dripfeed_sent)),
        Call::OrderStatus => read(&mut status),
        Call::DripfeedStatus => read(&mut dripfeed),
        Call::Refill => read(&mut |r, o| refill(r, o, id)),
        Call::RefillStatus => read(&mut |r, o| refill_status(r, o, id)),
        Call::Cancel => read(&mut |r, o| cancel(r, o, id)),
        Call::OrderStatusMany | Call::DripfeedStatusMany | Call::RefillMany | Call::RefillStatusMany | Call::CancelMany => {
            read(&mut |r, o| many_array(call, ids, r, o))
        }
    }
}

/// services: the streaming reader first (the usual, large answer), the general path for
/// anything it does not take (wrappers, errors, notices, quirks it leaves to the full parser).
pub(crate) fn interpret_services(http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<String, SmmError> {
    if (200..300).contains(&http_status) {
        let text = body_text(body);
        let mut out = String::new();
        if services_stream(&text, &mut out).is_some() {
            return Ok(out);
        }
    }
    interpret_with(Action::Services, http_status, retry_after, body, &mut services)
}

fn lower_trim(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

fn str_of<'a>(v: Option<V<'_, 'a>>) -> Option<Cow<'a, str>> {
    v.and_then(|v| v.str())
}

/// The first non-empty message among the usual keys.
fn message_of<'a>(obj: V<'_, 'a>) -> Option<String> {
    ["message", "msg", "error", "error_message", "description"]
        .iter()
        .filter_map(|k| str_of(obj.get(k)))
        .map(|s| s.trim().to_owned())
        .find(|s| !s.is_empty())
}

fn truthy(v: V<'_, '_>) -> bool {
    match v.kind() {
        Kind::Bool => v.as_bool() == Some(true),
        Kind::Num => v.num_text().is_some_and(|t| int_from_text(t) != Ok(0)),
        Kind::Str => !word_in(&v.str().unwrap_or_default(), &["", "0", "false", "no"]),
        _ => false,
    }
}

fn falsy_flag(v: V<'_, '_>) -> bool {
    match v.kind() {
        Kind::Bool => v.as_bool() == Some(false),
        Kind::Num => v.num_text().is_some_and(|t| int_from_text(t) == Ok(0)),
        Kind::Str => word_in(&v.str().unwrap_or_default(), &["0", "false", "no"]),
        _ => false,
    }
}

/// Text of an error value: a string, or an object carrying a message.
fn error_text<'a>(v: V<'_, 'a>) -> Option<Cow<'a, str>> {
    match v.kind() {
        Kind::Str => v.str().filter(|s| !s.trim().is_empty()),
        Kind::Obj => ["error", "message", "msg"].iter().find_map(|k| str_of(v.get(k)).filter(|s| !s.trim().is_empty())),
        _ => None,
    }
}

/// A top-level error in any of the shapes panels use. `Some(None)`: an error without text.
fn api_error(root: V<'_, '_>) -> Option<Option<String>> {
    if root.kind() != Kind::Obj {
        return None;
    }
    if let Some(e) = root.get("error") {
        if let Some(t) = error_text(e) {
            return Some(Some(t.trim().to_owned()));
        }
        if truthy(e) {
            return Some(message_of(root));
        }
    }
    // `{"status":"error","message":…}`. An order or refill may really have the status "Error",
    // so only the form with a message counts.
    if let Some(s) = str_of(root.get("status")) {
        if matches!(lower_trim(&s).as_str(), "error" | "fail" | "failed") && (root.get("message").is_some() || root.get("msg").is_some()) {
            return Some(message_of(root));
        }
    }
    if let Some(s) = root.get("success") {
        if falsy_flag(s) {
            return Some(message_of(root));
        }
    }
    None
}

/// `{"status":"success","data":…}` → the data.
fn unwrap_success<'d, 'a>(root: V<'d, 'a>) -> V<'d, 'a> {
    if root.kind() != Kind::Obj {
        return root;
    }
    let Some(data) = root.get("data").filter(|d| matches!(d.kind(), Kind::Obj | Kind::Arr)) else { return root };
    let ok_status = str_of(root.get("status")).is_some_and(|s| matches!(lower_trim(&s).as_str(), "success" | "ok"));
    let ok_flag = root.get("success").is_some_and(truthy);
    if ok_status || ok_flag {
        data
    } else {
        root
    }
}

// ---- fields -------------------------------------------------------------------------------------

/// Placeholders panels use for "not known".
fn is_unknown_word(s: &str) -> bool {
    word_in(s, &["", "unknown", "n/a", "na", "-", "none", "null"])
}

fn is_unknown<'a, S: Scalar<'a>>(v: Option<S>) -> bool {
    match v {
        None => true,
        Some(v) => v.is_null() || (v.kind() == Kind::Str && is_unknown_word(&v.str().unwrap_or_default())),
    }
}

fn nullable_int<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<Option<i64>, String> {
    if is_unknown(v) {
        Ok(None)
    } else {
        int_value(v, name).map(Some)
    }
}

fn nullable_money<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<Option<Cow<'a, str>>, String> {
    if is_unknown(v) {
        Ok(None)
    } else {
        money(v, name).map(Some)
    }
}

/// Free text; a number is taken as its text, absence as "".
fn text<'a, S: Scalar<'a>>(v: Option<S>) -> Cow<'a, str> {
    match v {
        Some(val) => match val.kind() {
            Kind::Str => val.str().unwrap_or_default(),
            Kind::Num => Cow::Borrowed(val.num_text().unwrap_or("")),
            _ => Cow::Borrowed(""),
        },
        None => Cow::Borrowed(""),
    }
}

/// Known statuses: the folded spelling (lower case, no spaces, `_` or `-`) and the canonical one.
/// A table and one loop: a `match` on byte strings compiled to ~2 KB of wasm.
const STATUSES: [(&str, &str); 17] = [
    ("pending", "Pending"),
    ("inprogress", "In progress"),
    ("processing", "Processing"),
    ("completed", "Completed"),
    ("complete", "Completed"),
    ("partial", "Partial"),
    ("canceled", "Canceled"),
    ("cancelled", "Canceled"),
    ("refunded", "Refunded"),
    ("active", "Active"),
    ("fail", "Fail"),
    ("failed", "Fail"),
    ("error", "Error"),
    ("paused", "Paused"),
    ("expired", "Expired"),
    ("rejected", "Rejected"),
    ("awaiting", "Awaiting"),
];

/// The canonical spelling of a known status (matched ignoring case, spaces, `_` and `-`).
fn canonical_status(s: &str) -> Option<&'static str> {
    let mut key = [0u8; 16];
    let mut n = 0;
    for b in s.trim().bytes() {
        if matches!(b, b' ' | b'_' | b'-') {
            continue;
        }
        *key.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    let folded = key.get(..n)?;
    STATUSES.iter().find(|(k, _)| k.as_bytes() == folded).map(|&(_, canonical)| canonical)
}

/// Known status spellings in their canonical form; anything else unchanged.
pub(crate) fn normalise_status(s: Cow<'_, str>) -> Cow<'_, str> {
    match canonical_status(&s) {
        Some(c) => Cow::Borrowed(c),
        None => s,
    }
}

fn is_known_status(s: &str) -> bool {
    canonical_status(s).is_some()
}

/// Refill-status answers put the item error where the status goes (`{"refill": 3, "status":
/// {"error": "Refill not found"}}`), and SmartPanel-like panels write it bare: `"status": "Refill
/// not found"`. Unknown statuses otherwise pass through, so only text that is no known status
/// and reads as an error message counts as one.
fn reads_as_error(status: &str) -> bool {
    if is_known_status(status) {
        return false;
    }
    let lower = status.to_ascii_lowercase();
    ["not found", "incorrect", "invalid", "not exist", "doesn't exist", "wrong", "denied"].iter().any(|marker| contains(&lower, marker))
}

/// A refill-status payload that is an error message in the status's place.
fn bare_status_error(payload: Option<V<'_, '_>>) -> Option<String> {
    let payload = payload.filter(|p| p.kind() == Kind::Str)?;
    let text = payload.str().unwrap_or_default();
    reads_as_error(text.trim()).then(|| text.trim().to_owned())
}

fn status_text<'a, S: Scalar<'a>>(v: Option<S>, name: &dyn Display) -> Result<Cow<'a, str>, String> {
    match v {
        Some(val) if val.kind() == Kind::Str => Ok(normalise_status(val.str().unwrap_or_default())),
        Some(val) if val.kind() == Kind::Num => Ok(Cow::Borrowed(val.num_text().unwrap_or(""))),
        _ => Err(format!("{name} must be a status text (got {})", got(v))),
    }
}

fn expect_object(v: V<'_, '_>, what: &str) -> Result<(), String> {
    if v.kind() == Kind::Obj {
        Ok(())
    } else {
        Err(format!("expected {what}, got {}", describe(Some(v))))
    }
}

// ---- services -----------------------------------------------------------------------------------

fn write_service(item: V<'_, '_>, i: usize, out: &mut String) -> Result<(), String> {
    if item.kind() != Kind::Obj {
        return Err(format!("services[{i}] is not an object (got {})", describe(Some(item))));
    }
    let mut slots = ServiceSlots::new();
    for (k, v) in item.entries() {
        if let Some(key) = k.str() {
            slots.set_raw(key.as_bytes(), v);
        }
    }
    slots.write(i, out)
}

/// The typed view of one service (what `write_service` writes), for Rust callers and tests.
#[allow(dead_code)]
pub(crate) fn service<'a>(item: V<'_, 'a>, i: usize) -> Result<Service<'a>, String> {
    if item.kind() != Kind::Obj {
        return Err(format!("services[{i}] is not an object (got {})", describe(Some(item))));
    }
    let get = |k: &str| item.get(k);
    Ok(Service {
        service: id_value(get("service"), &At(i, "service"))?,
        name: text(get("name")),
        r#type: text(get("type")),
        category: text(get("category")),
        rate: money(get("rate"), &At(i, "rate"))?,
        min: int_value(get("min"), &At(i, "min"))?,
        max: int_value(get("max"), &At(i, "max"))?,
        refill: flag(get("refill"), &At(i, "refill"))?.unwrap_or(false),
        cancel: flag(get("cancel"), &At(i, "cancel"))?.unwrap_or(false),
        dripfeed: flag(get("dripfeed"), &At(i, "dripfeed"))?,
        description: [get("description"), get("desc")]
            .into_iter()
            .flatten()
            .find(|v| v.kind() == Kind::Str && !v.is_blank_str())
            .and_then(|v| v.str()),
    })
}

pub(crate) fn services(root: V<'_, '_>, out: &mut String) -> R<()> {
    let list = match root.kind() {
        Kind::Arr => Some(root),
        Kind::Obj => {
            let wrapped = ["services", "data"].iter().find_map(|k| root.get(k).filter(|v| v.kind() == Kind::Arr));
            // Some panels key the list by service ID.
            let keyed = !root.is_empty() && root.entries().all(|(_, v)| v.kind() == Kind::Obj);
            wrapped.or(keyed.then_some(root))
        }
        _ => None,
    };
    let Some(list) = list else {
        return Err(format!("expected a list of services, got {}", describe(Some(root))).into());
    };
    out.push('[');
    let values: Box<dyn Iterator<Item = V<'_, '_>>> =
        if list.kind() == Kind::Arr { Box::new(list.items()) } else { Box::new(list.entries().map(|(_, v)| v)) };
    for (i, item) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_service(item, i, out)?;
    }
    out.push(']');
    Ok(())
}

// ---- balance, add -------------------------------------------------------------------------------

pub(crate) fn balance(root: V<'_, '_>, out: &mut String) -> R<()> {
    expect_object(root, "an object with a balance")?;
    let b = Balance { balance: money(root.get("balance"), &"balance")?, currency: text(root.get("currency")) };
    b.write_json(out);
    Ok(())
}

pub(crate) fn add(root: V<'_, '_>, out: &mut String, dripfeed_sent: bool) -> R<()> {
    expect_object(root, "an object with the new order's ID")?;
    let id = root.get("order").or_else(|| root.get("order_id"));
    let order = id_value(id, &"order")?;
    let kind = match str_of(root.get("type")).map(|t| lower_trim(&t)).as_deref() {
        Some("dripfeed" | "drip-feed" | "drip_feed" | "drip feed") => OrderKind::Dripfeed,
        Some("normal" | "default") => OrderKind::Normal,
        _ if dripfeed_sent => OrderKind::Dripfeed,
        _ => OrderKind::Normal,
    };
    AddOrderResult { order, r#type: kind }.write_json(out);
    Ok(())
}

// ---- status -------------------------------------------------------------------------------------

fn order_status<'a>(obj: V<'_, 'a>) -> Result<OrderStatus<'a>, String> {
    expect_object(obj, "an order status object")?;
    Ok(OrderStatus {
        charge: nullable_money(obj.get("charge"), &"charge")?,
        start_count: nullable_int(obj.get("start_count"), &"start_count")?,
        status: status_text(obj.get("status"), &"status")?,
        remains: nullable_int(obj.get("remains"), &"remains")?,
        currency: match obj.get("currency") {
            v if is_unknown(v) => None,
            Some(v) if v.kind() == Kind::Str => v.str(),
            Some(v) => return Err(format!("currency must be text (got {})", describe(Some(v)))),
            None => None,
        },
    })
}

pub(crate) fn status(root: V<'_, '_>, out: &mut String) -> R<()> {
    order_status(root)?.write_json(out);
    Ok(())
}

fn id_list(v: Option<V<'_, '_>>, name: &dyn Display) -> Result<Vec<u64>, String> {
    let Some(val) = v else {
        return Err(format!("the answer has no {name} list (is this a drip-feed order?)"));
    };
    match val.kind() {
        Kind::Null => Ok(Vec::new()),
        Kind::Arr => val.items().enumerate().map(|(i, item)| id_value(Some(item), &format_args!("{name}[{i}]"))).collect(),
        Kind::Str => {
            let s = val.str().unwrap_or_default();
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .enumerate()
                .map(|(i, p)| match int_from_text(p) {
                    Ok(n) if n >= 1 => Ok(n as u64),
                    _ => Err(format!("{name}[{i}] must be a positive ID (got {})", outside(&crate::core::error::truncate(p, 40)))),
                })
                .collect()
        }
        _ => Err(format!("{name} must be a list of order IDs (got {})", describe(Some(val)))),
    }
}

fn dripfeed_status<'a>(obj: V<'_, 'a>) -> Result<DripfeedStatus<'a>, String> {
    expect_object(obj, "a drip-feed status object")?;
    Ok(DripfeedStatus { status: status_text(obj.get("status"), &"status")?, orders: id_list(obj.get("orders"), &"orders")? })
}

pub(crate) fn dripfeed(root: V<'_, '_>, out: &mut String) -> R<()> {
    dripfeed_status(root)?.write_json(out);
    Ok(())
}

// ---- refill, refill_status, cancel (single) -----------------------------------------------------

/// An answer given in the many-format (`[{"order": 9, …}]`) to a single request: the item for
/// `id`, or the only one.
fn single_item<'d, 'a>(root: V<'d, 'a>, id_key: &str, id: u64) -> V<'d, 'a> {
    if root.kind() != Kind::Arr {
        return root;
    }
    let mut items = root.items();
    let found = root.items().find(|it| it.get(id_key).and_then(int_text).and_then(|t| int_from_text(&t).ok()) == Some(id as i64));
    match (found, root.len()) {
        (Some(f), _) => f,
        (None, 1) => items.next().unwrap_or(root),
        _ => root,
    }
}

/// A nested error (`{"refill": {"error": "…"}}`), an item-level `error` key, or — where the
/// payload is a number (refill and cancel IDs) — a bare string in its place, as SmartPanel-like
/// panels write `{"order": 9, "cancel": "Incorrect order ID"}`.
fn nested_error(obj: V<'_, '_>, payload: Option<V<'_, '_>>, numeric_payload: bool) -> Option<Option<String>> {
    if let Some(p) = payload {
        if p.kind() == Kind::Obj {
            return Some(error_text(p).map(|s| s.trim().to_owned()));
        }
        if numeric_payload && p.kind() == Kind::Str {
            let text = p.str().unwrap_or_default();
            let text = text.trim();
            if int_from_text(text).is_err() && !text.is_empty() {
                return Some(Some(text.to_owned()));
            }
        }
    }
    if payload.is_none() {
        if let Some(e) = obj.get("error").and_then(error_text) {
            return Some(Some(e.trim().to_owned()));
        }
    }
    None
}

pub(crate) fn refill(root: V<'_, '_>, out: &mut String, order: u64) -> R<()> {
    let root = single_item(root, "order", order);
    expect_object(root, "an object with the refill ID")?;
    let payload = root.get("refill");
    if let Some(msg) = nested_error(root, payload, true) {
        return Err(Fail::Api(msg));
    }
    let refill = id_value(payload, &"refill")?;
    RefillResult { order, refill }.write_json(out);
    Ok(())
}

pub(crate) fn refill_status(root: V<'_, '_>, out: &mut String, refill: u64) -> R<()> {
    let root = single_item(root, "refill", refill);
    expect_object(root, "an object with the refill's status")?;
    let payload = root.get("status");
    if let Some(msg) = nested_error(root, payload, false) {
        return Err(Fail::Api(msg));
    }
    if let Some(msg) = bare_status_error(payload) {
        return Err(Fail::Api(Some(msg)));
    }
    RefillStatus { refill, status: status_text(payload, &"status")? }.write_json(out);
    Ok(())
}

fn cancel_value(v: Option<V<'_, '_>>) -> Result<i64, String> {
    if let Some(b) = v.and_then(|v| v.as_bool()) {
        return Ok(i64::from(b));
    }
    int_value(v, &"cancel")
}

pub(crate) fn cancel(root: V<'_, '_>, out: &mut String, order: u64) -> R<()> {
    let root = single_item(root, "order", order);
    expect_object(root, "an object with the cancellation")?;
    let payload = root.get("cancel");
    if let Some(msg) = nested_error(root, payload, true) {
        return Err(Fail::Api(msg));
    }
    CancelResult { order, cancel: cancel_value(payload)? }.write_json(out);
    Ok(())
}

// ---- many ---------------------------------------------------------------------------------------

/// `error` may hold outside text, marked: the items of a failed call's `results` are redacted
/// through the marks (`SmmError::redacted`), a successful call's output is unmarked whole
/// (`unmarked_items`).
pub(crate) fn write_item_error(call: Call, id: u64, error: &str, out: &mut String) {
    if call == Call::RefillStatusMany {
        RefillItemError { refill: id, error: Cow::Borrowed(error) }.write_json(out);
    } else {
        OrderItemError { order: id, error: Cow::Borrowed(error) }.write_json(out);
    }
}

/// One item's answer; a failure here is data for that item, not a failure of the call.
fn write_item(call: Call, id: u64, v: V<'_, '_>, out: &mut String) {
    let result: Result<(), String> = (|| {
        if v.kind() == Kind::Str {
            let s = v.str().unwrap_or_default();
            return match call {
                Call::RefillStatusMany if is_known_status(&s) => {
                    RefillStatus { refill: id, status: normalise_status(s) }.write_json(out);
                    Ok(())
                }
                Call::RefillMany | Call::CancelMany if int_from_text(s.trim()).is_ok_and(|n| n >= 0) => {
                    let n = int_from_text(s.trim()).unwrap_or(0);
                    if call == Call::RefillMany {
                        RefillResult { order: id, refill: n.max(0) as u64 }.write_json(out);
                    } else {
                        CancelResult { order: id, cancel: n }.write_json(out);
                    }
                    Ok(())
                }
                _ => Err(outside(s.trim())),
            };
        }
        if v.kind() != Kind::Obj {
            return match call {
                Call::RefillMany => {
                    RefillResult { order: id, refill: id_value(Some(v), &"refill").map_err(unreadable)? }.write_json(out);
                    Ok(())
                }
                Call::CancelMany => {
                    CancelResult { order: id, cancel: cancel_value(Some(v)).map_err(unreadable)? }.write_json(out);
                    Ok(())
                }
                _ => Err(unreadable(format!("got {}", describe(Some(v))))),
            };
        }
        let payload = v.get(call.spec().payload_key);
        let nested = match call {
            Call::RefillMany | Call::CancelMany => nested_error(v, payload, true),
            Call::RefillStatusMany => nested_error(v, payload, false).or_else(|| bare_status_error(payload).map(Some)),
            // The status calls (the only other `*Many` rows).
            _ => v.get("error").and_then(error_text).map(|e| Some(e.trim().to_owned())),
        };
        if let Some(msg) = nested {
            return Err(msg.map_or_else(|| "The panel reported an error for this item".to_owned(), |m| outside(&m)));
        }
        match call {
            Call::OrderStatusMany => {
                let s = order_status(v).map_err(unreadable)?;
                OrderStatusItem {
                    order: id,
                    charge: s.charge,
                    start_count: s.start_count,
                    status: s.status,
                    remains: s.remains,
                    currency: s.currency,
                }
                .write_json(out);
            }
            Call::DripfeedStatusMany => {
                let s = dripfeed_status(v).map_err(unreadable)?;
                DripfeedStatusItem { order: id, status: s.status, orders: s.orders }.write_json(out);
            }
            Call::RefillMany => {
                RefillResult { order: id, refill: id_value(payload, &"refill").map_err(unreadable)? }.write_json(out);
            }
            Call::RefillStatusMany => {
                RefillStatus { refill: id, status: status_text(payload, &"status").map_err(unreadable)? }.write_json(out);
            }
            Call::CancelMany => {
                CancelResult { order: id, cancel: cancel_value(payload).map_err(unreadable)? }.write_json(out);
            }
            // A single call's rows never reach here (`many` is only for `Ids` calls).
            _ => return Err("This call answers no batch items".to_owned()),
        }
        Ok(())
    })();
    if let Err(msg) = result {
        write_item_error(call, id, &msg, out);
    }
}

fn unreadable(what: String) -> String {
    format!("Unreadable answer for this item: {what}")
}

fn key_id(k: V<'_, '_>) -> Option<u64> {
    let s = k.str()?;
    int_from_text(s.trim()).ok().filter(|&n| n >= 1).map(|n| n as u64)
}

/// Decodes a multi answer for `ids` (at most a chunk's worth), appending one JSON fragment per
/// answered ID to `out` and recording its byte range at the ID's position in `spans`.
pub(crate) fn many(call: Call, ids: &[u64], root: V<'_, '_>, out: &mut String, spans: &mut [Option<(usize, usize)>]) -> R<()> {
    let mut record = |pos: usize, id: u64, v: V<'_, '_>, out: &mut String| {
        if let Some(slot) = spans.get_mut(pos) {
            if slot.is_none() {
                let start = out.len();
                write_item(call, id, v, out);
                *slot = Some((start, out.len()));
            }
        }
    };
    let position = |id: u64| ids.iter().position(|&x| x == id);
    match root.kind() {
        Kind::Obj => {
            let keyed = root.entries().any(|(k, _)| key_id(k).is_some());
            // A panel may answer a one-ID request in the single format.
            if !keyed && ids.len() == 1 && root.get(call.spec().payload_key).is_some() {
                if let Some(&id) = ids.first() {
                    record(0, id, root, out);
                }
                return Ok(());
            }
            if !keyed && !root.is_empty() {
                return Err(format!("expected an object keyed by {} ID, got {}", call.id_key(), describe(Some(root))).into());
            }
            for (k, v) in root.entries() {
                if let Some((pos, id)) = key_id(k).and_then(|id| position(id).map(|p| (p, id))) {
                    record(pos, id, v, out);
                }
            }
            Ok(())
        }
        Kind::Arr => {
            for (i, item) in root.items().enumerate() {
                let own = if item.kind() == Kind::Obj { item.get(call.id_key()) } else { None };
                let own_id = own.and_then(int_text).and_then(|t| int_from_text(&t).ok()).filter(|&n| n >= 1);
                let pos = match (own, own_id) {
                    // Refill answers carry the order under `order` and the result under
                    // `refill`; only a readable ID identifies the item.
                    (Some(_), Some(n)) => position(n as u64),
                    (Some(o), None) if o.kind() != Kind::Obj => None,
                    _ => (i < ids.len()).then_some(i),
                };
                if let Some(pos) = pos {
                    if let Some(&id) = ids.get(pos) {
                        record(pos, id, item, out);
                    }
                }
            }
            Ok(())
        }
        _ => Err(format!("expected an object keyed by {} ID or a list, got {}", call.id_key(), describe(Some(root))).into()),
    }
}

/// The answers for `ids` as a JSON array in their order, "No answer" where the panel gave none.
pub(crate) fn many_array(call: Call, ids: &[u64], root: V<'_, '_>, out: &mut String) -> R<()> {
    let mut frags = String::new();
    let mut spans = vec![None; ids.len()];
    many(call, ids, root, &mut frags, &mut spans)?;
    let mut items = String::with_capacity(frags.len() + 2);
    items.push('[');
    for (i, (&id, span)) in ids.iter().zip(&spans).enumerate() {
        if i > 0 {
            items.push(',');
        }
        match span.and_then(|(a, b)| frags.get(a..b)) {
            Some(f) => items.push_str(f),
            None => write_item_error(call, id, call.no_answer(), &mut items),
        }
    }
    items.push(']');
    out.push_str(&unmarked_items(items));
    Ok(())
}

/// A successful call's items as the caller gets them: the item errors' outside marks removed.
/// Every mark character goes, so the result depends on the text alone (a panel's own U+E000 or
/// U+E001, private-use characters no panel means, goes too), not on which items a request held.
pub(crate) fn unmarked_items(items: String) -> String {
    // Most answers have no item error at all: nothing to copy then.
    if contains(&items, smm_panel_wire::text::MARK_START) || contains(&items, smm_panel_wire::text::MARK_END) {
        crate::core::redact::strip_outside(&items)
    } else {
        items
    }
}
