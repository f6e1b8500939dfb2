#![no_main]
//! The order parser (`addOrder`'s argument) and what it leads to: the form body it sends, which
//! the proxy must let through unchanged, and the catalog's checks and charge estimate.
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::catalog::Catalog;
use smm_panel_sdk::core::fuzz_hooks::decode_form;
use smm_panel_sdk::core::proxy::{Decision, Proxy};
use smm_panel_sdk::core::{prepare, Action, Call};
use smm_panel_sdk_fuzz::{invalid_request, text};

/// A catalog with one service of each charging kind the seeds use.
const SERVICES: &str = r#"[
 {"service":101,"name":"Instagram Followers","type":"Default","category":"Instagram","rate":"0.90","min":50,"max":100000,"refill":true,"cancel":true,"dripfeed":true},
 {"service":104,"name":"Instagram Likes","type":"Default","category":"Instagram","rate":"0.27819","min":10,"max":5000,"refill":false,"cancel":false,"dripfeed":false},
 {"service":105,"name":"Instagram Comments","type":"Custom Comments","category":"Instagram","rate":"12.5","min":5,"max":1000,"refill":false,"cancel":false},
 {"service":115,"name":"Auto Likes","type":"Subscriptions","category":"Instagram","rate":"0.50","min":100,"max":10000,"refill":false,"cancel":true},
 {"service":116,"name":"Likes Package","type":"Package","category":"Instagram","rate":"9.99","min":1,"max":1,"refill":false,"cancel":false}
]"#;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::from_services_json(SERVICES).expect("the target's catalog is valid"))
}

fn proxy() -> Proxy {
    Proxy::new(Some(r#"{"apiUrl":"https://panel.example/api/v2","key":"server-key","allowedActions":["add"]}"#))
        .expect("the target's proxy options are valid")
}

fuzz_target!(|data: &[u8]| {
    let s = text(data);
    match prepare(Call::AddOrder, Some(&s)) {
        Ok(prepared) => {
            let body = prepared.form_body(None);
            let pairs = decode_form(body.as_bytes());
            assert_eq!(pairs.first().map(|(n, v)| (n.as_str(), v.as_str())), Some(("action", "add")), "{body}");
            for (i, (name, _)) in pairs.iter().enumerate() {
                assert!(!pairs[..i].iter().any(|(n, _)| n == name), "{name} sent twice: {body}");
            }
            // What addOrder sends, a proxy with the same rules forwards as it is.
            match proxy().decide("POST", None, "https://shop.example/api/smm", body.as_bytes(), 0.0) {
                Decision::Forward { action, form_body } => {
                    assert_eq!(action, Action::Add);
                    assert_eq!(form_body, prepared.form_body(Some("server-key")), "disagreement: the proxy changed the order");
                }
                refused => panic!("disagreement: the proxy refuses what addOrder sends ({refused:?}): {body}"),
            }
        }
        Err(e) => {
            invalid_request(&e);
            assert!(e.field().is_some_and(|f| !f.is_empty()), "no field named: {e:?}");
        }
    }
    match catalog().validate(Some(&s)) {
        Ok(_) => {
            let charge = catalog().estimate_charge(Some(&s));
            match charge {
                Ok(c) => assert!(!c.is_empty() && c.bytes().all(|b| b.is_ascii_digit() || b == b'.'), "charge {c:?}"),
                Err(e) => invalid_request(&e),
            }
        }
        Err(e) => invalid_request(&e),
    }
});
