//! The `*Many` calls: any number of IDs, checked, deduplicated and split into requests of at most
//! 100 (the panels' limit), answers merged back in input order.

use std::collections::BTreeMap;

use crate::core::error::{Delivery, SmmError};
use crate::core::json::Kind;
use crate::core::model::{UnansweredItem, WriteJson};
use crate::core::request::{many_chunk, Prepared};
use crate::core::validate::{describe, parse_js, positive_int_named};

use crate::core::call::Call;

/// IDs per request: the documented maximum of the API.
pub const CHUNK_SIZE: usize = 100;

/// The `error` of a result whose request was never sent because the call had already failed.
pub const NOT_SENT_ERROR: &str = "Not sent: the call stopped after another of its requests failed";
/// The `error` of a result whose request was sent but neither answered nor failed when the call
/// ended (not expected: every request started is awaited).
pub const UNFINISHED_ERROR: &str = "No answer: the request had not finished when the call ended";

/// How far one chunk's request got.
#[derive(Debug)]
enum ChunkState {
    Waiting,
    Sent,
    Answered,
    /// Failed as a whole, retries included.
    Failed(SmmError),
}

#[derive(Debug)]
pub struct BatchPlan {
    call: Call,
    /// Position in input order → index into `unique`.
    positions: Vec<usize>,
    /// First-seen order; chunk `k` holds `unique[k*CHUNK_SIZE..]`.
    unique_len: usize,
    chunks: Vec<Prepared>,
    /// Every answered item's JSON, back to back; `spans` index into it by unique ID.
    fragments: String,
    spans: Vec<Option<(usize, usize)>>,
    states: Vec<ChunkState>,
    /// The chunk that failed first: the call's failure.
    first_failure: Option<usize>,
}

/// Checks every ID (`orders[3] must be …`), deduplicates, and chunks in first-seen order.
pub fn plan(call: Call, ids_json: Option<&str>) -> Result<BatchPlan, SmmError> {
    let action = call.action();
    let field = call.list_field();
    if !call.is_many() {
        return Err(call.wrong_arg());
    }
    let doc = parse_js(ids_json, field).map_err(|e| SmmError::invalid_for(action, field, e.marked_message().to_owned()))?;
    let root = doc.as_ref().map(|d| d.root());
    let list = match root {
        Some(v) if v.kind() == Kind::Arr => v,
        other => return Err(SmmError::invalid_for(action, field, format!("{field} must be an array of IDs (got {})", describe(other)))),
    };
    if list.is_empty() {
        return Err(SmmError::invalid_for(action, field, format!("{field} must contain at least one ID (got an empty array)")));
    }
    let mut index: BTreeMap<u64, usize> = BTreeMap::new();
    let mut unique: Vec<u64> = Vec::new();
    let mut positions = Vec::with_capacity(list.len());
    for (i, item) in list.items().enumerate() {
        let id = positive_int_named(Some(item), &|| format!("{field}[{i}]")).map_err(|m| SmmError::invalid_for(action, field, m))?;
        let u = *index.entry(id).or_insert_with(|| {
            unique.push(id);
            unique.len() - 1
        });
        positions.push(u);
    }
    let chunks: Vec<Prepared> = unique.chunks(CHUNK_SIZE).map(|c| many_chunk(call, c.to_vec())).collect();
    let states = chunks.iter().map(|_| ChunkState::Waiting).collect();
    Ok(BatchPlan {
        call,
        positions,
        unique_len: unique.len(),
        chunks,
        fragments: String::new(),
        spans: vec![None; unique.len()],
        states,
        first_failure: None,
    })
}

impl BatchPlan {
    pub fn call(&self) -> Call {
        self.call
    }

    /// One request each.
    pub fn chunks(&self) -> &[Prepared] {
        &self.chunks
    }

    /// The next chunk to send, now counted as sent; None when all have been started, and once a
    /// chunk has failed: a request failing as a whole (an outage, a refused key) usually means the
    /// next would fail too, and for a write every further request is one more that may end with
    /// an unknown outcome. Chunks already in flight still finish and keep their results.
    pub fn next_chunk(&mut self) -> Option<usize> {
        if self.first_failure.is_some() {
            return None;
        }
        let (index, state) = self.states.iter_mut().enumerate().find(|(_, s)| matches!(s, ChunkState::Waiting))?;
        *state = ChunkState::Sent;
        Some(index)
    }

