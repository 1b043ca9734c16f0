//! Money in exchange files: the domain keeps integer minor units and an ISO
//! 4217 code; files show major units with exactly the currency's number of
//! decimals (`1500000.00` USD, `1500000` JPY, `1500.000` KWD). Conversions
//! are on decimal text and integers only — never floats — so an amount goes
//! out and comes back exactly.

/// ISO 4217 minor-unit exponents that are not 2 (sorted by code). Codes
/// whose minor unit ISO 4217 gives as "N.A." (precious metals, bond-market
/// units, SDR: XAG, XAU, XBA–XBD, XDR, XPD, XPT, XSU, XUA) count in whole
/// units here, exponent 0.
const EXPONENTS: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XAG", 0),
    ("XAU", 0),
    ("XBA", 0),
    ("XBB", 0),
    ("XBC", 0),
    ("XBD", 0),
    ("XDR", 0),
    ("XOF", 0),
    ("XPD", 0),
    ("XPF", 0),
    ("XPT", 0),
    ("XSU", 0),
    ("XUA", 0),
];

/// The number of decimals of a currency's minor unit (ISO 4217): 2 unless
/// the table says otherwise (JPY 0, KWD 3, CLF 4, …).
pub fn minor_digits(currency: &str) -> u32 {
    EXPONENTS
        .binary_search_by(|(c, _)| (*c).cmp(currency))
        .map(|i| EXPONENTS[i].1)
        .unwrap_or(2)
}

/// Minor units as major units with exactly the currency's decimals:
/// `(150000000, "USD")` → `"1500000.00"`, `(1500, "JPY")` → `"1500"`,
/// `(1500250, "KWD")` → `"1500.250"`.
pub fn format_minor(amount: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    if digits == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(digits);
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = digits as usize
    )
}

/// Why a decimal amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("{0:?} is not a decimal number (digits, optionally one '.' and more digits; no thousands separators, spaces or exponent)")]
    NotDecimal(String),
    #[error("{value:?} has more decimals than {currency} has ({digits})")]
    TooManyDecimals {
        value: String,
        currency: String,
        digits: u32,
    },
    #[error("{0:?} is too large")]
    TooLarge(String),
}

/// Major units as written in a file → minor units, exactly: `"1500000.00"`
/// USD → 150000000; `"1500.5"` USD → 150050; `"1500.25"` JPY is refused
/// (JPY has no decimals). A leading `-` is kept (the domain refuses
/// negative amounts with its own message).
pub fn parse_major(text: &str, currency: &str) -> Result<i64, AmountError> {
    let t = text.trim();
    let not_decimal = || AmountError::NotDecimal(text.to_string());
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) || (body.ends_with('.')) {
        return Err(not_decimal());
    }
    let digits = minor_digits(currency);
    if frac.len() > digits as usize {
        return Err(AmountError::TooManyDecimals {
            value: text.to_string(),
            currency: currency.to_string(),
            digits,
        });
    }
    let too_large = || AmountError::TooLarge(text.to_string());
    let mut minor: i64 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    for _ in frac.len()..digits as usize {
        minor = minor.checked_mul(10).ok_or_else(too_large)?;
    }
    Ok(if negative { -minor } else { minor })
}

/// A whole number as written in a file (quantities, priorities): digits
/// with an optional leading `-`.
pub fn parse_integer(text: &str) -> Option<i64> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use coalesce_domain::needs::Measure;

    #[test]
    fn table_is_sorted_and_every_code_is_a_domain_currency() {
        assert!(EXPONENTS.windows(2).all(|w| w[0].0 < w[1].0));
        for (c, _) in EXPONENTS {
            assert!(Measure::money(1, c).is_ok(), "{c}");
        }
    }

    #[test]
    fn exponents() {
        assert_eq!(minor_digits("USD"), 2);
        assert_eq!(minor_digits("EUR"), 2);
        assert_eq!(minor_digits("JPY"), 0);
        assert_eq!(minor_digits("KRW"), 0);
        for c in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] {
            assert_eq!(minor_digits(c), 3, "{c}");
        }
        assert_eq!(minor_digits("CLF"), 4);
        assert_eq!(minor_digits("UYW"), 4);
    }

    #[test]
    fn formats_with_exactly_the_currency_decimals() {
        assert_eq!(format_minor(150_000_000, "USD"), "1500000.00");
        assert_eq!(format_minor(5, "USD"), "0.05");
        assert_eq!(format_minor(1500, "JPY"), "1500");
        assert_eq!(format_minor(1_500_250, "KWD"), "1500.250");
        assert_eq!(format_minor(1, "IQD"), "0.001");
        assert_eq!(format_minor(12_345, "CLF"), "1.2345");
        assert_eq!(format_minor(-5, "USD"), "-0.05");
        assert_eq!(format_minor(i64::MIN, "USD"), "-92233720368547758.08");
    }

    #[test]
    fn parses_exactly_and_refuses_extra_decimals() {
        assert_eq!(parse_major("1500000.00", "USD"), Ok(150_000_000));
        assert_eq!(parse_major("1500000", "USD"), Ok(150_000_000));
        assert_eq!(parse_major("1500.5", "USD"), Ok(150_050));
        assert_eq!(parse_major(" 0.05 ", "USD"), Ok(5));
        assert_eq!(parse_major("1500", "JPY"), Ok(1500));
        assert_eq!(parse_major("1500.250", "KWD"), Ok(1_500_250));
        assert_eq!(parse_major("-5", "USD"), Ok(-500));
        assert!(matches!(
            parse_major("1500.25", "JPY"),
            Err(AmountError::TooManyDecimals { digits: 0, .. })
        ));
        assert!(matches!(
            parse_major("1.2345", "KWD"),
            Err(AmountError::TooManyDecimals { digits: 3, .. })
        ));
        for bad in [
            "", "-", ".5", "5.", "1,500.00", "1 500", "1e3", "+5", "abc", "1.2.3", "--5", "٣",
        ] {
            assert!(
                matches!(parse_major(bad, "USD"), Err(AmountError::NotDecimal(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(
            parse_major("99999999999999999999", "USD"),
            Err(AmountError::TooLarge(_))
        ));
        assert!(matches!(
            parse_major("92233720368547758.08", "USD"),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer("12"), Some(12));
        assert_eq!(parse_integer(" -5 "), Some(-5));
        assert_eq!(parse_integer("12.0"), None);
        assert_eq!(parse_integer("+1"), None);
        assert_eq!(parse_integer(""), None);
        assert_eq!(parse_integer("99999999999999999999"), None);
    }

    proptest::proptest! {
        #[test]
        fn minor_units_round_trip(amount in proptest::prelude::any::<i64>(), c in proptest::sample::select(vec!["USD", "JPY", "KWD", "CLF", "EUR", "IQD"])) {
            if amount != i64::MIN {
                proptest::prop_assert_eq!(parse_major(&format_minor(amount, c), c), Ok(amount));
            }
        }
    }
}
