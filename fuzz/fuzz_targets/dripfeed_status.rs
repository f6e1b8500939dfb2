#![no_main]
//! `dripfeed_status`'s answer to a request about ID 23501: any bytes, any status.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::Call;

fuzz_target!(|data: &[u8]| {
    smm_panel_sdk_fuzz::check_single(Call::DripfeedStatus, Some("23501"), data);
});
