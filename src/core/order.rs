//! Order types (docs/WIRE.md "Order types"): which fields each type takes, how each field is checked, and the form
//! fields an order becomes. One table drives validation, encoding and the charge estimate, so a
//! type is described once.

use smm_panel_wire::text::join;

use crate::core::call::Action;
use crate::core::error::SmmError;
use crate::core::json::{Kind, V};
use crate::core::num::parse_u64;
use crate::core::validate::{describe, positive_int, UNREPRESENTABLE};

/// The Perfect Panel order types, by the names users pass as `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderType {
    Default,
    Seo,
    CustomComments,
    CustomCommentsPackage,
    MentionsWithHashtags,
    MentionsCustomList,
    MentionsHashtag,
    MentionsUserFollowers,
    MentionsMediaLikers,
    Mentions,
    Package,
    CommentLikes,
    CommentReplies,
    Poll,
    InvitesFromGroups,
    Subscriptions,
    WebTraffic,
}

/// How one field's value is checked and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// The target URL: non-empty text without control characters.
    Link,
    /// One line of text (a username, a hashtag, a country).
    Text,
    /// An array of lines, sent joined with `\n`.
    List,
    /// A positive whole number.
    Count,
    /// A whole number in a range (device 1–5, type_of_traffic 1–3, delay 0–600 minutes).
    Range(u64, u64),
    /// A calendar date as `YYYY-MM-DD` (a JS `Date` arrives in that form), sent as `d/m/Y`.
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Field {
    name: &'static str,
    value: Value,
    required: bool,
}

const fn req(name: &'static str, value: Value) -> Field {
    Field { name, value, required: true }
}

const fn opt(name: &'static str, value: Value) -> Field {
    Field { name, value, required: false }
}

const LINK: Field = req("link", Value::Link);
const QUANTITY: Field = req("quantity", Value::Count);
const RUNS: Field = opt("runs", Value::Count);
const INTERVAL: Field = opt("interval", Value::Count);

/// Every field name any type takes (and `service`, `type`): a key among these that the order's
/// type does not take is a mistake worth naming; any other key is ignored.
const KNOWN_FIELDS: &[&str] = &[
    "service",
    "type",
    "link",
    "quantity",
    "runs",
    "interval",
    "keywords",
    "comments",
    "usernames",
    "hashtags",
    "hashtag",
    "username",
    "media",
    "answer_number",
    "groups",
    "min",
    "max",
    "posts",
    "old_posts",
    "delay",
    "expiry",
    "country",
    "device",
    "type_of_traffic",
    "google_keyword",
    "referring_url",
];

/// What the charge is computed from.
// "Per" is the meaning (a charge per thousand, per package, per post), not a stutter.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChargeBasis {
    /// rate × count / 1000, the count being `quantity` or the number of lines of a list field.
    PerThousand(&'static str),
    /// rate per order.
    PerPackage,
    /// Paid per detected post later; nothing up front.
    PerPost,
}

/// Everything the SDK knows about one order type, in one entry: the name users pass as `type`
/// (docs/CONTRACT.md "Order types"), its fields in form order, and what its charge is computed
/// from. Validation, encoding, the charge estimate and `orderTypes()` in JS all read this table.
struct TypeSpec {
    order_type: OrderType,
    name: &'static str,
    fields: &'static [Field],
    charge: ChargeBasis,
}

const TEXT: Value = Value::Text;
const LIST: Value = Value::List;
const PER_QUANTITY: ChargeBasis = ChargeBasis::PerThousand("quantity");

