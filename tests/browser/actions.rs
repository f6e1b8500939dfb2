//! Every method in every dialect, decoded values asserted field by field, and the exact form
//! fields that reached the panel.
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use crate::support::*;

const LINK: &str = "https://instagram.com/p/Cx9-test";

/// Money as each dialect writes it: strings kept verbatim, JSON numbers in their shortest form.
fn money(sim: &Sim, perfect_panel_text: &str, as_number: &str) -> String {
    if sim.dialect == "smartpanel" {
        as_number.to_owned()
    } else {
        perfect_panel_text.to_owned()
    }
}

fn order_json(value: &JsValue) -> u64 {
    id_of(value, "order")
}

async fn place(sim: &Sim, key: &str, service: u32, quantity: u32, link: &str) -> u64 {
    let order = parse(&format!(r#"{{"service":{service},"link":"{link}","quantity":{quantity}}}"#));
    order_json(&ok(sim.client(key).add_order(order, None)).await)
}

#[wasm_bindgen_test]
async fn services_decode_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("1").await;
        let services = ok(sim.client(&key).services(None)).await;
        let list = js_sys::Array::from(&services);
        assert_eq!(list.length(), 42, "{}: the whole built-in catalog", sim.dialect);
        let find = |id: f64| list.iter().find(|s| get_f64(s, "service") == Some(id)).expect("service present");
        let default_type = if sim.dialect == "smartpanel" { "default" } else { "Default" };
        assert_json(
            &find(101.0),
            &format!(
                r#"{{"service":101,"name":"Instagram Followers [Real Mixed] [Refill 30 Days] [Max 100K]","type":"{default_type}","category":"Instagram Followers","rate":"{}","min":50,"max":100000,"refill":true,"cancel":true,"dripfeed":true,"description":"Start: 0-1 hours. Refill button available for 30 days."}}"#,
                money(&sim, "0.90", "0.9")
            ),
            sim.dialect,
        );
        assert_json(
            &find(102.0),
            &format!(
                r#"{{"service":102,"name":"Instagram Followers [HQ] [No Refill] [Instant]","type":"{default_type}","category":"Instagram Followers","rate":"0.27819","min":10,"max":50000,"refill":false,"cancel":false,"dripfeed":true}}"#
            ),
            sim.dialect,
        );
        let journal = sim.journal(&key).await;
        assert_eq!(journal.len(), 1, "{}: one request", sim.dialect);
        assert_eq!(fields_after_key(&journal[0]), pairs(&[("action", "services")]));
    }
}

#[wasm_bindgen_test]
async fn balance_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("12.34567").await;
        let balance = ok(sim.client(&key).balance(None)).await;
        assert_json(&balance, r#"{"balance":"12.34567","currency":"USD"}"#, sim.dialect);
        let journal = sim.journal(&key).await;
        assert_eq!(journal.len(), 1);
        assert_eq!(fields_after_key(&journal[0]), pairs(&[("action", "balance")]));
        assert_eq!(get_str(&journal[0], "method").as_deref(), Some("POST"));
        assert_eq!(get_str(&journal[0], "path").as_deref(), Some("/api/v2"), "the key is never in the URL");
        assert_eq!(js_sys::Array::from(&get(&journal[0], "query")).length(), 0, "no query string");
        let content_type = get_str(&journal[0], "content_type").unwrap_or_default();
        assert!(content_type.starts_with("application/x-www-form-urlencoded"), "{content_type}");
        // A CORS simple request: nothing but what the browser itself adds (Firefox adds the
        // RFC 9218 `priority` header to every fetch; a page cannot set it, so no preflight).
        for header in js_sys::Array::from(&get(&journal[0], "headers")).iter() {
            let name = header.as_string().unwrap_or_default().to_ascii_lowercase();
            let browser_added = [
                "host",
                "connection",
                "content-length",
                "content-type",
                "origin",
                "referer",
                "user-agent",
                "accept",
                "accept-encoding",
                "accept-language",
                "priority",
            ]
            .contains(&name.as_str())
                || name.starts_with("sec-");
            assert!(browser_added, "{}: unexpected header {name}", sim.dialect);
        }
    }
}

