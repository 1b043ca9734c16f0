//! iCalendar (RFC 5545) export of meetings and due dates, so that members
//! can subscribe to them from any calendar program. Written by hand: the
//! format is small, and a writer needs only the escaping, the folding and
//! the date forms below.
//!
//! - Lines end in CRLF and are folded at 75 octets (RFC 5545 3.1), never
//!   inside a UTF-8 character, and never just after whitespace: some readers
//!   trim the ends of lines before unfolding, which would lose it.
//! - TEXT values are escaped (3.3.11): `\\`, `\;`, `\,` and `\n` for any
//!   line end. Other control characters cannot be written at all (3.1,
//!   `CONTROL`) and are dropped; tabs are kept.
//! - Instants are written in UTC (`YYYYMMDDTHHMMSSZ`, 3.3.5 form 2), so no
//!   VTIMEZONE is needed; a whole day is a `VALUE=DATE` that ends,
//!   exclusively, on the next day (3.6.1).
//! - SEQUENCE is the record's version, so a changed record replaces the
//!   event a subscriber already has (same UID, higher SEQUENCE).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

/// When an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When<'a> {
    /// A span between two UTC instants, RFC 3339 with `Z` ("2014-09-04T08:00:00Z").
    Span {
        start_utc: &'a str,
        end_utc: &'a str,
    },
    /// A whole day (a due date), "YYYY-MM-DD".
    Day { date: &'a str },
}

/// One VEVENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event<'a> {
    /// Globally unique and stable across versions, e.g. "<record id>@coalesce".
    pub uid: &'a str,
    /// The record's version.
    pub sequence: i64,
    /// DTSTAMP, Unix milliseconds.
    pub stamp_ms: i64,
    pub when: When<'a>,
    pub summary: &'a str,
    /// Omitted when empty; may hold several lines.
    pub description: &'a str,
    /// Omitted when empty.
    pub location: &'a str,
    pub url: Option<&'a str>,
    pub categories: &'a [&'a str],
    /// CLASS: "PUBLIC", "PRIVATE" or "CONFIDENTIAL".
    pub class: &'a str,
}

/// Why an event cannot be written; each names the event's UID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcalError {
    #[error("event {uid}: {value:?} is not an RFC 3339 instant (e.g. 2014-09-04T08:00:00Z) in the years 0000–9999 UTC")]
    BadInstant { uid: String, value: String },
    #[error("event {uid}: {value:?} is not a date YYYY-MM-DD before 9999-12-31")]
    BadDate { uid: String, value: String },
    #[error("event {uid}: DTSTAMP {ms} ms is outside the years 0000–9999")]
    BadStamp { uid: String, ms: i64 },
    #[error("event {uid}: it ends ({end}) before it starts ({start})")]
    EndBeforeStart {
        uid: String,
        start: String,
        end: String,
    },
    /// Refused rather than guessed: an event without CLASS is PUBLIC.
    #[error("event {uid}: CLASS {value:?} is not PUBLIC, PRIVATE or CONFIDENTIAL")]
    BadClass { uid: String, value: String },
}

/// Longest content line, in octets, CRLF excluded (RFC 5545 3.1).
const LINE_OCTETS: usize = 75;

/// A calendar under construction: content lines, folded, CRLF-ended.
struct Lines(String);

impl Lines {
    /// `name:value`, `value` already in its written form (escaped if TEXT).
    fn raw(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{value}");
        fold_into(&mut self.0, &line);
    }

    /// A TEXT property.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }
}

