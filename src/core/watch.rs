//! Order tracking: which orders still need polling, what changed since the last poll, when every
//! order is final, and how long to wait before the next poll. The driver only runs the loop.

use smm_panel_wire::text::join;

use crate::core::call::{Action, Call};
use crate::core::error::{ErrorCode, SmmError};
use crate::core::json::{write_str, Doc, Kind, V};
use crate::core::num::parse_u64;
use crate::core::validate::{describe, int_in_range, parse_js, positive_int};

/// Default and bounds of `intervalMs`.
pub const DEFAULT_INTERVAL_MS: u32 = 10_000;
const MAX_INTERVAL_MS: u32 = 24 * 60 * 60 * 1000;
/// Backoff after failed polls stops growing here (or at the interval, if that is longer).
const MAX_BACKOFF_MS: u32 = 5 * 60 * 1000;

/// Statuses after which an order never changes again (normalised spellings).
const FINAL_ORDER: &[&str] = &["Completed", "Partial", "Canceled", "Refunded", "Fail", "Error", "Expired"];
/// A drip-feed parent is over once Completed or Canceled; its runs are orders of their own.
const FINAL_DRIPFEED: &[&str] = &["Completed", "Canceled", "Expired"];

/// Whether a failed poll is worth retrying later. The panel refusing (a wrong key, a banned
/// account) or a request we should never have made ends the watch; outages and garbled answers
/// are waited out.
pub fn is_transient(failure: &SmmError) -> bool {
    !matches!(failure.code(), ErrorCode::Api | ErrorCode::InvalidRequest | ErrorCode::Aborted)
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    order: u64,
    /// The ordered quantity (normal orders) or number of runs (drip-feed), for progress.
    total: Option<u64>,
    dripfeed: bool,
    /// The last update reported, to report only changes.
    last: Option<String>,
    done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    targets: Vec<Target>,
    interval_ms: u32,
    failures: u32,
}

impl Watch {
    /// `targets_json`: an array of order IDs, or of `{ order, quantity?, runs?, dripfeed? }`
    /// (`quantity` gives progress for normal orders; `dripfeed: true` with `runs` tracks a
    /// drip-feed order through its runs). `options_json`: `{ intervalMs }`.
    pub fn new(targets_json: Option<&str>, options_json: Option<&str>) -> Result<Watch, SmmError> {
        let bad = |field: &str, m: String| SmmError::invalid_for(Action::Status, field, m);
        let doc = parse_js(targets_json, "orders")?;
        let list = doc.as_ref().map(|d| d.root()).filter(|v| v.kind() == Kind::Arr && !v.is_empty()).ok_or_else(|| {
            bad("orders", format!("watchOrders needs a non-empty array of order IDs (got {})", describe(doc.as_ref().map(|d| d.root()))))
        })?;
        let mut targets: Vec<Target> = Vec::with_capacity(list.len());
        for (i, item) in list.items().enumerate() {
            let name = format!("orders[{i}]");
            let target = if item.kind() == Kind::Obj {
                target_object(item, &name).map_err(|m| bad("orders", m))?
            } else {
                let order = positive_int(Some(item), &name).map_err(|m| bad("orders", m))?;
                Target { order, total: None, dripfeed: false, last: None, done: false }
            };
            // The same order twice is watched once.
            if !targets.iter().any(|t| t.order == target.order && t.dripfeed == target.dripfeed) {
                targets.push(target);
            }
        }
        let options = parse_js(options_json, "options")?;
        let interval_ms = match options.as_ref().map(|d| d.root()).and_then(|o| o.get("intervalMs")) {
            None => DEFAULT_INTERVAL_MS,
            Some(v) if v.kind() == Kind::Null => DEFAULT_INTERVAL_MS,
            Some(v) => int_in_range(v, "intervalMs", 1, MAX_INTERVAL_MS).map_err(|m| bad("intervalMs", m))?,
        };
        Ok(Watch { targets, interval_ms, failures: 0 })
    }

    /// Normal orders still to poll (with `orderStatusMany`).
    pub fn order_ids(&self) -> Vec<u64> {
        self.live(false)
    }

    /// Drip-feed orders still to poll (with `dripfeedStatusMany`).
    pub fn dripfeed_ids(&self) -> Vec<u64> {
        self.live(true)
    }

    fn live(&self, dripfeed: bool) -> Vec<u64> {
        self.targets.iter().filter(|t| !t.done && t.dripfeed == dripfeed).map(|t| t.order).collect()
    }

    /// The next poll of the live orders of one kind: the batched status call and its IDs' JSON,
    /// or None when no order of that kind is left to poll.
    pub fn poll(&self, dripfeed: bool) -> Option<(Call, String)> {
        let ids = self.live(dripfeed);
        if ids.is_empty() {
            return None;
        }
        let mut json = String::with_capacity(ids.len() * 8);
        crate::core::model::ids(&mut json, &ids);
        Some((if dripfeed { Call::DripfeedStatusMany } else { Call::OrderStatusMany }, json))
    }

    pub fn is_done(&self) -> bool {
        self.targets.iter().all(|t| t.done)
    }

