#![no_main]
//! A chunk's answer for `Call::RefillMany`: any bytes, any status (see `check_many`).
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::Call;

fuzz_target!(|data: &[u8]| {
    smm_panel_sdk_fuzz::check_many(Call::RefillMany, data);
});
