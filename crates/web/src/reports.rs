//! Information-sharing pages (issue 6): reports (list, write, read with the
//! marking banner at top and bottom), entity pages (particulars, every
//! readable report about the entity, its correlations and relationships),
//! and search. Names are shown with `dir="auto"`, so Arabic reads right to
//! left. Everything shown comes from the store's readable-only reads.

use super::{api_error_page, bad_id_page, csrf_rejection, html, i18n, rel_to_tokens, Page};
use crate::form::Form;
use crate::needs::FieldErrors;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::reports::{correlations_of, search_filter};
use coalesce_app::wire::MarkingWire;
use coalesce_app::wire_reports::{EntityIn, EntityOut, ReportOut, SearchHitOut, SearchQuery};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::reports::{
    Commodity, EntityKind, LegRole, Payment, Quantity, Report, ReportDetails, ReportDraft,
    ReportKind, RouteLeg,
};
use coalesce_domain::source::Subject;
use coalesce_store::reports::SearchResults;
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

fn check_id(id: &str, p: &Page) -> Option<Response> {
    bad_id_page(id, "no such record, or not releasable to you", p)
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    ReportKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    cursor: Option<String>,
}

pub(crate) async fn list(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ListQuery>,
) -> Response {
    let kind = match q.kind.trim() {
        "" => None,
        k => match ReportKind::parse(k) {
            Ok(k) => Some(k),
            Err(e) => return api_error_page(e.into(), Some(&p)),
        },
    };
    let page = tri!(
        st.store
            .list_reports(&p.principal, kind, None, q.cursor.as_deref(), 50)
            .await,
        p
    );
    let count = tri!(st.store.count_reports(&p.principal).await, p);
    let items: Vec<ReportOut> = page.items.into_iter().map(Into::into).collect();
    let ctx = context! {
        title => p.t("reports-title"),
        items => Value::from_serialize(&items),
        count,
        kinds => kinds(),
        kind => q.kind,
        next => page.next,
        taxii_root => format!("/taxii2/{}/", coalesce_app::taxii::API_ROOT),
        taxii_collection => coalesce_app::taxii::COLLECTION_ID,
    };
    html(
        Some(&p),
        StatusCode::OK,
        "reports.html",
        ctx,
        st.secure_cookies,
    )
}

/// The report form: the report and, optionally, the person, organisation
/// or vessel it is about (created with it).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    occurred_on: String,
    /// The line of effort it is filed under (a slug), or none.
    #[serde(default)]
    line_of_effort: String,
    /// A report about people: the last day its personal data is kept.
    #[serde(default)]
    retain_until: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    rel_to: String,
    /// About an existing entity (its id), …
    #[serde(default)]
    entity_id: String,
    /// … or a new one.
    #[serde(default)]
    entity_kind: String,
    #[serde(default)]
    entity_name: String,
    #[serde(default)]
    entity_aliases: String,
    #[serde(default)]
    entity_birth_date: String,
    #[serde(default)]
    entity_nationality: String,
    #[serde(default)]
    entity_documents: String,
    #[serde(default)]
    entity_imo: String,
    #[serde(default)]
    role: String,
    /// Details (travel and financing): the route.
    #[serde(default)]
    route_origin: String,
    #[serde(default)]
    route_transit: String,
    #[serde(default)]
    route_destination: String,
    #[serde(default)]
    route_departed: String,
    #[serde(default)]
    route_arrived: String,
    /// Travel: documents used, one a line.
    #[serde(default)]
    documents: String,
    /// Financing.
    #[serde(default)]
    commodity: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    quantity_unit: String,
    #[serde(default)]
    payment: String,
    #[serde(default)]
    payment_currency: String,
    #[serde(default)]
    payment_date: String,
    /// Counter-messaging, one a line.
    #[serde(default)]
    narratives: String,
    #[serde(default)]
    channels: String,
    /// Editing: the version the form was filled from.
    #[serde(default)]
    if_version: String,
    /// After a conflict: the fields whose newer values to keep.
    #[serde(default)]
    take_theirs: String,
}

crate::merge::merge_forms!(ReportForm);

/// The fields of the report form a merge compares, in form order, and the
/// message that labels each.
const MERGED_FIELDS: [(&str, &str); 22] = [
    ("kind", "reports-kind"),
    ("title", "report-form-title-field"),
    ("body", "report-form-text"),
    ("occurred_on", "report-form-occurred-on"),
    ("line_of_effort", "needs-line"),
    ("retain_until", "report-form-retain-until"),
    ("route_origin", "report-form-route-origin"),
    ("route_departed", "report-form-route-departed"),
    ("route_transit", "report-form-route-transit"),
    ("route_destination", "report-form-route-destination"),
    ("route_arrived", "report-form-route-arrived"),
    ("documents", "report-form-documents"),
    ("commodity", "report-form-commodity"),
    ("quantity", "report-form-quantity"),
    ("quantity_unit", "report-form-quantity-unit"),
    ("payment", "report-form-payment"),
    ("payment_currency", "report-form-payment-currency"),
    ("payment_date", "report-form-payment-date"),
    ("narratives", "report-form-narratives"),
    ("channels", "report-form-channels"),
    ("tlp", "marking-tlp"),
    ("rel_to", "req-field-rel_to"),
];

fn merged_fields() -> Vec<&'static str> {
    MERGED_FIELDS.iter().map(|(f, _)| *f).collect()
}

