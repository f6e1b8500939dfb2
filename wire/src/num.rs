//! Numbers as text: whole numbers for JavaScript, and money kept exact (never through a float
//! unless the text itself is a float's noise).

use std::borrow::Cow;

/// Number.MAX_SAFE_INTEGER: larger integers are not exact in JavaScript.
pub const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// Further than this from the decimal point a number is not money, an ID or a count.
const MAX_SHIFT: i64 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntError {
    NotNumber,
    NotWhole,
    Unsafe,
}

/// A number split into sign, digits and decimal point position, with leading and trailing
/// zeros of the digits removed: value = 0.DIGITS × 10^point.
struct Dec {
    neg: bool,
    digits: Vec<u8>,
    point: i64,
}

/// Reads `-?\d+(\.\d+)?([eE][+-]?\d+)?` (a leading `+` too, as some panels write it).
fn parse_dec(s: &str) -> Option<Dec> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    match b.first() {
        Some(b'-') => {
            neg = true;
            i = 1;
        }
        Some(b'+') => i = 1,
        _ => {}
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int = b.get(int_start..i)?;
    if int.is_empty() {
        return None;
    }
    let mut frac: &[u8] = &[];
    if b.get(i) == Some(&b'.') {
        let f = i + 1;
        i = f;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        frac = b.get(f..i)?;
        if frac.is_empty() {
            return None;
        }
    }
    let mut exp: i64 = 0;
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let mut eneg = false;
        match b.get(i) {
            Some(b'-') => {
                eneg = true;
                i += 1;
            }
            Some(b'+') => i += 1,
            _ => {}
        }
        let e = i;
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            // Saturate: anything this far out is refused below anyway.
            exp = (exp * 10 + i64::from(d - b'0')).min(1_000_000);
            i += 1;
        }
        if i == e {
            return None;
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != b.len() {
        return None;
    }
    let mut digits: Vec<u8> = int.iter().chain(frac.iter()).copied().collect();
    let mut point = int.len() as i64 + exp;
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..lead);
    point -= lead as i64;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        point = 0;
        neg = false;
    }
    Some(Dec { neg, digits, point })
}

impl Dec {
    /// Keeps the first `n` significant digits, rounding half away from zero, and drops the
    /// trailing zeros that leaves.
    fn round_to(&mut self, n: usize) {
        if self.digits.len() <= n {
            return;
        }
        let up = self.digits.get(n).is_some_and(|&d| d >= b'5');
        self.digits.truncate(n);
        if up {
            // Carry: trailing nines become zeros (dropped below); all nines becomes a 1 one place up.
            while self.digits.last() == Some(&b'9') {
                self.digits.pop();
            }
            match self.digits.last_mut() {
                Some(last) => *last += 1,
                None => {
                    self.digits.push(b'1');
                    self.point += 1;
                }
            }
        }
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
    }

    /// Plain decimal text, no exponent. None when absurdly far from the point.
    fn render(&self) -> Option<String> {
        if self.digits.is_empty() {
            return Some("0".to_owned());
        }
        if self.point.abs() > MAX_SHIFT {
            return None;
        }
        let mut out = String::with_capacity(self.digits.len() + 8);
        if self.neg {
            out.push('-');
        }
        let n = self.digits.len() as i64;
        let digits = std::str::from_utf8(&self.digits).ok()?;
        if self.point <= 0 {
            out.push_str("0.");
            for _ in 0..-self.point {
                out.push('0');
            }
            out.push_str(digits);
        } else if self.point >= n {
            out.push_str(digits);
            for _ in 0..self.point - n {
                out.push('0');
            }
        } else {
            // `split_at` would link the panic message of a cut inside a character (~2 KB).
            let (a, b) = digits.split_at_checked(self.point as usize)?;
            out.push_str(a);
            out.push('.');
            out.push_str(b);
        }
        Some(out)
    }
}

