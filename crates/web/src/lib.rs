//! The web interface: server-rendered HTML that works without JavaScript.
//!
//! Pages read through the same store calls as the API, so releasability is
//! decided in one place. Forms carry a CSRF token checked against a cookie
//! (double submit); the session cookie is HttpOnly and SameSite=Strict.
//! Templates and the stylesheet are embedded in the binary.

use crate::form::Form;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use coalesce_app::auth::{client_addr, cookie, session_cookie};
use coalesce_app::read_paths::ReadPath;
use coalesce_app::wire::{GroupOut, MemberOut, NoteOut, NoteVersionOut};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::note::NoteDraft;
use coalesce_domain::Marking;
use coalesce_store::Principal;
use minijinja::{context, Environment, Value};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A store or API result in a page handler: the value, or the error page.
macro_rules! tri {
    ($e:expr, $p:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return crate::api_error_page(coalesce_app::ApiError::from(e), Some(&$p)),
        }
    };
}

mod admin;
mod allocation;
mod boundaries;
mod entity_edit;
mod form;
mod i18n;
mod merge;
mod peers;
mod statement_edit;
/// The SVG charts, shared with the plenary report (`coalesce-report`).
pub use coalesce_report::charts;
mod funds;
mod meeting_edit;
mod meetings;
mod needs;
mod notes;
mod records;
mod registry;
mod report;

pub(crate) use notes::{bad_id_page, rel_to_tokens};
use notes::{create_note, edit_note, new_note, note, notes, update_note, versions};
use registry::{group, groups, lines, member, members};
mod reports;
mod screen;

const CSRF_COOKIE: &str = "coalesce_csrf";

static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();

