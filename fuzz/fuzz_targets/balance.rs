#![no_main]
//! `balance`'s answer: any bytes, any status.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::Call;

fuzz_target!(|data: &[u8]| {
    smm_panel_sdk_fuzz::check_single(Call::Balance, None, data);
});
