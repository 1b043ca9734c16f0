//! Contribution pages: the pledge form with its parties, a contribution with its lifecycle steps; duplication and a member's contributions.

use super::*;
use coalesce_domain::source::Subject;

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct PledgeForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) requirement_id: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) contributors: String,
    #[serde(default)]
    pub(super) line_of_effort: String,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) amount: String,
    #[serde(default)]
    pub(super) unit: String,
    #[serde(default)]
    pub(super) country: String,
    #[serde(default)]
    pub(super) admin1_name: String,
    #[serde(default)]
    pub(super) admin1_pcode: String,
    #[serde(default)]
    pub(super) town: String,
    #[serde(default)]
    pub(super) start: String,
    #[serde(default)]
    pub(super) end: String,
    #[serde(default)]
    pub(super) tlp: String,
    #[serde(default)]
    pub(super) rel_to: String,
    /// Editing: the version the form was filled from.
    #[serde(default)]
    pub(super) if_version: String,
    /// After a conflict: the fields whose newer values to keep (the merge
    /// choice's checkboxes, joined by the form extractor).
    #[serde(default)]
    pub(super) take_theirs: String,
    /// Party rows (`party1_role`, `party1_kind`, `party1_name`,
    /// `party1_country`, `party2_…`): suppliers, carriers, consignees, ...
    #[serde(flatten)]
    pub(super) parties: std::collections::BTreeMap<String, String>,
}

crate::merge::merge_forms!(PledgeForm);

/// The fields of the contribution form a merge compares, in form order
/// (the contributing members, the requirement and the unit do not change).
const MERGED_FIELDS: [&str; 13] = [
    "title",
    "description",
    "line_of_effort",
    "category",
    "amount",
    "country",
    "admin1_name",
    "admin1_pcode",
    "town",
    "start",
    "end",
    "tlp",
    "rel_to",
];

/// Rows of party fields shown on a form besides the parties already there.
pub(super) const BLANK_PARTY_ROWS: usize = 2;

