//! Dated exchange rates and conversion with explicit rounding. A rate is
//! a decimal (never a float) with its source: the UN operational rates of
//! exchange, a central bank's reference rates, or a manual entry that
//! states its reason. The rate in force on a value date is the latest one
//! dated on or before it. A conversion rounds half away from zero and
//! says which rate it used; converting parts of a total hands the rounding
//! residue out by largest remainder, so the converted parts add up to the
//! converted total exactly.

use crate::money::Currency;
use crate::LedgerError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Where a rate comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "source", content = "detail")]
pub enum RateSource {
    /// UN operational rates of exchange (treasury.un.org).
    UnOperational,
    /// A central bank's reference rate (which bank).
    CentralBank(String),
    /// Entered by hand, with the reason.
    Manual(String),
}

impl RateSource {
    /// `un`, `central-bank:<bank>`, `manual:<reason>` (as the CSV writes it).
    pub fn parse(s: &str) -> Result<Self, LedgerError> {
        let s = s.trim();
        let (kind, detail) = s.split_once(':').map_or((s, ""), |(k, d)| (k, d.trim()));
        match kind.trim() {
            "un" | "un-operational" => Ok(RateSource::UnOperational),
            "central-bank" if !detail.is_empty() => Ok(RateSource::CentralBank(detail.into())),
            "manual" if !detail.is_empty() => Ok(RateSource::Manual(detail.into())),
            "manual" => Err(LedgerError::Invalid(
                "a manual rate states its reason (manual:<reason>)".into(),
            )),
            _ => Err(LedgerError::Invalid(format!(
                "unknown rate source {s:?}: un, central-bank:<bank> or manual:<reason>"
            ))),
        }
    }
}

impl fmt::Display for RateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateSource::UnOperational => f.write_str("un"),
            RateSource::CentralBank(b) => write!(f, "central-bank:{b}"),
            RateSource::Manual(r) => write!(f, "manual:{r}"),
        }
    }
}

/// A positive decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl Decimal {
    pub fn parse(s: &str) -> Result<Self, LedgerError> {
        let t = s.trim();
        let bad = || LedgerError::Invalid(format!("{t:?} is not a positive decimal rate"));
        let (w, f) = t.split_once('.').unwrap_or((t, ""));
        if w.is_empty() || f.len() > 12 || !(w.bytes().chain(f.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let mantissa: i128 = format!("{w}{f}").parse().map_err(|_| bad())?;
        if mantissa <= 0 || w.len() > 12 {
            return Err(bad());
        }
        Ok(Decimal {
            mantissa,
            scale: f.len() as u32,
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = 10_i128.pow(self.scale);
        if self.scale == 0 {
            write!(f, "{}", self.mantissa)
        } else {
            write!(
                f,
                "{}.{:0w$}",
                self.mantissa / p,
                self.mantissa % p,
                w = self.scale as usize
            )
        }
    }
}

/// One unit of `from` is worth `value` units of `to` from `date` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub from: Currency,
    pub to: Currency,
    /// YYYY-MM-DD.
    pub date: String,
    pub value: Decimal,
    pub source: RateSource,
}

/// A converted amount and the rate that converted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub amount: i64,
    pub rate: Option<Rate>,
}

/// Rates by pair and date.
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    rates: BTreeMap<(Currency, Currency), BTreeMap<String, Rate>>,
}

impl RateTable {
    /// Adds a rate; the same rate again changes nothing, another value for
    /// the same pair and date is refused (correct it with a reasoned manual
    /// rate on another date, or remove it where it was imported).
    pub fn add(&mut self, r: Rate) -> Result<(), LedgerError> {
        check_date(&r.date)?;
        if r.from == r.to {
            return Err(LedgerError::Invalid(format!(
                "a rate converts one currency into another, not {} into itself",
                r.from
            )));
        }
        let by_date = self.rates.entry((r.from, r.to)).or_default();
        match by_date.get(&r.date) {
            Some(held) if held.value != r.value => Err(LedgerError::Invalid(format!(
                "{} to {} on {} is held already as {}",
                r.from, r.to, r.date, held.value
            ))),
            Some(_) => Ok(()),
            None => {
                by_date.insert(r.date.clone(), r);
                Ok(())
            }
        }
    }

    /// The rate in force on `date`: the latest dated on or before it.
    pub fn in_force(&self, from: Currency, to: Currency, date: &str) -> Result<&Rate, LedgerError> {
        self.rates
            .get(&(from, to))
            .and_then(|d| d.range(..=date.to_string()).next_back())
            .map(|(_, r)| r)
            .ok_or_else(|| LedgerError::NoRate {
                from: from.to_string(),
                to: to.to_string(),
                date: date.to_string(),
            })
    }

