//! Everything refused before a request is made: arguments, options, ID lists.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{plan, prepare, Call, CallOptions, ClientConfig, Delivery, ErrorCode, SmmError};

const NAN: &str = r#"{"__smm_unrepresentable":"NaN"}"#;
const INF: &str = r#"{"__smm_unrepresentable":"Infinity"}"#;
const BIGINT: &str = r#"{"__smm_unrepresentable":"12"}"#;

fn assert_invalid(e: &SmmError, field: &str, contains: &[&str]) {
    assert_eq!(e.code(), ErrorCode::InvalidRequest, "{e}");
    assert_eq!(e.delivery(), Delivery::NotSent, "{e}");
    assert_eq!(e.field(), Some(field), "{e}");
    let m = e.message();
    assert_eq!(m, e.to_string());
    for c in contains {
        assert!(m.contains(c), "message {m:?} should contain {c:?}");
    }
}

/// (JSON argument, expected piece of the message describing it)
fn bad_ids() -> Vec<(Option<&'static str>, &'static str)> {
    vec![
        (None, "(got undefined)"),
        (Some("null"), "(got null)"),
        (Some("\"12\""), "(got \"12\")"),
        (Some("1.5"), "(got 1.5)"),
        (Some("-3"), "(got -3)"),
        (Some("0"), "(got 0)"),
        (Some("1152921504606846976"), "beyond Number.MAX_SAFE_INTEGER"),
        (Some("9007199254740992"), "beyond Number.MAX_SAFE_INTEGER"),
        (Some("1e+21"), "beyond Number.MAX_SAFE_INTEGER"),
        (Some("{}"), "(got an object)"),
        (Some("[1]"), "(got an array)"),
        (Some("true"), "(got true)"),
        (Some(NAN), "(got NaN)"),
        (Some(INF), "(got Infinity)"),
        (Some(BIGINT), "BigInt 12n"),
    ]
}

#[test]
fn single_id_calls_refuse_bad_ids() {
    let calls = [
        (Call::OrderStatus, "order", "status"),
        (Call::DripfeedStatus, "order", "status"),
        (Call::Refill, "order", "refill"),
        (Call::Cancel, "order", "cancel"),
        (Call::RefillStatus, "refill", "refill_status"),
    ];
    for (call, field, action) in calls {
        for (arg, got) in bad_ids() {
            let e = prepare(call, arg).unwrap_err();
            assert_invalid(&e, field, &[&format!("{field} must be a positive whole number"), got]);
            assert_eq!(e.action(), Some(action));
        }
        let ok = prepare(call, Some("9007199254740991")).unwrap();
        assert_eq!(ok.action().wire_name(), action);
    }
}

#[test]
fn long_strings_are_not_echoed_whole() {
    let long = format!("\"{}\"", "x".repeat(10_000));
    let e = prepare(Call::OrderStatus, Some(&long)).unwrap_err();
    assert!(e.message().len() < 200, "{}", e.message());
}

#[test]
fn many_calls_refuse_bad_lists_and_name_the_index() {
    let calls = [
        (Call::OrderStatusMany, "orders"),
        (Call::DripfeedStatusMany, "orders"),
        (Call::RefillMany, "orders"),
        (Call::CancelMany, "orders"),
        (Call::RefillStatusMany, "refills"),
    ];
    for (call, field) in calls {
        for not_list in [None, Some("null"), Some("5"), Some("\"1,2\""), Some("{}"), Some(NAN)] {
            let e = plan(call, not_list).unwrap_err();
            assert_invalid(&e, field, &[&format!("{field} must be an array")]);
        }
        let e = plan(call, Some("[]")).unwrap_err();
        assert_invalid(&e, field, &["at least one"]);
        for (bad, got) in bad_ids() {
            let Some(bad) = bad else { continue };
            let list = format!("[1, 2, 3, {bad}]");
            let e = plan(call, Some(&list)).unwrap_err();
            assert_invalid(&e, field, &[&format!("{field}[3] must be a positive whole number"), got]);
        }
        assert!(plan(call, Some("[1,2,3]")).is_ok());
    }
}

