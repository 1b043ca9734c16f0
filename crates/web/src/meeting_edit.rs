//! Changing a meeting and its commitments (issue 21). A meeting: the edit
//! form filled in with it — its
//! details in its own time zone, one row per attendee with level and
//! delegation, its agenda items' titles in order and new items after them
//! — saved as its next version against the version it was filled from,
//! every error at once beside its field, the merge choice after a version
//! conflict; its versions side by side; its withdrawal. Agenda items keep
//! their place: decisions and action items refer to them by number. A
//! commitment: its wording, owner, due date, state (a dropped one says
//! why) and marking, the same way; its parts and history kept.

use crate::form::Form;
use crate::needs::FieldErrors;
use crate::{api_error_page, bad_id_page, csrf_rejection, html, rel_to_tokens, Page};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::meetings::{
    local_input, local_time, local_to_utc, AgendaItem, Attendee, Commitment, CommitmentKind,
    CommitmentState, Level, Meeting, MeetingKind, MeetingType,
};
use coalesce_domain::record::{Kind, Record};
use coalesce_domain::{DomainError, Marking};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Blank attendee rows the form shows besides the attendees there are.
const BLANK_ATTENDEE_ROWS: usize = 3;

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct MeetingEditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    meeting_type: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    place: String,
    /// Date and time in the meeting's time zone (`2014-09-04T09:00`).
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
    tlp: String,
    #[serde(default)]
    rel_to: String,
    /// New agenda items, one per line, after the items there are.
    #[serde(default)]
    new_items: String,
    /// The version the form was filled from.
    #[serde(default)]
    if_version: String,
    /// After a conflict: the fields whose newer values to keep.
    #[serde(default)]
    take_theirs: String,
    /// Attendee rows (`att1_member`, `att1_level`, `att1_delegation`, …)
    /// and the titles of the agenda items there are (`item1_title`, …).
    #[serde(flatten)]
    rows: BTreeMap<String, String>,
}

crate::merge::merge_forms!(MeetingEditForm);

/// The fields of the meeting form a merge compares, in form order.
const MERGED_FIELDS: [&str; 11] = [
    "meeting_type",
    "title",
    "place",
    "starts",
    "ends",
    "time_zone",
    "host",
    "chair",
    "group",
    "tlp",
    "rel_to",
];

/// The fields a merge compares for these forms: the meeting's own, then
/// the attendee rows and agenda item titles either form has, by number.
fn merged_fields(forms: [&MeetingEditForm; 2]) -> Vec<String> {
    let mut rows: std::collections::BTreeSet<(u8, u32, &str)> = Default::default();
    for f in forms {
        for key in f.rows.keys() {
            if let Some((n, field)) = key
                .strip_prefix("att")
                .and_then(|r| r.split_once('_'))
                .and_then(|(n, field)| Some((n.parse::<u32>().ok()?, field)))
            {
                if ["member", "level", "delegation"].contains(&field) {
                    rows.insert((0, n, field));
                }
            } else if let Some(n) = key
                .strip_prefix("item")
                .and_then(|r| r.strip_suffix("_title"))
                .and_then(|n| n.parse::<u32>().ok())
            {
                rows.insert((1, n, "title"));
            }
        }
    }
    MERGED_FIELDS
        .iter()
        .map(|f| f.to_string())
        .chain(rows.into_iter().map(|(what, n, field)| {
            if what == 0 {
                format!("att{n}_{field}")
            } else {
                format!("item{n}_{field}")
            }
        }))
        .collect()
}

/// A merged field's name in the reader's language.
fn field_label(p: &Page, field: &str) -> String {
    let numbered = |prefix: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|r| r.split_once('_'))
            .and_then(|(n, f)| Some((n.parse::<i64>().ok()?, f.to_string())))
    };
    if let Some((n, f)) = numbered("att") {
        let what = match f.as_str() {
            "member" => p.t("meeting-edit-member"),
            "level" => p.t("meetings-level"),
            _ => p.t("meeting-edit-delegation"),
        };
        return format!(
            "{} · {what}",
            crate::i18n::tr(
                p.lang,
                "meeting-edit-attendee",
                Some(&crate::i18n::args([(
                    "number",
                    fluent_bundle::FluentValue::from(n)
                )]))
            )
        );
    }
    if let Some((n, _)) = numbered("item") {
        return crate::i18n::tr(
            p.lang,
            "meeting-edit-item",
            Some(&crate::i18n::args([(
                "number",
                fluent_bundle::FluentValue::from(n),
            )])),
        );
    }
    p.t(&format!("meeting-field-{field}"))
}