/// Every template, embedded in the binary.
const TEMPLATE_SOURCES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("home.html", include_str!("../templates/home.html")),
    (
        "note_table.html",
        include_str!("../templates/note_table.html"),
    ),
    ("members.html", include_str!("../templates/members.html")),
    ("member.html", include_str!("../templates/member.html")),
    ("groups.html", include_str!("../templates/groups.html")),
    ("group.html", include_str!("../templates/group.html")),
    ("lines.html", include_str!("../templates/lines.html")),
    ("notes.html", include_str!("../templates/notes.html")),
    ("note.html", include_str!("../templates/note.html")),
    ("versions.html", include_str!("../templates/versions.html")),
    (
        "commitment.html",
        include_str!("../templates/commitment.html"),
    ),
    (
        "record_list.html",
        include_str!("../templates/record_list.html"),
    ),
    ("record.html", include_str!("../templates/record.html")),
    (
        "record_form.html",
        include_str!("../templates/record_form.html"),
    ),
    (
        "record_versions.html",
        include_str!("../templates/record_versions.html"),
    ),
    (
        "note_form.html",
        include_str!("../templates/note_form.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
    ("funds.html", include_str!("../templates/funds.html")),
    ("fund.html", include_str!("../templates/fund.html")),
    ("meetings.html", include_str!("../templates/meetings.html")),
    ("meeting.html", include_str!("../templates/meeting.html")),
    (
        "value_form.html",
        include_str!("../templates/value_form.html"),
    ),
    (
        "commitment_form.html",
        include_str!("../templates/commitment_form.html"),
    ),
    (
        "entity_form.html",
        include_str!("../templates/entity_form.html"),
    ),
    (
        "indicator_form.html",
        include_str!("../templates/indicator_form.html"),
    ),
    (
        "statement_form.html",
        include_str!("../templates/statement_form.html"),
    ),
    (
        "meeting_form.html",
        include_str!("../templates/meeting_form.html"),
    ),
    (
        "commitments.html",
        include_str!("../templates/commitments.html"),
    ),
    ("digest.html", include_str!("../templates/digest.html")),
    ("screen.html", include_str!("../templates/screen.html")),
    (
        "_screening.html",
        include_str!("../templates/_screening.html"),
    ),
    ("_parties.html", include_str!("../templates/_parties.html")),
    (
        "screen_list.html",
        include_str!("../templates/screen_list.html"),
    ),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    ("who.html", include_str!("../templates/who.html")),
    ("who_map.html", include_str!("../templates/who_map.html")),
    (
        "_who_filters.html",
        include_str!("../templates/_who_filters.html"),
    ),
    ("import.html", include_str!("../templates/import.html")),
    ("reports.html", include_str!("../templates/reports.html")),
    (
        "report_form.html",
        include_str!("../templates/report_form.html"),
    ),
    (
        "report_kind.html",
        include_str!("../templates/report_kind.html"),
    ),
    ("report.html", include_str!("../templates/report.html")),
    ("entity.html", include_str!("../templates/entity.html")),
    (
        "purge_confirm.html",
        include_str!("../templates/purge_confirm.html"),
    ),
    ("search.html", include_str!("../templates/search.html")),
    (
        "allocation.html",
        include_str!("../templates/allocation.html"),
    ),
    (
        "requirement_form.html",
        include_str!("../templates/requirement_form.html"),
    ),
    (
        "requirement.html",
        include_str!("../templates/requirement.html"),
    ),
    (
        "contribution_form.html",
        include_str!("../templates/contribution_form.html"),
    ),
    (
        "contribution.html",
        include_str!("../templates/contribution.html"),
    ),
    (
        "indicators.html",
        include_str!("../templates/indicators.html"),
    ),
    (
        "indicator.html",
        include_str!("../templates/indicator.html"),
    ),
    (
        "duplication.html",
        include_str!("../templates/duplication.html"),
    ),
    ("_totals.html", include_str!("../templates/_totals.html")),
    ("_marking.html", include_str!("../templates/_marking.html")),
    ("_merge.html", include_str!("../templates/_merge.html")),
    (
        "_currencies.html",
        include_str!("../templates/_currencies.html"),
    ),
    ("_rel_to.html", include_str!("../templates/_rel_to.html")),
    (
        "_form_errors.html",
        include_str!("../templates/_form_errors.html"),
    ),
    ("_label.html", include_str!("../templates/_label.html")),
    ("_source.html", include_str!("../templates/_source.html")),
    ("peers.html", include_str!("../templates/peers.html")),
    (
        "admin_users.html",
        include_str!("../templates/admin_users.html"),
    ),
    (
        "admin_audit.html",
        include_str!("../templates/admin_audit.html"),
    ),
    (
        "admin_tokens.html",
        include_str!("../templates/admin_tokens.html"),
    ),
    (
        "_admin_nav.html",
        include_str!("../templates/_admin_nav.html"),
    ),
    (
        "_shown_once.html",
        include_str!("../templates/_shown_once.html"),
    ),
    (
        "requirements.html",
        include_str!("../templates/requirements.html"),
    ),
    ("_place.html", include_str!("../templates/_place.html")),
    ("_measure.html", include_str!("../templates/_measure.html")),
    (
        "_pledge_fields.html",
        include_str!("../templates/_pledge_fields.html"),
    ),
];

fn env() -> &'static Environment<'static> {
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        for &(name, src) in TEMPLATE_SOURCES {
            if let Err(e) = env.add_template(name, src) {
                tracing::error!(template = name, error = %e, "template does not parse");
            }
        }
        env.add_filter("line_name", |state: &minijinja::State, slug: String| {
            name_in(state, "lines", &slug)
        });
        env.add_filter("category_name", |state: &minijinja::State, slug: String| {
            name_in(state, "categories", &slug)
        });
        // One code, or several joined by ", " (joint contributions).
        env.add_filter("member_name", |state: &minijinja::State, codes: String| {
            codes
                .split(", ")
                .map(|c| name_in(state, "members", c))
                .collect::<Vec<_>>()
                .join(", ")
        });
        // The page's language: `t("id", name=value)` is the message in it,
        // `num` a number and `date` a day as it writes them.
        env.add_function(
            "t",
            |state: &minijinja::State,
             id: String,
             kwargs: minijinja::value::Kwargs|
             -> Result<String, minijinja::Error> {
                let mut args = fluent_bundle::FluentArgs::new();
                for name in kwargs.args() {
                    let v: Value = kwargs.get(name)?;
                    let fv = match (v.as_i64(), f64::try_from(v.clone())) {
                        (Some(n), _) => fluent_bundle::FluentValue::from(n),
                        (None, Ok(x)) if v.kind() == minijinja::value::ValueKind::Number => {
                            fluent_bundle::FluentValue::from(x)
                        }
                        _ => fluent_bundle::FluentValue::from(
                            v.as_str().map_or_else(|| v.to_string(), str::to_string),
                        ),
                    };
                    args.set(name.to_string(), fv);
                }
                Ok(i18n::tr(page_lang(state), &id, Some(&args)))
            },
        );
        env.add_filter("num", |state: &minijinja::State, v: Value| {
            match (v.as_i64(), f64::try_from(v.clone())) {
                (Some(n), _) => i18n::format_number(page_lang(state), n as f64),
                (None, Ok(x)) => i18n::format_number(page_lang(state), x),
                _ => v.to_string(),
            }
        });
        // An audience field's tokens, as the form handlers read them (the
        // REL TO chips are checked by them).
        env.add_filter("audience_tokens", |v: Option<String>| {
            rel_to_tokens(v.as_deref().unwrap_or(""))
        });
        env.add_filter("date", |state: &minijinja::State, iso: String| {
            i18n::format_date(page_lang(state), &iso)
        });
        // A moment or a day as a `<time>`: the day as the reader's language
        // writes it, the UTC moment on hover and in `datetime`.
        env.add_filter("when", |state: &minijinja::State, iso: Option<String>| {
            Value::from_safe_string(when_html(page_lang(state), iso.as_deref().unwrap_or("")))
        });
        // What the place picker offers: every bundled governorate, found by
        // its name in English, French or Arabic.
        env.add_global(
            "place_choices",
            Value::from_serialize(boundaries::choices()),
        );
        // What the unit and currency pickers offer: the suggested units,
        // and every ISO 4217 currency with its name.
        env.add_global(
            "unit_choices",
            Value::from_serialize(coalesce_domain::needs::SUGGESTED_UNITS),
        );
        let currencies: Vec<(String, String)> = coalesce_domain::needs::iso_4217_codes()
            .iter()
            .map(|c| {
                let name = coalesce_ledger::money::Currency::parse(c)
                    .map_or_else(|_| String::new(), |c| c.name());
                (c.to_string(), name)
            })
            .collect();
        env.add_global("currency_choices", Value::from_serialize(currencies));
        env
    })
}