/// The parties of a form's rows `party{i}_role|kind|name|country` (a row
/// without a name is left out), checked as a list.
pub(super) fn parties_from_fields(
    fields: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<coalesce_domain::needs::Party>, ApiError> {
    let mut rows: std::collections::BTreeMap<u32, [&str; 4]> = std::collections::BTreeMap::new();
    for (k, v) in fields {
        let Some(rest) = k.strip_prefix("party") else {
            continue;
        };
        let Some((i, field)) = rest.split_once('_') else {
            continue;
        };
        let Ok(i) = i.parse::<u32>() else { continue };
        let slot = match field {
            "role" => 0,
            "kind" => 1,
            "name" => 2,
            "country" => 3,
            _ => continue,
        };
        rows.entry(i).or_insert([""; 4])[slot] = v.as_str();
    }
    let parties = rows
        .values()
        .filter(|r| !r[2].trim().is_empty())
        .map(|r| coalesce_domain::needs::Party::parse(r[0], r[1], r[2], Some(r[3])))
        .collect::<Result<Vec<_>, _>>()?;
    coalesce_domain::needs::Party::check_list(&parties)?;
    Ok(parties)
}

/// Party rows for a form: the given parties, then blank rows.
pub(super) fn party_rows(parties: &[coalesce_domain::needs::Party]) -> Vec<serde_json::Value> {
    parties
        .iter()
        .map(|x| {
            json!({ "role": x.role.as_str(), "kind": x.kind.as_str(), "name": x.name, "country": x.country })
        })
        .chain(
            (0..BLANK_PARTY_ROWS)
                .map(|_| json!({ "role": "supplier", "kind": "organisation", "name": "", "country": "" })),
        )
        .collect()
}

/// The party rows a pledge form was submitted with (to show it again).
pub(super) fn submitted_party_rows(
    fields: &std::collections::BTreeMap<String, String>,
) -> Vec<serde_json::Value> {
    let get = |i: usize, f: &str| {
        fields
            .get(&format!("party{i}_{f}"))
            .cloned()
            .unwrap_or_default()
    };
    (1..=BLANK_PARTY_ROWS)
        .map(|i| {
            json!({
                "role": Some(get(i, "role")).filter(|r| !r.is_empty()).unwrap_or_else(|| "supplier".into()),
                "kind": Some(get(i, "kind")).filter(|k| !k.is_empty()).unwrap_or_else(|| "organisation".into()),
                "name": get(i, "name"), "country": get(i, "country"),
            })
        })
        .collect()
}

pub(super) fn party_roles() -> Vec<(&'static str, &'static str)> {
    coalesce_domain::needs::PartyRole::ALL
        .iter()
        .map(|r| (r.as_str(), r.label()))
        .collect()
}

impl PledgeForm {
    /// The form filled in from a contribution as it is now (to edit it):
    /// a place or window it takes from its requirement is left empty.
    fn of(c: &Contribution) -> Self {
        let mut named: Vec<&str> = c
            .contributors
            .iter()
            .chain(&c.proposed_contributors)
            .map(String::as_str)
            .collect();
        named.sort_unstable();
        let place = c.place.as_ref().filter(|_| !c.place_from_requirement);
        let admin1 = place.and_then(|p| p.admin1.as_ref());
        let window = c.window.as_ref().filter(|_| !c.window_from_requirement);
        PledgeForm {
            requirement_id: c.requirement_id.clone().unwrap_or_default(),
            title: c.title.clone(),
            description: c.description.clone(),
            contributors: named.join(" "),
            line_of_effort: c.line_of_effort.clone(),
            category: c.category.clone(),
            kind: c.measure.kind().into(),
            amount: crate::merge::amount_field(&c.measure),
            unit: c.measure.unit().into(),
            country: place.map(|p| p.country.clone()).unwrap_or_default(),
            admin1_name: admin1.map(|a| a.name.clone()).unwrap_or_default(),
            admin1_pcode: admin1.map(|a| a.pcode.clone()).unwrap_or_default(),
            town: place.and_then(|p| p.town.clone()).unwrap_or_default(),
            start: window.map(|w| w.start.clone()).unwrap_or_default(),
            end: window.map(|w| w.end.clone()).unwrap_or_default(),
            tlp: c.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&c.marking),
            if_version: c.version.to_string(),
            ..PledgeForm::default()
        }
    }

    fn contributor_codes(&self) -> Vec<String> {
        self.contributors
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase)
            .collect()
    }

    /// The draft, or every error of the form at once (each field checked
    /// on its own, by the same rules the draft applies).
    fn draft(&self) -> Result<ContributionDraft, FieldErrors> {
        use coalesce_domain::needs::{MAX_DESCRIPTION, MAX_TITLE};
        use coalesce_domain::DomainError;
        let mut e = FieldErrors::default();
        e.keep_domain(
            "title",
            coalesce_domain::text::required_line("title", &self.title, MAX_TITLE),
        );
        e.keep_domain(
            "description",
            coalesce_domain::text::body("description", &self.description, MAX_DESCRIPTION),
        );
        let contributors = self.contributor_codes();
        for c in &contributors {
            e.keep_domain("contributors", coalesce_domain::MemberCode::parse(c));
        }
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        for (field, value) in [
            ("line_of_effort", &self.line_of_effort),
            ("category", &self.category),
        ] {
            if let Some(v) = opt(value) {
                e.keep_domain(field, coalesce_domain::Slug::parse(&v));
            }
        }
        let measure = e.keep_domain(
            "amount",
            parse_measure(&self.kind, &self.amount, &self.unit),
        );
        let place = if self.country.trim().is_empty() {
            Some(None)
        } else {
            e.keep_domain(
                "country",
                parse_place(
                    &self.country,
                    &self.admin1_name,
                    &self.admin1_pcode,
                    &self.town,
                ),
            )
            .map(Some)
        };
        let window = if self.start.trim().is_empty() && self.end.trim().is_empty() {
            Some(None)
        } else {
            e.keep_domain("start", Window::parse(&self.start, &self.end))
                .map(Some)
        };
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let parties = e.keep(
            "parties",
            parties_from_fields(&self.parties).map_err(|err| err.detail),
        );
        let (Some(measure), Some(place), Some(window), Some(marking), Some(parties), true) =
            (measure, place, window, marking, parties, e.is_empty())
        else {
            return Err(e);
        };
        ContributionDraft::parse(
            &self.title,
            &self.description,
            &contributors,
            opt(&self.requirement_id).as_deref(),
            opt(&self.line_of_effort).as_deref(),
            opt(&self.category).as_deref(),
            measure,
            place,
            window,
            marking,
        )
        .and_then(|d| d.with_parties(parties))
        .map_err(|err| {
            let field = match &err {
                DomainError::InvalidField { field, .. } => match *field {
                    "contributors" => "contributors",
                    "line_of_effort" => "line_of_effort",
                    "category" => "category",
                    "place" => "country",
                    "window" => "start",
                    "measure" => "unit",
                    _ => "form",
                },
                _ => "form",
            };
            let mut e = FieldErrors::default();
            e.keep(field, Err::<(), _>(err));
            e
        })
    }
}

