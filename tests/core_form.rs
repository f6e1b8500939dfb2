//! The exact bytes of every request body.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{plan, prepare, Call};

fn body(call: Call, arg: Option<&str>, key: Option<&str>) -> String {
    prepare(call, arg).unwrap().form_body(key)
}

#[test]
fn simple_actions() {
    assert_eq!(body(Call::Services, None, Some("k1")), "key=k1&action=services");
    assert_eq!(body(Call::Balance, None, Some("k1")), "key=k1&action=balance");
    // Without a key (a proxy adds it) the key field is left out entirely.
    assert_eq!(body(Call::Balance, None, None), "action=balance");
    assert_eq!(body(Call::OrderStatus, Some("23501"), Some("k")), "key=k&action=status&order=23501");
    assert_eq!(body(Call::DripfeedStatus, Some("7"), Some("k")), "key=k&action=status&order=7&type=dripfeed");
    assert_eq!(body(Call::Refill, Some("9"), Some("k")), "key=k&action=refill&order=9");
    assert_eq!(body(Call::RefillStatus, Some("3"), Some("k")), "key=k&action=refill_status&refill=3");
    assert_eq!(body(Call::Cancel, Some("9007199254740991"), Some("k")), "key=k&action=cancel&order=9007199254740991");
}

#[test]
fn key_is_encoded() {
    assert_eq!(body(Call::Balance, None, Some("a+b c&d=é")), "key=a%2Bb+c%26d%3D%C3%A9&action=balance");
}

#[test]
fn add_orders() {
    assert_eq!(
        body(Call::AddOrder, Some(r#"{"service":1,"link":"https://instagram.com/p/abc","quantity":1000}"#), Some("k")),
        "key=k&action=add&service=1&link=https%3A%2F%2Finstagram.com%2Fp%2Fabc&quantity=1000"
    );
    // Both spellings of the drip-feed interval, same value.
    assert_eq!(
        body(Call::AddOrder, Some(r#"{"service":7,"link":"x","quantity":100,"runs":5,"interval":30}"#), Some("k")),
        "key=k&action=add&service=7&link=x&quantity=100&runs=5&interval=30&intervals=30"
    );
    // UTF-8, reserved characters and spaces inside the link; surrounding spaces trimmed.
    assert_eq!(
        body(Call::AddOrder, Some(r#"{"service":2,"link":"  https://t.me/канал?a=1&b=2#x y+z%  ","quantity":5}"#), None),
        "action=add&service=2&link=https%3A%2F%2Ft.me%2F%D0%BA%D0%B0%D0%BD%D0%B0%D0%BB%3Fa%3D1%26b%3D2%23x+y%2Bz%25&quantity=5"
    );
    // Escaped JSON in the argument is decoded before encoding.
    assert_eq!(
        body(Call::AddOrder, Some(r#"{"service":2,"link":"a\u00e9\"b","quantity":5}"#), None),
        "action=add&service=2&link=a%C3%A9%22b&quantity=5"
    );
}

#[test]
fn many_bodies() {
    let p = plan(Call::OrderStatusMany, Some("[3,1,2]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=status&orders=3%2C1%2C2");
    let p = plan(Call::DripfeedStatusMany, Some("[3,1]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=status&orders=3%2C1&type=dripfeed");
    let p = plan(Call::RefillMany, Some("[4]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=refill&orders=4");
    let p = plan(Call::RefillStatusMany, Some("[4,5]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=refill_status&refills=4%2C5");
    let p = plan(Call::CancelMany, Some("[8,9]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(None), "action=cancel&orders=8%2C9");
}

/// The call table is indexed by `Call`: a row out of place would give another call's method.
#[test]
fn every_call_is_one_row_found_by_its_method() {
    use smm_panel_sdk::core::call::{Arg, CALLS};
    assert_eq!(Call::all().count(), 13);
    for call in Call::all() {
        assert_eq!(call.spec().call, call);
        assert_eq!(Call::from_method(call.spec().method), Some(call));
        assert_eq!(call.is_many(), call.spec().method.ends_with("Many"), "{}", call.spec().method);
    }
    // Every ID call names the form field its ID goes in; a `*Many` call also how its items are keyed.
    for spec in &CALLS {
        assert_eq!(spec.id_field.is_empty(), matches!(spec.arg, Arg::Nothing | Arg::Order), "{}", spec.method);
        assert_eq!(spec.item_id.is_empty(), spec.arg != Arg::Ids, "{}", spec.method);
    }
    // A single call's argument is refused by the batch planner and the other way round.
    assert!(plan(Call::OrderStatus, Some("[1]")).is_err());
    assert!(prepare(Call::OrderStatusMany, Some("[1]")).is_err());
}
