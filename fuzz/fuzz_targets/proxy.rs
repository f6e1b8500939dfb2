#![no_main]
//! The proxy's decision on a request from outside: any method, origin and body. A refusal is a
//! panel-like `{"error": …}` object; a forward carries the server's key once, first, then the
//! action and checked fields, and deciding on what it forwards forwards the same again.
use libfuzzer_sys::fuzz_target;
use smm_panel_sdk::core::fuzz_hooks::decode_form;
use smm_panel_sdk::core::proxy::{Decision, Proxy};
use smm_panel_sdk_fuzz::{valid_json, Shape};

const KEY: &str = "server-key-0123";
const METHODS: [&str; 4] = ["POST", "post", "OPTIONS", "GET"];
const ORIGINS: [Option<&str>; 4] = [None, Some("https://shop.example"), Some("https://evil.example"), Some("https://proxy.example")];
const URL: &str = "https://proxy.example/api/smm";

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_first().map_or((0, data), |(&h, rest)| (h, rest));
    let mut proxy = Proxy::new(Some(&format!(
        r#"{{"apiUrl":"https://panel.example/api/v2","key":"{KEY}","allowedActions":["services","balance","add","status","refill","refill_status","cancel"],"allowedOrigins":["https://shop.example"],"rateLimit":{{"requests":1000000,"perMs":1000}}}}"#
    )))
    .expect("the target's proxy options are valid");
    let method = METHODS[usize::from(head & 3)];
    let origin = ORIGINS[usize::from((head >> 2) & 3)];
    match proxy.decide(method, origin, URL, body, 0.0) {
        Decision::Respond { status, body: answer, retry_after_s } => {
            assert!(matches!(status, 204 | 400 | 403 | 405 | 413 | 429), "status {status}");
            assert_eq!(retry_after_s.is_some(), status == 429);
            if status == 204 {
                assert!(answer.is_empty());
            } else {
                let v = valid_json(&answer, Shape::Object);
                assert!(v.get("error").and_then(|e| e.as_str()).is_some_and(|m| !m.trim().is_empty()), "invalid output: {answer}");
            }
        }
        Decision::Forward { action, form_body } => {
            let pairs = decode_form(form_body.as_bytes());
            assert_eq!(pairs.first().map(|(n, v)| (n.as_str(), v.as_str())), Some(("key", KEY)), "{form_body}");
            assert_eq!(pairs.get(1).map(|(n, v)| (n.as_str(), v.as_str())), Some(("action", action.wire_name())));
            assert_eq!(pairs.iter().filter(|(n, _)| n == "key").count(), 1, "{form_body}");
            match proxy.decide("POST", None, URL, form_body.as_bytes(), 0.0) {
                Decision::Forward { action: again, form_body: body_again } => {
                    assert_eq!((again, &body_again), (action, &form_body), "disagreement: checking is not idempotent");
                }
                refused => panic!("disagreement: the proxy refuses what it forwarded ({refused:?}): {form_body}"),
            }
        }
    }
});
