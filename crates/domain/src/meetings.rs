//! Meetings and what comes out of them: the meeting itself (attendance,
//! agenda, outcomes), its joint statement (numbered paragraphs in several
//! languages) and its commitments (action items owned by a member, due on
//! a date, fulfilled by contributions, fund pledges and indicator targets).
//!
//! All three are marked records of the layer. What is computed is never
//! stored: a commitment's progress comes from the parts it links to as its
//! reader may read them, and "overdue" from its due date, its meeting's
//! time zone, its progress and the clock.

use crate::fund::{from_properties, own_properties};
use crate::record::{Kind, RefTarget, Reference, StixProperties, StixRefs};
use crate::text::{body, iso_date, required_line};
use crate::{DomainError, MemberCode, Slug};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::str::FromStr;

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

fn member(field: &'static str, code: &str) -> Result<String, DomainError> {
    MemberCode::parse(code.trim())
        .map(|m| m.as_str().to_string())
        .map_err(|e| invalid(field, e.to_string()))
}

fn member_refs<'a>(codes: impl Iterator<Item = &'a String>) -> Vec<Reference> {
    codes
        .map(|c| Reference {
            target: RefTarget::Member,
            id: c.clone(),
        })
        .collect()
}

/// What sort of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MeetingType {
    Summit,
    Ministerial,
    Plenary,
    SmallGroup,
    WorkingGroup,
    TaskForce,
}

impl MeetingType {
    pub const ALL: [MeetingType; 6] = [
        MeetingType::Summit,
        MeetingType::Ministerial,
        MeetingType::Plenary,
        MeetingType::SmallGroup,
        MeetingType::WorkingGroup,
        MeetingType::TaskForce,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingType::Summit => "summit",
            MeetingType::Ministerial => "ministerial",
            MeetingType::Plenary => "plenary",
            MeetingType::SmallGroup => "small_group",
            MeetingType::WorkingGroup => "working_group",
            MeetingType::TaskForce => "task_force",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| {
                invalid(
                    "meeting_type",
                    format!("{s:?} is not summit, ministerial, plenary, small_group, working_group or task_force"),
                )
            })
    }
}

/// At what level a member attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    HeadOfState,
    Minister,
    Official,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendee {
    /// The member's code (`GBR`).
    pub member: String,
    pub level: Level,
    /// How many people the delegation had.
    #[serde(default = "one")]
    pub delegation: u32,
}

fn one() -> u32 {
    1
}

/// What an agenda item came to besides its action items (which are
/// commitments, records of their own that name the item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OutcomeType {
    Information,
    Decision,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    #[serde(rename = "type")]
    pub outcome_type: OutcomeType,
    pub text: String,
    /// A decision's adopters (member codes); none for information.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adopted_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    /// Its number on the agenda, 1 to n in order (set when validated).
    #[serde(default)]
    pub number: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// The meeting whose open items this item follows up (carry-over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows_up: Option<String>,
}

/// A meeting of the coalition or of one of its groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub meeting_type: MeetingType,
    pub title: String,
    pub place: String,
    /// RFC 3339, stored in UTC (`2014-09-04T08:00:00Z`).
    pub starts: String,
    pub ends: String,
    /// The IANA time zone it is shown in (`Europe/London`).
    pub time_zone: String,
    /// The hosting member.
    pub host: String,
    /// Who chairs it (the host when absent): overdue items of the
    /// meeting's group are escalated to the chair of its latest meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chair: Option<String>,
    /// The group whose meeting it is (its registry slug); none for a
    /// meeting of the whole coalition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    // Empty lists are left out: STIX allows none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendance: Vec<Attendee>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agenda: Vec<AgendaItem>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl Meeting {
    /// The member that chairs it.
    pub fn chair(&self) -> &str {
        self.chair.as_deref().unwrap_or(&self.host)
    }
}

/// An instant written as RFC 3339, returned in UTC with seconds.
pub fn utc_instant(field: &'static str, value: &str) -> Result<jiff::Timestamp, DomainError> {
    jiff::Timestamp::from_str(value.trim()).map_err(|_| {
        invalid(
            field,
            format!("{value:?} is not an RFC 3339 time with its offset (2014-09-04T08:00:00Z)"),
        )
    })
}