/// Where a refusal of the store belongs on the contribution form.
fn pledge_error_field(e: &ApiError) -> &'static str {
    let d = e.detail.to_ascii_lowercase();
    if d.contains("release it to") {
        // A co-contributor outside the marking: the marking is what changes.
        "rel_to"
    } else if d.contains("contributor") || d.contains("contributing member") {
        "contributors"
    } else if e.code == "unknown_audience_token" || d.contains("rel to") || d.contains("audience") {
        "rel_to"
    } else if d.contains("delivered") {
        "amount"
    } else if d.contains("counts") {
        "unit"
    } else if d.contains("line of effort") {
        "line_of_effort"
    } else if d.contains("categor") {
        "category"
    } else if d.contains("place") || d.contains("window") {
        "country"
    } else {
        "form"
    }
}

/// Which contribution the form edits (none: a new pledge), and after a
/// version conflict, the merge choice: what changed meanwhile.
#[derive(Default)]
pub(super) struct PledgeEditing<'a> {
    id: Option<&'a str>,
    conflict: Option<Value>,
}

pub(super) async fn pledge_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &PledgeForm,
    errors: FieldErrors,
    editing: PledgeEditing<'_>,
) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let groups = tri!(st.store.list_groups().await, p);
    let members = tri!(st.store.list_members().await, p);
    let title = match (editing.id.is_some(), errors.is_empty()) {
        (true, _) => p.t("contrib-edit-title"),
        (false, true) => p.t("home-pledge"),
        (false, false) => i18n::tr(
            p.lang,
            "req-form-title-errors",
            Some(&i18n::args([("count", FluentValue::from(errors.0.len()))])),
        ),
    };
    let ctx = context! {
        title,
        editing => editing.id,
        conflict => editing.conflict,
        form => Value::from_serialize(form),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        groups => Value::from_serialize(&groups),
        members => Value::from_serialize(&members),
        party_rows => Value::from_serialize(submitted_party_rows(&form.parties)),
        party_roles => party_roles(),
        errors => Value::from_serialize(&errors.0),
    };
    html(
        Some(p),
        status,
        "contribution_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn new_contribution(State(st): State<AppState>, p: Page) -> Response {
    let form = PledgeForm {
        contributors: p.principal.member.to_string(),
        kind: "quantity".into(),
        country: "IRQ".into(),
        tlp: "GREEN".into(),
        rel_to: "COALITION".into(),
        ..PledgeForm::default()
    };
    pledge_form_page(
        &st,
        &p,
        StatusCode::OK,
        &form,
        FieldErrors::default(),
        PledgeEditing::default(),
    )
    .await
}

/// Pledges from the standalone form and from a requirement's page.
pub(crate) async fn create_contribution(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<PledgeForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let from_requirement =
        !f.requirement_id.trim().is_empty() && check_id(&f.requirement_id, &p).is_none();
    let errors = match f.draft() {
        Ok(d) => match st.store.create_contribution(&p.principal, &d).await {
            Ok(c) => return Redirect::to(&format!("/contributions/{}", c.id)).into_response(),
            Err(e) => {
                let e = ApiError::from(e);
                let mut errors = FieldErrors::default();
                errors.keep(pledge_error_field(&e), Err::<(), _>(e.detail.clone()));
                (e.status, errors)
            }
        },
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    let (status, errors) = errors;
    if from_requirement {
        // The requirement's page shows its short form's errors together.
        let all: Vec<&str> = errors.0.values().map(String::as_str).collect();
        return requirement_page(
            &st,
            &p,
            &f.requirement_id,
            status,
            Some(&f),
            Some(all.join(" · ")),
        )
        .await;
    }
    pledge_form_page(&st, &p, status, &f, errors, PledgeEditing::default()).await
}

/// The form filled in from the contribution as it is now (its origin's
/// writers only; a cancelled one does not change).
pub(crate) async fn edit_contribution(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let c = tri!(st.store.get_contribution(&p.principal, &id).await, p);
    if let Some(refusal) = not_editable(&c, &p) {
        return api_error_page(refusal, Some(&p));
    }
    let editing = PledgeEditing {
        id: Some(&id),
        conflict: None,
    };
    pledge_form_page(
        &st,
        &p,
        StatusCode::OK,
        &PledgeForm::of(&c),
        FieldErrors::default(),
        editing,
    )
    .await
}

/// Why this reader is not offered the edit form of `c`, if not.
fn not_editable(c: &Contribution, p: &Page) -> Option<ApiError> {
    let pr = &p.principal;
    if c.origin != pr.member.as_str() || !pr.role.can_write_records() {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("only writers of {} change this contribution", c.origin),
        ));
    }
    (c.status == coalesce_domain::needs::Status::Cancelled).then(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "invalid_transition",
            "a cancelled contribution does not change (pledge a new one)",
        )
    })
}

