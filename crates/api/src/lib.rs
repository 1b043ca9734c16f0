//! The HTTP JSON API under `/api/v1`, plus `/healthz`.
//!
//! Only this crate (and `coalesce-web`) knows HTTP. Handlers translate wire
//! types to domain calls on the store and store errors to RFC 9457 problem
//! documents; they never decide who may read what — the store's queries do.
//! The OpenAPI document is generated from the same route table that serves
//! requests, so the two cannot drift apart.

pub mod allocation;
pub mod auth;
pub mod correlation;
pub mod error;
pub mod extract;
pub mod read_paths;
mod routes;
pub mod screening;
pub mod taxii;
pub mod wire;
pub mod wire_needs;
pub mod wire_picture;
pub mod wire_reports;

use axum::routing::get;
use axum::{Json, Router};
use coalesce_store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use auth::Auth;
pub use error::ApiError;
/// CSV import shared by the API and the web import page.
pub use routes::exchange;
/// The record layer's routes, wire form and kinds, shared with the web pages.
pub use routes::records;
/// Correlations and search filters shared with the web pages.
pub use routes::reports;

/// What every handler (API and web) shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// Add `Secure` to cookies (set when served behind TLS).
    pub secure_cookies: bool,
    /// The loaded sanctions lists, if any (`coalesce serve --sanctions`).
    pub screener: Option<Arc<coalesce_screen::Screener>>,
    /// Content hash of every loaded list entry, by `list:reference`: a review
    /// decision applies only while the entry it was taken on is unchanged.
    pub entry_hashes: Arc<HashMap<String, String>>,
    /// The largest STIX bundle or TAXII envelope accepted (bytes; 413 beyond).
    pub stix_limit: usize,
    /// Recent HTTP Basic logins (TAXII), so paging does not pay Argon2id per page.
    pub basic_cache: Arc<taxii::BasicCache>,
    /// The key of TAXII `next` tokens, read from the store on first use.
    pub cursor_key: Arc<tokio::sync::OnceCell<taxii::CursorKey>>,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            trusted_proxies: Arc::default(),
            secure_cookies: false,
            screener: None,
            entry_hashes: Arc::new(HashMap::new()),
            stix_limit: STIX_LIMIT,
            basic_cache: Arc::new(taxii::BasicCache::default()),
            cursor_key: Arc::default(),
        }
    }

    /// The node's key of TAXII `next` tokens (shared by every process
    /// serving the database).
    pub async fn cursor_key(&self) -> Result<taxii::CursorKey, ApiError> {
        let key = self
            .cursor_key
            .get_or_try_init(|| async {
                self.store
                    .node_secret("taxii_cursor")
                    .await
                    .map(taxii::CursorKey::new)
            })
            .await?;
        Ok(key.clone())
    }

    /// The same state screening against `screener`'s lists.
    pub fn with_screener(mut self, screener: Arc<coalesce_screen::Screener>) -> Self {
        self.entry_hashes = Arc::new(screening::entry_hashes(&screener));
        self.screener = Some(screener);
        self
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "coalesce API", version = "1", description = "Coordination and information sharing of a multinational coalition. Every list is `{\"items\": [...], \"next\": cursor-or-null}`; pass `next` back as `?cursor=`. Errors are RFC 9457 problem documents with a stable `code`."),
    servers((url = "/api/v1")),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Login, logout, the current user"),
        (name = "registry", description = "Members, groups, lines of effort"),
        (name = "notes", description = "Notes: the first marked record type"),
        (name = "needs", description = "Requirements, contributions (pledged → committed → delivered / cancelled), deliveries and receipt, per-requirement summaries. Quantities and money are integers: `{\"quantity\": n, \"unit\": \"...\"}` or `{\"amount\": minor-units, \"currency\": \"USD\"}`"),
        (name = "picture", description = "The coordination picture: who does what where, totals, trends, duplication, dashboards — computed only over what the caller may read"),
        (name = "indicators", description = "Campaign indicators (unit, direction, sum|last|max, baseline, dated targets) and the marked values members report"),
        (name = "reports", description = "Information sharing: typed reports about people, organisations, vessels and places, relationships, correlation of entities reported by different members, full-text search — all only over what the caller may read"),
        (name = "allocation", description = "Optimal assignment of standalone pledges to open requirements (exact min-cost flow), with explanations; coordinators accept or reject proposals, offering members commit accepted ones"),
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

/// The largest CSV file an import accepts (bytes).
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

/// The default largest STIX bundle or TAXII envelope (bytes).
pub const STIX_LIMIT: usize = 64 * 1024 * 1024;

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
        .routes(routes!(routes::screen::list_lists))
        .routes(routes!(routes::screen::list_changes))
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
        .routes(routes!(routes::needs::get_contribution))
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
        .routes(routes!(
            routes::reports::list_relationships,
            routes::reports::create_relationship
        ))
        .routes(routes!(routes::reports::search))
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
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .split_for_parts();
    // The kinds of the record layer join the routes and the document.
    routes::records::document_all(&mut doc);
    (router.merge(routes::records::routes()), doc)
}

/// The whole API: `/api/v1/…`, `/api/v1/openapi.json`, `/healthz`.
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
        .layer(axum::middleware::map_response(no_store))
}

/// Responses are made for one caller and may hold AMBER or RED content: no
/// browser or proxy keeps them, unless a route chose its own caching
/// (static assets).
pub async fn no_store(mut res: axum::response::Response) -> axum::response::Response {
    if !res
        .headers()
        .contains_key(axum::http::header::CACHE_CONTROL)
    {
        res.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    res
}

/// The OpenAPI document as JSON (for `coalesce openapi` and tests).
pub fn openapi_json() -> String {
    api_routes().1.to_pretty_json().unwrap_or_default()
}