    /// Takes the JSON result of `orderStatusMany` (or `dripfeedStatusMany` when `dripfeed`) and
    /// returns a JSON array of the updates that differ from what was last reported. Resets the
    /// failure backoff.
    pub fn accept(&mut self, result_json: &str, dripfeed: bool) -> Result<String, SmmError> {
        self.failures = 0;
        let doc = Doc::parse(result_json).map_err(|_| SmmError::unreadable_result(Action::Status))?;
        let mut out = String::from("[");
        for item in doc.root().items() {
            let Some(order) = item.get("order").and_then(|v| v.num_text()).and_then(parse_u64) else {
                continue;
            };
            let Some(target) = self.targets.iter_mut().find(|t| t.order == order && t.dripfeed == dripfeed && !t.done) else {
                continue;
            };
            let (update, done) = update_for(target, item);
            target.done = done;
            if target.last.as_deref() != Some(update.as_str()) {
                if out.len() > 1 {
                    out.push(',');
                }
                out.push_str(&update);
                target.last = Some(update);
            }
        }
        out.push(']');
        Ok(out)
    }

    /// Records a failed poll; the next delay grows (×2 per failure, capped) but never drops below
    /// the interval the caller asked for.
    pub fn record_failure(&mut self) {
        self.failures = self.failures.saturating_add(1);
    }

    /// Milliseconds to wait before the next poll.
    pub fn next_delay_ms(&self) -> u32 {
        if self.failures == 0 {
            return self.interval_ms;
        }
        let cap = MAX_BACKOFF_MS.max(self.interval_ms);
        let factor = 1u64 << self.failures.min(20);
        u32::try_from((u64::from(self.interval_ms) * factor).min(u64::from(cap))).unwrap_or(cap)
    }
}

fn target_object(item: V<'_, '_>, name: &str) -> Result<Target, String> {
    let order = positive_int(item.get("order"), &format!("{name}.order"))?;
    let dripfeed = match item.get("dripfeed") {
        None => false,
        Some(v) => v.as_bool().ok_or_else(|| format!("{name}.dripfeed must be true or false (got {})", describe(Some(v))))?,
    };
    let total_field = if dripfeed { "runs" } else { "quantity" };
    let total = item.get(total_field).map(|v| positive_int(Some(v), &format!("{name}.{total_field}"))).transpose()?;
    Ok(Target { order, total, dripfeed, last: None, done: false })
}

/// One order's update as JSON text, and whether the order is final.
fn update_for(target: &Target, item: V<'_, '_>) -> (String, bool) {
    let mut out = String::from("{\"order\":");
    out.push_str(&target.order.to_string());
    if let Some(error) = item.get("error").and_then(|e| e.str()) {
        // The panel does not know the order: it will not change, so stop watching it.
        out.push_str(",\"error\":");
        write_str(&mut out, &error);
        out.push_str(",\"final\":true}");
        return (out, true);
    }
    let status = item.get("status").and_then(|s| s.str()).unwrap_or_default();
    out.push_str(",\"status\":");
    write_str(&mut out, &status);
    let (progress, done) = if target.dripfeed {
        out.push_str(",\"dripfeed\":true,\"orders\":");
        let runs: Vec<String> =
            item.get("orders").map(|o| o.items().filter_map(|r| r.num_text().map(str::to_owned)).collect()).unwrap_or_default();
        out.push('[');
        out.push_str(&join(&runs, ","));
        out.push(']');
        let done = FINAL_DRIPFEED.contains(&status.as_ref());
        let progress = match (done && status == "Completed", target.total) {
            (true, _) => Some(1.0),
            (false, Some(total)) => Some((runs.len() as f64 / total as f64).min(1.0)),
            (false, None) => None,
        };
        (progress, done)
    } else {
        for field in ["charge", "start_count", "remains", "currency"] {
            out.push_str(",\"");
            out.push_str(field);
            out.push_str("\":");
            match item.get(field) {
                Some(v) if v.kind() == Kind::Str => write_str(&mut out, &v.str().unwrap_or_default()),
                Some(v) if v.kind() == Kind::Num => out.push_str(v.num_text().unwrap_or("null")),
                _ => out.push_str("null"),
            }
        }
        let remains = item.get("remains").and_then(|v| v.num_text()).and_then(parse_u64);
        let done = FINAL_ORDER.contains(&status.as_ref());
        let progress = match (status.as_ref(), target.total, remains) {
            ("Completed", _, _) => Some(1.0),
            (_, Some(total), Some(remains)) if total > 0 => Some((total.saturating_sub(remains) as f64 / total as f64).clamp(0.0, 1.0)),
            _ => None,
        };
        (progress, done)
    };
    out.push_str(",\"progress\":");
    match progress {
        // Three decimals are plenty for a progress bar and keep float formatting out of the way.
        Some(p) => {
            let thousandths = (p * 1000.0).round() as u32;
            out.push_str(&format!("{}.{:03}", thousandths / 1000, thousandths % 1000));
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"final\":");
    out.push_str(if done { "true" } else { "false" });
    out.push('}');
    (out, done)
}
