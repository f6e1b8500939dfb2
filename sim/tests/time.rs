//! Orders moving with simulated time, and money to the last decimal.

mod common;

use common::*;
use smm_panel_sim::state::{days_from_civil, stable_hash};
use smm_panel_sim::Dialect;

fn status_of(v: &serde_json::Value) -> (String, String, String, String) {
    let s = |k: &str| v[k].as_str().unwrap_or("?").to_string();
    (s("status"), s("start_count"), s("remains"), s("charge"))
}

async fn status(a: std::net::SocketAddr, id: &str) -> (String, String, String, String) {
    status_of(&call(a, "status", &[("order", id)]).await.json())
}

fn t(s: &str, sc: u64, r: u64, c: &str) -> (String, String, String, String) {
    (s.to_string(), sc.to_string(), r.to_string(), c.to_string())
}

#[tokio::test]
async fn an_order_moves_from_pending_to_completed() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let link = "https://instagram.com/p/progress";
    let sc = 100 + stable_hash(link) % 9900;
    // Service 101: 120 s in Pending, then 100 units per minute.
    assert_eq!(call_text(a, "add", &[("service", "101"), ("link", link), ("quantity", "1000")]).await, "{\"order\":23501}");
    assert_eq!(status(a, "23501").await, t("Pending", 0, 1000, "0.90000"));
    advance(a, 119).await;
    assert_eq!(status(a, "23501").await, t("Pending", 0, 1000, "0.90000"));
    advance(a, 1).await;
    assert_eq!(status(a, "23501").await, t("In progress", sc, 1000, "0.90000"));
    advance(a, 60).await;
    assert_eq!(status(a, "23501").await, t("In progress", sc, 900, "0.90000"));
    advance(a, 270).await;
    assert_eq!(status(a, "23501").await, t("In progress", sc, 450, "0.90000"));
    advance(a, 269).await;
    assert_eq!(status(a, "23501").await, t("In progress", sc, 2, "0.90000"));
    advance(a, 1).await;
    assert_eq!(status(a, "23501").await, t("Completed", sc, 0, "0.90000"));
    assert_eq!(balance(a).await, "99.10000");
    srv.stop().await;
}

#[tokio::test]
async fn orders_ending_in_7_end_partial_with_a_refund() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    for i in 1..=7 {
        let link = format!("https://instagram.com/p/{i}");
        let r = call(a, "add", &[("service", "101"), ("link", &link), ("quantity", "1000")]).await;
        assert_eq!(r.text(), format!("{{\"order\":{}}}", 23500 + i));
    }
    assert_eq!(balance(a).await, "93.70000");
    advance(a, 120 + 480).await;
    // 800 of 1000 delivered: the partial order stops there.
    let s = status(a, "23507").await;
    assert_eq!((s.0.as_str(), s.2.as_str(), s.3.as_str()), ("Partial", "200", "0.72000"));
    let s = status(a, "23506").await;
    assert_eq!((s.0.as_str(), s.2.as_str()), ("In progress", "200"));
    // The refund is 0.90 × 200 / 1000 = 0.18, booked once however often we look.
    assert_eq!(balance(a).await, "93.88000");
    advance(a, 3600).await;
    assert_eq!(status(a, "23507").await.0, "Partial");
    assert_eq!(status(a, "23506").await.0, "Completed");
    assert_eq!(balance(a).await, "93.88000");
    srv.stop().await;
}

