//! Meetings and their follow-up (issue 17): the meetings calendar, a
//! meeting's page (attendance, agenda with its decisions and action items,
//! the joint statement in each of its languages, right to left where the
//! language is written so), the commitments board by member and by line of
//! effort with overdue items first, and each user's digest of reminders
//! with their calendar feed. Everything over what the reader may read; a
//! commitment whose parts are not all releasable to the reader says its
//! progress is partial. Forms carry the CSRF token.

use super::{api_error_page, bad_id_page, csrf_rejection, html, Page};
use crate::form::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::wire_meetings::parse_as_of;
use coalesce_app::wire_needs::banner;
use coalesce_app::{ApiError, AppState};
use coalesce_domain::meetings::{
    is_rtl, local_time, AgendaItem, Attendee, Commitment, CommitmentKind, CommitmentState, Level,
    Link, LinkTarget, Meeting, MeetingKind, MeetingType, Outcome, OutcomeType, StatementKind,
};
use coalesce_domain::record::{Record, RefTarget};
use coalesce_domain::source::Subject;
use coalesce_domain::Marking;
use coalesce_store::meetings::{BoardFilter, CommitmentView};
use coalesce_store::records::{all_pages, RecordFilter};
use minijinja::{context, Value};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |s| format!("{:.0} %", s * 100.0))
}

/// A commitment as the pages show it.
fn commitment_json(v: &CommitmentView) -> serde_json::Value {
    let c = &v.record.body;
    json!({
        "id": v.record.id,
        "owner": c.owner,
        "what": c.what,
        "due": c.due,
        "line": c.line_of_effort,
        "state": c.state.as_str().replace('_', " "),
        "state_key": c.state.as_str(),
        "dropped_reason": c.dropped_reason,
        "progress": percent(v.progress.share),
        "progress_value": v.progress.share.map(|s| (s * 100.0).round()),
        "partial": v.progress.partial,
        "overdue": v.overdue,
        "meeting": c.meeting,
        "meeting_title": v.meeting_title,
        "agenda_item": c.agenda_item,
        "banner": banner(&v.record.origin, &v.record.marking),
        "tlp": v.record.marking.tlp.as_str(),
        "parts": v.parts.iter().map(|p| json!({
            "target": p.link.target,
            "weight": p.link.weight,
            "label": p.label,
            "share": percent(p.share),
            "readable": p.share.is_some(),
            "href": match (p.link.target, p.share.is_some()) {
                (coalesce_domain::meetings::LinkTarget::Contribution, true) => Some(format!("/contributions/{}", p.link.id)),
                (coalesce_domain::meetings::LinkTarget::Indicator, true) => Some(format!("/indicators/{}", p.link.id)),
                _ => None,
            },
        })).collect::<Vec<_>>(),
        "history": v.history.iter().map(|h| json!({
            "meeting": h.meeting, "title": h.title, "date": h.starts.get(..10), "item": h.agenda_item,
        })).collect::<Vec<_>>(),
    })
}

fn meeting_json(m: &Record<Meeting>) -> serde_json::Value {
    let b = &m.body;
    json!({
        "id": m.id,
        "type": b.meeting_type.as_str().replace('_', " "),
        "type_key": b.meeting_type.as_str(),
        "title": b.title,
        "place": b.place,
        "starts": local_time(&b.starts, &b.time_zone),
        "ends": local_time(&b.ends, &b.time_zone),
        "starts_utc": b.starts,
        "time_zone": b.time_zone,
        "host": b.host,
        "chair": b.chair(),
        "group": b.group,
        "attending": b.attendance.len(),
        "month": b.starts.get(..7),
        "banner": banner(&m.origin, &m.marking),
    })
}

pub(crate) async fn calendar(State(st): State<AppState>, p: Page) -> Response {
    calendar_page(&st, &p, StatusCode::OK, None).await
}

