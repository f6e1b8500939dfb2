//! Reading panel answers: every quirk of docs/WIRE.md "Quirks real panels show", every action, exact output text.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{prepare, Call, Delivery, ErrorCode, Prepared, SmmError};

fn p(call: Call, arg: Option<&str>) -> Prepared {
    prepare(call, arg).unwrap()
}

fn ok(call: Call, arg: Option<&str>, body: &str) -> String {
    p(call, arg).interpret(200, None, body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
}

fn err(call: Call, arg: Option<&str>, status: u16, body: &str) -> SmmError {
    p(call, arg).interpret(status, None, body.as_bytes()).unwrap_err()
}

// ---- services -----------------------------------------------------------------------------------

#[test]
fn services_as_documented() {
    let body = r#"[{"service":1,"name":"Followers","type":"Default","category":"First Category","rate":"0.90","min":"50","max":"10000","refill":true,"cancel":true},
                   {"service":2,"name":"Comments","type":"Custom Comments","category":"Second Category","rate":"8","min":"10","max":"1500","refill":false,"cancel":true}]"#;
    assert_eq!(
        ok(Call::Services, None, body),
        r#"[{"service":1,"name":"Followers","type":"Default","category":"First Category","rate":"0.90","min":50,"max":10000,"refill":true,"cancel":true},{"service":2,"name":"Comments","type":"Custom Comments","category":"Second Category","rate":"8","min":10,"max":1500,"refill":false,"cancel":true}]"#
    );
}

