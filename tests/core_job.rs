//! A call as the JavaScript driver runs it (`core::job`): which bodies it sends, how many at once,
//! whether and when a failed request is tried again, what the call resolves or rejects with, and
//! the error's JSON that the driver turns into an `SmmError`.
// Native only: these use host-only dev-dependencies (serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::call::calls_json;
use smm_panel_sdk::core::job::{Job, Next, Stop, MAX_BODY_BYTES};
use smm_panel_sdk::core::{Call, ClientConfig};

const KEY: &str = "s3cret-key";

fn config(extra: &str) -> ClientConfig {
    ClientConfig::from_json(Some(&format!(r#"{{"apiUrl":"https://panel.example/api/v2","key":"{KEY}"{extra}}}"#))).unwrap()
}

fn ids(range: std::ops::RangeInclusive<u64>) -> String {
    format!("[{}]", range.map(|i| i.to_string()).collect::<Vec<_>>().join(","))
}

fn error_json(job: Job) -> serde_json::Value {
    serde_json::from_str(&job.finish().unwrap_err().to_json()).expect("the error's JSON parses")
}

#[test]
fn a_read_sends_one_body_and_resolves_to_the_decoded_answer() {
    let mut job = Job::start(&config(""), Call::Balance, None, None).unwrap();
    assert_eq!((job.workers(), job.timeout_ms()), (1, 30_000));
    let (request, body) = job.next_request().expect("one request");
    assert_eq!((request, body.as_str()), (0, "key=s3cret-key&action=balance"));
    assert_eq!(job.next_request(), None, "a single call has one request");
    assert_eq!(job.answered(0, 200, None, br#"{"balance":"12.50","currency":"USD"}"#, 0.5), Next::Done);
    assert_eq!(job.finish().unwrap(), r#"{"balance":"12.50","currency":"USD"}"#);
}

#[test]
fn options_and_arguments_are_checked_before_anything_is_prepared() {
    let refused = Job::start(&config(""), Call::OrderStatus, Some("0"), None).unwrap_err();
    assert_eq!((refused.field(), refused.delivery().as_str()), (Some("order"), "not_sent"));
    let refused = Job::start(&config(""), Call::Balance, None, Some(r#"{"timeoutMs":0}"#)).unwrap_err();
    assert_eq!(refused.field(), Some("timeoutMs"));
    let job = Job::start(&config(""), Call::Balance, None, Some(r#"{"timeoutMs":1500}"#)).unwrap();
    assert_eq!(job.timeout_ms(), 1500, "the call's timeout wins over the client's");
}

#[test]
fn a_read_is_tried_again_after_the_policy_s_delay_and_a_write_never() {
    let mut read = Job::start(&config(r#","maxRetries":1"#), Call::Balance, None, None).unwrap();
    read.next_request();
    let Next::RetryAfterMs(delay) = read.answered(0, 503, None, b"", 0.0) else { panic!("a 503 of a read is retried") };
    assert_eq!(delay, 125, "half the first 250 ms step at random 0");
    assert_eq!(read.answered(0, 429, Some("2"), b"", 0.0), Next::Failed, "maxRetries 1: the second failure is final");
    let error = error_json(read);
    assert_eq!((error["code"].as_str(), error["status"].as_u64()), (Some("http"), Some(429)));

    let order = r#"{"service":1,"link":"https://instagram.com/p/x","quantity":100}"#;
    for stop in [Stop::Network, Stop::Timeout] {
        let mut write = Job::start(&config(r#","maxRetries":10"#), Call::AddOrder, Some(order), None).unwrap();
        write.next_request();
        assert_eq!(write.stopped(0, stop, 0, 0.5), Next::Failed, "{stop:?}: an add is never sent twice");
        let error = error_json(write);
        assert_eq!(error["delivery"], "unknown", "{stop:?}: the order may exist");
        assert!(error["message"].as_str().unwrap().contains("the order may have been placed"), "{error}");
    }
}

#[test]
fn how_an_exchange_ended_decides_the_error() {
    let cases = [
        ("before", "aborted", "not_sent", None),
        ("aborted", "aborted", "unknown", None),
        ("timeout", "timeout", "unknown", None),
        ("redirect", "http", "received", Some(302)),
        ("too_large", "decode", "received", Some(200)),
        ("network", "network", "unknown", None),
        ("anything else", "network", "unknown", None),
        ("no_fetch", "invalid_request", "not_sent", None),
    ];
    for (name, code, delivery, status) in cases {
        let mut job = Job::start(&config(r#","maxRetries":0"#), Call::Services, None, None).unwrap();
        job.next_request();
        assert_eq!(job.stopped(0, Stop::from_name(name), status.unwrap_or(0), 0.5), Next::Failed, "{name}");
        let error = error_json(job);
        assert_eq!((error["code"].as_str(), error["delivery"].as_str()), (Some(code), Some(delivery)), "{name}: {error}");
        assert_eq!(error["status"].as_u64(), status.map(u64::from), "{name}");
    }
    let mut job = Job::start(&config(r#","maxRetries":0"#), Call::Services, None, None).unwrap();
    job.next_request();
    job.stopped(0, Stop::TooLarge, 200, 0.5);
    assert!(error_json(job)["message"].as_str().unwrap().contains(&MAX_BODY_BYTES.to_string()));
}

#[test]
fn a_batch_runs_its_chunks_concurrency_at_a_time_and_stops_after_a_failure() {
    let mut job = Job::start(&config(r#","concurrency":2,"maxRetries":0"#), Call::OrderStatusMany, Some(&ids(1..=250)), None).unwrap();
    assert_eq!(job.workers(), 2, "3 chunks, concurrency 2");
    let (first, body) = job.next_request().unwrap();
    assert_eq!(first, 0);
    assert!(body.starts_with("key=s3cret-key&action=status&orders=1%2C2%2C3"), "{body}");
    let (second, _) = job.next_request().unwrap();
    assert_eq!(job.stopped(second, Stop::Network, 0, 0.5), Next::Failed);
    assert_eq!(job.next_request(), None, "no chunk starts after one failed");
    let answer: String = format!("{{{}}}", (1..=100).map(|i| format!(r#""{i}":{{"status":"Pending"}}"#)).collect::<Vec<_>>().join(","));
    assert_eq!(job.answered(first, 200, None, answer.as_bytes(), 0.5), Next::Done, "a chunk in flight still finishes");
    let error = error_json(job);
    let results = error["results"].as_array().expect("every ID's outcome");
    assert_eq!(results.len(), 250);
    assert_eq!(results[0]["status"], "Pending");
    assert_eq!((results[100]["code"].as_str(), results[100]["delivery"].as_str()), (Some("network"), Some("unknown")));
    assert_eq!(results[249]["delivery"], "not_sent");

    let small = Job::start(&config(r#","concurrency":8"#), Call::CancelMany, Some("[1,2]"), None).unwrap();
    assert_eq!(small.workers(), 1, "never more workers than requests");
}

#[test]
fn no_error_the_driver_receives_carries_the_key() {
    let mut job = Job::start(&config(r#","maxRetries":0"#), Call::Balance, None, None).unwrap();
    job.next_request();
    let echo = format!(r#"{{"error":"Invalid key {KEY}"}}"#);
    assert_eq!(job.answered(0, 200, None, echo.as_bytes(), 0.5), Next::Failed);
    let text = job.finish().unwrap_err().to_json();
    assert!(!text.contains(KEY), "{text}");
    let error: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!((error["code"].as_str(), error["action"].as_str(), error["status"].as_u64()), (Some("api"), Some("balance"), Some(200)));
    assert!(error["apiMessage"].as_str().unwrap().starts_with("Invalid key "), "{error}");
    assert!(error.get("field").is_none() && error.get("results").is_none(), "absent parts are left out: {error}");
}

#[test]
fn the_driver_s_call_table_is_the_core_s() {
    let table: Vec<(String, bool)> = serde_json::from_str(&calls_json()).unwrap();
    assert_eq!(table.len(), Call::all().count());
    for ((method, takes_arg), call) in table.iter().zip(Call::all()) {
        assert_eq!(method, call.spec().method);
        assert_eq!(*takes_arg, call.spec().arg != smm_panel_sdk::core::call::Arg::Nothing, "{method}");
    }
}
