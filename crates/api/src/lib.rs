//! The HTTP JSON API under `/api/v1`, plus `/healthz`.
//!
//! The handlers stand on `coalesce-app` (state, sessions, errors, wire
//! types), as the web interface does. Handlers translate wire types to
//! domain calls on the store and store errors to RFC 9457 problem
//! documents; they never decide who may read what — the store's queries do.
//! The OpenAPI document is generated from the same route table that serves
//! requests, so the two cannot drift apart.

pub mod extract;
pub mod read_paths;
mod routes;
pub mod taxii;

/// The application layer this crate and `coalesce-web` both stand on.
pub use coalesce_app::{
    allocation, auth, correlation, error, federation, http_metrics, jobs, no_store,
    parse_public_url, peers, plenary, screening, wire, wire_fund, wire_meetings, wire_needs,
    wire_picture, wire_reports, AppState, IMPORT_LIMIT, STIX_LIMIT,
};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use auth::Auth;
pub use error::ApiError;
/// The record layer's routes and kinds.
pub use routes::records;

#[derive(OpenApi)]
#[openapi(
    info(title = "coalesce API", version = "1", description = "Coordination and information sharing of a multinational coalition. Every list is `{\"items\": [...], \"next\": cursor-or-null}`; pass `next` back as `?cursor=`. Errors are RFC 9457 problem documents with a stable `code`."),
    servers((url = "/api/v1")),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Login, logout, the current user"),
        (name = "registry", description = "Members, groups, lines of effort"),
        (name = "federation", description = "This node: its id, member, URL and signing keys"),
        (name = "notes", description = "Notes: the first marked record type"),
        (name = "needs", description = "Requirements, contributions (pledged → committed → delivered / cancelled), deliveries and receipt, per-requirement summaries. Quantities and money are integers: `{\"quantity\": n, \"unit\": \"...\"}` or `{\"amount\": minor-units, \"currency\": \"USD\"}`"),
        (name = "picture", description = "The coordination picture: who does what where, totals, trends, duplication, dashboards — computed only over what the caller may read"),
        (name = "indicators", description = "Campaign indicators (unit, direction, sum|last|max, baseline, dated targets) and the marked values members report"),
        (name = "reports", description = "Information sharing: typed reports about people, organisations, vessels and places, relationships, correlation of entities reported by different members, full-text search — all only over what the caller may read"),
        (name = "allocation", description = "Optimal assignment of standalone pledges to open requirements (exact min-cost flow), with explanations; coordinators accept or reject proposals, offering members commit accepted ones"),
        (name = "jobs", description = "Long work (allocation runs, imports, STIX additions) as jobs: progress while they run, their phases and outcome, cancellation; a job is its member's, but for the node's own (the rescreening after a list update, member `node`), which every user sees and only the node stops"),
        (name = "exchange", description = "CSV with HXL hashtags in and out (imports all or nothing, every bad row reported), IATI 2.03 activity XML out"),
        (name = "screening", description = "Sanctions screening (yente /match shaped), loaded list versions, review decisions"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
    }
}

