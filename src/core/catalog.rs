//! The service catalog: the panel's services, looked up by ID, grouped, searched, and used to
//! check an order against its service and price it exactly before anything is sent.

use std::collections::BTreeMap;

use smm_panel_wire::text::contains;

use crate::core::call::Action;
use crate::core::error::SmmError;
use crate::core::json::{Doc, Kind, V};
use crate::core::num::parse_u64;
use crate::core::order::{self, ChargeBasis, CheckedOrder, OrderType};

/// Default and bound of the `maxAgeMs` option of `client.catalog()`.
pub const DEFAULT_MAX_AGE_MS: u32 = 5 * 60 * 1000;
const MAX_MAX_AGE_MS: u32 = 24 * 60 * 60 * 1000;

/// The `maxAgeMs` of `client.catalog(options)` (0 forces a fresh fetch).
pub fn max_age_ms(options_json: Option<&str>) -> Result<u32, SmmError> {
    let doc = crate::core::validate::parse_js(options_json, "options")?;
    match doc.as_ref().map(|d| d.root()).and_then(|o| o.get("maxAgeMs")) {
        None => Ok(DEFAULT_MAX_AGE_MS),
        Some(v) if v.kind() == Kind::Null => Ok(DEFAULT_MAX_AGE_MS),
        Some(v) => crate::core::validate::int_in_range(v, "maxAgeMs", 0, MAX_MAX_AGE_MS)
            .map_err(|m| SmmError::invalid_for(Action::Services, "maxAgeMs", m)),
    }
}

/// Whether a catalog fetched at `fetched_at_ms` may still be used at `now_ms`.
pub fn is_fresh(fetched_at_ms: f64, now_ms: f64, max_age_ms: u32) -> bool {
    let age = now_ms - fetched_at_ms;
    age >= 0.0 && age < f64::from(max_age_ms)
}

/// What the catalog keeps of one service (the JS side keeps the full objects).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: u64,
    name: String,
    panel_type: String,
    order_type: Option<OrderType>,
    category: String,
    /// None where the panel's rate is no decimal exact arithmetic can use (negative, or more
    /// digits than 128 bits hold): the service is still listed, only its charge is not estimated.
    rate: Option<Decimal>,
    /// `services()` passes negative bounds on as the panel wrote them; one bounds no quantity, so
    /// it is kept as no bound (0, u64::MAX) and left to the panel.
    min: u64,
    max: u64,
    dripfeed: Option<bool>,
    /// Lower-cased name, category and type, for search.
    haystack: String,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: Vec<Entry>,
    by_id: BTreeMap<u64, usize>,
}

