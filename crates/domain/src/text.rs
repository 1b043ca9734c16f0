//! Bounded text fields: trimmed, non-empty where required, limited in length
//! (counted in characters, not bytes, so Arabic text gets the same room).

use crate::DomainError;

/// A required single-line field: trimmed, 1..=max characters, no control characters.
pub fn required_line(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(DomainError::InvalidField {
            field,
            reason: "must not be empty".into(),
        });
    }
    if v.chars().count() > max {
        return Err(DomainError::InvalidField {
            field,
            reason: format!("longer than {max} characters"),
        });
    }
    if v.chars().any(char::is_control) {
        return Err(DomainError::InvalidField {
            field,
            reason: "contains control characters".into(),
        });
    }
    Ok(v.to_string())
}

/// A multi-line text: may be empty, at most max characters, no control
/// characters except newline and tab.
pub fn body(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    if value.chars().count() > max {
        return Err(DomainError::InvalidField {
            field,
            reason: format!("longer than {max} characters"),
        });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(DomainError::InvalidField {
            field,
            reason: "contains control characters".into(),
        });
    }
    Ok(value.replace("\r\n", "\n"))
}

/// A calendar date written as YYYY-MM-DD.
pub fn iso_date(field: &'static str, value: &str) -> Result<String, DomainError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value.trim(), &fmt)
        .map(|_| value.trim().to_string())
        .map_err(|_| DomainError::InvalidField {
            field,
            reason: format!("{value:?} is not a date of the form YYYY-MM-DD"),
        })
}

/// A date of birth as lists and reports give it: YYYY, YYYY-MM or
/// YYYY-MM-DD, a calendar date in 1900–2100.
pub fn partial_date(field: &'static str, s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let ok = match t.len() {
        4 => t.parse::<u16>().is_ok_and(|y| (1900..=2100).contains(&y)),
        7 => iso_date(field, &format!("{t}-01")).is_ok(),
        10 => iso_date(field, t).is_ok(),
        _ => false,
    };
    if ok {
        Ok(t.to_string())
    } else {
        Err(DomainError::InvalidField {
            field,
            reason: format!("{s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD (1900–2100)"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_and_bounded() {
        assert_eq!(required_line("title", "  x ", 3).as_deref(), Ok("x"));
        assert!(required_line("title", "   ", 3).is_err());
        assert!(required_line("title", "abcd", 3).is_err());
        assert!(required_line("title", "a\u{0}b", 3).is_err());
        // Characters, not bytes: three Arabic letters fit in three.
        assert!(required_line("title", "داعش", 4).is_ok());
    }

    #[test]
    fn dates_parse() {
        assert!(iso_date("joined", "2014-09-05").is_ok());
        assert!(iso_date("joined", "2014-02-30").is_err());
        assert!(iso_date("joined", "05/09/2014").is_err());
    }
}