fn merged_label(p: &Page, field: &str) -> String {
    MERGED_FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, id)| p.t(id))
        .unwrap_or_else(|| field.to_string())
}

/// The form's input a domain error is about (`form`: none of them).
fn report_field(e: &coalesce_domain::DomainError) -> &'static str {
    use coalesce_domain::DomainError as D;
    match e {
        D::InvalidField { field, .. } => match *field {
            "kind" => "kind",
            "title" => "title",
            "body" => "body",
            "occurred_on" => "occurred_on",
            "line_of_effort" => "line_of_effort",
            "retain_until" => "retain_until",
            "details" => "kind",
            f if f.starts_with("details.route") => "route_origin",
            "details.documents" => "documents",
            "details.commodity" => "commodity",
            "details.quantity" => "quantity",
            "currency" | "details.payments.currency" => "payment_currency",
            f if f.starts_with("details.payments") => "payment",
            "details.narratives" => "narratives",
            "details.channels" => "channels",
            "entities.role" => "role",
            _ => "form",
        },
        D::InvalidTlp(_) => "tlp",
        D::InvalidAudienceToken(_) | D::UnknownAudienceToken(_) => "rel_to",
        _ => "form",
    }
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

impl ReportForm {
    /// The form filled in from a report as it is now (to edit it); its
    /// links to entities are kept as they are, not shown as fields.
    fn of(r: &Report) -> Self {
        let leg = |role: LegRole| r.details.route.iter().find(|l| l.role == role);
        let payment = r.details.payments.first();
        ReportForm {
            kind: r.kind.as_str().into(),
            title: r.title.clone(),
            body: r.body.clone(),
            occurred_on: r.occurred_on.clone().unwrap_or_default(),
            line_of_effort: r.line_of_effort.clone().unwrap_or_default(),
            retain_until: r.retain_until.clone().unwrap_or_default(),
            tlp: r.marking.tlp.as_str().into(),
            rel_to: crate::merge::rel_to_field(&r.marking),
            route_origin: leg(LegRole::Origin)
                .map(|l| l.country.clone())
                .unwrap_or_default(),
            route_departed: leg(LegRole::Origin)
                .and_then(|l| l.date.clone())
                .unwrap_or_default(),
            route_transit: r
                .details
                .route
                .iter()
                .filter(|l| l.role == LegRole::Transit)
                .map(|l| l.country.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            route_destination: leg(LegRole::Destination)
                .map(|l| l.country.clone())
                .unwrap_or_default(),
            route_arrived: leg(LegRole::Destination)
                .and_then(|l| l.date.clone())
                .unwrap_or_default(),
            documents: r.details.documents.join("\n"),
            commodity: r
                .details
                .commodity
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            quantity: r
                .details
                .quantity
                .as_ref()
                .map(|q| q.amount.to_string())
                .unwrap_or_default(),
            quantity_unit: r
                .details
                .quantity
                .as_ref()
                .map(|q| q.unit.clone())
                .unwrap_or_default(),
            payment: payment
                .map(|p| coalesce_exchange::money::format_minor(p.amount, &p.currency))
                .unwrap_or_default(),
            payment_currency: payment.map(|p| p.currency.clone()).unwrap_or_default(),
            payment_date: payment.and_then(|p| p.date.clone()).unwrap_or_default(),
            narratives: r.details.narratives.join("\n"),
            channels: r.details.channels.join("\n"),
            if_version: r.version.to_string(),
            ..ReportForm::default()
        }
    }

    /// Whether the form shows every detail of the report: one made through
    /// the API may hold what the form has no field for (several payments,
    /// a dated transit leg); such a report is changed through the API, so
    /// that saving the form never drops what it did not show.
    fn shows_all_of(r: &Report) -> bool {
        ReportForm::of(r)
            .details_as_filled()
            .is_ok_and(|d| d == r.details)
    }

    /// The draft and new entity, or every error of the form at once (each
    /// field checked on its own, by the rules the draft applies).
    fn checked(
        &self,
    ) -> Result<
        (
            ReportDraft,
            Vec<(coalesce_domain::reports::EntityDraft, String)>,
        ),
        FieldErrors,
    > {
        use coalesce_domain::reports::{MAX_BODY, MAX_TITLE};
        use coalesce_domain::text;
        let mut e = FieldErrors::default();
        let domain = |e: &mut FieldErrors, r: Result<(), coalesce_domain::DomainError>| {
            if let Err(err) = r {
                e.keep(report_field(&err), Err::<(), _>(err));
            }
        };
        let kind = ReportKind::parse(&self.kind);
        if let Err(err) = &kind {
            e.keep("kind", Err::<(), _>(err.to_string()));
        }
        domain(
            &mut e,
            text::required_line("title", &self.title, MAX_TITLE).map(|_| ()),
        );
        domain(&mut e, text::body("body", &self.body, MAX_BODY).map(|_| ()));
        for (field, v) in [
            ("occurred_on", &self.occurred_on),
            ("retain_until", &self.retain_until),
        ] {
            if !v.trim().is_empty() {
                domain(&mut e, text::iso_date(field, v.trim()).map(|_| ()));
            }
        }
        domain(
            &mut e,
            coalesce_domain::Marking::parse(&self.tlp, &rel_to_tokens(&self.rel_to)).map(|_| ()),
        );
        if let Ok(kind) = kind {
            domain(
                &mut e,
                self.details().and_then(|d| d.checked(kind)).map(|_| ()),
            );
        }
        if !e.is_empty() {
            return Err(e);
        }
        // What only the whole draft can tell (a new entity's particulars).
        self.to_wire().and_then(|w| w.parts()).map_err(|err| {
            let mut e = FieldErrors::default();
            let field = if self.entity_id.trim().is_empty() && !self.entity_name.trim().is_empty() {
                "entity_name"
            } else {
                "form"
            };
            e.keep(field, Err::<(), _>(err.detail));
            e
        })
    }

    fn to_wire(&self) -> Result<coalesce_app::wire_reports::ReportIn, ApiError> {
        let marking = MarkingWire {
            tlp: self.tlp.clone(),
            rel_to: rel_to_tokens(&self.rel_to),
        };
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut entities = Vec::new();
        if let Some(id) = opt(&self.entity_id) {
            entities.push(coalesce_app::wire_reports::LinkIn {
                id: Some(id),
                entity: None,
                role: self.role.clone(),
            });
        } else if !self.entity_name.trim().is_empty() {
            entities.push(coalesce_app::wire_reports::LinkIn {
                id: None,
                entity: Some(EntityIn {
                    kind: self.entity_kind.clone(),
                    name: self.entity_name.clone(),
                    aliases: lines(&self.entity_aliases),
                    birth_date: opt(&self.entity_birth_date),
                    nationality: opt(&self.entity_nationality).map(|c| c.to_ascii_uppercase()),
                    documents: lines(&self.entity_documents),
                    imo: opt(&self.entity_imo),
                    mmsi: None,
                    flag: None,
                    marking: marking.clone(),
                    // A new person is kept as long as the report about them.
                    retain_until: opt(&self.retain_until)
                        .filter(|_| self.entity_kind == EntityKind::Person.as_str()),
                    if_version: None,
                }),
                role: self.role.clone(),
            });
        }
        let details = self.details().map_err(ApiError::from)?;
        Ok(coalesce_app::wire_reports::ReportIn {
            kind: self.kind.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            line_of_effort: opt(&self.line_of_effort),
            occurred_on: opt(&self.occurred_on),
            marking,
            entities,
            details: Some(details),
            retain_until: opt(&self.retain_until),
            if_version: None,
        })
    }

    /// The form without the detail fields its kind has not: the page hides
    /// them (a kind chosen, then changed, leaves what was typed in the
    /// other kind's fields), so they are not the writer's to send.
    fn for_its_kind(&self) -> ReportForm {
        let mut f = self.clone();
        let Ok(kind) = ReportKind::parse(&f.kind) else {
            return f;
        };
        let has = |field: &str| kind.detail_fields().contains(&field);
        if !has("route") {
            for v in [
                &mut f.route_origin,
                &mut f.route_departed,
                &mut f.route_transit,
                &mut f.route_destination,
                &mut f.route_arrived,
            ] {
                v.clear();
            }
        }
        if !has("documents") {
            f.documents.clear();
        }
        if !has("commodity") {
            f.commodity.clear();
        }
        if !has("quantity") {
            f.quantity.clear();
            f.quantity_unit.clear();
        }
        if !has("payments") {
            f.payment.clear();
            f.payment_currency.clear();
            f.payment_date.clear();
        }
        if !has("narratives") {
            f.narratives.clear();
        }
        if !has("channels") {
            f.channels.clear();
        }
        f
    }

    /// The details of the report's kind the form fills in.
    fn details(&self) -> Result<ReportDetails, coalesce_domain::DomainError> {
        self.for_its_kind().details_as_filled()
    }

    /// The details as filled in (empty fields left out; the domain refuses
    /// those that do not belong to the report's kind).
    fn details_as_filled(&self) -> Result<ReportDetails, coalesce_domain::DomainError> {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let bad = |field: &'static str, reason: String| {
            coalesce_domain::DomainError::InvalidField { field, reason }
        };
        let leg = |country: &str, role, date: Option<String>| RouteLeg {
            country: country.trim().to_ascii_uppercase(),
            role,
            date,
        };
        let mut route = Vec::new();
        if let Some(c) = opt(&self.route_origin) {
            route.push(leg(&c, LegRole::Origin, opt(&self.route_departed)));
        }
        for c in self
            .route_transit
            .split(|ch: char| ch == ',' || ch.is_whitespace())
            .filter(|c| !c.is_empty())
        {
            route.push(leg(c, LegRole::Transit, None));
        }
        if let Some(c) = opt(&self.route_destination) {
            route.push(leg(&c, LegRole::Destination, opt(&self.route_arrived)));
        }
        let commodity = match opt(&self.commodity) {
            None => None,
            Some(c) => Some(
                serde_json::from_value::<Commodity>(serde_json::json!(c))
                    .map_err(|_| bad("details.commodity", format!("unknown commodity {c:?}")))?,
            ),
        };
        let quantity = match opt(&self.quantity) {
            None => None,
            Some(q) => Some(Quantity {
                amount: coalesce_exchange::money::parse_integer(&q).ok_or_else(|| {
                    bad("details.quantity", format!("{q:?} is not a whole number"))
                })?,
                unit: self.quantity_unit.trim().to_string(),
            }),
        };
        let mut payments = Vec::new();
        if let Some(a) = opt(&self.payment) {
            let currency = self.payment_currency.trim().to_ascii_uppercase();
            let amount = coalesce_exchange::money::parse_major(&a, &currency)
                .map_err(|e| bad("details.payments", format!("{a:?} {currency}: {e}")))?;
            payments.push(Payment {
                amount,
                currency,
                date: opt(&self.payment_date),
            });
        }
        Ok(ReportDetails {
            route,
            documents: lines(&self.documents),
            commodity,
            quantity,
            payments,
            narratives: lines(&self.narratives),
            channels: lines(&self.channels),
        })
    }
}