/// Appends `line` folded at [`LINE_OCTETS`], each piece CRLF-ended and
/// each continuation starting with one space.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    // The continuation's leading space counts towards its 75 octets.
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // Readers that trim line ends before unfolding would lose
        // whitespace at a fold: move it to the next piece when the piece
        // keeps something else.
        let kept = rest[..cut].trim_end().len();
        if kept > 0 {
            cut = kept;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// `s` as an RFC 5545 TEXT value: backslash, semicolon and comma escaped,
/// every line end (CRLF, CR or LF) as `\n`, other control characters
/// except tab dropped.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A value that is not TEXT (a URI): nothing to escape, but a control
/// character, a line end above all, would break the line, so none is kept.
fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

fn utc_form(t: OffsetDateTime) -> Option<String> {
    if !(0..=9999).contains(&t.year()) {
        return None;
    }
    t.format(format_description!(
        "[year][month][day]T[hour][minute][second]Z"
    ))
    .ok()
}

/// An RFC 3339 instant, at any offset, in UTC; fractions of a second are
/// dropped (DATE-TIME has none).
fn instant(uid: &str, value: &str) -> Result<(OffsetDateTime, String), IcalError> {
    let bad = || IcalError::BadInstant {
        uid: uid.to_string(),
        value: value.to_string(),
    };
    let t = OffsetDateTime::parse(value, &Rfc3339)
        .ok()
        .and_then(|t| t.checked_to_offset(UtcOffset::UTC))
        .ok_or_else(bad)?;
    let text = utc_form(t).ok_or_else(bad)?;
    Ok((t, text))
}

fn date_form(d: Date) -> Option<String> {
    d.format(format_description!("[year][month][day]")).ok()
}

/// A "YYYY-MM-DD" date and the next day, both as `YYYYMMDD`.
fn day(uid: &str, value: &str) -> Result<(String, String), IcalError> {
    let bad = || IcalError::BadDate {
        uid: uid.to_string(),
        value: value.to_string(),
    };
    // The parser alone would accept a sign or, with wider features, more
    // digits: the shape is checked first.
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(bad());
    }
    let d = Date::parse(value, format_description!("[year]-[month]-[day]")).map_err(|_| bad())?;
    let next = d.next_day().ok_or_else(bad)?;
    Ok((
        date_form(d).ok_or_else(bad)?,
        date_form(next).ok_or_else(bad)?,
    ))
}

fn event(out: &mut Lines, e: &Event<'_>) -> Result<(), IcalError> {
    let uid = e.uid;
    let class = match e.class.to_ascii_uppercase().as_str() {
        c @ ("PUBLIC" | "PRIVATE" | "CONFIDENTIAL") => c.to_string(),
        _ => {
            return Err(IcalError::BadClass {
                uid: uid.to_string(),
                value: e.class.to_string(),
            })
        }
    };
    let stamp = OffsetDateTime::from_unix_timestamp(e.stamp_ms.div_euclid(1000))
        .ok()
        .and_then(utc_form)
        .ok_or_else(|| IcalError::BadStamp {
            uid: uid.to_string(),
            ms: e.stamp_ms,
        })?;
    out.raw("BEGIN", "VEVENT");
    out.text("UID", uid);
    out.raw("SEQUENCE", &e.sequence.to_string());
    out.raw("DTSTAMP", &stamp);
    match e.when {
        When::Span { start_utc, end_utc } => {
            let (start, start_text) = instant(uid, start_utc)?;
            let (end, end_text) = instant(uid, end_utc)?;
            if end < start {
                return Err(IcalError::EndBeforeStart {
                    uid: uid.to_string(),
                    start: start_utc.to_string(),
                    end: end_utc.to_string(),
                });
            }
            out.raw("DTSTART", &start_text);
            // DTEND must be later than DTSTART; without it an event with a
            // DATE-TIME start ends when it starts (3.6.1).
            if end > start {
                out.raw("DTEND", &end_text);
            }
        }
        When::Day { date } => {
            let (first, next) = day(uid, date)?;
            out.raw("DTSTART;VALUE=DATE", &first);
            out.raw("DTEND;VALUE=DATE", &next);
        }
    }
    out.text("SUMMARY", e.summary);
    if !e.description.is_empty() {
        out.text("DESCRIPTION", e.description);
    }
    if !e.location.is_empty() {
        out.text("LOCATION", e.location);
    }
    if let Some(url) = e.url {
        let url = strip_controls(url);
        if !url.is_empty() {
            out.raw("URL", &url);
        }
    }
    let categories: Vec<String> = e
        .categories
        .iter()
        .map(|c| escape_text(c))
        .filter(|c| !c.is_empty())
        .collect();
    if !categories.is_empty() {
        out.raw("CATEGORIES", &categories.join(","));
    }
    out.raw("CLASS", &class);
    out.raw("END", "VEVENT");
    Ok(())
}