/// Saves an edited contribution as its next version against the version
/// the form was filled from. Refused, the form comes back with every
/// error beside its field — or, when another version was saved in
/// between, as the merge choice (the fields the writer chose from it,
/// `take_theirs`, taken first when saved again). Its parties are changed
/// on its page, not here: they are kept as they are.
pub(crate) async fn update_contribution(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PledgeForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let now = tri!(st.store.get_contribution(&p.principal, &id).await, p);
    let mut f = crate::merge::taking_chosen(f, &PledgeForm::of(&now), &MERGED_FIELDS);
    // What does not change is the contribution's, whatever the form says.
    let fixed = PledgeForm::of(&now);
    f.contributors = fixed.contributors;
    f.requirement_id = fixed.requirement_id;
    f.kind = fixed.kind;
    f.unit = fixed.unit;
    if !f.requirement_id.is_empty() {
        // The requirement's, not posted: what the merge compares.
        f.line_of_effort = fixed.line_of_effort;
        f.category = fixed.category;
    }
    f.parties.clear();
    let editing = |conflict| PledgeEditing {
        id: Some(&id),
        conflict,
    };
    let Ok(if_version) = f.if_version.trim().parse::<i64>() else {
        let errors = FieldErrors::unversioned();
        return pledge_form_page(
            &st,
            &p,
            StatusCode::UNPROCESSABLE_ENTITY,
            &f,
            errors,
            editing(None),
        )
        .await;
    };
    // A place or window left as the form showed it is the contribution's
    // own, whole: the form has no field for a place's coordinates, and a
    // place rebuilt from its fields would differ and, for that alone, ask
    // the co-contributors to confirm again.
    let shown = PledgeForm::of(&now);
    let same = |a: [&str; 4], b: [&str; 4]| a.iter().zip(b).all(|(x, y)| x.trim() == y.trim());
    let place_kept = !now.place_from_requirement
        && same(
            [&f.country, &f.admin1_name, &f.admin1_pcode, &f.town],
            [
                &shown.country,
                &shown.admin1_name,
                &shown.admin1_pcode,
                &shown.town,
            ],
        );
    let window_kept = !now.window_from_requirement
        && same(
            [&f.start, &f.end, "", ""],
            [&shown.start, &shown.end, "", ""],
        );
    let d = match f.draft() {
        Ok(d) => coalesce_domain::needs::ContributionDraft {
            parties: now.parties.clone(),
            place: if place_kept {
                now.place.clone()
            } else {
                d.place.clone()
            },
            window: if window_kept {
                now.window.clone()
            } else {
                d.window.clone()
            },
            ..d
        },
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return pledge_form_page(&st, &p, status, &f, errors, editing(None)).await;
        }
    };
    let e = match st
        .store
        .update_contribution(&p.principal, &id, &d, Some(if_version))
        .await
    {
        Ok(c) => return Redirect::to(&format!("/contributions/{}", c.id)).into_response(),
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let now = tri!(st.store.get_contribution(&p.principal, &id).await, p);
        let conflict = crate::merge::against_newer(
            &mut f,
            &PledgeForm::of(&now),
            &MERGED_FIELDS,
            crate::merge::Newer::new(now.version, &now.updated_by, now.updated_at_ms),
            |field| p.t(&format!("req-field-{field}")),
        );
        return pledge_form_page(
            &st,
            &p,
            StatusCode::CONFLICT,
            &f,
            FieldErrors::default(),
            editing(Some(conflict)),
        )
        .await;
    }
    let mut errors = FieldErrors::default();
    errors.keep(pledge_error_field(&e), Err::<(), _>(e.detail.clone()));
    pledge_form_page(&st, &p, e.status, &f, errors, editing(None)).await
}