/// In the order of `OrderType`'s variants (checked when compiling): `OrderType::spec` indexes it.
const TYPES: [TypeSpec; 17] = [
    TypeSpec { order_type: OrderType::Default, name: "default", fields: &[LINK, QUANTITY, RUNS, INTERVAL], charge: PER_QUANTITY },
    TypeSpec { order_type: OrderType::Seo, name: "seo", fields: &[LINK, QUANTITY, req("keywords", LIST)], charge: PER_QUANTITY },
    TypeSpec {
        order_type: OrderType::CustomComments,
        name: "custom_comments",
        fields: &[LINK, req("comments", LIST)],
        charge: ChargeBasis::PerThousand("comments"),
    },
    TypeSpec {
        order_type: OrderType::CustomCommentsPackage,
        name: "custom_comments_package",
        fields: &[LINK, req("comments", LIST)],
        charge: ChargeBasis::PerPackage,
    },
    TypeSpec {
        order_type: OrderType::MentionsWithHashtags,
        name: "mentions_with_hashtags",
        fields: &[LINK, QUANTITY, req("usernames", LIST), req("hashtags", LIST)],
        charge: PER_QUANTITY,
    },
    TypeSpec {
        order_type: OrderType::MentionsCustomList,
        name: "mentions_custom_list",
        fields: &[LINK, req("usernames", LIST)],
        charge: ChargeBasis::PerThousand("usernames"),
    },
    TypeSpec {
        order_type: OrderType::MentionsHashtag,
        name: "mentions_hashtag",
        fields: &[LINK, QUANTITY, req("hashtag", TEXT)],
        charge: PER_QUANTITY,
    },
    TypeSpec {
        order_type: OrderType::MentionsUserFollowers,
        name: "mentions_user_followers",
        fields: &[LINK, QUANTITY, req("username", TEXT)],
        charge: PER_QUANTITY,
    },
    TypeSpec {
        order_type: OrderType::MentionsMediaLikers,
        name: "mentions_media_likers",
        fields: &[LINK, QUANTITY, req("media", TEXT)],
        charge: PER_QUANTITY,
    },
    TypeSpec { order_type: OrderType::Mentions, name: "mentions", fields: &[LINK, QUANTITY, req("usernames", LIST)], charge: PER_QUANTITY },
    TypeSpec { order_type: OrderType::Package, name: "package", fields: &[LINK], charge: ChargeBasis::PerPackage },
    TypeSpec {
        order_type: OrderType::CommentLikes,
        name: "comment_likes",
        fields: &[LINK, QUANTITY, req("username", TEXT)],
        charge: PER_QUANTITY,
    },
    TypeSpec {
        order_type: OrderType::CommentReplies,
        name: "comment_replies",
        fields: &[LINK, req("username", TEXT), req("comments", LIST)],
        charge: ChargeBasis::PerThousand("comments"),
    },
    TypeSpec {
        order_type: OrderType::Poll,
        name: "poll",
        fields: &[LINK, QUANTITY, req("answer_number", Value::Count)],
        charge: PER_QUANTITY,
    },
    TypeSpec {
        order_type: OrderType::InvitesFromGroups,
        name: "invites_from_groups",
        fields: &[LINK, QUANTITY, req("groups", LIST)],
        charge: PER_QUANTITY,
    },
    TypeSpec {
        order_type: OrderType::Subscriptions,
        name: "subscriptions",
        fields: &[
            req("username", TEXT),
            req("min", Value::Count),
            req("max", Value::Count),
            opt("posts", Value::Count),
            opt("old_posts", Value::Range(0, u32::MAX as u64)),
            req("delay", Value::Range(0, 600)),
            opt("expiry", Value::Date),
        ],
        charge: ChargeBasis::PerPost,
    },
    TypeSpec {
        order_type: OrderType::WebTraffic,
        name: "web_traffic",
        fields: &[
            LINK,
            QUANTITY,
            RUNS,
            INTERVAL,
            req("country", TEXT),
            req("device", Value::Range(1, 5)),
            req("type_of_traffic", Value::Range(1, 3)),
            // Required or refused depending on type_of_traffic: checked in `check_rules`.
            opt("google_keyword", TEXT),
            opt("referring_url", TEXT),
        ],
        charge: PER_QUANTITY,
    },
];

