//! One call → one checked HTTP request, and that request's answer → the JSON text for JS.

use crate::core::action::Action;
use crate::core::decode::{self, ManyCall};
use crate::core::error::SmmError;
use crate::core::form::push_pair;
use crate::core::order::{self, CheckedOrder};
use crate::core::validate::{parse_js, positive_int};

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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind2 {
    Services,
    Balance,
    Add(CheckedOrder),
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
            Kind2::Add(order::check(doc.as_ref().map(|d| d.root()))?)
        }
        Call::OrderStatus | Call::DripfeedStatus | Call::Refill | Call::Cancel | Call::RefillStatus => {
            let field = if call == Call::RefillStatus { "refill" } else { "order" };
            let doc = parse_js(arg_json, field).map_err(|e| with_action(e, action))?;
            let id = positive_int(doc.as_ref().map(|d| d.root()), field).map_err(|m| SmmError::invalid_for(action, field, m))?;
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
    SmmError::invalid_for(action, &field, e.marked_message().to_owned())
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
            Kind2::Add(order) => order.form_fields(),
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
            Kind2::Balance => decode::interpret_with(action, http_status, retry_after, body, &mut decode::balance),
            Kind2::Add(order) => {
                let sent = order.is_dripfeed();
                decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::add(r, o, sent))
            }
            Kind2::Status(_) => decode::interpret_with(action, http_status, retry_after, body, &mut decode::status),
            Kind2::Dripfeed(_) => decode::interpret_with(action, http_status, retry_after, body, &mut decode::dripfeed),
            Kind2::Refill(id) => decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::refill(r, o, *id)),
            Kind2::RefillStatus(id) => {
                decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::refill_status(r, o, *id))
            }
            Kind2::Cancel(id) => decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::cancel(r, o, *id)),
            Kind2::Many(call, ids) => {
                decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::many_array(*call, ids, r, o))
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
                decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::many(*call, ids, r, o, spans))
            }
            _ => Err(SmmError::invalid_for(action, "chunk", "this request is not part of a batch".to_owned())),
        }
    }
}