pub(crate) async fn contribution(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    contribution_page(&st, &p, &id, StatusCode::OK, None).await
}

/// The versions of a contribution the reader may read, side by side.
pub(crate) async fn contribution_versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let c = tri!(st.store.get_contribution(&p.principal, &id).await, p);
    let versions = tri!(st.store.contribution_versions(&p.principal, &id).await, p);
    crate::reports::versions_page(
        &st,
        &p,
        (
            "contributions",
            "contrib-versions-title",
            &c.id,
            &c.title,
            &c.marking,
            &c.origin,
        ),
        &["needs-title", "needs-amount", "needs-where", "needs-when"],
        versions,
        // A contribution has no priority, the last of the needs' columns.
        |s| {
            let mut values = needs_version_values(s);
            values.truncate(4);
            values
        },
    )
}

pub(super) async fn contribution_page(
    st: &AppState,
    p: &Page,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let pr = &p.principal;
    let c = tri!(st.store.get_contribution(pr, id).await, p);
    let ds = tri!(st.store.contribution_deliveries(pr, id).await, p);
    let requirement = match &c.requirement_id {
        Some(rid) => match st.store.get_requirement(pr, rid).await {
            Ok(r) => Some(r),
            Err(coalesce_store::StoreError::NotFound) => None,
            Err(e) => return api_error_page(e.into(), Some(p)),
        },
        None => None,
    };
    let is_origin = c.origin == pr.member.as_str() && pr.role.can_write_records();
    let is_requester = requirement
        .as_ref()
        .is_some_and(|r| r.requesting_member == pr.member.as_str())
        && pr.role.can_write_records();
    let deliveries: Vec<_> = ds
        .iter()
        .map(|d| {
            json!({
                "seq": d.seq, "on": d.delivered_on, "amount": measure_text(&c.measure, d.amount),
                "evidence": d.evidence, "recorded_by": d.recorded_by,
                "received_by": d.received_by, "received_member": d.received_member,
                "received": d.received_at_ms.is_some(),
                "received_amount": measure_text(&c.measure, d.received()),
                "partly": d.received_at_ms.is_some() && d.received() < d.amount,
                "received_on": d.received_on,
                "received_note": d.received_note,
                // The form's default: all of it, as a plain number.
                "amount_plain": crate::merge::amount_field_of(&c.measure, d.amount),
            })
        })
        .collect();
    let screening = crate::screen::record_screening(
        st,
        p,
        c.parties
            .iter()
            .map(coalesce_app::screening::contribution_party)
            .collect(),
    )
    .await;
    // The recorded parties, then the blank rows of the form.
    let rows = party_rows(&c.parties);
    let ctx = context! {
        title => c.title.clone(),
        parties => Value::from_serialize(&rows[..c.parties.len()]),
        party_rows => Value::from_serialize(&rows),
        party_roles => party_roles(),
        screening,
        back => format!("/contributions/{id}"),
        can_decide => pr.role.can_write_records(),
        c => Value::from_serialize(contribution_json(&c)),
        cited => crate::cited(st, Subject::Record(id.to_string())).await,
        r => Value::from_serialize(requirement.as_ref().map(requirement_json)),
        deliveries => Value::from_serialize(&deliveries),
        can_edit => not_editable(&c, p).is_none(),
        is_origin,
        is_requester,
        // A member named as a co-contributor confirms with its own act.
        can_join => pr.role.can_write_records()
            && c.proposed_contributors.iter().any(|m| m == pr.member.as_str()),
        outstanding => c.progress().outstanding(),
        unit => if c.measure.kind() == "money" { format!("{} (in {})", c.measure.unit(), "major units") } else { c.measure.unit().to_string() },
        error,
    };
    html(Some(p), status, "contribution.html", ctx, st.secure_cookies)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    pub(super) csrf: String,
    /// commit, deliver, cancel, confirm (a receipt) or join (a co-contributor confirms).
    #[serde(default)]
    pub(super) step: String,
    #[serde(default)]
    pub(super) delivered_on: String,
    #[serde(default)]
    pub(super) amount: String,
    #[serde(default)]
    pub(super) evidence: String,
    #[serde(default)]
    pub(super) seq: Option<i64>,
    /// With `confirm`: the day it arrived and a note.
    #[serde(default)]
    pub(super) received_on: String,
    #[serde(default)]
    pub(super) note: String,
}

