#![no_main]
//! `add`'s answer, for a normal and for a drip-feed order (whose answer may omit the type).
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::Call;

const NORMAL: &str = r#"{"service":101,"link":"https://instagram.com/p/xyz","quantity":1000}"#;
const DRIPFEED: &str = r#"{"service":101,"link":"https://instagram.com/p/xyz","quantity":100,"runs":3,"interval":10}"#;

fuzz_target!(|data: &[u8]| {
    let normal = smm_panel_sdk_fuzz::check_single(Call::AddOrder, Some(NORMAL), data);
    let dripfeed = smm_panel_sdk_fuzz::check_single(Call::AddOrder, Some(DRIPFEED), data);
    // What was sent only fills in a type the panel left out; whether the answer reads is the same.
    assert_eq!(normal.is_some(), dripfeed.is_some(), "disagreement: normal vs drip-feed: {normal:?} vs {dripfeed:?}");
});
