//! The `*Many` calls: planning, both answer shapes, item errors, merging in input order.
// Native only: these use host-only dev-dependencies (proptest, serde_json).
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::{plan, Call, ErrorCode, CHUNK_SIZE};

fn ids_json(ids: &[u64]) -> String {
    format!("[{}]", ids.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
}

fn run(call: Call, ids: &str, body: &str) -> String {
    let mut p = plan(call, Some(ids)).unwrap();
    assert_eq!(p.chunks().len(), 1);
    p.accept(0, 200, None, body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"));
    p.finish().unwrap()
}

#[test]
fn chunks_of_100_in_first_seen_order() {
    let ids: Vec<u64> = (1..=250).rev().collect();
    let p = plan(Call::OrderStatusMany, Some(&ids_json(&ids))).unwrap();
    let sizes: Vec<usize> = p.chunks().iter().map(|c| c.ids().len()).collect();
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(CHUNK_SIZE, 100);
    let flat: Vec<u64> = p.chunks().iter().flat_map(|c| c.ids().to_vec()).collect();
    assert_eq!(flat, ids);
    assert!(p.chunks().iter().all(|c| c.action().wire_name() == "status"));
}

#[test]
fn duplicates_sent_once_answered_everywhere() {
    let mut ids: Vec<u64> = (1..=150).collect();
    ids.extend([5, 150, 5]);
    let mut p = plan(Call::CancelMany, Some(&ids_json(&ids))).unwrap();
    let sizes: Vec<usize> = p.chunks().iter().map(|c| c.ids().len()).collect();
    assert_eq!(sizes, vec![100, 50]);
    // Answer each chunk as an array with items carrying their ID, in reverse order.
    for k in 0..p.chunks().len() {
        let chunk_ids = p.chunks()[k].ids().to_vec();
        let items: Vec<String> = chunk_ids.iter().rev().map(|id| format!(r#"{{"order":{id},"cancel":1}}"#)).collect();
        p.accept(k, 200, None, format!("[{}]", items.join(",")).as_bytes()).unwrap();
    }
    let out = p.finish().unwrap();
    let expect: Vec<String> = ids.iter().map(|id| format!(r#"{{"order":{id},"cancel":1}}"#)).collect();
    assert_eq!(out, format!("[{}]", expect.join(",")));
}

#[test]
fn missing_answers_and_unanswered_chunks() {
    let ids: Vec<u64> = (1..=101).collect();
    let mut p = plan(Call::OrderStatusMany, Some(&ids_json(&ids))).unwrap();
    // The first chunk answers only order 2; the second chunk is never accepted.
    p.accept(0, 200, None, br#"{"2":{"status":"Completed","charge":"1","start_count":0,"remains":0,"currency":"USD"}}"#).unwrap();
    let out = p.finish().unwrap();
    assert!(out.starts_with(r#"[{"order":1,"error":"No answer for this order"},{"order":2,"charge":"1","start_count":0,"status":"Completed","remains":0,"currency":"USD"},{"order":3,"error":"No answer for this order"}"#), "{out}");
    assert!(out.ends_with(r#"{"order":101,"error":"No answer for this order"}]"#));

    let mut p = plan(Call::RefillStatusMany, Some("[7]")).unwrap();
    p.accept(0, 200, None, b"{}").unwrap();
    assert_eq!(p.finish().unwrap(), r#"[{"refill":7,"error":"No answer for this refill"}]"#);
}

#[test]
fn status_many_keyed_and_array() {
    let keyed = r#"{"1":{"charge":"0.27819","start_count":"3572","status":"Partial","remains":"157","currency":"USD"},
                    "10":{"error":"Incorrect order ID"},
                    "100":"Incorrect order ID"}"#;
    let expect = r#"[{"order":100,"error":"Incorrect order ID"},{"order":1,"charge":"0.27819","start_count":3572,"status":"Partial","remains":157,"currency":"USD"},{"order":10,"error":"Incorrect order ID"}]"#;
    assert_eq!(run(Call::OrderStatusMany, "[100,1,10]", keyed), expect);
    // An array in request order, items without their own ID.
    let array = r#"["Incorrect order ID",{"charge":"0.27819","start_count":"3572","status":"partial","remains":"157","currency":"USD"},{"error":"Incorrect order ID"}]"#;
    assert_eq!(run(Call::OrderStatusMany, "[100,1,10]", array), expect);
    // An array whose items name their order, in another order.
    let named = r#"[{"order":10,"error":"Incorrect order ID"},{"order":"100","error":"Incorrect order ID"},{"order":1,"charge":0.27819,"start_count":3572,"status":"Partial","remains":157,"currency":"USD"}]"#;
    assert_eq!(run(Call::OrderStatusMany, "[100,1,10]", named), expect);
    // An unreadable item is that item's error, not the call's.
    let out = run(Call::OrderStatusMany, "[1,2]", r#"{"1":{"charge":"1"},"2":5}"#);
    assert!(out.starts_with(r#"[{"order":1,"error":"Unreadable answer for this item: status must be"#), "{out}");
    assert!(out.contains(r#"{"order":2,"error":"Unreadable answer for this item: got 5"}"#), "{out}");
}

#[test]
fn dripfeed_many() {
    let body = r#"{"12":{"status":"Completed","orders":[86,87]},"13":{"error":"Incorrect order ID"}}"#;
    assert_eq!(
        run(Call::DripfeedStatusMany, "[12,13]", body),
        r#"[{"order":12,"status":"Completed","orders":[86,87]},{"order":13,"error":"Incorrect order ID"}]"#
    );
    let arr = r#"[{"status":"In progress","orders":["86"]},"Incorrect order ID"]"#;
    assert_eq!(
        run(Call::DripfeedStatusMany, "[12,13]", arr),
        r#"[{"order":12,"status":"In progress","orders":[86]},{"order":13,"error":"Incorrect order ID"}]"#
    );
}

#[test]
fn refill_many() {
    let seed = r#"[{"order":1,"refill":1},{"order":2,"refill":2},{"order":3,"refill":{"error":"Incorrect order ID"}}]"#;
    assert_eq!(
        run(Call::RefillMany, "[1,2,3]", seed),
        r#"[{"order":1,"refill":1},{"order":2,"refill":2},{"order":3,"error":"Incorrect order ID"}]"#
    );
    let keyed = r#"{"1":{"refill":"11"},"2":"12","3":"Incorrect order ID","4":{"error":"Refill disabled"}}"#;
    assert_eq!(
        run(Call::RefillMany, "[1,2,3,4]", keyed),
        r#"[{"order":1,"refill":11},{"order":2,"refill":12},{"order":3,"error":"Incorrect order ID"},{"order":4,"error":"Refill disabled"}]"#
    );
}

#[test]
fn refill_status_many() {
    let seed = r#"[{"refill":1,"status":"Completed"},{"refill":2,"status":"Rejected"},{"refill":3,"status":{"error":"Refill not found"}}]"#;
    assert_eq!(
        run(Call::RefillStatusMany, "[3,2,1]", seed),
        r#"[{"refill":3,"error":"Refill not found"},{"refill":2,"status":"Rejected"},{"refill":1,"status":"Completed"}]"#
    );
    let keyed = r#"{"1":"completed","2":"Refill not found","3":{"status":"awaiting"}}"#;
    assert_eq!(
        run(Call::RefillStatusMany, "[1,2,3]", keyed),
        r#"[{"refill":1,"status":"Completed"},{"refill":2,"error":"Refill not found"},{"refill":3,"status":"Awaiting"}]"#
    );
}

#[test]
fn cancel_many() {
    let seed = r#"[{"order":9,"cancel":{"error":"Incorrect order ID"}},{"order":2,"cancel":1}]"#;
    assert_eq!(run(Call::CancelMany, "[2,9]", seed), r#"[{"order":2,"cancel":1},{"order":9,"error":"Incorrect order ID"}]"#);
    let keyed = r#"{"2":1,"9":{"cancel":"1"},"4":"Incorrect order ID"}"#;
    assert_eq!(
        run(Call::CancelMany, "[2,9,4]", keyed),
        r#"[{"order":2,"cancel":1},{"order":9,"cancel":1},{"order":4,"error":"Incorrect order ID"}]"#
    );
}

#[test]
fn single_format_answer_to_a_one_id_chunk() {
    assert_eq!(
        run(Call::OrderStatusMany, "[5]", r#"{"charge":"1","start_count":1,"status":"Completed","remains":0,"currency":"USD"}"#),
        r#"[{"order":5,"charge":"1","start_count":1,"status":"Completed","remains":0,"currency":"USD"}]"#
    );
}

#[test]
fn whole_request_failures_reject() {
    let mut p = plan(Call::OrderStatusMany, Some("[1,2]")).unwrap();
    let e = p.accept(0, 200, None, br#"{"error":"Invalid API key"}"#).unwrap_err();
    assert_eq!((e.code(), e.api_message()), (ErrorCode::Api, Some("Invalid API key")));
    let e = p.accept(0, 502, None, b"<html><title>Bad gateway</title></html>").unwrap_err();
    assert_eq!((e.code(), e.status()), (ErrorCode::Http, Some(502)));
    let e = p.accept(0, 200, None, b"not json").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode);
    let e = p.accept(0, 200, None, br#"{"status":"Completed"}"#).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode);
    let e = p.accept(0, 200, None, b"5").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode);
    let e = p.accept(7, 200, None, b"{}").unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidRequest);
}

#[test]
fn chunk_interpret_on_its_own_gives_an_array() {
    let p = plan(Call::CancelMany, Some("[2,9]")).unwrap();
    let out = p.chunks()[0].interpret(200, None, br#"{"9":1}"#).unwrap();
    assert_eq!(out, r#"[{"order":2,"error":"No answer for this order"},{"order":9,"cancel":1}]"#);
}

#[test]
fn bare_string_in_the_payload_field_is_an_item_error() {
    // SmartPanel-like: the refill/cancel field itself carries the error text.
    let refills = r#"[{"order":1,"refill":"7"},{"order":2,"refill":"Incorrect order ID"}]"#;
    assert_eq!(run(Call::RefillMany, "[1,2]", refills), r#"[{"order":1,"refill":7},{"order":2,"error":"Incorrect order ID"}]"#);
    let cancels = r#"[{"order":2,"cancel":"Incorrect order ID"},{"order":3,"cancel":"1"}]"#;
    assert_eq!(run(Call::CancelMany, "[2,3]", cancels), r#"[{"order":2,"error":"Incorrect order ID"},{"order":3,"cancel":1}]"#);
    // refill_status's payload is a status text, so a string there stays a status.
    let statuses = r#"[{"refill":4,"status":"Pending"}]"#;
    assert_eq!(run(Call::RefillStatusMany, "[4]", statuses), r#"[{"refill":4,"status":"Pending"}]"#);
}

#[test]
fn bare_string_error_of_a_single_refill_or_cancel_is_an_api_error() {
    use smm_panel_sdk::core::{prepare, Call};
    for (call, body) in [(Call::Refill, r#"{"refill":"Incorrect order ID"}"#), (Call::Cancel, r#"{"cancel":"Incorrect order ID"}"#)] {
        let error = prepare(call, Some("5")).unwrap().interpret(200, None, body.as_bytes()).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Api, "{body}");
        assert_eq!(error.api_message(), Some("Incorrect order ID"));
    }
}

#[test]
fn an_error_message_in_a_refill_status_field_is_an_error_not_a_status() {
    // SmartPanel-like: the bare error sits where the status goes.
    let bare = r#"[{"refill":1,"status":"Pending"},{"refill":9,"status":"Refill not found"},{"refill":4,"status":"Error"},{"refill":5,"status":"On hold"}]"#;
    assert_eq!(
        run(Call::RefillStatusMany, "[1,9,4,5]", bare),
        // "Error" is a real refill status and an unknown status ("On hold") passes through.
        r#"[{"refill":1,"status":"Pending"},{"refill":9,"error":"Refill not found"},{"refill":4,"status":"Error"},{"refill":5,"status":"On hold"}]"#
    );
    use smm_panel_sdk::core::{prepare, Call};
    let error = prepare(Call::RefillStatus, Some("9")).unwrap().interpret(200, None, br#"{"status":"Refill not found"}"#).unwrap_err();
    assert_eq!((error.code(), error.api_message()), (ErrorCode::Api, Some("Refill not found")));
}

// ---- a call that fails keeps every result it got ----------------------------------------------

use smm_panel_sdk::core::batch::{NOT_SENT_ERROR, UNFINISHED_ERROR};
use smm_panel_sdk::core::{Delivery, SmmError};

/// An answer to one chunk of `OrderStatus`/`Refill`: every ID answered in the perfect dialect.
fn answer(call: Call, ids: &[u64]) -> String {
    let items: Vec<String> = ids
        .iter()
        .map(|id| match call {
            Call::RefillMany => format!(r#"{{"order":{id},"refill":{}}}"#, id + 1000),
            _ => format!(r#""{id}":{{"charge":"1","start_count":0,"status":"Completed","remains":0,"currency":"USD"}}"#),
        })
        .collect();
    match call {
        Call::RefillMany => format!("[{}]", items.join(",")),
        _ => format!("{{{}}}", items.join(",")),
    }
}

/// Sends chunks through `next_chunk` as run_batch does: `in_flight` at a time, chunk 1 failing
/// with `failure`.
fn run_with_failure(call: Call, ids: &[u64], in_flight: usize, failure: SmmError) -> (SmmError, Vec<serde_json::Value>, Vec<usize>) {
    let mut p = plan(call, Some(&ids_json(ids))).unwrap();
    let mut started = Vec::new();
    let mut flying = Vec::new();
    loop {
        while flying.len() < in_flight {
            match p.next_chunk() {
                Some(k) => flying.push(k),
                None => break,
            }
        }
        if flying.is_empty() {
            break;
        }
        let k = flying.remove(0);
        started.push(k);
        if k == 1 {
            p.fail(k, failure.clone());
        } else {
            let chunk_ids = p.chunks()[k].ids().to_vec();
            p.accept(k, 200, None, answer(call, &chunk_ids).as_bytes()).unwrap();
        }
    }
    let error = p.finish().unwrap_err();
    let results: serde_json::Value = serde_json::from_str(&error.results().expect("results")).unwrap();
    (error, results.as_array().unwrap().clone(), started)
}

fn network_failure() -> SmmError {
    // What a reset connection gives: no answer, delivery unknown.
    SmmError::network(smm_panel_sdk::core::Action::Refill)
}

#[test]
fn a_failed_chunk_keeps_the_finished_results_and_marks_the_unsent_one_at_concurrency_1() {
    let ids: Vec<u64> = (1..=250).collect();
    let (error, results, started) = run_with_failure(Call::RefillMany, &ids, 1, network_failure());
    // The rejection is the failure itself.
    assert_eq!((error.code(), error.delivery()), (ErrorCode::Network, Delivery::Unknown));
    assert_eq!(error.message(), network_failure().message());
    assert_eq!(started, vec![0, 1], "no chunk is started after the failure");
    assert_eq!(results.len(), 250);
    for (i, r) in results.iter().enumerate() {
        let id = ids[i];
        match i / CHUNK_SIZE {
            0 => assert_eq!(r, &serde_json::json!({"order": id, "refill": id + 1000})),
            1 => assert_eq!(
                r,
                &serde_json::json!({"order": id, "error": network_failure().message(), "code": "network", "delivery": "unknown"})
            ),
            _ => assert_eq!(r, &serde_json::json!({"order": id, "error": NOT_SENT_ERROR, "code": "network", "delivery": "not_sent"})),
        }
    }
}

#[test]
fn chunks_in_flight_when_one_fails_finish_and_keep_their_results() {
    let ids: Vec<u64> = (1..=250).rev().collect();
    let (error, results, started) =
        run_with_failure(Call::OrderStatusMany, &ids, 4, SmmError::timeout(smm_panel_sdk::core::Action::Status, 500));
    assert_eq!((error.code(), error.delivery()), (ErrorCode::Timeout, Delivery::Unknown));
    assert_eq!(started, vec![0, 1, 2]);
    assert_eq!(results.len(), 250);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["order"], ids[i], "input order kept at {i}");
        if i / CHUNK_SIZE == 1 {
            assert_eq!((r["code"].as_str(), r["delivery"].as_str()), (Some("timeout"), Some("unknown")), "{r}");
            assert!(r["error"].as_str().unwrap().contains("got no answer within 500 ms"), "{r}");
        } else {
            assert_eq!(r["status"], "Completed", "{r}");
        }
    }
}

#[test]
fn two_failed_chunks_keep_their_own_errors_and_the_first_is_the_call_s() {
    let ids: Vec<u64> = (1..=350).collect();
    let mut p = plan(Call::CancelMany, Some(&ids_json(&ids))).unwrap();
    let started: Vec<usize> = std::iter::from_fn(|| p.next_chunk()).take(3).collect();
    assert_eq!(started, vec![0, 1, 2]);
    // Chunk 2 fails first (the panel refuses the key: received), then chunk 0 (an outage).
    let refused = p.accept(2, 200, None, br#"{"error":"Invalid API key"}"#).unwrap_err();
    p.fail(2, refused);
    assert_eq!(p.next_chunk(), None, "nothing starts after a failure");
    let bad_gateway = p.accept(0, 502, None, b"<html>Bad gateway</html>").unwrap_err();
    assert_eq!(bad_gateway.delivery(), Delivery::Unknown, "a gateway's 502 to a write");
    p.fail(0, bad_gateway.clone());
    p.accept(1, 200, None, br#"[{"order":150,"cancel":1}]"#).unwrap();
    let error = p.finish().unwrap_err();
    assert_eq!((error.code(), error.delivery(), error.api_message()), (ErrorCode::Api, Delivery::Received, Some("Invalid API key")));
    let results: Vec<serde_json::Value> = serde_json::from_str(&error.results().unwrap()).unwrap();
    assert_eq!(results.len(), 350);
    assert_eq!(results[0], serde_json::json!({"order": 1, "error": bad_gateway.message(), "code": "http", "delivery": "unknown"}));
    // An answered chunk: its items, and "No answer" for what the panel left out.
    assert_eq!(results[149], serde_json::json!({"order": 150, "cancel": 1}));
    assert_eq!(results[100], serde_json::json!({"order": 101, "error": "No answer for this order"}));
    assert_eq!(results[200]["code"], "api");
    assert_eq!(results[200]["delivery"], "received");
    assert!(results[200]["error"].as_str().unwrap().contains("Invalid API key"));
    assert_eq!(results[349], serde_json::json!({"order": 350, "error": NOT_SENT_ERROR, "code": "api", "delivery": "not_sent"}));
}

#[test]
fn repeated_ids_and_refill_ids_in_the_results_of_a_failed_call() {
    let mut ids: Vec<u64> = (1..=101).collect();
    ids.extend([101, 1]);
    let mut p = plan(Call::RefillStatusMany, Some(&ids_json(&ids))).unwrap();
    assert_eq!(p.next_chunk(), Some(0));
    p.accept(0, 200, None, br#"{"1":"completed"}"#).unwrap();
    assert_eq!(p.next_chunk(), Some(1));
    p.fail(1, SmmError::aborted(smm_panel_sdk::core::Action::RefillStatus, true));
    let error = p.finish().unwrap_err();
    let results: Vec<serde_json::Value> = serde_json::from_str(&error.results().unwrap()).unwrap();
    assert_eq!(results.len(), 103);
    assert_eq!(results[0], serde_json::json!({"refill": 1, "status": "Completed"}));
    assert_eq!(results[102], results[0]);
    assert_eq!(results[100]["refill"], 101);
    assert_eq!((results[100]["code"].as_str(), results[100]["delivery"].as_str()), (Some("aborted"), Some("unknown")));
    assert_eq!(results[101], results[100]);
}

#[test]
fn a_request_started_but_not_finished_is_unknown_never_not_sent() {
    let mut p = plan(Call::RefillMany, Some(&ids_json(&(1..=300).collect::<Vec<_>>()))).unwrap();
    assert_eq!((p.next_chunk(), p.next_chunk()), (Some(0), Some(1)));
    p.fail(0, SmmError::network(smm_panel_sdk::core::Action::Refill));
    let results: Vec<serde_json::Value> = serde_json::from_str(&p.finish().unwrap_err().results().unwrap()).unwrap();
    assert_eq!(results[100], serde_json::json!({"order": 101, "error": UNFINISHED_ERROR, "code": "network", "delivery": "unknown"}));
    assert_eq!(results[200]["delivery"], "not_sent");
}

#[test]
fn a_call_without_failures_answers_as_before_and_carries_no_results() {
    let mut p = plan(Call::OrderStatusMany, Some("[1,2]")).unwrap();
    assert_eq!(p.next_chunk(), Some(0));
    assert_eq!(p.next_chunk(), None);
    p.accept(0, 200, None, answer(Call::OrderStatusMany, &[2]).as_bytes()).unwrap();
    let out = p.finish().unwrap();
    assert!(out.starts_with(r#"[{"order":1,"error":"No answer for this order"},{"order":2,"#), "{out}");
}

#[test]
fn the_key_is_redacted_from_results_and_the_json_stays_valid() {
    let key = "k\"1";
    let mut p = plan(Call::OrderStatusMany, Some(&ids_json(&(1..=101).collect::<Vec<_>>()))).unwrap();
    p.next_chunk();
    // A panel that echoes the key in an item's error and in the call's error.
    p.accept(0, 200, None, br#"{"1":{"error":"Unknown key k\"1 for order 1"}}"#).unwrap();
    p.next_chunk();
    let echoed = p.accept(1, 200, None, br#"{"error":"Invalid API key k\"1"}"#).unwrap_err();
    p.fail(1, echoed);
    let error = p.finish().unwrap_err().redacted(Some(key));
    let text = error.results().unwrap();
    assert!(!text.contains("k\\\"1") && !text.contains(key), "{text}");
    let results: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(results[0], serde_json::json!({"order": 1, "error": "Unknown key [redacted] for order 1"}));
    assert!(results[100]["error"].as_str().unwrap().ends_with("Invalid API key [redacted]"), "{}", results[100]);
    assert_eq!(results[100]["order"], 101);
}

#[test]
fn a_key_like_our_words_leaves_the_results_own_words_alone() {
    // "order" is a result key, part of "No answer for this order" and of our messages: none of
    // that may change; the panel's own text loses it.
    let key = "order";
    let mut p = plan(Call::CancelMany, Some(&ids_json(&(1..=201).collect::<Vec<_>>()))).unwrap();
    p.next_chunk();
    p.accept(0, 200, None, br#"[{"order":1,"cancel":{"error":"Incorrect order ID"}}]"#).unwrap();
    p.next_chunk();
    let unreadable = p.accept(1, 200, None, b"").unwrap_err();
    p.fail(1, unreadable);
    let error = p.finish().unwrap_err().redacted(Some(key));
    let results: Vec<serde_json::Value> = serde_json::from_str(&error.results().unwrap()).unwrap();
    assert_eq!(results[0], serde_json::json!({"order": 1, "error": "Incorrect [redacted] ID"}));
    assert_eq!(results[1], serde_json::json!({"order": 2, "error": "No answer for this order"}));
    assert_eq!(results[100]["order"], 101);
    assert_eq!(results[100]["delivery"], "unknown", "an unreadable answer to cancel");
    assert!(results[100]["error"].as_str().unwrap().starts_with("could not read the panel's answer to \"cancel\""), "{}", results[100]);
    assert_eq!(results[200]["delivery"], "not_sent");
    assert!(!error.results().unwrap().contains('\u{E000}'));
    // Without a key, the same results, unmarked.
    let mut p = plan(Call::CancelMany, Some("[1]")).unwrap();
    p.next_chunk();
    p.accept(0, 200, None, br#"[{"order":1,"cancel":"Incorrect order ID"}]"#).unwrap();
    assert_eq!(p.finish().unwrap(), r#"[{"order":1,"error":"Incorrect order ID"}]"#);
}
