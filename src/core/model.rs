//! What the methods resolve to, field for field as docs/CONTRACT.md "Models" promises (wire names, so
//! `start_count`, not `startCount`). Strings borrow from the panel's answer where they can.
//!
//! Each type writes itself as JSON; the driver hands that text to one `JSON.parse`.

use std::borrow::Cow;

use crate::core::json::{write_int, write_str};

/// One entry of `services()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct Service<'a> {
    pub service: u64,
    pub name: Cow<'a, str>,
    /// The panel's spelling of the order type ("Default", "Custom Comments", "custom_comments").
    pub r#type: Cow<'a, str>,
    pub category: Cow<'a, str>,
    /// Exact decimal, price per 1000.
    pub rate: Cow<'a, str>,
    pub min: i64,
    pub max: i64,
    pub refill: bool,
    pub cancel: bool,
    #[cfg_attr(feature = "proxy-entry", tsify(optional))]
    pub dripfeed: Option<bool>,
    /// Omitted when the panel sent none or an empty one.
    #[cfg_attr(feature = "proxy-entry", tsify(optional))]
    pub description: Option<Cow<'a, str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct Balance<'a> {
    /// Exact decimal.
    pub balance: Cow<'a, str>,
    /// "" when the panel did not say.
    pub currency: Cow<'a, str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    Normal,
    Dripfeed,
}

impl OrderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Normal => "normal",
            OrderKind::Dripfeed => "dripfeed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct AddOrderResult {
    pub order: u64,
    #[cfg_attr(feature = "proxy-entry", tsify(type = "\"normal\" | \"dripfeed\""))]
    pub r#type: OrderKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct OrderStatus<'a> {
    /// Exact decimal; null when the panel did not say.
    #[cfg_attr(feature = "proxy-entry", tsify(type = "string | null"))]
    pub charge: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "proxy-entry", tsify(type = "number | null"))]
    pub start_count: Option<i64>,
    pub status: Cow<'a, str>,
    /// null when the panel said "Unknown" or nothing.
    #[cfg_attr(feature = "proxy-entry", tsify(type = "number | null"))]
    pub remains: Option<i64>,
    #[cfg_attr(feature = "proxy-entry", tsify(type = "string | null"))]
    pub currency: Option<Cow<'a, str>>,
}

/// An item of `orderStatusMany`: `{order} & OrderStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct OrderStatusItem<'a> {
    pub order: u64,
    /// Exact decimal; null when the panel did not say.
    #[cfg_attr(feature = "proxy-entry", tsify(type = "string | null"))]
    pub charge: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "proxy-entry", tsify(type = "number | null"))]
    pub start_count: Option<i64>,
    pub status: Cow<'a, str>,
    /// null when the panel said "Unknown" or nothing.
    #[cfg_attr(feature = "proxy-entry", tsify(type = "number | null"))]
    pub remains: Option<i64>,
    #[cfg_attr(feature = "proxy-entry", tsify(type = "string | null"))]
    pub currency: Option<Cow<'a, str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct DripfeedStatus<'a> {
    pub status: Cow<'a, str>,
    pub orders: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct DripfeedStatusItem<'a> {
    pub order: u64,
    pub status: Cow<'a, str>,
    pub orders: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct RefillResult {
    pub order: u64,
    pub refill: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct RefillStatus<'a> {
    pub refill: u64,
    pub status: Cow<'a, str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct CancelResult {
    pub order: u64,
    pub cancel: i64,
}

/// A per-item failure in a `*Many` result, for calls keyed by order ID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct OrderItemError<'a> {
    pub order: u64,
    pub error: Cow<'a, str>,
}

/// A per-item failure of `refillStatusMany`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proxy-entry", derive(tsify::Tsify))]
pub struct RefillItemError<'a> {
    pub refill: u64,
    pub error: Cow<'a, str>,
}

/// An entry of a failed `*Many` call's `results` for an ID whose request has no answer:
/// `{"order"|"refill": id, "error", "code", "delivery"}`, code and delivery as on `SmmError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnansweredItem<'a> {
    /// "order", or "refill" for `refillStatusMany`.
    pub id_key: &'static str,
    pub id: u64,
    pub error: &'a str,
    pub code: &'static str,
    pub delivery: &'static str,
}

pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut String);
}

