#![no_main]
//! Everything that parses JSON from JavaScript: client config, call options, catalog options,
//! single-call arguments (IDs and orders), `*Many` ID lists, watch targets and options, proxy
//! options. Bad input is an invalid_request error that was not sent, naming its field.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::catalog::max_age_ms;
use smm_panel_sdk::core::proxy::Proxy;
use smm_panel_sdk::core::watch::Watch;
use smm_panel_sdk::core::{plan, prepare, Call, CallOptions, ClientConfig, CHUNK_SIZE};
use smm_panel_sdk_fuzz::{invalid_request, text};

const CALLS: [Call; 8] = [
    Call::Services,
    Call::Balance,
    Call::AddOrder,
    Call::OrderStatus,
    Call::DripfeedStatus,
    Call::Refill,
    Call::RefillStatus,
    Call::Cancel,
];
const MANY: [Call; 5] = [Call::OrderStatusMany, Call::DripfeedStatusMany, Call::RefillMany, Call::RefillStatusMany, Call::CancelMany];

fuzz_target!(|data: &[u8]| {
    let s = text(data);
    let s = Some(s.as_ref());
    if let Err(e) = ClientConfig::from_json(s) {
        invalid_request(&e);
    }
    if let Err(e) = CallOptions::from_json(s) {
        invalid_request(&e);
    }
    if let Err(e) = max_age_ms(s) {
        invalid_request(&e);
    }
    for call in CALLS {
        if let Err(e) = prepare(call, s) {
            invalid_request(&e);
            assert!(e.field().is_some_and(|f| !f.is_empty()), "no field named: {e:?}");
        }
    }
    for call in MANY {
        match plan(call, s) {
            Ok(p) => assert!(!p.chunks().is_empty() && p.chunks().iter().all(|c| (1..=CHUNK_SIZE).contains(&c.ids().len()))),
            Err(e) => invalid_request(&e),
        }
    }
    for (targets, options) in [(s, None), (Some("[23501]"), s)] {
        match Watch::new(targets, options) {
            // Something to poll: a new watch is never done.
            Ok(w) => assert!(!w.is_done() && (!w.order_ids().is_empty() || !w.dripfeed_ids().is_empty())),
            Err(e) => invalid_request(&e),
        }
    }
    match Proxy::new(s) {
        // The key is never shown, even by Debug (the other fields are the input's own text,
        // which may well contain the key's).
        Ok(p) => assert!(format!("{p:?}").contains(r#"key: "[redacted]""#), "{p:?}"),
        Err(e) => invalid_request(&e),
    }
});
