//! What every fuzz target checks, in one place. A broken promise panics: libFuzzer counts the
//! panic as a crash and saves the input that caused it.
//!
//! The promise (tests/core_fuzz.rs checks the same on generated inputs): no input makes the core
//! panic; every answer it produces is valid JSON of the right kind (an array for services and the
//! `*Many` calls, an object otherwise); every error is typed, says who failed and has a message.
//! Two kinds of broken promise are told apart by the start of the panic message, which
//! scripts/fuzz.sh counts: `invalid output:` (a result that is not JSON of the right kind) and
//! `disagreement:` (two paths that must agree do not). Any other panic is a crash.

use serde_json::Value;
use smm_panel_sdk::core::{plan, prepare, Call, Delivery, ErrorCode, Prepared, SmmError};

/// The HTTP statuses an answer input is read with: every class the core tells apart (success,
/// redirect, client errors with the panels' meanings, rate limit, gateways, out of range).
pub const STATUSES: [u16; 16] = [200, 201, 204, 299, 301, 400, 401, 402, 404, 422, 429, 500, 502, 503, 520, 999];

/// The `Retry-After` headers an answer input is read with.
pub const RETRY_AFTER: [Option<&str>; 4] = [None, Some("1"), Some("2.5"), Some("Wed, 21 Oct 2015 07:28:00 GMT")];

/// The IDs the order-based targets ask about: the simulator's first order IDs (so its answers,
/// the seeds, match), a small ID and a repeat.
pub const ORDER_IDS: [u64; 5] = [23501, 23502, 23503, 1, 23501];
/// The same for refill IDs (the simulator numbers refills from 1).
pub const REFILL_IDS: [u64; 5] = [1, 2, 3, 23501, 1];

/// One panel answer as a fuzz input: the first byte picks the HTTP status (low 4 bits, from
/// `STATUSES`) and the Retry-After header (next 2 bits, from `RETRY_AFTER`); the rest is the body.
pub struct Answer<'a> {
    pub status: u16,
    pub retry_after: Option<&'a str>,
    pub body: &'a [u8],
}

impl<'a> Answer<'a> {
    pub fn from_input(data: &'a [u8]) -> Answer<'a> {
        let (head, body) = match data.split_first() {
            Some((&h, rest)) => (h, rest),
            None => (0, data),
        };
        Answer { status: STATUSES[usize::from(head & 0x0F)], retry_after: RETRY_AFTER[usize::from((head >> 4) & 0x03)], body }
    }

    /// The first byte that `from_input` reads back as `status` and `retry_after` (the seed
    /// generator's inverse).
    pub fn head_byte(status: u16, retry_after: Option<&str>) -> Option<u8> {
        let s = STATUSES.iter().position(|&x| x == status)?;
        let r = RETRY_AFTER.iter().position(|&x| x == retry_after)?;
        u8::try_from(s | r << 4).ok()
    }
}

/// What kind of JSON a result must be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    Object,
    Array,
}

/// Parses `out` with an independent parser and checks it is of the right kind.
pub fn valid_json(out: &str, shape: Shape) -> Value {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("invalid output: not valid JSON ({e}): {out:?}"));
    let right = match shape {
        Shape::Object => v.is_object(),
        Shape::Array => v.is_array(),
    };
    assert!(right, "invalid output: expected a JSON {shape:?}, got {out:?}");
    v
}