/// Which report the form edits (none: a new one): its id, the links it
/// keeps, and after a version conflict the merge choice.
#[derive(Default)]
struct Editing<'a> {
    id: Option<&'a str>,
    links: Vec<Value>,
    conflict: Option<Value>,
}

async fn form_page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: &ReportForm,
    errors: FieldErrors,
    editing: Editing<'_>,
) -> Response {
    let title = if editing.id.is_some() {
        p.t("report-edit-title")
    } else {
        p.t("report-form-title")
    };
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let ctx = context! {
        title,
        form => Value::from_serialize(form),
        kinds => kinds(),
        lines => Value::from_serialize(&lines),
        parts => kinds_by_detail(),
        entity_kinds => EntityKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        retention_days => st.store.retention_days(),
        errors => Value::from_serialize(&errors),
        editing => editing.id,
        links => editing.links,
        conflict => editing.conflict,
    };
    html(Some(p), status, "report_form.html", ctx, st.secure_cookies)
}

/// For each detail field, the kinds of report that have it: the form marks
/// each part with them, and its style sheet shows only the chosen kind's.
fn kinds_by_detail() -> std::collections::BTreeMap<&'static str, Vec<&'static str>> {
    let mut by: std::collections::BTreeMap<&'static str, Vec<&'static str>> = Default::default();
    by.insert("any", Vec::new());
    for k in ReportKind::ALL {
        for f in k.detail_fields() {
            by.entry(f).or_default().push(k.as_str());
        }
        if !k.detail_fields().is_empty() {
            by.entry("any").or_default().push(k.as_str());
        }
    }
    by
}

