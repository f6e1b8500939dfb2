//! The proxy's decisions: origins, actions, the rate limit, field checks, and the key.
// Native only: these use host-only dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::proxy::{Decision, Proxy};
use smm_panel_sdk::core::{Action, ErrorCode};

const URL: &str = "https://shop.example/api/smm";

fn proxy(extra: &str) -> Proxy {
    Proxy::new(Some(&format!(r#"{{"apiUrl":"https://panel.example/api/v2","key":"SECRET-KEY"{extra}}}"#))).unwrap()
}

fn forwarded(decision: Decision) -> String {
    match decision {
        Decision::Forward { form_body, .. } => form_body,
        other => panic!("expected Forward, got {other:?}"),
    }
}

fn refused(decision: Decision) -> (u16, String) {
    match decision {
        Decision::Respond { status, body, .. } => (status, body),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn options_are_checked() {
    for (options, field) in [
        (None, "options"),
        (Some(r#"{"key":"k"}"#), "apiUrl"),
        (Some(r#"{"apiUrl":"http://panel.example/api/v2","key":"k"}"#), "apiUrl"),
        (Some(r#"{"apiUrl":"https://panel.example/api/v2"}"#), "key"),
        (Some(r#"{"apiUrl":"https://panel.example/api/v2","key":"k","allowedActions":["buy"]}"#), "allowedActions"),
        (Some(r#"{"apiUrl":"https://panel.example/api/v2","key":"k","allowedOrigins":["https://a.example/path"]}"#), "allowedOrigins"),
        (Some(r#"{"apiUrl":"https://panel.example/api/v2","key":"k","rateLimit":{"requests":0,"perMs":1000}}"#), "rateLimit"),
    ] {
        let e = Proxy::new(options).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidRequest, Some(field)), "{options:?}");
        assert!(!e.message().contains("SECRET"), "{e}");
    }
}

#[test]
fn reads_are_forwarded_with_the_servers_key_and_a_browser_key_is_dropped() {
    let mut p = proxy("");
    assert_eq!(forwarded(p.decide("POST", None, URL, b"action=balance", 0.0)), "key=SECRET-KEY&action=balance");
    assert_eq!(
        forwarded(p.decide("POST", Some("https://shop.example"), URL, b"key=browser-guess&action=status&orders=1%2C2", 0.0)),
        "key=SECRET-KEY&action=status&orders=1%2C2"
    );
    assert_eq!(
        forwarded(p.decide("POST", None, URL, b"action=status&order=7&type=dripfeed", 0.0)),
        "key=SECRET-KEY&action=status&order=7&type=dripfeed"
    );
}

#[test]
fn writes_are_refused_unless_allowed_and_then_checked_like_add_order() {
    let mut reads_only = proxy("");
    let (status, body) = refused(reads_only.decide("POST", None, URL, b"action=add&service=1&link=https%3A%2F%2Fx&quantity=100", 0.0));
    assert_eq!((status, body.as_str()), (403, r#"{"error":"The action \"add\" is not allowed by this proxy"}"#));

    let mut shop = proxy(r#","allowedActions":["services","add","status"]"#);
    assert_eq!(
        forwarded(shop.decide(
            "POST",
            None,
            URL,
            b"action=add&service=1&link=https%3A%2F%2Fx&quantity=100&runs=2&interval=5&intervals=5",
            0.0
        )),
        "key=SECRET-KEY&action=add&service=1&link=https%3A%2F%2Fx&quantity=100&runs=2&interval=5&intervals=5"
    );
    assert_eq!(
        forwarded(shop.decide("POST", None, URL, b"action=add&service=3&link=https%3A%2F%2Fx&comments=a%0Ab", 0.0)),
        "key=SECRET-KEY&action=add&service=3&link=https%3A%2F%2Fx&comments=a%0Ab"
    );
    for (body, says) in [
        (&b"action=add&link=https%3A%2F%2Fx&quantity=100"[..], "service is required"),
        (b"action=add&service=1&link=https%3A%2F%2Fx&quantity=1.5", "quantity must be a positive whole number"),
        (b"action=add&service=1&link=&quantity=100", "link must be"),
        (b"action=add&service=1&link=https%3A%2F%2Fx&quantity=100&runs=2", "runs and interval go together"),
        (b"action=add&service=1&link=https%3A%2F%2Fx&quantity=100&coupon=FREE", "not a field of any order type"),
        (b"action=add&service=1&service=2&link=https%3A%2F%2Fx&quantity=100", "given twice"),
        (b"action=add&service=9&username=a&min=20&max=10&delay=0", "max must be at least min"),
        (b"action=add&service=9&username=a&min=1&max=10&delay=0&expiry=31%2F02%2F2027", "not a real date"),
        (b"action=status&orders=1%2Cx", "positive whole numbers"),
        (b"action=status&order=1&orders=2", "only one of"),
        (b"action=status", "order or orders is required"),
        (b"action=refund", "Incorrect request"),
    ] {
        let (status, message) = refused(shop.decide("POST", None, URL, body, 0.0));
        assert!(status == 400 || status == 403, "{message}");
        assert!(message.contains(says), "{}: {message}", String::from_utf8_lossy(body));
    }
    let many: String = (1..=101).map(|i| i.to_string()).collect::<Vec<_>>().join("%2C");
    let (status, message) = refused(shop.decide("POST", None, URL, format!("action=status&orders={many}").as_bytes(), 0.0));
    assert_eq!(status, 400);
    assert!(message.contains("at most 100"));
}

#[test]
fn origins_methods_and_cors() {
    let mut p = proxy(r#","allowedOrigins":["https://shop.example","https://www.shop.example"]"#);
    let api = "https://api.shop.example/smm";
    assert_eq!(p.cors_origin(Some("https://shop.example"), api).as_deref(), Some("https://shop.example"));
    assert_eq!(p.cors_origin(Some("https://evil.example"), api), None);
    assert_eq!(p.cors_origin(Some("https://api.shop.example"), api), None, "same origin needs no CORS header");
    assert_eq!(p.cors_origin(None, api), None);
    let (status, _) = refused(p.decide("POST", Some("https://evil.example"), api, b"action=balance", 0.0));
    assert_eq!(status, 403);
    assert_eq!(refused(p.decide("OPTIONS", Some("https://shop.example"), api, b"", 0.0)).0, 204);
    assert_eq!(refused(p.decide("OPTIONS", Some("https://evil.example"), api, b"", 0.0)).0, 403);
    assert_eq!(refused(p.decide("GET", None, api, b"", 0.0)).0, 405);
    assert!(matches!(
        p.decide("POST", Some("https://api.shop.example"), api, b"action=balance", 0.0),
        Decision::Forward { action: Action::Balance, .. }
    ));
    let mut any = proxy(r#","allowedOrigins":["*"]"#);
    assert_eq!(any.cors_origin(Some("https://anyone.example"), api).as_deref(), Some("*"));
    assert!(matches!(any.decide("POST", Some("https://anyone.example"), api, b"action=balance", 0.0), Decision::Forward { .. }));
}

#[test]
fn the_rate_limit_refills_over_time() {
    let mut p = proxy(r#","rateLimit":{"requests":2,"perMs":1000}"#);
    let mut at = |t: f64| p.decide("POST", None, URL, b"action=balance", t);
    assert!(matches!(at(0.0), Decision::Forward { .. }));
    assert!(matches!(at(10.0), Decision::Forward { .. }));
    match at(20.0) {
        Decision::Respond { status: 429, retry_after_s: Some(1), body } => assert!(body.contains("Rate limit")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(at(600.0), Decision::Forward { .. }), "half a second refills one request");
    // Refusals before the limit do not use it up.
    let mut q = proxy(r#","rateLimit":{"requests":1,"perMs":60000}"#);
    assert_eq!(refused(q.decide("POST", None, URL, b"action=nothing", 0.0)).0, 400);
    assert!(matches!(q.decide("POST", None, URL, b"action=balance", 1.0), Decision::Forward { .. }));
}

#[test]
fn nothing_relayed_contains_the_key() {
    use smm_panel_sdk::core::SmmError;
    let p = proxy("");
    let relayed = p.relay_body(br#"{"error":"Invalid API key SECRET-KEY"}"#);
    let text = String::from_utf8(relayed).unwrap();
    assert!(!text.contains("SECRET"), "{text}");
    assert_eq!(text, r#"{"error":"Invalid API key [redacted]"}"#);
    assert_eq!(p.relay_body(br#"{"balance":"1.00000","currency":"USD"}"#), br#"{"balance":"1.00000","currency":"USD"}"#);
    assert_eq!(refused(Proxy::upstream_failure(&SmmError::timeout(Action::Balance, 5))).0, 504);
    assert_eq!(refused(Proxy::upstream_failure(&SmmError::network(Action::Balance))).0, 502);
    assert!(!format!("{p:?}").contains("SECRET"), "Debug must not show the key");
}

#[test]
fn body_limits_default_and_are_options() {
    use smm_panel_sdk::core::proxy::BodyLimits;
    // The defaults the README and ProxyOptions document.
    assert_eq!(
        proxy("").body_limits(),
        BodyLimits { max_body_bytes: 64 * 1024, max_fields: 32, max_field_bytes: 64 * 1024, body_timeout_ms: 10_000 }
    );
    assert_eq!(
        proxy(r#","maxBodyBytes":1000,"maxFields":5,"maxFieldBytes":100,"bodyTimeoutMs":250"#).body_limits(),
        BodyLimits { max_body_bytes: 1000, max_fields: 5, max_field_bytes: 100, body_timeout_ms: 250 }
    );
    for (extra, field) in [
        (r#","maxBodyBytes":0"#, "maxBodyBytes"),
        (r#","maxBodyBytes":1.5"#, "maxBodyBytes"),
        (r#","maxBodyBytes":"64k""#, "maxBodyBytes"),
        (r#","maxBodyBytes":1e9"#, "maxBodyBytes"),
        (r#","maxFields":0"#, "maxFields"),
        (r#","maxFields":null"#, "maxFields"),
        (r#","maxFieldBytes":-1"#, "maxFieldBytes"),
        (r#","bodyTimeoutMs":0"#, "bodyTimeoutMs"),
        (r#","bodyTimeoutMs":true"#, "bodyTimeoutMs"),
    ] {
        let options = format!(r#"{{"apiUrl":"https://panel.example/api/v2","key":"SECRET-KEY"{extra}}}"#);
        let e = Proxy::new(Some(&options)).unwrap_err();
        assert_eq!((e.code(), e.field()), (ErrorCode::InvalidRequest, Some(field)), "{extra}");
        assert!(e.message().contains(field) && !e.message().contains("SECRET"), "{e}");
    }
}

#[test]
fn a_declared_length_over_the_limit_is_refused_before_the_body_is_read() {
    let p = proxy(r#","maxBodyBytes":1000,"allowedOrigins":["https://shop.example"]"#);
    let before = |method: &str, origin: Option<&str>, length: Option<&str>| p.before_body(method, origin, URL, length);
    let (status, body) = refused(before("POST", None, Some("1001")).expect("a refusal"));
    assert_eq!((status, body.as_str()), (413, r#"{"error":"The request body is larger than 1000 bytes (maxBodyBytes)"}"#));
    assert_eq!(refused(before("POST", None, Some("99999999999999999999999")).expect("a refusal")).0, 413);
    for fits in [Some("1000"), Some(" 12 "), Some("0"), None, Some(""), Some("12, 12"), Some("-5")] {
        assert_eq!(before("POST", None, fits), None, "{fits:?}: read the body (and count it)");
    }
    // Answers that need no body come first, whatever the length.
    assert_eq!(refused(before("OPTIONS", Some("https://shop.example"), Some("5000")).expect("a preflight")).0, 204);
    assert_eq!(refused(before("POST", Some("https://evil.example"), Some("5000")).expect("a refusal")).0, 403);
    assert_eq!(refused(before("GET", None, None).expect("a refusal")).0, 405);
}

#[test]
fn bodies_that_stopped_get_their_status() {
    use smm_panel_sdk::core::proxy::BodyStop;
    let p = proxy(r#","maxBodyBytes":2048,"bodyTimeoutMs":1500"#);
    let (status, body) = refused(p.body_stopped(BodyStop::TooLarge));
    assert_eq!((status, body.as_str()), (413, r#"{"error":"The request body is larger than 2048 bytes (maxBodyBytes)"}"#));
    let (status, body) = refused(p.body_stopped(BodyStop::Timeout));
    assert_eq!((status, body.as_str()), (408, r#"{"error":"The request body did not arrive within 1500 ms (bodyTimeoutMs)"}"#));
    assert_eq!(refused(p.body_stopped(BodyStop::Error)).0, 400);
}

#[test]
fn body_size_field_count_and_field_length_are_limited() {
    let mut p = proxy(r#","maxBodyBytes":200,"maxFields":4,"maxFieldBytes":40,"allowedActions":["add","status"]"#);
    let mut decide = |body: &[u8]| p.decide("POST", None, URL, body, 0.0);
    let (status, message) = refused(decide(&[b'a'; 201]));
    assert_eq!((status, message.as_str()), (413, r#"{"error":"The request body is larger than 200 bytes (maxBodyBytes)"}"#));

    // Four fields pass (empty parts are no fields), five do not, whatever they are.
    assert!(matches!(decide(b"action=add&service=1&&link=https%3A%2F%2Fx&quantity=100&"), Decision::Forward { .. }));
    let (status, message) = refused(decide(b"action=add&service=1&link=https%3A%2F%2Fx&quantity=100&runs=2"));
    assert_eq!((status, message.as_str()), (413, r#"{"error":"The request has more than 4 fields (maxFields)"}"#));
    assert_eq!(refused(decide(b"a&b&c&d&e")).0, 413);

    // The length is the decoded field's, name and value: 40 bytes pass, 41 do not.
    let link =
        |len: usize| format!("action=add&service=1&link=https%3A%2F%2F{}&quantity=100", "x".repeat(len - "link".len() - "https://".len()));
    assert!(matches!(decide(link(40).as_bytes()), Decision::Forward { .. }));
    let (status, message) = refused(decide(link(41).as_bytes()));
    assert_eq!((status, message.as_str()), (413, r#"{"error":"The field \"link\" is longer than 40 bytes (maxFieldBytes)"}"#));
    // Measured decoded: "orders" and "1,2,…,12" are 32 bytes, 54 on the wire; 18 "é" are 36.
    let ids: Vec<String> = (1..=12).map(|i| i.to_string()).collect();
    assert!(matches!(decide(format!("action=status&orders={}", ids.join("%2C")).as_bytes()), Decision::Forward { .. }));
    let (status, message) = refused(decide(format!("action=status&orders={}", "%C3%A9".repeat(18)).as_bytes()));
    assert_eq!((status, message.as_str()), (413, r#"{"error":"The field \"orders\" is longer than 40 bytes (maxFieldBytes)"}"#));
    let long_name = format!("{}=1", "n".repeat(60));
    let (status, message) = refused(decide(long_name.as_bytes()));
    assert_eq!((status, message.as_str()), (413, r#"{"error":"A field is longer than 40 bytes (maxFieldBytes)"}"#));
}

#[test]
fn the_default_limits_let_every_order_type_through() {
    // The longest forms the SDK sends: a web traffic drip-feed (the most fields), and a custom
    // comments list that fills most of the default body.
    let mut p = proxy(r#","allowedActions":["add"]"#);
    let web_traffic = b"key=browser&action=add&service=9&link=https%3A%2F%2Fx&quantity=100&runs=2&interval=5&intervals=5\
        &country=US&device=1&type_of_traffic=2&google_keyword=shoes&referring_url=https%3A%2F%2Fr";
    assert!(matches!(p.decide("POST", None, URL, web_traffic, 0.0), Decision::Forward { .. }));
    let comments: Vec<String> = (0..2500).map(|i| format!("Great+post+number+{i}")).collect();
    let body = format!("action=add&service=3&link=https%3A%2F%2Fx&comments={}", comments.join("%0A"));
    assert!(body.len() > 60_000 && body.len() <= 64 * 1024, "{}", body.len());
    assert!(matches!(p.decide("POST", None, URL, body.as_bytes(), 0.0), Decision::Forward { .. }));
}
