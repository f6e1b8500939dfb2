#![no_main]
//! `watchOrders`: targets and options from JS, then the `*Many` results it polls (input: targets,
//! a NUL byte, the result JSON). Updates are a JSON array of objects; the backoff stays bounded.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::watch::Watch;
use smm_panel_sdk_fuzz::{invalid_request, text, valid_json, Shape};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let (targets, result) = text.split_once('\0').unwrap_or((text.as_ref(), "[]"));
    let mut watch = match Watch::new(Some(targets), Some(r#"{"intervalMs":1000}"#)) {
        Ok(w) => w,
        Err(e) => return invalid_request(&e),
    };
    for dripfeed in [false, true] {
        match watch.accept(result, dripfeed) {
            Ok(updates) => {
                let v = valid_json(&updates, Shape::Array);
                assert!(v.as_array().is_some_and(|a| a.iter().all(|u| u.is_object())), "invalid output: {updates}");
            }
            Err(e) => assert!(!e.message().trim().is_empty()),
        }
    }
    for _ in 0..40 {
        watch.record_failure();
        assert!(watch.next_delay_ms() >= 1000);
    }
});
