//! Wire forms of meetings' follow-up (issue 17): a commitment with what is
//! computed for its reader (progress, parts, overdue, history), the board,
//! carry-over, notices, and the iCalendar and Akoma Ntoso exports. What
//! both HTTP faces and the CLI share.

use crate::records::record_out;
use crate::wire::rfc3339;
use crate::wire_needs::banner;
use coalesce_domain::meetings::{CommitmentKind, Meeting, Statement};
use coalesce_domain::record::Record;
use coalesce_domain::Tlp;
use coalesce_exchange::akn::{AknParagraph, AknStatement};
use coalesce_exchange::ical::{Event, When};
use coalesce_store::meetings::{CommitmentView, Notice};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

/// The fields computed for a commitment's reader (never stored, never
/// accepted on write).
pub fn commitment_computed(v: &CommitmentView) -> Map<String, Value> {
    let parts: Vec<Value> = v
        .parts
        .iter()
        .map(|p| {
            json!({
                "target": p.link.target,
                "id": p.link.id,
                "weight": p.link.weight,
                "readable": p.share.is_some(),
                "label": p.label,
                "share": p.share,
            })
        })
        .collect();
    let mut o = Map::new();
    for (k, val) in [
        ("progress", json!(v.progress.share)),
        ("partial", json!(v.progress.partial)),
        ("overdue", json!(v.overdue)),
        ("due_ends_at", json!(rfc3339(v.due_end_ms))),
        ("time_zone", json!(v.time_zone)),
        ("meeting_title", json!(v.meeting_title)),
        ("parts", Value::Array(parts)),
        ("history", json!(v.history)),
    ] {
        o.insert(k.into(), val);
    }
    o
}

/// A commitment on the wire: its record and its computed fields.
pub fn commitment_out(v: &CommitmentView) -> Value {
    let mut o = match record_out::<CommitmentKind>(&v.record) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    o.extend(commitment_computed(v));
    Value::Object(o)
}

/// The query of the commitments board.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// Only this member's commitments.
    pub owner: Option<String>,
    /// Only this line of effort's.
    pub line_of_effort: Option<String>,
    /// Only this meeting's (made or discussed there).
    pub meeting: Option<String>,
    /// Only overdue ones.
    pub overdue: Option<bool>,
    /// Judge overdue at this instant (RFC 3339) or the end of this day
    /// (YYYY-MM-DD, UTC) instead of now.
    pub as_of: Option<String>,
}

/// `as_of` as Unix milliseconds.
pub fn parse_as_of(s: &str) -> Result<i64, crate::ApiError> {
    let bad = || {
        crate::ApiError::bad_request(
            "invalid_query",
            format!("as_of: {s:?} is neither an RFC 3339 time nor a date (YYYY-MM-DD)"),
        )
    };
    let t = s.trim();
    if t.len() == 10 {
        coalesce_domain::meetings::due_end_ms(t, "UTC")
            .map(|end| end - 1)
            .map_err(|_| bad())
    } else {
        coalesce_domain::meetings::utc_instant("as_of", t)
            .map(|i| i.as_millisecond())
            .map_err(|_| bad())
    }
}

/// The board on the wire.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardOut {
    /// The instant overdue was judged at.
    pub as_of: String,
    /// Commitments, overdue first, then by due date; each with its
    /// computed `progress`, `partial`, `overdue`, `parts` and `history`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

/// What a carry-over is asked.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarryOverIn {
    /// The meeting to carry open items from: the group's last meeting
    /// before this one when absent.
    #[serde(default)]
    pub from: Option<String>,
}

/// A notice on the wire.
pub fn notice_out(n: &Notice) -> Value {
    json!({
        "id": n.id,
        "notice": n.notice.as_str(),
        "label": n.notice.label(),
        "due": n.due,
        "sent_at": rfc3339(n.sent_at_ms),
        "read": n.read,
        "commitment": commitment_out(&n.commitment),
    })
}

/// The iCalendar CLASS of a marking: who may see the event beyond its
/// readers' own calendars.
fn class_of(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear | Tlp::Green => "PUBLIC",
        Tlp::Amber | Tlp::AmberStrict => "PRIVATE",
        Tlp::Red => "CONFIDENTIAL",
    }
}

