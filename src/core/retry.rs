//! When to try a failed request again, and after how long.

use crate::core::call::Action;
use crate::core::error::{ErrorCode, SmmError};

/// First backoff step; doubled per retry.
const BASE_MS: u32 = 250;
/// Longest backoff step.
const CAP_MS: u32 = 8_000;
/// Longest wait a Retry-After can ask for; a longer one is cut to this.
const RETRY_AFTER_CAP_MS: u32 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
}

impl RetryPolicy {
    pub fn new(max_retries: u32) -> RetryPolicy {
        RetryPolicy { max_retries }
    }

    /// Milliseconds to wait before the next try, or `None` to give up. `attempts_made` counts the
    /// tries so far (1 after the first failure); `random_unit` is in [0, 1).
    ///
    /// Writes are never retried: the API has no idempotency key, so a second `add` is a second
    /// paid order. Reads are retried on failures that may pass: network, timeout, 429 and 5xx.
    pub fn delay_before_retry(&self, action: Action, attempts_made: u32, failure: &SmmError, random_unit: f64) -> Option<u32> {
        if action.is_write() {
            return None;
        }
        let retries_so_far = attempts_made.saturating_sub(1);
        if retries_so_far >= self.max_retries {
            return None;
        }
        let status = failure.status();
        let retryable = match failure.code() {
            ErrorCode::Network | ErrorCode::Timeout => true,
            ErrorCode::Http => matches!(status, Some(429 | 500..=599)),
            // Rate limiting announced with a 429 and an error body is still rate limiting.
            ErrorCode::Api => status == Some(429),
            ErrorCode::InvalidRequest | ErrorCode::Aborted | ErrorCode::Decode => false,
        };
        if !retryable {
            return None;
        }
        if let Some(ms) = failure.retry_after_ms() {
            return Some(ms.min(RETRY_AFTER_CAP_MS));
        }
        // Equal jitter: at least half the step, so retries never bunch up at zero.
        let step = BASE_MS.saturating_mul(1u32 << retries_so_far.min(16)).min(CAP_MS);
        let r = if random_unit.is_finite() { random_unit.clamp(0.0, 1.0) } else { 0.5 };
        let half = step / 2;
        Some(half + (f64::from(step - half) * r) as u32)
    }
}
