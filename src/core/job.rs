//! One method call in progress, as the driver runs it: its requests (one, or a batch's chunks),
//! what each answer means, whether and when a failed request is tried again, and what the call
//! resolves to. The driver only sends the bodies it is given and waits the delays it is told.

use crate::core::batch::{self, BatchPlan};
use crate::core::call::Action;
use crate::core::call::Call;
use crate::core::config::{CallOptions, ClientConfig};
use crate::core::error::SmmError;
use crate::core::request::{self, Prepared};
use crate::core::retry::RetryPolicy;

/// Answers larger than this are refused rather than buffered: a real catalog of 50,000 services
/// is ~10 MB, and a broken panel streaming forever must not exhaust memory.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// How an exchange ended without an answer, by the names the driver's `exchange` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The caller's signal had aborted before the request was sent.
    Before,
    /// The caller's signal aborted while the request was out (or during a wait between tries).
    Aborted,
    Timeout,
    Redirect,
    TooLarge,
    /// fetch rejected, or anything the driver could not read.
    Network,
    /// The runtime has no fetch and none was given.
    NoFetch,
}

impl Stop {
    pub fn from_name(name: &str) -> Stop {
        match name {
            "before" => Stop::Before,
            "aborted" => Stop::Aborted,
            "timeout" => Stop::Timeout,
            "redirect" => Stop::Redirect,
            "too_large" => Stop::TooLarge,
            "no_fetch" => Stop::NoFetch,
            _ => Stop::Network,
        }
    }

    /// The error of a request of `action` that ended so (`status` when the panel's answer began).
    pub fn error(self, action: Action, status: u16, timeout_ms: u32, max_body_bytes: usize) -> SmmError {
        match self {
            Stop::Before => SmmError::aborted(action, false),
            Stop::Aborted => SmmError::aborted(action, true),
            Stop::Timeout => SmmError::timeout(action, timeout_ms),
            Stop::Redirect => SmmError::redirected(action, status),
            Stop::TooLarge => SmmError::too_large(action, status, max_body_bytes),
            Stop::Network => SmmError::network(action),
            Stop::NoFetch => SmmError::invalid("fetch", "no global fetch in this runtime: pass the fetch option".to_owned()),
        }
    }
}

/// What happened to a request after one try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Answered: the job has what it needs from this request.
    Done,
    /// Send the same body again after this many milliseconds (reads only: see `RetryPolicy`).
    RetryAfterMs(u32),
    /// Failed for good (retries included); the job keeps the error.
    Failed,
}

/// A call in progress.
#[derive(Debug)]
pub struct Job {
    key: Option<String>,
    retry: RetryPolicy,
    timeout_ms: u32,
    workers: u32,
    work: Work,
    /// Tries made so far, per request.
    attempts: Vec<u32>,
}

#[derive(Debug)]
enum Work {
    One { prepared: Prepared, started: bool, outcome: Option<Result<String, SmmError>> },
    Many(BatchPlan),
}

impl Job {
    /// Checks the call's options and argument (`*_json`: the driver's JSON of the JS values) and
    /// prepares its requests; refused, nothing is sent.
    pub fn start(config: &ClientConfig, call: Call, arg_json: Option<&str>, options_json: Option<&str>) -> Result<Job, SmmError> {
        let options = CallOptions::from_json(options_json)?;
        let work = if call.is_many() {
            Work::Many(batch::plan(call, arg_json)?)
        } else {
            Work::One { prepared: request::prepare(call, arg_json)?, started: false, outcome: None }
        };
        let requests = match &work {
            Work::One { .. } => 1,
            Work::Many(plan) => plan.chunks().len(),
        };
        // Requests in flight at once: the client's concurrency, at most one per request.
        let workers = config.concurrency.clamp(1, u32::try_from(requests).unwrap_or(u32::MAX).max(1));
        Ok(Job {
            key: config.key.clone(),
            retry: RetryPolicy::new(config.max_retries),
            timeout_ms: options.timeout_ms.unwrap_or(config.timeout_ms),
            workers,
            work,
            attempts: vec![0; requests],
        })
    }

    pub fn action(&self) -> Action {
        match &self.work {
            Work::One { prepared, .. } => prepared.action(),
            Work::Many(plan) => plan.call().action(),
        }
    }

    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// How many requests the driver keeps in flight at once.
    pub fn workers(&self) -> u32 {
        self.workers
    }

    /// The next request to send and its form body; None when every one has been started (or, in
    /// a batch, once one failed: see `BatchPlan::next_chunk`).
    pub fn next_request(&mut self) -> Option<(usize, String)> {
        let key = self.key.as_deref();
        match &mut self.work {
            Work::One { prepared, started, .. } => (!*started).then(|| {
                *started = true;
                (0, prepared.form_body(key))
            }),
            Work::Many(plan) => {
                let index = plan.next_chunk()?;
                Some((index, plan.chunks().get(index)?.form_body(key)))
            }
        }
    }

    /// The panel answered request `request` (`random_unit` in [0, 1) spreads the retry delay).
    pub fn answered(&mut self, request: usize, status: u16, retry_after: Option<&str>, body: &[u8], random_unit: f64) -> Next {
        let read = match &mut self.work {
            Work::One { prepared, outcome, .. } => prepared.interpret(status, retry_after, body).map(|result| {
                *outcome = Some(Ok(result));
            }),
            Work::Many(plan) => plan.accept(request, status, retry_after, body),
        };
        match read {
            Ok(()) => Next::Done,
            Err(failure) => self.failed(request, failure, random_unit),
        }
    }

    /// Request `request` got no answer.
    pub fn stopped(&mut self, request: usize, stop: Stop, status: u16, random_unit: f64) -> Next {
        let failure = stop.error(self.action(), status, self.timeout_ms, MAX_BODY_BYTES);
        self.failed(request, failure, random_unit)
    }

    /// Tried again if the retry policy says so (never for a write), else failed for good.
    fn failed(&mut self, request: usize, failure: SmmError, random_unit: f64) -> Next {
        let action = self.action();
        let Some(attempts) = self.attempts.get_mut(request) else { return Next::Failed };
        *attempts += 1;
        if let Some(delay) = self.retry.delay_before_retry(action, *attempts, &failure, random_unit) {
            return Next::RetryAfterMs(delay);
        }
        match &mut self.work {
            Work::One { outcome, .. } => *outcome = Some(Err(failure)),
            Work::Many(plan) => plan.fail(request, failure),
        }
        Next::Failed
    }

    /// What the call resolves to (the JSON text for JS), or its error with the key removed.
    pub fn finish(self) -> Result<String, SmmError> {
        let action = self.action();
        let key = self.key;
        let finished = match self.work {
            // Every request the driver starts ends answered or failed; a job finished before that
            // is a bug of ours, reported as such (for a write: the panel may have acted).
            Work::One { outcome, .. } => outcome.unwrap_or_else(|| Err(SmmError::unreadable_result(action))),
            Work::Many(plan) => plan.finish(),
        };
        finished.map_err(|e| e.redacted(key.as_deref()))
    }
}
