//! Every order type of docs/WIRE.md "Order types": what is sent for a valid order, what is refused and why.
// Native only: these use host-only dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use smm_panel_sdk::core::order::{order_types_json, OrderType};
use smm_panel_sdk::core::{prepare, Call, Delivery, ErrorCode};

fn body(order: &str) -> String {
    prepare(Call::AddOrder, Some(order)).unwrap_or_else(|e| panic!("{order}: {e}")).form_body(Some("k"))
}

fn refused(order: &str) -> (String, String) {
    let e = prepare(Call::AddOrder, Some(order)).expect_err(order);
    assert_eq!((e.code(), e.delivery(), e.action()), (ErrorCode::InvalidRequest, Delivery::NotSent, Some("add")), "{order}");
    (e.field().unwrap_or_default().to_owned(), e.message())
}

#[test]
fn each_type_sends_its_own_fields_in_order() {
    let l = "link=https%3A%2F%2Fx.y%2Fp";
    let cases = [
        (r#"{"service":1,"link":"https://x.y/p","quantity":100}"#, format!("service=1&{l}&quantity=100")),
        (
            r#"{"type":"default","service":1,"link":"https://x.y/p","quantity":100,"runs":3,"interval":15}"#,
            format!("service=1&{l}&quantity=100&runs=3&interval=15&intervals=15"),
        ),
        (r#"{"type":"seo","service":2,"link":"https://x.y/p","quantity":500,"keywords":["buy likes","smm"]}"#, format!("service=2&{l}&quantity=500&keywords=buy+likes%0Asmm")),
        (r#"{"type":"custom_comments","service":3,"link":"https://x.y/p","comments":["Nice!"," Great "]}"#, format!("service=3&{l}&comments=Nice%21%0AGreat")),
        (r#"{"type":"custom_comments_package","service":4,"link":"https://x.y/p","comments":["a"]}"#, format!("service=4&{l}&comments=a")),
        (
            r##"{"type":"mentions_with_hashtags","service":5,"link":"https://x.y/p","quantity":100,"usernames":["a","b"],"hashtags":["#x"]}"##,
            format!("service=5&{l}&quantity=100&usernames=a%0Ab&hashtags=%23x"),
        ),
        (r#"{"type":"mentions_custom_list","service":6,"link":"https://x.y/p","usernames":["a","b"]}"#, format!("service=6&{l}&usernames=a%0Ab")),
        (r##"{"type":"mentions_hashtag","service":7,"link":"https://x.y/p","quantity":100,"hashtag":"#sun"}"##, format!("service=7&{l}&quantity=100&hashtag=%23sun")),
        (r#"{"type":"mentions_user_followers","service":8,"link":"https://x.y/p","quantity":100,"username":"acme"}"#, format!("service=8&{l}&quantity=100&username=acme")),
        (r#"{"type":"mentions_media_likers","service":9,"link":"https://x.y/p","quantity":100,"media":"https://x.y/m"}"#, format!("service=9&{l}&quantity=100&media=https%3A%2F%2Fx.y%2Fm")),
        (r#"{"type":"mentions","service":10,"link":"https://x.y/p","quantity":100,"usernames":["a"]}"#, format!("service=10&{l}&quantity=100&usernames=a")),
        (r#"{"type":"package","service":11,"link":"https://x.y/p"}"#, format!("service=11&{l}")),
        (r#"{"type":"comment_likes","service":12,"link":"https://x.y/p","quantity":50,"username":"top"}"#, format!("service=12&{l}&quantity=50&username=top")),
        (r#"{"type":"comment_replies","service":13,"link":"https://x.y/p","username":"top","comments":["hi","yo"]}"#, format!("service=13&{l}&username=top&comments=hi%0Ayo")),
        (r#"{"type":"poll","service":14,"link":"https://x.y/p","quantity":100,"answer_number":2}"#, format!("service=14&{l}&quantity=100&answer_number=2")),
        (r#"{"type":"invites_from_groups","service":15,"link":"https://x.y/p","quantity":100,"groups":["g1","g2"]}"#, format!("service=15&{l}&quantity=100&groups=g1%0Ag2")),
        (
            r#"{"type":"subscriptions","service":16,"username":"acme","min":100,"max":200,"posts":10,"old_posts":0,"delay":30,"expiry":"2027-01-31"}"#,
            "service=16&username=acme&min=100&max=200&posts=10&old_posts=0&delay=30&expiry=31%2F01%2F2027".to_owned(),
        ),
        (r#"{"type":"subscriptions","service":16,"username":"acme","min":5,"max":5,"delay":0}"#, "service=16&username=acme&min=5&max=5&delay=0".to_owned()),
        (
            r#"{"type":"web_traffic","service":17,"link":"https://x.y/p","quantity":1000,"country":"US","device":2,"type_of_traffic":1,"google_keyword":"best smm"}"#,
            format!("service=17&{l}&quantity=1000&country=US&device=2&type_of_traffic=1&google_keyword=best+smm"),
        ),
        (
            r#"{"type":"web_traffic","service":17,"link":"https://x.y/p","quantity":1000,"runs":2,"interval":60,"country":"DE","device":5,"type_of_traffic":2,"referring_url":"https://r.example"}"#,
            format!("service=17&{l}&quantity=1000&runs=2&interval=60&intervals=60&country=DE&device=5&type_of_traffic=2&referring_url=https%3A%2F%2Fr.example"),
        ),
        (
            r#"{"type":"web_traffic","service":17,"link":"https://x.y/p","quantity":1000,"country":"FR","device":1,"type_of_traffic":3}"#,
            format!("service=17&{l}&quantity=1000&country=FR&device=1&type_of_traffic=3"),
        ),
    ];
    for (order, fields) in cases {
        assert_eq!(body(order), format!("key=k&action=add&{fields}"), "{order}");
    }
}

#[test]
fn every_type_is_named_and_round_trips() {
    // The table is indexed by the enum: a row out of place would name another type here.
    assert_eq!(OrderType::all().count(), 17);
    for t in OrderType::all() {
        assert_eq!(OrderType::from_name(t.name()), Some(t));
    }
}

/// The table as `orderTypes()` gives it to JS.
fn table() -> Vec<serde_json::Value> {
    serde_json::from_str(&order_types_json()).expect("orderTypes() is JSON")
}

#[test]
fn order_types_json_is_the_table() {
    let types = table();
    let names: Vec<&str> = types.iter().map(|t| t["type"].as_str().unwrap_or_default()).collect();
    assert_eq!(names, OrderType::all().map(OrderType::name).collect::<Vec<_>>());
    let default = &types[0];
    assert_eq!(
        default["fields"],
        serde_json::json!([
            {"name": "link", "required": true, "value": "link"},
            {"name": "quantity", "required": true, "value": "count"},
            {"name": "runs", "required": false, "value": "count"},
            {"name": "interval", "required": false, "value": "count"},
        ])
    );
    assert_eq!(default["charge"], serde_json::json!({"per": "thousand", "count": "quantity"}));
    let by_name = |name: &str| types.iter().find(|t| t["type"] == name).cloned().unwrap_or_default();
    assert_eq!(by_name("custom_comments")["charge"], serde_json::json!({"per": "thousand", "count": "comments"}));
    assert_eq!(by_name("package")["charge"], serde_json::json!({"per": "package"}));
    assert_eq!(by_name("subscriptions")["charge"], serde_json::json!({"per": "post"}));
    let delay = by_name("subscriptions")["fields"].as_array().and_then(|f| f.iter().find(|f| f["name"] == "delay")).cloned();
    assert_eq!(delay, Some(serde_json::json!({"name": "delay", "required": true, "value": "range", "min": 0, "max": 600})));
    let dripfed: Vec<&str> = types.iter().filter(|t| t["dripfeed"] == true).map(|t| t["type"].as_str().unwrap_or_default()).collect();
    assert_eq!(dripfed, ["default", "web_traffic"]);
}

/// The field names of a TypeScript declaration's text, each with whether it is optional (`?:`);
/// comments skipped. A name seen both ways (web traffic's union) counts as optional.
fn ts_fields(declaration: &str) -> std::collections::BTreeMap<String, bool> {
    let mut text = String::new();
    let mut rest = declaration;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let mut fields = std::collections::BTreeMap::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(':') {
        let optional = i > 0 && bytes[i - 1] == b'?';
        let end = if optional { i - 1 } else { i };
        let start = text[..end].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
        let name = &text[start..end];
        // A field is preceded by `{` or `;` (or a line break); a `:` elsewhere is part of a type.
        let before = text[..start].trim_end();
        if !name.is_empty() && (before.ends_with('{') || before.ends_with(';')) {
            *fields.entry(name.to_owned()).or_insert(optional) |= optional;
        }
    }
    fields
}

/// The TypeScript order union (src/wasm/driver.d.ts) says what the table says: each type has a
/// declaration whose `type` is its name, with the table's fields, optional where the table's are.
#[test]
fn the_typescript_order_union_matches_the_table() {
    let ts = include_str!("../src/wasm/driver.d.ts");
    for spec in table() {
        let name = spec["type"].as_str().unwrap_or_default();
        let marker = [format!("type: \"{name}\";"), format!("type?: \"{name}\";")];
        let at = marker.iter().find_map(|m| ts.find(m.as_str())).unwrap_or_else(|| panic!("no TypeScript declaration of type {name}"));
        let start = ts[..at].rfind("interface ").unwrap_or_else(|| panic!("{name}: no interface"));
        let end = start + ts[start..].find('}').unwrap_or_else(|| panic!("{name}: unclosed"));
        let mut declaration = ts[start..=end].to_owned();
        if name == "web_traffic" {
            // Its base interface, and the union of its traffic sources.
            let union = ts.find("export type WebTrafficOrder").expect("WebTrafficOrder");
            declaration.push_str(&ts[union..union + ts[union..].find(";\n/**").expect("end of WebTrafficOrder")]);
        }
        let mut declared = ts_fields(&declaration);
        declared.remove("type");
        declared.remove("service");
        let table: std::collections::BTreeMap<String, bool> = spec["fields"]
            .as_array()
            .map(|f| f.iter().map(|f| (f["name"].as_str().unwrap_or_default().to_owned(), f["required"] == false)).collect())
            .unwrap_or_default();
        assert_eq!(declared, table, "{name}: TypeScript fields (name → optional) against the table");
    }
}

#[test]
fn required_fields_per_type_are_named() {
    let cases = [
        (r#"{"type":"seo","service":2,"link":"https://x","quantity":5}"#, "keywords"),
        (r#"{"type":"custom_comments","service":3,"link":"https://x"}"#, "comments"),
        (r#"{"type":"custom_comments","service":3,"comments":["a"]}"#, "link"),
        (r#"{"type":"mentions_with_hashtags","service":5,"link":"https://x","quantity":5,"usernames":["a"]}"#, "hashtags"),
        (r#"{"type":"mentions_hashtag","service":7,"link":"https://x","quantity":5}"#, "hashtag"),
        (r#"{"type":"mentions_user_followers","service":8,"link":"https://x","quantity":5}"#, "username"),
        (r#"{"type":"mentions_media_likers","service":9,"link":"https://x","quantity":5}"#, "media"),
        (r#"{"type":"poll","service":14,"link":"https://x","quantity":5}"#, "answer_number"),
        (r#"{"type":"invites_from_groups","service":15,"link":"https://x","quantity":5}"#, "groups"),
        (r#"{"type":"comment_replies","service":13,"link":"https://x","comments":["a"]}"#, "username"),
        (r#"{"type":"subscriptions","service":16,"min":1,"max":2,"delay":0}"#, "username"),
        (r#"{"type":"subscriptions","service":16,"username":"a","max":2,"delay":0}"#, "min"),
        (r#"{"type":"subscriptions","service":16,"username":"a","min":1,"max":2}"#, "delay"),
        (r#"{"type":"web_traffic","service":17,"link":"https://x","quantity":5,"device":1,"type_of_traffic":3}"#, "country"),
        (r#"{"type":"web_traffic","service":17,"link":"https://x","quantity":5,"country":"US","type_of_traffic":3}"#, "device"),
    ];
    for (order, field) in cases {
        let (got, message) = refused(order);
        assert_eq!(got, field, "{order}: {message}");
        assert!(message.contains("(got undefined)") && message.contains("orders need it"), "{message}");
    }
}

#[test]
fn fields_that_do_not_belong_are_refused() {
    for (order, field, says) in [
        (
            r#"{"type":"custom_comments","service":3,"link":"https://x","quantity":5,"comments":["a"]}"#,
            "quantity",
            "counts the lines of `comments`",
        ),
        (r#"{"type":"package","service":11,"link":"https://x","quantity":1}"#, "quantity", "priced per order"),
        (
            r#"{"type":"subscriptions","service":16,"link":"https://x","username":"a","min":1,"max":2,"delay":0}"#,
            "link",
            "not a field of subscriptions",
        ),
        (r#"{"type":"subscriptions","service":16,"username":"a","min":1,"max":2,"delay":0,"quantity":3}"#, "quantity", "`min` and `max`"),
        (
            r#"{"type":"seo","service":2,"link":"https://x","quantity":5,"keywords":["k"],"runs":2,"interval":3}"#,
            "runs",
            "not a field of seo",
        ),
        (r#"{"service":1,"link":"https://x","quantity":5,"username":"a"}"#, "username", "set `type`"),
    ] {
        let (got, message) = refused(order);
        assert_eq!(got, field, "{order}");
        assert!(message.contains(says), "{message}");
    }
}

#[test]
fn lists_are_arrays_of_single_lines() {
    let base = |comments: &str| format!(r#"{{"type":"custom_comments","service":3,"link":"https://x","comments":{comments}}}"#);
    for (comments, says) in [
        (r#""Nice!\nGreat""#, "must be an array of strings"),
        ("[]", "at least one entry"),
        (r#"["ok",""]"#, "comments[1] must be a non-empty string"),
        (r#"["ok","two\nlines"]"#, "line breaks"),
        (r#"["ok",5]"#, "(got 5)"),
        (r#"["ok",null]"#, "(got null)"),
    ] {
        let (field, message) = refused(&base(comments));
        assert_eq!(field, "comments", "{comments}");
        assert!(message.contains(says), "{comments}: {message}");
    }
}

#[test]
fn subscriptions_rules() {
    let sub = |extra: &str| format!(r#"{{"type":"subscriptions","service":16,"username":"a","min":10,"max":20{extra}}}"#);
    let (field, message) = refused(r#"{"type":"subscriptions","service":16,"username":"a","min":30,"max":20,"delay":0}"#);
    assert_eq!(field, "max");
    assert!(message.contains("min 30, max 20"), "{message}");
    for (extra, field, says) in [
        (r#","delay":601"#, "delay", "from 0 to 600"),
        (r#","delay":30,"expiry":"2027-02-30""#, "expiry", "not a real date"),
        (r#","delay":30,"expiry":"2027-13-01""#, "expiry", "not a real date"),
        (r#","delay":30,"expiry":"31/01/2027""#, "expiry", "YYYY-MM-DD"),
        (r#","delay":30,"expiry":20270131"#, "expiry", "YYYY-MM-DD"),
        (r#","delay":30,"posts":0"#, "posts", "positive whole number"),
        (r#","delay":30,"old_posts":-1"#, "old_posts", "from 0 to"),
    ] {
        let (got, message) = refused(&sub(extra));
        assert_eq!(got, field, "{extra}: {message}");
        assert!(message.contains(says), "{extra}: {message}");
    }
    assert!(body(&sub(r#","delay":30,"expiry":"2028-02-29""#)).ends_with("expiry=29%2F02%2F2028"), "a leap day is a real date");
}

#[test]
fn web_traffic_conditional_fields() {
    let traffic = |rest: &str| {
        let device = if rest.contains("\"device\"") { "" } else { r#""device":1,"# };
        format!(r#"{{"type":"web_traffic","service":17,"link":"https://x","quantity":1000,"country":"US",{device}{rest}}}"#)
    };
    for (rest, field, says) in [
        (r#""type_of_traffic":1"#, "google_keyword", "required when type_of_traffic is 1"),
        (r#""type_of_traffic":2"#, "referring_url", "required when type_of_traffic is 2"),
        (r#""type_of_traffic":2,"referring_url":"https://r","google_keyword":"k""#, "google_keyword", "only for type_of_traffic 1"),
        (r#""type_of_traffic":3,"referring_url":"https://r""#, "referring_url", "only for type_of_traffic 2"),
        (r#""type_of_traffic":4"#, "type_of_traffic", "from 1 to 3"),
        (r#""type_of_traffic":3,"device":6"#, "device", "from 1 to 5"),
        (r#""type_of_traffic":3,"runs":2"#, "interval", "needs both"),
    ] {
        let (got, message) = refused(&traffic(rest));
        assert_eq!(got, field, "{rest}: {message}");
        assert!(message.contains(says), "{rest}: {message}");
    }
}

#[test]
fn service_types_map_to_order_types() {
    for (panel, expected) in [
        ("Default", Some(OrderType::Default)),
        ("default", Some(OrderType::Default)),
        ("SEO", Some(OrderType::Seo)),
        ("Custom Comments", Some(OrderType::CustomComments)),
        ("custom_comments", Some(OrderType::CustomComments)),
        ("Custom Comments Package", Some(OrderType::CustomCommentsPackage)),
        ("Mentions with Hashtags", Some(OrderType::MentionsWithHashtags)),
        ("Mentions Custom List", Some(OrderType::MentionsCustomList)),
        ("mentions_user_followers", Some(OrderType::MentionsUserFollowers)),
        ("Comment Likes", Some(OrderType::CommentLikes)),
        ("Comment Replies", Some(OrderType::CommentReplies)),
        ("Poll", Some(OrderType::Poll)),
        ("Invites from Groups", Some(OrderType::InvitesFromGroups)),
        ("Subscriptions", Some(OrderType::Subscriptions)),
        ("Web Traffic", Some(OrderType::WebTraffic)),
        ("web-traffic", Some(OrderType::WebTraffic)),
        ("Package", Some(OrderType::Package)),
        ("Something New", None),
        ("", None),
    ] {
        assert_eq!(OrderType::of_service_type(panel), expected, "{panel:?}");
    }
}

/// The TypeScript union of action names (src/wasm/driver.d.ts, which the proxy's `allowedActions`
/// uses too) says what the core's `Action` says.
#[test]
fn the_typescript_action_names_are_the_core_s() {
    let ts = include_str!("../src/wasm/driver.d.ts");
    let line = ts.lines().find(|l| l.starts_with("export type ActionName =")).expect("ActionName is declared");
    let declared: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
    let core: Vec<&str> = smm_panel_sdk::core::Action::ALL.iter().map(|a| a.wire_name()).collect();
    assert_eq!(declared, core);
}
