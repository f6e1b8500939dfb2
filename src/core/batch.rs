//! The `*Many` calls: any number of IDs, checked, deduplicated and split into requests of at most
//! 100 (the panels' limit), answers merged back in input order.

use std::collections::BTreeMap;

use crate::core::error::SmmError;
use crate::core::json::Kind;
use crate::core::request::{many_chunk, Prepared};
use crate::core::validate::{describe, parse_js, positive_int_named};

pub use crate::core::decode::ManyCall;

/// IDs per request: the documented maximum of the API.
pub const CHUNK_SIZE: usize = 100;

#[derive(Debug)]
pub struct BatchPlan {
    call: ManyCall,
    /// Position in input order → index into `unique`.
    positions: Vec<usize>,
    /// First-seen order; chunk `k` holds `unique[k*CHUNK_SIZE..]`.
    unique_len: usize,
    chunks: Vec<Prepared>,
    /// Every answered item's JSON, back to back; `spans` index into it by unique ID.
    fragments: String,
    spans: Vec<Option<(usize, usize)>>,
}

/// Checks every ID (`orders[3] must be …`), deduplicates, and chunks in first-seen order.
pub fn plan(call: ManyCall, ids_json: Option<&str>) -> Result<BatchPlan, SmmError> {
    let action = call.action();
    let field = call.list_field();
    let doc = parse_js(ids_json, field).map_err(|e| SmmError::invalid_for(action, field, e.marked_message().to_owned()))?;
    let root = doc.as_ref().map(|d| d.root());
    let list = match root {
        Some(v) if v.kind() == Kind::Arr => v,
        other => {
            return Err(SmmError::invalid_for(
                action,
                field,
                format!("{field} must be an array of IDs (got {})", describe(other)),
            ))
        }
    };
    if list.len() == 0 {
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
    let chunks = unique.chunks(CHUNK_SIZE).map(|c| many_chunk(call, c.to_vec())).collect();
    Ok(BatchPlan {
        call,
        positions,
        unique_len: unique.len(),
        chunks,
        fragments: String::new(),
        spans: vec![None; unique.len()],
    })
}

impl BatchPlan {
    pub fn call(&self) -> ManyCall {
        self.call
    }

    /// One request each.
    pub fn chunks(&self) -> &[Prepared] {
        &self.chunks
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
        Ok(())
    }

    /// The result array for JS: one element per input position (a repeated ID is answered at
    /// each of its positions), "No answer" for an ID the panel left out.
    pub fn finish(self) -> Result<String, SmmError> {
        let ids = self.chunks.iter().flat_map(|c| c.ids().iter().copied()).collect::<Vec<_>>();
        let mut out = String::with_capacity(self.fragments.len() + 2 + self.positions.len() * 2);
        out.push('[');
        for (i, &u) in self.positions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match self.spans.get(u).copied().flatten().and_then(|(a, b)| self.fragments.get(a..b)) {
                Some(f) => out.push_str(f),
                None => {
                    let id = ids.get(u).copied().unwrap_or(0);
                    crate::core::decode::write_item_error(self.call, id, self.call.no_answer(), &mut out);
                }
            }
        }
        out.push(']');
        Ok(out)
    }
}