// Every entry at its variant's index, checked when compiling (see `OrderType::spec`).
const _: () = {
    let mut i = 0;
    while i < TYPES.len() {
        assert!(TYPES[i].order_type as usize == i, "TYPES is out of the order of OrderType");
        i += 1;
    }
    assert!(OrderType::WebTraffic as usize + 1 == TYPES.len(), "an OrderType without an entry");
};

impl OrderType {
    /// Every type, in the table's order.
    pub fn all() -> impl Iterator<Item = OrderType> {
        TYPES.iter().map(|spec| spec.order_type)
    }

    fn spec(self) -> &'static TypeSpec {
        &TYPES[self as usize]
    }

    /// The name users pass as `type`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn from_name(name: &str) -> Option<OrderType> {
        OrderType::all().find(|t| t.name() == name)
    }

    /// The type a service's panel-spelled `type` stands for: "Custom Comments", "custom_comments",
    /// "Custom Comments Package", "SEO", "Web Traffic", … (case, spaces, `_` and `-` ignored).
    pub fn of_service_type(panel_type: &str) -> Option<OrderType> {
        let squeezed: String = panel_type.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).map(|c| c.to_ascii_lowercase()).collect();
        OrderType::all().find(|t| t.name().replace('_', "") == squeezed)
    }

    fn fields(self) -> &'static [Field] {
        self.spec().fields
    }

    pub(crate) fn charge_basis(self) -> ChargeBasis {
        self.spec().charge
    }

    /// Whether orders of this type may be drip-fed (`runs` and `interval`).
    pub fn dripfeed(self) -> bool {
        self.fields().contains(&RUNS)
    }
}

/// The table as JSON for JS (`orderTypes()`): `[{type, fields: [{name, required, value, min?,
/// max?}], charge: {per: "thousand", count} | {per: "package"} | {per: "post"}, dripfeed}]`, so
/// that a form can show each type's fields without a copy of its own.
pub fn order_types_json() -> String {
    use smm_panel_wire::json::{write_int, write_str};
    let mut out = String::with_capacity(4096);
    out.push('[');
    for (i, spec) in TYPES.iter().enumerate() {
        out.push_str(if i == 0 { "{\"type\":" } else { ",{\"type\":" });
        write_str(&mut out, spec.name);
        out.push_str(",\"fields\":[");
        for (j, field) in spec.fields.iter().enumerate() {
            out.push_str(if j == 0 { "{\"name\":" } else { ",{\"name\":" });
            write_str(&mut out, field.name);
            out.push_str(if field.required { ",\"required\":true,\"value\":" } else { ",\"required\":false,\"value\":" });
            let kind = match field.value {
                Value::Link => "link",
                Value::Text => "text",
                Value::List => "list",
                Value::Count => "count",
                Value::Range(..) => "range",
                Value::Date => "date",
            };
            write_str(&mut out, kind);
            if let Value::Range(min, max) = field.value {
                out.push_str(",\"min\":");
                write_int(&mut out, min as i64);
                out.push_str(",\"max\":");
                write_int(&mut out, max as i64);
            }
            out.push('}');
        }
        out.push_str("],\"charge\":");
        match spec.charge {
            ChargeBasis::PerThousand(count) => {
                out.push_str("{\"per\":\"thousand\",\"count\":");
                write_str(&mut out, count);
                out.push('}');
            }
            ChargeBasis::PerPackage => out.push_str("{\"per\":\"package\"}"),
            ChargeBasis::PerPost => out.push_str("{\"per\":\"post\"}"),
        }
        out.push_str(if spec.order_type.dripfeed() { ",\"dripfeed\":true}" } else { ",\"dripfeed\":false}" });
    }
    out.push(']');
    out
}

/// A checked order, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedOrder {
    pub order_type: OrderType,
    pub service: u64,
    /// Form fields after key and action, in the order they are sent (without `service`).
    fields: Vec<(&'static str, String)>,
}

