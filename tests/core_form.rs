//! The exact bytes of every request body.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{plan, prepare, Call, ManyCall};

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
    let p = plan(ManyCall::OrderStatus, Some("[3,1,2]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=status&orders=3%2C1%2C2");
    let p = plan(ManyCall::DripfeedStatus, Some("[3,1]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=status&orders=3%2C1&type=dripfeed");
    let p = plan(ManyCall::Refill, Some("[4]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=refill&orders=4");
    let p = plan(ManyCall::RefillStatus, Some("[4,5]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(Some("k")), "key=k&action=refill_status&refills=4%2C5");
    let p = plan(ManyCall::Cancel, Some("[8,9]")).unwrap();
    assert_eq!(p.chunks()[0].form_body(None), "action=cancel&orders=8%2C9");
}