/// A whole number in -MAX_SAFE..=MAX_SAFE from decimal text (`"50"`, `50`, `50.0`, `5e1`).
pub fn int_from_text(s: &str) -> Result<i64, IntError> {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, b.get(1..).unwrap_or(&[])),
        _ => (false, b),
    };
    // The usual case, without allocating.
    if !digits.is_empty() && digits.len() <= 16 && digits.iter().all(u8::is_ascii_digit) {
        let v = digits.iter().fold(0i64, |v, &d| v * 10 + i64::from(d - b'0'));
        return if v > MAX_SAFE { Err(IntError::Unsafe) } else { Ok(if neg { -v } else { v }) };
    }
    let d = parse_dec(s).ok_or(IntError::NotNumber)?;
    if d.digits.is_empty() {
        return Ok(0);
    }
    if d.point < d.digits.len() as i64 {
        return Err(IntError::NotWhole);
    }
    if d.point > 16 {
        return Err(IntError::Unsafe);
    }
    let mut v: i64 = 0;
    for k in 0..d.point {
        let digit = d.digits.get(k as usize).map_or(0, |&c| i64::from(c - b'0'));
        v = v * 10 + digit;
    }
    if v > MAX_SAFE {
        return Err(IntError::Unsafe);
    }
    Ok(if d.neg { -v } else { v })
}

/// True when `s` is `-?(0|[1-9]\d*)(\.\d*[1-9])?` with at most 15 significant digits: already
/// the form money from a JSON number is given in, so it can be borrowed as it is.
fn is_canonical_money(s: &str) -> bool {
    let b = s.strip_prefix('-').unwrap_or(s).as_bytes();
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (b.get(..p).unwrap_or(&[]), Some(b.get(p + 1..).unwrap_or(&[]))),
        None => (b, None),
    };
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) || (int.len() > 1 && int.first() == Some(&b'0')) {
        return false;
    }
    if s.starts_with('-') && int == b"0" && frac.is_none() {
        return false;
    }
    let mut sig = if int == b"0" { 0 } else { int.len() };
    if let Some(f) = frac {
        if f.is_empty() || !f.iter().all(u8::is_ascii_digit) || f.last() == Some(&b'0') {
            return false;
        }
        sig += if sig == 0 { f.len() - f.iter().take_while(|&&c| c == b'0').count() } else { f.len() };
    }
    sig <= 15
}

/// Significant digits a float carries reliably: every decimal of at most 15 digits survives a
/// trip through an f64 and back, so digits past the 15th in a money literal are float noise.
const FLOAT_DIGITS: usize = 15;

/// Money that arrived as a JSON number, as the shortest exact decimal without exponent.
/// Literals with more than 15 significant digits are a float's noise (`0.90000000000000002`,
/// or `0.34328646000000004` from a panel computing a charge in floats), so they are rounded to
/// 15 significant digits (half away from zero), which gives back the decimal the panel meant.
/// No float is involved: the rounding is done on the digits (and the wasm carries no float
/// parsing or formatting code).
pub fn money_from_number(raw: &str) -> Option<Cow<'_, str>> {
    if is_canonical_money(raw) {
        return Some(Cow::Borrowed(raw));
    }
    let mut d = parse_dec(raw)?;
    if d.digits.len() > FLOAT_DIGITS {
        d.round_to(FLOAT_DIGITS);
        // 1e21 and beyond: no amount of money, and where JavaScript switches to exponents.
        if d.point > 21 {
            return None;
        }
    }
    d.render().map(Cow::Owned)
}