impl CheckedOrder {
    /// Form fields after key and action: `service`, then the type's fields. A drip-feed interval
    /// goes out as both `interval` and `intervals`: panels disagree on the spelling and each
    /// ignores the other.
    pub(crate) fn form_fields(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(self.fields.len() + 2);
        out.push(("service", self.service.to_string()));
        for (name, value) in &self.fields {
            out.push((name, value.clone()));
            if *name == "interval" {
                out.push(("intervals", value.clone()));
            }
        }
        out
    }

    pub fn is_dripfeed(&self) -> bool {
        self.runs().is_some()
    }

    pub fn runs(&self) -> Option<u64> {
        self.number("runs")
    }

    /// The value sent for `name`, as a number.
    pub(crate) fn number(&self, name: &str) -> Option<u64> {
        self.text(name).and_then(parse_u64)
    }

    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// How many units the charge is for: `quantity`, or the lines of the list the panel counts.
    pub(crate) fn charged_count(&self) -> Option<u64> {
        match self.order_type.charge_basis() {
            ChargeBasis::PerThousand("quantity") => self.number("quantity"),
            ChargeBasis::PerThousand(list) => self.text(list).map(|l| l.split('\n').count() as u64),
            ChargeBasis::PerPackage | ChargeBasis::PerPost => None,
        }
    }
}

/// Checks one field of an `add` request as it arrives in a form (a proxy's view): the value is
/// text, lists are `\n`-separated and dates d/m/Y. Returns the value to forward.
pub(crate) fn check_form_field(name: &str, raw: &str) -> Result<String, String> {
    if name == "service" {
        return form_count(name, raw);
    }
    let value = OrderType::all()
        .flat_map(|t| t.fields().iter())
        .find(|f| f.name == name)
        .map(|f| f.value)
        .ok_or_else(|| format!("{name} is not a field of any order type"))?;
    match value {
        Value::Link | Value::Text => {
            let t = raw.trim();
            if t.is_empty() || t.chars().any(char::is_control) {
                return Err(format!("{name} must be {} without line breaks", expectation(value)));
            }
            Ok(t.to_owned())
        }
        Value::Count => form_count(name, raw),
        Value::Range(min, max) => parse_u64(raw.trim())
            .filter(|n| (min..=max).contains(n))
            .map(|n| n.to_string())
            .ok_or_else(|| format!("{name} must be {}", expectation(value))),
        Value::List => {
            let lines: Vec<&str> = raw.split('\n').map(|l| l.trim_end_matches('\r').trim()).collect();
            if lines.iter().any(|l| l.is_empty() || l.chars().any(char::is_control)) {
                return Err(format!("{name} must be non-empty lines separated by \\n"));
            }
            Ok(join(&lines, "\n"))
        }
        Value::Date => {
            let parts: Vec<&str> = raw.trim().split('/').collect();
            let [d, m, y] = parts.as_slice() else { return Err(format!("{name} must be a date as d/m/Y")) };
            let iso = format!("{y:0>4}-{m:0>2}-{d:0>2}");
            let json = format!("\"{iso}\"");
            let doc = crate::core::json::Doc::parse(&json).map_err(|_| format!("{name} must be a date as d/m/Y"))?;
            date(doc.root(), name).map_err(|e| e.marked_message().to_owned())
        }
    }
}

fn form_count(name: &str, raw: &str) -> Result<String, String> {
    let t = raw.trim();
    match crate::core::num::int_from_text(t) {
        Ok(n) if n >= 1 && t.bytes().all(|b| b.is_ascii_digit()) => Ok(n.to_string()),
        _ => Err(format!("{name} must be a positive whole number")),
    }
}

