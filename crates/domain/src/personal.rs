//! Personal data (DESIGN, "Personal data"): a record about a person — a
//! person entity, a report about people — carries a retention period, the
//! day until which its personal data is kept (`retain_until`, per record;
//! a configured number of days when its writer gives none). When the day
//! has passed, the origin node purges it: a new version whose body keeps
//! nothing personal (`purged_on` set), and every kept version of the record
//! rewritten to that body, on the origin and on every peer that holds a
//! copy (a peer applies the purged version and rewrites its own history).
//! The origin member may also purge at once (a correction it cannot make
//! otherwise), and may move the day while the data is kept.
//!
//! A purged record cannot be changed again: its personal data is gone, and
//! a change must not bring it back.

use crate::DomainError;

/// Days a record about a person is kept when its writer gives no day and
/// the node's configuration names no other period.
pub const DEFAULT_RETENTION_DAYS: u32 = 730;

/// The longest a record about a person may be kept, from today (a day
/// further is refused, as is a longer configured period).
pub const MAX_RETENTION_DAYS: u32 = 36_500;

/// The retention fields as a body carries them, checked: dates of the form
/// YYYY-MM-DD.
pub fn checked_dates(
    retain_until: Option<String>,
    purged_on: Option<String>,
) -> Result<(Option<String>, Option<String>), DomainError> {
    let date = |field: &'static str, d: Option<String>| {
        d.map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .map(|d| crate::text::iso_date(field, &d))
            .transpose()
    };
    Ok((
        date("retain_until", retain_until)?,
        date("purged_on", purged_on)?,
    ))
}

/// Why a change from a body purged (or not) on `old` to one purged (or not)
/// on `new` may not be made: a purged record stays as it is, and only the
/// node's purge sets the day.
pub fn immutable_change(old: Option<&str>, new: Option<&str>) -> Option<&'static str> {
    if old.is_some() {
        Some("its personal data was purged: the record is kept as it is")
    } else if new.is_some() {
        Some("purged_on is set by the node's purge, never by a change")
    } else {
        None
    }
}

/// Whether a record kept until `retain_until` is due for its purge on
/// `today` (both YYYY-MM-DD: kept through its last day).
pub fn is_due(retain_until: Option<&str>, purged_on: Option<&str>, today: &str) -> bool {
    purged_on.is_none() && retain_until.is_some_and(|d| d < today)
}

/// The day `days` after `today` (YYYY-MM-DD), for a default retention.
pub fn days_after(today: &str, days: u32) -> Result<String, DomainError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(today, &fmt).map_err(|_| DomainError::InvalidField {
        field: "today",
        reason: format!("{today:?} is not a date of the form YYYY-MM-DD"),
    })?;
    let until =
        d.checked_add(time::Duration::days(i64::from(days)))
            .ok_or(DomainError::InvalidField {
                field: "retain_until",
                reason: format!("{days} days after {today} is past the calendar"),
            })?;
    until.format(&fmt).map_err(|e| DomainError::InvalidField {
        field: "retain_until",
        reason: e.to_string(),
    })
}

/// The UTC day (YYYY-MM-DD) of a unix time in milliseconds.
pub fn day_of_ms(ms: i64) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.date().format(&fmt).ok())
        .unwrap_or_else(|| "1970-01-01".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_only_after_the_last_day_and_never_twice() {
        assert!(!is_due(Some("2026-12-05"), None, "2026-12-05"));
        assert!(is_due(Some("2026-12-04"), None, "2026-12-05"));
        assert!(!is_due(
            Some("2026-12-04"),
            Some("2026-12-05"),
            "2026-12-06"
        ));
        assert!(!is_due(None, None, "2026-12-05"));
    }

    #[test]
    fn dates_are_checked_and_days_added() {
        assert!(checked_dates(Some("2026-13-01".into()), None).is_err());
        assert_eq!(
            checked_dates(Some(" 2026-12-01 ".into()), Some(String::new())).expect("dates"),
            (Some("2026-12-01".into()), None)
        );
        assert_eq!(days_after("2024-02-28", 2).expect("a day"), "2024-03-01");
        assert!(days_after("not a day", 2).is_err());
        assert_eq!(day_of_ms(1_412_208_000_000), "2014-10-02");
    }

    #[test]
    fn a_purged_record_stays_as_it_is() {
        assert!(immutable_change(Some("2026-12-05"), Some("2026-12-05")).is_some());
        assert!(immutable_change(None, Some("2026-12-05")).is_some());
        assert!(immutable_change(None, None).is_none());
    }
}