fn utc_string(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An IANA time zone from the database built into the binary.
pub fn time_zone(value: &str) -> Result<jiff::tz::TimeZone, DomainError> {
    jiff::tz::TimeZone::get(value.trim()).map_err(|_| {
        invalid(
            "time_zone",
            format!("{value:?} is not an IANA time zone (Europe/London, Asia/Baghdad …)"),
        )
    })
}

fn civil_date(field: &'static str, value: &str) -> Result<jiff::civil::Date, DomainError> {
    iso_date(field, value)?;
    jiff::civil::Date::from_str(value.trim())
        .map_err(|_| invalid(field, format!("{value:?} is not a date")))
}

/// The longest a meeting may last.
const MAX_MEETING_DAYS: i64 = 31;

pub struct MeetingKind;

impl Kind for MeetingKind {
    const NAME: &'static str = "meeting";
    const LABEL: &'static str = "meeting";
    const STIX_TYPE: &'static str = "x-coalesce-meeting";
    type Body = Meeting;
    const REFERS_TO: &'static [RefTarget] =
        &[RefTarget::Member, RefTarget::Group, RefTarget::Meeting];
    /// A meeting is not hidden with the earlier meeting it follows up; a
    /// reader who may not read that one is not told which it was.
    const HIDDEN_WITH: &'static [RefTarget] = &[];
    const REDACTED: &'static [RefTarget] = &[RefTarget::Meeting];

    fn redact(mut m: Meeting, hidden: &std::collections::BTreeSet<Reference>) -> Meeting {
        for item in &mut m.agenda {
            let hide = item.follows_up.as_ref().is_some_and(|f| {
                hidden.contains(&Reference {
                    target: RefTarget::Meeting,
                    id: f.clone(),
                })
            });
            if hide {
                item.follows_up = None;
            }
        }
        m
    }

    fn validate(m: Meeting) -> Result<Meeting, DomainError> {
        let starts = utc_instant("starts", &m.starts)?;
        let ends = utc_instant("ends", &m.ends)?;
        if ends <= starts {
            return Err(invalid(
                "ends",
                format!(
                    "the meeting ends ({}) before it starts ({})",
                    m.ends, m.starts
                ),
            ));
        }
        if ends.as_second() - starts.as_second() > MAX_MEETING_DAYS * 86_400 {
            return Err(invalid(
                "ends",
                format!("a meeting lasts at most {MAX_MEETING_DAYS} days"),
            ));
        }
        time_zone(&m.time_zone)?;
        let mut attendance: Vec<Attendee> = Vec::with_capacity(m.attendance.len());
        for a in m.attendance {
            let code = member("attendance", &a.member)?;
            if attendance.iter().any(|x| x.member == code) {
                return Err(invalid("attendance", format!("{code} attends twice")));
            }
            if !(1..=500).contains(&a.delegation) {
                return Err(invalid(
                    "attendance",
                    format!("{code}'s delegation of {} is not 1 to 500", a.delegation),
                ));
            }
            attendance.push(Attendee {
                member: code,
                level: a.level,
                delegation: a.delegation,
            });
        }
        if attendance.len() > 250 {
            return Err(invalid("attendance", "at most 250 attendees"));
        }
        if m.agenda.len() > 100 {
            return Err(invalid("agenda", "at most 100 agenda items"));
        }
        let mut agenda = Vec::with_capacity(m.agenda.len());
        for (i, item) in m.agenda.into_iter().enumerate() {
            let mut outcomes = Vec::with_capacity(item.outcomes.len());
            for o in item.outcomes {
                let adopted_by = o
                    .adopted_by
                    .iter()
                    .map(|c| member("adopted_by", c))
                    .collect::<Result<Vec<_>, _>>()?;
                match o.outcome_type {
                    OutcomeType::Decision if adopted_by.is_empty() => {
                        return Err(invalid(
                            "adopted_by",
                            "a decision names the members that adopted it",
                        ))
                    }
                    OutcomeType::Information if !adopted_by.is_empty() => {
                        return Err(invalid(
                            "adopted_by",
                            "information is not adopted: only a decision has adopters",
                        ))
                    }
                    _ => {}
                }
                outcomes.push(Outcome {
                    outcome_type: o.outcome_type,
                    text: body("outcomes", o.text.trim(), 5_000)?,
                    adopted_by,
                });
                if outcomes.last().is_some_and(|o| o.text.is_empty()) {
                    return Err(invalid("outcomes", "an outcome says something"));
                }
            }
            agenda.push(AgendaItem {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                title: required_line("agenda", &item.title, 300)?,
                outcomes,
                follows_up: item
                    .follows_up
                    .map(|f| required_line("follows_up", &f, 64))
                    .transpose()?,
            });
        }
        Ok(Meeting {
            meeting_type: m.meeting_type,
            title: required_line("title", &m.title, 300)?,
            place: required_line("place", &m.place, 200)?,
            starts: utc_string(starts),
            ends: utc_string(ends),
            time_zone: m.time_zone.trim().to_string(),
            host: member("host", &m.host)?,
            chair: m.chair.map(|c| member("chair", &c)).transpose()?,
            group: m
                .group
                .filter(|g| !g.trim().is_empty())
                .map(|g| Slug::parse(g.trim()).map(|s| s.to_string()))
                .transpose()?,
            attendance,
            agenda,
            source: body("source", m.source.trim(), 2_000)?,
        })
    }

    fn references(m: &Meeting) -> Vec<Reference> {
        let mut refs = member_refs(
            [&m.host]
                .into_iter()
                .chain(m.chair.iter())
                .chain(m.attendance.iter().map(|a| &a.member))
                .chain(
                    m.agenda
                        .iter()
                        .flat_map(|i| i.outcomes.iter().flat_map(|o| o.adopted_by.iter())),
                ),
        );
        refs.extend(m.group.iter().map(|g| Reference {
            target: RefTarget::Group,
            id: g.clone(),
        }));
        refs.extend(
            m.agenda
                .iter()
                .filter_map(|i| i.follows_up.clone())
                .map(|id| Reference {
                    target: RefTarget::Meeting,
                    id,
                }),
        );
        refs
    }

    fn stix_properties(m: &Meeting, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        own_properties(m)
    }

    fn from_stix(o: &Map<String, Value>, _: &Map<String, Value>) -> Result<Meeting, DomainError> {
        Self::validate(from_properties(o, &MEETING_FIELDS)?)
    }
}

const MEETING_FIELDS: [&str; 12] = [
    "meeting_type",
    "title",
    "place",
    "starts",
    "ends",
    "time_zone",
    "host",
    "chair",
    "group",
    "attendance",
    "agenda",
    "source",
];

/// One numbered paragraph of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paragraph {
    /// As the statement numbers it (`1`, `2`, `a`): unique, and the same
    /// in every language.
    pub num: String,
    pub text: String,
}

