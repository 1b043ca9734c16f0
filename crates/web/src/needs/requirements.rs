//! Requirement pages: the form, a requirement with its summary and contributions, the requested member's confirmation.

use super::*;
use coalesce_domain::source::Subject;

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct RequirementForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) requesting_member: String,
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
    pub(super) priority: String,
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
}

crate::merge::merge_forms!(RequirementForm);

/// The fields of the requirement form a merge compares, in form order.
const MERGED_FIELDS: [&str; 17] = [
    "title",
    "description",
    "requesting_member",
    "line_of_effort",
    "category",
    "kind",
    "amount",
    "unit",
    "country",
    "admin1_name",
    "admin1_pcode",
    "town",
    "start",
    "end",
    "priority",
    "tlp",
    "rel_to",
];

impl RequirementForm {
    /// The form filled in from a requirement as it is now (to edit it).
    fn of(r: &Requirement) -> Self {
        RequirementForm {
            title: r.title.clone(),
            description: r.description.clone(),
            requesting_member: r.requesting_member.clone(),
            line_of_effort: r.line_of_effort.clone(),
            category: r.category.clone(),
            kind: r.measure.kind().into(),
            amount: crate::merge::amount_field(&r.measure),
            unit: r.measure.unit().into(),
            country: r.place.country.clone(),
            admin1_name: r
                .place
                .admin1
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            admin1_pcode: r
                .place
                .admin1
                .as_ref()
                .map(|a| a.pcode.clone())
                .unwrap_or_default(),
            town: r.place.town.clone().unwrap_or_default(),
            start: r.window.start.clone(),
            end: r.window.end.clone(),
            priority: r.priority.to_string(),
            tlp: r.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&r.marking),
            if_version: r.version.to_string(),
            ..RequirementForm::default()
        }
    }
}

/// An amount as typed: an integer quantity, or money in major units with
/// at most the currency's decimals ("1500000.50").
pub(super) fn parse_measure(
    kind: &str,
    amount: &str,
    unit: &str,
) -> Result<Measure, coalesce_domain::DomainError> {
    let unit = unit.trim();
    let invalid = |reason: String| coalesce_domain::DomainError::InvalidField {
        field: "amount",
        reason,
    };
    match kind {
        "money" => {
            let currency = unit.to_ascii_uppercase();
            let minor = coalesce_exchange::money::parse_major(amount.trim(), &currency)
                .map_err(|e| invalid(e.to_string()))?;
            Measure::money(minor, &currency)
        }
        _ => {
            let n = amount
                .trim()
                .replace([',', '_'], "")
                .parse::<i64>()
                .map_err(|_| invalid(format!("{amount:?} is not a whole number")))?;
            Measure::quantity(n, unit)
        }
    }
}

pub(super) fn parse_place(
    country: &str,
    admin1_name: &str,
    admin1_pcode: &str,
    town: &str,
) -> Result<Place, coalesce_domain::DomainError> {
    // A governorate picked or typed by name gets its P-code, and one
    // given by P-code its name.
    let (admin1_name, admin1_pcode) =
        crate::boundaries::resolve(country, admin1_name, admin1_pcode);
    let admin1 = if admin1_name.is_empty() && admin1_pcode.is_empty() {
        None
    } else {
        Some(AdminArea::parse(&admin1_name, &admin1_pcode)?)
    };
    Place::parse(
        &country.trim().to_ascii_uppercase(),
        admin1,
        Some(town),
        None,
    )
}

