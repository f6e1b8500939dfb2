#![no_main]
//! The streaming services reader against the general path: on every input the streaming reader
//! accepts, the general path accepts it too and writes the very same text (both write through
//! `ServiceSlots::write`, copying strings as they came, so the invariant is byte equality).
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::fuzz_hooks::{services_general, services_streamed};
use smm_panel_sdk_fuzz::{valid_json, Shape};

fuzz_target!(|data: &[u8]| {
    let Some(streamed) = services_streamed(data) else { return };
    valid_json(&streamed, Shape::Array);
    match services_general(200, None, data) {
        Ok(general) => assert_eq!(streamed, general, "disagreement: the two services paths write different text"),
        Err(e) => panic!("disagreement: the streaming reader accepted what the general path refuses ({e}): {streamed}"),
    }
});