/// The pages of the web interface and its stylesheet.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
        .route("/language", post(choose_language))
        .route("/admin", get(admin::users))
        .route("/admin/users", post(admin::add_user))
        .route("/admin/tokens", get(admin::tokens).post(admin::issue_token))
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/users/{name}/{action}", post(admin::user_action))
        .route("/admin/audit", get(admin::audit))
        .route("/peers", get(peers::show).post(peers::add))
        .route("/peers/{name}/{action}", post(peers::act))
        .route("/members", get(members))
        .route("/members/{code}", get(member))
        .route("/groups", get(groups))
        .route("/groups/{slug}", get(group))
        .route("/lines-of-effort", get(lines))
        .route("/notes", get(notes).post(create_note))
        .route("/notes/new", get(new_note))
        .route("/notes/{id}", get(note).post(update_note))
        .route("/notes/{id}/edit", get(edit_note))
        .route("/notes/{id}/versions", get(versions))
        .route("/lines-of-effort/{slug}", get(needs::dashboard))
        .route("/who", get(needs::who_does_what_where))
        .route("/who/map", get(needs::who_map))
        .route(
            "/requirements",
            get(needs::requirements).post(needs::create_requirement),
        )
        .route("/requirements/new", get(needs::new_requirement))
        .route(
            "/requirements/{id}",
            get(needs::requirement).post(needs::update_requirement),
        )
        .route("/requirements/{id}/edit", get(needs::edit_requirement))
        .route(
            "/requirements/{id}/withdraw",
            post(needs::withdraw_requirement),
        )
        .route(
            "/requirements/{id}/versions",
            get(needs::requirement_versions),
        )
        .route(
            "/requirements/{id}/confirm",
            post(needs::confirm_requirement),
        )
        .route(
            "/contributions",
            get(|uri: Uri| async move {
                // The list of contributions is the who-does-what-where page.
                Redirect::to(&format!(
                    "/who{}",
                    uri.query().map(|q| format!("?{q}")).unwrap_or_default()
                ))
            })
            .post(needs::create_contribution),
        )
        .route("/contributions/new", get(needs::new_contribution))
        .route(
            "/contributions/{id}",
            get(needs::contribution).post(needs::update_contribution),
        )
        .route("/contributions/{id}/edit", get(needs::edit_contribution))
        .route(
            "/contributions/{id}/versions",
            get(needs::contribution_versions),
        )
        .route("/contributions/{id}/step", post(needs::contribution_step))
        .route(
            "/contributions/{id}/parties",
            post(needs::contribution_parties),
        )
        .route(
            "/indicators",
            get(needs::indicators).post(needs::define_indicator),
        )
        .route("/indicators/new", get(needs::new_indicator))
        .route("/indicators/{slug}", get(needs::indicator))
        .route(
            "/indicators/{slug}/edit",
            get(needs::edit_definition).post(needs::redefine),
        )
        .route("/indicators/{slug}/values", post(needs::report_value))
        .route("/indicators/{slug}/values/{id}", post(needs::update_value))
        .route(
            "/indicators/{slug}/values/{id}/edit",
            get(needs::edit_value),
        )
        .route(
            "/indicators/{slug}/values/{id}/versions",
            get(needs::value_versions),
        )
        .route(
            "/indicators/{slug}/values/{id}/withdraw",
            post(needs::withdraw_value),
        )
        .route("/duplication", get(needs::duplication))
        .route("/reports", get(reports::list).post(reports::create))
        .route("/reports/new", get(reports::new))
        .route("/reports/{id}", get(reports::show).post(reports::update))
        .route("/reports/{id}/edit", get(reports::edit))
        .route("/reports/{id}/versions", get(reports::report_versions))
        .route("/reports/{id}/withdraw", post(reports::withdraw))
        .route(
            "/reports/{id}/purge",
            get(reports::confirm_purge_report).post(reports::purge_report),
        )
        .route(
            "/entities/{id}/purge",
            get(reports::confirm_purge_entity).post(reports::purge_entity),
        )
        .route(
            "/entities/{id}",
            get(reports::entity).post(entity_edit::update),
        )
        .route("/entities/{id}/edit", get(entity_edit::edit))
        .route("/entities/{id}/versions", get(reports::entity_versions))
        .route("/search", get(reports::search))
        .route("/search/saved", post(reports::save_search))
        .route(
            "/search/saved/{id}/delete",
            post(reports::delete_saved_search),
        )
        .route("/funds", get(funds::list))
        .route("/funds/{id}", get(funds::show))
        .route("/funds/{id}/operations", post(funds::record))
        .route("/meetings", get(meetings::calendar).post(meetings::create))
        .route(
            "/meetings/{id}",
            get(meetings::show).post(meeting_edit::update),
        )
        .route("/meetings/{id}/edit", get(meeting_edit::edit))
        .route("/meetings/{id}/versions", get(meeting_edit::versions))
        .route("/meetings/{id}/withdraw", post(meeting_edit::withdraw))
        .route("/meetings/{id}/outcomes", post(meetings::add_outcome))
        .route("/meetings/{id}/commitments", post(meetings::add_commitment))
        .route("/meetings/{id}/carry-over", post(meetings::carry_over))
        .route("/commitments", get(meetings::board))
        .route(
            "/commitments/{id}",
            get(meetings::commitment).post(meeting_edit::update_commitment),
        )
        .route("/commitments/{id}/edit", get(meeting_edit::edit_commitment))
        .route(
            "/meetings/{id}/statements",
            axum::routing::post(statement_edit::create),
        )
        .route("/meetings/{id}/statements/new", get(statement_edit::new))
        .route(
            "/statements/{id}",
            get(statement_edit::show).post(statement_edit::update),
        )
        .route("/statements/{id}/edit", get(statement_edit::edit))
        .route("/statements/{id}/versions", get(statement_edit::versions))
        .route(
            "/statements/{id}/withdraw",
            axum::routing::post(statement_edit::withdraw),
        )
        .route(
            "/commitments/{id}/versions",
            get(meeting_edit::commitment_versions),
        )
        .route(
            "/commitments/{id}/withdraw",
            post(meeting_edit::withdraw_commitment),
        )
        .route("/digest", get(meetings::digest))
        .route("/digest/read", post(meetings::read_all))
        .route("/digest/calendar-token", post(meetings::calendar_token))
        .route(
            "/digest/calendar-token/revoke",
            post(meetings::revoke_calendar),
        )
        .route("/report", get(report::page))
        .route("/report.pdf", get(report::pdf))
        .route("/static/report.css", get(report::css))
        .route("/allocation", get(allocation::show))
        .route("/allocation/run", post(allocation::run))
        .route("/allocation/jobs/{id}/cancel", post(allocation::cancel))
        .route(
            "/allocation/proposals/{id}/decision",
            post(allocation::decide),
        )
        .route(
            "/allocation/proposals/{id}/commit",
            post(allocation::commit),
        )
        .route("/import/jobs/{id}/cancel", post(needs::import_cancel))
        .route(
            "/import",
            get(needs::import_form)
                .post(needs::import_submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    coalesce_app::IMPORT_LIMIT,
                ))
                .layer(axum::middleware::from_fn(
                    coalesce_app::refuse_declared_over::<{ coalesce_app::IMPORT_LIMIT }>,
                )),
        )
        .route("/screen", get(screen::show).post(screen::single))
        .route("/screen/batch", post(screen::batch))
        .route("/screen/batch.csv", post(screen::batch_csv))
        .route("/screen/decisions", post(screen::decide))
        .route("/screen/lists/{id}", get(screen::list_changes))
        .route(
            "/static/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    include_str!("../static/app.css"),
                )
            }),
        )
        // The pages of the record layer's kinds (records.rs).
        .merge(records::routes())
        .fallback(no_such_page)
        .method_not_allowed_fallback(no_such_method)
        .layer(axum::middleware::map_response(coalesce_app::no_store))
}