impl Catalog {
    /// Builds the catalog from the JSON text the services decoder produced (CONTRACT's
    /// `Service[]`), so it sees exactly what `services()` resolves to.
    pub fn from_services_json(text: &str) -> Result<Catalog, SmmError> {
        let broken = || SmmError::unreadable_result(Action::Services);
        let doc = Doc::parse(text).map_err(|_| broken())?;
        let root = doc.root();
        if root.kind() != Kind::Arr {
            return Err(broken());
        }
        let mut catalog = Catalog::default();
        for item in root.items() {
            let entry = entry(item).ok_or_else(broken)?;
            // Panels have been seen listing a service twice; the first one is the one shown.
            catalog.by_id.entry(entry.id).or_insert(catalog.entries.len());
            catalog.entries.push(entry);
        }
        Ok(catalog)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Position (in `services()` order) of the service with this ID.
    pub fn position(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// `catalog.get(id)` as JavaScript calls it: only a whole number in 1 ..= 2^53 − 1 (a number
    /// JS holds exactly) is an ID; anything else (NaN for a non-number, 1.5, −3) finds nothing.
    pub fn position_of_number(&self, id: f64) -> Option<usize> {
        let exact = id.fract() == 0.0 && (1.0..=9_007_199_254_740_991.0).contains(&id);
        if exact {
            self.position(id as u64)
        } else {
            None
        }
    }

    /// Distinct categories, in the order the panel lists them.
    pub fn categories(&self) -> Vec<&str> {
        distinct(self.entries.iter().map(|e| e.category.as_str()))
    }

    /// Distinct panel-spelled types, in the order the panel lists them.
    pub fn types(&self) -> Vec<&str> {
        distinct(self.entries.iter().map(|e| e.panel_type.as_str()))
    }

    /// The categories (`types` false) or the types (`types` true) as a JSON array of strings, for
    /// the driver's `categories()` and `types()`.
    pub fn names_json(&self, types: bool) -> String {
        let mut out = String::new();
        crate::core::model::strings(&mut out, &if types { self.types() } else { self.categories() });
        out
    }

    /// Positions of the services whose name, category or type contain every word of `query`
    /// (case-insensitive), in catalog order. An empty query matches everything.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(fold_case).collect();
        self.entries.iter().enumerate().filter(|(_, e)| words.iter().all(|w| contains(&e.haystack, w))).map(|(i, _)| i).collect()
    }

    /// Checks `order_json` as `addOrder` would, then against its service: that it is in the
    /// catalog, that the order's type is the service's, quantity (or the counted lines) within
    /// min..max, and drip-feed only where the service allows it.
    pub fn validate(&self, order_json: Option<&str>) -> Result<CheckedOrder, SmmError> {
        let doc = crate::core::validate::parse_js(order_json, "order")?;
        let order = order::check(doc.as_ref().map(|d| d.root()))?;
        let entry = self.entry_for(&order)?;
        let bad = |field: &str, message: String| SmmError::invalid_for(Action::Add, field, message);
        if let Some(service_type) = entry.order_type {
            if service_type != order.order_type {
                return Err(bad(
                    "type",
                    format!(
                        "service {} is a {} service (\"{}\"): set type: \"{}\" (got \"{}\")",
                        entry.id,
                        service_type.name(),
                        entry.panel_type,
                        service_type.name(),
                        order.order_type.name()
                    ),
                ));
            }
        }
        let (field, count) = match order.order_type.charge_basis() {
            ChargeBasis::PerThousand(source) => (source, order.charged_count()),
            ChargeBasis::PerPost => ("min", order.number("min")),
            ChargeBasis::PerPackage => ("quantity", None),
        };
        if let Some(count) = count {
            let what = if field == "quantity" { "quantity".to_owned() } else { format!("the number of {field}") };
            if count < entry.min {
                return Err(bad(field, format!("{what} must be at least {} for service {} (got {count})", entry.min, entry.id)));
            }
        }
        let upper =
            if order.order_type == OrderType::Subscriptions { order.number("max").map(|m| ("max", m)) } else { count.map(|c| (field, c)) };
        if let Some((field, value)) = upper {
            if value > entry.max {
                let what = if field == "quantity" || field == "max" { field.to_owned() } else { format!("the number of {field}") };
                return Err(bad(field, format!("{what} must be at most {} for service {} (got {value})", entry.max, entry.id)));
            }
        }
        if order.is_dripfeed() && entry.dripfeed == Some(false) {
            return Err(bad("runs", format!("service {} does not take drip-feed orders (runs and interval)", entry.id)));
        }
        Ok(order)
    }

    /// The exact charge of `order_json` as a decimal string: rate × count / 1000 (count being the
    /// quantity or the lines the panel counts), the rate itself for packages, × runs for
    /// drip-feed; "0" for subscriptions, which are paid per post as posts appear.
    pub fn estimate_charge(&self, order_json: Option<&str>) -> Result<String, SmmError> {
        let order = self.validate(order_json)?;
        let entry = self.entry_for(&order)?;
        let runs = order.runs().unwrap_or(1);
        let Some(rate) = entry.rate else {
            return Err(SmmError::invalid_for(
                Action::Add,
                "service",
                format!("the rate of service {} is not an amount the charge can be computed from exactly", entry.id),
            ));
        };
        let charge = match order.order_type.charge_basis() {
            ChargeBasis::PerThousand(_) => {
                let count = order.charged_count().unwrap_or(0);
                rate.times(count).and_then(|d| d.times(runs)).map(|d| d.per_thousand())
            }
            ChargeBasis::PerPackage => rate.times(runs),
            ChargeBasis::PerPost => Some(Decimal::ZERO),
        };
        charge
            .map(|d| d.to_string())
            .ok_or_else(|| SmmError::invalid_for(Action::Add, "quantity", "the charge is too large to compute exactly".to_owned()))
    }

    fn entry_for(&self, order: &CheckedOrder) -> Result<&Entry, SmmError> {
        self.position(order.service).and_then(|i| self.entries.get(i)).ok_or_else(|| {
            SmmError::invalid_for(Action::Add, "service", format!("service {} is not in this panel's catalog", order.service))
        })
    }
}

/// Lower-cases the scripts panels write service names in (ASCII, Latin-1, Latin Extended-A,
/// Greek, Cyrillic) by code-point arithmetic. `str::to_lowercase` would be exact for every
/// script but brings Unicode's case tables, about 9 KB of gzipped wasm, for a search box.
fn fold_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            let u = c as u32;
            let lower = match u {
                0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => u + 0x20,
                0x400..=0x40F => u + 0x50,
                // Latin Extended-A pairs capitals and small letters side by side (Ā ā, Ğ ğ, Ş ş).
                0x100..=0x137 | 0x14A..=0x177 if u % 2 == 0 => u + 1,
                0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
                _ => u,
            };
            char::from_u32(lower).unwrap_or(c)
        })
        .collect()
}

