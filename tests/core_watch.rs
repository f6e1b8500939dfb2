//! Order tracking: what is polled, what is reported, when it stops, how it backs off.
// Native only: these use host-only dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::watch::{Watch, DEFAULT_INTERVAL_MS};
use smm_panel_sdk::core::ErrorCode;

#[test]
fn targets_and_options_are_checked() {
    for (targets, options, field) in [
        (None, None, "orders"),
        (Some("[]"), None, "orders"),
        (Some("[1,\"2\"]"), None, "orders"),
        (Some(r#"[{"order":0}]"#), None, "orders"),
        (Some(r#"[{"order":1,"quantity":-1}]"#), None, "orders"),
        (Some(r#"[{"order":1,"dripfeed":"yes"}]"#), None, "orders"),
        (Some("[1]"), Some(r#"{"intervalMs":0}"#), "intervalMs"),
        (Some("[1]"), Some(r#"{"intervalMs":"5000"}"#), "intervalMs"),
    ] {
        let e = Watch::new(targets, options).expect_err(targets.unwrap_or("undefined"));
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidRequest, Some(field)), "{targets:?} {options:?}: {e}");
    }
    let w = Watch::new(Some(r#"[5,{"order":6,"quantity":100},5,{"order":7,"dripfeed":true,"runs":4}]"#), None).unwrap();
    assert_eq!(w.order_ids(), [5, 6], "repeated IDs are watched once");
    assert_eq!(w.dripfeed_ids(), [7]);
    assert_eq!(w.next_delay_ms(), DEFAULT_INTERVAL_MS);
    // Each kind is polled with its batched call, the live IDs as that call's argument.
    assert_eq!(w.poll(false), Some((smm_panel_sdk::core::Call::OrderStatusMany, "[5,6]".to_owned())));
    assert_eq!(w.poll(true), Some((smm_panel_sdk::core::Call::DripfeedStatusMany, "[7]".to_owned())));
    let only_normal = Watch::new(Some("[1]"), None).unwrap();
    assert_eq!(only_normal.poll(true), None, "no drip-feed order: no drip-feed poll");
}

#[test]
fn reports_changes_only_and_stops_when_all_final() {
    let mut w = Watch::new(Some(r#"[{"order":1,"quantity":200},2,3]"#), Some(r#"{"intervalMs":1000}"#)).unwrap();
    let first = r#"[{"order":1,"charge":"0.18","start_count":0,"status":"Pending","remains":200,"currency":"USD"},
                    {"order":2,"charge":"1","start_count":5,"status":"In progress","remains":null,"currency":"USD"},
                    {"order":3,"error":"Incorrect order ID"}]"#;
    assert_eq!(
        w.accept(first, false).unwrap(),
        concat!(
            r#"[{"order":1,"status":"Pending","charge":"0.18","start_count":0,"remains":200,"currency":"USD","progress":0.000,"final":false},"#,
            r#"{"order":2,"status":"In progress","charge":"1","start_count":5,"remains":null,"currency":"USD","progress":null,"final":false},"#,
            r#"{"order":3,"error":"Incorrect order ID","final":true}]"#
        )
    );
    assert_eq!(w.order_ids(), [1, 2], "an order the panel does not know is not polled again");
    assert_eq!(w.accept(first, false).unwrap(), "[]", "nothing changed, nothing reported");

    let moved = r#"[{"order":1,"charge":"0.18","start_count":0,"status":"In progress","remains":50,"currency":"USD"},
                    {"order":2,"charge":"1","start_count":5,"status":"Partial","remains":3,"currency":"USD"}]"#;
    let updates = w.accept(moved, false).unwrap();
    assert!(updates.contains(r#""order":1,"status":"In progress""#) && updates.contains(r#""progress":0.750,"final":false"#), "{updates}");
    assert!(updates.contains(r#""order":2,"status":"Partial""#) && updates.contains(r#""progress":null,"final":true"#), "{updates}");
    assert_eq!(w.order_ids(), [1]);
    assert!(!w.is_done());

    let done = r#"[{"order":1,"charge":"0.18","start_count":0,"status":"Completed","remains":0,"currency":"USD"}]"#;
    assert!(w.accept(done, false).unwrap().contains(r#""progress":1.000,"final":true"#));
    assert!(w.is_done());
    assert!(w.order_ids().is_empty());
}

#[test]
fn dripfeed_orders_are_tracked_through_their_runs() {
    let mut w = Watch::new(Some(r#"[{"order":9,"dripfeed":true,"runs":4}]"#), None).unwrap();
    let one_run = r#"[{"order":9,"status":"Active","orders":[101]}]"#;
    assert_eq!(
        w.accept(one_run, true).unwrap(),
        r#"[{"order":9,"status":"Active","dripfeed":true,"orders":[101],"progress":0.250,"final":false}]"#
    );
    // A status answer for a normal order with the same ID is not this drip-feed order's.
    assert_eq!(w.accept(r#"[{"order":9,"status":"Completed","remains":0}]"#, false).unwrap(), "[]");
    let all = r#"[{"order":9,"status":"Completed","orders":[101,102,103,104]}]"#;
    assert!(w.accept(all, true).unwrap().contains(r#""progress":1.000,"final":true"#));
    assert!(w.is_done());
}

#[test]
fn failures_back_off_but_never_poll_faster_than_asked() {
    let mut w = Watch::new(Some("[1]"), Some(r#"{"intervalMs":2000}"#)).unwrap();
    assert_eq!(w.next_delay_ms(), 2000);
    let delays: Vec<u32> = (0..12)
        .map(|_| {
            w.record_failure();
            w.next_delay_ms()
        })
        .collect();
    assert_eq!(&delays[..4], [4000, 8000, 16000, 32000]);
    assert_eq!(*delays.last().unwrap(), 300_000, "capped at five minutes");
    assert!(delays.iter().all(|&d| d >= 2000));
    w.accept("[]", false).unwrap();
    assert_eq!(w.next_delay_ms(), 2000, "a successful poll resets the backoff");

    // An interval longer than the cap is still respected after failures.
    let mut slow = Watch::new(Some("[1]"), Some(r#"{"intervalMs":600000}"#)).unwrap();
    slow.record_failure();
    assert_eq!(slow.next_delay_ms(), 600_000);
}

#[test]
fn which_failures_end_a_watch() {
    use smm_panel_sdk::core::watch::is_transient;
    use smm_panel_sdk::core::{Action, SmmError};
    assert!(is_transient(&SmmError::network(Action::Status)));
    assert!(is_transient(&SmmError::timeout(Action::Status, 100)));
    assert!(is_transient(&SmmError::redirected(Action::Status, 301)));
    assert!(!is_transient(&SmmError::invalid("orders", "x".into())));
    assert!(!is_transient(&SmmError::aborted(Action::Status, true)));
}
