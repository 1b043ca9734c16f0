//! Numbers and dates as charts print them: separators, units, date ticks, round axis ranges.

use super::*;

/// Formats `v` with `decimals` decimals and thousands separators
/// (`-1234.5` → `−1,234.5`). Magnitudes from 10¹⁵ use scientific notation.
pub fn format_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    let digits = if a >= 1e15 {
        format!("{a:.2e}")
    } else {
        let s = format!("{a:.decimals$}");
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s, None),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{grouped}.{f}"),
            None => grouped,
        }
    };
    // No "−0": only negative when something non-zero is shown.
    let shows_nonzero = digits.chars().any(|c| c.is_ascii_digit() && c != '0');
    if v < 0.0 && shows_nonzero {
        format!("−{digits}")
    } else {
        digits
    }
}

/// A value for people: up to two decimals, trailing zeros dropped.
pub(super) fn format_value(v: f64) -> String {
    let s = format_number(v, 2);
    if s.contains('e') || !s.contains('.') {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(super) fn with_unit(number: String, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        number
    } else if unit.starts_with('%') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}

pub(super) fn clamp_value(v: f64) -> f64 {
    v.clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE)
}

pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) fn month_name(m: Month) -> &'static str {
    MONTHS[usize::from(u8::from(m)).saturating_sub(1) % 12]
}

/// `3 Sep 2014`.
pub(super) fn format_day(d: Date) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

pub(super) fn format_jd(jd: i32) -> String {
    match Date::from_julian_day(jd) {
        Ok(d) => format_day(d),
        Err(_) => String::from("?"),
    }
}

/// Months since year 0, so that month arithmetic is integer arithmetic.
pub(super) fn month_index(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

pub(super) fn first_of_month(index: i64) -> Option<Date> {
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum DateStep {
    Days(i64),
    Months(i64),
    Years(i64),
}

impl DateStep {
    pub(super) fn label(self, d: Date) -> String {
        match self {
            DateStep::Days(_) => format_day(d),
            DateStep::Months(_) => format!("{} {}", month_name(d.month()), d.year()),
            DateStep::Years(_) => d.year().to_string(),
        }
    }

    /// A typical label, to estimate how many fit.
    pub(super) fn sample(self) -> &'static str {
        match self {
            DateStep::Days(_) => "30 Sep 2014",
            DateStep::Months(_) => "Sep 2014",
            DateStep::Years(_) => "2014",
        }
    }

    /// Tick dates within `[start, end]` (Julian days), at most `limit + 1` of them.
    pub(super) fn ticks(self, start: i32, end: i32, limit: usize) -> Vec<Date> {
        let mut out = Vec::new();
        let (Ok(s), Ok(e)) = (Date::from_julian_day(start), Date::from_julian_day(end)) else {
            return out;
        };
        match self {
            DateStep::Days(k) => {
                let first = i64::from(start).div_euclid(k) * k;
                let first = if first < i64::from(start) {
                    first + k
                } else {
                    first
                };
                let mut jd = first;
                while jd <= i64::from(end) && out.len() <= limit {
                    if let Some(d) = i32::try_from(jd)
                        .ok()
                        .and_then(|j| Date::from_julian_day(j).ok())
                    {
                        out.push(d);
                    }
                    jd += k;
                }
            }
            DateStep::Months(k) => {
                let mut m = month_index(s) + i64::from(s.day() != 1);
                m = m.div_euclid(k) * k + if m.rem_euclid(k) == 0 { 0 } else { k };
                let last = month_index(e);
                while m <= last && out.len() <= limit {
                    if let Some(d) = first_of_month(m) {
                        out.push(d);
                    }
                    m += k;
                }
            }
            DateStep::Years(k) => {
                let mut y = i64::from(s.year()) + i64::from(s.ordinal() != 1);
                y = y.div_euclid(k) * k + if y.rem_euclid(k) == 0 { 0 } else { k };
                while y <= i64::from(e.year()) && out.len() <= limit {
                    if let Some(d) = first_of_month(y * 12) {
                        out.push(d);
                    }
                    y += k;
                }
            }
        }
        out
    }
}

/// Picks the finest date step whose labels fit in `width` px and returns its
/// ticks as (Julian day, label).
pub(super) fn date_ticks(start: i32, end: i32, width: f64) -> Vec<(i32, String)> {
    let mut steps = vec![
        DateStep::Days(1),
        DateStep::Days(2),
        DateStep::Days(7),
        DateStep::Days(14),
        DateStep::Months(1),
        DateStep::Months(2),
        DateStep::Months(3),
        DateStep::Months(6),
    ];
    let mut k = 1;
    while k <= 10_000 {
        for m in [1, 2, 5] {
            steps.push(DateStep::Years(k * m));
        }
        k *= 10;
    }
    for step in steps {
        let fits = (width / (text_width(step.sample(), TICK_SIZE) + 14.0)).floor() as usize;
        let fits = fits.max(2);
        let ticks = step.ticks(start, end, fits);
        if ticks.len() <= fits {
            return ticks
                .into_iter()
                .map(|d| (d.to_julian_day(), step.label(d)))
                .collect();
        }
    }
    Vec::new()
}

/// A "nice" axis from `min` to `max` (always including 0): round bounds and a
/// step of 1, 2 or 5 × 10ⁿ giving at most about six intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) step: f64,
    pub(super) decimals: usize,
}

impl Axis {
    pub(super) fn new(min: f64, max: f64) -> Axis {
        let lo = min.min(0.0);
        let mut hi = max.max(0.0);
        if hi - lo <= 0.0 || !(hi - lo).is_normal() {
            hi = lo + 1.0;
        }
        let raw = (hi - lo) / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let f = raw / magnitude;
        let nice = if f <= 1.0 {
            1.0
        } else if f <= 2.0 {
            2.0
        } else if f <= 5.0 {
            5.0
        } else {
            10.0
        };
        let step = nice * magnitude;
        let lo = (lo / step).floor() * step;
        let hi = ((hi / step).ceil() * step).max(lo + step);
        let exponent = (step.log10() * 1e6).round() / 1e6;
        let decimals = if exponent >= 0.0 {
            0
        } else {
            ((-exponent.floor()) as usize).min(12)
        };
        Axis {
            lo,
            hi,
            step,
            decimals,
        }
    }

    pub(super) fn ticks(&self) -> Vec<(f64, String)> {
        let n = ((self.hi - self.lo) / self.step).round().clamp(1.0, 50.0) as usize;
        (0..=n)
            .map(|i| {
                let v = self.lo + i as f64 * self.step;
                let v = if v.abs() < self.step * 1e-9 { 0.0 } else { v };
                (v, format_number(v, self.decimals))
            })
            .collect()
    }

    /// Maps a value to a y coordinate between `bottom` and `top`.
    pub(super) fn y(&self, v: f64, top: f64, bottom: f64) -> f64 {
        bottom - (v - self.lo) / (self.hi - self.lo) * (bottom - top)
    }
}