#[wasm_bindgen_test]
async fn add_order_sends_exact_fields_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("50").await;
        let client = sim.client(&key);
        let link = format!("{LINK}-{}", sim.dialect);

        let normal = ok(client.add_order(parse(&format!(r#"{{"service":101,"link":"{link}","quantity":100}}"#)), None)).await;
        assert_eq!(get_str(&normal, "type").as_deref(), Some("normal"), "{}", sim.dialect);
        assert!(order_json(&normal) > 0);

        let drip_link = format!("{link}-drip");
        let drip =
            ok(client.add_order(parse(&format!(r#"{{"service":101,"link":"{drip_link}","quantity":100,"runs":3,"interval":30}}"#)), None))
                .await;
        assert_eq!(get_str(&drip, "type").as_deref(), Some("dripfeed"), "{}", sim.dialect);

        let adds = sim.journal_of(&key, "add").await;
        assert_eq!(adds.len(), 2, "{}: exactly one add per addOrder", sim.dialect);
        assert_eq!(fields_after_key(&adds[0]), pairs(&[("action", "add"), ("service", "101"), ("link", &link), ("quantity", "100")]));
        // Both spellings of the interval: Perfect Panel reads `interval`, the seed's panel `intervals`.
        assert_eq!(
            fields_after_key(&adds[1]),
            pairs(&[
                ("action", "add"),
                ("service", "101"),
                ("link", &drip_link),
                ("quantity", "100"),
                ("runs", "3"),
                ("interval", "30"),
                ("intervals", "30")
            ])
        );
        for entry in &adds {
            assert_eq!(get(entry, "processed").as_bool(), Some(true), "{}: the panel accepted the order", sim.dialect);
        }
        // 0.90 per 1000 × 100 = 0.09, and the drip-feed order × 3 runs = 0.27: 50 − 0.36.
        let balance = ok(client.balance(None)).await;
        assert_eq!(get_str(&balance, "balance").as_deref(), Some(money(&sim, "49.64000", "49.64").as_str()), "{}", sim.dialect);
    }
}

#[wasm_bindgen_test]
async fn order_status_single_and_many_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("50").await;
        let client = sim.client(&key);
        let first = place(&sim, &key, 101, 100, &format!("{LINK}-status-a-{}", sim.dialect)).await;
        let second = place(&sim, &key, 102, 1000, &format!("{LINK}-status-b-{}", sim.dialect)).await;

        let status = ok(client.order_status(JsValue::from(first as f64), None)).await;
        let remains = if sim.dialect == "smartpanel" { "null" } else { "100" };
        assert_json(
            &status,
            &format!(
                r#"{{"charge":"{}","start_count":0,"status":"Pending","remains":{remains},"currency":"USD"}}"#,
                money(&sim, "0.09000", "0.09")
            ),
            sim.dialect,
        );

        let unknown = 999_999_999u64;
        let ids = parse(&format!("[{first},{unknown},{first},{second}]"));
        let many = ok(client.order_status_many(ids, None)).await;
        let second_remains = if sim.dialect == "smartpanel" { "null" } else { "1000" };
        assert_json(
            &many,
            &format!(
                r#"[{{"order":{first},"charge":"{c1}","start_count":0,"status":"Pending","remains":{remains},"currency":"USD"}},
                   {{"order":{unknown},"error":"Incorrect order ID"}},
                   {{"order":{first},"charge":"{c1}","start_count":0,"status":"Pending","remains":{remains},"currency":"USD"}},
                   {{"order":{second},"charge":"{c2}","start_count":0,"status":"Pending","remains":{second_remains},"currency":"USD"}}]"#,
                c1 = money(&sim, "0.09000", "0.09"),
                c2 = money(&sim, "0.27819", "0.27819"),
            ),
            sim.dialect,
        );
        let statuses = sim.journal_of(&key, "status").await;
        assert_eq!(statuses.len(), 2);
        assert_eq!(fields_after_key(&statuses[0]), pairs(&[("action", "status"), ("order", &first.to_string())]));
        assert_eq!(
            fields_after_key(&statuses[1]),
            pairs(&[("action", "status"), ("orders", &format!("{first},{unknown},{second}"))]),
            "{}: repeated IDs are asked once, in first-seen order",
            sim.dialect
        );

        // An unknown single order is an api error in every dialect (laravel answers it with 404).
        let missing = rejected(client.order_status(JsValue::from(unknown as f64), None), &key).await;
        assert_eq!((missing.code.as_str(), missing.delivery.as_str()), ("api", "received"), "{}", sim.dialect);
        assert_eq!(missing.api_message.as_deref(), Some("Incorrect order ID"));
        assert_eq!(missing.action.as_deref(), Some("status"));
    }
}

#[wasm_bindgen_test]
async fn orders_progress_as_the_clock_advances() {
    let sim = perfect();
    let key = sim.account("50").await;
    let client = sim.client(&key);
    let order = place(&sim, &key, 101, 1000, &format!("{LINK}-progress")).await;
    sim.advance_clock(180).await;
    let moving = ok(client.order_status(JsValue::from(order as f64), None)).await;
    assert_eq!(get_str(&moving, "status").as_deref(), Some("In progress"));
    let remains = get_f64(&moving, "remains").expect("remains is a number");
    assert!(remains > 0.0 && remains < 1000.0, "remains moved: {remains}");
    assert!(get_f64(&moving, "start_count").is_some());
    sim.advance_clock(3600).await;
    let done = ok(client.order_status(JsValue::from(order as f64), None)).await;
    assert_eq!(get_str(&done, "status").as_deref(), Some("Completed"));
    assert_eq!(get_f64(&done, "remains"), Some(0.0));
}

#[wasm_bindgen_test]
async fn dripfeed_status_single_and_many_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("50").await;
        let client = sim.client(&key);
        let drip = order_json(
            &ok(client.add_order(
                parse(&format!(r#"{{"service":101,"link":"{LINK}-df-{}","quantity":100,"runs":2,"interval":10}}"#, sim.dialect)),
                None,
            ))
            .await,
        );
        sim.advance_clock(60).await;
        let status = ok(client.dripfeed_status(JsValue::from(drip as f64), None)).await;
        assert_eq!(get_str(&status, "status").as_deref(), Some("Active"), "{}: {}", sim.dialect, stringify(&status));
        let children = js_sys::Array::from(&get(&status, "orders"));
        assert_eq!(children.length(), 1, "{}: the first run started", sim.dialect);
        assert!(children.get(0).as_f64().is_some_and(|id| id > 0.0));

        let many = ok(client.dripfeed_status_many(parse(&format!("[{drip},999999999]")), None)).await;
        let items = js_sys::Array::from(&many);
        assert_eq!(items.length(), 2);
        assert_eq!(id_of(&items.get(0), "order"), drip);
        assert_eq!(get_str(&items.get(0), "status").as_deref(), Some("Active"));
        assert_json(&items.get(1), r#"{"order":999999999,"error":"Incorrect order ID"}"#, sim.dialect);

        let statuses = sim.journal_of(&key, "status").await;
        assert_eq!(fields_after_key(&statuses[0]), pairs(&[("action", "status"), ("order", &drip.to_string()), ("type", "dripfeed")]));
        assert_eq!(
            fields_after_key(&statuses[1]),
            pairs(&[("action", "status"), ("orders", &format!("{drip},999999999")), ("type", "dripfeed")])
        );
    }
}

#[wasm_bindgen_test]
async fn refill_and_refill_status_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("50").await;
        let client = sim.client(&key);
        let first = place(&sim, &key, 101, 100, &format!("{LINK}-refill-a-{}", sim.dialect)).await;
        let second = place(&sim, &key, 101, 100, &format!("{LINK}-refill-b-{}", sim.dialect)).await;
        let third = place(&sim, &key, 101, 100, &format!("{LINK}-refill-c-{}", sim.dialect)).await;
        sim.advance_clock(7200).await;

        let refill = ok(client.refill(JsValue::from(first as f64), None)).await;
        assert_eq!(id_of(&refill, "order"), first, "{}: {}", sim.dialect, stringify(&refill));
        let refill_id = id_of(&refill, "refill");

        let many = ok(client.refill_many(parse(&format!("[{second},999999999,{third}]")), None)).await;
        let items = js_sys::Array::from(&many);
        assert_eq!(items.length(), 3, "{}", sim.dialect);
        assert_eq!(id_of(&items.get(0), "order"), second);
        assert!(id_of(&items.get(0), "refill") > refill_id);
        assert_json(&items.get(1), r#"{"order":999999999,"error":"Incorrect order ID"}"#, sim.dialect);
        assert_eq!(id_of(&items.get(2), "order"), third);

        let status = ok(client.refill_status(JsValue::from(refill_id as f64), None)).await;
        assert_json(&status, &format!(r#"{{"refill":{refill_id},"status":"Pending"}}"#), sim.dialect);
        let statuses = ok(client.refill_status_many(parse(&format!("[{refill_id},999999999]")), None)).await;
        assert_json(
            &statuses,
            &format!(r#"[{{"refill":{refill_id},"status":"Pending"}},{{"refill":999999999,"error":"Refill not found"}}]"#),
            sim.dialect,
        );

        let refills = sim.journal_of(&key, "refill").await;
        assert_eq!(fields_after_key(&refills[0]), pairs(&[("action", "refill"), ("order", &first.to_string())]));
        assert_eq!(fields_after_key(&refills[1]), pairs(&[("action", "refill"), ("orders", &format!("{second},999999999,{third}"))]));
        let refill_statuses = sim.journal_of(&key, "refill_status").await;
        assert_eq!(fields_after_key(&refill_statuses[0]), pairs(&[("action", "refill_status"), ("refill", &refill_id.to_string())]));
        assert_eq!(
            fields_after_key(&refill_statuses[1]),
            pairs(&[("action", "refill_status"), ("refills", &format!("{refill_id},999999999"))])
        );
    }
}

#[wasm_bindgen_test]
async fn cancel_single_and_many_in_every_dialect() {
    for sim in dialects() {
        let key = sim.account("50").await;
        let client = sim.client(&key);
        let first = place(&sim, &key, 101, 100, &format!("{LINK}-cancel-a-{}", sim.dialect)).await;
        let second = place(&sim, &key, 101, 100, &format!("{LINK}-cancel-b-{}", sim.dialect)).await;

        let cancel = ok(client.cancel(JsValue::from(first as f64), None)).await;
        assert_json(&cancel, &format!(r#"{{"order":{first},"cancel":1}}"#), sim.dialect);
        let many = ok(client.cancel_many(parse(&format!("[999999999,{second}]")), None)).await;
        assert_json(
            &many,
            &format!(r#"[{{"order":999999999,"error":"Incorrect order ID"}},{{"order":{second},"cancel":1}}]"#),
            sim.dialect,
        );
        let cancels = sim.journal_of(&key, "cancel").await;
        assert_eq!(fields_after_key(&cancels[0]), pairs(&[("action", "cancel"), ("order", &first.to_string())]));
        assert_eq!(fields_after_key(&cancels[1]), pairs(&[("action", "cancel"), ("orders", &format!("999999999,{second}"))]));

        // Service 102 cannot be canceled: the panel's refusal is an api error, sent once.
        let fixed = place(&sim, &key, 102, 100, &format!("{LINK}-cancel-c-{}", sim.dialect)).await;
        let refused = rejected(client.cancel(JsValue::from(fixed as f64), None), &key).await;
        assert_eq!((refused.code.as_str(), refused.delivery.as_str()), ("api", "received"), "{}", sim.dialect);
        assert_eq!(refused.action.as_deref(), Some("cancel"));
    }
}

#[wasm_bindgen_test]
async fn panel_errors_are_api_errors_in_every_dialect() {
    for sim in dialects() {
        let bad_key = format!("wrong-{}", sim.account("1").await);
        let error = rejected(sim.client(&bad_key).balance(None), &bad_key).await;
        assert_eq!((error.code.as_str(), error.delivery.as_str()), ("api", "received"), "{}", sim.dialect);
        assert_eq!(error.api_message.as_deref(), Some("Invalid API key"));
        assert_eq!(error.action.as_deref(), Some("balance"));
        if sim.dialect == "laravel" {
            assert_eq!(error.status, Some(401.0));
        }

        let key = sim.account("0.01").await;
        let poor =
            rejected(sim.client(&key).add_order(parse(&format!(r#"{{"service":101,"link":"{LINK}-poor","quantity":1000}}"#)), None), &key)
                .await;
        assert_eq!((poor.code.as_str(), poor.delivery.as_str()), ("api", "received"), "{}", sim.dialect);
        assert_eq!(poor.api_message.as_deref(), Some("Not enough funds on balance"));
        assert_eq!(sim.journal_of(&key, "add").await.len(), 1, "an api error is not retried");
    }
}

#[wasm_bindgen_test]
async fn batches_chunk_by_100_with_bounded_concurrency() {
    let sim = perfect();
    let key = sim.account("10").await;
    let (client, stats) = sim.counted_client(&key, r#"{"concurrency":2}"#);
    // 250 distinct IDs plus repeats: 3 requests (100, 100, 50), every input position answered.
    let ids: Vec<String> = (0..250).map(|i| (900_000_000 + i).to_string()).chain(["900000000".into(), "900000249".into()]).collect();
    sim.fault(&format!(r#"{{"fault":"latency","ms":200,"count":3,"key":"{key}"}}"#)).await;
    let answer = ok(client.order_status_many(parse(&format!("[{}]", ids.join(","))), None)).await;
    let items = js_sys::Array::from(&answer);
    assert_eq!(items.length(), 252);
    for (position, item) in items.iter().enumerate() {
        assert_eq!(id_of(&item, "order").to_string(), ids[position], "input order kept");
        assert_eq!(get_str(&item, "error").as_deref(), Some("Incorrect order ID"));
    }
    let requests = sim.journal_of(&key, "status").await;
    let sizes: Vec<usize> = requests
        .iter()
        .map(|entry| fields_after_key(entry).iter().find(|(n, _)| n == "orders").map_or(0, |(_, v)| v.split(',').count()))
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 250, "each distinct ID asked once: {sizes:?}");
    assert!(sizes.iter().all(|&n| n <= 100) && sizes.len() == 3, "chunks of at most 100: {sizes:?}");
    assert_eq!(stat(&stats, "calls"), 3.0);
    assert_eq!(stat(&stats, "maxInFlight"), 2.0, "at most `concurrency` requests in flight");
}