/// A statement's text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementText {
    /// BCP 47 primary language (`en`, `ar`, `fr`).
    pub language: String,
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
}

impl StatementText {
    /// Whether it is written right to left.
    pub fn rtl(&self) -> bool {
        is_rtl(&self.language)
    }
}

/// Languages written right to left.
pub fn is_rtl(language: &str) -> bool {
    matches!(language, "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "yi")
}

/// A joint statement of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    /// The meeting's record id.
    pub meeting: String,
    /// YYYY-MM-DD.
    pub adopted_on: String,
    /// The members that signed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<String>,
    /// The text in each language, the first the original.
    pub texts: Vec<StatementText>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl Statement {
    /// Its text in `language`, else the original.
    pub fn text(&self, language: &str) -> Option<&StatementText> {
        self.texts
            .iter()
            .find(|t| t.language == language)
            .or(self.texts.first())
    }
}

fn language(value: &str) -> Result<String, DomainError> {
    let v = value.trim();
    if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(v.to_string())
    } else {
        Err(invalid(
            "language",
            format!("{value:?} is not a language code (en, ar, fr)"),
        ))
    }
}

pub struct StatementKind;

impl Kind for StatementKind {
    const NAME: &'static str = "statement";
    const LABEL: &'static str = "joint statement";
    const STIX_TYPE: &'static str = "x-coalesce-statement";
    type Body = Statement;
    const REFERS_TO: &'static [RefTarget] = &[RefTarget::Meeting, RefTarget::Member];
    const HIDDEN_WITH: &'static [RefTarget] = &[RefTarget::Meeting];