fn level_key(l: Level) -> &'static str {
    match l {
        Level::HeadOfState => "head_of_state",
        Level::Minister => "minister",
        Level::Official => "official",
    }
}

impl MeetingEditForm {
    /// The form filled in from a meeting as it is now.
    fn of(m: &Record<Meeting>) -> Self {
        let b = &m.body;
        let mut rows = BTreeMap::new();
        for (i, a) in b.attendance.iter().enumerate() {
            let n = i + 1;
            rows.insert(format!("att{n}_member"), a.member.clone());
            rows.insert(format!("att{n}_level"), level_key(a.level).to_string());
            rows.insert(format!("att{n}_delegation"), a.delegation.to_string());
        }
        for item in &b.agenda {
            rows.insert(format!("item{}_title", item.number), item.title.clone());
        }
        MeetingEditForm {
            meeting_type: b.meeting_type.as_str().into(),
            title: b.title.clone(),
            place: b.place.clone(),
            starts: local_input(&b.starts, &b.time_zone),
            ends: local_input(&b.ends, &b.time_zone),
            time_zone: b.time_zone.clone(),
            host: b.host.clone(),
            chair: b.chair.clone().unwrap_or_default(),
            group: b.group.clone().unwrap_or_default(),
            tlp: m.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&m.marking),
            if_version: m.version.to_string(),
            rows,
            ..MeetingEditForm::default()
        }
    }

    fn row(&self, key: String) -> &str {
        self.rows.get(&key).map(|s| s.trim()).unwrap_or("")
    }

    /// The numbers of the attendee rows that name a member, in order.
    fn attendee_numbers(&self) -> Vec<u32> {
        let mut numbers: Vec<u32> = self
            .rows
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .filter_map(|(k, _)| k.strip_prefix("att")?.strip_suffix("_member")?.parse().ok())
            .collect();
        numbers.sort_unstable();
        numbers
    }

    /// Without the rows that name no member (a blank row sends a level
    /// and a delegation: it is no attendee, and no difference to merge).
    fn without_blank_rows(mut self) -> Self {
        let keep = self.attendee_numbers();
        self.rows.retain(|k, _| {
            match k
                .strip_prefix("att")
                .and_then(|r| r.split_once('_'))
                .and_then(|(n, _)| n.parse::<u32>().ok())
            {
                Some(n) => keep.contains(&n),
                None => true,
            }
        });
        self
    }

    /// The attendee rows as the form shows them: those naming a member,
    /// then blank ones.
    fn attendee_rows(&self) -> Vec<serde_json::Value> {
        let filled = self.attendee_numbers();
        let blank = std::iter::repeat_n(u32::MAX, BLANK_ATTENDEE_ROWS);
        filled
            .into_iter()
            .chain(blank)
            .map(|n| {
                serde_json::json!({
                    "member": self.row(format!("att{n}_member")),
                    "level": Some(self.row(format!("att{n}_level"))).filter(|l| !l.is_empty()).unwrap_or("minister"),
                    "delegation": Some(self.row(format!("att{n}_delegation"))).filter(|d| !d.is_empty()).unwrap_or("1"),
                })
            })
            .collect()
    }

    /// The meeting this form makes of `now` (whose agenda items keep their
    /// outcomes and follow-ups) and its marking, or every error at once.
    fn meeting(&self, now: &Meeting) -> Result<(Meeting, Marking), FieldErrors> {
        let mut e = FieldErrors::default();
        let meeting_type = e.keep_domain("meeting_type", MeetingType::parse(&self.meeting_type));
        let tz = self.time_zone.trim();
        let starts = e.keep_domain("starts", local_to_utc("starts", &self.starts, tz));
        let ends = e.keep_domain("ends", local_to_utc("ends", &self.ends, tz));
        let mut attendance = Vec::new();
        for n in self.attendee_numbers() {
            let member = self.row(format!("att{n}_member")).to_ascii_uppercase();
            let level = match self.row(format!("att{n}_level")) {
                "head_of_state" => Level::HeadOfState,
                "official" => Level::Official,
                _ => Level::Minister,
            };
            let delegation = self.row(format!("att{n}_delegation"));
            let delegation = if delegation.is_empty() {
                Some(1)
            } else {
                e.keep(
                    "attendance",
                    delegation.parse::<u32>().map_err(|_| {
                        format!("{member}'s delegation {delegation:?} is not a whole number")
                    }),
                )
            };
            if let Some(delegation) = delegation {
                attendance.push(Attendee {
                    member,
                    level,
                    delegation,
                });
            }
        }
        // An item there is keeps its place: emptied, it is not removed.
        if let Some(item) = now.agenda.iter().find(|i| {
            self.rows
                .get(&format!("item{}_title", i.number))
                .is_some_and(|t| t.trim().is_empty())
        }) {
            e.keep(
                "form",
                Err::<(), _>(format!(
                    "agenda item {} needs a title: items keep their place, because decisions and action items refer to them by number",
                    item.number
                )),
            );
        }
        // The items there are keep their place, outcomes and follow-ups.
        let mut agenda: Vec<AgendaItem> = now
            .agenda
            .iter()
            .map(|item| AgendaItem {
                title: self
                    .rows
                    .get(&format!("item{}_title", item.number))
                    .cloned()
                    .unwrap_or_else(|| item.title.clone()),
                ..item.clone()
            })
            .collect();
        agenda.extend(
            self.new_items
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|title| AgendaItem {
                    number: 0,
                    title: title.to_string(),
                    outcomes: vec![],
                    follows_up: None,
                }),
        );
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let (Some(meeting_type), Some(starts), Some(ends), Some(marking), true) =
            (meeting_type, starts, ends, marking, e.is_empty())
        else {
            return Err(e);
        };
        let m = Meeting {
            meeting_type,
            title: self.title.clone(),
            place: self.place.clone(),
            starts,
            ends,
            time_zone: tz.to_string(),
            host: self.host.trim().to_ascii_uppercase(),
            chair: some(&self.chair).map(|c| c.to_ascii_uppercase()),
            group: some(&self.group),
            attendance,
            agenda,
            source: now.source.clone(),
        };
        // The kind's own checks, each beside the field it names.
        MeetingKind::validate(m.clone()).map_err(|err| {
            let field = match &err {
                DomainError::InvalidField { field, .. } => match *field {
                    "title" | "place" | "starts" | "ends" | "time_zone" | "host" | "chair"
                    | "group" | "attendance" => *field,
                    "agenda" | "outcomes" | "adopted_by" => "new_items",
                    _ => "form",
                },
                _ => "form",
            };
            let mut e = FieldErrors::default();
            e.keep(field, Err::<(), _>(err));
            e
        })?;
        Ok((m, marking))
    }
}

