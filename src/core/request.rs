//! One call → one checked HTTP request, and that request's answer → the JSON text for JS.

use crate::core::action::Action;
use crate::core::decode::{self, ManyCall};
use crate::core::error::SmmError;
use crate::core::form::push_pair;
use crate::core::json::{Kind, V};
use crate::core::validate::{describe, parse_js, positive_int};

/// The single-request methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Services,
    Balance,
    AddOrder,
    OrderStatus,
    DripfeedStatus,
    Refill,
    RefillStatus,
    Cancel,
}

impl Call {
    pub fn action(self) -> Action {
        match self {
            Call::Services => Action::Services,
            Call::Balance => Action::Balance,
            Call::AddOrder => Action::Add,
            Call::OrderStatus | Call::DripfeedStatus => Action::Status,
            Call::Refill => Action::Refill,
            Call::RefillStatus => Action::RefillStatus,
            Call::Cancel => Action::Cancel,
        }
    }
}

/// A checked order, by order type. Other Perfect Panel types become variants here.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Order {
    Default { service: u64, link: String, quantity: u64, drip: Option<DripFeed> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DripFeed {
    runs: u64,
    interval: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind2 {
    Services,
    Balance,
    Add(Order),
    Status(u64),
    Dripfeed(u64),
    Refill(u64),
    RefillStatus(u64),
    Cancel(u64),
    Many(ManyCall, Vec<u64>),
}

/// One HTTP request to make, and what is needed to read its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    kind: Kind2,
}

/// Checks the argument of `call` (the order object, or the ID) and prepares its request.
pub fn prepare(call: Call, arg_json: Option<&str>) -> Result<Prepared, SmmError> {
    let action = call.action();
    let kind = match call {
        Call::Services => Kind2::Services,
        Call::Balance => Kind2::Balance,
        Call::AddOrder => {
            let doc = parse_js(arg_json, "order").map_err(|e| with_action(e, action))?;
            Kind2::Add(order(doc.as_ref().map(|d| d.root()))?)
        }
        Call::OrderStatus | Call::DripfeedStatus | Call::Refill | Call::Cancel | Call::RefillStatus => {
            let field = if call == Call::RefillStatus { "refill" } else { "order" };
            let doc = parse_js(arg_json, field).map_err(|e| with_action(e, action))?;
            let id = positive_int(doc.as_ref().map(|d| d.root()), field)
                .map_err(|m| SmmError::invalid_for(action, field, m))?;
            match call {
                Call::OrderStatus => Kind2::Status(id),
                Call::DripfeedStatus => Kind2::Dripfeed(id),
                Call::Refill => Kind2::Refill(id),
                Call::RefillStatus => Kind2::RefillStatus(id),
                _ => Kind2::Cancel(id),
            }
        }
    };
    Ok(Prepared { kind })
}

fn with_action(e: SmmError, action: Action) -> SmmError {
    let field = e.field().unwrap_or("argument").to_owned();
    SmmError::invalid_for(action, &field, e.message())
}

/// The order types of CONTRACT.md, to tell "not yet" from "no such type".
const ORDER_TYPES: &[&str] = &[
    "default",
    "seo",
    "custom_comments",
    "custom_comments_package",
    "mentions_with_hashtags",
    "mentions_custom_list",
    "mentions_hashtag",
    "mentions_user_followers",
    "mentions_media_likers",
    "mentions",
    "package",
    "comment_likes",
    "comment_replies",
    "poll",
    "invites_from_groups",
    "subscriptions",
    "web_traffic",
];

fn order(arg: Option<V<'_, '_>>) -> Result<Order, SmmError> {
    let bad = |field: &str, m: String| SmmError::invalid_for(Action::Add, field, m);
    let obj = match arg {
        Some(v) if v.kind() == Kind::Obj && v.get(crate::core::validate::UNREPRESENTABLE).is_none() => v,
        other => {
            return Err(bad(
                "order",
                format!(
                    "addOrder needs an order object like {{ service: 1, link: \"https://…\", quantity: 1000 }} (got {})",
                    describe(other)
                ),
            ))
        }
    };
    if let Some(t) = obj.get("type") {
        let name = t.str();
        match name.as_deref() {
            Some("default") => {}
            Some(n) if ORDER_TYPES.contains(&n) => {
                return Err(bad("type", format!("order type \"{n}\" is not supported yet; only \"default\" orders can be placed")))
            }
            _ => {
                return Err(bad(
                    "type",
                    format!(
                        "type must be an order type such as \"default\" (got {}); known types: {}",
                        describe(Some(t)),
                        ORDER_TYPES.join(", ")
                    ),
                ))
            }
        }
    }
    let service = positive_int(obj.get("service"), "service").map_err(|m| bad("service", m))?;
    let link = link(obj.get("link")).map_err(|m| bad("link", m))?;
    let quantity = positive_int(obj.get("quantity"), "quantity").map_err(|m| bad("quantity", m))?;
    let runs = obj.get("runs").map(|v| positive_int(Some(v), "runs").map_err(|m| bad("runs", m))).transpose()?;
    let interval =
        obj.get("interval").map(|v| positive_int(Some(v), "interval").map_err(|m| bad("interval", m))).transpose()?;
    let drip = match (runs, interval) {
        (Some(runs), Some(interval)) => Some(DripFeed { runs, interval }),
        (None, None) => None,
        (Some(_), None) => {
            return Err(bad(
                "interval",
                "interval (minutes between runs) is required when runs is given: a drip-feed order needs both".to_owned(),
            ))
        }
        (None, Some(_)) => {
            return Err(bad("runs", "runs is required when interval is given: a drip-feed order needs both".to_owned()))
        }
    };
    Ok(Order::Default { service, link, quantity, drip })
}

fn link(v: Option<V<'_, '_>>) -> Result<String, String> {
    let s = v.and_then(|v| v.str());
    let Some(s) = s else {
        return Err(format!("link must be a non-empty string (got {})", describe(v)));
    };
    let t = s.trim();
    if t.is_empty() {
        return Err("link must be a non-empty string (got an empty one)".to_owned());
    }
    if t.chars().any(char::is_control) {
        return Err(format!("link must not contain control characters such as line breaks (got {})", describe(v)));
    }
    Ok(t.to_owned())
}

/// A `*Many` chunk's request.
pub(crate) fn many_chunk(call: ManyCall, ids: Vec<u64>) -> Prepared {
    Prepared { kind: Kind2::Many(call, ids) }
}

fn join_ids(ids: &[u64]) -> String {
    let mut s = String::with_capacity(ids.len() * 8);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s
}

impl Prepared {
    pub fn action(&self) -> Action {
        match &self.kind {
            Kind2::Services => Action::Services,
            Kind2::Balance => Action::Balance,
            Kind2::Add(_) => Action::Add,
            Kind2::Status(_) | Kind2::Dripfeed(_) => Action::Status,
            Kind2::Refill(_) => Action::Refill,
            Kind2::RefillStatus(_) => Action::RefillStatus,
            Kind2::Cancel(_) => Action::Cancel,
            Kind2::Many(call, _) => call.action(),
        }
    }

    /// The IDs of a `*Many` chunk (empty otherwise).
    pub fn ids(&self) -> &[u64] {
        match &self.kind {
            Kind2::Many(_, ids) => ids,
            _ => &[],
        }
    }

    /// The fields after key and action, in the order they are sent.
    fn fields(&self) -> Vec<(&'static str, String)> {
        match &self.kind {
            Kind2::Services | Kind2::Balance => Vec::new(),
            Kind2::Add(Order::Default { service, link, quantity, drip }) => {
                let mut f = vec![("service", service.to_string()), ("link", link.clone()), ("quantity", quantity.to_string())];
                if let Some(d) = drip {
                    // Panels disagree on the spelling (the seed reads `intervals`, Perfect Panel
                    // `interval`); each ignores the other.
                    f.push(("runs", d.runs.to_string()));
                    f.push(("interval", d.interval.to_string()));
                    f.push(("intervals", d.interval.to_string()));
                }
                f
            }
            Kind2::Status(id) | Kind2::Refill(id) | Kind2::Cancel(id) => vec![("order", id.to_string())],
            Kind2::Dripfeed(id) => vec![("order", id.to_string()), ("type", "dripfeed".to_owned())],
            Kind2::RefillStatus(id) => vec![("refill", id.to_string())],
            Kind2::Many(call, ids) => {
                let mut f = vec![(call.list_field(), join_ids(ids))];
                if *call == ManyCall::DripfeedStatus {
                    f.push(("type", "dripfeed".to_owned()));
                }
                f
            }
        }
    }

    /// The `application/x-www-form-urlencoded` body: key (left out when `None`, for a proxy that
    /// adds it), action, then the call's fields.
    pub fn form_body(&self, key: Option<&str>) -> String {
        let mut out = String::with_capacity(128);
        if let Some(k) = key {
            push_pair(&mut out, "key", k);
        }
        push_pair(&mut out, "action", self.action().wire_name());
        for (name, value) in self.fields() {
            push_pair(&mut out, name, &value);
        }
        out
    }

    /// Reads the panel's answer: the result as JSON text for JS, or the error.
    pub fn interpret(&self, http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<String, SmmError> {
        let action = self.action();
        match &self.kind {
            Kind2::Services => decode::interpret_services(http_status, retry_after, body),
            Kind2::Balance => decode::interpret_with(action, http_status, retry_after, body, decode::balance),
            Kind2::Add(Order::Default { drip, .. }) => {
                let sent = drip.is_some();
                decode::interpret_with(action, http_status, retry_after, body, |r, o| decode::add(r, o, sent))
            }
            Kind2::Status(_) => decode::interpret_with(action, http_status, retry_after, body, decode::status),
            Kind2::Dripfeed(_) => decode::interpret_with(action, http_status, retry_after, body, decode::dripfeed),
            Kind2::Refill(id) => decode::interpret_with(action, http_status, retry_after, body, |r, o| decode::refill(r, o, *id)),
            Kind2::RefillStatus(id) => {
                decode::interpret_with(action, http_status, retry_after, body, |r, o| decode::refill_status(r, o, *id))
            }
            Kind2::Cancel(id) => decode::interpret_with(action, http_status, retry_after, body, |r, o| decode::cancel(r, o, *id)),
            Kind2::Many(call, ids) => {
                decode::interpret_with(action, http_status, retry_after, body, |r, o| decode::many_array(*call, ids, r, o))
            }
        }
    }

    /// For a `*Many` chunk: decodes the answer into per-ID fragments (see `batch`).
    pub(crate) fn interpret_many(
        &self,
        http_status: u16,
        retry_after: Option<&str>,
        body: &[u8],
        spans: &mut [Option<(usize, usize)>],
    ) -> Result<String, SmmError> {
        let action = self.action();
        match &self.kind {
            Kind2::Many(call, ids) => {
                decode::interpret_with(action, http_status, retry_after, body, |r, o| decode::many(*call, ids, r, o, spans))
            }
            _ => Err(SmmError::invalid_for(action, "chunk", "this request is not part of a batch".to_owned())),
        }
    }
}
