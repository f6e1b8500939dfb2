//! Journal, control API, CORS, request encodings, static files, generated catalogs.

mod common;

use std::time::{Duration, Instant};

use common::*;
use smm_panel_sim::Dialect;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn journal_records_requests_as_received() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let body = format!("key={KEY}&note=a%20b+c&action=services");
    let r = send(
        a,
        "POST",
        "/api/v2?action=balance&x=1",
        &[("Content-Type", "application/x-www-form-urlencoded"), ("X-Test", "1")],
        body.as_bytes(),
    )
    .await;
    // The body's action wins over the query's, as PHP's $_REQUEST has it.
    assert_eq!(r.status, 200);
    assert!(r.text().starts_with("[{\"service\":101"));
    let j = control(a, "GET", "/__sim/journal", "").await;
    assert!(!j.text().contains(KEY), "the key is never stored in full");
    let e = &j.json()[0];
    let mut e = e.clone();
    assert!(e["time_ms"].as_u64().unwrap_or(0) > 1_600_000_000_000);
    e["time_ms"] = serde_json::json!(0);
    assert_eq!(
        e,
        serde_json::json!({
            "seq": 1, "conn": e["conn"], "time_ms": 0, "sim_time": 0, "method": "POST", "path": "/api/v2",
            "content_type": "application/x-www-form-urlencoded",
            "headers": ["Host", "Connection", "Content-Type", "X-Test", "Content-Length"],
            "query": [["action", "balance"], ["x", "1"]],
            "body": [["key", "****01"], ["note", "a b c"], ["action", "services"]],
            "action": "services", "fault": null, "processed": true, "status": 200
        })
    );
    srv.stop().await;
}

#[tokio::test]
async fn journal_filters_by_key_and_action_and_clears() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    control(a, "POST", "/__sim/accounts", r#"{"key":"second-key","balance":"3"}"#).await;
    call(a, "balance", &[]).await;
    call(a, "services", &[]).await;
    api(a, &[("key", "second-key"), ("action", "balance")]).await;
    api(a, &[("key", "no-such-key"), ("action", "balance")]).await;
    let count = |path: String| async move { control(a, "GET", &path, "").await.json().as_array().map(Vec::len).unwrap_or(0) };
    assert_eq!(count("/__sim/journal".into()).await, 4);
    assert_eq!(count(format!("/__sim/journal?key={KEY}")).await, 2);
    assert_eq!(count(format!("/__sim/journal?key={KEY}&action=balance")).await, 1);
    assert_eq!(count("/__sim/journal?action=balance".into()).await, 3);
    assert_eq!(count("/__sim/journal?key=second-key".into()).await, 1);
    assert_eq!(count("/__sim/journal?key=no-such-key".into()).await, 1, "unknown keys are journaled too");
    let bad = control(a, "GET", "/__sim/journal?key=no-such-key", "").await.json();
    assert_eq!(bad[0]["status"], 200);
    assert_eq!(bad[0]["body"][0], serde_json::json!(["key", "****ey"]));
    assert_eq!(control(a, "DELETE", "/__sim/journal", "").await.status, 200);
    assert_eq!(count("/__sim/journal".into()).await, 0);
    call(a, "balance", &[]).await;
    let j = control(a, "GET", "/__sim/journal", "").await.json();
    assert_eq!(j[0]["seq"], 5, "sequence numbers keep counting after a clear");
    srv.stop().await;
}