pub(crate) async fn new(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<NewQuery>,
) -> Response {
    // Without a kind, the first step: what is being reported (a form
    // that works without JavaScript; the second step can still change it).
    let Some(kind) = q.kind.as_deref().and_then(|k| ReportKind::parse(k).ok()) else {
        let ctx = context! {
            title => p.t("report-form-title"),
            kinds => kinds(),
            entity => q.entity,
        };
        return html(
            Some(&p),
            StatusCode::OK,
            "report_kind.html",
            ctx,
            st.secure_cookies,
        );
    };
    let form = ReportForm {
        kind: kind.as_str().into(),
        tlp: "AMBER".into(),
        entity_kind: "person".into(),
        entity_id: q.entity.unwrap_or_default(),
        role: "subject".into(),
        ..ReportForm::default()
    };
    form_page(
        &st,
        &p,
        StatusCode::OK,
        &form,
        FieldErrors::default(),
        Editing::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewQuery {
    entity: Option<String>,
    kind: Option<String>,
}

pub(crate) async fn create(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<ReportForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let (d, new) = match f.checked() {
        Ok(parts) => parts,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return form_page(&st, &p, status, &f, errors, Editing::default()).await;
        }
    };
    let created = st
        .store
        .create_report_with_entities(&p.principal, &d, &new, coalesce_store::now_ms())
        .await;
    match created {
        Ok(r) => Redirect::to(&format!("/reports/{}", r.id)).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            let mut errors = FieldErrors::default();
            errors.keep("form", Err::<(), _>(e.detail));
            form_page(&st, &p, e.status, &f, errors, Editing::default()).await
        }
    }
}

/// The links of a report as its editor reads them, for the form.
fn links_shown(r: &Report) -> Vec<Value> {
    r.entities
        .iter()
        .map(|l| context! { id => l.entity_id.clone(), role => l.role.clone() })
        .collect()
}

/// The form filled in from the report as it is now (its origin's
/// writers). A report holding details the form has no field for is
/// changed through the API instead, said so.
pub(crate) async fn edit(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(st.store.get_report(&p.principal, &id).await, p);
    if let Some(refused) = refuse_edit(&p, &r) {
        return refused;
    }
    let editing = Editing {
        id: Some(&id),
        links: links_shown(&r),
        conflict: None,
    };
    let form = ReportForm::of(&r);
    form_page(
        &st,
        &p,
        StatusCode::OK,
        &form,
        FieldErrors::default(),
        editing,
    )
    .await
}

/// Why this reader may not edit this report in the form, as a page.
fn refuse_edit(p: &Page, r: &Report) -> Option<Response> {
    if !p.principal.role.can_write_records() || r.origin != p.principal.member.as_str() {
        return Some(api_error_page(
            ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only its origin's writers change a report",
            ),
            Some(p),
        ));
    }
    if !ReportForm::shows_all_of(r) {
        return Some(api_error_page(
            ApiError::new(
                StatusCode::CONFLICT,
                "details_not_in_form",
                format!(
                    "this report holds details the form has no field for (several payments, or dates on transit legs); change it through the API: PUT /api/v1/reports/{}",
                    r.id
                ),
            ),
            Some(p),
        ));
    }
    None
}

