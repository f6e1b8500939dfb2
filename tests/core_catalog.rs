//! The service catalog: lookup, grouping, search, checking an order against its service, and the
//! exact charge estimate.
// Native only: these use host-only dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::catalog::Catalog;
use smm_panel_sdk::core::{prepare, Call, ErrorCode};

/// A Perfect Panel answer, decoded exactly as `services()` decodes it.
fn catalog() -> Catalog {
    let raw = r#"[
      {"service":101,"name":"Instagram Followers [Refill]","type":"Default","category":"Instagram Followers","rate":"0.90","min":"50","max":"100000","refill":true,"cancel":true,"dripfeed":true},
      {"service":102,"name":"Instagram Followers [HQ]","type":"Default","category":"Instagram Followers","rate":"0.27819","min":"10","max":"50000","refill":false,"cancel":false,"dripfeed":false},
      {"service":105,"name":"Instagram Custom Comments","type":"Custom Comments","category":"Instagram Comments","rate":"12.50","min":"5","max":"1000","refill":false,"cancel":false},
      {"service":115,"name":"Instagram Auto Likes","type":"Subscriptions","category":"Instagram Auto","rate":"0.40","min":"50","max":"10000","refill":false,"cancel":true},
      {"service":116,"name":"Instagram Starter Package","type":"Package","category":"Instagram Packages","rate":"9.99","min":"1","max":"1","refill":false,"cancel":false},
      {"service":900,"name":"TikTok Views","type":"Brand New Type","category":"TikTok Views","rate":0.0095,"min":1000,"max":100000000,"refill":0,"cancel":0}
    ]"#;
    let json = prepare(Call::Services, None).unwrap().interpret(200, None, raw.as_bytes()).unwrap();
    Catalog::from_services_json(&json).unwrap()
}

fn order_error(result: Result<impl std::fmt::Debug, smm_panel_sdk::core::SmmError>) -> (String, String) {
    let e = result.expect_err("refused");
    assert_eq!(e.code(), ErrorCode::InvalidRequest);
    (e.field().unwrap_or_default().to_owned(), e.message())
}

#[test]
fn lookup_groups_and_search() {
    let c = catalog();
    assert_eq!(c.len(), 6);
    assert_eq!(c.position(105), Some(2));
    assert_eq!(c.position(7), None);
    assert_eq!(c.position_of_number(105.0), Some(2));
    for not_an_id in [105.5, -105.0, 0.0, f64::NAN, f64::INFINITY, 2f64.powi(53)] {
        assert_eq!(c.position_of_number(not_an_id), None, "{not_an_id}");
    }
    assert_eq!(c.categories(), ["Instagram Followers", "Instagram Comments", "Instagram Auto", "Instagram Packages", "TikTok Views"]);
    let as_json: Vec<String> = serde_json::from_str(&c.names_json(false)).expect("the categories as a JSON array");
    assert_eq!(as_json, c.categories());
    let types: Vec<String> = serde_json::from_str(&c.names_json(true)).expect("the types as a JSON array");
    assert_eq!(types, c.types());
    assert_eq!(c.types(), ["Default", "Custom Comments", "Subscriptions", "Package", "Brand New Type"]);
    assert_eq!(c.search("instagram followers"), [0, 1]);
    assert_eq!(c.search("FOLLOWERS hq"), [1]);
    assert_eq!(c.search("comments"), [2], "the type is searched too");
    assert_eq!(c.search("  "), [0, 1, 2, 3, 4, 5]);
    assert!(c.search("youtube").is_empty());
}

