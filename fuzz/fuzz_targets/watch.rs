#![no_main]
//! `watchOrders` as it runs: targets from JS (the input up to its first NUL byte), then one poll
//! whose panel answer is the rest of the input (read as an answer, see `Answer::from_input`),
//! decoded by `orderStatusMany` / `dripfeedStatusMany` and handed to the watch. Updates are a
//! JSON array of objects about watched orders; the backoff stays bounded.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::watch::Watch;
use smm_panel_sdk::core::{plan, Call};
use smm_panel_sdk_fuzz::{invalid_request, valid_json, Answer, Shape};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let targets = String::from_utf8_lossy(&data[..split]);
    let answer = Answer::from_input(data.get(split + 1..).unwrap_or(&[]));
    let mut watch = match Watch::new(Some(&targets), Some(r#"{"intervalMs":1000}"#)) {
        Ok(w) => w,
        Err(e) => return invalid_request(&e),
    };
    for (call, dripfeed) in [(Call::OrderStatusMany, false), (Call::DripfeedStatusMany, true)] {
        let ids = if dripfeed { watch.dripfeed_ids() } else { watch.order_ids() };
        if ids.is_empty() {
            continue;
        }
        let ids_json = format!("[{}]", ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","));
        let mut batch = plan(call, Some(&ids_json)).expect("the watch's own IDs are valid");
        for chunk in 0..batch.chunks().len() {
            // A failed chunk is a failed poll; its items are "No answer".
            let _ = batch.accept(chunk, answer.status, answer.retry_after, answer.body);
        }
        let result = batch.finish().expect("finish always has a result");
        match watch.accept(&result, dripfeed) {
            Ok(updates) => {
                let v = valid_json(&updates, Shape::Array);
                let ok = v.as_array().is_some_and(|a| {
                    a.iter().all(|u| {
                        u.get("order").and_then(|o| o.as_u64()).is_some_and(|o| ids.contains(&o))
                            && u.get("final").is_some_and(|f| f.is_boolean())
                    })
                });
                assert!(ok, "invalid output: {updates}");
            }
            Err(e) => panic!("the watch cannot read the SDK's own result ({e}): {result}"),
        }
    }
    for _ in 0..40 {
        watch.record_failure();
        assert!(watch.next_delay_ms() >= 1000);
    }
});