async fn calendar_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let meetings = match st.store.list_meetings(&p.principal).await {
        Ok(m) => m,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let groups = st.store.list_groups().await.unwrap_or_default();
    let mut by_month: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for m in &meetings {
        let month = m.body.starts.get(..7).unwrap_or_default().to_string();
        match by_month.last_mut() {
            Some((k, v)) if *k == month => v.push(meeting_json(m)),
            _ => by_month.push((month, vec![meeting_json(m)])),
        }
    }
    let months: Vec<_> = by_month
        .into_iter()
        .map(|(month, items)| json!({"month": month, "meetings": items}))
        .collect();
    html(
        Some(p),
        status,
        "meetings.html",
        context! {
            title => p.t("meetings-title"),
            months => Value::from_serialize(&months),
            groups => Value::from_serialize(groups.iter().map(|g| json!({"slug": g.slug, "name": g.name})).collect::<Vec<_>>()),
            types => Value::from_serialize(MeetingType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
            error,
        },
        st.secure_cookies,
    )
}

fn words(s: &str) -> Vec<String> {
    s.split([',', ' ', '\n', '\r', '\t'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

fn marking_of(tlp: &str, rel_to: &str) -> Result<Marking, ApiError> {
    let rel: Vec<String> = rel_to
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Marking::parse(tlp.trim(), &rel)?)
}

fn local_to_utc(field: &'static str, value: &str, tz: &str) -> Result<String, ApiError> {
    Ok(coalesce_domain::meetings::local_to_utc(field, value, tz)?)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MeetingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    meeting_type: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    chair: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    attendees: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
}

fn meeting_from_form(f: &MeetingForm) -> Result<(Meeting, Marking), ApiError> {
    let level = match f.level.trim() {
        "head_of_state" => Level::HeadOfState,
        "official" => Level::Official,
        _ => Level::Minister,
    };
    let attendance = words(&f.attendees)
        .into_iter()
        .map(|member| Attendee {
            member,
            level,
            delegation: 1,
        })
        .collect();
    let agenda = f
        .agenda
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|title| AgendaItem {
            number: 0,
            title: title.to_string(),
            outcomes: vec![],
            follows_up: None,
        })
        .collect();
    let tz = f.time_zone.trim();
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok((
        Meeting {
            meeting_type: MeetingType::parse(&f.meeting_type)?,
            title: f.title.clone(),
            place: f.place.clone(),
            starts: local_to_utc("starts", &f.starts, tz)?,
            ends: local_to_utc("ends", &f.ends, tz)?,
            time_zone: tz.to_string(),
            host: f.host.trim().to_ascii_uppercase(),
            chair: some(&f.chair).map(|c| c.to_ascii_uppercase()),
            group: some(&f.group),
            attendance,
            agenda,
            source: String::new(),
        },
        marking_of(&f.tlp, &f.rel_to)?,
    ))
}

pub(crate) async fn create(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<MeetingForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let result = match meeting_from_form(&f) {
        Ok((m, marking)) => st
            .store
            .create_record::<MeetingKind>(&p.principal, m, marking)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Redirect::to(&format!("/meetings/{}", r.id)).into_response(),
        Err(e) => calendar_page(&st, &p, e.status, Some(e.detail)).await,
    }
}

async fn meeting_page(
    st: &AppState,
    p: &Page,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    if let Some(r) = bad_id_page(id, "no such meeting", p) {
        return r;
    }
    let pr = &p.principal;
    let m = match st.store.get_record::<MeetingKind>(pr, id).await {
        Ok(m) => m,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let now = match st.store.follow_up_now().await {
        Ok(n) => n,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let items = match st
        .store
        .commitment_board(
            pr,
            &BoardFilter {
                meeting: Some(id.to_string()),
                ..BoardFilter::default()
            },
            now,
        )
        .await
    {
        Ok(i) => i,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let statements = match all_pages(|cursor| async move {
        st.store
            .list_records::<StatementKind>(
                pr,
                &RecordFilter {
                    origin: None,
                    refers_to: Some((RefTarget::Meeting, id.to_string())),
                },
                cursor.as_deref(),
                100,
            )
            .await
    })
    .await
    {
        Ok(s) => s,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let members = st.store.list_members().await.unwrap_or_default();
    let name_of = |code: &str| {
        members
            .iter()
            .find(|x| x.code.as_str() == code)
            .map_or_else(|| code.to_string(), |x| x.name.clone())
    };
    let agenda: Vec<_> = m
        .body
        .agenda
        .iter()
        .map(|i| {
            let actions: Vec<_> = items
                .iter()
                .filter(|c| {
                    c.history
                        .iter()
                        .any(|h| h.meeting == m.id && h.agenda_item == Some(i.number))
                })
                .map(commitment_json)
                .collect();
            json!({
                "number": i.number,
                "title": i.title,
                "follows_up": i.follows_up,
                "outcomes": i.outcomes.iter().map(|o| json!({
                    "type": match o.outcome_type { OutcomeType::Decision => "decision", OutcomeType::Information => "information" },
                    "text": o.text,
                    "adopted_by": o.adopted_by.join(", "),
                })).collect::<Vec<_>>(),
                "actions": actions,
            })
        })
        .collect();
    let subjects: Vec<Subject> = statements
        .iter()
        .map(|s| Subject::Record(s.id.clone()))
        .collect();
    let cited = st.store.sources_of(&subjects).await.unwrap_or_default();
    let statements: Vec<_> = statements
        .iter()
        .map(|s| {
            json!({
                "cited": cited.get(&s.id),
                "id": s.id,
                "mine": s.origin == pr.member.as_str() && pr.role.can_write_records(),
                "adopted_on": s.body.adopted_on,
                "banner": banner(&s.origin, &s.marking),
                "signatories": s.body.signatories.iter().map(|c| name_of(c)).collect::<Vec<_>>(),
                "source": s.body.source,
                "texts": s.body.texts.iter().map(|t| json!({
                    "language": t.language,
                    "dir": if is_rtl(&t.language) { "rtl" } else { "ltr" },
                    "title": t.title,
                    "paragraphs": t.paragraphs.iter().map(|x| json!({"num": x.num, "text": x.text})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let attendance: Vec<_> = m
        .body
        .attendance
        .iter()
        .map(|a| {
            json!({"code": a.member, "name": name_of(&a.member),
                   "level": p.t(match a.level { Level::HeadOfState => "meeting-level-head_of_state", Level::Minister => "meeting-level-minister", Level::Official => "meeting-level-official" }),
                   "delegation": a.delegation})
        })
        .collect();
    let can_write = pr.member.as_str() == m.origin && pr.role.can_write_records();
    let ctx = context! {
        title => m.body.title.clone(),
        meeting => Value::from_serialize(meeting_json(&m)),
        source => m.body.source.clone(),
        cited => crate::cited(st, Subject::Record(id.to_string())).await,
        attendance => Value::from_serialize(&attendance),
        agenda => Value::from_serialize(&agenda),
        statements => Value::from_serialize(&statements),
        lines => Value::from_serialize(st.store.list_lines_of_effort().await.unwrap_or_default().iter().map(|l| json!({"slug": l.slug, "name": l.name})).collect::<Vec<_>>()),
        can_write,
        can_write_statement => pr.role.can_write_records(),
        version => m.version,
        error,
    };
    html(Some(p), status, "meeting.html", ctx, st.secure_cookies)
}

pub(crate) async fn show(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    meeting_page(&st, &p, &id, StatusCode::OK, None).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ItemForm {
    #[serde(default)]
    csrf: String,
    /// An existing item's number, or empty for a new item titled `title`.
    #[serde(default)]
    item: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    outcome_type: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    adopted_by: String,
}

/// Adds an agenda item, or an outcome (information or decision) to one.
pub(crate) async fn add_outcome(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    let result: Result<(), ApiError> = async {
        let m = st
            .store
            .get_record::<MeetingKind>(&p.principal, &id)
            .await?;
        let mut body = m.body.clone();
        let index = match f.item.trim() {
            "" => {
                body.agenda.push(AgendaItem {
                    number: 0,
                    title: f.title.clone(),
                    outcomes: vec![],
                    follows_up: None,
                });
                body.agenda.len() - 1
            }
            n => n
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=body.agenda.len()).contains(n))
                .map(|n| n - 1)
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_body",
                        format!("the meeting has no agenda item {n}"),
                    )
                })?,
        };
        if !f.text.trim().is_empty() {
            let outcome_type = match f.outcome_type.trim() {
                "decision" => OutcomeType::Decision,
                "information" => OutcomeType::Information,
                other => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_body",
                        format!("{other:?} is neither information nor decision"),
                    ))
                }
            };
            if let Some(item) = body.agenda.get_mut(index) {
                item.outcomes.push(Outcome {
                    outcome_type,
                    text: f.text.clone(),
                    adopted_by: words(&f.adopted_by),
                });
            }
        }
        st.store
            .change_record::<MeetingKind>(&p.principal, &id, body, m.marking, Some(m.version))
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/meetings/{id}")).into_response(),
        Err(e) => meeting_page(&st, &p, &id, e.status, Some(e.detail)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CommitmentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agenda_item: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    line_of_effort: String,
    /// What fulfils it, one part per line: `contribution <id> [weight]`,
    /// `pledge <id> [weight]`, `indicator <slug> [weight] [target]`.
    #[serde(default)]
    parts: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
}

/// The parts of a commitment as the form writes them, one per line.
fn parts_of(text: &str) -> Result<Vec<Link>, ApiError> {
    let bad = |line: &str, why: &str| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("part {line:?}: {why} (write `contribution ID [weight]`, `pledge ID [weight]` or `indicator SLUG [weight] [target]`)"),
        )
    };
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let target = match words.first().copied() {
            Some("contribution") => LinkTarget::Contribution,
            Some("pledge") | Some("fund_pledge") => LinkTarget::FundPledge,
            Some("indicator") => LinkTarget::Indicator,
            _ => return Err(bad(line, "unknown kind of part")),
        };
        let id = words.get(1).ok_or_else(|| bad(line, "no id"))?;
        let weight = match words.get(2) {
            None => 1,
            Some(w) => w
                .parse()
                .map_err(|_| bad(line, "the weight is not a number"))?,
        };
        let target_value = match (target, words.get(3)) {
            (_, None) => None,
            (LinkTarget::Indicator, Some(v)) => Some(
                v.parse()
                    .map_err(|_| bad(line, "the target is not a number"))?,
            ),
            _ => return Err(bad(line, "only an indicator takes a target")),
        };
        if words.len() > 4 {
            return Err(bad(line, "too many words"));
        }
        out.push(Link {
            target,
            id: (*id).to_string(),
            weight,
            target_value,
        });
    }
    Ok(out)
}

/// Records an action item of the meeting: a commitment.
pub(crate) async fn add_commitment(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CommitmentForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    let result: Result<(), ApiError> = async {
        let m = st
            .store
            .get_record::<MeetingKind>(&p.principal, &id)
            .await?;
        let agenda_item = match f.agenda_item.trim() {
            "" => None,
            n => Some(n.parse::<u32>().map_err(|_| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_body",
                    format!("agenda item {n:?} is not a number"),
                )
            })?),
        };
        // The meeting's marking unless the form narrows it.
        let marking = if f.tlp.trim().is_empty() {
            m.marking.clone()
        } else {
            marking_of(&f.tlp, &f.rel_to)?
        };
        st.store
            .create_record::<CommitmentKind>(
                &p.principal,
                Commitment {
                    meeting: id.clone(),
                    agenda_item,
                    owner: f.owner.trim().to_ascii_uppercase(),
                    what: f.what.clone(),
                    due: f.due.clone(),
                    line_of_effort: Some(f.line_of_effort.clone()).filter(|l| !l.is_empty()),
                    links: parts_of(&f.parts)?,
                    state: CommitmentState::Open,
                    dropped_reason: String::new(),
                    discussed: vec![],
                    source: String::new(),
                },
                marking,
            )
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/meetings/{id}")).into_response(),
        Err(e) => meeting_page(&st, &p, &id, e.status, Some(e.detail)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Carries the open items of the group's previous meeting over.
pub(crate) async fn carry_over(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    match st.store.carry_over(&p.principal, &id, None).await {
        Ok(_) => Redirect::to(&format!("/meetings/{id}")).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            meeting_page(&st, &p, &id, e.status, Some(e.detail)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct BoardParams {
    /// `member` (default) or `line`.
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
}

/// The commitments board: grouped by member or by line of effort, overdue
/// first within each group.
/// One commitment's page: what, who, by when, its progress part by part
/// (parts the reader may not read are counted, not named), the meetings
/// that discussed it; the API's JSON beside it.
pub(crate) async fn commitment(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    let missing = "no such commitment, or not releasable to you";
    if let Some(r) = bad_id_page(&id, missing, &p) {
        return r;
    }
    let now = tri!(st.store.follow_up_now().await, p);
    let v = tri!(st.store.commitment_view(&p.principal, &id, now).await, p);
    let pr = &p.principal;
    let ctx = context! {
        title => v.record.body.what.clone(),
        c => Value::from_serialize(commitment_json(&v)),
        version => v.record.version,
        can_write => v.record.origin == pr.member.as_str() && pr.role.can_write_records(),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "commitment.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn board(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<BoardParams>,
) -> Response {
    let now = match &q.as_of {
        Some(a) if !a.trim().is_empty() => match parse_as_of(a) {
            Ok(n) => n,
            Err(e) => return api_error_page(e, Some(&p)),
        },
        _ => match st.store.follow_up_now().await {
            Ok(n) => n,
            Err(e) => return api_error_page(e.into(), Some(&p)),
        },
    };
    let items = match st
        .store
        .commitment_board(&p.principal, &BoardFilter::default(), now)
        .await
    {
        Ok(i) => i,
        Err(e) => return api_error_page(e.into(), Some(&p)),
    };
    let by_line = q.by.as_deref() == Some("line");
    let mut groups: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for v in &items {
        // No line of effort: an empty key, which the page names.
        let key = if by_line {
            v.record.body.line_of_effort.clone().unwrap_or_default()
        } else {
            v.record.body.owner.clone()
        };
        groups.entry(key).or_default().push(commitment_json(v));
    }
    // Groups with overdue items first, then by name.
    let mut groups: Vec<(String, Vec<serde_json::Value>)> = groups.into_iter().collect();
    groups.sort_by_key(|(k, v)| {
        (
            std::cmp::Reverse(v.iter().filter(|c| c["overdue"] == true).count()),
            k.clone(),
        )
    });
    let groups: Vec<_> = groups
        .into_iter()
        .map(|(k, v)| json!({"key": k, "overdue": v.iter().filter(|c| c["overdue"] == true).count(), "items": v}))
        .collect();
    html(
        Some(&p),
        StatusCode::OK,
        "commitments.html",
        context! {
            title => p.t("commitments-title"),
            by_line,
            as_of => coalesce_app::wire::rfc3339(now),
            total => items.len(),
            overdue => items.iter().filter(|c| c.overdue).count(),
            partial => items.iter().any(|c| c.progress.partial),
            groups => Value::from_serialize(&groups),
        },
        st.secure_cookies,
    )
}

async fn digest_page(st: &AppState, p: &Page, feed: Option<String>) -> Response {
    let now = match st.store.follow_up_now().await {
        Ok(n) => n,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let notices = match st.store.digest(&p.principal, now).await {
        Ok(n) => n,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let mine = match st
        .store
        .commitment_board(
            &p.principal,
            &BoardFilter {
                owner: Some(p.principal.member.as_str().to_string()),
                ..BoardFilter::default()
            },
            now,
        )
        .await
    {
        Ok(i) => i,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let notices: Vec<_> = notices
        .iter()
        .map(|n| {
            json!({"label": n.notice.label(), "kind": n.notice.as_str(), "read": n.read,
                   "sent": coalesce_app::wire::rfc3339(n.sent_at_ms).get(..10).map(str::to_string),
                   "commitment": commitment_json(&n.commitment)})
        })
        .collect();
    let mine: Vec<_> = mine
        .iter()
        .filter(|c| c.record.body.state.is_open())
        .map(commitment_json)
        .collect();
    html(
        Some(p),
        StatusCode::OK,
        "digest.html",
        context! {
            title => p.t("digest-title"),
            notices => Value::from_serialize(&notices),
            unread => notices.iter().filter(|n| n["read"] == false).count(),
            mine => Value::from_serialize(&mine),
            member => p.principal.member.as_str(),
            feed,
        },
        st.secure_cookies,
    )
}

pub(crate) async fn digest(State(st): State<AppState>, p: Page) -> Response {
    digest_page(&st, &p, None).await
}

pub(crate) async fn read_all(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    match st.store.mark_notices_read(&p.principal).await {
        Ok(_) => Redirect::to("/digest").into_response(),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}

/// Makes a calendar feed token and shows its address once.
pub(crate) async fn calendar_token(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    match st.store.create_calendar_token(&p.principal).await {
        Ok(t) => {
            let feed = format!("{}/api/v1/calendar/{t}", st.public_url);
            digest_page(&st, &p, Some(feed)).await
        }
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}

/// Revokes the user's calendar feed tokens.
pub(crate) async fn revoke_calendar(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    match st.store.revoke_calendar_tokens(&p.principal).await {
        Ok(_) => Redirect::to("/digest").into_response(),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}
