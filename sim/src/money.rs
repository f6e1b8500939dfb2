//! Exact money as a fixed-point integer.
//!
//! Rates carry up to 5 decimals and a charge is `rate × quantity / 1000`, so a charge can need
//! 8 decimals; ten decimals of headroom keep every sum, refund and drip-feed multiple exact.

use std::fmt;

const DECIMALS: u32 = 10;
const SCALE: i128 = 10_i128.pow(DECIMALS);

/// An amount of money in units of 10⁻¹⁰.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(i128);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a decimal amount: {0:?}")]
    Syntax(String),
    #[error("more than {DECIMALS} decimals: {0:?}")]
    TooPrecise(String),
    #[error("amount out of range: {0:?}")]
    Range(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// Parses `"12"`, `"0.27819"`, `"-3.5"`. No exponent, no thousands separators: panels
    /// print plain decimals and so do tests.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let t = text.trim();
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(MoneyError::Syntax(text.to_string()));
        }
        if frac_part.len() > DECIMALS as usize {
            return Err(MoneyError::TooPrecise(text.to_string()));
        }
        if int_part.len() > 20 {
            return Err(MoneyError::Range(text.to_string()));
        }
        let int: i128 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| MoneyError::Syntax(text.to_string()))? };
        let mut frac: i128 = if frac_part.is_empty() { 0 } else { frac_part.parse().map_err(|_| MoneyError::Syntax(text.to_string()))? };
        frac *= 10_i128.pow(DECIMALS - frac_part.len() as u32);
        let v = int * SCALE + frac;
        Ok(Money(if neg { -v } else { v }))
    }

    /// `self × num / den`, exact when the result fits in ten decimals (always the case for
    /// `rate × quantity / 1000`); otherwise truncated toward zero, as panels floor refunds.
    pub fn mul_div(self, num: u64, den: u64) -> Money {
        if den == 0 {
            return Money::ZERO;
        }
        Money(self.0 * num as i128 / den as i128)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Decimal text with at least `min_decimals`, more only when the value needs them.
    pub fn format(self, min_decimals: u32) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let int = abs / SCALE as u128;
        let frac = abs % SCALE as u128;
        let mut frac_s = format!("{:0width$}", frac, width = DECIMALS as usize);
        while frac_s.len() > min_decimals as usize && frac_s.ends_with('0') {
            frac_s.pop();
        }
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        out.push_str(&int.to_string());
        if !frac_s.is_empty() {
            out.push('.');
            out.push_str(&frac_s);
        }
        out
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}

impl std::ops::SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0;
    }
}

/// Panels print balances and charges with five decimals (`"100.84292"`); the simulator keeps
/// that look and only grows the text when an exact value needs more.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(5))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(Money::parse("100").map(|m| m.to_string()), Ok("100.00000".into()));
        assert_eq!(Money::parse("0.27819").map(|m| m.to_string()), Ok("0.27819".into()));
        assert_eq!(Money::parse("10.5").map(|m| m.to_string()), Ok("10.50000".into()));
        assert_eq!(Money::parse(".5").map(|m| m.format(2)), Ok("0.50".into()));
        assert!(Money::parse("1e3").is_err());
        assert!(Money::parse("").is_err());
        assert!(Money::parse("1.00000000001").is_err());
    }

    #[test]
    fn charge_is_exact() {
        let rate = Money::parse("0.27819").unwrap_or_default();
        assert_eq!(rate.mul_div(1234, 1000).to_string(), "0.34328646");
        let rate = Money::parse("1.5").unwrap_or_default();
        assert_eq!(rate.mul_div(3, 1000).format(2), "0.0045");
    }
}