/// `text` as a u64 exactly as `text.parse::<u64>()` reads it (ASCII digits, an optional leading
/// `+`, no overflow), or None. One shared reader: each `parse::<T>()` instantiation is ~0.3 KB
/// of wasm, and callers needing a smaller type check the range.
pub fn parse_u64(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u64, |n, b| {
        if !b.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// Money that arrived as a string: a plain decimal `-?\d+(\.\d+)?`, copied as it is (trimmed).
pub fn money_from_string(s: &str) -> Option<&str> {
    let t = s.trim();
    let b = t.strip_prefix('-').unwrap_or(t).as_bytes();
    let ok = match b.iter().position(|&c| c == b'.') {
        Some(p) => {
            let (i, f) = (b.get(..p).unwrap_or(&[]), b.get(p + 1..).unwrap_or(&[]));
            !i.is_empty() && !f.is_empty() && i.iter().chain(f).all(u8::is_ascii_digit)
        }
        None => !b.is_empty() && b.iter().all(u8::is_ascii_digit),
    };
    ok.then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_u64_reads_as_std_does() {
        for s in
            ["0", "7", "+7", "007", "18446744073709551615", "18446744073709551616", "", "+", "-1", "1 ", " 1", "1.0", "++1", "1e3", "٣"]
        {
            assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s:?}");
        }
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(int_from_text("0"), Ok(0));
        assert_eq!(int_from_text("23501"), Ok(23501));
        assert_eq!(int_from_text("-5"), Ok(-5));
        assert_eq!(int_from_text("50.00"), Ok(50));
        assert_eq!(int_from_text("5e1"), Ok(50));
        assert_eq!(int_from_text("1e+21"), Err(IntError::Unsafe));
        assert_eq!(int_from_text("9007199254740991"), Ok(MAX_SAFE));
        assert_eq!(int_from_text("9007199254740992"), Err(IntError::Unsafe));
        assert_eq!(int_from_text("1152921504606846976"), Err(IntError::Unsafe));
        assert_eq!(int_from_text("1.5"), Err(IntError::NotWhole));
        assert_eq!(int_from_text("1e-400"), Err(IntError::NotWhole));
        assert_eq!(int_from_text("1e999999999"), Err(IntError::Unsafe));
        assert_eq!(int_from_text("abc"), Err(IntError::NotNumber));
        assert_eq!(int_from_text(""), Err(IntError::NotNumber));
        assert_eq!(int_from_text("-"), Err(IntError::NotNumber));
        assert_eq!(int_from_text("1 2"), Err(IntError::NotNumber));
    }

    #[test]
    fn money_numbers() {
        let m = |s| money_from_number(s).map(|c| c.into_owned());
        assert!(matches!(money_from_number("0.9"), Some(Cow::Borrowed("0.9"))));
        assert_eq!(m("0.90").as_deref(), Some("0.9"));
        assert_eq!(m("1e-5").as_deref(), Some("0.00001"));
        assert_eq!(m("1e-7").as_deref(), Some("0.0000001"));
        assert_eq!(m("1.5E3").as_deref(), Some("1500"));
        assert_eq!(m("0.08011655652").as_deref(), Some("0.08011655652"));
        assert_eq!(m("100.84292").as_deref(), Some("100.84292"));
        assert_eq!(m("0.90000000000000002").as_deref(), Some("0.9"));
        assert_eq!(m("100.842920000000001").as_deref(), Some("100.84292"));
        assert_eq!(m("-0").as_deref(), Some("0"));
        assert_eq!(m("-0.0").as_deref(), Some("0"));
        assert_eq!(m("-12.50").as_deref(), Some("-12.5"));
        assert_eq!(m("007").as_deref(), Some("7"));
        assert_eq!(m("0").as_deref(), Some("0"));
        assert_eq!(m("1e400"), None);
        // Float noise past 15 significant digits is rounded away, carrying where it must.
        assert_eq!(m("0.30000000000000004").as_deref(), Some("0.3"));
        assert_eq!(m("0.34328646000000004").as_deref(), Some("0.34328646"));
        assert_eq!(m("0.29999999999999999").as_deref(), Some("0.3"));
        assert_eq!(m("9.99999999999999999").as_deref(), Some("10"));
        assert_eq!(m("-0.99999999999999999").as_deref(), Some("-1"));
        assert_eq!(m("1.00000000000000049").as_deref(), Some("1"));
        assert_eq!(m("1.23456789012345678").as_deref(), Some("1.23456789012346"));
        assert_eq!(m("1.2345678901234567e-5").as_deref(), Some("0.0000123456789012346"));
        assert_eq!(m("12345678901234567").as_deref(), Some("12345678901234600"));
        assert_eq!(m("0.000000000000000001").as_deref(), Some("0.000000000000000001"));
        assert_eq!(m("99999999999999999999").as_deref(), Some("100000000000000000000"));
        assert_eq!(m("999999999999999999999"), None);
        assert_eq!(m("x"), None);
    }

    #[test]
    fn money_strings() {
        assert_eq!(money_from_string(" 0.90 "), Some("0.90"));
        assert_eq!(money_from_string("100.84292"), Some("100.84292"));
        assert_eq!(money_from_string("-3"), Some("-3"));
        for bad in ["", "abc", "1.", ".5", "1e5", "1,5", "--1", "0x10", "1.2.3"] {
            assert_eq!(money_from_string(bad), None, "{bad}");
        }
    }
}