/// A form's errors, each under the id of the input it is about (shown
/// beside it, and all together on top); `form` is for what belongs to no
/// one field.
#[derive(Debug, Default, Serialize)]
pub(crate) struct FieldErrors(pub(crate) std::collections::BTreeMap<&'static str, String>);

impl FieldErrors {
    /// Keeps the value, or the error under `field`.
    pub(crate) fn keep<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        r: Result<T, E>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.entry(field).or_insert_with(|| e.to_string());
                None
            }
        }
    }

    /// Keeps a domain error under the input its field names (`default`
    /// when it names none of them).
    pub(crate) fn keep_domain<T>(
        &mut self,
        default: &'static str,
        r: Result<T, coalesce_domain::DomainError>,
    ) -> Option<T> {
        use coalesce_domain::DomainError as D;
        let field = match &r {
            Err(D::InvalidField { field, .. }) => match *field {
                "admin1.pcode" => "admin1_pcode",
                "admin1.name" => "admin1_name",
                "window.start" => "start",
                "window.end" | "window" => "end",
                "town" => "town",
                "unit" | "currency" => "unit",
                _ => default,
            },
            Err(D::InvalidTlp(_)) => "tlp",
            Err(D::InvalidAudienceToken(_) | D::UnknownAudienceToken(_)) => "rel_to",
            _ => default,
        };
        self.keep(field, r)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An edit form sent without the version it was filled from: saving it
    /// could overwrite a change it never showed.
    pub(crate) fn unversioned() -> Self {
        let mut e = FieldErrors::default();
        e.keep(
            "form",
            Err::<(), _>(
                "the form does not say which version it was filled from; open the edit page again",
            ),
        );
        e
    }
}

impl RequirementForm {
    /// The draft, or every error of the form at once (each field checked
    /// on its own, by the same rules the draft applies).
    fn draft(&self) -> Result<RequirementDraft, FieldErrors> {
        use coalesce_domain::needs::{Priority, MAX_DESCRIPTION, MAX_TITLE};
        let mut e = FieldErrors::default();
        e.keep_domain(
            "title",
            coalesce_domain::text::required_line("title", &self.title, MAX_TITLE),
        );
        e.keep_domain(
            "description",
            coalesce_domain::text::body("description", &self.description, MAX_DESCRIPTION),
        );
        e.keep_domain(
            "requesting_member",
            coalesce_domain::MemberCode::parse(self.requesting_member.trim()),
        );
        e.keep_domain(
            "line_of_effort",
            coalesce_domain::Slug::parse(self.line_of_effort.trim()),
        );
        e.keep_domain(
            "category",
            coalesce_domain::Slug::parse(self.category.trim()),
        );
        let measure = e.keep_domain(
            "amount",
            parse_measure(&self.kind, &self.amount, &self.unit),
        );
        let place = e.keep_domain(
            "country",
            parse_place(
                &self.country,
                &self.admin1_name,
                &self.admin1_pcode,
                &self.town,
            ),
        );
        let window = e.keep_domain("start", Window::parse(&self.start, &self.end));
        let priority = match self.priority.trim().parse::<i64>() {
            Ok(n) => e.keep_domain("priority", Priority::parse(n)).map(|_| n),
            Err(_) => e.keep(
                "priority",
                Err::<i64, _>(format!(
                    "{:?}: expected 1 (most urgent) to 5",
                    self.priority
                )),
            ),
        };
        let marking = e.keep_domain(
            "rel_to",
            Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)),
        );
        let (Some(measure), Some(place), Some(window), Some(priority), Some(marking), true) =
            (measure, place, window, priority, marking, e.is_empty())
        else {
            return Err(e);
        };
        RequirementDraft::parse(
            &self.title,
            &self.description,
            &self.requesting_member.to_ascii_uppercase(),
            &self.line_of_effort,
            &self.category,
            measure,
            place,
            window,
            priority,
            marking,
        )
        .map_err(|err| {
            let mut e = FieldErrors::default();
            e.keep_domain("form", Err::<(), _>(err));
            e
        })
    }
}

/// Where a refusal of the store belongs on the requirement form.
fn store_error_field(e: &ApiError) -> &'static str {
    let d = e.detail.to_ascii_lowercase();
    if e.code == "unknown_audience_token" || d.contains("rel to") || d.contains("audience") {
        "rel_to"
    } else if d.contains("line of effort") || d.contains("line_of_effort") {
        "line_of_effort"
    } else if d.contains("categor") {
        "category"
    } else if d.contains("member") {
        "requesting_member"
    } else {
        "form"
    }
}

/// Which requirement the form edits (none: a new one), and after a
/// version conflict, the merge choice: what changed meanwhile.
#[derive(Default)]
pub(super) struct Editing<'a> {
    id: Option<&'a str>,
    conflict: Option<Value>,
}