#[test]
fn add_order_validation() {
    let cases: Vec<(Option<&str>, &str, &[&str])> = vec![
        (None, "order", &["order object", "(got undefined)"]),
        (Some("null"), "order", &["(got null)"]),
        (Some("[]"), "order", &["(got an array)"]),
        (Some("\"x\""), "order", &["(got \"x\")"]),
        (Some(NAN), "order", &["(got NaN)"]),
        (Some(r#"{"link":"https://x","quantity":10}"#), "service", &["service must be a positive whole number (got undefined)"]),
        (Some(r#"{"service":"1","link":"https://x","quantity":10}"#), "service", &["(got \"1\")"]),
        (Some(r#"{"service":0,"link":"https://x","quantity":10}"#), "service", &["(got 0)"]),
        (Some(r#"{"service":1.5,"link":"https://x","quantity":10}"#), "service", &["(got 1.5)"]),
        (Some(r#"{"service":1,"quantity":10}"#), "link", &["link must be a non-empty string (got undefined)"]),
        (Some(r#"{"service":1,"link":"","quantity":10}"#), "link", &["non-empty"]),
        (Some(r#"{"service":1,"link":"   ","quantity":10}"#), "link", &["non-empty"]),
        (Some(r#"{"service":1,"link":5,"quantity":10}"#), "link", &["(got 5)"]),
        (Some(r#"{"service":1,"link":null,"quantity":10}"#), "link", &["(got null)"]),
        (Some(r#"{"service":1,"link":"https://x\ny","quantity":10}"#), "link", &["control characters"]),
        (Some(r#"{"service":1,"link":"https://x"}"#), "quantity", &["quantity must be a positive whole number (got undefined)"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":0}"#), "quantity", &["(got 0)"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":"100"}"#), "quantity", &["(got \"100\")"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":-5}"#), "quantity", &["(got -5)"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":1e+21}"#), "quantity", &["MAX_SAFE_INTEGER"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":10,"runs":5}"#), "interval", &["interval", "runs"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":10,"interval":30}"#), "runs", &["runs is required"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":10,"runs":0,"interval":30}"#), "runs", &["(got 0)"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":10,"runs":2,"interval":1.5}"#), "interval", &["(got 1.5)"]),
        (Some(r#"{"service":1,"link":"https://x","quantity":10,"runs":null,"interval":5}"#), "runs", &["(got null)"]),
        (Some(r#"{"type":"package","service":1,"link":"https://x","quantity":1}"#), "quantity", &["not sent for package orders"]),
        (Some(r#"{"type":"bogus","service":1,"link":"https://x","quantity":10}"#), "type", &["(got \"bogus\")"]),
        (Some(r#"{"type":5,"service":1,"link":"https://x","quantity":10}"#), "type", &["(got 5)"]),
    ];
    for (arg, field, contains) in cases {
        let e = prepare(Call::AddOrder, arg).unwrap_err();
        assert_invalid(&e, field, contains);
        assert_eq!(e.action(), Some("add"));
    }
}

#[test]
fn add_order_ignores_unknown_keys_but_refuses_fields_of_other_types() {
    let p = prepare(Call::AddOrder, Some(r#"{"type":"default","service":1,"link":" https://x ","quantity":10,"foo":{"bar":1}}"#)).unwrap();
    assert_eq!(p.form_body(Some("k")), "key=k&action=add&service=1&link=https%3A%2F%2Fx&quantity=10");
    // `comments` on a default order almost always means a forgotten `type`: sending the order
    // without them would buy the wrong thing, so it is refused, naming the types that take it.
    let e = prepare(Call::AddOrder, Some(r#"{"service":1,"link":"https://x","quantity":10,"comments":["a"]}"#)).unwrap_err();
    assert_invalid(&e, "comments", &["not a field of default orders", "custom_comments"]);
}

fn cfg_err(json: Option<&str>) -> SmmError {
    ClientConfig::from_json(json).unwrap_err()
}

#[test]
fn client_options() {
    let c = ClientConfig::from_json(Some(r#"{"apiUrl":"https://panel.example/api/v2","key":"abc"}"#)).unwrap();
    assert_eq!(c.api_url, "https://panel.example/api/v2");
    assert_eq!(c.key.as_deref(), Some("abc"));
    assert_eq!((c.timeout_ms, c.max_retries, c.concurrency, c.allow_http), (30_000, 2, 4, false));
    assert!(!format!("{c:?}").contains("abc"), "Debug must not show the key");

    let c = ClientConfig::from_json(Some(
        r#"{"apiUrl":"http://10.0.0.5/api/v2","timeoutMs":600000,"maxRetries":0,"concurrency":32,"allowHttp":true,"fetch":{"__smm_unrepresentable":"function"},"other":1}"#,
    ))
    .unwrap();
    assert_eq!(c.key, None);
    assert_eq!((c.timeout_ms, c.max_retries, c.concurrency, c.allow_http), (600_000, 0, 32, true));
    // `fetch` arrives as the driver's tag of a function; anything else is refused by name.
    for fetch in [r#"{}"#, r#""fetch""#, r#"{"__smm_unrepresentable":"AbortSignal"}"#] {
        let options = format!(r#"{{"apiUrl":"https://p.example/api/v2","fetch":{fetch}}}"#);
        assert_invalid(&ClientConfig::from_json(Some(&options)).unwrap_err(), "fetch", &["fetch must be a function"]);
    }
    assert!(ClientConfig::from_json(Some(r#"{"apiUrl":"https://p.example/api/v2","fetch":null}"#)).is_ok());

    let u = r#""apiUrl":"https://p.example/api/v2""#;
    let cases: Vec<(String, &str, &str)> = vec![
        ("null".into(), "options", "(got null)"),
        ("[]".into(), "options", "(got an array)"),
        ("{}".into(), "apiUrl", "(got undefined)"),
        (r#"{"apiUrl":5}"#.into(), "apiUrl", "(got 5)"),
        (r#"{"apiUrl":"not a url"}"#.into(), "apiUrl", "spaces"),
        (r#"{"apiUrl":"panel.example/api"}"#.into(), "apiUrl", "absolute"),
        (r#"{"apiUrl":"ftp://p.example/"}"#.into(), "apiUrl", "https"),
        (r#"{"apiUrl":"https://u:p@p.example/"}"#.into(), "apiUrl", "user name or password"),
        (r#"{"apiUrl":"https://p.example/api#x"}"#.into(), "apiUrl", "fragment"),
        (r#"{"apiUrl":"https://p.example/api?key=SECRET"}"#.into(), "apiUrl", "key option"),
        (r#"{"apiUrl":"http://p.example/api"}"#.into(), "apiUrl", "allowHttp"),
        (r#"{"apiUrl":"http://p.example/api","allowHttp":"yes"}"#.into(), "allowHttp", "true or false"),
        (format!(r#"{{{u},"key":""}}"#), "key", "empty"),
        (format!(r#"{{{u},"key":5}}"#), "key", "(got 5)"),
        (format!(r#"{{{u},"key":null}}"#), "key", "(got null)"),
        (format!(r#"{{{u},"key":"SECRET\n"}}"#), "key", "control character"),
        (format!(r#"{{{u},"timeoutMs":0}}"#), "timeoutMs", "from 1 to 600000"),
        (format!(r#"{{{u},"timeoutMs":600001}}"#), "timeoutMs", "(got 600001)"),
        (format!(r#"{{{u},"timeoutMs":1.5}}"#), "timeoutMs", "(got 1.5)"),
        (format!(r#"{{{u},"timeoutMs":"100"}}"#), "timeoutMs", "(got \"100\")"),
        (format!(r#"{{{u},"timeoutMs":{NAN}}}"#), "timeoutMs", "(got NaN)"),
        (format!(r#"{{{u},"maxRetries":11}}"#), "maxRetries", "from 0 to 10"),
        (format!(r#"{{{u},"maxRetries":-1}}"#), "maxRetries", "(got -1)"),
        (format!(r#"{{{u},"concurrency":0}}"#), "concurrency", "from 1 to 32"),
        (format!(r#"{{{u},"concurrency":33}}"#), "concurrency", "(got 33)"),
    ];
    for (json, field, piece) in cases {
        let e = cfg_err(Some(&json));
        assert_invalid(&e, field, &[piece]);
        assert!(!e.message().contains("SECRET"), "{}", e.message());
        assert_eq!(e.action(), None);
    }
    assert_invalid(&cfg_err(None), "options", &["(got undefined)"]);
}

#[test]
fn call_options() {
    assert_eq!(CallOptions::from_json(None).unwrap().timeout_ms, None);
    assert_eq!(CallOptions::from_json(Some("{}")).unwrap().timeout_ms, None);
    // `signal` arrives as the driver's tag of an AbortSignal; anything else is refused by name.
    assert_eq!(CallOptions::from_json(Some(r#"{"signal":{"__smm_unrepresentable":"AbortSignal"}}"#)).unwrap().timeout_ms, None);
    assert_eq!(CallOptions::from_json(Some(r#"{"signal":null}"#)).unwrap().timeout_ms, None);
    for signal in [r#"{}"#, r#""stop""#, r#"{"__smm_unrepresentable":"function"}"#] {
        let options = format!(r#"{{"signal":{signal}}}"#);
        assert_invalid(&CallOptions::from_json(Some(&options)).unwrap_err(), "signal", &["signal must be an AbortSignal"]);
    }
    assert_eq!(CallOptions::from_json(Some(r#"{"timeoutMs":5000}"#)).unwrap().timeout_ms, Some(5000));
    assert_invalid(&CallOptions::from_json(Some(r#"{"timeoutMs":0}"#)).unwrap_err(), "timeoutMs", &["(got 0)"]);
    assert_invalid(&CallOptions::from_json(Some(r#"{"timeoutMs":"5"}"#)).unwrap_err(), "timeoutMs", &["(got \"5\")"]);
    assert_invalid(&CallOptions::from_json(Some("5")).unwrap_err(), "options", &["(got 5)"]);
}

#[test]
fn watch_callbacks_must_be_functions() {
    let names = ["onUpdate", "onError"];
    assert!(smm_panel_sdk::core::config::check_callbacks(None, &names).is_ok());
    let both = r#"{"onUpdate":{"__smm_unrepresentable":"function"},"onError":null}"#;
    assert!(smm_panel_sdk::core::config::check_callbacks(Some(both), &names).is_ok());
    let bad = r#"{"onUpdate":{"__smm_unrepresentable":"function"},"onError":"log"}"#;
    let error = smm_panel_sdk::core::config::check_callbacks(Some(bad), &names).unwrap_err();
    assert_invalid(&error, "onError", &["onError must be a function"]);
}