    fn validate(s: Statement) -> Result<Statement, DomainError> {
        if s.texts.is_empty() || s.texts.len() > 12 {
            return Err(invalid("texts", "a statement has 1 to 12 languages"));
        }
        let mut texts: Vec<StatementText> = Vec::with_capacity(s.texts.len());
        for t in s.texts {
            let lang = language(&t.language)?;
            if texts.iter().any(|x| x.language == lang) {
                return Err(invalid("texts", format!("{lang} given twice")));
            }
            if t.paragraphs.is_empty() || t.paragraphs.len() > 500 {
                return Err(invalid("paragraphs", "a text has 1 to 500 paragraphs"));
            }
            let mut paragraphs: Vec<Paragraph> = Vec::with_capacity(t.paragraphs.len());
            for p in t.paragraphs {
                let num = required_line("num", &p.num, 16)?;
                if !num
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                {
                    return Err(invalid(
                        "num",
                        format!("{num:?}: a paragraph number is letters, digits, '.' or '-'"),
                    ));
                }
                if paragraphs.iter().any(|x| x.num == num) {
                    return Err(invalid("num", format!("paragraph {num} numbered twice")));
                }
                let text = body("paragraphs", p.text.trim(), 10_000)?;
                if text.is_empty() {
                    return Err(invalid("paragraphs", format!("paragraph {num} is empty")));
                }
                paragraphs.push(Paragraph { num, text });
            }
            if let Some(first) = texts.first() {
                let same = first.paragraphs.len() == paragraphs.len()
                    && first
                        .paragraphs
                        .iter()
                        .zip(&paragraphs)
                        .all(|(a, b)| a.num == b.num);
                if !same {
                    return Err(invalid(
                        "paragraphs",
                        format!(
                            "the {lang} text numbers its paragraphs otherwise than the {} original",
                            first.language
                        ),
                    ));
                }
            }
            texts.push(StatementText {
                language: lang,
                title: required_line("title", &t.title, 300)?,
                paragraphs,
            });
        }
        let mut signatories: Vec<String> = Vec::with_capacity(s.signatories.len());
        for c in &s.signatories {
            let c = member("signatories", c)?;
            if !signatories.contains(&c) {
                signatories.push(c);
            }
        }
        Ok(Statement {
            meeting: required_line("meeting", &s.meeting, 64)?,
            adopted_on: iso_date("adopted_on", &s.adopted_on)?,
            signatories,
            texts,
            source: body("source", s.source.trim(), 2_000)?,
        })
    }

    fn references(s: &Statement) -> Vec<Reference> {
        let mut refs = vec![Reference {
            target: RefTarget::Meeting,
            id: s.meeting.clone(),
        }];
        refs.extend(member_refs(s.signatories.iter()));
        refs
    }

    fn stix_properties(s: &Statement, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        own_properties(s)
    }

    fn from_stix(o: &Map<String, Value>, _: &Map<String, Value>) -> Result<Statement, DomainError> {
        Self::validate(from_properties(
            o,
            &["meeting", "adopted_on", "signatories", "texts", "source"],
        )?)
    }
}

/// Where a commitment stands, as its owner or the secretariat says.
/// Whether it is overdue is computed, never said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommitmentState {
    Open,
    OnTrack,
    AtRisk,
    Done,
    Dropped,
}

impl CommitmentState {
    pub const ALL: [CommitmentState; 5] = [
        CommitmentState::Open,
        CommitmentState::OnTrack,
        CommitmentState::AtRisk,
        CommitmentState::Done,
        CommitmentState::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentState::Open => "open",
            CommitmentState::OnTrack => "on_track",
            CommitmentState::AtRisk => "at_risk",
            CommitmentState::Done => "done",
            CommitmentState::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| {
                invalid(
                    "state",
                    format!("{s:?} is not open, on_track, at_risk, done or dropped"),
                )
            })
    }

    /// Still to be followed up (carried over, reminded, escalated).
    pub fn is_open(self) -> bool {
        !matches!(self, CommitmentState::Done | CommitmentState::Dropped)
    }
}

/// What a part of a commitment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LinkTarget {
    /// A contribution record: the share of its quantity delivered.
    Contribution,
    /// A fund pledge (its ledger transfer id): the share paid in.
    FundPledge,
    /// An indicator of the catalogue (its slug): the share of the way
    /// from baseline to target reached.
    Indicator,
}

impl LinkTarget {
    pub fn ref_target(self) -> RefTarget {
        match self {
            LinkTarget::Contribution => RefTarget::Contribution,
            LinkTarget::FundPledge => RefTarget::FundPledge,
            LinkTarget::Indicator => RefTarget::Indicator,
        }
    }
}

