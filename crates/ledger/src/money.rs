//! Money as integer minor units of an ISO 4217 currency: the exponent comes
//! from the currency table (`iso_currency`), amounts are parsed from and
//! written as decimal strings, never through floating point.

use crate::LedgerError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency with minor units (funds, metals and codes without an
/// exponent are refused: a ledger needs to know how to count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

impl Currency {
    pub fn parse(code: &str) -> Result<Self, LedgerError> {
        let upper = code.trim().to_ascii_uppercase();
        let c = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| LedgerError::UnknownCurrency(code.trim().to_string()))?;
        let exponent = c.exponent().ok_or_else(|| {
            LedgerError::UnknownCurrency(format!("{upper} (it has no minor unit)"))
        })?;
        let bytes = upper.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            exponent: u8::try_from(exponent).unwrap_or(u8::MAX),
        })
    }

    /// Its English name in ISO 4217 ("Iraqi Dinar").
    pub fn name(&self) -> String {
        iso_currency::Currency::from_code(self.code())
            .map_or_else(String::new, |c| c.name().to_string())
    }

    pub fn code(&self) -> &str {
        // Built from an ASCII ISO code.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Digits after the decimal point (2 for USD, 0 for JPY, 3 for IQD).
    pub fn exponent(&self) -> u32 {
        u32::from(self.exponent)
    }

    /// 10^exponent: minor units in one major unit.
    pub fn minor_per_major(&self) -> i64 {
        10_i64.pow(self.exponent())
    }

    /// A decimal amount ("7000000", "1234.5", "0.01") in minor units; more
    /// decimals than the currency has, signs, exponents and grouping are
    /// refused rather than rounded.
    pub fn parse_amount(&self, text: &str) -> Result<i64, LedgerError> {
        let t = text.trim();
        let bad = || LedgerError::BadAmount(format!("{t:?} is not an amount in {self}"));
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (t.contains('.') && frac.is_empty()) {
            return Err(bad());
        }
        if frac.len() > self.exponent() as usize {
            return Err(LedgerError::BadAmount(format!(
                "{t} has more decimals than {self} has ({})",
                self.exponent()
            )));
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let mut minor = 0_i64;
        for (i, b) in frac.bytes().enumerate() {
            let digit = i64::from(b - b'0');
            minor += digit * 10_i64.pow(self.exponent() - 1 - i as u32);
        }
        whole
            .checked_mul(self.minor_per_major())
            .and_then(|w| w.checked_add(minor))
            .filter(|v| *v <= MAX_AMOUNT)
            .ok_or_else(|| LedgerError::BadAmount(format!("{t} {self} is too large")))
    }

    /// Minor units written as a decimal amount ("1234.50").
    pub fn format_amount(&self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let m = minor.unsigned_abs();
        let per = self.minor_per_major().unsigned_abs();
        if self.exponent == 0 {
            return format!("{sign}{m}");
        }
        format!(
            "{sign}{}.{:0width$}",
            m / per,
            m % per,
            width = self.exponent as usize
        )
    }
}

/// The largest amount of one transfer: 10^15 minor units (10 trillion
/// dollars), so sums of many stay far inside i64.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = LedgerError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_come_from_the_table() {
        let usd = Currency::parse("usd").expect("usd");
        assert_eq!((usd.code(), usd.exponent()), ("USD", 2));
        assert_eq!(Currency::parse("JPY").expect("jpy").exponent(), 0);
        assert_eq!(Currency::parse("IQD").expect("iqd").exponent(), 3);
        assert!(Currency::parse("XYZ").is_err());
        assert!(Currency::parse("XAU").is_err(), "gold has no minor unit");
    }

    #[test]
    fn amounts_are_parsed_exactly_or_refused() {
        let usd = Currency::parse("USD").expect("usd");
        assert_eq!(usd.parse_amount("7000000").expect("a"), 700_000_000);
        assert_eq!(usd.parse_amount("0.5").expect("a"), 50);
        assert_eq!(usd.parse_amount("12.34").expect("a"), 1234);
        for bad in ["", "-1", "1.234", "1e3", "1,000", ".5", "5.", "abc"] {
            assert!(usd.parse_amount(bad).is_err(), "{bad}");
        }
        assert_eq!(usd.format_amount(1234), "12.34");
        assert_eq!(usd.format_amount(-5), "-0.05");
        let jpy = Currency::parse("JPY").expect("jpy");
        assert_eq!(jpy.format_amount(1500), "1500");
        assert!(jpy.parse_amount("1.5").is_err());
    }
}
