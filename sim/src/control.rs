//! `/__sim/…`: the control API tests use to set up accounts, faults and time, and to read the
//! journal. Always CORS-open, because browser tests call it from another origin.

use serde_json::Value;

use crate::api::Dialect;
use crate::faults::parse_rule;
use crate::http::{self, Request, Response};
use crate::json::J;
use crate::money::Money;
use crate::Shared;

fn reply(status: u16, body: J) -> Response {
    cors(Response::json(status, body.to_bytes()))
}

fn cors(r: Response) -> Response {
    r.with_header("Access-Control-Allow-Origin", "*").with_header("Access-Control-Expose-Headers", "*")
}

fn bad(msg: impl Into<String>) -> Response {
    reply(400, J::error(msg))
}

fn parse_body(req: &Request) -> Result<Value, Response> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&req.body).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

fn money_value(v: &Value) -> Option<Money> {
    match v {
        Value::String(s) => Money::parse(s).ok(),
        // serde_json prints a parsed number back as the shortest text that reads the same.
        Value::Number(n) => Money::parse(&n.to_string()).ok(),
        _ => None,
    }
}

fn account_json(key: &str, balance: Money) -> J {
    J::obj([("key", J::str(key)), ("balance", J::str(balance.to_string())), ("currency", J::str("USD"))])
}

pub(crate) fn handle(shared: &Shared, req: &Request) -> Response {
    if req.method == "OPTIONS" {
        return cors(Response::empty(204))
            .with_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
            .with_header("Access-Control-Allow-Headers", req.header("access-control-request-headers").unwrap_or("*"))
            .with_header("Access-Control-Max-Age", "600");
    }
    let query = http::parse_urlencoded(&req.query);
    let q = |name: &str| query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let rest = req.path.trim_start_matches("/__sim").trim_start_matches('/');
    let segments: Vec<String> = rest.split('/').filter(|s| !s.is_empty()).map(|s| http::url_decode(s, false)).collect();
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = req.method.as_str();
    match (method, seg.as_slice()) {
        ("GET", [] | ["health"]) => reply(200, J::obj([("ok", J::Bool(true))])),
        ("POST", ["reset"]) => {
            let mut rt = shared.rt();
            *rt = Shared::fresh_runtime(&shared.config, &shared.services, shared.epoch_unix);
            reply(200, J::obj([("ok", J::Bool(true))]))
        }
        ("POST", ["accounts"]) => {
            let body = match parse_body(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let Some(key) = body.get("key").and_then(Value::as_str).filter(|k| !k.is_empty()) else {
                return bad("\"key\" (a non-empty string) is required");
            };
            let balance = match body.get("balance") {
                None => Money::ZERO,
                Some(v) => match money_value(v) {
                    Some(m) if !m.is_negative() => m,
                    _ => return bad("\"balance\" must be a non-negative decimal, e.g. \"10.5\""),
                },
            };
            shared.rt().state.accounts.insert(key.to_string(), balance);
            reply(200, account_json(key, balance))
        }
        ("GET", ["accounts", key]) => {
            let rt = shared.rt();
            match rt.state.accounts.get(*key) {
                Some(b) => reply(200, account_json(key, *b)),
                None => reply(404, J::error("No such account")),
            }
        }
        ("GET", ["faults"]) => {
            let rt = shared.rt();
            reply(200, J::Arr(rt.faults.iter().map(|f| f.to_json()).collect()))
        }
        ("POST", ["faults"]) => {
            let body = match parse_body(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let items = match body {
                Value::Array(a) => a,
                other => vec![other],
            };
            let mut rt = shared.rt();
            let mut added = Vec::new();
            for item in &items {
                let id = rt.next_fault_id;
                match parse_rule(item, id) {
                    Ok(rule) => added.push(rule),
                    Err(e) => return bad(e.to_string()),
                }
                rt.next_fault_id += 1;
            }
            let out = J::Arr(added.iter().map(|f| f.to_json()).collect());
            rt.faults.extend(added);
            reply(200, out)
        }
        ("DELETE", ["faults"]) => {
            shared.rt().faults.clear();
            reply(200, J::obj([("ok", J::Bool(true))]))
        }
        ("GET", ["clock"]) => clock_json(shared),
        ("POST", ["clock"]) => {
            let body = match parse_body(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let speed = match body.get("speed") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_f64().filter(|s| s.is_finite() && *s >= 0.0) {
                    Some(s) => Some(s),
                    None => return bad("\"speed\" must be a non-negative number"),
                },
            };
            let advance = match body.get("advance_seconds") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_f64().filter(|s| s.is_finite() && *s >= 0.0) {
                    Some(s) => Some(s),
                    None => return bad("\"advance_seconds\" must be a non-negative number"),
                },
            };
            {
                let mut rt = shared.rt();
                if let Some(s) = speed {
                    rt.state.clock.set_speed(s);
                }
                if let Some(a) = advance {
                    rt.state.clock.advance_ms((a * 1000.0).round() as i64);
                }
                rt.state.settle();
            }
            clock_json(shared)
        }
        ("GET", ["journal"]) => {
            let rt = shared.rt();
            reply(200, rt.journal.query(q("key"), q("action")))
        }
        ("DELETE", ["journal"]) => {
            shared.rt().journal.clear();
            reply(200, J::obj([("ok", J::Bool(true))]))
        }
        ("GET", ["config"]) => config_json(shared),
        ("POST", ["config"]) => {
            let body = match parse_body(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let dialect = match body.get("dialect") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_str().and_then(Dialect::parse) {
                    Some(d) => Some(d),
                    None => return bad("\"dialect\" must be one of perfect, seed, smartpanel, laravel"),
                },
            };
            let cors_on = match body.get("cors") {
                None | Some(Value::Null) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(Value::String(s)) if s == "on" => Some(true),
                Some(Value::String(s)) if s == "off" => Some(false),
                Some(_) => return bad("\"cors\" must be \"on\" or \"off\""),
            };
            let latency = match body.get("latency_ms") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_u64() {
                    Some(l) => Some(l),
                    None => return bad("\"latency_ms\" must be a non-negative integer"),
                },
            };
            {
                let mut rt = shared.rt();
                if let Some(d) = dialect {
                    rt.dialect = d;
                }
                if let Some(c) = cors_on {
                    rt.cors = c;
                }
                if let Some(l) = latency {
                    rt.latency_ms = l;
                }
            }
            config_json(shared)
        }
        ("GET", ["orders", id]) => {
            let mut rt = shared.rt();
            rt.state.settle();
            match id.parse::<u64>().ok().and_then(|n| rt.state.orders.get(&n)) {
                Some(o) => reply(200, rt.state.order_view(o)),
                None => reply(404, J::error("No such order")),
            }
        }
        _ => reply(404, J::error("Not found")),
    }
}

fn clock_json(shared: &Shared) -> Response {
    let rt = shared.rt();
    let now = rt.state.now();
    reply(
        200,
        J::obj([
            ("sim_time", J::Num(format!("{}.{:03}", now / 1000, now % 1000))),
            ("speed", J::Num(format!("{}", rt.state.clock.speed()))),
            ("epoch_unix", J::int(shared.epoch_unix)),
        ]),
    )
}

fn config_json(shared: &Shared) -> Response {
    let rt = shared.rt();
    reply(
        200,
        J::obj([
            ("dialect", J::str(rt.dialect.name())),
            ("cors", J::str(if rt.cors { "on" } else { "off" })),
            ("latency_ms", J::int(rt.latency_ms)),
            ("path", J::str(shared.config.api_path.clone())),
            ("services", J::int(shared.services.len() as u64)),
        ]),
    )
}