/// A part of a commitment: a thing that fulfils it, with its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    pub target: LinkTarget,
    pub id: String,
    /// 1 to 100; parts count in proportion to their weights.
    #[serde(default = "one")]
    pub weight: u32,
    /// For an indicator: the value to reach (the indicator's headline
    /// target when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_value: Option<f64>,
}

/// A meeting that discussed a commitment after the one it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discussion {
    pub meeting: String,
    pub agenda_item: u32,
}

/// An action item of a meeting: a member's commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    /// The meeting it was made at (its record id).
    pub meeting: String,
    /// The agenda item it is an action of (its number), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<u32>,
    /// The member that owns it.
    pub owner: String,
    pub what: String,
    /// YYYY-MM-DD in the meeting's time zone: due by the end of that day.
    pub due: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_of_effort: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    pub state: CommitmentState,
    /// Why it was dropped (only when dropped, and then required).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dropped_reason: String,
    /// Later meetings that discussed it (carry-over), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discussed: Vec<Discussion>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

pub struct CommitmentKind;

impl Kind for CommitmentKind {
    const NAME: &'static str = "commitment";
    const LABEL: &'static str = "commitment";
    const STIX_TYPE: &'static str = "x-coalesce-commitment";
    type Body = Commitment;
    const REFERS_TO: &'static [RefTarget] = &[
        RefTarget::Meeting,
        RefTarget::Member,
        RefTarget::LineOfEffort,
        RefTarget::Contribution,
        RefTarget::FundPledge,
        RefTarget::Indicator,
    ];
    /// Shown only to readers of its meeting(s); a part the reader may not
    /// read leaves the commitment shown, with a progress that says partial.
    const HIDDEN_WITH: &'static [RefTarget] = &[RefTarget::Meeting];
    /// A part the reader may not read is shown with an empty id: its
    /// weight stays, so the progress can say it is partial.
    const REDACTED: &'static [RefTarget] = &[RefTarget::Contribution, RefTarget::FundPledge];

    fn redact(mut c: Commitment, hidden: &std::collections::BTreeSet<Reference>) -> Commitment {
        for l in &mut c.links {
            let r = Reference {
                target: l.target.ref_target(),
                id: l.id.clone(),
            };
            if l.target != LinkTarget::Indicator && hidden.contains(&r) {
                l.id = String::new();
            }
        }
        c
    }

    fn validate(c: Commitment) -> Result<Commitment, DomainError> {
        if c.links.len() > 50 {
            return Err(invalid("links", "at most 50 parts"));
        }
        let mut links: Vec<Link> = Vec::with_capacity(c.links.len());
        for l in c.links {
            let id = required_line("links", &l.id, 64)?;
            if links.iter().any(|x| x.target == l.target && x.id == id) {
                return Err(invalid("links", format!("{id} linked twice")));
            }
            if !(1..=100).contains(&l.weight) {
                return Err(invalid(
                    "weight",
                    format!("{} is not a weight from 1 to 100", l.weight),
                ));
            }
            match (l.target, l.target_value) {
                (LinkTarget::Indicator, Some(v)) if !v.is_finite() => {
                    return Err(invalid("target_value", "not a number"))
                }
                (LinkTarget::Indicator, _) | (_, None) => {}
                (_, Some(_)) => {
                    return Err(invalid(
                        "target_value",
                        "only an indicator part has a target value",
                    ))
                }
            }
            links.push(Link {
                target: l.target,
                id,
                weight: l.weight,
                target_value: l.target_value,
            });
        }
        let dropped_reason = body("dropped_reason", c.dropped_reason.trim(), 2_000)?;
        match (c.state, dropped_reason.is_empty()) {
            (CommitmentState::Dropped, true) => {
                return Err(invalid(
                    "dropped_reason",
                    "a dropped commitment says why it was dropped",
                ))
            }
            (s, false) if s != CommitmentState::Dropped => {
                return Err(invalid(
                    "dropped_reason",
                    "only a dropped commitment has a reason for dropping",
                ))
            }
            _ => {}
        }
        civil_date("due", &c.due)?;
        Ok(Commitment {
            meeting: required_line("meeting", &c.meeting, 64)?,
            agenda_item: c.agenda_item,
            owner: member("owner", &c.owner)?,
            what: required_line("what", &c.what, 500)?,
            due: c.due.trim().to_string(),
            line_of_effort: c
                .line_of_effort
                .filter(|l| !l.trim().is_empty())
                .map(|l| Slug::parse(l.trim()).map(|s| s.to_string()))
                .transpose()?,
            links,
            state: c.state,
            dropped_reason,
            discussed: c.discussed,
            source: body("source", c.source.trim(), 2_000)?,
        })
    }

    fn references(c: &Commitment) -> Vec<Reference> {
        let mut refs: Vec<Reference> = [&c.meeting]
            .into_iter()
            .chain(c.discussed.iter().map(|d| &d.meeting))
            .map(|m| Reference {
                target: RefTarget::Meeting,
                id: m.clone(),
            })
            .collect();
        refs.extend(member_refs([&c.owner].into_iter()));
        refs.extend(c.line_of_effort.iter().map(|l| Reference {
            target: RefTarget::LineOfEffort,
            id: l.clone(),
        }));
        refs.extend(c.links.iter().map(|l| Reference {
            target: l.target.ref_target(),
            id: l.id.clone(),
        }));
        refs
    }

    fn stix_properties(c: &Commitment, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        own_properties(c)
    }

    fn from_stix(
        o: &Map<String, Value>,
        _: &Map<String, Value>,
    ) -> Result<Commitment, DomainError> {
        Self::validate(from_properties(
            o,
            &[
                "meeting",
                "agenda_item",
                "owner",
                "what",
                "due",
                "line_of_effort",
                "links",
                "state",
                "dropped_reason",
                "discussed",
                "source",
            ],
        )?)
    }
}