/// Whether a request asks for JSON rather than a page (an API client that
/// strayed outside `/api/v1`): it then gets a problem document.
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !accept.contains("text/html") && accept.contains("json")
}

/// An error outside any route: problem+json for API clients, else a page
/// in the site's layout (with the navigation when the visitor is logged in).
async fn stray(st: &AppState, headers: &HeaderMap, e: ApiError) -> Response {
    if wants_json(headers) {
        return e.into_response();
    }
    let p = page(st, headers).await.ok();
    api_error_page(e, p.as_ref())
}

async fn no_such_page(State(st): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let detail = format!(
        "There is no page at {}. It may have moved, or the link is mistyped.",
        uri.path()
    );
    stray(&st, &headers, ApiError::not_found(detail)).await
}

async fn no_such_method(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let e = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This page does not take that kind of request; follow a link or a form's button instead.",
    );
    stray(&st, &headers, e).await
}

/// The read paths of the record layer's kinds' pages (one set per kind in
/// `records::KINDS`), for the same registry as [`READ_PATHS`].
pub fn record_read_paths() -> Vec<ReadPath> {
    records::read_paths()
}

/// The web interface's read paths, for the registry the releasability
/// property test walks (see `coalesce_app::read_paths`): a new page must
/// say here what it reads, or that test fails.
pub const READ_PATHS: &[ReadPath] = &[
    rp(
        "/",
        &[
            "requirement",
            "contribution",
            "indicator_value",
            "note",
            "allocation_run",
            "commitment",
            "meeting",
            "entity",
        ],
    ),
    rp("/login", &[]),
    rp("/peers", &["registry"]),
    rp("/admin", &["registry"]),
    rp("/admin/audit", &["audit"]),
    rp("/admin/tokens", &["registry"]),
    rp("/members", &["registry"]),
    rp("/members/{code}", &["registry"]),
    rp("/groups", &["registry"]),
    rp("/groups/{slug}", &["registry"]),
    rp("/lines-of-effort", &["registry"]),
    rp("/funds", &["fund"]),
    rp("/funds/{id}", &["fund", "fund_project", "fund_transfer"]),
    rp("/meetings", &["meeting"]),
    rp("/meetings/{id}", FOLLOW_UP),
    rp("/meetings/{id}/edit", &["meeting", "registry"]),
    rp("/meetings/{id}/versions", &["meeting"]),
    rp("/commitments", FOLLOW_UP),
    rp("/commitments/{id}", FOLLOW_UP),
    rp("/commitments/{id}/edit", &["commitment", "registry"]),
    rp("/meetings/{id}/statements/new", &["meeting", "registry"]),
    rp("/statements/{id}", &["statement"]),
    rp("/statements/{id}/edit", &["statement", "registry"]),
    rp("/statements/{id}/versions", &["statement"]),
    rp("/commitments/{id}/versions", &["commitment"]),
    rp("/digest", FOLLOW_UP),
    rp("/notes", &["note"]),
    rp("/notes/new", &["registry"]),
    rp("/notes/{id}", &["note"]),
    rp("/notes/{id}/edit", &["note"]),
    rp("/notes/{id}/versions", &["note"]),
    rp(
        "/lines-of-effort/{slug}",
        &["requirement", "contribution", "indicator_value"],
    ),
    rp("/who", &["requirement", "contribution"]),
    rp("/who/map", &["requirement", "contribution"]),
    rp("/requirements", &["requirement", "contribution"]),
    rp("/contributions", &[]),
    rp("/requirements/new", &["registry"]),
    rp("/requirements/{id}", &["requirement", "contribution"]),
    rp("/requirements/{id}/edit", &["requirement", "registry"]),
    rp("/requirements/{id}/versions", &["requirement"]),
    rp("/contributions/{id}/versions", &["contribution"]),
    rp("/contributions/{id}/edit", &["contribution", "registry"]),
    rp("/contributions/new", &["requirement"]),
    rp(
        "/contributions/{id}",
        &["requirement", "contribution", "screening_decision"],
    ),
    rp("/indicators", &["indicator_value"]),
    rp("/indicators/{slug}", &["indicator_value"]),
    rp("/indicators/new", &["registry"]),
    rp("/indicators/{slug}/edit", &["registry"]),
    rp("/indicators/{slug}/values/{id}/edit", &["indicator_value"]),
    rp(
        "/indicators/{slug}/values/{id}/versions",
        &["indicator_value"],
    ),
    rp("/duplication", &["requirement", "contribution"]),
    rp("/reports", &["report", "entity"]),
    rp("/reports/new", &["entity"]),
    rp("/reports/{id}", &["report", "entity", "screening_decision"]),
    rp("/reports/{id}/edit", &["report", "entity"]),
    rp("/reports/{id}/versions", &["report", "entity"]),
    rp("/reports/{id}/purge", &["report"]),
    rp(
        "/entities/{id}",
        &["report", "entity", "relationship", "screening_decision"],
    ),
    rp("/entities/{id}/versions", &["entity"]),
    rp("/entities/{id}/edit", &["entity"]),
    rp("/entities/{id}/purge", &["entity"]),
    rp("/search", &["report", "entity"]),
    rp(
        "/allocation",
        &["allocation_run", "requirement", "contribution"],
    ),
    rp("/import", &[]),
    rp("/screen", &["screening_decision"]),
    rp(
        "/screen/lists/{id}",
        &["registry", "entity", "contribution"],
    ),
    rp("/static/app.css", &[]),
    rp("/report", PLENARY),
    rp("/report.pdf", PLENARY),
    rp("/static/report.css", &[]),
];