pub(super) async fn requirement_form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &RequirementForm,
    errors: FieldErrors,
    editing: Editing<'_>,
) -> Response {
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let members = tri!(st.store.list_members().await, p);
    let groups = tri!(st.store.list_groups().await, p);
    let title = match (editing.id.is_some(), errors.is_empty()) {
        (true, _) => p.t("req-edit-title"),
        (false, true) => p.t("home-post-requirement"),
        (false, false) => i18n::tr(
            p.lang,
            "req-form-title-errors",
            Some(&i18n::args([(
                "count",
                fluent_bundle::FluentValue::from(errors.0.len()),
            )])),
        ),
    };
    let ctx = context! {
        title,
        editing => editing.id,
        conflict => editing.conflict,
        form => Value::from_serialize(form),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        members => Value::from_serialize(&members),
        groups => Value::from_serialize(&groups),
        errors => Value::from_serialize(&errors.0),
    };
    html(
        Some(p),
        status,
        "requirement_form.html",
        ctx,
        st.secure_cookies,
    )
}

pub(crate) async fn new_requirement(State(st): State<AppState>, p: Page) -> Response {
    let form = RequirementForm {
        requesting_member: p.principal.member.to_string(),
        kind: "quantity".into(),
        country: "IRQ".into(),
        priority: "3".into(),
        tlp: "GREEN".into(),
        rel_to: "COALITION".into(),
        ..RequirementForm::default()
    };
    requirement_form_page(
        &st,
        &p,
        StatusCode::OK,
        &form,
        FieldErrors::default(),
        Editing::default(),
    )
    .await
}

pub(crate) async fn create_requirement(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<RequirementForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    save_requirement(&st, &p, f, None).await
}

/// The form filled in from the requirement as it is now.
pub(crate) async fn edit_requirement(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(st.store.get_requirement(&p.principal, &id).await, p);
    let editing = Editing {
        id: Some(&id),
        conflict: None,
    };
    let form = RequirementForm::of(&r);
    requirement_form_page(
        &st,
        &p,
        StatusCode::OK,
        &form,
        FieldErrors::default(),
        editing,
    )
    .await
}

/// Saves an edited requirement as its next version (see
/// `save_requirement`), the fields the writer chose in a merge choice
/// (`take_theirs`) taken from the current version first.
pub(crate) async fn update_requirement(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RequirementForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let mut f = f;
    let take = crate::merge::chosen(&f.take_theirs, &MERGED_FIELDS);
    if !take.is_empty() {
        let now = tri!(st.store.get_requirement(&p.principal, &id).await, p);
        f = crate::merge::with_fields_of(&f, &RequirementForm::of(&now), &take);
    }
    f.take_theirs.clear();
    save_requirement(&st, &p, f, Some(&id)).await
}

/// Saves the form: a new requirement, or the next version of `id` against
/// the version the form was filled from. Refused, the form comes back with
/// every error beside its field — or, when another version was saved in
/// between, as the merge choice: the fields that differ from it, the newer
/// value beside the writer's, and the form set to save against it.
async fn save_requirement(
    st: &AppState,
    p: &Page,
    mut f: RequirementForm,
    id: Option<&str>,
) -> Response {
    let editing = || Editing { id, conflict: None };
    let d = match f.draft() {
        Ok(d) => d,
        Err(errors) => {
            return requirement_form_page(
                st,
                p,
                StatusCode::UNPROCESSABLE_ENTITY,
                &f,
                errors,
                editing(),
            )
            .await
        }
    };
    let saved = match id {
        None => st.store.create_requirement(&p.principal, &d).await,
        Some(id) => {
            let if_version = f.if_version.trim().parse::<i64>().ok();
            st.store
                .update_requirement(&p.principal, id, &d, if_version)
                .await
        }
    };
    let e = match saved {
        Ok(r) => return Redirect::to(&format!("/requirements/{}", r.id)).into_response(),
        Err(e) => ApiError::from(e),
    };
    if let (Some(id), "version_conflict") = (id, e.code) {
        let now = tri!(st.store.get_requirement(&p.principal, id).await, p);
        let conflict = crate::merge::against_newer(
            &mut f,
            &RequirementForm::of(&now),
            &MERGED_FIELDS,
            crate::merge::Newer::new(now.version, &now.updated_by, now.updated_at_ms),
            |field| p.t(&format!("req-field-{field}")),
        );
        let merge = Editing {
            id: Some(id),
            conflict: Some(conflict),
        };
        return requirement_form_page(
            st,
            p,
            StatusCode::CONFLICT,
            &f,
            FieldErrors::default(),
            merge,
        )
        .await;
    }
    let mut errors = FieldErrors::default();
    errors.keep(store_error_field(&e), Err::<(), _>(e.detail.clone()));
    requirement_form_page(st, p, e.status, &f, errors, editing()).await
}