/// The events of meetings and commitments' due dates, as read.
pub fn calendar(
    name: &str,
    base_url: &str,
    meetings: &[Record<Meeting>],
    commitments: &[CommitmentView],
    stamp_ms: i64,
) -> Result<String, crate::ApiError> {
    let uids: Vec<String> = meetings
        .iter()
        .map(|m| format!("meeting-{}@coalesce", m.id))
        .chain(
            commitments
                .iter()
                .map(|c| format!("due-{}@coalesce", c.record.id)),
        )
        .collect();
    let descriptions: Vec<String> = meetings
        .iter()
        .map(|m| {
            format!(
                "{}\n{} hosted by {}; {} attending.\n{}",
                banner(&m.origin, &m.marking),
                m.body.meeting_type.as_str().replace('_', " "),
                m.body.host,
                m.body.attendance.len(),
                coalesce_domain::meetings::local_time(&m.body.starts, &m.body.time_zone),
            )
        })
        .chain(commitments.iter().map(|c| {
            format!(
                "{}\nOwner: {}. Made at {}.{}",
                banner(&c.record.origin, &c.record.marking),
                c.record.body.owner,
                c.meeting_title,
                if c.overdue { " Overdue." } else { "" }
            )
        }))
        .collect();
    let summaries: Vec<String> = commitments
        .iter()
        .map(|c| format!("Due: {} ({})", c.record.body.what, c.record.body.owner))
        .collect();
    let urls: Vec<String> = meetings
        .iter()
        .map(|m| format!("{base_url}/meetings/{}", m.id))
        .chain(
            commitments
                .iter()
                .map(|c| format!("{base_url}/commitments/{}", c.record.id)),
        )
        .collect();
    let meeting_categories: Vec<[&str; 1]> = meetings
        .iter()
        .map(|m| [m.body.meeting_type.as_str()])
        .collect();
    let mut events = Vec::with_capacity(uids.len());
    for (i, m) in meetings.iter().enumerate() {
        events.push(Event {
            uid: &uids[i],
            sequence: m.version,
            stamp_ms,
            when: When::Span {
                start_utc: &m.body.starts,
                end_utc: &m.body.ends,
            },
            summary: &m.body.title,
            description: &descriptions[i],
            location: &m.body.place,
            url: Some(&urls[i]),
            categories: &meeting_categories[i],
            class: class_of(m.marking.tlp),
        });
    }
    for (j, c) in commitments.iter().enumerate() {
        let i = meetings.len() + j;
        events.push(Event {
            uid: &uids[i],
            sequence: c.record.version,
            stamp_ms,
            when: When::Day {
                date: &c.record.body.due,
            },
            summary: &summaries[j],
            description: &descriptions[i],
            location: "",
            url: Some(&urls[i]),
            categories: &["commitment"],
            class: class_of(c.record.marking.tlp),
        });
    }
    coalesce_exchange::ical::calendar(name, &events).map_err(|e| {
        crate::ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "calendar",
            e.to_string(),
        )
    })
}

/// A statement's text in `language` as Akoma Ntoso XML; `None` when it
/// has no text in that language.
pub fn statement_akn(
    s: &Record<Statement>,
    meeting: &Record<Meeting>,
    member_names: &dyn Fn(&str) -> String,
    language: &str,
    now_ms: i64,
) -> Option<String> {
    let text = s.body.texts.iter().find(|t| t.language == language)?;
    let original = s
        .body
        .texts
        .first()
        .map_or(language, |t| t.language.as_str());
    let names: Vec<(String, String)> = s
        .body
        .signatories
        .iter()
        .map(|c| (c.clone(), member_names(c)))
        .collect();
    let signatories: Vec<(&str, &str)> = names
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let paragraphs: Vec<AknParagraph<'_>> = text
        .paragraphs
        .iter()
        .map(|p| AknParagraph {
            num: &p.num,
            text: &p.text,
        })
        .collect();
    let marking = banner(&s.origin, &s.marking);
    Some(coalesce_exchange::akn::statement(&AknStatement {
        id: &s.id,
        title: &text.title,
        language,
        original_language: original,
        adopted_on: &s.body.adopted_on,
        meeting_title: &meeting.body.title,
        meeting_place: &meeting.body.place,
        signatories: &signatories,
        marking: &marking,
        generated_ms: now_ms,
        paragraphs: &paragraphs,
    }))
}