/// Where a refusal of the store belongs on the meeting form `f`: an
/// unknown member is its chair's, its host's or an attendee's.
fn store_error_field(e: &ApiError, f: &MeetingEditForm) -> &'static str {
    let d = e.detail.to_ascii_lowercase();
    let names = |code: &str| {
        let code = code.trim().to_ascii_lowercase();
        !code.is_empty() && d.contains(&code)
    };
    if e.code == "unknown_audience_token" || d.contains("rel to") || d.contains("audience") {
        "rel_to"
    } else if d.contains("group") {
        "group"
    } else if d.contains("member") && names(&f.chair) {
        "chair"
    } else if d.contains("member") && names(&f.host) {
        "host"
    } else if d.contains("member") {
        "attendance"
    } else {
        "form"
    }
}

/// The form over `now`, the meeting as it is (or the newer version after
/// a conflict, with the merge choice).
async fn form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    now: &Record<Meeting>,
    form: &MeetingEditForm,
    errors: FieldErrors,
    conflict: Option<Value>,
) -> Response {
    let id = now.id.as_str();
    let groups = tri!(st.store.list_groups().await, p);
    let members = tri!(st.store.list_members().await, p);
    let items: Vec<_> = now
        .body
        .agenda
        .iter()
        .map(|i| {
            serde_json::json!({
                "number": i.number,
                "title": form.rows.get(&format!("item{}_title", i.number)).cloned().unwrap_or_else(|| i.title.clone()),
                "outcomes": i.outcomes.len(),
            })
        })
        .collect();
    let ctx = context! {
        title => p.t("meeting-edit-title"),
        editing => id,
        conflict,
        form => Value::from_serialize(form),
        attendees => Value::from_serialize(form.attendee_rows()),
        items => Value::from_serialize(&items),
        types => MeetingType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        groups => Value::from_serialize(&groups),
        members => Value::from_serialize(&members),
        errors => Value::from_serialize(&errors.0),
    };
    html(Some(p), status, "meeting_form.html", ctx, st.secure_cookies)
}

