//! What `delivery` says after every kind of answer: a write answered with anything that is
//! neither a readable result nor a panel's refusal is "unknown" (the order may exist), whatever
//! the HTTP status; a read is "received" whenever something answered.
// Native only: these use host-only dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{plan, prepare, Action, Call, Delivery, ErrorCode, Prepared, SmmError};

const ORDER: &str = r#"{"service":1,"link":"https://x","quantity":10}"#;

fn writes() -> Vec<Prepared> {
    vec![
        prepare(Call::AddOrder, Some(ORDER)).unwrap(),
        prepare(Call::Refill, Some("5")).unwrap(),
        prepare(Call::Cancel, Some("5")).unwrap(),
    ]
}

fn reads() -> Vec<Prepared> {
    vec![
        prepare(Call::Services, None).unwrap(),
        prepare(Call::Balance, None).unwrap(),
        prepare(Call::OrderStatus, Some("5")).unwrap(),
        prepare(Call::DripfeedStatus, Some("5")).unwrap(),
        prepare(Call::RefillStatus, Some("5")).unwrap(),
    ]
}

/// Answers that are neither a result nor a refusal, as real panels and the things in front of
/// them send them.
fn unreadable_answers() -> Vec<(u16, &'static str)> {
    vec![
        // SmartPanel after the order row exists (a charge that rounds to 0, two adds racing).
        (200, ""),
        (200, "   \n"),
        (200, "OK"),
        // A PHP fatal error instead of the JSON.
        (200, "<br />\n<b>Fatal error</b>:  Uncaught PDOException in <b>/var/www/api.php</b> on line <b>120</b><br />"),
        // CodeIgniter's error block followed by something that is not JSON.
        (200, "<div style=\"border:1px solid #990000;\">\n<h4>A PHP Error was encountered</h4>\n<p>Severity: Warning</p>\n</div>"),
        // An HTML page.
        (200, "<!DOCTYPE html><html><head><title>Maintenance</title></head><body></body></html>"),
        (503, "<html><head><title>Just a moment...</title></head></html>"),
        (404, "<html><body><h1>404 Not Found</h1></body></html>"),
        (400, ""),
        (429, ""),
        // JSON of an undocumented shape.
        (200, r#"{"ok":true}"#),
        (200, r#"{"result":"done"}"#),
        (200, "[]"),
        (200, "null"),
        (200, "42"),
        (404, r#"{"order":1}"#),
        // A body cut off by a proxy.
        (200, r#"{"order":235"#),
        (200, r#"[{"order":1,"refill":"#),
        // Gateways.
        (502, ""),
        (504, "Gateway Time-out"),
        (524, "<html><title>A timeout occurred</title></html>"),
    ]
}

#[test]
fn an_unreadable_answer_to_a_write_is_unknown_whatever_the_status() {
    for prepared in writes() {
        for (status, body) in unreadable_answers() {
            let e = prepared.interpret(status, None, body.as_bytes()).unwrap_err();
            assert!(matches!(e.code(), ErrorCode::Decode | ErrorCode::Http), "{:?} {status} {body:?}: {e}", prepared.action());
            assert_eq!(e.delivery(), Delivery::Unknown, "{:?} {status} {body:?}: {e}", prepared.action());
            assert!(e.message().contains("may have been"), "{}", e.message());
            assert_eq!(e.status(), Some(status));
        }
    }
}

#[test]
fn an_unreadable_answer_to_a_read_is_received() {
    for prepared in reads() {
        for (status, body) in unreadable_answers() {
            if prepared.action() == Action::Services && body == "[]" {
                continue; // an empty catalog is a result of services
            }
            let e = prepared.interpret(status, None, body.as_bytes()).unwrap_err();
            assert_eq!(e.delivery(), Delivery::Received, "{:?} {status} {body:?}: {e}", prepared.action());
            assert!(!e.message().contains("may have been"), "{}", e.message());
        }
    }
}

#[test]
fn a_refusal_of_a_write_is_received_unless_a_gateway_status_leaves_it_open() {
    for prepared in writes() {
        for shape in [
            r#"{"error":"Not enough funds on balance"}"#,
            r#"{"status":"error","message":"Invalid API key"}"#,
            r#"{"success":false,"msg":"Bad link"}"#,
        ] {
            for status in [200u16, 400, 403, 422, 429] {
                let e = prepared.interpret(status, None, shape.as_bytes()).unwrap_err();
                assert_eq!((e.code(), e.delivery()), (ErrorCode::Api, Delivery::Received), "{status} {shape}");
            }
            let e = prepared.interpret(502, None, shape.as_bytes()).unwrap_err();
            assert_eq!((e.code(), e.delivery()), (ErrorCode::Api, Delivery::Unknown), "502 {shape}");
        }
    }
}

#[test]
fn transport_outcomes_of_a_write() {
    for action in [Action::Add, Action::Refill, Action::Cancel] {
        let cases = [
            (SmmError::network(action), ErrorCode::Network, Delivery::Unknown),
            (SmmError::timeout(action, 100), ErrorCode::Timeout, Delivery::Unknown),
            (SmmError::aborted(action, true), ErrorCode::Aborted, Delivery::Unknown),
            (SmmError::aborted(action, false), ErrorCode::Aborted, Delivery::NotSent),
            (SmmError::redirected(action, 301), ErrorCode::Http, Delivery::Unknown),
            (SmmError::redirected(action, 0), ErrorCode::Http, Delivery::Unknown),
            (SmmError::too_large(action, 200, 1024), ErrorCode::Decode, Delivery::Unknown),
            (SmmError::unreadable_result(action), ErrorCode::Decode, Delivery::Unknown),
        ];
        for (e, code, delivery) in cases {
            assert_eq!((e.code(), e.delivery()), (code, delivery), "{action:?}: {e}");
        }
    }
    for action in [Action::Services, Action::Balance, Action::Status, Action::RefillStatus] {
        assert_eq!(SmmError::redirected(action, 301).delivery(), Delivery::Received);
        assert_eq!(SmmError::too_large(action, 200, 1024).delivery(), Delivery::Received);
    }
}

#[test]
fn a_write_chunk_answered_unreadably_is_unknown() {
    let ids = (1..=150).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    for call in [Call::RefillMany, Call::CancelMany] {
        let mut batch = plan(call, Some(&format!("[{ids}]"))).unwrap();
        for (status, body) in [(200u16, ""), (200, "<html></html>"), (200, r#"[{"order":1,"#), (502, "")] {
            let e = batch.accept(0, status, None, body.as_bytes()).unwrap_err();
            assert_eq!(e.delivery(), Delivery::Unknown, "{call:?} {status} {body:?}");
        }
    }
    let mut batch = plan(Call::OrderStatusMany, Some(&format!("[{ids}]"))).unwrap();
    let e = batch.accept(0, 200, None, b"").unwrap_err();
    assert_eq!(e.delivery(), Delivery::Received);
}

/// CodeIgniter prints its error block (HTML) before the JSON; the answer is the JSON, for reads
/// and writes alike. "Severity: 8192" is how CodeIgniter 3 names E_DEPRECATED.
#[test]
fn codeigniter_php_error_blocks_are_skipped() {
    let block = |severity: &str| {
        format!(
            "<div style=\"border:1px solid #990000;padding-left:20px;margin:0 0 10px 0;\">\n\n<h4>A PHP Error was encountered</h4>\n\n\
             <p>Severity: {severity}</p>\n<p>Message:  Undefined index: {{type}} \"x\"</p>\n<p>Filename: controllers/Api.php</p>\n\
             <p>Line Number: 42</p>\n\n\n\t<p>Backtrace:</p>\n\t<p style=\"margin-left:10px\">\n\tFile: /var/www/application/controllers/Api.php<br />\n\
             \tLine: 42<br />\n\tFunction: _error_handler\t</p>\n\n</div>"
        )
    };
    for severity in ["Notice", "Warning", "8192", "Runtime Notice"] {
        let add = prepare(Call::AddOrder, Some(ORDER)).unwrap();
        let body = format!("{}{{\"order\":23501}}", block(severity));
        assert_eq!(add.interpret(200, None, body.as_bytes()).unwrap(), r#"{"order":23501,"type":"normal"}"#, "{severity}");
        let body = format!("{}\n{{\"balance\":\"1.50\",\"currency\":\"USD\"}}", block(severity));
        let balance = prepare(Call::Balance, None).unwrap();
        assert_eq!(balance.interpret(200, None, body.as_bytes()).unwrap(), r#"{"balance":"1.50","currency":"USD"}"#, "{severity}");
        let body = format!(
            "{}[{{\"service\":1,\"name\":\"n\",\"type\":\"Default\",\"category\":\"c\",\"rate\":\"0.9\",\"min\":1,\"max\":2}}]",
            block(severity)
        );
        let services = prepare(Call::Services, None).unwrap();
        assert!(services.interpret(200, None, body.as_bytes()).unwrap().starts_with("[{\"service\":1"), "{severity}");
        // Two blocks, and a block after the JSON.
        let body = format!("{}{}{{\"order\":7}}", block(severity), block("Warning"));
        assert_eq!(add.interpret(200, None, body.as_bytes()).unwrap(), r#"{"order":7,"type":"normal"}"#);
        let body = format!("{{\"order\":8}}{}", block(severity));
        assert_eq!(add.interpret(200, None, body.as_bytes()).unwrap(), r#"{"order":8,"type":"normal"}"#);
    }
    // A page that merely contains JSON-like text is still not read as an answer.
    let add = prepare(Call::AddOrder, Some(ORDER)).unwrap();
    let page = "<html><body><h4>Welcome</h4>\n{\"order\":1}</body></html>";
    assert_eq!(add.interpret(200, None, page.as_bytes()).unwrap_err().delivery(), Delivery::Unknown);
}