/// Withdraws a requirement: it leaves the lists; its versions are kept.
pub(crate) async fn withdraw_requirement(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    let done = format!("/requirements/{id}/versions");
    // Not run unless the checks pass: a future does nothing until awaited.
    let step = st.store.revoke_requirement(&p.principal, &id);
    requirement_step(&st, &p, &headers, &id, &f.csrf, done, step).await
}

/// A step taken from a requirement's page (confirm, withdraw): done, the
/// reader goes to `done`; refused, the page comes back saying why.
async fn requirement_step(
    st: &AppState,
    p: &Page,
    headers: &HeaderMap,
    id: &str,
    csrf: &str,
    done: String,
    step: impl std::future::Future<Output = Result<Requirement, coalesce_store::StoreError>>,
) -> Response {
    if let Some(r) = csrf_rejection(headers, csrf) {
        return r;
    }
    if let Some(r) = check_id(id, p) {
        return r;
    }
    match step.await {
        Ok(_) => Redirect::to(&done).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            requirement_page(st, p, id, e.status, None, Some(e.detail)).await
        }
    }
}

/// The versions of a requirement the reader may read, side by side.
pub(crate) async fn requirement_versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(st.store.get_requirement(&p.principal, &id).await, p);
    let versions = tri!(st.store.requirement_versions(&p.principal, &id).await, p);
    crate::reports::versions_page(
        &st,
        &p,
        (
            "requirements",
            "req-versions-title",
            &r.id,
            &r.title,
            &r.marking,
            &r.origin,
        ),
        &[
            "needs-title",
            "needs-amount",
            "needs-where",
            "needs-when",
            "req-priority",
        ],
        versions,
        needs_version_values,
    )
}

/// What the versions page shows of a requirement's or a contribution's
/// version: its title, amount, place, window and (requirements) priority.
pub(super) fn needs_version_values(snap: &serde_json::Value) -> Vec<serde_json::Value> {
    let measure: Option<Measure> = serde_json::from_value(snap["measure"].clone()).ok();
    let place: Option<Place> = serde_json::from_value(snap["place"].clone()).ok();
    let window = |w: &serde_json::Value| {
        w.get("start")
            .and_then(|s| s.as_str())
            .map(|s| format!("{s} – {}", w["end"].as_str().unwrap_or("")))
    };
    vec![
        snap["title"].clone(),
        measure.map(|m| measure_text(&m, m.amount())).into(),
        place.as_ref().map(place_text).into(),
        window(&snap["window"]).into(),
        snap["priority"].clone(),
    ]
}

pub(super) fn check_id(id: &str, p: &Page) -> Option<Response> {
    bad_id_page(id, "no such record, or not releasable to you", p)
}

pub(crate) async fn requirement(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    requirement_page(&st, &p, &id, StatusCode::OK, None, None).await
}

