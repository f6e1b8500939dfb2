//! Every fault, checked on the socket.

mod common;

use std::time::{Duration, Instant};

use common::*;
use smm_panel_sim::faults::{CLOUDFLARE_PAGE, PHP_ERROR_BLOCK, PHP_NOTICE};
use smm_panel_sim::Dialect;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BALANCE: &str = "{\"balance\":\"100.00000\",\"currency\":\"USD\"}";

async fn fault(a: std::net::SocketAddr, json: &str) {
    let r = control(a, "POST", "/__sim/faults", json).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

fn add_form(link: &str) -> String {
    form(&[("key", KEY), ("action", "add"), ("service", "101"), ("link", link), ("quantity", "100")])
}

fn post_bytes(body: &str) -> Vec<u8> {
    format!("POST /api/v2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

async fn last_entry(a: std::net::SocketAddr) -> serde_json::Value {
    let j = control(a, "GET", "/__sim/journal", "").await.json();
    j.as_array().and_then(|v| v.last().cloned()).unwrap_or_default()
}

async fn order_exists(a: std::net::SocketAddr, id: u64) -> bool {
    control(a, "GET", &format!("/__sim/orders/{id}"), "").await.status == 200
}

#[tokio::test]
async fn latency_delays_a_normal_answer() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"latency","ms":300}"#).await;
    let t0 = Instant::now();
    let r = call(a, "balance", &[]).await;
    assert!(t0.elapsed() >= Duration::from_millis(300), "{:?}", t0.elapsed());
    assert_eq!((r.status, r.text().as_str()), (200, BALANCE));
    let t0 = Instant::now();
    call(a, "balance", &[]).await;
    assert!(t0.elapsed() < Duration::from_millis(250), "count 1 is used up");
    srv.stop().await;
}

#[tokio::test]
async fn status_html_redirect_and_rate_limit_do_not_process_by_default() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"status","status":502}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/1"), ("quantity", "100")]).await;
    assert_eq!((r.status, r.body.len()), (502, 0));
    fault(a, r#"{"fault":"status","status":500,"body":"{\"error\":\"Server error\"}"}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!(
        (r.status, r.text().as_str(), r.header("content-type")),
        (500, "{\"error\":\"Server error\"}", Some("application/json; charset=utf-8"))
    );

    fault(a, r#"{"fault":"html"}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/1"), ("quantity", "100")]).await;
    assert_eq!((r.status, r.header("content-type")), (503, Some("text/html; charset=UTF-8")));
    assert_eq!(r.text(), CLOUDFLARE_PAGE);
    assert_eq!(r.header("server"), Some("cloudflare"));
    assert!(r.text().contains("<title>Just a moment...</title>"));

    fault(a, r#"{"fault":"redirect"}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/1"), ("quantity", "100")]).await;
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some(format!("http://localhost:{}/api/v2", a.port()).as_str()));
    fault(a, r#"{"fault":"redirect","status":307,"location":"https://www.example.test/api/v2"}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!((r.status, r.header("location")), (307, Some("https://www.example.test/api/v2")));

    fault(a, r#"{"fault":"rate_limit","retry_after":7}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/1"), ("quantity", "100")]).await;
    assert_eq!((r.status, r.header("retry-after"), r.text().as_str()), (429, Some("7"), "{\"error\":\"Rate limit exceeded. Slow down.\"}"));
    fault(a, r#"{"fault":"rate_limit","retry_after":null,"status":200}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!((r.status, r.header("retry-after")), (200, None));

    // None of the faulted adds was placed; the journal says so.
    assert_eq!(balance(a).await, "100.00000");
    assert!(!order_exists(a, 23501).await);
    let j = control(a, "GET", "/__sim/journal?action=add", "").await.json();
    let seen: Vec<(String, bool, u64)> = j
        .as_array()
        .map(|v| {
            v.iter()
                .map(|e| (e["fault"].as_str().unwrap_or("").to_string(), e["processed"] == true, e["status"].as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        seen,
        vec![
            ("status".into(), false, 502),
            ("html".into(), false, 503),
            ("redirect".into(), false, 301),
            ("rate_limit".into(), false, 429)
        ]
    );
    srv.stop().await;
}

#[tokio::test]
async fn body_mangling_faults_process_and_mangle() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"malformed_json"}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/1"), ("quantity", "100")]).await;
    assert_eq!(r.status, 200);
    assert!("{\"order\":23501}".starts_with(&r.text()) && !r.body.is_empty(), "{}", r.text());
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert!(order_exists(a, 23501).await, "malformed_json processes by default");

    fault(a, r#"{"fault":"empty"}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/2"), ("quantity", "100")]).await;
    assert_eq!((r.status, r.header("content-length"), r.body.len()), (200, Some("0"), 0));
    assert!(order_exists(a, 23502).await);

    fault(a, r#"{"fault":"bom"}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!(&r.body[..3], &[0xEF, 0xBB, 0xBF]);
    assert_eq!(String::from_utf8_lossy(&r.body[3..]), "{\"balance\":\"99.82000\",\"currency\":\"USD\"}");

    fault(a, r#"{"fault":"php_notice"}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!(r.text(), format!("{PHP_NOTICE}{{\"balance\":\"99.82000\",\"currency\":\"USD\"}}"));
    assert!(r.text().starts_with("<br />\n<b>Notice</b>:  Undefined index:"));

    // CodeIgniter's block before the JSON of an add that was processed.
    fault(a, r#"{"fault":"php_error_block"}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/block"), ("quantity", "100")]).await;
    assert_eq!(r.text(), format!("{PHP_ERROR_BLOCK}{{\"order\":23503}}"));
    assert!(r.text().contains("<h4>A PHP Error was encountered</h4>") && r.text().contains("<p>Severity: 8192</p>"));
    assert_eq!(r.header("content-type"), Some("text/html; charset=UTF-8"));
    assert!(order_exists(a, 23503).await);

    // process:false still shows what the panel would have answered, but changes nothing.
    fault(a, r#"{"fault":"bom","process":false}"#).await;
    let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/3"), ("quantity", "100")]).await;
    assert_eq!(String::from_utf8_lossy(&r.body[3..]), "{\"order\":23504}");
    assert!(!order_exists(a, 23504).await);
    assert_eq!(last_entry(a).await["processed"], false);
    srv.stop().await;
}

#[tokio::test]
async fn close_answers_nothing_but_the_order_is_placed() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"close","action":"add"}"#).await;
    let got = raw_exchange(a, &post_bytes(&add_form("https://x.com/c"))).await;
    assert_eq!(got.map(|b| b.len()).ok(), Some(0), "no byte of answer");
    assert!(order_exists(a, 23501).await);
    let e = last_entry(a).await;
    assert_eq!((e["fault"].as_str(), e["processed"].as_bool(), e["status"].is_null()), (Some("close"), Some(true), true));
    // With process:false nothing happens at all.
    fault(a, r#"{"fault":"close","process":false}"#).await;
    let got = raw_exchange(a, &post_bytes(&add_form("https://x.com/d"))).await;
    assert_eq!(got.map(|b| b.len()).ok(), Some(0));
    assert!(!order_exists(a, 23502).await);
    srv.stop().await;
}

#[tokio::test]
async fn close_on_a_reused_keep_alive_connection() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let mut conn = Conn::open(a).await;
    let body = form(&[("key", KEY), ("action", "balance")]);
    let first = conn.request(&body).await.map(|r| r.text());
    assert_eq!(first.ok().as_deref(), Some(BALANCE));
    fault(a, r#"{"fault":"close"}"#).await;
    let second = conn.request(&body).await;
    assert!(second.is_err(), "the reused connection closes before any answer byte");
    let j = control(a, "GET", &format!("/__sim/journal?key={KEY}"), "").await.json();
    let conns: Vec<u64> = j.as_array().map(|v| v.iter().filter_map(|e| e["conn"].as_u64()).collect()).unwrap_or_default();
    assert_eq!(conns.len(), 2);
    assert_eq!(conns[0], conns[1], "both requests came on one connection");
    srv.stop().await;
}

#[tokio::test]
async fn reset_mid_body_sends_part_then_resets() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"reset_mid_body"}"#).await;
    let mut s = TcpStream::connect(a).await.unwrap_or_else(|e| panic!("{e}"));
    s.write_all(&post_bytes(&add_form("https://x.com/r"))).await.unwrap_or_else(|e| panic!("{e}"));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        match s.read(&mut buf).await {
            Ok(0) => break None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => break Some(e.kind()),
        }
    };
    assert_eq!(end, Some(std::io::ErrorKind::ConnectionReset), "got {:?}", String::from_utf8_lossy(&got));
    let r = parse_response(&got);
    assert_eq!((r.status, r.header("content-length")), (200, Some("15")));
    assert_eq!(r.text(), "{\"order", "7 of the 15 bytes of {{\"order\":23501}}");
    assert!(order_exists(a, 23501).await);
    fault(a, r#"{"fault":"reset_mid_body","bytes":3}"#).await;
    let mut s = TcpStream::connect(a).await.unwrap_or_else(|e| panic!("{e}"));
    s.write_all(&post_bytes(&form(&[("key", KEY), ("action", "balance")]))).await.unwrap_or_else(|e| panic!("{e}"));
    let mut got = Vec::new();
    while let Ok(n) = s.read(&mut buf).await {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(parse_response(&got).text(), "{\"b");
    srv.stop().await;
}

#[tokio::test]
async fn huge_body_streams_fifty_megabytes() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"huge_body","action":"services"}"#).await;
    let mut s = TcpStream::connect(a).await.unwrap_or_else(|e| panic!("{e}"));
    s.write_all(&post_bytes(&form(&[("key", KEY), ("action", "services")]))).await.unwrap_or_else(|e| panic!("{e}"));
    let mut head = Vec::new();
    let mut total = 0usize;
    let mut tail = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = s.read(&mut buf).await.unwrap_or_else(|e| panic!("{e}"));
        if n == 0 {
            break;
        }
        if head.is_empty() || !head.windows(4).any(|w| w == b"\r\n\r\n") {
            head.extend_from_slice(&buf[..n]);
            if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                total += head.len() - i - 4;
                head.truncate(i + 4);
            }
        } else {
            total += n;
        }
        tail.extend_from_slice(&buf[..n]);
        if tail.len() > 16 {
            tail.drain(..tail.len() - 16);
        }
    }
    let r = parse_response(&head);
    assert_eq!((r.status, r.header("content-length")), (200, Some("52428800")));
    assert_eq!(total, 52_428_800);
    assert!(tail.ends_with(b"xxx\"}"));
    // Not processed by default, and a smaller size can be asked for.
    fault(a, r#"{"fault":"huge_body","size":1000}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!(r.body.len(), 1000);
    assert!(r.text().starts_with("{\"padding\":\"xxx"));
    srv.stop().await;
}

#[tokio::test]
async fn slow_drip_sends_one_byte_at_a_time() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    fault(a, r#"{"fault":"slow_drip","interval_ms":15}"#).await;
    let t0 = Instant::now();
    let r = call(a, "balance", &[]).await;
    let took = t0.elapsed();
    assert_eq!(r.text(), BALANCE);
    let min = Duration::from_millis(15 * BALANCE.len() as u64 * 9 / 10);
    assert!(took >= min, "{took:?} < {min:?}");
    srv.stop().await;
}

#[tokio::test]
async fn rules_match_by_count_action_and_key_in_order() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    control(a, "POST", "/__sim/accounts", r#"{"key":"other-key","balance":"1"}"#).await;
    let set = control(
        a,
        "POST",
        "/__sim/faults",
        r#"[{"fault":"rate_limit","count":2,"action":"balance","key":"other-key"},{"fault":"empty","action":"services"}]"#,
    )
    .await;
    assert_eq!(
        set.text(),
        r#"[{"id":1,"fault":"rate_limit","remaining":2,"action":"balance","key":"****ey","process":false,"status":429,"retry_after":1},{"id":2,"fault":"empty","remaining":1,"action":"services","key":null,"process":true}]"#
    );
    // Another key and another action pass untouched.
    assert_eq!(call(a, "balance", &[]).await.status, 200);
    let other = |a| async move { api(a, &[("key", "other-key"), ("action", "balance")]).await.status };
    assert_eq!(other(a).await, 429);
    assert_eq!(other(a).await, 429);
    assert_eq!(other(a).await, 200);
    let listed = control(a, "GET", "/__sim/faults", "").await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(control(a, "DELETE", "/__sim/faults", "").await.status, 200);
    assert!(call(a, "services", &[]).await.body.len() > 100, "cleared rules no longer apply");
    let bad = control(a, "POST", "/__sim/faults", r#"{"fault":"teleport"}"#).await;
    assert_eq!((bad.status, bad.text().as_str()), (400, "{\"error\":\"unknown fault \\\"teleport\\\"\"}"));
    srv.stop().await;
}

#[tokio::test]
async fn rules_with_ids_match_requests_about_one_of_those_orders_or_refills() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let set = control(a, "POST", "/__sim/faults", r#"{"fault":"status","status":500,"count":3,"ids":[150,"7"]}"#).await;
    assert_eq!(
        set.text(),
        r#"[{"id":1,"fault":"status","remaining":3,"action":null,"key":null,"ids":[150,7],"process":false,"status":500,"body":""}]"#
    );
    // A multi request whose list does not hold one of them passes; one that does is faulted,
    // whatever the action and the field (orders, order, refills).
    let ok = call(a, "status", &[("orders", "1,15,1500")]).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(call(a, "status", &[("orders", "149, 150,151")]).await.status, 500);
    assert_eq!(call(a, "refill", &[("order", "150")]).await.status, 500);
    assert_eq!(call(a, "refill_status", &[("refills", "7")]).await.status, 500);
    assert_eq!(call(a, "status", &[("orders", "150")]).await.status, 200, "count used up");
    let entry = last_entry(a).await;
    assert_eq!(entry["fault"], serde_json::Value::Null);
    let bad = control(a, "POST", "/__sim/faults", r#"{"fault":"close","ids":[]}"#).await;
    assert_eq!((bad.status, bad.text().as_str()), (400, "{\"error\":\"field \\\"ids\\\" has the wrong type or range\"}"));
    srv.stop().await;
}

#[tokio::test]
async fn constant_latency_applies_to_every_api_answer() {
    let srv = server_with(|c| c.latency_ms = 150).await;
    let a = srv.addr;
    let t0 = Instant::now();
    assert_eq!(call(a, "balance", &[]).await.text(), BALANCE);
    assert!(t0.elapsed() >= Duration::from_millis(150));
    let t0 = Instant::now();
    control(a, "GET", "/__sim/config", "").await;
    assert!(t0.elapsed() < Duration::from_millis(150), "control answers are not delayed");
    srv.stop().await;
}

/// Latency is counted from the request's arrival: an answer never comes sooner than N ms after
/// the request was sent. (Not on top of processing time either, but that is a matter of a
/// millisecond, for the benchmark to show, not a timed test; the upper bound here only catches a
/// latency applied twice.)
#[tokio::test]
async fn latency_counts_from_arrival() {
    async fn expect_delay(conn: &mut Conn, body: &str, ms: u64, times: usize) {
        for _ in 0..times {
            let t0 = Instant::now();
            let r = conn.request(body).await.unwrap_or_else(|e| panic!("request: {e}"));
            let took = t0.elapsed();
            assert_eq!(r.text(), BALANCE);
            assert!(took >= Duration::from_millis(ms), "too soon: {took:?}");
            assert!(took < Duration::from_millis(2 * ms), "latency applied twice? {took:?}");
        }
    }
    let srv = server_with(|c| c.latency_ms = 60).await;
    let mut conn = Conn::open(srv.addr).await;
    let body = form(&[("key", KEY), ("action", "balance")]);
    expect_delay(&mut conn, &body, 60, 5).await;
    // The latency fault adds to the constant latency, measured from arrival as well.
    fault(srv.addr, r#"{"fault":"latency","ms":45,"count":3}"#).await;
    expect_delay(&mut conn, &body, 105, 3).await;
    srv.stop().await;
}
