//! Every order type placed for real on the simulator, which checks each type's fields like a
//! panel; the catalog's estimate must equal what the panel charged, to the last digit.
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use crate::support::*;

/// Compares decimals by value: "0.06250" == "0.0625".
fn same_decimal(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s };
        s.to_owned()
    };
    norm(a) == norm(b)
}

fn orders() -> Vec<(&'static str, String)> {
    let lines = |prefix: &str, n: usize| (0..n).map(|i| format!("\"{prefix}{i}\"")).collect::<Vec<_>>().join(",");
    let link = |t: &str| format!("https://instagram.com/p/type-{t}");
    vec![
        ("default", format!(r#"{{"service":101,"link":"{}","quantity":150}}"#, link("default"))),
        ("default drip-feed", format!(r#"{{"type":"default","service":101,"link":"{}","quantity":100,"runs":3,"interval":20}}"#, link("drip"))),
        ("seo", format!(r#"{{"type":"seo","service":301,"link":"{}","quantity":600,"keywords":["smm panel","buy views"]}}"#, link("seo"))),
        ("custom_comments", format!(r#"{{"type":"custom_comments","service":105,"link":"{}","comments":[{}]}}"#, link("cc"), lines("Nice ", 7))),
        ("custom_comments_package", format!(r#"{{"type":"custom_comments_package","service":204,"link":"{}","comments":[{}]}}"#, link("ccp"), lines("Wow ", 10))),
        ("mentions_with_hashtags", format!(r##"{{"type":"mentions_with_hashtags","service":110,"link":"{}","quantity":200,"usernames":["ann","bob"],"hashtags":["#sun","#sea"]}}"##, link("mwh"))),
        ("mentions_custom_list", format!(r#"{{"type":"mentions_custom_list","service":106,"link":"{}","usernames":[{}]}}"#, link("mcl"), lines("user", 12))),
        ("mentions_hashtag", format!(r##"{{"type":"mentions_hashtag","service":109,"link":"{}","quantity":300,"hashtag":"#travel"}}"##, link("mh"))),
        ("mentions_user_followers", format!(r#"{{"type":"mentions_user_followers","service":107,"link":"{}","quantity":250,"username":"natgeo"}}"#, link("muf"))),
        ("mentions_media_likers", format!(r#"{{"type":"mentions_media_likers","service":108,"link":"{}","quantity":400,"media":"https://instagram.com/p/media"}}"#, link("mml"))),
        ("mentions", format!(r#"{{"type":"mentions","service":111,"link":"{}","quantity":100,"usernames":["ann","bob","cid"]}}"#, link("m"))),
        ("package", format!(r#"{{"type":"package","service":116,"link":"{}"}}"#, link("pkg"))),
        ("comment_likes", format!(r#"{{"type":"comment_likes","service":112,"link":"{}","quantity":60,"username":"topcommenter"}}"#, link("cl"))),
        ("comment_replies", format!(r#"{{"type":"comment_replies","service":113,"link":"{}","username":"topcommenter","comments":[{}]}}"#, link("cr"), lines("Agreed ", 6))),
        ("poll", r#"{"type":"poll","service":404,"link":"https://t.me/channel/12","quantity":75,"answer_number":2}"#.to_string()),
        ("invites_from_groups", r#"{"type":"invites_from_groups","service":402,"link":"https://t.me/mygroup","quantity":150,"groups":["https://t.me/a","https://t.me/b"]}"#.to_string()),
        ("subscriptions", r#"{"type":"subscriptions","service":115,"username":"acme_store","min":50,"max":120,"posts":5,"delay":30,"expiry":"2099-12-31"}"#.to_owned()),
        ("web_traffic keyword", r#"{"type":"web_traffic","service":801,"link":"https://shop.example/","quantity":600,"country":"US","device":1,"type_of_traffic":1,"google_keyword":"best shop"}"#.to_string()),
        ("web_traffic referrer drip-feed", r#"{"type":"web_traffic","service":802,"link":"https://shop.example/b","quantity":1000,"runs":2,"interval":30,"country":"DE","device":3,"type_of_traffic":2,"referring_url":"https://news.example/"}"#.to_string()),
    ]
}

#[wasm_bindgen_test]
async fn every_order_type_is_placed_and_charged_as_estimated() {
    let sim = perfect();
    let key = sim.account("5000").await;
    let client = sim.client(&key);
    let catalog = ok(client.catalog(None)).await;
    for (name, json) in orders() {
        let order = parse(&json);
        invoke(&catalog, "validate", std::slice::from_ref(&order))
            .unwrap_or_else(|e| panic!("{name}: the catalog refused a valid order: {}", stringify(&e)));
        let estimate = invoke(&catalog, "estimateCharge", std::slice::from_ref(&order))
            .unwrap_or_else(|e| panic!("{name}: {}", stringify(&e)))
            .as_string()
            .unwrap_or_default();
        let placed = ok(client.add_order(order, None)).await;
        let id = id_of(&placed, "order");
        let view = sim.control("GET", &format!("orders/{id}"), None).await;
        let charged = get_str(&view, "charge").unwrap_or_default();
        assert!(same_decimal(&estimate, &charged), "{name}: estimated {estimate}, the panel charged {charged}");
        let expected_type = if name.contains("drip-feed") { "dripfeed" } else { "normal" };
        assert_eq!(get_str(&placed, "type").as_deref(), Some(expected_type), "{name}");
    }
    let adds = sim.journal_of(&key, "add").await;
    assert_eq!(adds.len(), orders().len(), "one add per order, none refused by the panel");
    assert!(adds.iter().all(|a| get(a, "processed").as_bool() == Some(true) && get_f64(a, "status") == Some(200.0)));
    // Spot checks of what went over the wire: lists joined with \n, the date as d/m/Y.
    let fields = |i: usize| fields_after_key(&adds[i]);
    assert!(fields(3).contains(&("comments".into(), (0..7).map(|i| format!("Nice {i}")).collect::<Vec<_>>().join("\n"))));
    assert!(fields(16).contains(&("expiry".into(), "31/12/2099".into())));
    assert!(!fields(16).iter().any(|(n, _)| n == "link" || n == "quantity"), "subscriptions send no link or quantity");
    assert!(!fields(3).iter().any(|(n, _)| n == "quantity"), "custom comments send no quantity");
}

#[wasm_bindgen_test]
async fn the_catalog_checks_orders_against_their_service_before_sending() {
    let sim = perfect();
    let key = sim.account("100").await;
    let client = sim.client(&key);
    let catalog = ok(client.catalog(None)).await;
    for (order, field) in [
        (r#"{"service":101,"link":"https://x.y/a","quantity":10}"#, "quantity"),
        (r#"{"service":104,"link":"https://x.y/a","quantity":100,"runs":2,"interval":5}"#, "runs"),
        (r#"{"service":105,"link":"https://x.y/a","quantity":100}"#, "type"),
        (r#"{"type":"custom_comments","service":105,"link":"https://x.y/a","comments":["only one"]}"#, "comments"),
        (r#"{"service":999,"link":"https://x.y/a","quantity":100}"#, "service"),
    ] {
        let error = invoke(&catalog, "validate", &[parse(order)]).expect_err(order);
        let error = rejection(&error, &key);
        assert_eq!((error.code.as_str(), error.field.as_deref()), ("invalid_request", Some(field)), "{order}");
    }
    assert!(sim.journal_of(&key, "add").await.is_empty(), "validate sends nothing");
}

#[wasm_bindgen_test]
async fn the_catalog_is_cached_per_client_for_max_age() {
    let sim = perfect();
    let key = sim.account("1").await;
    let client = sim.client(&key);
    let first = ok(client.catalog(None)).await;
    let second = ok(client.catalog(None)).await;
    assert_eq!(sim.journal_of(&key, "services").await.len(), 1, "the second call is served from the cache");
    assert_eq!(get_f64(&first, "fetchedAt"), get_f64(&second, "fetchedAt"));
    let fresh = ok(client.catalog(Some(parse(r#"{"maxAgeMs":0}"#).unchecked_into()))).await;
    assert_eq!(sim.journal_of(&key, "services").await.len(), 2, "maxAgeMs 0 refetches");

    assert_eq!(js_sys::Array::from(&get(&fresh, "services")).length(), 42);
    let found = invoke(&fresh, "get", &[JsValue::from(105.0)]).expect("get");
    assert_eq!(get_str(&found, "name").as_deref(), Some("Instagram Custom Comments [Worldwide]"));
    assert!(invoke(&fresh, "get", &[JsValue::from(12345.0)]).expect("get").is_undefined());
    assert!(invoke(&fresh, "get", &[JsValue::from_str("105")]).expect("get").is_undefined(), "IDs are numbers");
    let hits = js_sys::Array::from(&invoke(&fresh, "search", &[JsValue::from_str("tiktok LIKES")]).expect("search"));
    let names: Vec<String> = hits.iter().filter_map(|s| get_str(&s, "name")).collect();
    assert_eq!(names, ["TikTok Likes [Fast] [Max 50K]", "TikTok Comment Likes"]);
    assert!(js_sys::Array::from(&invoke(&fresh, "categories", &[]).expect("categories")).includes(&"Telegram Members".into(), 0));
    assert!(js_sys::Array::from(&invoke(&fresh, "types", &[]).expect("types")).includes(&"Custom Comments".into(), 0));
    assert_eq!(crate::sdk::order_type_of(&found).as_string().as_deref(), Some("custom_comments"), "orderTypeOf maps the panel's spelling");
}

/// A `Date` expiry is the caller's local calendar day, whatever the engine: scripts/test.sh runs
/// the browsers east of Greenwich (TZ=Asia/Kolkata), where 00:30 local is the previous UTC day,
/// so sending the UTC instant's day (what `Date.toJSON` gives) would be a day early.
#[wasm_bindgen_test]
async fn a_date_expiry_is_sent_as_the_local_calendar_day() {
    let sim = perfect();
    let key = sim.account("100").await;
    let client = sim.client(&key);
    let late = js_sys::Date::new_with_year_month_day_hr_min(2099, 11, 31, 23, 30);
    let early = js_sys::Date::new_with_year_month_day_hr_min(2100, 0, 1, 0, 30);
    assert!(early.get_utc_date() != early.get_date(), "the test runs where local and UTC days differ (TZ is set)");
    for (index, date) in [late, early].into_iter().enumerate() {
        let order = parse(&format!(
            r#"{{"type":"subscriptions","service":115,"username":"dated_{index}","min":50,"max":120,"posts":5,"delay":30}}"#
        ));
        js_sys::Reflect::set(&order, &JsValue::from_str("expiry"), &date).expect("set expiry");
        ok(client.add_order(order, None)).await;
    }
    let sent: Vec<String> = sim
        .journal_of(&key, "add")
        .await
        .iter()
        .filter_map(|add| fields_after_key(add).into_iter().find(|(name, _)| name == "expiry").map(|(_, value)| value))
        .collect();
    assert_eq!(sent, ["31/12/2099", "01/01/2100"]);
}