    /// Records that a chunk's request failed as a whole, after any retries: `error` is what
    /// `accept` or the exchange reported last. The first chunk recorded is the call's failure.
    pub fn fail(&mut self, chunk: usize, error: SmmError) {
        if let Some(state) = self.states.get_mut(chunk) {
            *state = ChunkState::Failed(error);
            self.first_failure.get_or_insert(chunk);
        }
    }

    /// Reads one chunk's answer. A failure of the request as a whole (a top-level error, a
    /// non-JSON answer, an HTTP error) is `Err`; per-item failures are kept as item results.
    pub fn accept(&mut self, chunk: usize, http_status: u16, retry_after: Option<&str>, body: &[u8]) -> Result<(), SmmError> {
        let Some(prepared) = self.chunks.get(chunk) else {
            return Err(SmmError::invalid("chunk", format!("there is no chunk {chunk} (the plan has {})", self.chunks.len())));
        };
        let start = chunk * CHUNK_SIZE;
        let end = (start + CHUNK_SIZE).min(self.unique_len);
        let mut spans: Vec<Option<(usize, usize)>> = vec![None; end.saturating_sub(start)];
        let frags = prepared.interpret_many(http_status, retry_after, body, &mut spans)?;
        let base = self.fragments.len();
        self.fragments.push_str(&frags);
        for (slot, span) in self.spans.iter_mut().skip(start).zip(spans) {
            if let Some((a, b)) = span {
                *slot = Some((base + a, base + b));
            }
        }
        if let Some(state) = self.states.get_mut(chunk) {
            *state = ChunkState::Answered;
        }
        Ok(())
    }

    /// The result array: one element per input position (a repeated ID is answered at each of
    /// its positions), "No answer" for an ID the panel left out.
    ///
    /// When a chunk failed, `Err` with the first failure, carrying that array as its `results`:
    /// the answered chunks' items as they would have been, and for every other ID
    /// `{order|refill, error, code, delivery}` — a failed chunk's own error message, code and
    /// delivery; for a chunk never sent `NOT_SENT_ERROR`, the call's code and "not_sent".
    pub fn finish(self) -> Result<String, SmmError> {
        let ids = self.chunks.iter().flat_map(|c| c.ids().iter().copied()).collect::<Vec<_>>();
        let failure = self.first_failure.and_then(|k| match self.states.get(k) {
            Some(ChunkState::Failed(error)) => Some(error),
            _ => None,
        });
        let mut out = String::with_capacity(self.fragments.len() + 2 + self.positions.len() * 2);
        out.push('[');
        for (i, &u) in self.positions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let id = ids.get(u).copied().unwrap_or(0);
            match self.spans.get(u).copied().flatten().and_then(|(a, b)| self.fragments.get(a..b)) {
                Some(f) => out.push_str(f),
                None => match (failure, self.states.get(u / CHUNK_SIZE)) {
                    (Some(first), Some(state)) if !matches!(state, ChunkState::Answered) => {
                        self.write_unanswered(id, state, first, &mut out)
                    }
                    _ => crate::core::decode::write_item_error(self.call, id, self.call.no_answer(), &mut out),
                },
            }
        }
        out.push(']');
        match failure {
            None => Ok(crate::core::decode::unmarked_items(out)),
            Some(first) => Err(first.clone().with_results(out)),
        }
    }

    /// The entry of an ID whose chunk has no answer, in a failed call's `results`.
    fn write_unanswered(&self, id: u64, state: &ChunkState, first: &SmmError, out: &mut String) {
        let message;
        let (error, code, delivery) = match state {
            ChunkState::Failed(own) => {
                // Marked: `SmmError::redacted` renders the results, key or no key.
                message = own.marked_message().to_owned();
                (message.as_str(), own.code(), own.delivery())
            }
            ChunkState::Waiting => (NOT_SENT_ERROR, first.code(), Delivery::NotSent),
            ChunkState::Sent | ChunkState::Answered => (UNFINISHED_ERROR, first.code(), Delivery::Unknown),
        };
        let id_key = self.call.id_key();
        UnansweredItem { id_key, id, error, code: code.as_str(), delivery: delivery.as_str() }.write_json(out);
    }
}
