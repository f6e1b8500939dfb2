//! Whatever a JS caller passes, bad input is an `invalid_request` naming the field, and no
//! request leaves (the journal stays empty).
use crate::sdk::SmmClient;
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use crate::support::*;

/// JS values that are not a positive safe integer.
fn bad_ids() -> Vec<(&'static str, JsValue)> {
    vec![
        ("undefined", JsValue::UNDEFINED),
        ("null", JsValue::NULL),
        ("NaN", JsValue::from(f64::NAN)),
        ("Infinity", JsValue::from(f64::INFINITY)),
        ("1.5", JsValue::from(1.5)),
        ("-3", JsValue::from(-3.0)),
        ("0", JsValue::from(0.0)),
        ("\"12\"", JsValue::from_str("12")),
        ("2**60", JsValue::from(2f64.powi(60))),
        ("2**53", JsValue::from(2f64.powi(53))),
        ("true", JsValue::TRUE),
        ("{}", object()),
        ("[1]", parse("[1]")),
        ("10n", js_sys::BigInt::from(10u32).into()),
    ]
}

async fn expect_invalid(promise: Promise, key: &str, field: &str, what: &str) {
    let error = rejected(promise, key).await;
    // Values JSON cannot hold are still named precisely in the message.
    let named = match what {
        "NaN" => Some("NaN"),
        "Infinity" => Some("Infinity"),
        "10n" => Some("BigInt 10n"),
        _ => None,
    };
    if let Some(named) = named {
        assert!(error.message.contains(named), "{what}: {}", error.message);
    }
    assert_eq!(error.code, "invalid_request", "{what}: {error:?}");
    assert_eq!(error.delivery, "not_sent", "{what}");
    assert_eq!(error.field.as_deref(), Some(field), "{what}: {error:?}");
    assert!(!error.message.is_empty(), "{what}: a readable message");
}

#[wasm_bindgen_test]
async fn bad_ids_are_refused_before_sending() {
    let sim = perfect();
    let key = sim.account("5").await;
    let client = sim.client(&key);
    for (what, id) in bad_ids() {
        expect_invalid(client.order_status(id.clone(), None), &key, "order", what).await;
        expect_invalid(client.dripfeed_status(id.clone(), None), &key, "order", what).await;
        expect_invalid(client.refill(id.clone(), None), &key, "order", what).await;
        expect_invalid(client.cancel(id.clone(), None), &key, "order", what).await;
        expect_invalid(client.refill_status(id.clone(), None), &key, "refill", what).await;
        // The same junk inside a list.
        let list = js_sys::Array::of2(&JsValue::from(5.0), &id);
        expect_invalid(client.order_status_many(list.clone().into(), None), &key, "orders", what).await;
        expect_invalid(client.cancel_many(list.clone().into(), None), &key, "orders", what).await;
        expect_invalid(client.refill_status_many(list.into(), None), &key, "refills", what).await;
    }
    for (what, list) in
        [("[]", parse("[]")), ("a number", JsValue::from(5.0)), ("a string", JsValue::from_str("1,2")), ("undefined", JsValue::UNDEFINED)]
    {
        expect_invalid(client.order_status_many(list.clone(), None), &key, "orders", what).await;
        expect_invalid(client.refill_many(list, None), &key, "orders", what).await;
    }
    assert!(sim.journal(&key).await.is_empty(), "no request left for any bad input");
}