/// The `/api/v1` routes and the OpenAPI document describing exactly them.
pub fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(routes::auth::login))
        .routes(routes!(routes::auth::logout))
        .routes(routes!(routes::auth::me))
        .routes(routes!(
            routes::registry::list_members,
            routes::registry::create_member
        ))
        .routes(routes!(routes::registry::get_member))
        .routes(routes!(routes::node::get_node))
        .routes(routes!(routes::peers::list_peers, routes::peers::add_peer))
        .routes(routes!(
            routes::peers::get_peer,
            routes::peers::change_peer,
            routes::peers::remove_peer
        ))
        .routes(routes!(routes::peers::pause_peer))
        .routes(routes!(routes::peers::resume_peer))
        .routes(routes!(routes::peers::connect_peer))
        .routes(routes!(routes::peers::poke))
        .routes(routes!(routes::peers::registry))
        .routes(routes!(routes::peers::metrics))
        .routes(routes!(
            routes::registry::list_groups,
            routes::registry::create_group
        ))
        .routes(routes!(routes::registry::get_group))
        .routes(routes!(routes::registry::set_group_members))
        .routes(routes!(
            routes::registry::list_lines_of_effort,
            routes::registry::create_line_of_effort
        ))
        .routes(routes!(
            routes::notes::list_notes,
            routes::notes::create_note
        ))
        .routes(routes!(routes::notes::count_notes))
        .routes(routes!(
            routes::notes::get_note,
            routes::notes::update_note,
            routes::notes::revoke_note
        ))
        .routes(routes!(routes::notes::note_versions))
        .routes(routes!(routes::audit::list_audit))
        .routes(routes!(routes::screen::match_parties))
        .routes(routes!(routes::yente::yente_match))
        .routes(routes!(routes::screen::list_lists))
        .routes(routes!(routes::screen::list_changes))
        .routes(routes!(routes::screen::list_rescreen))
        .routes(routes!(routes::screen::screen_report))
        .routes(routes!(routes::screen::screen_entity))
        .routes(routes!(routes::screen::screen_contribution))
        .routes(routes!(
            routes::screen::list_decisions,
            routes::screen::create_decision
        ))
        .routes(routes!(routes::needs::list_item_categories))
        .routes(routes!(
            routes::needs::list_requirements,
            routes::needs::create_requirement
        ))
        .routes(routes!(
            routes::needs::get_requirement,
            routes::needs::update_requirement,
            routes::needs::revoke_requirement
        ))
        .routes(routes!(routes::needs::requirement_versions))
        .routes(routes!(routes::needs::requirement_summary))
        .routes(routes!(routes::needs::requirement_contributions))
        .routes(routes!(
            routes::needs::list_contributions,
            routes::needs::create_contribution
        ))
        .routes(routes!(
            routes::needs::get_contribution,
            routes::needs::update_contribution
        ))
        .routes(routes!(routes::needs::contribution_versions))
        .routes(routes!(routes::needs::contribution_deliveries))
        .routes(routes!(routes::needs::transition_contribution))
        .routes(routes!(routes::needs::confirm_co_contribution))
        .routes(routes!(routes::needs::confirm_requirement))
        .routes(routes!(routes::needs::set_contribution_parties))
        .routes(routes!(routes::needs::confirm_delivery))
        .routes(routes!(routes::picture::count_contributions))
        .routes(routes!(routes::picture::totals))
        .routes(routes!(routes::picture::trend))
        .routes(routes!(routes::picture::duplication))
        .routes(routes!(routes::picture::dashboard))
        .routes(routes!(
            routes::picture::list_indicators,
            routes::picture::define_indicator
        ))
        .routes(routes!(routes::picture::get_indicator))
        .routes(routes!(
            routes::picture::list_values,
            routes::picture::report_value
        ))
        .routes(routes!(routes::allocation::create_run))
        .routes(routes!(routes::allocation::get_run))
        .routes(routes!(routes::allocation::list_proposals))
        .routes(routes!(routes::allocation::decide))
        .routes(routes!(routes::allocation::commit))
        .routes(routes!(routes::jobs::list_jobs))
        .routes(routes!(routes::jobs::get_job))
        .routes(routes!(routes::jobs::cancel_job))
        .routes(routes!(
            routes::reports::list_reports,
            routes::reports::create_report
        ))
        .routes(routes!(routes::reports::count_reports))
        .routes(routes!(routes::reports::count_entities))
        .routes(routes!(
            routes::reports::get_report,
            routes::reports::update_report,
            routes::reports::withdraw_report
        ))
        .routes(routes!(
            routes::reports::list_entities,
            routes::reports::create_entity
        ))
        .routes(routes!(
            routes::reports::get_entity,
            routes::reports::update_entity
        ))
        .routes(routes!(routes::reports::correlations))
        .routes(routes!(routes::reports::purge_report))
        .routes(routes!(routes::reports::purge_entity))
        .routes(routes!(routes::reports::report_versions))
        .routes(routes!(routes::reports::entity_versions))
        .routes(routes!(
            routes::reports::list_relationships,
            routes::reports::create_relationship
        ))
        .routes(routes!(routes::reports::search))
        .routes(routes!(routes::funds::record_operations))
        .routes(routes!(routes::funds::status))
        .routes(routes!(routes::funds::breakdown))
        .routes(routes!(routes::funds::transfers))
        .routes(routes!(routes::funds::flows))
        .routes(routes!(routes::funds::status_csv))
        .routes(routes!(routes::funds::projects))
        .routes(routes!(routes::funds::list_rates, routes::funds::add_rates))
        .routes(routes!(routes::meetings::board))
        .routes(routes!(routes::meetings::carry_over))
        .routes(routes!(routes::meetings::statement_akn))
        .routes(routes!(routes::meetings::notices))
        .routes(routes!(routes::meetings::read_notices))
        .routes(routes!(
            routes::meetings::create_calendar_token,
            routes::meetings::revoke_calendar_tokens
        ))
        .routes(routes!(routes::meetings::calendar_feed))
        .routes(routes!(routes::report::plenary))
        .routes(routes!(routes::report::snapshot))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(
                    routes::funds::export_operations,
                    routes::funds::import_operations
                ))
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT))
                .layer(axum::middleware::from_fn(
                    coalesce_app::refuse_declared_over::<IMPORT_LIMIT>,
                )),
        )
        .routes(routes!(routes::exchange::export_requirements))
        .routes(routes!(routes::exchange::export_contributions))
        .routes(routes!(routes::exchange::export_values))
        .routes(routes!(routes::exchange::export_iati))
        .routes(routes!(routes::exchange::export_stix))
        // STIX bundles are read up to AppState::stix_limit (413 beyond).
        .routes(routes!(routes::exchange::import_stix))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(routes::exchange::import_requirements))
                .routes(routes!(routes::exchange::import_contributions))
                .routes(routes!(routes::exchange::import_values))
                // An import holds up to 100,000 rows.
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT))
                .layer(axum::middleware::from_fn(
                    coalesce_app::refuse_declared_over::<IMPORT_LIMIT>,
                )),
        )
        .split_for_parts();
    // The kinds of the record layer join the routes and the document.
    routes::records::document_all(&mut doc);
    doc.merge(<routes::meetings::Described as utoipa::OpenApi>::openapi());
    // The STIX form of the kinds with routes of their own.
    use coalesce_domain::allocation_run::AllocationRunKind;
    use coalesce_domain::needs::{ContributionRecordKind, RequirementRecordKind};
    routes::records::document_stix::<RequirementRecordKind>(&mut doc, "/requirements", "needs");
    routes::records::document_stix::<ContributionRecordKind>(&mut doc, "/contributions", "needs");
    routes::records::document_stix::<AllocationRunKind>(&mut doc, "/allocations", "allocation");
    let router = router
        .merge(routes::records::routes())
        .merge(routes::records::stix_route::<RequirementRecordKind>(
            "/requirements",
        ))
        .merge(routes::records::stix_route::<ContributionRecordKind>(
            "/contributions",
        ))
        // A run's STIX form shows what its reader may read now.
        .merge(Router::new().route("/allocations/{id}/stix", get(routes::allocation::run_stix)));
    (router, doc)
}