/// Why `p` may not change a record of `origin`, if not: its origin's
/// writers only.
pub(crate) fn not_theirs(p: &Page, origin: &str) -> Option<ApiError> {
    let pr = &p.principal;
    (origin != pr.member.as_str() || !pr.role.can_write_records()).then(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("only writers of {origin} change this record"),
        )
    })
}

/// A meeting its reader may change: its origin's writers only (403 for
/// other readers; outside its audience it does not exist).
async fn own_meeting(st: &AppState, p: &Page, id: &str) -> Result<Record<Meeting>, ApiError> {
    let m = st.store.get_record::<MeetingKind>(&p.principal, id).await?;
    match not_theirs(p, &m.origin) {
        Some(refusal) => Err(refusal),
        None => Ok(m),
    }
}

pub(crate) async fn edit(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    let m = tri!(own_meeting(&st, &p, &id).await, p);
    let form = MeetingEditForm::of(&m);
    form_page(
        &st,
        &p,
        StatusCode::OK,
        &m,
        &form,
        FieldErrors::default(),
        None,
    )
    .await
}

/// Saves the form as the meeting's next version against the version it was
/// filled from (the fields chosen in a merge taken from the newer version
/// first).
pub(crate) async fn update(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<MeetingEditForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    let now = tri!(own_meeting(&st, &p, &id).await, p);
    let mut f = f.without_blank_rows();
    let newest = MeetingEditForm::of(&now);
    let fields = merged_fields([&f, &newest]);
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    f = crate::merge::taking_chosen(f, &newest, &fields);
    let Ok(if_version) = f.if_version.trim().parse::<i64>() else {
        let e = FieldErrors::unversioned();
        return form_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, &now, &f, e, None).await;
    };
    // Built on the whole meeting: a follow-up of a meeting the writer may
    // no longer read is kept, not dropped with what the form did not show.
    let whole = tri!(
        st.store
            .record_for_change::<MeetingKind>(&p.principal, &id)
            .await,
        p
    );
    let (body, marking) = match f.meeting(&whole.body) {
        Ok(x) => x,
        Err(e) => {
            return form_page(&st, &p, StatusCode::UNPROCESSABLE_ENTITY, &now, &f, e, None).await
        }
    };
    let e = match st
        .store
        .change_record::<MeetingKind>(&p.principal, &id, body, marking, Some(if_version))
        .await
    {
        Ok(_) => return Redirect::to(&format!("/meetings/{id}")).into_response(),
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let newer = tri!(own_meeting(&st, &p, &id).await, p);
        let newer_form = MeetingEditForm::of(&newer);
        let fields = merged_fields([&f, &newer_form]);
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let conflict = crate::merge::against_newer(
            &mut f,
            &newer_form,
            &fields,
            crate::merge::Newer::of(&newer),
            |field| field_label(&p, field),
        );
        return form_page(
            &st,
            &p,
            StatusCode::CONFLICT,
            &newer,
            &f,
            FieldErrors::default(),
            Some(conflict),
        )
        .await;
    }
    let mut errors = FieldErrors::default();
    errors.keep(store_error_field(&e, &f), Err::<(), _>(e.detail.clone()));
    form_page(&st, &p, e.status, &now, &f, errors, None).await
}

