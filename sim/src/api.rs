//! The panel API: actions against the state, answered in one of four dialects.

use crate::catalog::{OrderType, Service};
use crate::json::J;
use crate::money::Money;
use crate::state::{parse_dmy, NewOrder, Order, State, Status, Subscription};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Perfect Panel: numbers as strings, multi status keyed by ID, every error HTTP 200.
    Perfect,
    /// The seed document's panel: Perfect Panel plus `intervals` and `type` in `add`.
    Seed,
    /// SmartPanel family: JSON numbers, `desc`, lower-case types and some statuses, bare item errors.
    SmartPanel,
    /// A modern Laravel panel: real status codes, arrays in request order.
    Laravel,
}

impl Dialect {
    pub fn parse(s: &str) -> Option<Dialect> {
        match s.to_ascii_lowercase().as_str() {
            "perfect" => Some(Dialect::Perfect),
            "seed" => Some(Dialect::Seed),
            "smartpanel" => Some(Dialect::SmartPanel),
            "laravel" => Some(Dialect::Laravel),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Perfect => "perfect",
            Dialect::Seed => "seed",
            Dialect::SmartPanel => "smartpanel",
            Dialect::Laravel => "laravel",
        }
    }

    fn interval_field(self) -> &'static str {
        match self {
            Dialect::Seed => "intervals",
            _ => "interval",
        }
    }

    fn smart(self) -> bool {
        self == Dialect::SmartPanel
    }

    fn status_name(self, s: Status) -> &'static str {
        match (self, s) {
            (Dialect::SmartPanel, Status::Pending) => "pending",
            (Dialect::SmartPanel, Status::InProgress) => "in progress",
            (Dialect::SmartPanel, Status::Canceled) => "Cancelled",
            _ => s.name(),
        }
    }

    /// A count: a string in the PHP panels, a number elsewhere.
    fn count(self, n: u64) -> J {
        match self {
            Dialect::Perfect | Dialect::Seed => J::Str(n.to_string()),
            Dialect::SmartPanel | Dialect::Laravel => J::int(n),
        }
    }

    fn money(self, m: Money) -> J {
        if self.smart() {
            J::Num(m.to_string())
        } else {
            J::Str(m.to_string())
        }
    }

    fn flag(self, b: bool) -> J {
        if self.smart() {
            J::int(b as u8)
        } else {
            J::Bool(b)
        }
    }

    /// An error inside a multi answer.
    fn item_error(self, msg: &str) -> J {
        if self.smart() {
            J::str(msg)
        } else {
            J::error(msg)
        }
    }
}

/// Why a request failed; decides the HTTP status in the laravel dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrKind {
    Auth,
    Request,
    Validation,
    Funds,
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{msg}")]
pub struct ApiError {
    pub kind: ErrKind,
    pub msg: String,
}

fn err(kind: ErrKind, msg: impl Into<String>) -> ApiError {
    ApiError { kind, msg: msg.into() }
}

fn invalid(msg: impl Into<String>) -> ApiError {
    err(ErrKind::Validation, msg)
}

pub const MAX_IDS: usize = 100;