use coalesce_app::read_paths::PLENARY;

/// A meeting, its statement and commitments, and the parts that fulfil them.
const FOLLOW_UP: &[&str] = &[
    "meeting",
    "statement",
    "commitment",
    "contribution",
    "fund_transfer",
    "indicator_value",
];

const fn rp(path: &'static str, reads: &'static [&'static str]) -> ReadPath {
    ReadPath { path, reads }
}

/// A request's page context: who is logged in and the CSRF token for forms.
struct Page {
    principal: Principal,
    me: Value,
    /// The registry's names (lines of effort, item categories, members)
    /// by slug or code, for the `line_name`, `category_name` and
    /// `member_name` filters: pages show names, not slugs and codes.
    names: Value,
    csrf: String,
    new_csrf_cookie: Option<String>,
    /// The language the user reads the interface in.
    lang: i18n::Lang,
    /// The page's own path and query, where the language chooser returns.
    here: String,
}

impl Page {
    /// The message `id` in the user's language.
    fn t(&self, id: &str) -> String {
        i18n::tr(self.lang, id, None)
    }
}

fn new_csrf() -> String {
    use base64::Engine;
    let mut b = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// The CSRF token of a logged-in request: derived from its session token,
/// so a token and cookie pair taken from another session is refused.
fn session_csrf(headers: &HeaderMap) -> Option<String> {
    coalesce_app::auth::request_token(headers)
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .map(|t| session_form_token(&t))
}

/// The CSRF token of the forms of the session whose token is `session`: a
/// SHA-256 of it under its own label (the session token is secret, and the
/// store keeps only another hash of it).
pub fn session_form_token(session: &str) -> String {
    coalesce_store::accounts::token_hash(&format!("csrf:{session}"))
}

/// The token for this request's forms (and a new double-submit cookie when
/// there is no session yet and no cookie: the login form).
fn csrf_of(headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(t) = session_csrf(headers) {
        return (t, None);
    }
    match cookie(headers, CSRF_COOKIE).filter(|c| c.len() >= 16) {
        Some(c) => (c, None),
        None => {
            let c = new_csrf();
            (c.clone(), Some(c))
        }
    }
}

fn csrf_cookie(value: &str, secure: bool) -> String {
    format!(
        "{CSRF_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Constant-time comparison, so the token cannot be guessed byte by byte.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The response refusing a form whose CSRF token does not match, if it doesn't.
fn csrf_rejection(headers: &HeaderMap, submitted: &str) -> Option<Response> {
    let expected = session_csrf(headers).or_else(|| cookie(headers, CSRF_COOKIE));
    match expected {
        Some(c) if !submitted.is_empty() && same(&c, submitted) => None,
        _ => Some(error_page(
            StatusCode::FORBIDDEN, "Form expired", "The form could not be verified (CSRF token missing or wrong). Reload the page and try again.", None)),
    }
}

/// Pages extract the logged-in user; without a session they redirect to /login.
impl axum::extract::FromRequestParts<AppState> for Page {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        st: &AppState,
    ) -> Result<Self, Response> {
        let mut p = page(st, &parts.headers).await?;
        p.here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_string(), |pq| pq.as_str().to_string());
        Ok(p)
    }
}

async fn page(st: &AppState, headers: &HeaderMap) -> Result<Page, Response> {
    let token = coalesce_app::auth::request_token(headers);
    let principal = match token {
        Some(t) if t.len() <= 128 => st
            .store
            .principal_for_token(&t)
            .await
            .map_err(|e| api_error_page(e.into(), None))?,
        _ => None,
    };
    let Some(principal) = principal else {
        return Err(Redirect::to("/login").into_response());
    };
    let secretariat = st.store.secretariat().await.ok().flatten();
    // The demo's scenario has a day of its own: say which, since overdue
    // items and the report's default are judged on it, not today.
    let scenario_as_of = match st.store.setting("mode").await.ok().flatten().as_deref() {
        Some("demo") => st.store.follow_up_now().await.ok().map(|ms| {
            coalesce_app::wire::rfc3339(ms)
                .chars()
                .take(10)
                .collect::<String>()
        }),
        _ => None,
    };
    let me = context! {
        scenario_as_of,
        username => principal.username.as_str(),
        member => principal.member.as_str(),
        role => principal.role.as_str(),
        secretariat => secretariat.as_ref() == Some(&principal.member),
    };
    let names = registry_names(st).await;
    let (csrf, new_csrf_cookie) = csrf_of(headers);
    // The user's choice, else the one made before logging in, else the
    // browser's.
    let chosen = st.store.user_locale(&principal).await.ok().flatten();
    let lang = chosen
        .as_deref()
        .and_then(i18n::Lang::parse)
        .unwrap_or_else(|| request_lang(headers));
    Ok(Page {
        principal,
        me,
        names,
        csrf,
        new_csrf_cookie,
        lang,
        here: "/".into(),
    })
}

/// Names by slug or code. The registry is public to every user of the
/// node, so every page may hold it; a lookup that fails leaves pages
/// showing slugs, never an error.
async fn registry_names(st: &AppState) -> Value {
    let lines = st.store.list_lines_of_effort().await.unwrap_or_default();
    let categories = st.store.item_categories().await.unwrap_or_default();
    let members = st.store.list_members().await.unwrap_or_default();
    let groups = st.store.list_groups().await.unwrap_or_default();
    let map = |pairs: Vec<(String, String)>| {
        Value::from_serialize(
            pairs
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
    };
    context! {
        lines => map(lines.into_iter().map(|l| (l.slug, l.name)).collect()),
        categories => map(categories.into_iter().map(|c| (c.slug, c.name)).collect()),
        members => map(members.into_iter().map(|m| (m.code.to_string(), m.name)).collect()),
        groups => map(groups.into_iter().map(|g| (g.slug, g.name)).collect()),
    }
}

/// The language of a request without a user's choice: the cookie the
/// chooser sets before logging in, else the browser's `Accept-Language`,
/// else English.
fn request_lang(headers: &HeaderMap) -> i18n::Lang {
    cookie(headers, i18n::LANG_COOKIE)
        .and_then(|c| i18n::Lang::parse(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// The language the page being rendered is written in.
/// See the `when` filter.
fn when_html(lang: i18n::Lang, iso: &str) -> String {
    if iso.is_empty() {
        return String::new();
    }
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    // "2016-12-16T12:00:00Z" → "2016-12-16 12:00 UTC"; a day stays a day.
    let utc = match iso.get(..16) {
        Some(m) if iso.as_bytes().get(10) == Some(&b'T') => format!("{} UTC", m.replace('T', " ")),
        _ => iso.get(..10).unwrap_or(iso).to_string(),
    };
    format!(
        "<time datetime=\"{}\" title=\"{}\">{}</time>",
        esc(iso),
        esc(&utc),
        esc(&i18n::format_date(lang, iso))
    )
}

fn page_lang(state: &minijinja::State) -> i18n::Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(i18n::Lang::parse))
        .unwrap_or_default()
}

/// The name `key` has in one of the page's `names` tables, or `key`.
fn name_in(state: &minijinja::State, table: &str, key: &str) -> String {
    state
        .lookup("registry_names")
        .and_then(|n| n.get_attr(table).ok())
        .and_then(|t| t.get_item(&Value::from(key)).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| key.to_string())
}

fn render(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    env().get_template(name)?.render(ctx)
}

fn html(p: Option<&Page>, status: StatusCode, name: &str, ctx: Value, secure: bool) -> Response {
    // The language: the user's, or one the handler of a page without a
    // user put in `lang`.
    let lang = p.map(|p| p.lang).unwrap_or_else(|| {
        ctx.get_attr("lang")
            .ok()
            .and_then(|v| v.as_str().and_then(i18n::Lang::parse))
            .unwrap_or_default()
    });
    let ctx = match p {
        Some(p) => context! {
            me => p.me.clone(),
            csrf => p.csrf.clone(),
            registry_names => p.names.clone(),
            here => p.here.clone(),
            ..ctx
        },
        None => ctx,
    };
    let ctx = context! {
        lang => lang.code(),
        dir => lang.dir(),
        languages => i18n::choices(),
        ..ctx
    };
    match render(name, ctx) {
        Ok(body) => {
            let mut res = (status, Html(body)).into_response();
            if let Some(c) = p.and_then(|p| p.new_csrf_cookie.as_deref()) {
                if let Ok(v) = csrf_cookie(c, secure).parse() {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            res
        }
        Err(e) => {
            tracing::error!(template = name, error = %e, "template failed");
            // The site's error page, unless that one is what failed.
            let page = context! {
                title => "Something went wrong",
                detail => "This page could not be shown. The error is in the node's log; try again, or tell the node's operator.",
                me => p.map(|p| p.me.clone()),
            };
            match (name != "error.html").then(|| render("error.html", page)) {
                Some(Ok(body)) => (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response(),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
            }
        }
    }
}

fn error_page(status: StatusCode, title: &str, detail: &str, p: Option<&Page>) -> Response {
    html(p, status, "error.html", context! { title, detail }, false)
}

/// 403 in the site's layout unless the user is one of the node's
/// administrators (`why` says what is theirs).
fn admin_only(p: &Page, why: &str) -> Option<Response> {
    (p.principal.role != coalesce_domain::Role::Admin)
        .then(|| error_page(StatusCode::FORBIDDEN, &p.t("error-title-403"), why, Some(p)))
}

fn api_error_page(e: ApiError, p: Option<&Page>) -> Response {
    let title = match (p, e.status.as_u16()) {
        (Some(p), code @ (400 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503)) => {
            p.t(&format!("error-title-{code}"))
        }
        (_, 404) => "Not found".to_string(),
        _ => e.status.canonical_reason().unwrap_or("Error").to_string(),
    };
    error_page(e.status, &title, &e.detail, p)
}

async fn home(State(st): State<AppState>, p: Page) -> Response {
    let members = tri!(st.store.list_members().await, p);
    let groups = tri!(st.store.list_groups().await, p);
    let lines = tri!(st.store.list_lines_of_effort().await, p);
    let notes = tri!(st.store.list_notes(&p.principal, None, 5).await, p);
    let notes_count = tri!(st.store.count_notes(&p.principal).await, p);
    let inbox = tri!(st.store.inbox(&p.principal).await, p);
    // Action items the member owns that are open and overdue or due
    // within two weeks (of the scenario's day in the demo).
    let now = tri!(st.store.follow_up_now().await, p);
    let board = tri!(
        st.store
            .commitment_board(
                &p.principal,
                &coalesce_store::meetings::BoardFilter {
                    owner: Some(p.principal.member.to_string()),
                    ..Default::default()
                },
                now,
            )
            .await,
        p
    );
    let soon = now + 14 * 24 * 3_600_000;
    let due: Vec<_> = board
        .iter()
        .filter(|v| {
            use coalesce_domain::meetings::CommitmentState::{Done, Dropped};
            !matches!(v.record.body.state, Done | Dropped) && v.due_end_ms <= soon
        })
        .collect();
    let actions_due = coalesce_store::inbox::Tasks {
        count: due.len() as i64,
        items: due
            .iter()
            .take(coalesce_store::inbox::LISTED as usize)
            .map(|v| coalesce_store::inbox::Task {
                path: "/commitments".into(),
                title: v.record.body.what.clone(),
                detail: i18n::tr(
                    p.lang,
                    if v.overdue {
                        "task-overdue-since"
                    } else {
                        "task-due"
                    },
                    Some(&i18n::args([
                        ("due", v.record.body.due.to_string().into()),
                        ("meeting", v.meeting_title.clone().into()),
                    ])),
                ),
            })
            .collect(),
    };
    let unread = tri!(st.store.digest(&p.principal, now).await, p)
        .iter()
        .filter(|n| !n.read)
        .count();
    // Each kind of task by its message (`task-<key>`, `task-<key>-hint`).
    let tasks = [
        ("deliveries-to-confirm", &inbox.deliveries_to_confirm),
        ("requirements-to-confirm", &inbox.requirements_to_confirm),
        ("contributions-to-confirm", &inbox.contributions_to_confirm),
        ("pledges-to-commit", &inbox.pledges_to_commit),
        ("proposals-to-decide", &inbox.proposals_to_decide),
        ("proposals-to-commit", &inbox.proposals_to_commit),
        ("screening-matches", &inbox.screening_matches),
        ("actions-due", &actions_due),
    ];
    let waiting: i64 = tasks.iter().map(|(_, t)| t.count).sum();
    let tasks: Vec<Value> = tasks
        .into_iter()
        .map(|(key, t)| context! { key, t => Value::from_serialize(t) })
        .collect();
    let my_groups: Vec<_> = groups
        .iter()
        .filter(|g| g.members.iter().any(|m| m == p.principal.member.as_str()))
        .cloned()
        .collect();
    let partners: Vec<_> = members
        .iter()
        .filter(|m| m.role == "partner")
        .cloned()
        .collect();
    let ctx = context! {
        title => p.t("home-title"),
        members_count => members.len(),
        states_count => members.iter().filter(|m| m.kind == "state").count(),
        orgs_count => members.iter().filter(|m| m.kind == "organisation").count(),
        partners,
        groups,
        my_groups,
        lines,
        notes_count,
        tasks,
        waiting,
        unread,
        notes => notes.items.into_iter().map(NoteOut::from).collect::<Vec<_>>(),
    };
    html(
        Some(&p),
        StatusCode::OK,
        "home.html",
        ctx,
        st.secure_cookies,
    )
}

async fn login_form(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let (csrf, new_cookie) = csrf_of(&headers);
    let mut res = html(
        None,
        StatusCode::OK,
        "login.html",
        context! { title => i18n::tr(request_lang(&headers), "login-title", None), csrf, lang => request_lang(&headers).code() },
        st.secure_cookies,
    );
    if let Some(c) = new_cookie {
        if let Ok(v) = csrf_cookie(&c, st.secure_cookies).parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login_submit(
    State(st): State<AppState>,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let client = client_addr(&ext, &headers, &st.trusted_proxies);
    match coalesce_app::auth::login(&st, f.username.trim(), &f.password, &client).await {
        Ok((_, token)) => {
            let mut res = Redirect::to("/").into_response();
            if let Ok(v) = session_cookie(Some(&token), st.secure_cookies).parse() {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => {
            let lang = request_lang(&headers);
            // A wrong name or password is said in the reader's language;
            // a lockout keeps the API's words, which say until when.
            let error = if e.status == StatusCode::UNAUTHORIZED {
                i18n::tr(lang, "login-wrong", None)
            } else {
                e.detail
            };
            let ctx = context! { title => i18n::tr(lang, "login-title", None), csrf => f.csrf, error, username => f.username, lang => lang.code() };
            let status = if e.status == StatusCode::TOO_MANY_REQUESTS {
                e.status
            } else {
                StatusCode::UNAUTHORIZED
            };
            html(None, status, "login.html", ctx, st.secure_cookies)
        }
    }
}

#[derive(Deserialize)]
struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    csrf: String,
}

/// The language chooser: a logged-in user's choice is kept with the user
/// (it follows them to any browser); before logging in, a cookie keeps
/// it. Back to the page it was made on.
async fn choose_language(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LanguageForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let Some(lang) = i18n::Lang::parse(&f.lang).filter(|l| l.code() == f.lang) else {
        let known: Vec<&str> = i18n::Lang::ALL.iter().map(|l| l.code()).collect();
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unknown language",
            &format!(
                "The interface is written in {}; {:?} is none of them.",
                known.join(", "),
                f.lang.chars().take(40).collect::<String>()
            ),
            None,
        );
    };
    if let Ok(p) = page(&st, &headers).await {
        if let Err(e) = st
            .store
            .set_user_locale(&p.principal, Some(lang.code()))
            .await
        {
            return api_error_page(e.into(), Some(&p));
        }
    }
    // Only a path of this site: never another site ("//host", "/\\host").
    let back = if f.back.starts_with('/')
        && !f.back.starts_with("//")
        && !f.back.contains('\\')
        && !f.back.chars().any(char::is_control)
    {
        f.back.as_str()
    } else {
        "/"
    };
    let mut res = Redirect::to(back).into_response();
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    if let Ok(v) = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        i18n::LANG_COOKIE,
        lang.code()
    )
    .parse()
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(t) = coalesce_app::auth::request_token(&headers) {
        if let Ok(Some(p)) = st.store.principal_for_token(&t).await {
            let _ = st.store.revoke_token(&p, &t).await;
        }
    }
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = session_cookie(None, st.secure_cookies).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The source of a subject the page has read, for `_source.html`. A
/// failure to read it is logged and the page is shown without it.
pub(crate) async fn cited(
    st: &AppState,
    subject: coalesce_domain::source::Subject,
) -> minijinja::Value {
    match st.store.source_of(&subject).await {
        Ok(s) => minijinja::Value::from_serialize(s),
        Err(e) => {
            tracing::warn!(error = %e, "source of {} unreadable", subject.key());
            minijinja::Value::from(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded_and_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("templates")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".html"))
            .collect();
        files.sort();
        for f in &files {
            assert!(
                TEMPLATE_SOURCES.iter().any(|(name, _)| name == f),
                "templates/{f} is not in TEMPLATE_SOURCES: a page rendering it fails"
            );
            assert!(
                env().get_template(f).is_ok(),
                "templates/{f} does not parse"
            );
        }
        assert_eq!(files.len(), TEMPLATE_SOURCES.len());
    }

    #[test]
    fn a_moment_shows_its_day_in_the_readers_language_and_its_utc_time_on_hover() {
        assert_eq!(
            when_html(i18n::Lang::En, "2016-12-16T12:00:00Z"),
            "<time datetime=\"2016-12-16T12:00:00Z\" title=\"2016-12-16 12:00 UTC\">16 Dec 2016</time>"
        );
        let ar = when_html(i18n::Lang::Ar, "2016-12-16");
        assert!(ar.contains("title=\"2016-12-16\""), "{ar}");
        assert!(ar.contains("١٦"), "Arabic-Indic digits: {ar}");
        assert_eq!(when_html(i18n::Lang::Fr, ""), "");
        assert!(!when_html(i18n::Lang::En, "<b>").contains("<b>"), "escaped");
    }

    #[tokio::test]
    async fn a_page_that_fails_to_render_answers_the_sites_500_page() {
        let res = html(
            None,
            StatusCode::OK,
            "no-such-template.html",
            context! {},
            false,
        );
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = http_body_util::BodyExt::collect(res.into_body())
            .await
            .expect("body")
            .to_bytes();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("<!doctype html>"), "{body}");
        assert!(body.contains("Something went wrong"), "{body}");
    }
}