/// A part's figures as its reader may read them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PartFigures {
    /// A contribution: its quantity (or money) pledged and delivered.
    Contribution {
        pledged: i64,
        delivered: i64,
        cancelled: bool,
    },
    /// A fund pledge: its amount and what was paid in against it, both in
    /// the pledge's own currency.
    Pledge {
        amount: i64,
        paid: i64,
        voided: bool,
    },
    /// An indicator: baseline, the value to reach and the latest figure.
    Indicator {
        baseline: f64,
        target: Option<f64>,
        actual: Option<f64>,
    },
    /// A part the reader may not read (or that is gone): it counts in no
    /// sum, and makes the progress partial.
    Unreadable,
}

impl PartFigures {
    /// The share of this part done, 0 to 1; `None` when unreadable.
    pub fn share(&self) -> Option<f64> {
        let ratio = |done: i64, of: i64| {
            if of <= 0 {
                0.0
            } else {
                (done as f64 / of as f64).clamp(0.0, 1.0)
            }
        };
        match *self {
            PartFigures::Contribution {
                cancelled: true, ..
            }
            | PartFigures::Pledge { voided: true, .. } => Some(0.0),
            PartFigures::Contribution {
                pledged, delivered, ..
            } => Some(ratio(delivered, pledged)),
            PartFigures::Pledge { amount, paid, .. } => Some(ratio(paid, amount)),
            PartFigures::Indicator {
                baseline,
                target,
                actual,
            } => Some(
                target
                    .and_then(|t| crate::indicators::progress(baseline, t, actual))
                    .map_or(0.0, |p| p.clamp(0.0, 1.0)),
            ),
            PartFigures::Unreadable => None,
        }
    }
}

/// A commitment's progress for one reader.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    /// 0 to 1 over the parts the reader may read, weighted; `None` when
    /// it has no part the reader may read.
    pub share: Option<f64>,
    /// Some part is not readable by this reader: the share is over the
    /// others only.
    pub partial: bool,
}

/// The weighted share of the parts (weight, figures) done.
pub fn progress(parts: &[(u32, PartFigures)]) -> Progress {
    let mut weight = 0u64;
    let mut done = 0.0;
    let mut partial = false;
    for (w, f) in parts {
        match f.share() {
            Some(s) => {
                weight += u64::from(*w);
                done += f64::from(*w) * s;
            }
            None => partial = true,
        }
    }
    Progress {
        share: (weight > 0).then(|| done / weight as f64),
        partial,
    }
}

/// When a commitment due on `due` (in `tz`) is past due: the start of the
/// next day there, in Unix milliseconds.
pub fn due_end_ms(due: &str, tz: &str) -> Result<i64, DomainError> {
    let tz = time_zone(tz)?;
    let d = civil_date("due", due)?;
    let next = d
        .tomorrow()
        .map_err(|_| invalid("due", "no day after it"))?;
    let z = next
        .to_zoned_datetime(tz)
        .map_err(|e| invalid("due", e.to_string()))?;
    Ok(z.timestamp().as_millisecond())
}

