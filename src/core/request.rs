//! One call → one checked HTTP request, and that request's answer → the JSON text for JS.

use crate::core::call::Action;
use crate::core::call::Arg;
use crate::core::call::Call;
use crate::core::decode;
use crate::core::error::SmmError;
use crate::core::form::push_pair;
use crate::core::order::{self, CheckedOrder};
use crate::core::validate::{parse_js, positive_int};

/// What a prepared call carries, by its row's `Arg`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Payload {
    Nothing,
    Order(CheckedOrder),
    Id(u64),
    Ids(Vec<u64>),
}

/// One HTTP request to make, and what is needed to read its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    call: Call,
    payload: Payload,
}

/// Checks the argument of a single-request `call` (the order object, or the ID) and prepares its
/// request. The `*Many` calls go through `batch::plan`, which splits them into requests.
pub fn prepare(call: Call, arg_json: Option<&str>) -> Result<Prepared, SmmError> {
    let spec = call.spec();
    let action = spec.action;
    let payload = match spec.arg {
        Arg::Nothing => Payload::Nothing,
        Arg::Order => {
            let doc = parse_js(arg_json, "order").map_err(|e| with_action(e, action))?;
            Payload::Order(order::check(doc.as_ref().map(|d| d.root()))?)
        }
        Arg::Id => {
            let field = spec.id_field;
            let doc = parse_js(arg_json, field).map_err(|e| with_action(e, action))?;
            Payload::Id(positive_int(doc.as_ref().map(|d| d.root()), field).map_err(|m| SmmError::invalid_for(action, field, m))?)
        }
        Arg::Ids => return Err(call.wrong_arg()),
    };
    Ok(Prepared { call, payload })
}

fn with_action(e: SmmError, action: Action) -> SmmError {
    let field = e.field().unwrap_or("argument").to_owned();
    SmmError::invalid_for(action, &field, e.marked_message().to_owned())
}

/// A `*Many` chunk's request.
pub(crate) fn many_chunk(call: Call, ids: Vec<u64>) -> Prepared {
    Prepared { call, payload: Payload::Ids(ids) }
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
        self.call.action()
    }

    /// The IDs of a `*Many` chunk (empty otherwise).
    pub fn ids(&self) -> &[u64] {
        match &self.payload {
            Payload::Ids(ids) => ids,
            _ => &[],
        }
    }

    /// The fields after key and action, in the order they are sent: the order's, or the ID(s),
    /// then the row's fixed field.
    fn fields(&self) -> Vec<(&'static str, String)> {
        let spec = self.call.spec();
        let mut fields = match &self.payload {
            Payload::Nothing => Vec::new(),
            Payload::Order(order) => order.form_fields(),
            Payload::Id(id) => vec![(spec.id_field, id.to_string())],
            Payload::Ids(ids) => vec![(spec.id_field, join_ids(ids))],
        };
        if let Some((name, value)) = spec.fixed {
            fields.push((name, value.to_owned()));
        }
        fields
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
        let sent = match &self.payload {
            Payload::Nothing => decode::Sent::default(),
            Payload::Order(order) => decode::Sent { dripfeed: order.is_dripfeed(), ..decode::Sent::default() },
            Payload::Id(id) => decode::Sent { id: *id, ..decode::Sent::default() },
            Payload::Ids(ids) => decode::Sent { ids, ..decode::Sent::default() },
        };
        decode::interpret(self.call, &sent, http_status, retry_after, body)
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
        match &self.payload {
            Payload::Ids(ids) => {
                decode::interpret_with(action, http_status, retry_after, body, &mut |r, o| decode::many(self.call, ids, r, o, spans))
            }
            _ => Err(SmmError::invalid_for(action, "chunk", "this request is not part of a batch".to_owned())),
        }
    }
}