/// The versions of a meeting its reader may read, side by side (a
/// withdrawn meeting's too).
pub(crate) async fn versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = bad_id_page(&id, "no such meeting", &p) {
        return r;
    }
    let vs = tri!(
        st.store
            .record_versions::<MeetingKind>(&p.principal, &id)
            .await,
        p
    );
    let Some(last) = vs.iter().max_by_key(|v| v.version) else {
        return api_error_page(coalesce_store::StoreError::NotFound.into(), Some(&p));
    };
    let (title, marking) = (last.body.title.clone(), last.marking.clone());
    let record = tri!(
        st.store.get_record::<MeetingKind>(&p.principal, &id).await,
        p
    );
    let shown: Vec<_> = vs
        .into_iter()
        .map(|v| {
            let b = &v.body;
            coalesce_store::needs::RecordVersion {
                version: v.version,
                snapshot: serde_json::json!({
                    "withdrawn": v.status == coalesce_domain::record::Status::Withdrawn,
                    "title": b.title,
                    "when": format!("{} – {}", local_time(&b.starts, &b.time_zone), local_time(&b.ends, &b.time_zone)),
                    "place": b.place,
                    "attending": b.attendance.iter().map(|a| a.member.as_str()).collect::<Vec<_>>().join(", "),
                    "agenda": b.agenda.iter().map(|i| format!("{}. {}", i.number, i.title)).collect::<Vec<_>>().join(" · "),
                }),
                marking: v.marking,
                updated_at_ms: v.at_ms,
                updated_by: v.author,
            }
        })
        .collect();
    crate::reports::versions_page(
        &st,
        &p,
        (
            "meetings",
            "meeting-versions-title",
            &id,
            &title,
            &marking,
            &record.origin,
        ),
        &[
            "versions-col-title",
            "meeting-col-when",
            "meetings-place",
            "meeting-col-attending",
            "meeting-col-agenda",
        ],
        shown,
        |s| {
            ["title", "when", "place", "attending", "agenda"]
                .iter()
                .map(|k| s[*k].clone())
                .collect()
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WithdrawForm {
    #[serde(default)]
    csrf: String,
}

/// Withdraws record `id` of kind `K` for the sender of a withdraw form
/// (`what`: the kind as a 404 names it), then shows its versions under
/// `/{path}/{id}/versions`: the record is gone from its lists, its history
/// kept.
pub(crate) async fn withdraw_and_show_versions<K: Kind>(
    st: &AppState,
    p: &Page,
    headers: &HeaderMap,
    f: &WithdrawForm,
    (path, id, what): (&str, &str, &str),
) -> Response {
    if let Some(r) = csrf_rejection(headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(id, &format!("no such {what}"), p) {
        return r;
    }
    match st.store.withdraw_record::<K>(&p.principal, id, None).await {
        Ok(_) => Redirect::to(&format!("/{path}/{id}/versions")).into_response(),
        Err(e) => api_error_page(e.into(), Some(p)),
    }
}

/// Withdraws a meeting: it leaves the calendar and the lists; its versions
/// are kept.
pub(crate) async fn withdraw(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<WithdrawForm>,
) -> Response {
    let of = ("meetings", id.as_str(), "meeting");
    withdraw_and_show_versions::<MeetingKind>(&st, &p, &headers, &f, of).await
}

// ----- a commitment: its state, owner, due date and wording ---------------

/// The form that changes a commitment's terms and state. Its parts (what
/// fulfils it) and its history are kept as they are.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct CommitmentEditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    dropped_reason: String,
    #[serde(default)]
    line_of_effort: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
    #[serde(default)]
    if_version: String,
    #[serde(default)]
    take_theirs: String,
}

crate::merge::merge_forms!(CommitmentEditForm);

/// The fields of the commitment form a merge compares, in form order.
const COMMITMENT_FIELDS: [&str; 8] = [
    "what",
    "owner",
    "due",
    "state",
    "dropped_reason",
    "line_of_effort",
    "tlp",
    "rel_to",
];

impl CommitmentEditForm {
    fn of(r: &Record<Commitment>) -> Self {
        let c = &r.body;
        CommitmentEditForm {
            what: c.what.clone(),
            owner: c.owner.clone(),
            due: c.due.clone(),
            state: c.state.as_str().into(),
            dropped_reason: c.dropped_reason.clone(),
            line_of_effort: c.line_of_effort.clone().unwrap_or_default(),
            tlp: r.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&r.marking),
            if_version: r.version.to_string(),
            ..CommitmentEditForm::default()
        }
    }

    /// `now` with the form's terms, and the marking; or every error at once.
    fn commitment(&self, now: &Commitment) -> Result<(Commitment, Marking), FieldErrors> {
        let mut e = FieldErrors::default();
        let state = e.keep(
            "state",
            CommitmentState::ALL
                .into_iter()
                .find(|s| s.as_str() == self.state.trim())
                .ok_or_else(|| format!("{:?} is not a state of a commitment", self.state)),
        );
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let (Some(state), Some(marking), true) = (state, marking, e.is_empty()) else {
            return Err(e);
        };
        let c = Commitment {
            what: self.what.clone(),
            owner: self.owner.trim().to_ascii_uppercase(),
            due: self.due.trim().to_string(),
            state,
            // A reason belongs to a dropped commitment only.
            dropped_reason: if state == CommitmentState::Dropped {
                self.dropped_reason.clone()
            } else {
                String::new()
            },
            line_of_effort: Some(self.line_of_effort.trim().to_string()).filter(|l| !l.is_empty()),
            ..now.clone()
        };
        CommitmentKind::validate(c.clone()).map_err(|err| {
            let field = match &err {
                DomainError::InvalidField { field, .. } => match *field {
                    "what" | "owner" | "due" | "dropped_reason" => *field,
                    "line_of_effort" => "line_of_effort",
                    _ => "form",
                },
                DomainError::InvalidSlug(_) => "line_of_effort",
                _ => "form",
            };
            let mut e = FieldErrors::default();
            e.keep(field, Err::<(), _>(err));
            e
        })?;
        Ok((c, marking))
    }
}

/// The commitment's edit form over `now` (the newer version after a
/// conflict).
async fn commitment_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    now: &Record<Commitment>,
    form: &CommitmentEditForm,
    errors: FieldErrors,
    conflict: Option<Value>,
) -> Response {
    let members = tri!(st.store.list_members().await, p);
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let ctx = context! {
        title => p.t("commitment-edit-title"),
        editing => now.id.clone(),
        conflict,
        form => Value::from_serialize(form),
        states => CommitmentState::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        members => Value::from_serialize(&members),
        lines => Value::from_serialize(&lines),
        errors => Value::from_serialize(&errors.0),
    };
    html(
        Some(p),
        status,
        "commitment_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn edit_commitment(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = bad_id_page(&id, "no such commitment", &p) {
        return r;
    }
    // Shown as read (a read of AMBER or RED is audited); its origin's
    // writers only.
    let c = tri!(
        st.store
            .get_record::<CommitmentKind>(&p.principal, &id)
            .await,
        p
    );
    if let Some(refusal) = not_theirs(&p, &c.origin) {
        return api_error_page(refusal, Some(&p));
    }
    let form = CommitmentEditForm::of(&c);
    commitment_form_page(
        &st,
        &p,
        StatusCode::OK,
        &c,
        &form,
        FieldErrors::default(),
        None,
    )
    .await
}