#[tokio::test]
async fn money_is_exact_to_the_last_decimal() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    // 0.27819 × 1234 / 1000 = 0.34328646 exactly (a float would print 0.34328645999999997).
    call(a, "add", &[("service", "102"), ("link", "https://x.com/m1"), ("quantity", "1234")]).await;
    assert_eq!(balance(a).await, "99.65671354");
    // 0.0095 × 1001 / 1000 = 0.0095095
    call(a, "add", &[("service", "203"), ("link", "https://x.com/m2"), ("quantity", "1001")]).await;
    assert_eq!(balance(a).await, "99.64720404");
    // 6.2125 × 333 / 1000 × 3 runs = 6.2062875
    call(a, "add", &[("service", "501"), ("link", "https://x.com/m3"), ("quantity", "333"), ("runs", "3"), ("interval", "60")]).await;
    assert_eq!(balance(a).await, "93.44091654");
    let r = api(a, &[("key", KEY), ("action", "balance")]).await;
    assert_eq!(r.text(), "{\"balance\":\"93.44091654\",\"currency\":\"USD\"}");
    // Exactly the balance left is still enough; a hair more is not.
    control(a, "POST", "/__sim/accounts", &format!("{{\"key\":\"{KEY}\",\"balance\":\"0.34328646\"}}")).await;
    let r = call(a, "add", &[("service", "102"), ("link", "https://x.com/m4"), ("quantity", "1235")]).await;
    assert_eq!(r.text(), "{\"error\":\"Not enough funds on balance\"}");
    let r = call(a, "add", &[("service", "102"), ("link", "https://x.com/m4"), ("quantity", "1234")]).await;
    assert_eq!(r.text(), "{\"order\":23505}", "23503 is the drip-feed, 23504 its first run");
    assert_eq!(balance(a).await, "0.00000");
    srv.stop().await;
}