/// A VCALENDAR with PRODID "-//coalesce//meetings//EN", VERSION 2.0, CALSCALE GREGORIAN,
/// METHOD PUBLISH, X-WR-CALNAME = name, and one VEVENT per event.
pub fn calendar(name: &str, events: &[Event<'_>]) -> Result<String, IcalError> {
    let mut out = Lines(String::new());
    out.raw("BEGIN", "VCALENDAR");
    out.raw("PRODID", "-//coalesce//meetings//EN");
    out.raw("VERSION", "2.0");
    out.raw("CALSCALE", "GREGORIAN");
    out.raw("METHOD", "PUBLISH");
    out.text("X-WR-CALNAME", name);
    for e in events {
        event(&mut out, e)?;
    }
    out.raw("END", "VCALENDAR");
    Ok(out.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ical::parser::ical::component::{IcalCalendar, IcalEvent};
    use ical::parser::Component;
    use ical::property::Property;

    const ARABIC: &str = "التحالف الدولي لهزيمة داعش";

    /// RFC 5545 3.3.11, the other way: the parser hands TEXT back as
    /// written.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(c) => out.push(c),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A list value split at its unescaped commas.
    fn split_list(s: &str) -> Vec<String> {
        let mut items = vec![String::new()];
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let last = items.last_mut().expect("an item");
                    last.push('\\');
                    if let Some(n) = chars.next() {
                        last.push(n);
                    }
                }
                ',' => items.push(String::new()),
                c => items.last_mut().expect("an item").push(c),
            }
        }
        items.iter().map(|i| unescape(i)).collect()
    }

    fn parse(text: &str) -> IcalCalendar {
        let mut parser = ical::IcalParser::new(text.as_bytes());
        let cal = parser
            .next()
            .expect("one calendar")
            .expect("a calendar the parser reads");
        assert!(parser.next().is_none(), "only one calendar");
        cal
    }

    fn prop<'c>(c: &'c impl Component, name: &str) -> &'c Property {
        c.get_property(name)
            .unwrap_or_else(|| panic!("property {name}"))
    }

    fn value(c: &impl Component, name: &str) -> String {
        prop(c, name).value.clone().unwrap_or_default()
    }

    fn count(e: &IcalEvent, name: &str) -> usize {
        e.properties.iter().filter(|p| p.name == name).count()
    }

    fn long_description() -> String {
        let mut s = String::new();
        for i in 0..6 {
            s.push_str(&format!(
                "Item {i}: review the plan, the budget; and the risks \\ owners. {ARABIC} 🙂 é\n"
            ));
        }
        s.push_str("last line, no end");
        s
    }

    fn events<'a>(desc: &'a str, cats: &'a [&'a str]) -> Vec<Event<'a>> {
        vec![
            Event {
                uid: "0190c7f2-7d1a-7000-8000-000000000001@coalesce",
                sequence: 3,
                stamp_ms: 1_409_817_600_123,
                when: When::Span {
                    start_utc: "2014-09-04T08:00:00Z",
                    // An offset other than Z: written in UTC.
                    end_utc: "2014-09-04T12:30:15+02:00",
                },
                summary: "Steering group; budget, plan \\ review",
                description: desc,
                location: "Room 4, Building B; Brussels",
                url: Some("https://coalesce.example/meetings/1?a=1;b=2,3"),
                categories: cats,
                class: "CONFIDENTIAL",
            },
            Event {
                uid: "0190c7f2-7d1a-7000-8000-000000000002@coalesce",
                sequence: 0,
                stamp_ms: 1_409_817_600_000,
                when: When::Day { date: "2014-12-31" },
                summary: ARABIC,
                description: "",
                location: "",
                url: None,
                categories: &[],
                class: "private",
            },
        ]
    }

    #[test]
    fn lines_are_crlf_folded_and_whole_characters() {
        let desc = long_description();
        let cats = ["meeting", "steering, group"];
        let text = calendar("Coalition meetings", &events(&desc, &cats)).expect("a calendar");
        assert!(text.ends_with("\r\n"));
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']));
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        let mut folded = 0;
        for line in &lines {
            // Each piece is valid UTF-8 on its own: no character was split.
            assert!(std::str::from_utf8(line.as_bytes()).is_ok());
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            assert!(!line.ends_with(char::is_whitespace), "{line:?}");
            if line.starts_with(' ') {
                folded += 1;
            }
        }
        assert!(folded > 5, "the description was folded: {text}");
        // Unfolding gives back the whole escaped description.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}\r\n", escape_text(&desc))));
    }

    #[test]
    fn folds_whitespace_and_multibyte_runs() {
        let mut out = String::new();
        let line = format!("X:{}{}", "ب".repeat(50), " ".repeat(100));
        fold_into(&mut out, &line);
        for piece in out.split_terminator("\r\n") {
            assert!(piece.len() <= 75);
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        let mut out = String::new();
        let line = "🙂".repeat(60);
        fold_into(&mut out, &line);
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        assert!(out.split_terminator("\r\n").all(|p| p.len() <= 75));
    }

    #[test]
    fn escapes_text_and_drops_controls() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg\th\u{0}i\u{7}j\u{1b}k\u{7f}l\u{85}m"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng\thijklm"
        );
        assert_eq!(
            strip_controls("https://x\r\nBEGIN:VEVENT"),
            "https://xBEGIN:VEVENT"
        );
    }

    #[test]
    fn round_trips_through_an_ical_parser() {
        let desc = long_description();
        let cats = ["meeting", "steering, group", "a;b", ARABIC, ""];
        let evs = events(&desc, &cats);
        let name = "Coalition, meetings; \u{0}all";
        let text = calendar(name, &evs).expect("a calendar");
        let cal = parse(&text);

        assert_eq!(value(&cal, "PRODID"), "-//coalesce//meetings//EN");
        assert_eq!(value(&cal, "VERSION"), "2.0");
        assert_eq!(value(&cal, "CALSCALE"), "GREGORIAN");
        assert_eq!(value(&cal, "METHOD"), "PUBLISH");
        assert_eq!(value(&cal, "X-WR-CALNAME"), "Coalition\\, meetings\\; all");
        assert_eq!(cal.events.len(), 2);

        let meeting = &cal.events[0];
        assert_eq!(value(meeting, "UID"), evs[0].uid);
        assert_eq!(value(meeting, "SEQUENCE"), "3");
        assert_eq!(value(meeting, "DTSTAMP"), "20140904T080000Z");
        let start = prop(meeting, "DTSTART");
        assert_eq!(start.params, None);
        assert_eq!(start.value.as_deref(), Some("20140904T080000Z"));
        assert_eq!(value(meeting, "DTEND"), "20140904T103015Z");
        // As written on the wire, then as meant.
        assert_eq!(
            value(meeting, "SUMMARY"),
            "Steering group\\; budget\\, plan \\\\ review"
        );
        assert_eq!(unescape(&value(meeting, "SUMMARY")), evs[0].summary);
        assert_eq!(unescape(&value(meeting, "DESCRIPTION")), desc);
        assert!(value(meeting, "DESCRIPTION").contains("owners. التحالف"));
        assert_eq!(unescape(&value(meeting, "LOCATION")), evs[0].location);
        assert_eq!(
            value(meeting, "URL"),
            "https://coalesce.example/meetings/1?a=1;b=2,3"
        );
        assert_eq!(
            split_list(&value(meeting, "CATEGORIES")),
            ["meeting", "steering, group", "a;b", ARABIC]
        );
        assert_eq!(value(meeting, "CLASS"), "CONFIDENTIAL");

        let due = &cal.events[1];
        assert_eq!(value(due, "UID"), evs[1].uid);
        assert_eq!(value(due, "SEQUENCE"), "0");
        assert_eq!(value(due, "DTSTAMP"), "20140904T080000Z");
        for (name, date) in [("DTSTART", "20141231"), ("DTEND", "20150101")] {
            let p = prop(due, name);
            assert_eq!(
                p.params,
                Some(vec![("VALUE".to_string(), vec!["DATE".to_string()])])
            );
            assert_eq!(p.value.as_deref(), Some(date));
        }
        assert_eq!(value(due, "SUMMARY"), ARABIC);
        assert_eq!(value(due, "CLASS"), "PRIVATE");
        for absent in ["DESCRIPTION", "LOCATION", "URL", "CATEGORIES"] {
            assert_eq!(count(due, absent), 0, "{absent}");
        }
        for e in &cal.events {
            for p in &e.properties {
                assert_eq!(count(e, &p.name), 1, "{} once", p.name);
            }
        }
    }

    #[test]
    fn a_zero_length_span_has_no_dtend() {
        let mut e = events("", &[])[0];
        e.when = When::Span {
            start_utc: "2014-09-04T08:00:00.5Z",
            end_utc: "2014-09-04T10:00:00.5+02:00",
        };
        let cal = parse(&calendar("x", &[e]).expect("a calendar"));
        assert_eq!(value(&cal.events[0], "DTSTART"), "20140904T080000Z");
        assert_eq!(count(&cal.events[0], "DTEND"), 0);
    }

    #[test]
    fn bad_instants_dates_stamps_and_classes_are_errors() {
        let base = events("", &[])[0];
        let uid = base.uid.to_string();
        for bad in [
            "",
            "2014-09-04",
            "2014-09-04T08:00:00",
            "2014-13-04T08:00:00Z",
            "2014-02-30T08:00:00Z",
            "0000-01-01T00:30:00+01:00",
            "9999-12-31T23:30:00-01:00",
            "نص",
        ] {
            for when in [
                When::Span {
                    start_utc: bad,
                    end_utc: "2014-09-04T08:00:00Z",
                },
                When::Span {
                    start_utc: "2014-09-04T08:00:00Z",
                    end_utc: bad,
                },
            ] {
                let e = Event { when, ..base };
                assert_eq!(
                    calendar("x", &[e]),
                    Err(IcalError::BadInstant {
                        uid: uid.clone(),
                        value: bad.to_string()
                    })
                );
            }
        }
        for bad in [
            "",
            "2014-9-4",
            "2014-02-30",
            "2014-09-04T00:00:00Z",
            "+2014-09-04",
            "20140904",
            "9999-12-31",
            "٢٠١٤-٠٩-٠٤",
        ] {
            let e = Event {
                when: When::Day { date: bad },
                ..base
            };
            assert_eq!(
                calendar("x", &[e]),
                Err(IcalError::BadDate {
                    uid: uid.clone(),
                    value: bad.to_string()
                })
            );
        }
        let e = Event {
            when: When::Span {
                start_utc: "2014-09-04T10:00:00Z",
                end_utc: "2014-09-04T09:00:00Z",
            },
            ..base
        };
        assert!(matches!(
            calendar("x", &[e]),
            Err(IcalError::EndBeforeStart { .. })
        ));
        for ms in [i64::MIN, i64::MAX, -62_167_219_201_000] {
            let e = Event {
                stamp_ms: ms,
                ..base
            };
            assert_eq!(
                calendar("x", &[e]),
                Err(IcalError::BadStamp {
                    uid: uid.clone(),
                    ms
                })
            );
        }
        for class in ["", "SECRET", "PUBLIC\r\nX-INJECTED:1"] {
            let e = Event { class, ..base };
            assert!(matches!(
                calendar("x", &[e]),
                Err(IcalError::BadClass { .. })
            ));
        }
        // The error says which event and which value.
        let e = Event {
            when: When::Day { date: "2014-02-30" },
            ..base
        };
        let msg = calendar("x", &[e]).expect_err("bad").to_string();
        assert!(
            msg.contains(base.uid) && msg.contains("2014-02-30"),
            "{msg}"
        );
    }

    #[test]
    fn no_input_panics_or_breaks_a_line() {
        let nasty = "\u{0}\r\n\u{1b}[31m;,\\\u{85}\u{2028}🙂ب\tz";
        let cats = [nasty];
        let e = Event {
            uid: nasty,
            sequence: i64::MIN,
            stamp_ms: -1,
            when: When::Day { date: "1970-01-01" },
            summary: nasty,
            description: nasty,
            location: nasty,
            url: Some(nasty),
            categories: &cats,
            class: "public",
        };
        let text = calendar(nasty, &[e]).expect("a calendar");
        assert!(text
            .lines()
            .all(|l| !l.contains(|c: char| c.is_control() && c != '\t' && c != '\r')));
        let cal = parse(&text);
        let ev = &cal.events[0];
        assert_eq!(value(ev, "DTSTAMP"), "19691231T235959Z");
        assert_eq!(unescape(&value(ev, "SUMMARY")), "\n[31m;,\\\u{2028}🙂ب\tz");
    }
}