/// The distinct values, in order of first appearance. Indexed by a hash in a
/// `BTreeMap<u64, usize>`, the map type the catalog and the batch planner already use: a second
/// B-tree instantiation (or std's hash set) would add 1–2 KB of gzip to the .wasm. Values whose
/// hashes are equal but which differ fall back to a scan.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    distinct_by(values, fnv1a)
}

fn distinct_by<'a>(values: impl Iterator<Item = &'a str>, hash: fn(&str) -> u64) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut first_by_hash: BTreeMap<u64, usize> = BTreeMap::new();
    for value in values {
        let h = hash(value);
        let known = match first_by_hash.get(&h) {
            None => false,
            Some(&i) if seen.get(i) == Some(&value) => true,
            Some(_) => seen.contains(&value),
        };
        if !known {
            first_by_hash.entry(h).or_insert(seen.len());
            seen.push(value);
        }
    }
    seen
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn entry(item: V<'_, '_>) -> Option<Entry> {
    let text = |name: &str| item.get(name).and_then(|v| v.str()).map(|s| s.into_owned());
    let number = |name: &str| item.get(name).and_then(|v| v.num_text()).and_then(parse_u64);
    let bound = |name: &str, none: u64| {
        let t = item.get(name)?.num_text()?;
        if t.starts_with('-') {
            Some(none)
        } else {
            parse_u64(t)
        }
    };
    let name = text("name")?;
    let panel_type = text("type")?;
    let category = text("category")?;
    let haystack = fold_case(&format!("{name}\n{category}\n{panel_type}"));
    Some(Entry {
        id: number("service")?,
        order_type: OrderType::of_service_type(&panel_type),
        rate: Decimal::parse(&text("rate")?),
        min: bound("min", 0)?,
        max: bound("max", u64::MAX)?,
        dripfeed: item.get("dripfeed").and_then(|v| v.as_bool()),
        name,
        panel_type,
        category,
        haystack,
    })
}

/// An exact non-negative decimal: `digits` × 10^-`scale`. Money never goes through f64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    digits: u128,
    scale: u32,
}

impl Decimal {
    const ZERO: Decimal = Decimal { digits: 0, scale: 0 };

    /// A plain decimal as the services decoder writes rates ("0.27819", "12", "0.9").
    fn parse(text: &str) -> Option<Decimal> {
        let (int, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
        if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = int.bytes().chain(frac.bytes()).try_fold(0u128, |n, b| n.checked_mul(10)?.checked_add(u128::from(b - b'0')))?;
        Some(Decimal { digits, scale: u32::try_from(frac.len()).ok()? })
    }

    fn times(self, n: u64) -> Option<Decimal> {
        Some(Decimal { digits: self.digits.checked_mul(u128::from(n))?, scale: self.scale })
    }

    /// Divides by 1000 exactly by moving the point.
    fn per_thousand(self) -> Decimal {
        Decimal { digits: self.digits, scale: self.scale + 3 }
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scale = self.scale as usize;
        // Written by hand: u128's Display is 1.3 KB of wasm that nothing else needs.
        let mut reversed = Vec::new();
        let mut n = self.digits;
        while n > 0 || reversed.len() <= scale {
            reversed.push(b'0' + (n % 10) as u8);
            n /= 10;
        }
        let padded: String = reversed.iter().rev().map(|&d| char::from(d)).collect();
        if scale == 0 {
            return f.write_str(&padded);
        }
        // The digits are ASCII, so this never fails; `split_at` would link a ~2 KB panic path.
        let Some((int, frac)) = padded.split_at_checked(padded.len() - scale) else { return f.write_str(&padded) };
        write!(f, "{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    #[test]
    fn distinct_keeps_first_appearance_order_even_when_hashes_collide() {
        let values = ["b", "a", "b", "c", "a", "", "c", ""];
        assert_eq!(super::distinct(values.iter().copied()), ["b", "a", "c", ""]);
        assert_eq!(super::distinct_by(values.iter().copied(), |_| 7), ["b", "a", "c", ""]);
    }

    #[test]
    fn decimals_are_exact() {
        let rate = Decimal::parse("0.27819").unwrap();
        assert_eq!(rate.times(1234).unwrap().per_thousand().to_string(), "0.34328646");
        assert_eq!(Decimal::parse("0.90").unwrap().times(100).unwrap().per_thousand().to_string(), "0.09000");
        assert_eq!(Decimal::parse("12").unwrap().times(3).unwrap().to_string(), "36");
        assert_eq!(Decimal::parse("9.99").unwrap().to_string(), "9.99");
        assert_eq!(Decimal::parse(".5").unwrap().to_string(), "0.5");
        assert!(Decimal::parse("1e-5").is_none());
        assert!(Decimal::parse("-1").is_none());
        assert!(Decimal::parse("").is_none());
    }
}