    /// Converts `amount` minor units of `from` into `to` at the rate in
    /// force on `date` (the same currency converts at par, with no rate).
    pub fn convert(
        &self,
        amount: i64,
        from: Currency,
        to: Currency,
        date: &str,
    ) -> Result<Converted, LedgerError> {
        if from == to {
            return Ok(Converted { amount, rate: None });
        }
        let r = self.in_force(from, to, date)?;
        Ok(Converted {
            amount: convert_at(amount, r)?,
            rate: Some(r.clone()),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rate> {
        self.rates.values().flat_map(|d| d.values())
    }
}

/// `amount` converted at `r`, rounded half away from zero.
pub fn convert_at(amount: i64, r: &Rate) -> Result<i64, LedgerError> {
    let (num, den) = ratio(amount, r)?;
    let rounded = round_half_away(num, den);
    i64::try_from(rounded).map_err(|_| LedgerError::Overflow)
}

/// The exact converted amount as numerator / denominator (in `to`'s minor units).
fn ratio(amount: i64, r: &Rate) -> Result<(i128, i128), LedgerError> {
    let ef = r.from.exponent();
    let et = r.to.exponent();
    let num = i128::from(amount)
        .checked_mul(r.value.mantissa)
        .and_then(|n| n.checked_mul(10_i128.pow(et)))
        .ok_or(LedgerError::Overflow)?;
    let den = 10_i128.pow(r.value.scale + ef);
    Ok((num, den))
}

fn round_half_away(num: i128, den: i128) -> i128 {
    let q = num / den;
    let rem = num % den;
    if 2 * rem.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// Converts the parts of a total at one rate so that the converted parts
/// add up to the converted total exactly: each part is rounded down, and
/// the units left over go to the parts with the largest remainders (ties
/// to the earlier part). Returns the converted parts and total.
pub fn convert_parts(parts: &[i64], r: &Rate) -> Result<(Vec<i64>, i64), LedgerError> {
    let total: i64 = parts
        .iter()
        .try_fold(0_i64, |s, p| s.checked_add(*p))
        .ok_or(LedgerError::Overflow)?;
    let converted_total = convert_at(total, r)?;
    let mut floors = Vec::with_capacity(parts.len());
    let mut remainders = Vec::with_capacity(parts.len());
    for p in parts {
        let (num, den) = ratio(*p, r)?;
        let f = num.div_euclid(den);
        floors.push(i64::try_from(f).map_err(|_| LedgerError::Overflow)?);
        remainders.push(num.rem_euclid(den));
    }
    let mut left = converted_total - floors.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Largest remainder first when handing out; smallest first when taking back.
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]).then(a.cmp(b)));
    let mut out = floors;
    let n = order.len().max(1);
    let mut i = 0;
    while left > 0 && !order.is_empty() {
        out[order[i % n]] += 1;
        left -= 1;
        i += 1;
    }
    let mut j = 0;
    while left < 0 && !order.is_empty() {
        out[order[n - 1 - (j % n)]] -= 1;
        left += 1;
        j += 1;
    }
    Ok((out, converted_total))
}

/// A date as YYYY-MM-DD with a real month and day.
pub fn check_date(d: &str) -> Result<(), LedgerError> {
    let b = d.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let days_in = |y: u32, m: u32| match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    let ok = shape && {
        let (y, m, day) = (
            d[..4].parse::<u32>().unwrap_or(0),
            d[5..7].parse::<u32>().unwrap_or(0),
            d[8..].parse::<u32>().unwrap_or(0),
        );
        y >= 1 && day >= 1 && day <= days_in(y, m)
    };
    if ok {
        Ok(())
    } else {
        Err(LedgerError::Invalid(format!(
            "{d:?} is not a calendar date (YYYY-MM-DD)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(from: &str, to: &str, date: &str, v: &str) -> Rate {
        Rate {
            from: Currency::parse(from).expect("c"),
            to: Currency::parse(to).expect("c"),
            date: date.into(),
            value: Decimal::parse(v).expect("v"),
            source: RateSource::UnOperational,
        }
    }

    #[test]
    fn the_rate_in_force_is_the_latest_on_or_before_the_date() {
        let mut t = RateTable::default();
        t.add(rate("EUR", "USD", "2015-06-01", "1.0987"))
            .expect("a");
        t.add(rate("EUR", "USD", "2015-07-01", "1.1154"))
            .expect("b");
        let (eur, usd) = (
            Currency::parse("EUR").expect("e"),
            Currency::parse("USD").expect("u"),
        );
        assert_eq!(
            t.in_force(eur, usd, "2015-06-30").expect("r").date,
            "2015-06-01"
        );
        assert_eq!(
            t.in_force(eur, usd, "2015-07-01").expect("r").date,
            "2015-07-01"
        );
        assert!(t.in_force(eur, usd, "2015-05-31").is_err());
        // 1,000,000.00 EUR at 1.0987 = 1,098,700.00 USD.
        let c = t.convert(100_000_000, eur, usd, "2015-06-15").expect("c");
        assert_eq!(c.amount, 109_870_000);
        assert!(t.add(rate("EUR", "USD", "2015-06-01", "1.2")).is_err());
        t.add(rate("EUR", "USD", "2015-06-01", "1.0987"))
            .expect("same again");
    }

    #[test]
    fn parts_add_up_to_the_converted_total() {
        let r = rate("IQD", "USD", "2015-01-01", "0.000855");
        let parts = [1_000_001, 2_333_333, 7, 999_999_999];
        let (conv, total) = convert_parts(&parts, &r).expect("c");
        assert_eq!(conv.iter().sum::<i64>(), total);
        assert_eq!(total, convert_at(parts.iter().sum(), &r).expect("t"));
    }

    #[test]
    fn dates_are_calendar_dates() {
        for ok in ["2015-06-01", "2016-02-29", "2000-02-29", "2015-12-31"] {
            assert!(check_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2015-02-30",
            "2015-02-29",
            "1900-02-29",
            "2015-04-31",
            "2015-13-01",
            "2015-00-10",
            "2015-6-01",
            "+015-06-01",
            "2015-06-1x",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rates_and_sources_are_parsed_strictly() {
        assert!(Decimal::parse("0").is_err());
        assert!(Decimal::parse("-1.2").is_err());
        assert!(Decimal::parse("1,2").is_err());
        assert_eq!(Decimal::parse("1.0987").expect("d").to_string(), "1.0987");
        assert!(RateSource::parse("manual").is_err());
        assert_eq!(
            RateSource::parse("manual: bank holiday").expect("m"),
            RateSource::Manual("bank holiday".into())
        );
        assert!(check_date("2015-13-01").is_err());
    }
}
