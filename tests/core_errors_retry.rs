//! Error construction, redaction of the key, and the retry policy.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{prepare, Action, Call, Delivery, ErrorCode, RetryPolicy, SmmError};

const KEY: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

fn api_err(body: &str) -> SmmError {
    prepare(Call::Balance, None).unwrap().interpret(200, None, body.as_bytes()).unwrap_err()
}

#[test]
fn codes_and_deliveries() {
    let cases = [
        (SmmError::network(Action::Add), ErrorCode::Network, Delivery::Unknown, "network"),
        (SmmError::timeout(Action::Services, 5000), ErrorCode::Timeout, Delivery::Unknown, "timeout"),
        (SmmError::aborted(Action::Add, false), ErrorCode::Aborted, Delivery::NotSent, "aborted"),
        (SmmError::aborted(Action::Add, true), ErrorCode::Aborted, Delivery::Unknown, "aborted"),
        (SmmError::redirected(Action::Balance, 301), ErrorCode::Http, Delivery::Received, "http"),
        (SmmError::too_large(Action::Services, 200, 1 << 20), ErrorCode::Decode, Delivery::Received, "decode"),
        (
            SmmError::invalid("signal", "signal must be an AbortSignal".into()),
            ErrorCode::InvalidRequest,
            Delivery::NotSent,
            "invalid_request",
        ),
    ];
    for (e, code, delivery, name) in cases {
        assert_eq!(e.code(), code);
        assert_eq!(e.delivery(), delivery);
        assert_eq!(e.code().as_str(), name);
        assert!(!e.message().is_empty());
    }
    assert_eq!(Delivery::NotSent.as_str(), "not_sent");
    assert_eq!(Delivery::Unknown.as_str(), "unknown");
    assert_eq!(Delivery::Received.as_str(), "received");
    assert_eq!(SmmError::redirected(Action::Balance, 301).status(), Some(301));
    assert!(SmmError::redirected(Action::Balance, 308).message().contains("redirects are not followed"));
    assert!(SmmError::network(Action::Add).message().contains("may have been placed"));
    assert!(SmmError::timeout(Action::Add, 10).message().contains("10 ms"));
    assert_eq!(SmmError::timeout(Action::RefillStatus, 1).action(), Some("refill_status"));
    assert_eq!(SmmError::invalid("x", "m".into()).action(), None);
    let wires: Vec<&str> =
        [Action::Services, Action::Balance, Action::Add, Action::Status, Action::Refill, Action::RefillStatus, Action::Cancel]
            .iter()
            .map(|a| a.wire_name())
            .collect();
    assert_eq!(wires, ["services", "balance", "add", "status", "refill", "refill_status", "cancel"]);
}

