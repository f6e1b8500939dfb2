//! The client's core as synchronous exports for the JavaScript driver (src/wasm/driver.js):
//! prepare a call (or refuse it), read each answer and say whether and when to try again, plan
//! a batch, step a watch, index a catalog. The driver only moves bytes and waits; every decision
//! is made here, by the core, and is tested natively.
//!
//! Conventions (see `memory`): text in is `(ptr, len)`; text out is left in the output buffer.
//! A function that can refuse returns 0 and leaves the error's JSON (`SmmError::to_json`, the
//! key removed) where its answer would be; otherwise a handle or a number ≥ 1.
use crate::core::call::{self, Call};
use crate::core::catalog::{self, Catalog};
use crate::core::config::{self, CallOptions, ClientConfig};
use crate::core::error::SmmError;
use crate::core::job::{Job, Next, Stop, MAX_BODY_BYTES};
use crate::core::model;
use crate::core::order::{self, OrderType};
use crate::core::request;
use crate::core::watch::{is_transient, Watch};

use super::memory::{answer, bytes, keep, take, text, with, Entry};

/// Leaves the error's JSON as the answer, without the key; returns 0 (refused).
fn refuse(error: SmmError, key: Option<&str>) -> u32 {
    answer(error.redacted(key).to_json());
    0
}

fn with_client<R>(client: u32, f: impl FnOnce(&ClientConfig) -> R) -> Option<R> {
    with(client, |e| match e {
        Entry::Client(c) => Some(f(c)),
        _ => None,
    })
    .flatten()
}