#[tokio::test]
async fn multipart_query_string_and_chunked_bodies() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    // multipart/form-data, comments separated by CRLF
    let b = "----sim7d1";
    let part = |n: &str, v: &str| format!("--{b}\r\nContent-Disposition: form-data; name=\"{n}\"\r\n\r\n{v}\r\n");
    let body = [
        part("key", KEY),
        part("action", "add"),
        part("service", "105"),
        part("link", "https://instagram.com/p/mp"),
        part("comments", "c1\r\nc2\r\nc3\r\nc4\r\nc5"),
        format!("--{b}--\r\n"),
    ]
    .concat();
    let r = send(a, "POST", "/api/v2", &[("Content-Type", &format!("multipart/form-data; boundary={b}"))], body.as_bytes()).await;
    assert_eq!(r.text(), "{\"order\":23501}");
    let o = control(a, "GET", "/__sim/orders/23501", "").await.json();
    assert_eq!((o["quantity"].as_u64(), o["charge"].as_str()), (Some(5), Some("0.06250")));
    let j = control(a, "GET", "/__sim/journal", "").await.json();
    assert_eq!(j[0]["body"][4], serde_json::json!(["comments", "c1\r\nc2\r\nc3\r\nc4\r\nc5"]));
    assert_eq!(j[0]["content_type"], format!("multipart/form-data; boundary={b}"));

    // Everything in the query string, empty body.
    let r = send(a, "POST", &format!("/api/v2?key={KEY}&action=balance"), &[], b"").await;
    assert_eq!(r.text(), "{\"balance\":\"99.93750\",\"currency\":\"USD\"}");
    // GET works too (PHP panels read $_REQUEST).
    let r = send(a, "GET", &format!("/api/v2?key={KEY}&action=balance"), &[], b"").await;
    assert_eq!(r.status, 200);
    // A JSON body is invisible to a PHP panel.
    let r = send(
        a,
        "POST",
        "/api/v2",
        &[("Content-Type", "application/json")],
        format!("{{\"key\":\"{KEY}\",\"action\":\"balance\"}}").as_bytes(),
    )
    .await;
    assert_eq!(r.text(), "{\"error\":\"Invalid API key\"}");

    // Chunked transfer encoding, after waiting for 100 Continue as curl does.
    let form_body = form(&[("key", KEY), ("action", "balance")]);
    let (x, y) = form_body.split_at(7);
    let head = "POST /api/v2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
    let mut s = tokio::net::TcpStream::connect(a).await.unwrap_or_else(|e| panic!("{e}"));
    s.write_all(head.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    let mut cont = [0u8; 25];
    s.read_exact(&mut cont).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&cont, b"HTTP/1.1 100 Continue\r\n\r\n");
    let chunks = format!("{:x}\r\n{x}\r\n{:x}\r\n{y}\r\n0\r\n\r\n", x.len(), y.len());
    s.write_all(chunks.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap_or_else(|e| panic!("{e}"));
    let r = parse_response(&raw);
    assert_eq!((r.status, r.text().as_str()), (200, "{\"balance\":\"99.93750\",\"currency\":\"USD\"}"));
    srv.stop().await;
}

#[tokio::test]
async fn control_api_is_off_without_the_switch() {
    let srv = server_with(|c| c.control = false).await;
    let a = srv.addr;
    for (m, p) in [("GET", "/__sim/journal"), ("POST", "/__sim/reset"), ("POST", "/__sim/faults"), ("GET", "/__sim/orders/1")] {
        let r = control(a, m, p, "{}").await;
        assert_eq!(r.status, 404, "{m} {p}");
        assert_eq!(r.header("access-control-allow-origin"), None);
    }
    assert_eq!(call(a, "balance", &[]).await.status, 200);
    srv.stop().await;
}