#[test]
fn redaction_removes_the_key_everywhere() {
    let e = api_err(&format!(r#"{{"error":"Invalid API key {KEY}"}}"#));
    assert!(e.message().contains(KEY), "precondition: the panel echoed the key");
    let r = e.redacted(Some(KEY));
    assert!(!r.message().contains(KEY));
    assert!(!r.to_string().contains(KEY));
    assert!(!format!("{r:?}").contains(KEY));
    assert_eq!(r.api_message(), Some("Invalid API key [redacted]"));

    // In an excerpt of an HTML page, form-urlencoded.
    let key = "a+b/c d";
    let page = "<html><head><title>Denied key=a%2Bb%2Fc+d</title></head></html>";
    let e = prepare(Call::Services, None).unwrap().interpret(403, None, page.as_bytes()).unwrap_err();
    assert!(e.excerpt().unwrap().contains("a%2Bb%2Fc+d"));
    let r = e.redacted(Some(key));
    assert_eq!(r.excerpt(), Some("Denied key=[redacted]"));
    assert!(!r.message().contains("a%2Bb%2Fc+d"));

    // No key: unchanged.
    let e = api_err(r#"{"error":"x"}"#);
    assert_eq!(e.clone().redacted(None).message(), e.message());
}

#[test]
fn retries_never_for_writes() {
    let p = RetryPolicy::new(10);
    let failures = [
        SmmError::network(Action::Add),
        SmmError::timeout(Action::Add, 1),
        prepare(Call::Balance, None).unwrap().interpret(503, None, b"").unwrap_err(),
        prepare(Call::Balance, None).unwrap().interpret(429, Some("1"), b"").unwrap_err(),
    ];
    for action in [Action::Add, Action::Refill, Action::Cancel] {
        for f in &failures {
            for attempts in 0..5 {
                assert_eq!(p.delay_before_retry(action, attempts, f, 0.5), None);
            }
        }
    }
}

fn http(status: u16, retry_after: Option<&str>) -> SmmError {
    prepare(Call::Balance, None).unwrap().interpret(status, retry_after, b"<html></html>").unwrap_err()
}

#[test]
fn retries_reads_on_passing_failures_only() {
    let p = RetryPolicy::new(2);
    let yes = [
        SmmError::network(Action::Services),
        SmmError::timeout(Action::Services, 1),
        http(429, None),
        http(500, None),
        http(502, None),
        http(503, None),
        http(599, None),
        prepare(Call::Balance, None).unwrap().interpret(429, None, br#"{"error":"Rate limit exceeded. Slow down."}"#).unwrap_err(),
    ];
    let no = [
        http(400, None),
        http(401, None),
        http(404, None),
        http(301, None),
        api_err(r#"{"error":"Invalid API key"}"#),
        api_err(r#"{"error":"Rate limit exceeded. Slow down."}"#),
        api_err("not json"),
        SmmError::aborted(Action::Services, true),
        SmmError::invalid("x", "y".into()),
        SmmError::too_large(Action::Services, 200, 1),
        SmmError::redirected(Action::Services, 302),
    ];
    for action in [Action::Services, Action::Balance, Action::Status, Action::RefillStatus] {
        for f in &yes {
            assert!(p.delay_before_retry(action, 1, f, 0.5).is_some(), "{f}");
            assert!(p.delay_before_retry(action, 2, f, 0.5).is_some(), "{f}");
            assert_eq!(p.delay_before_retry(action, 3, f, 0.5), None, "at most max_retries retries");
        }
        for f in &no {
            assert_eq!(p.delay_before_retry(action, 1, f, 0.5), None, "{f}");
        }
    }
    let none = RetryPolicy::new(0);
    assert_eq!(none.delay_before_retry(Action::Services, 1, &SmmError::network(Action::Services), 0.5), None);
}

#[test]
fn backoff_bounds_and_retry_after() {
    let p = RetryPolicy::new(10);
    let f = SmmError::network(Action::Services);
    let mut prev_max = 0;
    for attempts in 1..=10 {
        let lo = p.delay_before_retry(Action::Services, attempts, &f, 0.0).unwrap();
        let hi = p.delay_before_retry(Action::Services, attempts, &f, 0.999_999).unwrap();
        assert!(lo <= hi && hi <= 8_000, "attempt {attempts}: {lo}..{hi}");
        assert!(lo >= hi / 2, "equal jitter keeps at least half");
        assert!(hi >= prev_max, "grows");
        prev_max = hi;
    }
    assert!(p.delay_before_retry(Action::Services, 1, &f, 0.0).unwrap() >= 100);
    assert_eq!(p.delay_before_retry(Action::Services, 10, &f, 1.0), Some(8_000));
    // Odd random input does not break it.
    for r in [f64::NAN, f64::INFINITY, -1.0, 2.0] {
        let d = p.delay_before_retry(Action::Services, 1, &f, r).unwrap();
        assert!(d <= 8_000);
    }
    assert_eq!(p.delay_before_retry(Action::Services, 1, &http(429, Some("2")), 0.5), Some(2_000));
    assert_eq!(p.delay_before_retry(Action::Services, 1, &http(503, Some("0")), 0.5), Some(0));
    assert_eq!(p.delay_before_retry(Action::Services, 1, &http(429, Some("3600")), 0.5), Some(30_000));
    let dated = http(429, Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert!(dated.retry_after_ms().is_none());
    assert!(p.delay_before_retry(Action::Services, 1, &dated, 0.5).unwrap() <= 8_000);
}

#[test]
fn an_opaque_redirect_has_no_status() {
    use smm_panel_sdk::core::{Action, Delivery, ErrorCode, SmmError};
    let opaque = SmmError::redirected(Action::Add, 0);
    // Whoever redirected an add may have run it first (a script that redirects after its work).
    assert_eq!((opaque.code(), opaque.delivery(), opaque.status()), (ErrorCode::Http, Delivery::Unknown, None));
    assert!(opaque.message().contains("may have been placed"), "{}", opaque.message());
    assert!(!opaque.message().contains("HTTP 0"), "{}", opaque.message());
    let seen = SmmError::redirected(Action::Balance, 301);
    assert_eq!(seen.status(), Some(301));
    assert!(seen.message().contains("HTTP 301"));
}

#[test]
fn an_unreadable_result_of_a_write_is_never_not_sent() {
    use smm_panel_sdk::core::{Action, Delivery, ErrorCode, SmmError};
    let error = SmmError::unreadable_result(Action::Add);
    assert_eq!((error.code(), error.delivery()), (ErrorCode::Decode, Delivery::Unknown));
    assert!(error.message().contains("may have been placed"), "{}", error.message());
}

#[test]
fn a_gateway_error_after_a_write_leaves_delivery_unknown() {
    use smm_panel_sdk::core::{prepare, Call, Delivery, ErrorCode};
    let add = prepare(Call::AddOrder, Some(r#"{"service":1,"link":"https://x","quantity":10}"#)).unwrap();
    let cancel = prepare(Call::Cancel, Some("5")).unwrap();
    let balance = prepare(Call::Balance, None).unwrap();
    for (prepared, status, body, code, delivery) in [
        // A proxy in front of the panel timed out, or Cloudflare's origin timeout: the panel may
        // have placed the order.
        (&add, 504, &br#"{"error":"The panel did not answer in time"}"#[..], ErrorCode::Api, Delivery::Unknown),
        (&add, 502, b"", ErrorCode::Http, Delivery::Unknown),
        (&add, 524, b"<html><title>A timeout occurred</title></html>", ErrorCode::Http, Delivery::Unknown),
        (&add, 500, b"", ErrorCode::Http, Delivery::Unknown),
        (&cancel, 502, b"", ErrorCode::Http, Delivery::Unknown),
        // Not a refusal: even a challenge page leaves the outcome of a write open.
        (&add, 503, b"<html><title>Just a moment...</title></html>", ErrorCode::Http, Delivery::Unknown),
        // A plain refusal: received.
        (&add, 422, br#"{"error":"Quantity less than minimal 50"}"#, ErrorCode::Api, Delivery::Received),
        (&add, 403, br#"{"error":"The action \"add\" is not allowed by this proxy"}"#, ErrorCode::Api, Delivery::Received),
        // Reads are safe to repeat whatever happened.
        (&balance, 504, b"", ErrorCode::Http, Delivery::Received),
    ] {
        let e = prepared.interpret(status, None, body).unwrap_err();
        assert_eq!((e.code(), e.delivery()), (code, delivery), "{status}");
        if delivery == Delivery::Unknown {
            assert!(e.message().contains("may have been"), "{}", e.message());
            assert_eq!(e.status(), Some(status));
        }
    }
}

/// Keys that look like the SDK's own words: none of them may change a field, an action or a
/// sentence of ours; text from outside (the panel's) still loses them.
const AWKWARD_KEYS: [&str; 9] = ["k", "li", "link", "add", "order", "1", "error", "quantity", KEY];

fn our_own_errors() -> Vec<SmmError> {
    let mut errors = vec![
        prepare(Call::AddOrder, Some(r#"{"service":1,"link":"","quantity":1}"#)).unwrap_err(),
        prepare(Call::AddOrder, Some(r#"{"service":1,"link":"https://x","quantity":0}"#)).unwrap_err(),
        prepare(Call::AddOrder, Some(r#"{"service":"two","link":"https://x","quantity":1}"#)).unwrap_err(),
        prepare(Call::AddOrder, Some(r#"{"type":"custom_comments","service":1,"link":"https://x","comments":[]}"#)).unwrap_err(),
        prepare(Call::OrderStatus, Some(r#""two""#)).unwrap_err(),
        prepare(Call::RefillStatus, Some("-2")).unwrap_err(),
        smm_panel_sdk::core::plan(smm_panel_sdk::core::Call::CancelMany, Some("[2,3,2.5]")).unwrap_err(),
        smm_panel_sdk::core::ClientConfig::from_json(Some(r#"{"apiUrl":"ftp://x"}"#)).unwrap_err(),
        smm_panel_sdk::core::ClientConfig::from_json(Some(r#"{"apiUrl":"https://x","timeoutMs":0}"#)).unwrap_err(),
        SmmError::network(Action::Add),
        SmmError::timeout(Action::Refill, 100),
        SmmError::aborted(Action::Cancel, true),
        SmmError::redirected(Action::Add, 301),
        SmmError::too_large(Action::Services, 200, 1024),
        prepare(Call::Balance, None).unwrap().interpret(200, None, b"").unwrap_err(),
        prepare(Call::AddOrder, Some(r#"{"service":1,"link":"https://x","quantity":10}"#)).unwrap().interpret(502, None, b"").unwrap_err(),
    ];
    errors.push(
        prepare(Call::OrderStatus, Some("1")).unwrap().interpret(200, None, br#"{"status":"Pending","remains":"many"}"#).unwrap_err(),
    );
    errors
}

#[test]
fn redaction_never_touches_the_sdks_own_words() {
    for key in AWKWARD_KEYS {
        for e in our_own_errors() {
            let r = e.clone().redacted(Some(key));
            assert_eq!(r.field(), e.field(), "key {key:?}");
            assert_eq!(r.action(), e.action(), "key {key:?}");
            // The values quoted back here ("two", 2.5, "many", "ftp") contain none of the keys, so
            // nothing may change.
            assert_eq!(r.message(), e.message(), "key {key:?}");
            assert_eq!(r.to_string(), e.message());
            assert!(!r.message().contains('\u{E000}') && !r.message().contains('\u{E001}'), "{}", r.message());
        }
    }
    // The example from the issue, word for word.
    let e = prepare(Call::AddOrder, Some(r#"{"service":1,"link":"","quantity":1}"#)).unwrap_err().redacted(Some("k"));
    assert_eq!(e.field(), Some("link"));
    assert!(e.message().starts_with("link must be"), "{}", e.message());
}

#[test]
fn redaction_still_removes_any_key_from_outside_text() {
    for key in AWKWARD_KEYS {
        let e = api_err(&format!(r#"{{"error":"Bad: {key}."}}"#)).redacted(Some(key));
        assert_eq!(e.api_message(), Some("Bad: [redacted]."), "key {key:?}");
        assert_eq!(e.message(), "the panel refused \"balance\": Bad: [redacted].", "key {key:?}");
        // A value the panel sent back, quoted in our message.
        let status = prepare(Call::OrderStatus, Some("1")).unwrap();
        let e = status.interpret(200, None, format!(r#"{{"status":"Pending","remains":"{key}x"}}"#).as_bytes()).unwrap_err();
        let r = e.clone().redacted(Some(key));
        assert!(r.message().contains("(got \"[redacted]x\")"), "key {key:?}: {}", r.message());
        assert!(r.message().starts_with("could not read the panel's answer to \"status\": remains must be"), "{}", r.message());
        // An HTML page's excerpt.
        let page = format!("<html><title>Denied for {key}</title></html>");
        let r = prepare(Call::Services, None).unwrap().interpret(403, None, page.as_bytes()).unwrap_err().redacted(Some(key));
        assert_eq!(r.excerpt(), Some("Denied for [redacted]"));
        assert!(r.message().starts_with("the panel answered \"services\" with HTTP 403: \"Denied for [redacted]\""), "{}", r.message());
    }
    // A long panel message cut for the sentence in the middle of the key: no piece of it stays.
    let long = format!(r#"{{"error":"{}{KEY}"}}"#, "x".repeat(290));
    let r = api_err(&long).redacted(Some(KEY));
    assert!(!r.message().contains(&KEY[..8]), "{}", r.message());
    assert!(r.message().ends_with("[redacted]…"), "{}", r.message());
}