#[test]
fn services_quirks() {
    // String IDs, numeric rates (exact), flags in every spelling, missing cancel, desc/description,
    // dripfeed, extra keys, escapes.
    let body = r#"[
      {"service":"308","name":"A \"quoted\" \u00e9","type":"Default","category":"C","rate":0.9,"min":50,"max":"100","refill":"1","cancel":0,"average_time":"1 hour","dripfeed":"true"},
      {"service":2,"name":"B","type":"Default","category":"C","rate":1e-5,"min":"1","max":1,"refill":"false","desc":"slow"},
      {"service":3,"name":"C","type":"Default","category":"C","rate":"100.84292","min":1,"max":2,"refill":"yes","cancel":"no","description":"  ","desc":"short","dripfeed":1},
      {"service":4,"name":"D","type":"Default","category":"C","rate":0.90000000000000002,"min":1,"max":2,"refill":false,"cancel":"true","description":"full","desc":"short"},
      {"service":5,"name":6,"category":"C","rate":"0.08011655652","min":1,"max":2,"refill":null,"cancel":"1","dripfeed":false}
    ]"#;
    let out = ok(Call::Services, None, body);
    // Strings are copied with their JSON escapes, so compare as JSON values.
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    let want: serde_json::Value = serde_json::from_str(
        concat!(
            r#"[{"service":308,"name":"A \"quoted\" é","type":"Default","category":"C","rate":"0.9","min":50,"max":100,"refill":true,"cancel":false,"dripfeed":true},"#,
            r#"{"service":2,"name":"B","type":"Default","category":"C","rate":"0.00001","min":1,"max":1,"refill":false,"cancel":false,"description":"slow"},"#,
            r#"{"service":3,"name":"C","type":"Default","category":"C","rate":"100.84292","min":1,"max":2,"refill":true,"cancel":false,"dripfeed":true,"description":"short"},"#,
            r#"{"service":4,"name":"D","type":"Default","category":"C","rate":"0.9","min":1,"max":2,"refill":false,"cancel":true,"description":"full"},"#,
            r#"{"service":5,"name":"6","type":"","category":"C","rate":"0.08011655652","min":1,"max":2,"refill":false,"cancel":true,"dripfeed":false}]"#
        ),
    )
    .unwrap();
    assert_eq!(got, want);
    // The streaming path (plain array) and the general path (wrapped) agree byte for byte.
    let wrapped = ok(Call::Services, None, &format!(r#"{{"status":"success","data":{body}}}"#));
    assert_eq!(wrapped, out);
    let noticed = ok(Call::Services, None, &format!("<br />\n<b>Notice</b>: x in <b>/a.php</b> on line <b>1</b><br />\n{body}"));
    assert_eq!(noticed, out);
}

#[test]
fn services_streaming_and_general_paths_agree_on_generated_lists() {
    let body = services_body(500);
    let out = ok(Call::Services, None, &body);
    let wrapped = ok(Call::Services, None, &format!(r#"{{"data":{body},"status":"success"}}"#));
    assert_eq!(out, wrapped);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(500));
    assert_eq!(v[3]["rate"], "0.9");
    assert_eq!(v[0]["min"], 50);
}

/// Same generator as the benchmark in core_perf.rs.
fn services_body(n: usize) -> String {
    let mut s = String::from("[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let (rate, min, flags) = match i % 4 {
            0 => (format!("\"{}.{:05}\"", i % 97, i % 100_000), "\"50\"".to_owned(), r#""refill":true,"cancel":true"#),
            1 => (format!("{}.{}", i % 13, i % 1000 + 1), "10".to_owned(), r#""refill":"1","cancel":"0""#),
            2 => (format!("\"{}\"", i % 500), "\"100\"".to_owned(), r#""refill":false"#),
            _ => ("0.90000000000000002".to_owned(), "1".to_owned(), r#""refill":0,"cancel":1,"dripfeed":true"#),
        };
        s.push_str(&format!(
            r#"{{"service":{},"name":"Followers \u26a1 \/ #{}","type":"Default","category":"IG","rate":{},"min":{},"max":"{}",{},"desc":"x","extra":{{"a":[1]}}}}"#,
            i + 1, i, rate, min, 10_000 + i, flags
        ));
    }
    s.push(']');
    s
}

#[test]
fn services_wrapped_or_keyed() {
    let one = r#"{"service":1,"name":"A","type":"Default","category":"C","rate":"1","min":1,"max":2,"refill":1,"cancel":1}"#;
    let expect = r#"[{"service":1,"name":"A","type":"Default","category":"C","rate":"1","min":1,"max":2,"refill":true,"cancel":true}]"#;
    assert_eq!(ok(Call::Services, None, &format!(r#"{{"status":"success","data":[{one}]}}"#)), expect);
    assert_eq!(ok(Call::Services, None, &format!(r#"{{"services":[{one}]}}"#)), expect);
    assert_eq!(ok(Call::Services, None, &format!(r#"{{"1":{one}}}"#)), expect);
    assert_eq!(ok(Call::Services, None, "[]"), "[]");
}

#[test]
fn services_wrong_shape_is_decode_naming_the_field() {
    let cases = [
        (r#"{"balance":"1"}"#, "expected a list of services"),
        (r#"[1]"#, "services[0] is not an object"),
        (r#"[{"name":"x","rate":"1","min":1,"max":2}]"#, "services[0].service"),
        (r#"[{"service":1,"rate":"abc","min":1,"max":2}]"#, "services[0].rate must be a decimal amount (got \"abc\")"),
        (r#"[{"service":1,"rate":"1e5","min":1,"max":2}]"#, "services[0].rate"),
        (r#"[{"service":1,"rate":"1","max":2}]"#, "services[0].min"),
        (r#"[{"service":1,"rate":"1","min":1,"max":1.5}]"#, "services[0].max must be a whole number (got 1.5)"),
        (r#"[{"service":1,"rate":"1","min":1,"max":2,"refill":"maybe"}]"#, "services[0].refill"),
        (r#"[{"service":1,"rate":"1","min":1,"max":2},{"service":-2,"rate":"1","min":1,"max":2}]"#, "services[1].service"),
        (r#"[{"service":1,"rate":"1","min":1,"max":99999999999999999}]"#, "too large"),
    ];
    for (body, piece) in cases {
        let e = err(Call::Services, None, 200, body);
        assert_eq!(e.code(), ErrorCode::Decode, "{body}");
        assert_eq!(e.delivery(), Delivery::Received);
        assert_eq!(e.status(), Some(200));
        assert!(e.message().contains(piece), "{} should contain {piece}", e.message());
    }
}

// ---- balance ------------------------------------------------------------------------------------

#[test]
fn balance_shapes() {
    assert_eq!(ok(Call::Balance, None, r#"{"balance":"100.84292","currency":"USD"}"#), r#"{"balance":"100.84292","currency":"USD"}"#);
    assert_eq!(ok(Call::Balance, None, r#"{"balance":100.84292,"currency":"USD"}"#), r#"{"balance":"100.84292","currency":"USD"}"#);
    assert_eq!(ok(Call::Balance, None, r#"{"balance":1e-7}"#), r#"{"balance":"0.0000001","currency":""}"#);
    assert_eq!(
        ok(Call::Balance, None, r#"{"status":"success","balance":" 5.10 ","currency":"EUR"}"#),
        r#"{"balance":"5.10","currency":"EUR"}"#
    );
    assert_eq!(ok(Call::Balance, None, r#"{"balance":0.90000000000000002,"currency":"USD"}"#), r#"{"balance":"0.9","currency":"USD"}"#);
    assert_eq!(ok(Call::Balance, None, r#"{"balance":"-3.5","currency":"USD"}"#), r#"{"balance":"-3.5","currency":"USD"}"#);
    assert_eq!(
        ok(Call::Balance, None, r#"{"status":"success","data":{"balance":"2","currency":"USD"}}"#),
        r#"{"balance":"2","currency":"USD"}"#
    );
    for bad in [r#"{"currency":"USD"}"#, r#"{"balance":"abc"}"#, r#"{"balance":null}"#, "[]", "\"1.00\""] {
        let e = err(Call::Balance, None, 200, bad);
        assert_eq!(e.code(), ErrorCode::Decode, "{bad}");
    }
}

// ---- add ----------------------------------------------------------------------------------------

const ORDER: &str = r#"{"service":1,"link":"https://x","quantity":100}"#;
const DRIP: &str = r#"{"service":1,"link":"https://x","quantity":100,"runs":2,"interval":5}"#;

#[test]
fn add_answers() {
    assert_eq!(ok(Call::AddOrder, Some(ORDER), r#"{"order":23501}"#), r#"{"order":23501,"type":"normal"}"#);
    assert_eq!(ok(Call::AddOrder, Some(ORDER), r#"{"order":"23501"}"#), r#"{"order":23501,"type":"normal"}"#);
    assert_eq!(ok(Call::AddOrder, Some(DRIP), r#"{"order":23501}"#), r#"{"order":23501,"type":"dripfeed"}"#);
    // The panel's own word wins.
    assert_eq!(ok(Call::AddOrder, Some(ORDER), r#"{"order":7,"type":"dripfeed"}"#), r#"{"order":7,"type":"dripfeed"}"#);
    assert_eq!(ok(Call::AddOrder, Some(DRIP), r#"{"order":7,"type":"normal"}"#), r#"{"order":7,"type":"normal"}"#);
    assert_eq!(ok(Call::AddOrder, Some(ORDER), r#"{"status":"success","order":8}"#), r#"{"order":8,"type":"normal"}"#);
    // 201 is success too.
    assert_eq!(p(Call::AddOrder, Some(ORDER)).interpret(201, None, br#"{"order":9}"#).unwrap(), r#"{"order":9,"type":"normal"}"#);
}

#[test]
fn add_decode_failures_warn_that_the_order_may_exist() {
    for bad in [r#"{"ok":true}"#, r#"{"order":0}"#, r#"{"order":"abc"}"#, "", "OK"] {
        let e = err(Call::AddOrder, Some(ORDER), 200, bad);
        assert_eq!(e.code(), ErrorCode::Decode, "{bad:?}");
        // Not a result and not a refusal: the order may exist, so nobody may resend on it.
        assert_eq!(e.delivery(), Delivery::Unknown);
        assert!(e.message().contains("may have been placed"), "{}", e.message());
    }
}

#[test]
fn bom_and_php_notices_are_skipped() {
    let notice = "<br />\n<b>Notice</b>:  Undefined index: runs in <b>/var/www/html/api.php</b> on line <b>88</b><br />\n{\"order\":23501}";
    assert_eq!(ok(Call::AddOrder, Some(ORDER), notice), r#"{"order":23501,"type":"normal"}"#);
    let warning = "<br />\n<b>Warning</b>:  count(): Parameter must be an array in <b>/x.php</b> on line <b>3</b><br />\n{\"balance\":\"1.5\",\"currency\":\"USD\"}";
    assert_eq!(ok(Call::Balance, None, warning), r#"{"balance":"1.5","currency":"USD"}"#);
    let deprecated = "\nDeprecated: Function create_function() is deprecated in /x.php on line 2\n{\"order\":5}";
    assert_eq!(ok(Call::AddOrder, Some(ORDER), deprecated), r#"{"order":5,"type":"normal"}"#);
    let bom = "\u{FEFF}{\"order\":6}";
    assert_eq!(ok(Call::AddOrder, Some(ORDER), bom), r#"{"order":6,"type":"normal"}"#);
}

// ---- errors in the body, HTTP statuses ----------------------------------------------------------

#[test]
fn api_errors_in_every_shape_and_status() {
    let shapes = [
        (r#"{"error":"Not enough funds on balance"}"#, Some("Not enough funds on balance")),
        (r#"{"error":"neworder.error.link_duplicate"}"#, Some("neworder.error.link_duplicate")),
        (r#"{"status":"error","message":"Invalid API key"}"#, Some("Invalid API key")),
        (r#"{"success":false,"msg":"Quantity less than minimal 50"}"#, Some("Quantity less than minimal 50")),
        (r#"{"success":"false","message":"Bad link"}"#, Some("Bad link")),
        (r#"{"error":{"message":"Incorrect service ID"}}"#, Some("Incorrect service ID")),
        (r#"{"error":true,"message":"Rate limit exceeded. Slow down."}"#, Some("Rate limit exceeded. Slow down.")),
        (r#"{"success":false}"#, None),
    ];
    for status in [200u16, 201, 400, 401, 402, 403, 404, 422, 429, 500] {
        for (body, msg) in shapes {
            for call in [Call::AddOrder, Call::Balance, Call::Services] {
                let arg = (call == Call::AddOrder).then_some(ORDER);
                let e = err(call, arg, status, body);
                assert_eq!(e.code(), ErrorCode::Api, "{status} {body}");
                // A write answered 500 may have run before the script failed: unknown.
                let expected = if call == Call::AddOrder && status == 500 { Delivery::Unknown } else { Delivery::Received };
                assert_eq!(e.delivery(), expected, "{status} {body}");
                assert_eq!(e.status(), Some(status));
                assert_eq!(e.api_message(), msg);
                if let Some(m) = msg {
                    assert!(e.message().contains(m));
                }
            }
        }
    }
    // Not errors: a null/false error key, an order whose status is really "Error".
    assert_eq!(ok(Call::AddOrder, Some(ORDER), r#"{"order":1,"error":null}"#), r#"{"order":1,"type":"normal"}"#);
    assert_eq!(
        ok(Call::OrderStatus, Some("1"), r#"{"charge":"0","start_count":"0","status":"Error","remains":"0","currency":"USD"}"#),
        r#"{"charge":"0","start_count":0,"status":"Error","remains":0,"currency":"USD"}"#
    );
    assert_eq!(ok(Call::RefillStatus, Some("1"), r#"{"status":"error"}"#), r#"{"refill":1,"status":"Error"}"#);
}

#[test]
fn http_errors_without_error_body() {
    let cf = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>checking</body></html>";
    let e = err(Call::Services, None, 503, cf);
    assert_eq!(e.code(), ErrorCode::Http);
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.delivery(), Delivery::Received);
    assert!(e.message().contains("HTTP 503") && e.message().contains("Just a moment..."), "{}", e.message());
    assert_eq!(e.excerpt(), Some("Just a moment..."));

    let e = p(Call::Balance, None).interpret(429, Some("7"), b"").unwrap_err();
    assert_eq!((e.code(), e.status(), e.retry_after_ms()), (ErrorCode::Http, Some(429), Some(7000)));
    let e = err(Call::Balance, None, 500, r#"{"balance":"1"}"#);
    assert_eq!((e.code(), e.status()), (ErrorCode::Http, Some(500)));
    let e = err(Call::Balance, None, 404, r#"{"status":"not found"}"#);
    assert_eq!((e.code(), e.status()), (ErrorCode::Http, Some(404)));
    // A 429 with an error body is an api error that still carries Retry-After.
    let e = p(Call::Balance, None).interpret(429, Some("3"), br#"{"error":"Rate limit exceeded. Slow down."}"#).unwrap_err();
    assert_eq!((e.code(), e.retry_after_ms()), (ErrorCode::Api, Some(3000)));
}

#[test]
fn non_json_on_success_is_decode_with_excerpt() {
    let cf = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>x</body></html>";
    let e = err(Call::Balance, None, 200, cf);
    assert_eq!(e.code(), ErrorCode::Decode);
    assert_eq!(e.excerpt(), Some("Just a moment..."));
    let e = err(Call::Balance, None, 200, "");
    assert!(e.message().contains("empty"), "{}", e.message());
    let long = format!("garbage {}", "word ".repeat(500));
    let e = err(Call::Balance, None, 200, &long);
    assert!(e.excerpt().unwrap().chars().count() <= 101);
    let fatal = "<br />\n<b>Fatal error</b>:  Allowed memory size exhausted in <b>/x.php</b> on line <b>9</b><br />";
    let e = err(Call::Balance, None, 200, fatal);
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(e.excerpt().unwrap().starts_with("Fatal error: Allowed memory"), "{:?}", e.excerpt());
}

// ---- status -------------------------------------------------------------------------------------

#[test]
fn order_status_quirks() {
    assert_eq!(
        ok(
            Call::OrderStatus,
            Some("1"),
            r#"{"charge":"0.27819","start_count":"3572","status":"Partial","remains":"157","currency":"USD"}"#
        ),
        r#"{"charge":"0.27819","start_count":3572,"status":"Partial","remains":157,"currency":"USD"}"#
    );
    assert_eq!(
        ok(
            Call::OrderStatus,
            Some("1"),
            r#"{"charge":0.08011655652,"start_count":0,"status":"in progress","remains":"Unknown","currency":""}"#
        ),
        r#"{"charge":"0.08011655652","start_count":0,"status":"In progress","remains":null,"currency":null}"#
    );
    assert_eq!(
        ok(Call::OrderStatus, Some("1"), r#"{"status":"Cancelled","charge":null,"start_count":"","remains":-5}"#),
        r#"{"charge":null,"start_count":null,"status":"Canceled","remains":-5,"currency":null}"#
    );
    for (wire, canon) in [
        ("pending", "Pending"),
        ("In Progress", "In progress"),
        ("inprogress", "In progress"),
        ("in_progress", "In progress"),
        ("PROCESSING", "Processing"),
        ("completed", "Completed"),
        ("partial", "Partial"),
        ("canceled", "Canceled"),
        ("cancelled", "Canceled"),
        ("Refunded", "Refunded"),
        ("active", "Active"),
        ("fail", "Fail"),
        ("error", "Error"),
        ("paused", "Paused"),
        ("expired", "Expired"),
        ("rejected", "Rejected"),
        ("awaiting", "Awaiting"),
        ("Some New State", "Some New State"),
    ] {
        let out = ok(Call::OrderStatus, Some("1"), &format!(r#"{{"status":"{wire}"}}"#));
        assert_eq!(out, format!(r#"{{"charge":null,"start_count":null,"status":"{canon}","remains":null,"currency":null}}"#));
    }
    let e = err(Call::OrderStatus, Some("1"), 200, r#"{"charge":"1"}"#);
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(e.message().contains("status"));
    let e = err(Call::OrderStatus, Some("1"), 200, r#"{"error":"Incorrect order ID"}"#);
    assert_eq!((e.code(), e.api_message()), (ErrorCode::Api, Some("Incorrect order ID")));
}

#[test]
fn dripfeed_status() {
    assert_eq!(
        ok(Call::DripfeedStatus, Some("1"), r#"{"status":"In progress","orders":[86,"87"]}"#),
        r#"{"status":"In progress","orders":[86,87]}"#
    );
    assert_eq!(ok(Call::DripfeedStatus, Some("1"), r#"{"status":"pending","orders":null}"#), r#"{"status":"Pending","orders":[]}"#);
    assert_eq!(
        ok(Call::DripfeedStatus, Some("1"), r#"{"status":"Completed","orders":"1, 2"}"#),
        r#"{"status":"Completed","orders":[1,2]}"#
    );
    let e = err(Call::DripfeedStatus, Some("1"), 200, r#"{"status":"Completed","charge":"1"}"#);
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(e.message().contains("drip-feed"), "{}", e.message());
}

// ---- refill, refill_status, cancel --------------------------------------------------------------

#[test]
fn refill_cancel_single() {
    assert_eq!(ok(Call::Refill, Some("42"), r#"{"refill":"1"}"#), r#"{"order":42,"refill":1}"#);
    assert_eq!(ok(Call::Refill, Some("42"), r#"{"refill":7}"#), r#"{"order":42,"refill":7}"#);
    let e = err(Call::Refill, Some("42"), 200, r#"{"refill":{"error":"Refill not available"}}"#);
    assert_eq!((e.code(), e.api_message()), (ErrorCode::Api, Some("Refill not available")));
    assert_eq!(ok(Call::Refill, Some("3"), r#"[{"order":3,"refill":11}]"#), r#"{"order":3,"refill":11}"#);

    assert_eq!(ok(Call::RefillStatus, Some("5"), r#"{"status":"Completed"}"#), r#"{"refill":5,"status":"Completed"}"#);
    assert_eq!(ok(Call::RefillStatus, Some("5"), r#"{"status":"in progress"}"#), r#"{"refill":5,"status":"In progress"}"#);
    let e = err(Call::RefillStatus, Some("5"), 200, r#"{"status":{"error":"Refill not found"}}"#);
    assert_eq!((e.code(), e.api_message()), (ErrorCode::Api, Some("Refill not found")));

    assert_eq!(ok(Call::Cancel, Some("9"), r#"{"cancel":1}"#), r#"{"order":9,"cancel":1}"#);
    assert_eq!(ok(Call::Cancel, Some("9"), r#"{"cancel":"1"}"#), r#"{"order":9,"cancel":1}"#);
    assert_eq!(ok(Call::Cancel, Some("9"), r#"{"cancel":true}"#), r#"{"order":9,"cancel":1}"#);
    assert_eq!(ok(Call::Cancel, Some("9"), r#"[{"order":9,"cancel":1}]"#), r#"{"order":9,"cancel":1}"#);
    let e = err(Call::Cancel, Some("9"), 200, r#"[{"order":9,"cancel":{"error":"Incorrect order ID"}}]"#);
    assert_eq!((e.code(), e.api_message()), (ErrorCode::Api, Some("Incorrect order ID")));
    let e = err(Call::Cancel, Some("9"), 200, r#"{"ok":1}"#);
    assert_eq!(e.code(), ErrorCode::Decode);
    assert!(e.message().contains("cancellation may have been requested"), "{}", e.message());
}