#[test]
fn estimates_are_exact_decimals() {
    let c = catalog();
    for (order, charge) in [
        (r#"{"service":101,"link":"https://x","quantity":100}"#, "0.09000"),
        (r#"{"service":102,"link":"https://x","quantity":1234}"#, "0.34328646"),
        (r#"{"service":101,"link":"https://x","quantity":100,"runs":3,"interval":10}"#, "0.27000"),
        (r#"{"type":"custom_comments","service":105,"link":"https://x","comments":["a","b","c","d","e"]}"#, "0.06250"),
        (r#"{"type":"package","service":116,"link":"https://x"}"#, "9.99"),
        (r#"{"type":"subscriptions","service":115,"username":"acme","min":50,"max":100,"delay":0}"#, "0"),
        (r#"{"service":900,"link":"https://x","quantity":1000}"#, "0.0095000"),
    ] {
        assert_eq!(c.estimate_charge(Some(order)).unwrap(), charge, "{order}");
    }
}

#[test]
fn orders_are_checked_against_their_service() {
    let c = catalog();
    for (order, field, says) in [
        (r#"{"service":7,"link":"https://x","quantity":100}"#, "service", "not in this panel's catalog"),
        (r#"{"service":101,"link":"https://x","quantity":49}"#, "quantity", "at least 50"),
        (r#"{"service":101,"link":"https://x","quantity":100001}"#, "quantity", "at most 100000"),
        (r#"{"service":102,"link":"https://x","quantity":100,"runs":2,"interval":5}"#, "runs", "does not take drip-feed"),
        (r#"{"service":105,"link":"https://x","quantity":100}"#, "type", "set type: \"custom_comments\""),
        (
            r#"{"type":"custom_comments","service":105,"link":"https://x","comments":["a","b"]}"#,
            "comments",
            "the number of comments must be at least 5",
        ),
        (r#"{"type":"subscriptions","service":115,"username":"a","min":10,"max":100,"delay":0}"#, "min", "at least 50"),
        (r#"{"type":"subscriptions","service":115,"username":"a","min":50,"max":20000,"delay":0}"#, "max", "at most 10000"),
        (r#"{"service":101,"link":"https://x","quantity":1.5}"#, "quantity", "positive whole number"),
    ] {
        let (got, message) = order_error(c.validate(Some(order)));
        assert_eq!(got, field, "{order}: {message}");
        assert!(message.contains(says), "{order}: {message}");
        // The estimate refuses what validate refuses.
        assert_eq!(order_error(c.estimate_charge(Some(order))).0, field);
    }
    // A service whose type the SDK does not know takes any order type the panel may accept.
    assert!(c.validate(Some(r#"{"service":900,"link":"https://x","quantity":5000}"#)).is_ok());
    assert!(c.validate(Some(r#"{"type":"package","service":116,"link":"https://x"}"#)).is_ok());
}

#[test]
fn max_age_option_and_freshness() {
    use smm_panel_sdk::core::catalog::{is_fresh, max_age_ms, DEFAULT_MAX_AGE_MS};
    assert_eq!(max_age_ms(None).unwrap(), DEFAULT_MAX_AGE_MS);
    assert_eq!(max_age_ms(Some(r#"{"maxAgeMs":0}"#)).unwrap(), 0);
    assert_eq!(max_age_ms(Some(r#"{"timeoutMs":5}"#)).unwrap(), DEFAULT_MAX_AGE_MS);
    for bad in [r#"{"maxAgeMs":-1}"#, r#"{"maxAgeMs":1.5}"#, r#"{"maxAgeMs":"60000"}"#] {
        assert_eq!(max_age_ms(Some(bad)).unwrap_err().field(), Some("maxAgeMs"), "{bad}");
    }
    assert!(is_fresh(1000.0, 1500.0, 1000));
    assert!(!is_fresh(1000.0, 2000.0, 1000));
    assert!(!is_fresh(1000.0, 1500.0, 0), "maxAgeMs 0 always refetches");
    assert!(!is_fresh(2000.0, 1000.0, 1000), "a clock that went back does not extend the cache");
}

#[test]
fn search_folds_case_in_the_scripts_panels_use() {
    let raw = r#"[
      {"service":1,"name":"Подписчики Instagram","type":"Default","category":"Instagram","rate":"1","min":1,"max":9,"refill":0,"cancel":0},
      {"service":2,"name":"Takipçi ŞAHANE Ğüzel","type":"Default","category":"Türkiye","rate":"1","min":1,"max":9,"refill":0,"cancel":0},
      {"service":3,"name":"ΕΛΛΗΝΙΚΑ Likes","type":"Default","category":"Ελλάδα","rate":"1","min":1,"max":9,"refill":0,"cancel":0},
      {"service":4,"name":"CAFÉ Ёлка","type":"Default","category":"x","rate":"1","min":1,"max":9,"refill":0,"cancel":0}
    ]"#;
    let json = prepare(Call::Services, None).unwrap().interpret(200, None, raw.as_bytes()).unwrap();
    let c = Catalog::from_services_json(&json).unwrap();
    assert_eq!(c.search("ПОДПИСЧИКИ"), [0]);
    assert_eq!(c.search("подписчики instagram"), [0]);
    assert_eq!(c.search("şahane ğüzel"), [1]);
    assert_eq!(c.search("ελληνικα"), [2]);
    assert_eq!(c.search("café ёлка"), [3]);
}