/// Saves an edited report as its next version, against the version the
/// form was filled from; its links to entities are kept. After another
/// version was saved meanwhile, the form comes back as the merge choice
/// (`merge.rs`); the fields the writer chose there (`take_theirs`) are
/// taken from the version now current.
pub(crate) async fn update(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ReportForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let now = tri!(st.store.get_report(&p.principal, &id).await, p);
    if let Some(refused) = refuse_edit(&p, &now) {
        return refused;
    }
    let fields = merged_fields();
    let mut f = crate::merge::taking_chosen(f, &ReportForm::of(&now), &fields);
    // The links are not fields of the form: kept as they are.
    f.entity_id.clear();
    f.entity_name.clear();
    let editing = |conflict| Editing {
        id: Some(&id),
        links: links_shown(&now),
        conflict,
    };
    let d = match f.checked() {
        Ok((d, _)) => ReportDraft {
            entities: now.entities.clone(),
            ..d
        },
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return form_page(&st, &p, status, &f, errors, editing(None)).await;
        }
    };
    let if_version = f.if_version.trim().parse::<i64>().ok();
    let e = match st
        .store
        .update_report(&p.principal, &id, &d, if_version)
        .await
    {
        Ok(r) => return Redirect::to(&format!("/reports/{}", r.id)).into_response(),
        Err(e) => ApiError::from(e),
    };
    if e.code == "version_conflict" {
        let now = tri!(st.store.get_report(&p.principal, &id).await, p);
        let conflict = crate::merge::against_newer(
            &mut f,
            &ReportForm::of(&now),
            &fields,
            crate::merge::Newer::new(now.version, &now.updated_by, now.updated_at_ms),
            |field| merged_label(&p, field),
        );
        return form_page(
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
    errors.keep("form", Err::<(), _>(e.detail.clone()));
    form_page(&st, &p, e.status, &f, errors, editing(None)).await
}

pub(crate) async fn show(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(st.store.get_report(&p.principal, &id).await, p);
    let mut linked = Vec::new();
    let mut parties = Vec::new();
    for l in &r.entities {
        // An entity outside the viewer's audience is left out (the report
        // itself is readable).
        let e = match st.store.get_entity(&p.principal, &l.entity_id).await {
            Ok(e) => e,
            Err(coalesce_store::StoreError::NotFound) => continue,
            Err(e) => return api_error_page(e.into(), Some(&p)),
        };
        parties.extend(coalesce_app::screening::entity_party(&e, &l.role));
        linked.push(
            context! { role => l.role.clone(), e => Value::from_serialize(EntityOut::from(e)) },
        );
    }
    let screening = crate::screen::record_screening(&st, &p, parties).await;
    let payments: Vec<String> = r
        .details
        .payments
        .iter()
        .map(|pay| {
            let when = pay
                .date
                .as_deref()
                .map(|d| {
                    let on = i18n::args([("date", FluentValue::from(d))]);
                    format!(" {}", i18n::tr(p.lang, "report-payment-on", Some(&on)))
                })
                .unwrap_or_default();
            format!(
                "{} {}{when}",
                coalesce_exchange::money::format_minor(pay.amount, &pay.currency),
                pay.currency
            )
        })
        .collect();
    let commodity = r
        .details
        .commodity
        .map(|c| p.t(&format!("report-commodity-{}", c.as_str())));
    let r: ReportOut = r.into();
    let ctx = context! {
        title => r.title.clone(),
        kind_label => ReportKind::parse(&r.kind).map(|k| p.t(&format!("report-kind-{}", k.as_str()))).unwrap_or_default(),
        r => Value::from_serialize(&r),
        cited => crate::cited(&st, Subject::Record(id.clone())).await,
        linked,
        payments,
        commodity,
        screening,
        back => format!("/reports/{id}"),
        can_decide => p.principal.role.can_write_records(),
        // Its origin's writers withdraw it, and purge its personal data.
        can_withdraw => p.principal.role.can_write_records() && r.origin == p.principal.member.as_str(),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "report.html",
        ctx,
        st.secure_cookies,
    )
}

/// Withdraws a report (its origin's writers): it leaves the lists and the
/// search index (its versions are kept in the store); the reader lands on
/// the list.
pub(crate) async fn withdraw(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<super::CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    match st.store.withdraw_report(&p.principal, &id).await {
        Ok(()) => Redirect::to("/reports").into_response(),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}

/// The confirmation of a purge (its origin's writers): what will go,
/// that it reaches every copy and cannot be undone, and the button that
/// does it. A purge is never one click away from a record's page.
pub(crate) async fn confirm_purge_report(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let r = tri!(st.store.get_report(&p.principal, &id).await, p);
    confirm_purge(
        &st,
        &p,
        PurgeTarget {
            kind: "report",
            path: format!("/reports/{id}"),
            name: r.title.clone(),
            origin: r.origin.clone(),
            retain_until: r.retain_until.clone(),
            purged_on: r.purged_on.clone(),
        },
    )
}

pub(crate) async fn confirm_purge_entity(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let e = tri!(st.store.get_entity(&p.principal, &id).await, p);
    confirm_purge(
        &st,
        &p,
        PurgeTarget {
            kind: "entity",
            path: format!("/entities/{id}"),
            name: e.name.clone(),
            origin: e.origin.clone(),
            retain_until: e.retain_until.clone(),
            purged_on: e.purged_on.clone(),
        },
    )
}

/// What a purge confirmation names.
struct PurgeTarget {
    kind: &'static str,
    path: String,
    name: String,
    origin: String,
    retain_until: Option<String>,
    purged_on: Option<String>,
}

fn confirm_purge(st: &AppState, p: &Page, t: PurgeTarget) -> Response {
    if !(p.principal.role.can_write_records() && t.origin == p.principal.member.as_str()) {
        return api_error_page(
            coalesce_store::StoreError::Forbidden(
                "only the record's origin member's writers purge its personal data".into(),
            )
            .into(),
            Some(p),
        );
    }
    let ctx = context! {
        title => p.t("personal-purge-title"),
        kind => t.kind,
        path => t.path,
        name => t.name,
        retain_until => t.retain_until,
        purged_on => t.purged_on,
    };
    html(
        Some(p),
        StatusCode::OK,
        "purge_confirm.html",
        ctx,
        st.secure_cookies,
    )
}

/// The purge form: the CSRF token and the confirmation the page's button
/// sends (a post without it purges nothing and shows the page).
#[derive(Debug, Deserialize)]
pub(crate) struct PurgeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

/// Purges the personal data of a report or a person now (its origin's
/// writers), once confirmed: the reader lands on the report, or on the
/// list of entities (a purged person is withdrawn).
pub(crate) async fn purge_report(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PurgeForm>,
) -> Response {
    purge(
        &st,
        &p,
        &headers,
        "report",
        &id,
        &f,
        format!("/reports/{id}"),
    )
    .await
}

pub(crate) async fn purge_entity(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PurgeForm>,
) -> Response {
    purge(&st, &p, &headers, "entity", &id, &f, "/entities".into()).await
}

async fn purge(
    st: &AppState,
    p: &Page,
    headers: &HeaderMap,
    kind: &str,
    id: &str,
    f: &PurgeForm,
    then: String,
) -> Response {
    if let Some(r) = csrf_rejection(headers, &f.csrf) {
        return r;
    }
    if let Some(r) = check_id(id, p) {
        return r;
    }
    if f.confirm != "purge" {
        let page = if kind == "report" {
            "reports"
        } else {
            "entities"
        };
        return Redirect::to(&format!("/{page}/{id}/purge")).into_response();
    }
    match st.store.purge_record_now(&p.principal, kind, id).await {
        Ok(_) => Redirect::to(&then).into_response(),
        Err(e) => api_error_page(e.into(), Some(p)),
    }
}

pub(crate) async fn entity(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let e = tri!(st.store.get_entity(&p.principal, &id).await, p);
    let screening = crate::screen::record_screening(
        &st,
        &p,
        coalesce_app::screening::entity_party(&e, "subject")
            .into_iter()
            .collect(),
    )
    .await;
    let reports = tri!(
        st.store
            .list_reports(&p.principal, None, Some(&id), None, 200)
            .await,
        p
    );
    let correlations = match correlations_of(&st, &p.principal, &id).await {
        Ok(c) => c,
        Err(e) => return api_error_page(e, Some(&p)),
    };
    let relationships = tri!(st.store.relationships_of(&p.principal, &id).await, p);
    let mut rels = Vec::new();
    for x in relationships {
        let other = if x.body.from == id {
            &x.body.to
        } else {
            &x.body.from
        };
        let name = st
            .store
            .get_entity(&p.principal, other)
            .await
            .map(|o| o.name)
            .unwrap_or_default();
        rels.push(context! {
            kind => x.body.relationship_type.as_str(), outgoing => x.body.from == id, other => other.clone(), name,
            note => x.body.note.clone(), banner => coalesce_app::wire_needs::banner(&x.origin, &x.marking),
        });
    }
    let e: EntityOut = e.into();
    let reports: Vec<ReportOut> = reports.items.into_iter().map(Into::into).collect();
    let ctx = context! {
        title => e.name.clone(),
        e => Value::from_serialize(&e),
        cited => crate::cited(&st, Subject::Record(id.clone())).await,
        reports => Value::from_serialize(&reports),
        correlations => Value::from_serialize(&correlations),
        rels,
        screening,
        back => format!("/entities/{id}"),
        can_decide => p.principal.role.can_write_records(),
        can_purge => p.principal.role.can_write_records() && e.origin == p.principal.member.as_str(),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "entity.html",
        ctx,
        st.secure_cookies,
    )
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    record: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    line_of_effort: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    tlp: String,
}

impl SearchForm {
    fn fields(&self) -> [(&'static str, &String); 8] {
        [
            ("q", &self.q),
            ("record", &self.record),
            ("kind", &self.kind),
            ("member", &self.member),
            ("line_of_effort", &self.line_of_effort),
            ("from", &self.from),
            ("until", &self.until),
            ("tlp", &self.tlp),
        ]
    }

    /// The search as a query string, with `field` set to `value` (a facet's
    /// link), or as it is when `field` is empty.
    fn query_string_with(&self, field: &str, value: &str) -> String {
        self.fields()
            .iter()
            .map(|(k, v)| (*k, if *k == field { value } else { v.as_str() }))
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::needs::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One facet of the results: a value of a field, how many hits have it,
/// and the search narrowed to it.
fn facet(form: &SearchForm, field: &str, values: Vec<(String, String)>) -> Vec<Value> {
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    for (value, label) in values {
        match counts.iter_mut().find(|c| c.0 == value) {
            Some(c) => c.2 += 1,
            None => counts.push((value, label, 1)),
        }
    }
    counts.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    counts
        .into_iter()
        .map(|(value, label, n)| {
            context! { label, n, href => format!("/search?{}", form.query_string_with(field, &value)) }
        })
        .collect()
}

/// Search: forgiving of how names are spelled (the screening matcher's
/// spellings of readable entities' names are searched for too, and said),
/// each hit with a snippet of where its words are, facets of the results
/// (kind, member, line of effort, marking) that narrow the search, and the
/// user's saved searches.
pub(crate) async fn search(
    State(st): State<AppState>,
    p: Page,
    Query(f): Query<SearchForm>,
) -> Response {
    search_page(&st, &p, f, None).await
}

async fn search_page(
    st: &AppState,
    p: &Page,
    f: SearchForm,
    save_error: Option<String>,
) -> Response {
    let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
    let q = SearchQuery {
        q: f.q.clone(),
        record: opt(&f.record),
        kind: opt(&f.kind),
        member: opt(&f.member),
        line_of_effort: opt(&f.line_of_effort),
        from: opt(&f.from),
        until: opt(&f.until),
        tlp: opt(&f.tlp),
        limit: None,
    };
    let (status, found, error) = if f.q.trim().is_empty() {
        (StatusCode::OK, SearchResults::default(), None)
    } else {
        match search_filter(&q) {
            Ok(filter) => match st
                .store
                .search_with_spellings(&p.principal, &f.q, &filter, 100)
                .await
            {
                Ok(found) => (StatusCode::OK, found, None),
                Err(e) => {
                    let e = ApiError::from(e);
                    (e.status, SearchResults::default(), Some(e.detail))
                }
            },
            Err(e) => (e.status, SearchResults::default(), Some(e.detail)),
        }
    };
    let saved = tri!(st.store.saved_searches(&p.principal).await, *p);
    let lines = tri!(st.store.list_lines_of_effort().await, *p);
    let members = tri!(st.store.list_members().await, *p);
    let member_name = |code: &str| {
        members
            .iter()
            .find(|m| m.code == code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    };
    let line_name = |slug: &str| {
        lines
            .iter()
            .find(|l| l.slug == slug)
            .map_or_else(|| slug.to_string(), |l| l.name.clone())
    };
    let kind_label = |record: &str, kind: &str| match (record, ReportKind::parse(kind)) {
        ("report", Ok(k)) => p.t(&format!("report-kind-{}", k.as_str())),
        ("entity", _) if EntityKind::ALL.iter().any(|e| e.as_str() == kind) => {
            p.t(&format!("entity-kind-{kind}"))
        }
        _ => kind.to_string(),
    };
    let hits: Vec<Value> = found
        .hits
        .iter()
        .map(|h| {
            let out = SearchHitOut::from(h.clone());
            context! {
                id => &h.id, record => &h.record, kind => kind_label(&h.record, &h.kind),
                title => &h.title, origin => &h.origin, occurred_on => &h.occurred_on,
                tlp => h.marking.tlp.as_str(), banner => out.banner,
                line => h.line_of_effort.as_deref().map(line_name),
                snippet => h.snippet.iter().map(|(t, hit)| context! { t, hit }).collect::<Vec<_>>(),
                title_parts => h.title_parts.iter().map(|(t, hit)| context! { t, hit }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let facets = if found.hits.is_empty() {
        Vec::new()
    } else {
        let h = &found.hits;
        vec![
            context! { key => "search-kind", values => facet(&f, "kind", h.iter().map(|h| (h.kind.clone(), kind_label(&h.record, &h.kind))).collect()) },
            context! { key => "search-member", values => facet(&f, "member", h.iter().map(|h| (h.origin.clone(), member_name(&h.origin))).collect()) },
            context! { key => "search-line", values => facet(&f, "line_of_effort", h.iter().filter_map(|h| h.line_of_effort.as_deref()).map(|l| (l.to_string(), line_name(l))).collect()) },
            context! { key => "search-marking", values => facet(&f, "tlp", h.iter().map(|h| (h.marking.tlp.as_str().to_string(), format!("TLP:{}", h.marking.tlp.as_str()))).collect()) },
        ]
    };
    let ctx = context! {
        title => p.t("search-title"),
        f => Value::from_serialize(&f),
        hits,
        facets,
        respellings => Value::from_serialize(&found.respellings),
        searched => !f.q.trim().is_empty(),
        this_search => f.query_string_with("", ""),
        saved => Value::from_serialize(&saved),
        save_error,
        kinds => kinds(),
        lines => Value::from_serialize(&lines),
        entity_kinds => EntityKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        error,
    };
    let status = if save_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    html(Some(p), status, "search.html", ctx, st.secure_cookies)
}

#[derive(Debug, Deserialize)]
pub(crate) struct SaveSearchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    query: String,
}

/// Saves the search shown (its query string) under a name, then shows it.
pub(crate) async fn save_search(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(form): Form<SaveSearchForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &form.csrf) {
        return r;
    }
    match st
        .store
        .save_search(&p.principal, &form.name, &form.query)
        .await
    {
        Ok(saved) => Redirect::to(&format!("/search?{}", saved.query)).into_response(),
        Err(e) => {
            // The search as it was, with the reason beside the name.
            let again = format!("/search?{}", form.query.trim_start_matches('?'))
                .parse::<axum::http::Uri>()
                .ok()
                .and_then(|uri| Query::<SearchForm>::try_from_uri(&uri).ok())
                .map(|Query(f)| f)
                .unwrap_or_default();
            search_page(&st, &p, again, Some(ApiError::from(e).detail)).await
        }
    }
}

/// Deletes one of the user's saved searches.
pub(crate) async fn delete_saved_search(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<SaveSearchForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &form.csrf) {
        return r;
    }
    tri!(st.store.delete_saved_search(&p.principal, &id).await, p);
    Redirect::to("/search").into_response()
}

/// The kept versions of a report the viewer may read, as a table (the
/// record layer's versions page): each version's title, kind, date and the
/// links the viewer may read, under the marking it had.
pub(crate) async fn report_versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    // From its versions, not the live report: a withdrawn report's
    // versions are kept, and shown to its audience.
    let vs = tri!(st.store.report_versions(&p.principal, &id).await, p);
    let Some(last) = vs.iter().max_by_key(|v| v.version) else {
        return api_error_page(coalesce_store::StoreError::NotFound.into(), Some(&p));
    };
    let text = |field: &str| {
        last.snapshot[field]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let (title, origin, marking) = (text("title"), text("origin"), last.marking.clone());
    versions_page(
        &st,
        &p,
        (
            "reports",
            "report-versions-title",
            &id,
            &title,
            &marking,
            &origin,
        ),
        &[
            "versions-col-title",
            "reports-kind",
            "reports-col-occurred",
            "report-versions-col-entities",
        ],
        vs,
        |s| {
            let links = s["entities"].as_array().map(Vec::len).unwrap_or(0);
            vec![
                s["title"].clone(),
                s["kind"].clone(),
                s["occurred_on"].clone(),
                serde_json::Value::from(links),
            ]
        },
    )
}

/// The kept versions of an entity the viewer may read, as a table.
pub(crate) async fn entity_versions(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = check_id(&id, &p) {
        return r;
    }
    let e = tri!(st.store.get_entity(&p.principal, &id).await, p);
    let vs = tri!(st.store.entity_versions(&p.principal, &id).await, p);
    versions_page(
        &st,
        &p,
        (
            "entities",
            "entity-versions-title",
            &e.id,
            &e.name,
            &e.marking,
            &e.origin,
        ),
        &[
            "parties-name",
            "entity-aliases",
            "entity-nationality",
            "entity-born",
        ],
        vs,
        |s| {
            let aliases: Vec<&str> = s["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str())
                .collect();
            vec![
                s["name"].clone(),
                serde_json::Value::from(aliases.join(" · ")),
                s["nationality"].clone(),
                s["birth_date"].clone(),
            ]
        },
    )
}

/// One row per kept version: its number, status, the marking it had, who
/// changed it when, and the columns `values` takes from its snapshot.
fn version_rows(
    origin: &str,
    vs: Vec<coalesce_store::needs::RecordVersion>,
    values: impl Fn(&serde_json::Value) -> Vec<serde_json::Value>,
) -> Vec<serde_json::Value> {
    let origin = coalesce_domain::MemberCode::parse(origin).ok();
    vs.into_iter()
        .map(|v| {
            // Reports and entities say `withdrawn`, needs records `revoked`.
            let withdrawn = v.snapshot["withdrawn"].as_bool() == Some(true)
                || v.snapshot["revoked"].as_bool() == Some(true);
            serde_json::json!({
                "version": v.version,
                "status": if withdrawn { "withdrawn" } else { "live" },
                "banner": origin.as_ref().map(|o| v.marking.banner(o)).unwrap_or_default(),
                "author": v.updated_by,
                "at": coalesce_app::wire::rfc3339(v.updated_at_ms),
                "values": values(&v.snapshot),
            })
        })
        .collect()
}

/// The versions page of a record (`record_versions.html`): `of` is its
/// path, the message of its title, id, name, current marking and origin;
/// `columns` the messages of the columns' headings, `values` a version's
/// cells under them (from the version's snapshot).
pub(crate) fn versions_page(
    st: &AppState,
    p: &Page,
    of: (&str, &str, &str, &str, &coalesce_domain::Marking, &str),
    columns: &[&str],
    versions: Vec<coalesce_store::needs::RecordVersion>,
    values: impl Fn(&serde_json::Value) -> Vec<serde_json::Value>,
) -> Response {
    let (path, title, id, name, marking, origin) = of;
    let rows = version_rows(origin, versions, values);
    let banner = coalesce_domain::MemberCode::parse(origin)
        .map(|o| marking.banner(&o))
        .unwrap_or_default();
    let view = serde_json::json!({
        "record": {"id": id, "marking": {"tlp": marking.tlp.as_str()}, "banner": banner},
        "fields": [{"value": name}],
    });
    html(
        Some(p),
        StatusCode::OK,
        "record_versions.html",
        context! {
            title => p.t(title),
            path,
            view => Value::from_serialize(&view),
            rows => Value::from_serialize(&rows),
            columns => columns.iter().map(|c| p.t(c)).collect::<Vec<_>>(),
        },
        st.secure_cookies,
    )
}