/// Checks an `addOrder` argument (the JSON the driver made of the JS value).
pub(crate) fn check(arg: Option<V<'_, '_>>) -> Result<CheckedOrder, SmmError> {
    let obj = match arg {
        Some(v) if v.kind() == Kind::Obj && v.get(UNREPRESENTABLE).is_none() => v,
        other => {
            return Err(bad(
                "order",
                format!(
                    "addOrder needs an order object like {{ service: 1, link: \"https://…\", quantity: 1000 }} (got {})",
                    describe(other)
                ),
            ))
        }
    };
    let order_type = match obj.get("type") {
        None => OrderType::Default,
        Some(t) => match t.str().as_deref().and_then(OrderType::from_name) {
            Some(known) => known,
            None => {
                let names: Vec<&str> = OrderType::all().map(|t| t.name()).collect();
                return Err(bad("type", format!("type must be one of {} (got {})", join(&names, ", "), describe(Some(t)))));
            }
        },
    };
    let service = positive_int(obj.get("service"), "service").map_err(|m| bad("service", m))?;
    let spec = order_type.fields();
    for (key, _) in obj.entries() {
        let key = key.str().unwrap_or_default();
        let belongs = key == "service" || key == "type" || spec.iter().any(|f| f.name == key);
        if !belongs && KNOWN_FIELDS.contains(&key.as_ref()) {
            return Err(bad(&key, stray_field_message(order_type, &key)));
        }
    }
    let mut fields = Vec::with_capacity(spec.len());
    for field in spec {
        match obj.get(field.name) {
            None if field.required => {
                let which = match order_type {
                    OrderType::Default => String::new(),
                    other => format!("; {} orders need it", other.name()),
                };
                let message = format!("{} must be {} (got undefined){which}", field.name, expectation(field.value));
                return Err(bad(field.name, message));
            }
            None => {}
            Some(v) => fields.push((field.name, check_value(field, v)?)),
        }
    }
    let order = CheckedOrder { order_type, service, fields };
    check_rules(&order)?;
    Ok(order)
}

fn bad(field: &str, message: String) -> SmmError {
    SmmError::invalid_for(Action::Add, field, message)
}

fn stray_field_message(order_type: OrderType, key: &str) -> String {
    if key == "quantity" {
        let why = match order_type.charge_basis() {
            ChargeBasis::PerThousand(list) => format!("the panel counts the lines of `{list}`"),
            ChargeBasis::PerPackage => "they are priced per order".to_owned(),
            ChargeBasis::PerPost => "they take `min` and `max` per post instead".to_owned(),
        };
        return format!("quantity is not sent for {} orders: {why}", order_type.name());
    }
    let takers: Vec<&str> = OrderType::all().filter(|t| t.fields().iter().any(|f| f.name == key)).map(|t| t.name()).collect();
    format!(
        "{key} is not a field of {} orders (it belongs to: {}); set `type` to the order type you mean",
        order_type.name(),
        join(&takers, ", ")
    )
}

/// What a field's value must be, for messages.
fn expectation(value: Value) -> String {
    match value {
        Value::Link | Value::Text => "a non-empty string".to_owned(),
        Value::List => "an array of strings, one per line".to_owned(),
        Value::Count => "a positive whole number".to_owned(),
        Value::Range(min, max) => format!("a whole number from {min} to {max}"),
        Value::Date => "a date as \"YYYY-MM-DD\" or a Date".to_owned(),
    }
}

fn check_value(field: &Field, v: V<'_, '_>) -> Result<String, SmmError> {
    let name = field.name;
    match field.value {
        Value::Link | Value::Text => line(v, name, &expectation(field.value)),
        Value::Count => positive_int(Some(v), name).map(|n| n.to_string()).map_err(|m| bad(name, m)),
        Value::Range(min, max) => {
            let n = v
                .num_text()
                .and_then(|t| crate::core::num::int_from_text(t).ok())
                .and_then(|n| u64::try_from(n).ok())
                .filter(|n| (min..=max).contains(n));
            n.map(|n| n.to_string())
                .ok_or_else(|| bad(name, format!("{name} must be {} (got {})", expectation(field.value), describe(Some(v)))))
        }
        Value::List => list(v, name),
        Value::Date => date(v, name),
    }
}