/// Saves the form as the commitment's next version against the version it
/// was filled from; a conflict comes back as the merge choice.
pub(crate) async fn update_commitment(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CommitmentEditForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such commitment", &p) {
        return r;
    }
    // Whole: its parts and history are kept as they are.
    let now = tri!(
        st.store
            .record_for_change::<CommitmentKind>(&p.principal, &id)
            .await,
        p
    );
    let mut f = crate::merge::taking_chosen(f, &CommitmentEditForm::of(&now), &COMMITMENT_FIELDS);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let Ok(if_version) = f.if_version.trim().parse::<i64>() else {
        let e = FieldErrors::unversioned();
        return commitment_form_page(&st, &p, unprocessable, &now, &f, e, None).await;
    };
    let (body, marking) = match f.commitment(&now.body) {
        Ok(x) => x,
        Err(e) => return commitment_form_page(&st, &p, unprocessable, &now, &f, e, None).await,
    };
    let e = match st
        .store
        .change_record::<CommitmentKind>(&p.principal, &id, body, marking, Some(if_version))
        .await
    {
        Ok(_) => return Redirect::to(&format!("/commitments/{id}")).into_response(),
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let newer = tri!(
            st.store
                .get_record::<CommitmentKind>(&p.principal, &id)
                .await,
            p
        );
        let conflict = crate::merge::against_newer(
            &mut f,
            &CommitmentEditForm::of(&newer),
            &COMMITMENT_FIELDS,
            crate::merge::Newer::of(&newer),
            |field| p.t(&format!("commitment-field-{field}")),
        );
        let none = FieldErrors::default();
        return commitment_form_page(
            &st,
            &p,
            StatusCode::CONFLICT,
            &newer,
            &f,
            none,
            Some(conflict),
        )
        .await;
    }
    // The store's checks against its meeting (due no earlier than it).
    let d = e.detail.to_ascii_lowercase();
    let field = if d.contains("due") {
        "due"
    } else if e.code == "unknown_audience_token" || d.contains("audience") {
        "rel_to"
    } else if d.contains("member") {
        "owner"
    } else if d.contains("line of effort") || d.contains("line_of_effort") {
        "line_of_effort"
    } else {
        "form"
    };
    let mut errors = FieldErrors::default();
    errors.keep(field, Err::<(), _>(e.detail.clone()));
    commitment_form_page(&st, &p, e.status, &now, &f, errors, None).await
}

