//! 1,000 mixed requests from 16 concurrent keep-alive clients: nothing fails that was not
//! injected, and every request is journaled once.

mod common;

use std::time::Instant;

use common::*;
use smm_panel_sim::Dialect;

const CLIENTS: usize = 16;
const TOTAL: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_mixed_requests_from_sixteen_clients() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    for c in 0..CLIENTS {
        let r = control(a, "POST", "/__sim/accounts", &format!("{{\"key\":\"load-{c}\",\"balance\":\"1000\"}}")).await;
        assert_eq!(r.status, 200);
    }
    // The only failures allowed: five rate limits injected for client 3.
    control(a, "POST", "/__sim/faults", r#"{"fault":"rate_limit","count":5,"key":"load-3"}"#).await;

    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let n = TOTAL / CLIENTS + usize::from(c < TOTAL % CLIENTS);
        tasks.push(tokio::spawn(async move {
            let key = format!("load-{c}");
            let mut conn = Conn::open(a).await;
            let mut orders: Vec<String> = Vec::new();
            let mut limited = 0;
            for i in 0..n {
                let body = match i % 6 {
                    0 => form(&[
                        ("key", &key),
                        ("action", "add"),
                        ("service", "101"),
                        ("link", &format!("https://x.com/{c}/{i}")),
                        ("quantity", "100"),
                    ]),
                    1 => form(&[("key", &key), ("action", "status"), ("order", orders.last().map_or("1", String::as_str))]),
                    2 => form(&[("key", &key), ("action", "balance")]),
                    3 => form(&[("key", &key), ("action", "services")]),
                    4 => form(&[("key", &key), ("action", "status"), ("orders", &orders.join(","))]),
                    _ => form(&[("key", &key), ("action", "cancel"), ("order", orders.last().map_or("1", String::as_str))]),
                };
                let r = conn.request(&body).await.unwrap_or_else(|e| panic!("client {c} request {i}: {e}"));
                if r.status == 429 {
                    limited += 1;
                    if i % 6 == 0 {
                        // The add was not processed; the next steps need an order.
                        orders.push("1".into());
                    }
                    continue;
                }
                assert_eq!(r.status, 200, "client {c} request {i}: {}", r.text());
                let v = r.json();
                match i % 6 {
                    0 => orders.push(v["order"].as_u64().unwrap_or_else(|| panic!("add: {v}")).to_string()),
                    1 => assert!(v["status"].is_string() || orders.last().is_some_and(|o| o == "1"), "status: {v}"),
                    2 => assert!(v["balance"].is_string(), "balance: {v}"),
                    3 => assert_eq!(v.as_array().map(Vec::len), Some(42)),
                    4 => assert!(v.as_object().is_some_and(|o| !o.is_empty()), "multi: {v}"),
                    _ => assert!(v == serde_json::json!({"cancel":1}) || orders.last().is_some_and(|o| o == "1"), "cancel: {v}"),
                }
            }
            (n, limited)
        }));
    }
    let mut done = 0;
    let mut limited = 0;
    for t in tasks {
        let (n, l) = t.await.unwrap_or_else(|e| panic!("client task: {e}"));
        done += n;
        limited += l;
    }
    let took = t0.elapsed();
    println!("load: {TOTAL} requests, {CLIENTS} clients, {took:?} ({:.0} req/s)", TOTAL as f64 / took.as_secs_f64());
    assert_eq!(done, TOTAL);
    assert_eq!(limited, 5, "exactly the injected faults");
    let mut journaled = 0;
    for c in 0..CLIENTS {
        let j = control(a, "GET", &format!("/__sim/journal?key=load-{c}"), "").await.json();
        let entries = j.as_array().cloned().unwrap_or_default();
        // One connection per client: no resends.
        let conns: std::collections::BTreeSet<u64> = entries.iter().filter_map(|e| e["conn"].as_u64()).collect();
        assert_eq!(conns.len(), 1, "client {c}");
        journaled += entries.len();
    }
    assert_eq!(journaled, TOTAL);
    srv.stop().await;
}