fn key(out: &mut String, first: bool, name: &str) {
    if !first {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

fn id(out: &mut String, v: u64) {
    write_int(out, i64::try_from(v).unwrap_or(i64::MAX));
}

fn opt_str(out: &mut String, v: &Option<Cow<'_, str>>) {
    match v {
        Some(s) => write_str(out, s),
        None => out.push_str("null"),
    }
}

fn opt_int(out: &mut String, v: Option<i64>) {
    match v {
        Some(n) => write_int(out, n),
        None => out.push_str("null"),
    }
}

/// A JSON array of strings (the catalog's categories and types).
pub(crate) fn strings(out: &mut String, v: &[&str]) {
    out.push('[');
    for (i, s) in v.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, s);
    }
    out.push(']');
}

fn boolean(out: &mut String, v: bool) {
    out.push_str(if v { "true" } else { "false" });
}

/// A JSON array of IDs (also the watch's poll lists and the catalog's search positions).
pub(crate) fn ids(out: &mut String, v: &[u64]) {
    out.push('[');
    for (i, &n) in v.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        id(out, n);
    }
    out.push(']');
}

impl WriteJson for Service<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"service\":");
        id(out, self.service);
        key(out, false, "name");
        write_str(out, &self.name);
        key(out, false, "type");
        write_str(out, &self.r#type);
        key(out, false, "category");
        write_str(out, &self.category);
        key(out, false, "rate");
        write_str(out, &self.rate);
        key(out, false, "min");
        write_int(out, self.min);
        key(out, false, "max");
        write_int(out, self.max);
        key(out, false, "refill");
        boolean(out, self.refill);
        key(out, false, "cancel");
        boolean(out, self.cancel);
        if let Some(d) = self.dripfeed {
            key(out, false, "dripfeed");
            boolean(out, d);
        }
        if let Some(d) = &self.description {
            key(out, false, "description");
            write_str(out, d);
        }
        out.push('}');
    }
}

impl WriteJson for Balance<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"balance\":");
        write_str(out, &self.balance);
        key(out, false, "currency");
        write_str(out, &self.currency);
        out.push('}');
    }
}

impl WriteJson for AddOrderResult {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"order\":");
        id(out, self.order);
        key(out, false, "type");
        write_str(out, self.r#type.as_str());
        out.push('}');
    }
}

fn status_fields(
    out: &mut String,
    first: bool,
    charge: &Option<Cow<'_, str>>,
    start_count: Option<i64>,
    status: &str,
    remains: Option<i64>,
    currency: &Option<Cow<'_, str>>,
) {
    key(out, first, "charge");
    opt_str(out, charge);
    key(out, false, "start_count");
    opt_int(out, start_count);
    key(out, false, "status");
    write_str(out, status);
    key(out, false, "remains");
    opt_int(out, remains);
    key(out, false, "currency");
    opt_str(out, currency);
}

impl WriteJson for OrderStatus<'_> {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        status_fields(out, true, &self.charge, self.start_count, &self.status, self.remains, &self.currency);
        out.push('}');
    }
}

impl WriteJson for OrderStatusItem<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"order\":");
        id(out, self.order);
        status_fields(out, false, &self.charge, self.start_count, &self.status, self.remains, &self.currency);
        out.push('}');
    }
}

impl WriteJson for DripfeedStatus<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"status\":");
        write_str(out, &self.status);
        key(out, false, "orders");
        ids(out, &self.orders);
        out.push('}');
    }
}

impl WriteJson for DripfeedStatusItem<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"order\":");
        id(out, self.order);
        key(out, false, "status");
        write_str(out, &self.status);
        key(out, false, "orders");
        ids(out, &self.orders);
        out.push('}');
    }
}

impl WriteJson for RefillResult {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"order\":");
        id(out, self.order);
        key(out, false, "refill");
        id(out, self.refill);
        out.push('}');
    }
}

impl WriteJson for RefillStatus<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"refill\":");
        id(out, self.refill);
        key(out, false, "status");
        write_str(out, &self.status);
        out.push('}');
    }
}

impl WriteJson for CancelResult {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"order\":");
        id(out, self.order);
        key(out, false, "cancel");
        write_int(out, self.cancel);
        out.push('}');
    }
}

impl WriteJson for OrderItemError<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"order\":");
        id(out, self.order);
        key(out, false, "error");
        write_str(out, &self.error);
        out.push('}');
    }
}

impl WriteJson for UnansweredItem<'_> {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        key(out, true, self.id_key);
        id(out, self.id);
        key(out, false, "error");
        write_str(out, self.error);
        key(out, false, "code");
        write_str(out, self.code);
        key(out, false, "delivery");
        write_str(out, self.delivery);
        out.push('}');
    }
}

impl WriteJson for RefillItemError<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"refill\":");
        id(out, self.refill);
        key(out, false, "error");
        write_str(out, &self.error);
        out.push('}');
    }
}