/// Ready to serve (for a load balancer or an orchestrator): the database
/// answers, its schema is the one this build knows, and the sanctions
/// index is loaded when lists were configured (they load before the node
/// listens). 503 (problem+json) naming what is not ready.
async fn readyz(State(st): State<AppState>) -> Response {
    let not_ready = |detail: String| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", detail).into_response()
    };
    match st.store.schema_versions().await {
        Ok((applied, known)) if applied == known => {
            let screening = st.screener.as_ref().map(
                |s| serde_json::json!({ "entries": s.entities().len(), "names": s.name_count() }),
            );
            Json(serde_json::json!({
                "status": "ready",
                "database": "reachable",
                "schema": applied,
                "screening": screening,
            }))
            .into_response()
        }
        Ok((applied, known)) => not_ready(format!(
            "the database schema is at migration {applied}; this build expects {known}"
        )),
        Err(e) => not_ready(format!("the database does not answer: {e}")),
    }
}

/// The whole API: `/api/v1/…`, `/api/v1/openapi.json`, `/healthz`, `/readyz`.
pub fn router() -> Router<AppState> {
    let (api, doc) = api_routes();
    let doc = Arc::new(doc);
    let api = api
        .route(
            "/openapi.json",
            get(move || std::future::ready(Json(doc.as_ref().clone()))),
        )
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "method not allowed on this endpoint",
            )
        });
    Router::new()
        .nest("/api/v1", api)
        .nest("/taxii2", taxii::router())
        // The discovery URL itself (a nested "/" would answer "/taxii2" only).
        .route("/taxii2/", get(taxii::discovery))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .layer(axum::middleware::map_response(no_store))
}

/// The OpenAPI document as JSON (for `coalesce openapi` and tests).
pub fn openapi_json() -> String {
    api_routes().1.to_pretty_json().unwrap_or_default()
}
