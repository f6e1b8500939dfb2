//! `watchOrders` against the simulator's clock: batched polls, changes only, never faster than
//! asked, drip-feed runs, stopping by itself, abort, and a refusal that ends the watch.
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use crate::support::*;

const LINK: &str = "https://instagram.com/p/watch";

async fn place(sim: &Sim, key: &str, order: &str) -> u64 {
    id_of(&ok(sim.client(key).add_order(parse(order), None)).await, "order")
}

fn options(json: &str) -> Option<JsValue> {
    Some(parse(json))
}

#[wasm_bindgen_test]
async fn watches_orders_until_every_one_is_final() {
    let sim = perfect();
    let key = sim.account("100").await;
    let client = sim.client(&key);
    let first = place(&sim, &key, &format!(r#"{{"service":101,"link":"{LINK}-a","quantity":100}}"#)).await;
    let second = place(&sim, &key, &format!(r#"{{"service":102,"link":"{LINK}-b","quantity":1000}}"#)).await;

    let targets = parse(&format!(r#"[{{"order":{first},"quantity":100}},{second},{first}]"#));
    let updates = client.watch_orders(targets, options(r#"{"intervalMs":250}"#)).expect("valid arguments");
    let a = next_of(&updates).await.expect("first poll").expect("an update");
    let b = next_of(&updates).await.expect("first poll").expect("an update");
    assert_json(
        &a,
        &format!(
            r#"{{"order":{first},"status":"Pending","charge":"0.09000","start_count":0,"remains":100,"currency":"USD","progress":0,"final":false}}"#
        ),
        "first",
    );
    assert_eq!((id_of(&b, "order"), get(&b, "progress").is_null()), (second, true), "no quantity given: no progress");

    sim.advance_clock(36_000).await;
    let mut finals = Vec::new();
    while let Some(update) = next_of(&updates).await.expect("polls succeed") {
        assert_eq!(get(&update, "final").as_bool(), Some(true), "{}", stringify(&update));
        finals.push((id_of(&update, "order"), get_str(&update, "status").unwrap_or_default()));
    }
    finals.sort();
    assert_eq!(finals, [(first, "Completed".to_owned()), (second, "Completed".to_owned())]);

    let polls = sim.journal_of(&key, "status").await;
    assert_eq!(polls.len(), 2, "one batched poll per round; it stopped by itself once both were final");
    assert_eq!(fields_after_key(&polls[0]), pairs(&[("action", "status"), ("orders", &format!("{first},{second}"))]));
    let gap = get_f64(&polls[1], "time_ms").unwrap_or(0.0) - get_f64(&polls[0], "time_ms").unwrap_or(0.0);
    assert!(gap >= 245.0, "never polls faster than intervalMs: {gap} ms apart");
}

#[wasm_bindgen_test]
async fn dripfeed_orders_are_followed_through_their_runs() {
    let sim = perfect();
    let key = sim.account("100").await;
    let client = sim.client(&key);
    let drip = place(&sim, &key, &format!(r#"{{"service":101,"link":"{LINK}-drip","quantity":100,"runs":3,"interval":10}}"#)).await;
    let updates = client
        .watch_orders(parse(&format!(r#"[{{"order":{drip},"dripfeed":true,"runs":3}}]"#)), options(r#"{"intervalMs":100}"#))
        .expect("valid arguments");
    let mut progress = Vec::new();
    let mut seen = Vec::new();
    loop {
        let Some(update) = next_of(&updates).await.expect("polls succeed") else { break };
        assert_eq!(get(&update, "dripfeed").as_bool(), Some(true));
        progress.push(get_f64(&update, "progress").unwrap_or(-1.0));
        let runs = js_sys::Array::from(&get(&update, "orders")).length();
        seen.push((get_str(&update, "status").unwrap_or_default(), runs));
        // Ten simulated minutes per round: one more run each time.
        sim.advance_clock(600).await;
    }
    assert_eq!(progress.first().copied(), Some(0.333), "one run of three started");
    assert_eq!(progress.last().copied(), Some(1.0), "ends Completed: {progress:?}");
    // Progress counts runs started, so it reaches 1 when the last run starts; the order is final
    // only when the panel says Completed. Every update differs from the one before.
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    assert!(seen.windows(2).all(|w| w[0] != w[1]), "only changes are reported: {seen:?}");
    assert_eq!(seen.last().map(|(s, runs)| (s.as_str(), *runs)), Some(("Completed", 3)), "{seen:?}");
    let polls = sim.journal_of(&key, "status").await;
    assert!(fields_after_key(&polls[0]).contains(&("type".into(), "dripfeed".into())));
}

#[wasm_bindgen_test]
async fn on_update_pushes_and_abort_stops() {
    let sim = perfect();
    let key = sim.account("100").await;
    let client = sim.client(&key);
    let order = place(&sim, &key, &format!(r#"{{"service":101,"link":"{LINK}-push","quantity":100}}"#)).await;
    let (seen, on_update) = collector();
    let watch_options = parse(r#"{"intervalMs":100}"#);
    set(&watch_options, "onUpdate", &on_update);
    set(&watch_options, "signal", &abort_after(700));
    client.watch_orders(parse(&format!("[{order}]")), Some(watch_options.unchecked_into())).expect("valid arguments");
    sleep_ms(1200).await;
    let seen = js_sys::Array::from(&seen);
    assert_eq!(seen.length(), 1, "the Pending state once, then nothing changed: {}", stringify(&seen));
    let polls = sim.journal_of(&key, "status").await.len();
    assert!((2..=8).contains(&polls), "polled every 100 ms until the abort at 700 ms: {polls}");
    sleep_ms(400).await;
    assert_eq!(sim.journal_of(&key, "status").await.len(), polls, "no poll after the abort");
}

#[wasm_bindgen_test]
async fn a_refusal_ends_the_watch_and_bad_arguments_throw() {
    let sim = perfect();
    let bad_key = format!("nobody-{}", sim.account("1").await);
    let updates = sim.client(&bad_key).watch_orders(parse("[1]"), options(r#"{"intervalMs":50}"#)).expect("valid arguments");
    let error = next_of(&updates).await.expect_err("the panel refuses the key");
    let error = rejection(&error, &bad_key);
    assert_eq!((error.code.as_str(), error.api_message.as_deref()), ("api", Some("Invalid API key")));

    let client = sim.client("k-watch-args");
    for (targets, opts, field) in [("[]", "{}", "orders"), ("[1.5]", "{}", "orders"), ("[1]", r#"{"intervalMs":0}"#, "intervalMs")] {
        let error = client.watch_orders(parse(targets), options(opts)).expect_err("thrown at once");
        let error = rejection(&error, "k-watch-args");
        assert_eq!((error.code.as_str(), error.field.as_deref()), ("invalid_request", Some(field)), "{targets} {opts}");
    }
    let with_bad_callback = parse(r#"{"onUpdate":5}"#);
    let error = client.watch_orders(parse("[1]"), Some(with_bad_callback.unchecked_into())).expect_err("thrown at once");
    assert_eq!(rejection(&error, "k-watch-args").field.as_deref(), Some("onUpdate"));
}
