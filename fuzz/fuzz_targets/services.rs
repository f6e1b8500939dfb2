#![no_main]
//! `services`' answer as `Prepared::interpret` reads it (the streaming reader first, the general
//! path for the rest): an array of service objects, which the catalog must be able to read, since
//! `client.catalog()` is built from exactly that text.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::catalog::Catalog;
use smm_panel_sdk::core::{prepare, Call};
use smm_panel_sdk_fuzz::{check_answer, Answer, Shape};

fuzz_target!(|data: &[u8]| {
    let prepared = prepare(Call::Services, None).expect("services takes no argument");
    if let Some((out, v)) = check_answer(&prepared, &Answer::from_input(data), Shape::Array) {
        let services = v.as_array().expect("checked to be an array");
        assert!(services.iter().all(|s| s.is_object()), "invalid output: a service is not an object: {out}");
        if let Err(e) = Catalog::from_services_json(&out) {
            panic!("disagreement: the catalog cannot read what services() answered ({e}): {out}");
        }
    }
});