/// One line of text: trimmed, non-empty, no control characters (a line break would split it).
fn line(v: V<'_, '_>, name: &str, what: &str) -> Result<String, SmmError> {
    let Some(s) = v.str() else {
        return Err(bad(name, format!("{name} must be {what} (got {})", describe(Some(v)))));
    };
    let t = s.trim();
    if t.is_empty() {
        return Err(bad(name, format!("{name} must be {what} (got an empty one)")));
    }
    if t.chars().any(char::is_control) {
        return Err(bad(name, format!("{name} must not contain control characters such as line breaks (got {})", describe(Some(v)))));
    }
    Ok(t.to_owned())
}

/// An array of lines, joined with `\n` as panels expect.
fn list(v: V<'_, '_>, name: &str) -> Result<String, SmmError> {
    if v.kind() != Kind::Arr {
        return Err(bad(name, format!("{name} must be {} (got {})", expectation(Value::List), describe(Some(v)))));
    }
    if v.is_empty() {
        return Err(bad(name, format!("{name} must have at least one entry")));
    }
    let mut joined = String::new();
    for (i, item) in v.items().enumerate() {
        let entry = line(item, &format!("{name}[{i}]"), "a non-empty string").map_err(|e| bad(name, e.marked_message().to_owned()))?;
        if i > 0 {
            joined.push('\n');
        }
        joined.push_str(&entry);
    }
    Ok(joined)
}

/// `YYYY-MM-DD` (a JS `Date` arrives so, in the caller's local calendar) → `DD/MM/YYYY`.
fn date(v: V<'_, '_>, name: &str) -> Result<String, SmmError> {
    let refuse = || bad(name, format!("{name} must be {} (got {})", expectation(Value::Date), describe(Some(v))));
    let s = v.str().ok_or_else(refuse)?;
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else { return Err(refuse()) };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    let small = |t: &str| parse_u64(t).and_then(|n| u32::try_from(n).ok());
    let (year, month, day): (u32, u32, u32) = (small(y).ok_or_else(refuse)?, small(m).ok_or_else(refuse)?, small(d).ok_or_else(refuse)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if day == 0 || day > days {
        return Err(bad(name, format!("{name} is not a real date (got {})", describe(Some(v)))));
    }
    Ok(format!("{d}/{m}/{y}"))
}

/// Rules across fields.
fn check_rules(order: &CheckedOrder) -> Result<(), SmmError> {
    match (order.text("runs"), order.text("interval")) {
        (Some(_), None) => {
            return Err(bad(
                "interval",
                "interval (minutes between runs) is required when runs is given: a drip-feed order needs both".to_owned(),
            ))
        }
        (None, Some(_)) => return Err(bad("runs", "runs is required when interval is given: a drip-feed order needs both".to_owned())),
        _ => {}
    }
    if let (Some(min), Some(max)) = (order.number("min"), order.number("max")) {
        if min > max {
            return Err(bad("max", format!("max must be at least min (got min {min}, max {max})")));
        }
    }
    if order.order_type == OrderType::WebTraffic {
        let traffic = order.number("type_of_traffic");
        for (field, needed_for, label) in [("google_keyword", 1, "1 (Google keyword)"), ("referring_url", 2, "2 (custom referrer)")] {
            match (order.text(field).is_some(), traffic == Some(needed_for)) {
                (false, true) => return Err(bad(field, format!("{field} is required when type_of_traffic is {label}"))),
                (true, false) => {
                    return Err(bad(
                        field,
                        format!("{field} is only for type_of_traffic {label} (got type_of_traffic {})", traffic.unwrap_or(0)),
                    ))
                }
                _ => {}
            }
        }
    }
    Ok(())
}