/// The versions of a commitment, side by side (a withdrawn one's too).
pub(crate) async fn commitment_versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = bad_id_page(&id, "no such commitment", &p) {
        return r;
    }
    let r = tri!(
        st.store
            .get_record::<CommitmentKind>(&p.principal, &id)
            .await,
        p
    );
    let vs = tri!(
        st.store
            .record_versions::<CommitmentKind>(&p.principal, &id)
            .await,
        p
    );
    let shown = vs
        .into_iter()
        .map(|v| coalesce_store::needs::RecordVersion {
            version: v.version,
            snapshot: serde_json::json!({
                "withdrawn": v.status == coalesce_domain::record::Status::Withdrawn,
                "what": v.body.what,
                "owner": v.body.owner,
                "due": v.body.due,
                "state": p.t(&format!("commitment-state-{}", v.body.state.as_str())),
                "reason": v.body.dropped_reason,
            }),
            marking: v.marking,
            updated_at_ms: v.at_ms,
            updated_by: v.author,
        })
        .collect();
    crate::reports::versions_page(
        &st,
        &p,
        (
            "commitments",
            "commitment-versions-title",
            &id,
            &r.body.what,
            &r.marking,
            &r.origin,
        ),
        &[
            "commitments-col-commitment",
            "commitments-col-owner",
            "commitments-col-due",
            "commitments-col-status",
            "commitment-field-dropped_reason",
        ],
        shown,
        |s| {
            ["what", "owner", "due", "state", "reason"]
                .iter()
                .map(|k| s[*k].clone())
                .collect()
        },
    )
}

/// Withdraws a commitment: it leaves the board and the digests; its
/// versions are kept.
pub(crate) async fn withdraw_commitment(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<WithdrawForm>,
) -> Response {
    let of = ("commitments", id.as_str(), "commitment");
    withdraw_and_show_versions::<CommitmentKind>(&st, &p, &headers, &f, of).await
}