/// `new SmmClient(options)`: a client handle and `{"apiUrl"}` (as checked) as the answer, or 0
/// with the error.
#[no_mangle]
pub extern "C" fn smm_client(options_ptr: *mut u8, options_len: usize) -> u32 {
    match ClientConfig::from_json(text(options_ptr, options_len).as_deref()) {
        Ok(config) => {
            let mut url = String::from(r#"{"apiUrl":"#);
            crate::core::json::write_str(&mut url, &config.api_url);
            url.push('}');
            answer(url);
            keep(Entry::Client(config))
        }
        Err(error) => refuse(error, None),
    }
}

/// Starts a call of the table (`call` is its row; the driver learns the rows from `smm_calls`):
/// checks its argument and options and prepares its requests. A job handle, its answer
/// `{"timeoutMs", "workers", "maxBodyBytes"}`; or 0 with the error, nothing sent.
#[no_mangle]
pub extern "C" fn smm_job(client: u32, call: u32, arg_ptr: *mut u8, arg_len: usize, options_ptr: *mut u8, options_len: usize) -> u32 {
    let (arg, options) = (text(arg_ptr, arg_len), text(options_ptr, options_len));
    let started = with_client(client, |config| {
        let call = Call::all().nth(call as usize).ok_or_else(|| SmmError::invalid("call", "no such call".to_owned()))?;
        Job::start(config, call, arg.as_deref(), options.as_deref()).map_err(|e| e.redacted(config.key.as_deref()))
    });
    match started.unwrap_or_else(|| Err(SmmError::invalid("client", "this client has been released".to_owned()))) {
        Ok(job) => started_job(job),
        Err(error) => refuse(error, None),
    }
}

/// Keeps a job; its handle, with `{"timeoutMs", "workers", "maxBodyBytes"}` as the answer.
fn started_job(job: Job) -> u32 {
    let params = format!(r#"{{"timeoutMs":{},"workers":{},"maxBodyBytes":{MAX_BODY_BYTES}}}"#, job.timeout_ms(), job.workers());
    let handle = keep(Entry::Job(job));
    if handle != 0 {
        answer(params);
    }
    handle
}

fn with_job<R>(job: u32, f: impl FnOnce(&mut Job) -> R) -> Option<R> {
    with(job, |e| match e {
        Entry::Job(j) => Some(f(j)),
        _ => None,
    })
    .flatten()
}

/// The next request of a job to send: its index, its form body as the answer; -1 when none is
/// left (all started, or one failed: see `BatchPlan::next_chunk`).
#[no_mangle]
pub extern "C" fn smm_job_next(job: u32) -> i32 {
    match with_job(job, Job::next_request).flatten() {
        Some((index, body)) => {
            answer(body);
            i32::try_from(index).unwrap_or(-1)
        }
        None => -1,
    }
}

/// What the driver does after a try: `REQUEST_DONE`, `REQUEST_FAILED`, or wait this many
/// milliseconds and send the same body again. The driver names the same numbers (driver.js
/// `DONE`, `FAILED`).
fn verdict(next: Option<Next>) -> i32 {
    match next {
        Some(Next::Done) => REQUEST_DONE,
        Some(Next::RetryAfterMs(ms)) => i32::try_from(ms).unwrap_or(i32::MAX),
        Some(Next::Failed) | None => REQUEST_FAILED,
    }
}

const REQUEST_DONE: i32 = -1;
const REQUEST_FAILED: i32 = -2;

/// The panel answered request `request` with `status`, an optional Retry-After and the body.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // each is a number or half of a buffer: nothing to group
pub extern "C" fn smm_job_answer(
    job: u32,
    request: usize,
    status: u32,
    retry_after_ptr: *mut u8,
    retry_after_len: usize,
    body_ptr: *mut u8,
    body_len: usize,
    random_unit: f64,
) -> i32 {
    let retry_after = text(retry_after_ptr, retry_after_len);
    let body = bytes(body_ptr, body_len).unwrap_or_default();
    let status = u16::try_from(status).unwrap_or(0);
    verdict(with_job(job, |j| j.answered(request, status, retry_after.as_deref(), &body, random_unit)))
}

/// Request `request` got no answer: `stop` is how the driver's exchange ended (`Stop::from_name`).
#[no_mangle]
pub extern "C" fn smm_job_stopped(job: u32, request: usize, stop_ptr: *mut u8, stop_len: usize, status: u32, random_unit: f64) -> i32 {
    let stop = Stop::from_name(&text(stop_ptr, stop_len).unwrap_or_default());
    let status = u16::try_from(status).unwrap_or(0);
    verdict(with_job(job, |j| j.stopped(request, stop, status, random_unit)))
}

/// Ends a job (its handle is released): 1 with the result's JSON as the answer, or 0 with the
/// error (for a failed batch, with every ID's `results`). With `catalog` 1, a successful
/// `services` call also answers a catalog handle (the result's JSON is the answer still).
#[no_mangle]
pub extern "C" fn smm_job_finish(job: u32, catalog: u32) -> u32 {
    let Some(Entry::Job(job)) = take(job).map(|e| *e) else {
        return refuse(SmmError::invalid("call", "this call has already ended".to_owned()), None);
    };
    let finished = job.finish().and_then(|result| {
        let handle = if catalog == 1 { keep(Entry::Catalog(Catalog::from_services_json(&result)?)) } else { 1 };
        answer(result);
        Ok(handle)
    });
    finished.unwrap_or_else(|error| refuse(error, None))
}

/// `client.watchOrders(orders, options)`: a watch handle, or 0 with the error. Each poll is a
/// job made with the same options and the client's config, both copied into the watch.
#[no_mangle]
pub extern "C" fn smm_watch(client: u32, orders_ptr: *mut u8, orders_len: usize, options_ptr: *mut u8, options_len: usize) -> u32 {
    let (orders, options) = (text(orders_ptr, orders_len), text(options_ptr, options_len));
    let Some(config) = with_client(client, ClientConfig::clone) else {
        return refuse(SmmError::invalid("client", "this client has been released".to_owned()), None);
    };
    let started = Watch::new(orders.as_deref(), options.as_deref()).and_then(|watch| {
        CallOptions::from_json(options.as_deref())?;
        config::check_callbacks(options.as_deref(), &["onUpdate", "onError"])?;
        Ok(watch)
    });
    match started {
        Ok(watch) => keep(Entry::Watch(watch, config, options)),
        Err(error) => refuse(error, config.key.as_deref()),
    }
}

fn with_watch<R>(watch: u32, f: impl FnOnce(&mut Watch) -> R) -> Option<R> {
    with(watch, |e| match e {
        Entry::Watch(w, ..) => Some(f(w)),
        _ => None,
    })
    .flatten()
}

/// Milliseconds before the next poll (0 for the first), or -1 once every order is final.
#[no_mangle]
pub extern "C" fn smm_watch_delay(watch: u32, first: u32) -> i32 {
    with_watch(watch, |w| match (w.is_done(), first) {
        (true, _) => -1,
        (false, 1) => 0,
        (false, _) => i32::try_from(w.next_delay_ms()).unwrap_or(i32::MAX),
    })
    .unwrap_or(-1)
}

/// The poll of the watched orders of one kind (drip-feed or not) that are still live: a job of
/// the batched status call, with its answer as `smm_job` gives it; -1 when none is left, 0 with
/// the error.
#[no_mangle]
pub extern "C" fn smm_watch_job(watch: u32, dripfeed: u32) -> i32 {
    let dripfeed = dripfeed == 1;
    let started = with(watch, |e| match e {
        Entry::Watch(w, config, options) => {
            let (call, ids_json) = w.poll(dripfeed)?;
            Some(Job::start(config, call, Some(&ids_json), options.as_deref()).map_err(|e| e.redacted(config.key.as_deref())))
        }
        _ => Some(Err(SmmError::invalid("watch", "this watch has ended".to_owned()))),
    });
    match started.unwrap_or_else(|| Some(Err(SmmError::invalid("watch", "this watch has ended".to_owned())))) {
        None => -1,
        Some(Ok(job)) => i32::try_from(started_job(job)).unwrap_or(0),
        Some(Err(error)) => i32::try_from(refuse(error, None)).unwrap_or(0),
    }
}

/// Ends a poll's job and hands its result to the watch: `WATCH_UPDATES` with the updates' JSON
/// as the answer; `WATCH_WAITS` with a failure to wait out (an outage, a garbled answer) or
/// `WATCH_ENDS` with one that ends the watch (a refusal, an abort), each with the error as the
/// answer. The driver names the same numbers (driver.js `watchUpdates`).
#[no_mangle]
pub extern "C" fn smm_watch_accept(watch: u32, job: u32, dripfeed: u32) -> u32 {
    let Some(Entry::Job(job)) = take(job).map(|e| *e) else {
        refuse(SmmError::invalid("call", "this poll has already ended".to_owned()), None);
        return WATCH_ENDS;
    };
    let updates = job.finish().and_then(|result| {
        with_watch(watch, |w| w.accept(&result, dripfeed == 1))
            .unwrap_or_else(|| Err(SmmError::invalid("watch", "this watch has ended".to_owned())))
    });
    match updates {
        Ok(json) => {
            answer(json);
            WATCH_UPDATES
        }
        Err(error) => {
            let code = if is_transient(&error) { WATCH_WAITS } else { WATCH_ENDS };
            refuse(error, None);
            code
        }
    }
}

const WATCH_UPDATES: u32 = 1;
const WATCH_WAITS: u32 = 2;
const WATCH_ENDS: u32 = 3;

/// A poll failed and will be tried again: the next delay grows.
#[no_mangle]
pub extern "C" fn smm_watch_failed(watch: u32) {
    with_watch(watch, Watch::record_failure);
}

/// `client.catalog(options)`: 1 when a catalog fetched at `fetched_at_ms` (NaN: none yet) may be
/// reused at `now_ms` (`CATALOG_FRESH`), `CATALOG_STALE` when it must be fetched, 0 with the
/// error for bad options. The driver names the same numbers (driver.js `catalog`).
#[no_mangle]
pub extern "C" fn smm_catalog_fresh(options_ptr: *mut u8, options_len: usize, fetched_at_ms: f64, now_ms: f64) -> u32 {
    match catalog::max_age_ms(text(options_ptr, options_len).as_deref()) {
        Ok(max_age) if catalog::is_fresh(fetched_at_ms, now_ms, max_age) => CATALOG_FRESH,
        Ok(_) => CATALOG_STALE,
        Err(error) => refuse(error, None),
    }
}

const CATALOG_FRESH: u32 = 1;
const CATALOG_STALE: u32 = 2;

fn with_catalog<R>(catalog: u32, f: impl FnOnce(&Catalog) -> R) -> Option<R> {
    with(catalog, |e| match e {
        Entry::Catalog(c) => Some(f(c)),
        _ => None,
    })
    .flatten()
}

/// The position of service `id` in the panel's order, or -1.
#[no_mangle]
pub extern "C" fn smm_catalog_position(catalog: u32, id: f64) -> i32 {
    with_catalog(catalog, |c| c.position_of_number(id)).flatten().and_then(|i| i32::try_from(i).ok()).unwrap_or(-1)
}

/// `kind` 0: the categories, 1: the panel-spelled types, each in the panel's order, as the
/// answer (a JSON array of strings).
#[no_mangle]
pub extern "C" fn smm_catalog_names(catalog: u32, kind: u32) {
    answer(with_catalog(catalog, |c| c.names_json(kind == 1)).unwrap_or_else(|| "[]".to_owned()));
}

/// The positions of the services matching `query`, as the answer (a JSON array).
#[no_mangle]
pub extern "C" fn smm_catalog_search(catalog: u32, query_ptr: *mut u8, query_len: usize) {
    let query = text(query_ptr, query_len).unwrap_or_default();
    let found: Vec<u64> = with_catalog(catalog, |c| c.search(&query)).unwrap_or_default().into_iter().map(|i| i as u64).collect();
    let mut out = String::new();
    model::ids(&mut out, &found);
    answer(out);
}

/// `catalog.validate(order)` (`charge` 0) or `catalog.estimateCharge(order)` (`charge` 1, the
/// exact charge as the answer): 1, or 0 with the error.
#[no_mangle]
pub extern "C" fn smm_catalog_check(catalog: u32, order_ptr: *mut u8, order_len: usize, charge: u32) -> u32 {
    let order = text(order_ptr, order_len);
    // The answer is left after the catalog is let go (`with` must not be re-entered).
    let checked = with_catalog(catalog, |c| {
        if charge == 1 {
            c.estimate_charge(order.as_deref()).map(Some)
        } else {
            c.validate(order.as_deref()).map(|_| None)
        }
    });
    match checked {
        Some(Ok(estimate)) => {
            if let Some(charge) = estimate {
                answer(charge);
            }
            1
        }
        Some(Err(error)) => refuse(error, None),
        None => refuse(SmmError::invalid("catalog", "this catalog has been released".to_owned()), None),
    }
}

/// `validateOrder(order)`: 1, or 0 with the error.
#[no_mangle]
pub extern "C" fn smm_validate_order(order_ptr: *mut u8, order_len: usize) -> u32 {
    match request::prepare(Call::AddOrder, text(order_ptr, order_len).as_deref()) {
        Ok(_) => 1,
        Err(error) => refuse(error, None),
    }
}

/// `orderTypes()`: the order-type table's JSON as the answer.
#[no_mangle]
pub extern "C" fn smm_order_types() {
    answer(order::order_types_json());
}

/// `orderTypeOf(type)`: 1 with the SDK's name of a panel-spelled service type as the answer, or
/// 0 for a type it does not know.
#[no_mangle]
pub extern "C" fn smm_order_type_of(type_ptr: *mut u8, type_len: usize) -> u32 {
    match text(type_ptr, type_len).as_deref().and_then(OrderType::of_service_type) {
        Some(t) => {
            answer(t.name().to_owned());
            1
        }
        None => 0,
    }
}

/// The call table as the driver needs it (`[method, takes an argument]` per row, in row order),
/// as the answer: SmmClient's methods are made from it.
#[no_mangle]
pub extern "C" fn smm_calls() {
    answer(call::calls_json());
}
