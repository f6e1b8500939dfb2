//! No input makes the core panic, and every answer it produces is valid JSON of the right kind.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use smm_panel_sdk::core::{plan, prepare, Call, CallOptions, ClientConfig, Delivery, ErrorCode, Prepared};

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

fn prepared() -> Vec<Prepared> {
    let mut v: Vec<Prepared> = CALLS
        .iter()
        .map(|&c| {
            let arg = match c {
                Call::Services | Call::Balance => None,
                Call::AddOrder => Some(r#"{"service":1,"link":"x","quantity":5,"runs":2,"interval":3}"#),
                _ => Some("1"),
            };
            prepare(c, arg).unwrap()
        })
        .collect();
    v.push(prepare(Call::AddOrder, Some(r#"{"service":1,"link":"x","quantity":5}"#)).unwrap());
    v
}

fn check_answer(p: &Prepared, status: u16, body: &[u8]) {
    match p.interpret(status, Some("1"), body) {
        Ok(out) => {
            let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("invalid JSON {out:?}: {e}"));
            assert!(v.is_object() || v.is_array());
        }
        Err(e) => {
            assert!(matches!(e.code(), ErrorCode::Api | ErrorCode::Http | ErrorCode::Decode), "{e}");
            // A read that got an answer: received. A write: received only for a panel's refusal
            // (api), and not even then from what may be a gateway or a crashed script (500, 502,
            // 504, 520–527); any answer it could not read leaves the order possibly placed.
            let gateway = matches!(status, 500 | 502 | 504 | 520..=527);
            let refused = e.code() == ErrorCode::Api && !gateway;
            let expected = if p.action().is_write() && !refused { Delivery::Unknown } else { Delivery::Received };
            assert_eq!(e.delivery(), expected, "{status}: {e}");
            assert_eq!(e.status(), Some(status));
            assert!(!e.message().is_empty());
        }
    }
}

fn check_batch(body: &[u8], status: u16) {
    for call in MANY {
        let mut b = plan(call, Some("[1,2,3,2]")).unwrap();
        let _ = b.accept(0, status, None, body);
        let out = b.finish().unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("invalid JSON {out:?}: {e}"));
        assert_eq!(v.as_array().map(Vec::len), Some(4));
    }
}

fn check_js_inputs(s: &str) {
    for e in [ClientConfig::from_json(Some(s)).err(), CallOptions::from_json(Some(s)).err()].into_iter().flatten() {
        assert_eq!((e.code(), e.delivery()), (ErrorCode::InvalidRequest, Delivery::NotSent));
    }
    for c in CALLS {
        if let Err(e) = prepare(c, Some(s)) {
            assert_eq!((e.code(), e.delivery()), (ErrorCode::InvalidRequest, Delivery::NotSent));
            assert!(e.field().is_some());
        }
    }
    for m in MANY {
        match plan(m, Some(s)) {
            Ok(p) => assert!(!p.chunks().is_empty() && p.chunks().iter().all(|c| c.ids().len() <= 100)),
            Err(e) => assert_eq!((e.code(), e.delivery()), (ErrorCode::InvalidRequest, Delivery::NotSent)),
        }
    }
}

/// JSON texts built from the names and values panels use, so decoding gets past the first check.
fn panelish_json() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "service",
        "name",
        "type",
        "category",
        "rate",
        "min",
        "max",
        "refill",
        "cancel",
        "dripfeed",
        "desc",
        "description",
        "status",
        "charge",
        "start_count",
        "remains",
        "currency",
        "orders",
        "order",
        "error",
        "balance",
        "data",
        "success",
        "message",
        "msg",
        "services",
        "1",
        "2",
        "3",
        "10",
    ]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("\"Unknown\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"In progress\"".to_owned()),
        Just("\"error\"".to_owned()),
        Just("\"1e5\"".to_owned()),
        Just("0.90000000000000002".to_owned()),
        Just("1e-7".to_owned()),
        Just("1e400".to_owned()),
        Just("-0".to_owned()),
        Just("9007199254740993".to_owned()),
        Just("\"\\ud800\\n\\u0000\"".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| format!("{f:e}")),
        "[0-9]{1,20}".prop_map(|s| format!("\"{s}\"")),
        "[ -~]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key.clone(), inner), 0..8).prop_map(|v| {
                let body: Vec<String> = v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![Just(200u16), Just(201), Just(429), Just(500), any::<u16>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_decode_without_panic(body in prop::collection::vec(any::<u8>(), 0..512), st in status()) {
        for p in prepared() {
            check_answer(&p, st, &body);
        }
        check_batch(&body, st);
    }

    #[test]
    fn jsonish_text_decodes_without_panic(body in "[\\[\\]{}\",:0-9a-z\\\\ .eE+\\-\u{FEFF}<>/]{0,300}", st in status()) {
        for p in prepared() {
            check_answer(&p, st, body.as_bytes());
        }
        check_batch(body.as_bytes(), st);
        check_js_inputs(&body);
    }

    #[test]
    fn panel_shaped_json_decodes_to_valid_json(body in panelish_json(), st in status()) {
        for p in prepared() {
            check_answer(&p, st, body.as_bytes());
        }
        check_batch(body.as_bytes(), st);
        let with_notice = format!("<br />\n<b>Notice</b>: x in <b>/a.php</b> on line <b>1</b><br />\n{body}");
        for p in prepared() {
            check_answer(&p, st, with_notice.as_bytes());
        }
    }

    #[test]
    fn services_streaming_path_matches_general_path(items in prop::collection::vec(panelish_json(), 0..6)) {
        let body = format!("[{}]", items.join(","));
        let p = prepare(Call::Services, None).unwrap();
        let plain = p.interpret(200, None, body.as_bytes()).map_err(|e| e.code());
        let wrapped = p.interpret(200, None, format!(r#"{{"status":"success","data":{body}}}"#).as_bytes()).map_err(|e| e.code());
        prop_assert_eq!(plain, wrapped);
    }

    #[test]
    fn js_inputs_never_panic(s in any::<String>()) {
        check_js_inputs(&s);
    }

    #[test]
    fn js_shaped_inputs_never_panic(s in panelish_json()) {
        check_js_inputs(&s);
        let wrapped = format!(r#"{{"apiUrl":"https://p.example/api/v2","key":{s},"timeoutMs":{s}}}"#);
        check_js_inputs(&wrapped);
    }

    #[test]
    fn valid_id_lists_plan_and_merge(ids in prop::collection::vec(1u64..400, 1..350)) {
        let json = format!("[{}]", ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","));
        let mut p = plan(Call::CancelMany, Some(&json)).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        let uniq: Vec<u64> = ids.iter().copied().filter(|i| seen.insert(*i)).collect();
        let sent: Vec<u64> = p.chunks().iter().flat_map(|c| c.ids().to_vec()).collect();
        prop_assert_eq!(&sent, &uniq);
        for k in 0..p.chunks().len() {
            let items: Vec<String> = p.chunks()[k].ids().iter().map(|id| format!("\"{id}\":{id}")).collect();
            p.accept(k, 200, None, format!("{{{}}}", items.join(",")).as_bytes()).unwrap();
        }
        let out: serde_json::Value = serde_json::from_str(&p.finish().unwrap()).unwrap();
        let arr = out.as_array().unwrap();
        prop_assert_eq!(arr.len(), ids.len());
        for (item, id) in arr.iter().zip(&ids) {
            prop_assert_eq!(item["order"].as_u64(), Some(*id));
            prop_assert_eq!(item["cancel"].as_u64(), Some(*id));
        }
    }

    #[test]
    fn money_numbers_stay_exact(int in 0u64..1_000_000, frac in 0u64..100_000_000, digits in 1usize..8) {
        let frac = frac % 10u64.pow(digits as u32);
        let text = format!("{int}.{frac:0width$}", width = digits);
        let expect = {
            let t = text.trim_end_matches('0');
            t.trim_end_matches('.').to_owned()
        };
        let p = prepare(Call::Balance, None).unwrap();
        let as_number = p.interpret(200, None, format!(r#"{{"balance":{text}}}"#).as_bytes()).unwrap();
        prop_assert_eq!(as_number, format!(r#"{{"balance":"{expect}","currency":""}}"#));
        let as_string = p.interpret(200, None, format!(r#"{{"balance":"{text}"}}"#).as_bytes()).unwrap();
        prop_assert_eq!(as_string, format!(r#"{{"balance":"{text}","currency":""}}"#));
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for depth in [65usize, 1_000, 200_000] {
        let body = "[".repeat(depth) + &"]".repeat(depth);
        for p in prepared() {
            let e = p.interpret(200, None, body.as_bytes()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::Decode);
        }
        let arg = "[".repeat(depth);
        check_js_inputs(&arg);
        let obj = "{\"a\":".repeat(depth);
        check_js_inputs(&obj);
    }
}
