//! The request journal: what the panel received, as tests need to check it.

use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::json::J;
use crate::state::mask_key;

/// Oldest entries go first past this, so long benchmarks do not grow memory without bound.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: u64,
    pub conn: u64,
    pub time_ms: u64,
    pub sim_ms: i64,
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub header_names: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Vec<(String, String)>,
    pub action: Option<String>,
    /// A hash of the `key` field: filtering by key without keeping the key itself.
    pub key_hash: Option<u64>,
    pub fault: Option<String>,
    pub processed: bool,
    pub status: Option<u16>,
}

pub fn key_hash(key: &str) -> u64 {
    // DefaultHasher::new() uses fixed keys: the same key hashes the same for the process.
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

fn masked(pairs: &[(String, String)]) -> J {
    J::Arr(pairs.iter().map(|(k, v)| J::Arr(vec![J::str(k.clone()), J::str(if k == "key" { mask_key(v) } else { v.clone() })])).collect())
}

impl Entry {
    pub fn to_json(&self) -> J {
        J::obj([
            ("seq", J::int(self.seq)),
            ("conn", J::int(self.conn)),
            ("time_ms", J::int(self.time_ms)),
            ("sim_time", J::int(self.sim_ms / 1000)),
            ("method", J::str(self.method.clone())),
            ("path", J::str(self.path.clone())),
            ("content_type", self.content_type.clone().map_or(J::Null, J::Str)),
            ("headers", J::Arr(self.header_names.iter().map(|h| J::str(h.clone())).collect())),
            ("query", masked(&self.query)),
            ("body", masked(&self.body)),
            ("action", self.action.clone().map_or(J::Null, J::Str)),
            ("fault", self.fault.clone().map_or(J::Null, J::Str)),
            ("processed", J::Bool(self.processed)),
            ("status", self.status.map_or(J::Null, J::int)),
        ])
    }
}

#[derive(Debug, Default)]
pub struct Journal {
    entries: VecDeque<Entry>,
    next_seq: u64,
}

impl Journal {
    pub fn new() -> Journal {
        Journal { entries: VecDeque::new(), next_seq: 1 }
    }

    pub fn next_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    pub fn push(&mut self, e: Entry) {
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(e);
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn query(&self, key: Option<&str>, action: Option<&str>) -> J {
        let kh = key.map(key_hash);
        J::Arr(
            self.entries
                .iter()
                .filter(|e| kh.is_none_or(|h| e.key_hash == Some(h)))
                .filter(|e| action.is_none_or(|a| e.action.as_deref() == Some(a)))
                .map(Entry::to_json)
                .collect(),
        )
    }
}