#[wasm_bindgen_test]
async fn bad_orders_name_the_field() {
    let sim = perfect();
    let key = sim.account("5").await;
    let client = sim.client(&key);
    let valid = r#""service":101,"link":"https://instagram.com/p/x","quantity":100"#;
    let cases: Vec<(&str, JsValue, &str)> = vec![
        ("no order", JsValue::UNDEFINED, "order"),
        ("a string", JsValue::from_str("order"), "order"),
        ("service missing", parse(r#"{"link":"https://x.y","quantity":100}"#), "service"),
        ("service as string", parse(r#"{"service":"101","link":"https://x.y","quantity":100}"#), "service"),
        ("link empty", parse(r#"{"service":101,"link":"  ","quantity":100}"#), "link"),
        ("link a number", parse(r#"{"service":101,"link":5,"quantity":100}"#), "link"),
        ("quantity 1.5", parse(r#"{"service":101,"link":"https://x.y","quantity":1.5}"#), "quantity"),
        ("quantity -3", parse(r#"{"service":101,"link":"https://x.y","quantity":-3}"#), "quantity"),
        ("quantity null", parse(r#"{"service":101,"link":"https://x.y","quantity":null}"#), "quantity"),
        ("runs without interval", parse(&format!(r#"{{{valid},"runs":3}}"#)), "interval"),
        ("interval without runs", parse(&format!(r#"{{{valid},"interval":3}}"#)), "runs"),
        ("runs 0", parse(&format!(r#"{{{valid},"runs":0,"interval":3}}"#)), "runs"),
    ];
    for (what, order, field) in cases {
        expect_invalid(client.add_order(order, None), &key, field, what).await;
    }
    // NaN and 2**60 cannot be written in JSON: build them in JS.
    for (what, quantity) in [("quantity NaN", JsValue::from(f64::NAN)), ("quantity 2**60", JsValue::from(2f64.powi(60)))] {
        let order = parse(r#"{"service":101,"link":"https://x.y"}"#);
        set(&order, "quantity", &quantity);
        expect_invalid(client.add_order(order, None), &key, "quantity", what).await;
    }
    assert!(sim.journal(&key).await.is_empty(), "no order left for any bad input");
}

#[wasm_bindgen_test]
async fn bad_client_options_throw_from_the_constructor() {
    let sim = perfect();
    let key = "constructor-test-key";
    let cases: Vec<(&str, &str)> = vec![
        (r#"{}"#, "apiUrl"),
        (r#"{"apiUrl":"not a url"}"#, "apiUrl"),
        (r#"{"apiUrl":"ftp://panel.example/api/v2"}"#, "apiUrl"),
        (r#"{"apiUrl":"http://panel.example/api/v2"}"#, "apiUrl"),
        (r#"{"apiUrl":"https://panel.example/api/v2","timeoutMs":0}"#, "timeoutMs"),
        (r#"{"apiUrl":"https://panel.example/api/v2","timeoutMs":"5"}"#, "timeoutMs"),
        (r#"{"apiUrl":"https://panel.example/api/v2","maxRetries":-1}"#, "maxRetries"),
        (r#"{"apiUrl":"https://panel.example/api/v2","concurrency":1.5}"#, "concurrency"),
        (r#"{"apiUrl":"https://panel.example/api/v2","fetch":"nope"}"#, "fetch"),
        (r#"{"apiUrl":"https://panel.example/api/v2","key":""}"#, "key"),
    ];
    for (options, field) in cases {
        let options = parse(options);
        if get(&options, "key").is_undefined() {
            set(&options, "key", &key.into());
        }
        match SmmClient::new(options) {
            Ok(_) => panic!("accepted bad options, expected field {field}"),
            Err(error) => {
                let error = rejection(&error, key);
                assert_eq!((error.code.as_str(), error.field.as_deref()), ("invalid_request", Some(field)));
                assert_eq!(error.delivery, "not_sent");
            }
        }
    }
    // Opting in to plain http for a non-local host, and localhost without opting in, both work.
    for options in [r#"{"apiUrl":"http://panel.example/api/v2","allowHttp":true}"#, r#"{"apiUrl":"http://127.0.0.1:9/api/v2"}"#] {
        assert!(SmmClient::new(parse(options)).is_ok(), "{options}");
    }
    // Per-call options are checked too.
    let client = sim.client("x-key-for-options");
    let error = rejected(client.balance(Some(parse(r#"{"timeoutMs":-5}"#).unchecked_into())), "x-key-for-options").await;
    assert_eq!((error.code.as_str(), error.field.as_deref()), ("invalid_request", Some("timeoutMs")));
    let error = rejected(client.balance(Some(parse(r#"{"signal":"stop"}"#).unchecked_into())), "x-key-for-options").await;
    assert_eq!((error.code.as_str(), error.field.as_deref()), ("invalid_request", Some("signal")));
}
