//! Every action in every dialect, with the exact bytes a client receives.

mod common;

use common::*;
use smm_panel_sim::state::stable_hash;
use smm_panel_sim::Dialect;

/// (fields, laravel status, error message)
type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);
/// (service, fields, expected error or None for success)
type TypeCase<'a> = (&'a str, Vec<(&'a str, &'a str)>, Option<&'a str>);

const ALL: [Dialect; 4] = [Dialect::Perfect, Dialect::Seed, Dialect::SmartPanel, Dialect::Laravel];

fn start_count(link: &str) -> u64 {
    100 + stable_hash(link) % 9900
}

/// Renders a count, money or status the way dialect `d` prints it.
struct Fmt(Dialect);

impl Fmt {
    fn n(&self, v: impl std::fmt::Display) -> String {
        match self.0 {
            Dialect::Perfect | Dialect::Seed => format!("\"{v}\""),
            _ => v.to_string(),
        }
    }
    fn money(&self, v: &str) -> String {
        if self.0 == Dialect::SmartPanel {
            v.to_string()
        } else {
            format!("\"{v}\"")
        }
    }
    fn status(&self, s: &str) -> String {
        let s = match (self.0, s) {
            (Dialect::SmartPanel, "Pending") => "pending",
            (Dialect::SmartPanel, "In progress") => "in progress",
            (Dialect::SmartPanel, "Canceled") => "Cancelled",
            _ => s,
        };
        format!("\"{s}\"")
    }
    fn item_err(&self, msg: &str) -> String {
        if self.0 == Dialect::SmartPanel {
            format!("\"{msg}\"")
        } else {
            format!("{{\"error\":\"{msg}\"}}")
        }
    }
    fn err_status(&self, laravel: u16) -> u16 {
        if self.0 == Dialect::Laravel {
            laravel
        } else {
            200
        }
    }
    fn status_obj(&self, charge: &str, start: u64, status: &str, remains: &str) -> String {
        format!(
            "{{\"charge\":{},\"start_count\":{},\"status\":{},\"remains\":{},\"currency\":\"USD\"}}",
            self.money(charge),
            self.n(start),
            self.status(status),
            remains
        )
    }
}

async fn expect(addr: std::net::SocketAddr, action: &str, pairs: &[(&str, &str)], status: u16, body: &str) {
    let r = call(addr, action, pairs).await;
    assert_eq!((r.status, r.text().as_str()), (status, body), "action {action} {pairs:?}");
    assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
}

