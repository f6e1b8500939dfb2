//! The services list, the one answer big enough for speed to matter (thousands of services,
//! megabytes of text): read straight from the text into the JSON of `Service` (docs/CONTRACT.md "Models").

use std::fmt::{self, Display};

use crate::fields::{flag, id_value, int_value, money};
use crate::json::{write_int, write_str, Kind, Scalar, Stream, Tok};

/// Names a field of one service in messages, formatted only when a message is made.
pub struct At(pub usize, pub &'static str);

impl Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "services[{}].{}", self.0, self.1)
    }
}

/// Free text straight into the output: strings are copied without being decoded (their escapes
/// are valid JSON already), numbers become their text, anything else "".
fn write_text<'a, S: Scalar<'a>>(v: Option<S>, out: &mut String) {
    if let Some(val) = v {
        if val.write_json_string(out) {
            return;
        }
        if let Some(t) = val.num_text() {
            out.push('"');
            out.push_str(t);
            out.push('"');
            return;
        }
    }
    out.push_str("\"\"");
}

/// The fields of one service that are read.
pub struct ServiceSlots<S> {
    id: Option<S>,
    name: Option<S>,
    typ: Option<S>,
    category: Option<S>,
    rate: Option<S>,
    min: Option<S>,
    max: Option<S>,
    refill: Option<S>,
    cancel: Option<S>,
    dripfeed: Option<S>,
    desc: Option<S>,
    description: Option<S>,
}

impl<'a, S: Scalar<'a>> Default for ServiceSlots<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, S: Scalar<'a>> ServiceSlots<S> {
    pub fn new() -> Self {
        ServiceSlots {
            id: None,
            name: None,
            typ: None,
            category: None,
            rate: None,
            min: None,
            max: None,
            refill: None,
            cancel: None,
            dripfeed: None,
            desc: None,
            description: None,
        }
    }

    /// Keeps the first value of a known property, named by its bytes: dispatched on length and
    /// first byte, then compared as fixed-size arrays (integer compares in wasm), since this runs
    /// for every property of every service.
    #[inline(always)]
    pub fn set_raw(&mut self, key: &[u8], v: S) {
        fn is<const N: usize>(key: &[u8], word: &[u8; N]) -> bool {
            <&[u8; N]>::try_from(key).is_ok_and(|k| k == word)
        }
        let slot = match (key.len(), key.first().copied().unwrap_or(0)) {
            (7, b's') if is(key, b"service") => &mut self.id,
            (4, b'n') if is(key, b"name") => &mut self.name,
            (4, b't') if is(key, b"type") => &mut self.typ,
            (8, b'c') if is(key, b"category") => &mut self.category,
            (4, b'r') if is(key, b"rate") => &mut self.rate,
            (3, b'm') if is(key, b"min") => &mut self.min,
            (3, b'm') if is(key, b"max") => &mut self.max,
            (6, b'r') if is(key, b"refill") => &mut self.refill,
            (6, b'c') if is(key, b"cancel") => &mut self.cancel,
            (8, b'd') if is(key, b"dripfeed") => &mut self.dripfeed,
            (4, b'd') if is(key, b"desc") => &mut self.desc,
            (11, b'd') if is(key, b"description") => &mut self.description,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(v);
        }
    }

    /// Writes the service as `model::Service` (whose `write_json` this mirrors field for field)
    /// without building it: strings are copied as they came, nothing is allocated that does not
    /// have to be. This is the hot path of the largest answer.
    pub fn write(&self, i: usize, out: &mut String) -> Result<(), String> {
        let service = id_value(self.id, &At(i, "service"))?;
        let rate = money(self.rate, &At(i, "rate"))?;
        let min = int_value(self.min, &At(i, "min"))?;
        let max = int_value(self.max, &At(i, "max"))?;
        let refill = flag(self.refill, &At(i, "refill"))?.unwrap_or(false);
        let cancel = flag(self.cancel, &At(i, "cancel"))?.unwrap_or(false);
        let dripfeed = flag(self.dripfeed, &At(i, "dripfeed"))?;
        let description = [self.description, self.desc].into_iter().flatten().find(|v| v.kind() == Kind::Str && !v.is_blank_str());

        out.push_str("{\"service\":");
        write_int(out, service as i64);
        out.push_str(",\"name\":");
        write_text(self.name, out);
        out.push_str(",\"type\":");
        write_text(self.typ, out);
        out.push_str(",\"category\":");
        write_text(self.category, out);
        out.push_str(",\"rate\":");
        write_str(out, &rate);
        out.push_str(",\"min\":");
        write_int(out, min);
        out.push_str(",\"max\":");
        write_int(out, max);
        out.push_str(if refill { ",\"refill\":true" } else { ",\"refill\":false" });
        out.push_str(if cancel { ",\"cancel\":true" } else { ",\"cancel\":false" });
        match dripfeed {
            Some(true) => out.push_str(",\"dripfeed\":true"),
            Some(false) => out.push_str(",\"dripfeed\":false"),
            None => {}
        }
        if let Some(d) = description {
            out.push_str(",\"description\":");
            d.write_json_string(out);
        }
        out.push('}');
        Ok(())
    }
}

/// The services list read straight from the text, without building a document: a plain
/// top-level array of service objects, which is what panels send. `None` for anything else
/// (including any problem), which then goes the general way and gets a precise message.
pub fn services_stream(text: &str, out: &mut String) -> Option<()> {
    let mut s = Stream::new(text);
    if !s.eat(b'[') {
        return None;
    }
    out.reserve(text.len() + text.len() / 8);
    out.push('[');
    if !s.eat(b']') {
        let mut i = 0usize;
        loop {
            if !s.eat(b'{') {
                return None;
            }
            let mut slots: ServiceSlots<Tok<'_>> = ServiceSlots::new();
            if !s.eat(b'}') {
                loop {
                    let key = s.string()?;
                    if !s.eat(b':') {
                        return None;
                    }
                    // A property's value sits at depth 2: the list, the service, the value.
                    let v = s.value(2)?;
                    // Keys without escapes (all of them, in practice) are matched on their raw
                    // bytes: no Cow, no string comparison calls in the hot loop.
                    match key.plain_str() {
                        Some(raw) => slots.set_raw(raw.as_bytes(), v),
                        None => {
                            if let Some(k) = key.str() {
                                slots.set_raw(k.as_bytes(), v);
                            }
                        }
                    }
                    if s.eat(b',') {
                        continue;
                    }
                    if s.eat(b'}') {
                        break;
                    }
                    return None;
                }
            }
            if i > 0 {
                out.push(',');
            }
            slots.write(i, out).ok()?;
            i += 1;
            if s.eat(b',') {
                continue;
            }
            if s.eat(b']') {
                break;
            }
            return None;
        }
    }
    out.push(']');
    s.at_end().then_some(())
}