pub(super) async fn requirement_page(
    st: &AppState,
    p: &Page,
    id: &str,
    status: StatusCode,
    form: Option<&PledgeForm>,
    error: Option<String>,
) -> Response {
    let pr = &p.principal;
    let r = tri!(st.store.get_requirement(pr, id).await, p);
    let s = tri!(st.store.requirement_summary(pr, id).await, p);
    let cons = tri!(
        st.store
            .list_contributions(pr, &ContributionFilter::for_requirement(id), None, 500)
            .await,
        p
    );
    let rows: Vec<_> = cons.items.iter().map(contribution_json).collect();
    // Names, not codes and slugs.
    let members = tri!(st.store.list_members().await, p);
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let member_name = |code: &str| {
        members
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };
    let names = context! {
        requester => member_name(&r.requesting_member),
        origin => member_name(&r.origin),
        line => lines.iter().find(|l| l.slug == r.line_of_effort).map_or(r.line_of_effort.clone(), |l| l.name.clone()),
        category => categories.iter().find(|c| c.slug == r.category).map_or(r.category.clone(), |c| c.name.clone()),
    };
    let default_form = PledgeForm {
        contributors: pr.member.to_string(),
        kind: r.measure.kind().into(),
        unit: r.measure.unit().into(),
        tlp: r.marking.tlp.as_str().into(),
        rel_to: r
            .marking
            .rel_to
            .iter()
            .map(|t| t.as_string())
            .chain(std::iter::once(r.requesting_member.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", "),
        ..PledgeForm::default()
    };
    let ctx = context! {
        title => r.title.clone(),
        r => Value::from_serialize(requirement_json(&r)),
        names,
        cited => crate::cited(st, Subject::Record(id.to_string())).await,
        s => Value::from_serialize(summary_json(&s, &r.measure)),
        rows => Value::from_serialize(&rows),
        form => Value::from_serialize(form.unwrap_or(&default_form)),
        can_write => pr.role.can_write_records(),
        // Its origin's writers edit and withdraw it.
        can_edit => pr.role.can_write_records() && r.origin == pr.member.as_str(),
        // The member it was recorded for confirms it asks for it.
        can_confirm => pr.role.can_write_records()
            && !r.requester_confirmed
            && r.requesting_member == pr.member.as_str(),
        error,
    };
    html(Some(p), status, "requirement.html", ctx, st.secure_cookies)
}

/// The requesting member confirms a requirement recorded in its name.
pub(crate) async fn confirm_requirement(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Response {
    let done = format!("/requirements/{id}");
    let step = st.store.confirm_requirement(&p.principal, &id);
    requirement_step(&st, &p, &headers, &id, &f.csrf, done, step).await
}

/// The filters of the requirements list (each empty for any).
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct RequirementsQuery {
    #[serde(default)]
    line_of_effort: String,
    /// The requesting member (`mine` for the reader's own).
    #[serde(default)]
    member: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    cursor: Option<String>,
}

impl RequirementsQuery {
    fn query_string(&self) -> String {
        [
            ("line_of_effort", &self.line_of_effort),
            ("member", &self.member),
            ("category", &self.category),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// Every requirement the reader may read, newest first, with what is
/// pledged, committed and delivered against it and the gap left; filtered
/// by line of effort, requesting member and category; paged.
pub(crate) async fn requirements(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<RequirementsQuery>,
) -> Response {
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let member = if q.member == "mine" {
        Some(p.principal.member.to_string())
    } else {
        nonempty(&q.member)
    };
    let filter = coalesce_store::picture::RequirementListFilter {
        country: None,
        admin1_pcode: None,
        line_of_effort: nonempty(&q.line_of_effort),
        requesting_member: member,
        category: nonempty(&q.category),
    };
    let page = tri!(
        st.store
            .requirements_page(&p.principal, &filter, q.cursor.as_deref(), PAGE)
            .await,
        p
    );
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let categories = tri!(st.store.item_categories().await, p);
    let members = tri!(st.store.list_members().await, p);
    let name_of = |code: &str| {
        members
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };
    let rows: Vec<_> = page
        .items
        .iter()
        .map(|f| {
            json!({
                "r": requirement_json(&f.requirement),
                "s": summary_json(&f.summary, &f.requirement.measure),
                "requester": name_of(&f.requirement.requesting_member),
                "line": lines
                    .iter()
                    .find(|l| l.slug == f.requirement.line_of_effort)
                    .map_or(f.requirement.line_of_effort.as_str(), |l| l.name.as_str()),
                "category": categories
                    .iter()
                    .find(|c| c.slug == f.requirement.category)
                    .map_or(f.requirement.category.as_str(), |c| c.name.as_str()),
                "open_gap": f.summary.gap > 0,
            })
        })
        .collect();
    let qs = q.query_string();
    let next = page.next.map(|c| {
        if qs.is_empty() {
            format!("cursor={}", urlencode(&c))
        } else {
            format!("{qs}&cursor={}", urlencode(&c))
        }
    });
    let ctx = context! {
        title => p.t("req-list-title"),
        q => Value::from_serialize(&q),
        rows => Value::from_serialize(&rows),
        lines => Value::from_serialize(&lines),
        categories => Value::from_serialize(&categories),
        members => Value::from_serialize(&members),
        can_write => p.principal.role.can_write_records(),
        next,
        qs,
    };
    html(
        Some(&p),
        StatusCode::OK,
        "requirements.html",
        ctx,
        st.secure_cookies,
    )
}