#[tokio::test]
async fn control_api_always_answers_cors() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let r = send(
        a,
        "OPTIONS",
        "/__sim/faults",
        &[("Origin", "http://localhost:9"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")],
        b"",
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-methods"), Some("GET, POST, DELETE, OPTIONS"));
    assert_eq!(r.header("access-control-allow-headers"), Some("content-type"));
    let r = control(a, "GET", "/__sim/config", "").await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.text(), r#"{"dialect":"perfect","cors":"off","latency_ms":0,"path":"/api/v2","services":42}"#);
    srv.stop().await;
}

#[tokio::test]
async fn cors_switch_on_the_api() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let preflight = || send(a, "OPTIONS", "/api/v2", &[("Origin", "http://localhost:9"), ("Access-Control-Request-Method", "POST")], b"");
    // off: like a real panel, no CORS header anywhere.
    let r = call(a, "balance", &[]).await;
    assert!(r.headers.iter().all(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control")), "{:?}", r.headers);
    let r = preflight().await;
    assert_eq!((r.status, r.header("access-control-allow-origin")), (405, None));
    // on, switched at run time.
    let c = control(a, "POST", "/__sim/config", r#"{"cors":"on"}"#).await;
    assert_eq!(c.json()["cors"], "on");
    let r = call(a, "balance", &[]).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = preflight().await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin"), r.header("access-control-allow-methods")),
        (204, Some("*"), Some("GET, POST, OPTIONS"))
    );
    // Fault answers carry it too, so browser tests can read them.
    control(a, "POST", "/__sim/faults", r#"{"fault":"rate_limit"}"#).await;
    let r = call(a, "balance", &[]).await;
    assert_eq!((r.status, r.header("access-control-allow-origin")), (429, Some("*")));
    // The preflights are journaled, so a test can see that nothing else was sent.
    let j = control(a, "GET", "/__sim/journal", "").await.json();
    let methods: Vec<&str> = j.as_array().map(|v| v.iter().filter_map(|e| e["method"].as_str()).collect()).unwrap_or_default();
    assert_eq!(methods, ["POST", "OPTIONS", "POST", "OPTIONS", "POST"]);
    srv.stop().await;

    let srv = server_with(|c| c.cors = true).await;
    assert_eq!(call(srv.addr, "balance", &[]).await.header("access-control-allow-origin"), Some("*"));
    srv.stop().await;
}

#[tokio::test]
async fn reset_restores_the_initial_state() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    control(a, "POST", "/__sim/accounts", r#"{"key":"temp-key","balance":10.5}"#).await;
    assert_eq!(
        control(a, "GET", "/__sim/accounts/temp-key", "").await.text(),
        r#"{"key":"temp-key","balance":"10.50000","currency":"USD"}"#
    );
    call(a, "add", &[("service", "101"), ("link", "https://x.com/z"), ("quantity", "100")]).await;
    control(a, "POST", "/__sim/faults", r#"{"fault":"empty","count":5}"#).await;
    control(a, "POST", "/__sim/config", r#"{"dialect":"laravel"}"#).await;
    advance(a, 100).await;
    assert_eq!(control(a, "POST", "/__sim/reset", "").await.status, 200);
    assert_eq!(control(a, "GET", "/__sim/accounts/temp-key", "").await.status, 404);
    assert_eq!(balance(a).await, "100.00000");
    assert_eq!(control(a, "GET", "/__sim/journal", "").await.text(), "[]");
    assert_eq!(control(a, "GET", "/__sim/faults", "").await.text(), "[]");
    assert_eq!(control(a, "GET", "/__sim/clock", "").await.json()["sim_time"], 0.0);
    assert_eq!(call(a, "add", &[("service", "101"), ("link", "https://x.com/z"), ("quantity", "100")]).await.text(), "{\"order\":23501}");
    srv.stop().await;
}

#[tokio::test]
async fn dialect_switches_at_run_time_and_bad_control_input_is_refused() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    assert_eq!(call(a, "balance", &[]).await.text(), "{\"balance\":\"100.00000\",\"currency\":\"USD\"}");
    control(a, "POST", "/__sim/config", r#"{"dialect":"smartpanel"}"#).await;
    assert_eq!(call(a, "balance", &[]).await.text(), "{\"balance\":100.00000,\"currency\":\"USD\"}");
    let bad = control(a, "POST", "/__sim/config", r#"{"dialect":"wordpress"}"#).await;
    assert_eq!(bad.status, 400);
    assert_eq!(control(a, "POST", "/__sim/accounts", r#"{"key":"k","balance":"1e5"}"#).await.status, 400);
    assert_eq!(control(a, "POST", "/__sim/accounts", r#"{"balance":"1"}"#).await.status, 400);
    assert_eq!(control(a, "POST", "/__sim/clock", "not json").await.status, 400);
    assert_eq!(control(a, "GET", "/__sim/orders/1", "").await.status, 404);
    assert_eq!(control(a, "GET", "/__sim/nothing", "").await.status, 404);
    srv.stop().await;
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("smm-sim-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("pkg")).unwrap_or_else(|e| panic!("{e}"));
    d
}

#[tokio::test]
async fn static_files_on_the_same_origin() {
    let dir = temp_dir("static");
    let w = |p: &str, c: &[u8]| std::fs::write(dir.join(p), c).unwrap_or_else(|e| panic!("{e}"));
    w("index.html", b"<!doctype html><title>demo</title>");
    w("pkg/app_bg.wasm", b"\0asm\x01\0\0\0");
    w("pkg/app.js", b"export {};");
    w("pkg/app.mjs", b"export {};");
    w("pkg/index.html", b"pkg index");
    let outside = dir.parent().map(|p| p.join(format!("smm-sim-secret-{}", std::process::id()))).unwrap_or_default();
    std::fs::write(&outside, b"secret").unwrap_or_else(|e| panic!("{e}"));
    let d2 = dir.clone();
    let srv = server_with(move |c| c.static_dir = Some(d2)).await;
    let a = srv.addr;
    let get = |p: &'static str| send(a, "GET", p, &[], b"");
    let r = get("/").await;
    assert_eq!(
        (r.status, r.header("content-type"), r.text().as_str()),
        (200, Some("text/html; charset=utf-8"), "<!doctype html><title>demo</title>")
    );
    let r = get("/pkg/app_bg.wasm").await;
    assert_eq!((r.status, r.header("content-type"), r.body.as_slice()), (200, Some("application/wasm"), b"\0asm\x01\0\0\0".as_slice()));
    assert_eq!(get("/pkg/app.js").await.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(get("/pkg/app.mjs").await.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(get("/pkg/").await.text(), "pkg index");
    assert_eq!(get("/missing.js").await.status, 404);
    let secret = outside.file_name().and_then(|n| n.to_str()).unwrap_or("x").to_string();
    for p in [format!("/../{secret}"), format!("/%2e%2e/{secret}"), format!("/pkg/..%2f..%2f{secret}"), format!("/..%5c{secret}")] {
        let r = send(a, "GET", &p, &[], b"").await;
        assert_eq!(r.status, 404, "{p}");
        assert!(!r.text().contains("secret"));
    }
    // HEAD: the real length, no body (the connection stays usable).
    let raw = raw_exchange(a, b"HEAD /pkg/app.js HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await.unwrap_or_default();
    let r = parse_response(&raw);
    assert_eq!((r.status, r.header("content-length"), r.body.len()), (200, Some("10"), 0));
    // The API still answers on its path.
    assert_eq!(call(a, "balance", &[]).await.status, 200);
    srv.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&outside);
}

/// A browser keeps a `no-cache` file and revalidates it: the ETag of the 200 brings a 304 without
/// a body while the file is unchanged, and a 200 with a new tag once it changes.
#[tokio::test]
async fn static_files_revalidate_with_an_etag() {
    let dir = temp_dir("etag");
    let file = dir.join("pkg/app.js");
    std::fs::write(&file, b"export {};").unwrap_or_else(|e| panic!("{e}"));
    let d2 = dir.clone();
    let srv = server_with(move |c| c.static_dir = Some(d2)).await;
    let a = srv.addr;
    let first = send(a, "GET", "/pkg/app.js", &[], b"").await;
    let tag = first.header("etag").unwrap_or_else(|| panic!("no ETag: {:?}", first.headers)).to_string();
    assert_eq!((first.status, first.header("cache-control"), first.text().as_str()), (200, Some("no-cache"), "export {};"));
    assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
    for asked in [tag.clone(), format!("W/{tag}"), format!("\"other\", {tag}"), "*".to_string()] {
        let r = send(a, "GET", "/pkg/app.js", &[("If-None-Match", &asked)], b"").await;
        assert_eq!(
            (r.status, r.header("etag"), r.header("cache-control"), r.body.len()),
            (304, Some(tag.as_str()), Some("no-cache"), 0),
            "{asked}"
        );
        assert_eq!(r.header("content-length"), None, "a 304 carries no Content-Length");
    }
    let r = send(a, "HEAD", "/pkg/app.js", &[("If-None-Match", &tag)], b"").await;
    assert_eq!(r.status, 304);
    let r = send(a, "GET", "/pkg/app.js", &[("If-None-Match", "\"other\"")], b"").await;
    assert_eq!((r.status, r.text().as_str()), (200, "export {};"));
    // Changed (another length, so the tag differs even where mtimes are coarse): a 200 again.
    std::fs::write(&file, b"export const changed = 1;").unwrap_or_else(|e| panic!("{e}"));
    let r = send(a, "GET", "/pkg/app.js", &[("If-None-Match", &tag)], b"").await;
    assert_eq!((r.status, r.text().as_str()), (200, "export const changed = 1;"));
    assert_ne!(r.header("etag"), Some(tag.as_str()));
    assert_eq!(send(a, "GET", "/missing.js", &[("If-None-Match", "*")], b"").await.status, 404);
    srv.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn custom_api_path() {
    let srv = server_with(|c| c.api_path = "/api/v1".into()).await;
    let a = srv.addr;
    let body = form(&[("key", KEY), ("action", "balance")]);
    let r = send(a, "POST", "/api/v1", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes()).await;
    assert_eq!(r.status, 200);
    let r = send(a, "POST", "/api/v2", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes()).await;
    assert_eq!(r.status, 404);
    srv.stop().await;
}

#[tokio::test]
async fn twenty_thousand_generated_services() {
    let t0 = Instant::now();
    let srv = server_with(|c| c.services = Some(20_000)).await;
    let started = t0.elapsed();
    let a = srv.addr;
    let t1 = Instant::now();
    let r = call(a, "services", &[]).await;
    let first = t1.elapsed();
    let v = r.json();
    let list = v.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 20_000);
    let t2 = Instant::now();
    let again = call(a, "services", &[]).await;
    let cached = t2.elapsed();
    assert_eq!(again.body, r.body);
    assert!(started < Duration::from_secs(2), "generation took {started:?}");
    assert!(first < Duration::from_secs(5) && cached < Duration::from_secs(2), "{first:?} {cached:?}");
    // Same shape as the built-in catalog, every order type present, rates of 2–5 decimals.
    for s in &list {
        let rate = s["rate"].as_str().unwrap_or("");
        let decimals = rate.split('.').nth(1).map_or(0, str::len);
        assert!((2..=5).contains(&decimals), "{rate}");
        assert!(s["name"].as_str().is_some_and(|n| !n.is_empty()) && s["category"].as_str().is_some());
    }
    let types: std::collections::BTreeSet<&str> = list.iter().filter_map(|s| s["type"].as_str()).collect();
    assert_eq!(types.len(), 17);
    // Deterministic: another server generates the same bytes.
    let srv2 = server_with(|c| c.services = Some(20_000)).await;
    assert_eq!(call(srv2.addr, "services", &[]).await.body, r.body);
    // A generated service can be ordered.
    let first_default = list.iter().find(|s| s["type"] == "Default").cloned().unwrap_or_default();
    let id = first_default["service"].to_string();
    let min = first_default["min"].as_str().unwrap_or("0").to_string();
    let r = call(a, "add", &[("service", &id), ("link", "https://x.com/g"), ("quantity", &min)]).await;
    assert!(r.text().starts_with("{\"order\":") || r.text() == "{\"error\":\"Not enough funds on balance\"}", "{}", r.text());
    srv.stop().await;
    srv2.stop().await;
}