/// An error for an answer that arrived: api, http or decode, with the status, a message and the
/// delivery the contract gives (see tests/core_fuzz.rs `check_answer`).
pub fn answered_error(prepared: &Prepared, answer: &Answer<'_>, e: &SmmError) {
    assert!(matches!(e.code(), ErrorCode::Api | ErrorCode::Http | ErrorCode::Decode), "unexpected code: {e:?}");
    assert_eq!(e.status(), Some(answer.status), "{e:?}");
    assert!(!e.message().trim().is_empty(), "empty message: {e:?}");
    assert_eq!(e.action_kind(), Some(prepared.action()), "{e:?}");
    // A read that got an answer: received. A write: received only for a panel's refusal (api),
    // and not even then from what may be a gateway or a crashed script (500, 502, 504,
    // 520–527); any answer it could not read leaves the order possibly placed: unknown.
    let gateway = matches!(answer.status, 500 | 502 | 504 | 520..=527);
    let refused = e.code() == ErrorCode::Api && !gateway;
    let expected = if prepared.action().is_write() && !refused { Delivery::Unknown } else { Delivery::Received };
    assert_eq!(e.delivery(), expected, "{e:?}");
    // The sentence a person reads carries no outside-text marks.
    assert!(!e.message().contains(['\u{E000}', '\u{E001}']), "marks left in the message: {e:?}");
}

/// Reads `answer` with `prepared` and checks the result or the error; returns the result, as
/// text and parsed.
pub fn check_answer(prepared: &Prepared, answer: &Answer<'_>, shape: Shape) -> Option<(String, Value)> {
    match prepared.interpret(answer.status, answer.retry_after, answer.body) {
        Ok(out) => {
            let v = valid_json(&out, shape);
            Some((out, v))
        }
        Err(e) => {
            answered_error(prepared, answer, &e);
            None
        }
    }
}

/// An error for bad input from JavaScript: invalid_request, not sent, with a message.
pub fn invalid_request(e: &SmmError) {
    assert_eq!((e.code(), e.delivery()), (ErrorCode::InvalidRequest, Delivery::NotSent), "{e:?}");
    assert!(!e.message().trim().is_empty(), "empty message: {e:?}");
}

/// Fuzz bytes as text, the way JS strings reach the core (always valid UTF-8).
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A single call's answer target: the result must be one JSON object.
pub fn check_single(call: Call, arg_json: Option<&str>, data: &[u8]) -> Option<Value> {
    let prepared = prepare(call, arg_json).expect("the target's own argument is valid");
    check_answer(&prepared, &Answer::from_input(data), Shape::Object).map(|(_, v)| v)
}

/// A `*Many` call's answer target: one chunk of `ORDER_IDS` (or `REFILL_IDS`) answered by the
/// input. The merged result has one item per input position, each naming its own ID, and agrees
/// with the chunk read on its own (`Prepared::interpret`, the other path through the decoder).
pub fn check_many(call: Call, data: &[u8]) {
    let answer = Answer::from_input(data);
    let (ids, id_key): (&[u64], &str) = match call {
        Call::RefillStatusMany => (&REFILL_IDS, "refill"),
        _ => (&ORDER_IDS, "order"),
    };
    let ids_json = format!("[{}]", ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","));
    let mut batch = plan(call, Some(&ids_json)).expect("the target's own IDs are valid");
    let chunk = batch.chunks().first().cloned().expect("one chunk");
    let accepted = batch.accept(0, answer.status, answer.retry_after, answer.body);
    if let Err(e) = &accepted {
        answered_error(&chunk, &answer, e);
    }
    let merged = valid_json(&batch.finish().expect("finish always has a result"), Shape::Array);
    let items = merged.as_array().expect("checked to be an array");
    assert_eq!(items.len(), ids.len(), "invalid output: not one item per ID: {merged}");
    for (item, id) in items.iter().zip(ids) {
        assert!(item.is_object(), "invalid output: an item is not an object: {merged}");
        assert_eq!(item.get(id_key).and_then(Value::as_u64), Some(*id), "invalid output: an item names another ID: {merged}");
    }
    match (accepted, check_answer(&chunk, &answer, Shape::Array)) {
        (Ok(()), Some((_, alone))) => {
            let alone = alone.as_array().expect("checked to be an array");
            for (item, id) in items.iter().zip(ids) {
                let unique = chunk.ids().iter().position(|x| x == id).expect("the chunk holds every ID");
                assert_eq!(Some(item), alone.get(unique), "disagreement: batch and single read: {merged} vs {alone:?}");
            }
        }
        (Err(_), None) => {}
        (a, b) => panic!("disagreement: batch and single read on success: {a:?} vs {b:?}"),
    }
}