/// Request fields after PHP's merge: query first, body after, the last value of a name wins.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A field that is present and not blank.
    fn given(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// PHP's `intval`: leading digits count, anything else is 0.
pub fn intval(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = digits.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(digits.len());
    let v = digits[..end].parse::<i64>().unwrap_or(if end > 0 { i64::MAX } else { 0 });
    if neg {
        -v
    } else {
        v
    }
}

fn list(text: &str) -> Vec<String> {
    text.split('\n').map(|l| l.trim_end_matches('\r').trim()).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

pub struct Api<'a> {
    pub dialect: Dialect,
    pub state: &'a mut State,
    /// Pre-rendered `services` answer for this dialect, built on first use.
    pub services_json: &'a mut dyn FnMut(Dialect, &State) -> Vec<u8>,
}

impl Api<'_> {
    pub fn handle(&mut self, fields: &Fields) -> Answer {
        self.state.settle();
        match self.dispatch(fields) {
            Ok((status, body)) => Answer { status, body },
            Err(e) => {
                let status = if self.dialect == Dialect::Laravel {
                    match e.kind {
                        ErrKind::Auth => 401,
                        ErrKind::Request => 400,
                        ErrKind::Validation => 422,
                        ErrKind::Funds => 402,
                        ErrKind::NotFound => 404,
                    }
                } else {
                    200
                };
                Answer { status, body: J::error(e.msg).to_bytes() }
            }
        }
    }

    fn dispatch(&mut self, f: &Fields) -> Result<(u16, Vec<u8>), ApiError> {
        let key = f.get("key").unwrap_or("").to_string();
        if !self.state.accounts.contains_key(&key) {
            return Err(err(ErrKind::Auth, "Invalid API key"));
        }
        let action = f.get("action").unwrap_or("");
        let ok = |j: J| Ok((200, j.to_bytes()));
        match action {
            "balance" => ok(self.balance(&key)),
            "services" => Ok((200, (self.services_json)(self.dialect, self.state))),
            "add" => {
                let id = self.add(&key, f)?;
                let mut v = J::obj([("order", J::int(id))]);
                if self.dialect == Dialect::Seed {
                    let drip = self.state.orders.get(&id).is_some_and(Order::is_drip_parent);
                    v.push("type", J::str(if drip { "dripfeed" } else { "normal" }));
                }
                Ok((if self.dialect == Dialect::Laravel { 201 } else { 200 }, v.to_bytes()))
            }
            "status" => ok(self.status(&key, f)?),
            "refill" => ok(self.refill(&key, f)?),
            "refill_status" => ok(self.refill_status(&key, f)?),
            "cancel" => ok(self.cancel(&key, f)?),
            _ => Err(err(ErrKind::Request, "Incorrect request")),
        }
    }

    fn balance(&self, key: &str) -> J {
        let bal = self.state.accounts.get(key).copied().unwrap_or_default();
        J::obj([("balance", self.dialect.money(bal)), ("currency", J::str("USD"))])
    }

    /// The IDs of a multi request, or None for a single one.
    fn ids(&self, f: &Fields, plural: &str) -> Result<Option<Vec<String>>, ApiError> {
        let Some(raw) = f.get(plural) else { return Ok(None) };
        let mut ids: Vec<String> = raw.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        if ids.len() > MAX_IDS {
            return Err(invalid(format!("Maximum {MAX_IDS} {plural} per request")));
        }
        if ids.is_empty() {
            ids.push(String::new());
        }
        Ok(Some(ids))
    }

    fn id_json(id: &str) -> J {
        match id.parse::<u64>() {
            Ok(n) => J::int(n),
            Err(_) => J::str(id),
        }
    }

    // ----- add -----

    fn add(&mut self, key: &str, f: &Fields) -> Result<u64, ApiError> {
        let sid = f.get("service").map(intval).unwrap_or(0);
        let svc = u64::try_from(sid).ok().and_then(|id| self.state.service(id)).cloned().ok_or_else(|| invalid("Incorrect service ID"))?;
        if svc.kind == OrderType::Subscriptions {
            return self.add_subscription(key, &svc, f);
        }
        let link = f.get("link").map(str::trim).unwrap_or("");
        if link.is_empty() || link.len() > 2048 || link.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("Bad link"));
        }
        let drip = match f.given("runs") {
            Some(r) if intval(r) != 0 => {
                if !svc.dripfeed {
                    return Err(invalid("This services does not support Dripfeed feature!"));
                }
                let runs = intval(r);
                if !(1..=1000).contains(&runs) {
                    return Err(invalid("Incorrect runs"));
                }
                let interval = f.given(self.dialect.interval_field()).map(intval).unwrap_or(0);
                if !(1..=10_000).contains(&interval) {
                    return Err(invalid("Incorrect interval"));
                }
                Some((runs as u64, interval as u64))
            }
            _ => None,
        };
        let mut extra = Vec::new();
        let mut keep = |name: &str, value: &str| extra.push((name.to_string(), value.to_string()));
        let require_list = |name: &str, what: &str| -> Result<Vec<String>, ApiError> {
            let l = list(f.get(name).unwrap_or(""));
            if l.is_empty() {
                Err(invalid(format!("{what} are required")))
            } else {
                Ok(l)
            }
        };
        let require = |name: &str, what: &str| -> Result<String, ApiError> {
            f.given(name).map(str::to_string).ok_or_else(|| invalid(format!("{what} is required")))
        };
        let quantity_field = || f.get("quantity").map(intval).unwrap_or(0);
        let quantity: i64 = match svc.kind {
            OrderType::CustomComments => {
                let c = require_list("comments", "Comments")?;
                keep("comments", &c.join("\n"));
                c.len() as i64
            }
            OrderType::CommentReplies => {
                let u = require("username", "Username")?;
                let c = require_list("comments", "Comments")?;
                keep("username", &u);
                keep("comments", &c.join("\n"));
                c.len() as i64
            }
            OrderType::MentionsCustomList => {
                let u = require_list("usernames", "Usernames")?;
                keep("usernames", &u.join("\n"));
                u.len() as i64
            }
            OrderType::Package => 1,
            OrderType::CustomCommentsPackage => {
                let c = require_list("comments", "Comments")?;
                keep("comments", &c.join("\n"));
                1
            }
            _ => quantity_field(),
        };
        if !svc.kind.is_package() {
            if quantity < svc.min as i64 {
                return Err(invalid(format!("Quantity less than minimal {}", svc.min)));
            }
            if quantity > svc.max as i64 {
                return Err(invalid(format!("Quantity more than maximal {}", svc.max)));
            }
        }
        match svc.kind {
            OrderType::Seo => keep("keywords", &require_list("keywords", "Keywords")?.join("\n")),
            OrderType::MentionsWithHashtags => {
                keep("usernames", &require_list("usernames", "Usernames")?.join("\n"));
                keep("hashtags", &require_list("hashtags", "Hashtags")?.join("\n"));
            }
            OrderType::MentionsHashtag => keep("hashtag", &require("hashtag", "Hashtag")?),
            OrderType::MentionsUserFollowers | OrderType::CommentLikes => keep("username", &require("username", "Username")?),
            OrderType::MentionsMediaLikers => keep("media", &require("media", "Media")?),
            OrderType::Mentions => keep("usernames", &require_list("usernames", "Usernames")?.join("\n")),
            OrderType::Poll => {
                let a = f.given("answer_number").map(intval).unwrap_or(0);
                if a < 1 {
                    return Err(invalid("Answer number is required"));
                }
                keep("answer_number", &a.to_string());
            }
            OrderType::InvitesFromGroups => keep("groups", &require_list("groups", "Groups")?.join("\n")),
            OrderType::WebTraffic => {
                keep("country", &require("country", "Country")?);
                let device = f.given("device").map(intval).unwrap_or(0);
                if !(1..=5).contains(&device) {
                    return Err(invalid("Incorrect device"));
                }
                keep("device", &device.to_string());
                let tot = f.given("type_of_traffic").map(intval).unwrap_or(0);
                if !(1..=3).contains(&tot) {
                    return Err(invalid("Incorrect type of traffic"));
                }
                keep("type_of_traffic", &tot.to_string());
                match tot {
                    1 => keep("google_keyword", &require("google_keyword", "Google keyword")?),
                    2 => keep("referring_url", &require("referring_url", "Referring URL")?),
                    _ => {}
                }
            }
            _ => {}
        }
        let quantity = quantity as u64;
        if self.state.has_active_duplicate(key, svc.id, link) {
            return Err(invalid("You have active order with this link. Please wait until order being completed."));
        }
        let per_order = if svc.kind.is_package() { svc.rate } else { svc.rate.mul_div(quantity, 1000) };
        let charge = per_order.mul_div(drip.map_or(1, |(runs, _)| runs), 1);
        let balance = self.state.accounts.get(key).copied().unwrap_or_default();
        if charge > balance {
            return Err(err(ErrKind::Funds, "Not enough funds on balance"));
        }
        Ok(self.state.place(NewOrder {
            key: key.to_string(),
            service: svc.clone(),
            link: link.to_string(),
            quantity,
            charge,
            drip,
            subscription: None,
            extra,
        }))
    }

    fn add_subscription(&mut self, key: &str, svc: &Service, f: &Fields) -> Result<u64, ApiError> {
        let username = f.given("username").ok_or_else(|| invalid("Username is required"))?.to_string();
        let min = f.get("min").map(intval).unwrap_or(0);
        let max = f.get("max").map(intval).unwrap_or(0);
        if min < svc.min as i64 {
            return Err(invalid(format!("Quantity less than minimal {}", svc.min)));
        }
        if max > svc.max as i64 {
            return Err(invalid(format!("Quantity more than maximal {}", svc.max)));
        }
        if min > max {
            return Err(invalid("Min cannot be greater than max"));
        }
        let opt_count = |name: &str| -> Result<Option<u64>, ApiError> {
            match f.given(name) {
                None => Ok(None),
                Some(v) => u64::try_from(intval(v)).map(Some).map_err(|_| invalid(format!("Incorrect {name}"))),
            }
        };
        let posts = opt_count("posts")?;
        let old_posts = opt_count("old_posts")?;
        const DELAYS: [i64; 22] = [0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600];
        let delay = f.given("delay").map(intval).unwrap_or(0);
        if !DELAYS.contains(&delay) {
            return Err(invalid("Incorrect delay"));
        }
        let (expires_ms, expiry_text) = match f.given("expiry") {
            None => (None, None),
            Some(text) => {
                let (d, m, y) = parse_dmy(text).ok_or_else(|| invalid("Incorrect expiry date"))?;
                let at = self.state.end_of_day_ms(d, m, y);
                if at <= self.state.now() {
                    return Err(invalid("Incorrect expiry date"));
                }
                (Some(at), Some(text.to_string()))
            }
        };
        let sub = Subscription {
            username: username.clone(),
            min: min as u64,
            max: max as u64,
            posts,
            old_posts,
            delay: delay as u64,
            expires_ms,
            expiry_text,
        };
        // Subscriptions are paid per detected post, not up front.
        Ok(self.state.place(NewOrder {
            key: key.to_string(),
            service: svc.clone(),
            link: String::new(),
            quantity: 0,
            charge: Money::ZERO,
            drip: None,
            subscription: Some(sub),
            extra: vec![("username".into(), username)],
        }))
    }

    // ----- status -----

    fn status(&self, key: &str, f: &Fields) -> Result<J, ApiError> {
        let drip = f.get("type").is_some_and(|t| t.eq_ignore_ascii_case("dripfeed"));
        match self.ids(f, "orders")? {
            None => {
                let id = f.get("order").unwrap_or("");
                self.one_status(key, id, drip).ok_or_else(|| err(ErrKind::NotFound, "Incorrect order ID"))
            }
            Some(ids) => {
                let d = self.dialect;
                if d == Dialect::Laravel {
                    let items = ids
                        .iter()
                        .map(|id| {
                            let mut item = J::obj([("order", Self::id_json(id))]);
                            match self.one_status(key, id, drip) {
                                Some(J::Obj(fields)) => {
                                    if let J::Obj(f) = &mut item {
                                        f.extend(fields);
                                    }
                                }
                                _ => item.push("error", J::str("Incorrect order ID")),
                            }
                            item
                        })
                        .collect();
                    return Ok(J::Arr(items));
                }
                let mut out: Vec<(String, J)> = Vec::new();
                for id in ids {
                    if out.iter().any(|(k, _)| *k == id) {
                        continue;
                    }
                    let v = self.one_status(key, &id, drip).unwrap_or_else(|| d.item_error("Incorrect order ID"));
                    out.push((id, v));
                }
                Ok(J::Obj(out))
            }
        }
    }

    fn find_order(&self, key: &str, id: &str) -> Option<&Order> {
        let id: u64 = id.trim().parse().ok()?;
        self.state.order_of(key, id)
    }

    fn one_status(&self, key: &str, id: &str, drip: bool) -> Option<J> {
        let o = self.find_order(key, id)?;
        let d = self.dialect;
        let now = self.state.now();
        // Drip-feed orders live apart from normal ones, as in Perfect Panel: each kind is only
        // found when asked for with (or without) `type=dripfeed`.
        if o.is_drip_parent() != drip {
            return None;
        }
        if let Some(drip) = &o.drip {
            let status = self.state.drip_status(o, now);
            return Some(J::obj([
                ("status", J::str(d.status_name(status))),
                ("orders", J::Arr(drip.children.iter().map(|c| J::int(*c)).collect())),
                ("runs", d.count(drip.runs)),
                ("interval", d.count(drip.interval_min)),
            ]));
        }
        let p = o.progress(now);
        let remains = if d.smart() && p.status == Status::Pending { J::str("Unknown") } else { d.count(o.remains(p)) };
        Some(J::obj([
            ("charge", d.money(o.shown_charge())),
            ("start_count", d.count(p.start_count)),
            ("status", J::str(d.status_name(p.status))),
            ("remains", remains),
            ("currency", J::str("USD")),
        ]))
    }

    // ----- refill -----

    fn refill(&mut self, key: &str, f: &Fields) -> Result<J, ApiError> {
        let d = self.dialect;
        match self.ids(f, "orders")? {
            None => {
                let id = self.one_refill(key, f.get("order").unwrap_or(""))?;
                Ok(J::obj([("refill", if d == Dialect::Perfect || d == Dialect::Seed { J::Str(id.to_string()) } else { J::int(id) })]))
            }
            Some(ids) => Ok(J::Arr(
                ids.iter()
                    .map(|id| {
                        let r = match self.one_refill(key, id) {
                            Ok(rid) => J::int(rid),
                            Err(e) => d.item_error(&e.msg),
                        };
                        J::obj([("order", Self::id_json(id)), ("refill", r)])
                    })
                    .collect(),
            )),
        }
    }

    fn one_refill(&mut self, key: &str, id: &str) -> Result<u64, ApiError> {
        let not_found = || err(ErrKind::NotFound, "Incorrect order ID");
        let o = self.find_order(key, id).filter(|o| !o.is_drip_parent()).ok_or_else(not_found)?;
        let oid = o.id;
        let svc_refill = self.state.service(o.service).is_some_and(|s| s.refill);
        if !svc_refill {
            return Err(invalid("Refill is disabled for this service"));
        }
        match o.progress(self.state.now()).status {
            Status::Completed | Status::Partial if o.canceled.is_none() => {}
            Status::Canceled | Status::Partial => return Err(invalid("Refill is not available for this order")),
            _ => return Err(invalid("Order is not completed yet")),
        }
        if self.state.open_refill_for(oid) {
            return Err(invalid("Refill request already exists"));
        }
        Ok(self.state.add_refill(key, oid))
    }

    fn refill_status(&self, key: &str, f: &Fields) -> Result<J, ApiError> {
        let d = self.dialect;
        let now = self.state.now();
        let find = |id: &str| id.trim().parse::<u64>().ok().and_then(|n| self.state.refills.get(&n)).filter(|r| r.key == key);
        match self.ids(f, "refills")? {
            None => {
                let r = find(f.get("refill").unwrap_or("")).ok_or_else(|| err(ErrKind::NotFound, "Refill not found"))?;
                Ok(J::obj([("status", J::str(d.status_name(r.status(now))))]))
            }
            Some(ids) => Ok(J::Arr(
                ids.iter()
                    .map(|id| {
                        let s = match find(id) {
                            Some(r) => J::str(d.status_name(r.status(now))),
                            None => d.item_error("Refill not found"),
                        };
                        J::obj([("refill", Self::id_json(id)), ("status", s)])
                    })
                    .collect(),
            )),
        }
    }

    // ----- cancel -----

    fn cancel(&mut self, key: &str, f: &Fields) -> Result<J, ApiError> {
        let d = self.dialect;
        match self.ids(f, "orders")? {
            None => {
                self.one_cancel(key, f.get("order").unwrap_or(""))?;
                Ok(J::obj([("cancel", J::int(1))]))
            }
            Some(ids) => Ok(J::Arr(
                ids.iter()
                    .map(|id| {
                        let c = match self.one_cancel(key, id) {
                            Ok(()) => J::int(1),
                            Err(e) => d.item_error(&e.msg),
                        };
                        J::obj([("order", Self::id_json(id)), ("cancel", c)])
                    })
                    .collect(),
            )),
        }
    }

    fn one_cancel(&mut self, key: &str, id: &str) -> Result<(), ApiError> {
        let o = self.find_order(key, id).ok_or_else(|| err(ErrKind::NotFound, "Incorrect order ID"))?;
        let oid = o.id;
        if !self.state.service(o.service).is_some_and(|s| s.cancel) {
            return Err(invalid("Cancel is disabled for this service"));
        }
        self.state.cancel(oid).map_err(invalid)
    }
}