pub(crate) async fn contribution_step(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let pr = &p.principal;
    let result: Result<(), ApiError> = match f.step.as_str() {
        "commit" => st
            .store
            .commit_contribution(pr, &id)
            .await
            .map(|_| ())
            .map_err(Into::into),
        "cancel" => st
            .store
            .cancel_contribution(pr, &id)
            .await
            .map(|_| ())
            .map_err(Into::into),
        "deliver" => {
            async {
                let c = st.store.get_contribution(pr, &id).await?;
                let m = parse_measure(c.measure.kind(), &f.amount, c.measure.unit())?;
                let d = DeliveryDraft::parse(&f.delivered_on, m.amount(), &f.evidence)?;
                st.store.deliver_contribution(pr, &id, &d).await?;
                Ok(())
            }
            .await
        }
        "join" => st
            .store
            .confirm_co_contribution(pr, &id)
            .await
            .map(|_| ())
            .map_err(Into::into),
        "confirm" => match f.seq {
            Some(seq) => {
                async {
                    let c = st.store.get_contribution(pr, &id).await?;
                    let amount = if f.amount.trim().is_empty() {
                        None
                    } else {
                        Some(parse_measure(c.measure.kind(), &f.amount, c.measure.unit())?.amount())
                    };
                    let receipt = coalesce_domain::needs::Receipt::parse(
                        amount,
                        Some(&f.received_on),
                        &f.note,
                    )?;
                    st.store
                        .confirm_receipt_of(pr, &id, seq, &receipt, coalesce_store::now_ms())
                        .await?;
                    Ok(())
                }
                .await
            }
            None => Err(ApiError::bad_request("invalid_form", "which delivery?")),
        },
        other => Err(ApiError::bad_request(
            "invalid_form",
            format!("unknown step {other:?}"),
        )),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/contributions/{id}")).into_response(),
        Err(e) => contribution_page(&st, &p, &id, e.status, Some(e.detail)).await,
    }
}

/// Replaces the parties of a contribution from its page (origin only).
pub(crate) async fn contribution_parties(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<std::collections::BTreeMap<String, String>>,
) -> Response {
    let csrf = f.get("csrf").map(String::as_str).unwrap_or_default();
    if let Some(r) = csrf_rejection(&headers, csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let version = f.get("version").and_then(|v| v.trim().parse::<i64>().ok());
    let result = match parties_from_fields(&f) {
        Ok(parties) => st
            .store
            .set_contribution_parties(&p.principal, &id, &parties, version)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/contributions/{id}#parties")).into_response(),
        Err(e) => contribution_page(&st, &p, &id, e.status, Some(e.detail)).await,
    }
}

// ----- duplication and member pages ---------------------------------------

pub(crate) async fn duplication(State(st): State<AppState>, p: Page) -> Response {
    let d = tri!(st.store.duplication(&p.principal, "").await, p);
    let over: Vec<_> = d
        .over_contributed
        .iter()
        .map(|o| {
            json!({
                "r": requirement_json(&o.requirement),
                "offered": measure_text(&o.requirement.measure, o.offered),
            })
        })
        .collect();
    let groups: Vec<Vec<_>> = d
        .overlapping
        .iter()
        .map(|g| g.iter().map(contribution_json).collect())
        .collect();
    let ctx = context! {
        title => p.t("dup-title"),
        over => Value::from_serialize(&over),
        groups => Value::from_serialize(&groups),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "duplication.html",
        ctx,
        st.secure_cookies,
    )
}

/// What a member pledged and delivered (for its member page).
pub(crate) async fn member_contributions(
    st: &AppState,
    p: &Page,
    code: &str,
) -> Result<serde_json::Value, ApiError> {
    let filter = ContributionFilter {
        member: Some(code.to_string()),
        ..ContributionFilter::default()
    };
    let totals = st
        .store
        .contribution_totals(&p.principal, &filter, Dimension::LineOfEffort)
        .await?;
    let list = st
        .store
        .list_contributions(&p.principal, &filter, None, PAGE)
        .await?;
    let count = st.store.count_contributions(&p.principal, &filter).await?;
    Ok(json!({
        "totals": totals_json(&totals),
        "rows": list.items.iter().map(contribution_json).collect::<Vec<_>>(),
        "count": count,
    }))
}