/// The start of the day `days` before `due`, in `tz`, in Unix milliseconds.
pub fn days_before_ms(due: &str, tz: &str, days: i64) -> Result<i64, DomainError> {
    let tz = time_zone(tz)?;
    let d = civil_date("due", due)?;
    let day = d
        .checked_sub(jiff::Span::new().days(days))
        .map_err(|e| invalid("due", e.to_string()))?;
    let z = day
        .to_zoned_datetime(tz)
        .map_err(|e| invalid("due", e.to_string()))?;
    Ok(z.timestamp().as_millisecond())
}

/// Whether a commitment is overdue at `now_ms`: still open, not fulfilled
/// as its reader sees it, and its due day over in its meeting's time zone.
pub fn is_overdue(
    state: CommitmentState,
    share: Option<f64>,
    due_end_ms: i64,
    now_ms: i64,
) -> bool {
    state.is_open() && share.is_none_or(|s| s < 1.0) && now_ms >= due_end_ms
}

/// A notice sent about a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Seven days before the due date, to the owning member's users.
    DueIn7Days,
    /// The day before, to the same.
    DueTomorrow,
    /// When it becomes overdue, to the users of the chair of its group's
    /// latest meeting.
    Overdue,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [
        NoticeKind::DueIn7Days,
        NoticeKind::DueTomorrow,
        NoticeKind::Overdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::DueIn7Days => "due_in_7_days",
            NoticeKind::DueTomorrow => "due_tomorrow",
            NoticeKind::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What a user reads.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::DueIn7Days => "due in 7 days",
            NoticeKind::DueTomorrow => "due tomorrow",
            NoticeKind::Overdue => "overdue",
        }
    }
}

/// The reminders due at `now_ms` for an open commitment due on `due` in
/// `tz`: the D-7 one from the start of the seventh day before until the
/// due day is over, the D-1 one from the start of the day before. (The
/// overdue notice follows the progress, so the store decides it.)
pub fn reminders_due(due: &str, tz: &str, now_ms: i64) -> Result<Vec<NoticeKind>, DomainError> {
    let end = due_end_ms(due, tz)?;
    if now_ms >= end {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if now_ms >= days_before_ms(due, tz, 7)? {
        out.push(NoticeKind::DueIn7Days);
    }
    if now_ms >= days_before_ms(due, tz, 1)? {
        out.push(NoticeKind::DueTomorrow);
    }
    Ok(out)
}

/// A local date and time (`2014-09-05T09:00`, as a form's
/// `datetime-local` gives it) in time zone `tz`, as UTC RFC 3339.
pub fn local_to_utc(field: &'static str, value: &str, tz: &str) -> Result<String, DomainError> {
    let zone = time_zone(tz)?;
    let dt: jiff::civil::DateTime = value.trim().parse().map_err(|_| {
        invalid(
            field,
            format!("{value:?} is not a date and time (YYYY-MM-DDTHH:MM)"),
        )
    })?;
    let z = dt
        .to_zoned_datetime(zone)
        .map_err(|e| invalid(field, e.to_string()))?;
    Ok(utc_string(z.timestamp()))
}

/// An instant as a form's date-and-time field takes it in a time zone
/// (`2014-09-04T09:00`): what [`local_to_utc`] reads back.
pub fn local_input(utc: &str, tz: &str) -> String {
    match (jiff::Timestamp::from_str(utc), time_zone(tz)) {
        (Ok(t), Ok(z)) => {
            let local = t.to_zoned_datetime(z);
            // Seconds only when there are some: the field shows minutes.
            let format = if local.second() == 0 {
                "%Y-%m-%dT%H:%M"
            } else {
                "%Y-%m-%dT%H:%M:%S"
            };
            local.strftime(format).to_string()
        }
        _ => String::new(),
    }
}

/// An instant shown in a time zone: `2014-09-04 09:00 BST`.
pub fn local_time(utc: &str, tz: &str) -> String {
    match (jiff::Timestamp::from_str(utc), time_zone(tz)) {
        (Ok(t), Ok(z)) => t
            .to_zoned_datetime(z)
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
        _ => utc.to_string(),
    }
}

#[cfg(test)]
mod tests;