/// The `services` answer of a dialect.
pub fn render_services(d: Dialect, services: &[Service]) -> Vec<u8> {
    let mut out = String::with_capacity(services.len() * 260 + 2);
    out.push('[');
    for (i, s) in services.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (rate, min, max) = match d {
            Dialect::Perfect | Dialect::Seed => (J::Str(s.rate_text.clone()), J::Str(s.min.to_string()), J::Str(s.max.to_string())),
            Dialect::SmartPanel => (J::Num(s.rate_text.clone()), J::int(s.min), J::int(s.max)),
            Dialect::Laravel => (J::Str(s.rate_text.clone()), J::int(s.min), J::int(s.max)),
        };
        let mut v = J::obj([
            ("service", J::int(s.id)),
            ("name", J::str(s.name.clone())),
            ("type", J::str(if d.smart() { s.kind.snake_name() } else { s.kind.name() })),
            ("category", J::str(s.category.clone())),
            ("rate", rate),
            ("min", min),
            ("max", max),
            ("refill", d.flag(s.refill)),
            ("cancel", d.flag(s.cancel)),
            ("dripfeed", d.flag(s.dripfeed)),
        ]);
        if let Some(desc) = &s.description {
            v.push(if d.smart() { "desc" } else { "description" }, J::str(desc.clone()));
        }
        v.write(&mut out);
    }
    out.push(']');
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intval_like_php() {
        assert_eq!(intval("12abc"), 12);
        assert_eq!(intval("abc"), 0);
        assert_eq!(intval(" 7"), 7);
        assert_eq!(intval("-3"), -3);
        assert_eq!(intval("12.9"), 12);
    }

    #[test]
    fn lists_accept_crlf() {
        assert_eq!(list("a\r\nb\n\nc\r\n"), vec!["a", "b", "c"]);
    }
}