#[tokio::test]
async fn every_action_in_every_dialect() {
    for d in ALL {
        let srv = server(d).await;
        let a = srv.addr;
        let f = Fmt(d);
        let ok_add = if d == Dialect::Laravel { 201 } else { 200 };

        expect(a, "balance", &[], 200, &format!("{{\"balance\":{},\"currency\":\"USD\"}}", f.money("100.00000"))).await;

        // services: the whole catalog, first entry checked byte for byte.
        let r = call(a, "services", &[]).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json().as_array().map(Vec::len), Some(42), "{d:?}");
        let first = match d {
            Dialect::Perfect | Dialect::Seed => {
                r#"{"service":101,"name":"Instagram Followers [Real Mixed] [Refill 30 Days] [Max 100K]","type":"Default","category":"Instagram Followers","rate":"0.90","min":"50","max":"100000","refill":true,"cancel":true,"dripfeed":true,"description":"Start: 0-1 hours. Refill button available for 30 days."}"#
            }
            Dialect::SmartPanel => {
                r#"{"service":101,"name":"Instagram Followers [Real Mixed] [Refill 30 Days] [Max 100K]","type":"default","category":"Instagram Followers","rate":0.90,"min":50,"max":100000,"refill":1,"cancel":1,"dripfeed":1,"desc":"Start: 0-1 hours. Refill button available for 30 days."}"#
            }
            Dialect::Laravel => {
                r#"{"service":101,"name":"Instagram Followers [Real Mixed] [Refill 30 Days] [Max 100K]","type":"Default","category":"Instagram Followers","rate":"0.90","min":50,"max":100000,"refill":true,"cancel":true,"dripfeed":true,"description":"Start: 0-1 hours. Refill button available for 30 days."}"#
            }
        };
        assert!(r.text().starts_with(&format!("[{first},{{")), "{d:?}: {}", &r.text()[..400]);
        if d == Dialect::SmartPanel {
            assert!(r.text().contains(r#""type":"custom_comments""#));
        } else {
            assert!(r.text().contains(r#""type":"Custom Comments""#));
        }

        // add (normal) and its status while pending.
        let la = "https://instagram.com/p/a";
        let seed_type = if d == Dialect::Seed { ",\"type\":\"normal\"" } else { "" };
        expect(a, "add", &[("service", "102"), ("link", la), ("quantity", "1234")], ok_add, &format!("{{\"order\":23501{seed_type}}}"))
            .await;
        let remains = if d == Dialect::SmartPanel { "\"Unknown\"".to_string() } else { f.n(1234) };
        expect(a, "status", &[("order", "23501")], 200, &f.status_obj("0.34328646", 0, "Pending", &remains)).await;
        let lb = "https://instagram.com/u/b";
        expect(a, "add", &[("service", "101"), ("link", lb), ("quantity", "100")], ok_add, &format!("{{\"order\":23502{seed_type}}}"))
            .await;

        // t = 200 s: 23501 started at 60 s and delivers 250/min; 23502 started at 120 s, 100/min.
        advance(a, 200).await;
        let s1 = f.status_obj("0.34328646", start_count(la), "In progress", &f.n(651));
        let s2 = f.status_obj("0.09000", start_count(lb), "Completed", &f.n(0));
        let multi = if d == Dialect::Laravel {
            format!(
                "[{{\"order\":23501,{}}},{{\"order\":23502,{}}},{{\"order\":999,\"error\":\"Incorrect order ID\"}}]",
                &s1[1..s1.len() - 1],
                &s2[1..s2.len() - 1]
            )
        } else {
            format!("{{\"23501\":{s1},\"23502\":{s2},\"999\":{}}}", f.item_err("Incorrect order ID"))
        };
        expect(a, "status", &[("orders", "23501,23502,999")], 200, &multi).await;
        expect(a, "status", &[("order", "999")], f.err_status(404), "{\"error\":\"Incorrect order ID\"}").await;

        // refill
        let refill_one = if matches!(d, Dialect::Perfect | Dialect::Seed) { "{\"refill\":\"1\"}" } else { "{\"refill\":1}" };
        expect(a, "refill", &[("order", "23502")], 200, refill_one).await;
        expect(a, "refill", &[("order", "23501")], f.err_status(422), "{\"error\":\"Refill is disabled for this service\"}").await;
        expect(
            a,
            "refill",
            &[("orders", "23502,999")],
            200,
            &format!(
                "[{{\"order\":23502,\"refill\":{}}},{{\"order\":999,\"refill\":{}}}]",
                f.item_err("Refill request already exists"),
                f.item_err("Incorrect order ID")
            ),
        )
        .await;
        expect(a, "refill_status", &[("refill", "1")], 200, &format!("{{\"status\":{}}}", f.status("Pending"))).await;
        expect(a, "refill_status", &[("refill", "7")], f.err_status(404), "{\"error\":\"Refill not found\"}").await;
        expect(
            a,
            "refill_status",
            &[("refills", "1,7")],
            200,
            &format!(
                "[{{\"refill\":1,\"status\":{}}},{{\"refill\":7,\"status\":{}}}]",
                f.status("Pending"),
                f.item_err("Refill not found")
            ),
        )
        .await;

        // cancel: a pending order is refunded in full.
        let lc = "https://instagram.com/u/c";
        expect(a, "add", &[("service", "101"), ("link", lc), ("quantity", "50")], ok_add, &format!("{{\"order\":23503{seed_type}}}")).await;
        assert_eq!(balance(a).await, "99.52171354");
        expect(a, "cancel", &[("order", "23503")], 200, "{\"cancel\":1}").await;
        assert_eq!(balance(a).await, "99.56671354");
        expect(a, "status", &[("order", "23503")], 200, &f.status_obj("0.00000", 0, "Canceled", &f.n(50))).await;
        expect(
            a,
            "cancel",
            &[("orders", "23501,999")],
            200,
            &format!(
                "[{{\"order\":23501,\"cancel\":{}}},{{\"order\":999,\"cancel\":{}}}]",
                f.item_err("Cancel is disabled for this service"),
                f.item_err("Incorrect order ID")
            ),
        )
        .await;

        // Errors at the top level are objects in every dialect.
        let r = api(a, &[("key", "nope"), ("action", "balance")]).await;
        assert_eq!((r.status, r.text().as_str()), (f.err_status(401), "{\"error\":\"Invalid API key\"}"), "{d:?}");
        expect(a, "frobnicate", &[], f.err_status(400), "{\"error\":\"Incorrect request\"}").await;
        let ids: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
        expect(a, "status", &[("orders", &ids.join(","))], f.err_status(422), "{\"error\":\"Maximum 100 orders per request\"}").await;
        srv.stop().await;
    }
}

#[tokio::test]
async fn orders_of_another_key_are_invisible() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    control(a, "POST", "/__sim/accounts", r#"{"key":"other-key","balance":"5"}"#).await;
    expect(a, "add", &[("service", "102"), ("link", "https://x.com/1"), ("quantity", "100")], 200, "{\"order\":23501}").await;
    let r = api(a, &[("key", "other-key"), ("action", "status"), ("order", "23501")]).await;
    assert_eq!(r.text(), "{\"error\":\"Incorrect order ID\"}");
    let r = api(a, &[("key", "other-key"), ("action", "cancel"), ("order", "23501")]).await;
    assert_eq!(r.text(), "{\"error\":\"Incorrect order ID\"}");
    srv.stop().await;
}

#[tokio::test]
async fn add_validates_like_a_panel() {
    for d in [Dialect::Perfect, Dialect::Laravel] {
        let srv = server(d).await;
        let a = srv.addr;
        let f = Fmt(d);
        let cases: &[Case] = &[
            (&[("service", "9999"), ("link", "https://x.com/a"), ("quantity", "100")], 422, "Incorrect service ID"),
            (&[("link", "https://x.com/a"), ("quantity", "100")], 422, "Incorrect service ID"),
            (&[("service", "101"), ("quantity", "100")], 422, "Bad link"),
            (&[("service", "101"), ("link", "https://x.com/a b"), ("quantity", "100")], 422, "Bad link"),
            (&[("service", "101"), ("link", "https://x.com/a"), ("quantity", "49")], 422, "Quantity less than minimal 50"),
            (&[("service", "101"), ("link", "https://x.com/a"), ("quantity", "abc")], 422, "Quantity less than minimal 50"),
            (&[("service", "101"), ("link", "https://x.com/a"), ("quantity", "100001")], 422, "Quantity more than maximal 100000"),
            (
                &[("service", "104"), ("link", "https://x.com/a"), ("quantity", "100"), ("runs", "3"), ("interval", "10")],
                422,
                "This services does not support Dripfeed feature!",
            ),
            (&[("service", "101"), ("link", "https://x.com/a"), ("quantity", "100"), ("runs", "3")], 422, "Incorrect interval"),
            // 0.90 × 100000 / 1000 = 90 fits; × 2 runs = 180 does not.
            (
                &[("service", "101"), ("link", "https://x.com/a"), ("quantity", "100000"), ("runs", "2"), ("interval", "5")],
                402,
                "Not enough funds on balance",
            ),
            (&[("service", "303"), ("link", "https://youtube.com/c/x"), ("quantity", "6000")], 402, "Not enough funds on balance"),
        ];
        for (pairs, laravel, msg) in cases {
            expect(a, "add", pairs, f.err_status(*laravel), &format!("{{\"error\":\"{msg}\"}}")).await;
        }
        assert_eq!(balance(a).await, "100.00000", "failed adds charge nothing");
        let ok = if d == Dialect::Laravel { 201 } else { 200 };
        expect(a, "add", &[("service", "101"), ("link", "https://x.com/a"), ("quantity", "100")], ok, "{\"order\":23501}").await;
        expect(
            a,
            "add",
            &[("service", "101"), ("link", "https://x.com/a"), ("quantity", "200")],
            f.err_status(422),
            "{\"error\":\"You have active order with this link. Please wait until order being completed.\"}",
        )
        .await;
        // The same link on another service is fine.
        expect(a, "add", &[("service", "103"), ("link", "https://x.com/a"), ("quantity", "100")], ok, "{\"order\":23502}").await;
        srv.stop().await;
    }
}

#[tokio::test]
async fn order_types_take_their_fields() {
    let srv = server(Dialect::Perfect).await;
    let a = srv.addr;
    let bad = |msg: &str| format!("{{\"error\":\"{msg}\"}}");
    let l = "https://instagram.com/p/t";
    // (service, fields, expected error or None for success)
    let cases: Vec<TypeCase> = vec![
        ("105", vec![("link", l)], Some("Comments are required")),
        ("105", vec![("link", l), ("comments", "one\ntwo")], Some("Quantity less than minimal 5")),
        ("105", vec![("link", l), ("comments", "a\r\nb\r\nc\nd\ne\n")], None),
        ("301", vec![("link", "https://youtu.be/x"), ("quantity", "500")], Some("Keywords are required")),
        ("301", vec![("link", "https://youtu.be/x"), ("quantity", "500"), ("keywords", "cats\ndogs")], None),
        ("110", vec![("link", l), ("quantity", "100"), ("usernames", "a\nb")], Some("Hashtags are required")),
        ("110", vec![("link", l), ("quantity", "100"), ("usernames", "a\nb"), ("hashtags", "#x\n#y")], None),
        ("106", vec![("link", l), ("usernames", "u1\nu2")], Some("Quantity less than minimal 10")),
        ("106", vec![("link", l), ("usernames", "u1\nu2\nu3\nu4\nu5\nu6\nu7\nu8\nu9\nu10")], None),
        ("109", vec![("link", l), ("quantity", "100")], Some("Hashtag is required")),
        ("109", vec![("link", l), ("quantity", "100"), ("hashtag", "#cats")], None),
        ("107", vec![("link", l), ("quantity", "100")], Some("Username is required")),
        ("107", vec![("link", l), ("quantity", "100"), ("username", "nasa")], None),
        ("108", vec![("link", l), ("quantity", "100")], Some("Media is required")),
        ("108", vec![("link", l), ("quantity", "100"), ("media", "https://instagram.com/p/m")], None),
        ("111", vec![("link", l), ("quantity", "100")], Some("Usernames are required")),
        ("111", vec![("link", l), ("quantity", "100"), ("usernames", "a\nb")], None),
        ("116", vec![("link", l)], None),
        ("204", vec![("link", "https://tiktok.com/v/1")], Some("Comments are required")),
        ("204", vec![("link", "https://tiktok.com/v/1"), ("comments", "nice\ncool")], None),
        ("112", vec![("link", l), ("quantity", "50"), ("username", "top")], None),
        ("404", vec![("link", "https://t.me/c/1"), ("quantity", "50")], Some("Answer number is required")),
        ("404", vec![("link", "https://t.me/c/1"), ("quantity", "50"), ("answer_number", "2")], None),
        ("402", vec![("link", "https://t.me/g"), ("quantity", "100")], Some("Groups are required")),
        ("402", vec![("link", "https://t.me/g"), ("quantity", "100"), ("groups", "https://t.me/a\nhttps://t.me/b")], None),
        ("115", vec![("min", "100"), ("max", "200")], Some("Username is required")),
        ("115", vec![("username", "nasa"), ("min", "10"), ("max", "200")], Some("Quantity less than minimal 50")),
        ("115", vec![("username", "nasa"), ("min", "300"), ("max", "200")], Some("Min cannot be greater than max")),
        ("115", vec![("username", "nasa"), ("min", "100"), ("max", "200"), ("delay", "7")], Some("Incorrect delay")),
        ("115", vec![("username", "nasa"), ("min", "100"), ("max", "200"), ("expiry", "31/02/2030")], Some("Incorrect expiry date")),
        (
            "115",
            vec![
                ("username", "nasa"),
                ("min", "100"),
                ("max", "200"),
                ("posts", "5"),
                ("old_posts", "2"),
                ("delay", "30"),
                ("expiry", "31/12/2099"),
            ],
            None,
        ),
        ("801", vec![("link", "https://example.com"), ("quantity", "500")], Some("Country is required")),
        ("801", vec![("link", "https://example.com"), ("quantity", "500"), ("country", "US"), ("device", "9")], Some("Incorrect device")),
        (
            "801",
            vec![("link", "https://example.com"), ("quantity", "500"), ("country", "US"), ("device", "1"), ("type_of_traffic", "1")],
            Some("Google keyword is required"),
        ),
        (
            "801",
            vec![("link", "https://example.com"), ("quantity", "500"), ("country", "US"), ("device", "1"), ("type_of_traffic", "2")],
            Some("Referring URL is required"),
        ),
        (
            "801",
            vec![("link", "https://example.com"), ("quantity", "500"), ("country", "US"), ("device", "1"), ("type_of_traffic", "4")],
            Some("Incorrect type of traffic"),
        ),
        (
            "801",
            vec![
                ("link", "https://example.com"),
                ("quantity", "500"),
                ("country", "US"),
                ("device", "2"),
                ("type_of_traffic", "1"),
                ("google_keyword", "buy shoes"),
            ],
            None,
        ),
        ("113", vec![("link", l), ("comments", "a\nb\nc\nd\ne")], Some("Username is required")),
        ("113", vec![("link", l), ("username", "u"), ("comments", "a\nb\nc\nd\ne")], None),
    ];
    let mut next_id = 23501;
    for (service, fields, error) in cases {
        let mut pairs = vec![("service", service)];
        pairs.extend(fields.iter().copied());
        let r = call(a, "add", &pairs).await;
        match error {
            Some(msg) => assert_eq!(r.text(), bad(msg), "service {service} {fields:?}"),
            None => {
                assert_eq!(r.text(), format!("{{\"order\":{next_id}}}"), "service {service} {fields:?}");
                next_id += 1;
            }
        }
    }
    // Quantity is the number of comment lines, blank lines ignored, CRLF accepted.
    let o = control(a, "GET", "/__sim/orders/23501", "").await.json();
    assert_eq!(o["quantity"], 5);
    assert_eq!(o["charge"], "0.06250");
    assert_eq!(o["fields"]["comments"], "a\nb\nc\nd\ne");
    // Packages cost their rate per order.
    let pkg = control(a, "GET", "/__sim/orders/23509", "").await.json();
    assert_eq!((pkg["service"].as_u64(), pkg["charge"].as_str()), (Some(116), Some("9.99000")));
    let sub = control(a, "GET", "/__sim/orders/23514", "").await.json();
    assert_eq!(sub["type"], "Subscriptions");
    assert_eq!(sub["subscription"]["expiry"], "31/12/2099");
    assert_eq!(sub["subscription"]["delay"], 30);
    expect(
        a,
        "status",
        &[("order", "23514")],
        200,
        r#"{"charge":"0.00000","start_count":"0","status":"Active","remains":"0","currency":"USD"}"#,
    )
    .await;
    let web = control(a, "GET", "/__sim/orders/23515", "").await.json();
    assert_eq!(web["fields"], serde_json::json!({"country":"US","device":"2","type_of_traffic":"1","google_keyword":"buy shoes"}));
    srv.stop().await;
}

#[tokio::test]
async fn drip_feed_interval_field_depends_on_dialect() {
    for (d, field, other) in [
        (Dialect::Perfect, "interval", "intervals"),
        (Dialect::Seed, "intervals", "interval"),
        (Dialect::SmartPanel, "interval", "intervals"),
        (Dialect::Laravel, "interval", "intervals"),
    ] {
        let srv = server(d).await;
        let a = srv.addr;
        let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/d"), ("quantity", "100"), ("runs", "3"), (other, "10")]).await;
        assert_eq!(r.text(), "{\"error\":\"Incorrect interval\"}", "{d:?} must ignore {other}");
        let r = call(a, "add", &[("service", "101"), ("link", "https://x.com/d"), ("quantity", "100"), ("runs", "3"), (field, "10")]).await;
        let expected = if d == Dialect::Seed { "{\"order\":23501,\"type\":\"dripfeed\"}" } else { "{\"order\":23501}" };
        assert_eq!(r.text(), expected, "{d:?}");
        // The SDK sends both names: every dialect accepts that.
        let r = call(
            a,
            "add",
            &[("service", "101"), ("link", "https://x.com/e"), ("quantity", "100"), ("runs", "2"), ("interval", "5"), ("intervals", "5")],
        )
        .await;
        assert!(r.text().starts_with("{\"order\":23503"), "{d:?}: {}", r.text());
        srv.stop().await;
    }
}