#[tokio::test]
async fn drip_feed_creates_runs_as_time_passes() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let r =
        call(a, "add", &[("service", "101"), ("link", "https://x.com/drip"), ("quantity", "100"), ("runs", "3"), ("interval", "10")]).await;
    assert_eq!(r.text(), "{\"order\":23501}");
    assert_eq!(balance(a).await, "99.73000");
    let drip = |a| async move { call(a, "status", &[("order", "23501"), ("type", "dripfeed")]).await.text() };
    assert_eq!(drip(a).await, r#"{"status":"Active","orders":[23502],"runs":"3","interval":"10"}"#);
    // A drip-feed order is not a normal order, and a normal one is not a drip-feed.
    assert_eq!(call_text(a, "status", &[("order", "23501")]).await, "{\"error\":\"Incorrect order ID\"}");
    assert_eq!(call_text(a, "status", &[("order", "23502"), ("type", "dripfeed")]).await, "{\"error\":\"Incorrect order ID\"}");
    // The active runs block another order on the same link.
    let dup = call_text(a, "add", &[("service", "101"), ("link", "https://x.com/drip"), ("quantity", "100")]).await;
    assert!(dup.contains("active order with this link"), "{dup}");
    advance(a, 599).await;
    assert_eq!(drip(a).await, r#"{"status":"Active","orders":[23502],"runs":"3","interval":"10"}"#);
    advance(a, 1).await;
    assert_eq!(drip(a).await, r#"{"status":"Active","orders":[23502,23503],"runs":"3","interval":"10"}"#);
    // Two runs due in one jump get IDs in time order.
    advance(a, 600).await;
    assert_eq!(drip(a).await, r#"{"status":"Active","orders":[23502,23503,23504],"runs":"3","interval":"10"}"#);
    let child = status(a, "23504").await;
    assert_eq!((child.0.as_str(), child.3.as_str()), ("Pending", "0.09000"));
    advance(a, 180).await;
    assert_eq!(drip(a).await, r#"{"status":"Completed","orders":[23502,23503,23504],"runs":"3","interval":"10"}"#);
    assert_eq!(balance(a).await, "99.73000", "children are prepaid by the parent");
    let multi = call_text(a, "status", &[("orders", "23501,23502"), ("type", "dripfeed")]).await;
    assert_eq!(
        multi,
        r#"{"23501":{"status":"Completed","orders":[23502,23503,23504],"runs":"3","interval":"10"},"23502":{"error":"Incorrect order ID"}}"#
    );
    srv.stop().await;
}

#[tokio::test]
async fn canceling_a_drip_feed_refunds_the_runs_not_started() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    call(a, "add", &[("service", "101"), ("link", "https://x.com/dc"), ("quantity", "100"), ("runs", "4"), ("interval", "30")]).await;
    assert_eq!(balance(a).await, "99.64000");
    assert_eq!(call_text(a, "cancel", &[("order", "23501")]).await, "{\"cancel\":1}");
    assert_eq!(balance(a).await, "99.91000");
    advance(a, 7200).await;
    assert_eq!(
        call_text(a, "status", &[("order", "23501"), ("type", "dripfeed")]).await,
        r#"{"status":"Canceled","orders":[23502],"runs":"4","interval":"30"}"#
    );
    srv.stop().await;
}

#[tokio::test]
async fn canceling_in_progress_ends_partial() {
    let srv = server(Dialect::SmartPanel).await;
    let a = srv.addr;
    call(a, "add", &[("service", "101"), ("link", "https://x.com/c"), ("quantity", "1000")]).await;
    advance(a, 120 + 150).await; // 250 delivered
    assert_eq!(call_text(a, "cancel", &[("order", "23501")]).await, "{\"cancel\":1}");
    let sc = 100 + stable_hash("https://x.com/c") % 9900;
    assert_eq!(
        call_text(a, "status", &[("order", "23501")]).await,
        format!("{{\"charge\":0.22500,\"start_count\":{sc},\"status\":\"Partial\",\"remains\":750,\"currency\":\"USD\"}}")
    );
    // 0.90 − 0.675 refunded
    assert_eq!(balance(a).await, "99.77500");
    assert_eq!(call_text(a, "cancel", &[("order", "23501")]).await, "{\"error\":\"This order cannot be canceled\"}");
    srv.stop().await;
}

#[tokio::test]
async fn refills_progress_and_some_are_rejected() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    for i in 0..9 {
        call(a, "add", &[("service", "101"), ("link", &format!("https://x.com/r{i}")), ("quantity", "100")]).await;
    }
    let r = call_text(a, "refill", &[("order", "23501")]).await;
    assert_eq!(r, "{\"error\":\"Order is not completed yet\"}");
    advance(a, 300).await;
    let ids: Vec<String> = (23501..=23509).map(|i| i.to_string()).collect();
    let r = call(a, "refill", &[("orders", &ids.join(","))]).await.json();
    let got: Vec<u64> = r.as_array().map(|a| a.iter().filter_map(|x| x["refill"].as_u64()).collect()).unwrap_or_default();
    assert_eq!(got, (1..=9).collect::<Vec<u64>>());
    let rs = |a| async move { call_text(a, "refill_status", &[("refills", "1,9")]).await };
    assert_eq!(rs(a).await, r#"[{"refill":1,"status":"Pending"},{"refill":9,"status":"Pending"}]"#);
    advance(a, 60).await;
    assert_eq!(rs(a).await, r#"[{"refill":1,"status":"In progress"},{"refill":9,"status":"In progress"}]"#);
    advance(a, 540).await;
    assert_eq!(rs(a).await, r#"[{"refill":1,"status":"Completed"},{"refill":9,"status":"Rejected"}]"#);
    // Once the first refill is done, another may be asked for.
    assert_eq!(call_text(a, "refill", &[("order", "23501")]).await, "{\"refill\":\"10\"}");
    srv.stop().await;
}

#[tokio::test]
async fn clock_speed_runs_simulated_time() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let r = control(a, "POST", "/__sim/clock", r#"{"speed":600}"#).await.json();
    assert_eq!(r["speed"], 600);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let r = control(a, "POST", "/__sim/clock", r#"{"speed":0}"#).await.json();
    let sim = r["sim_time"].as_f64().unwrap_or(0.0);
    assert!((170.0..=400.0).contains(&sim), "300 ms at ×600 ≈ 180 s, got {sim}");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let again = control(a, "GET", "/__sim/clock", "").await.json()["sim_time"].as_f64().unwrap_or(-1.0);
    assert_eq!(again, sim, "speed 0 freezes the clock");
    srv.stop().await;
}

#[tokio::test]
async fn subscriptions_expire_on_their_date() {
    // Simulated time 0 is 2030-01-01 00:00 UTC.
    let epoch = days_from_civil(2030, 1, 1) * 86_400;
    let srv = server_with(|c| c.epoch_unix = Some(epoch)).await;
    let a = srv.addr;
    let add = |exp: &'static str| async move {
        call_text(a, "add", &[("service", "115"), ("username", "nasa"), ("min", "100"), ("max", "200"), ("expiry", exp)]).await
    };
    assert_eq!(add("31/12/2029").await, "{\"error\":\"Incorrect expiry date\"}");
    assert_eq!(add("02/01/2030").await, "{\"order\":23501}");
    advance(a, 86_400 * 2 - 1).await;
    assert_eq!(status(a, "23501").await.0, "Active");
    advance(a, 1).await;
    assert_eq!(status(a, "23501").await.0, "Expired");
    srv.stop().await;
}
