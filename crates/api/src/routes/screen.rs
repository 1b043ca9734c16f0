//! Sanctions screening: yente-shaped `/screen/match`, the loaded list
//! versions, and the member's review decisions.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::screening::{
    attach_decisions, decision_out, no_lists, record, result_out, DecisionIn, DecisionOut,
    MatchRequest, QueryIn, ScreenResultOut, MAX_LIMIT, MAX_QUERIES,
};
use crate::wire::{rfc3339, PageParams};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coalesce_screen::{MatchOptions, MatchQuery, Screener};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::ToSchema;

fn screener(st: &AppState) -> Result<Arc<Screener>, ApiError> {
    st.screener.clone().ok_or_else(no_lists)
}

/// `?threshold=&limit=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MatchParams {
    /// Score at or above which a result is a match, 0–1 (default 0.5).
    pub threshold: Option<f64>,
    /// Results per query, 1–50 (default 5).
    pub limit: Option<usize>,
}

/// The answer to one query.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueryResponseOut {
    pub status: u16,
    /// The query as received.
    pub query: QueryIn,
    /// Best first.
    pub results: Vec<ScreenResultOut>,
    /// Results that are matches and not suppressed by a current false-positive decision.
    pub alerts: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResponseOut {
    pub responses: BTreeMap<String, QueryResponseOut>,
    pub threshold: f64,
    pub limit: usize,
}

/// Screen parties against the loaded sanctions lists (the body of yente's
/// `/match`). Results carry the caller's member's review decisions; a current
/// false positive is `suppressed`. Any logged-in user may screen.
#[utoipa::path(post, path = "/screen/match", tag = "screening", params(MatchParams), request_body = MatchRequest,
    responses(
        (status = 200, body = MatchResponseOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn match_parties(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(params): ApiQuery<MatchParams>,
    ApiJson(req): ApiJson<MatchRequest>,
) -> Result<Json<MatchResponseOut>, ApiError> {
    let threshold = params
        .threshold
        .unwrap_or(coalesce_screen::DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "threshold must be between 0 and 1",
        ));
    }
    let limit = params.limit.unwrap_or(5);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    if req.queries.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "queries must hold at least one query",
        ));
    }
    if req.queries.len() > MAX_QUERIES {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("at most {MAX_QUERIES} queries per request"),
        ));
    }
    let mut queries: Vec<(String, QueryIn, MatchQuery)> = Vec::with_capacity(req.queries.len());
    for (key, q) in req.queries {
        if key.is_empty() || key.chars().count() > 100 {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                "query keys must be 1-100 characters",
            ));
        }
        let mq = q.to_match_query(&key)?;
        queries.push((key, q, mq));
    }
    let screener = screener(&st)?;
    let opts = MatchOptions {
        limit,
        threshold,
        cutoff: MatchOptions::default().cutoff.min(threshold),
    };
    let hashes = st.entry_hashes.clone();
    // Scoring is CPU work: keep it off the async workers.
    let computed = tokio::task::spawn_blocking(move || {
        queries
            .into_iter()
            .map(|(key, q, mq)| {
                let r = screener
                    .match_query(&mq, &opts)
                    .map_err(|e| format!("query {key:?}: {e}"))?;
                let results: Vec<ScreenResultOut> = r
                    .results
                    .into_iter()
                    .map(|r| result_out(r, &hashes))
                    .collect();
                Ok((key, q, results))
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "screening task failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the node's log",
        )
    })?
    .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", e))?;
    let mut groups: Vec<(Vec<String>, Vec<ScreenResultOut>)> = computed
        .iter()
        .map(|(_, q, results)| (q.properties.name.clone(), results.clone()))
        .collect();
    attach_decisions(&st.store, &auth.principal, &mut groups).await?;
    let responses = computed
        .into_iter()
        .zip(groups)
        .map(|((key, query, _), (_, results))| {
            let alerts = results.iter().filter(|r| r.alert()).count();
            (
                key,
                QueryResponseOut {
                    status: 200,
                    query,
                    results,
                    alerts,
                },
            )
        })
        .collect();
    Ok(Json(MatchResponseOut {
        responses,
        threshold,
        limit,
    }))
}

/// A list version the node has loaded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListVersionOut {
    /// `un` or `ofac`
    pub source: String,
    /// Publication date as the list gives it.
    pub published: Option<String>,
    /// SHA-256 of the published files.
    pub content_hash: String,
    pub entries: i64,
    /// Screening uses this version now.
    pub loaded: bool,
    /// When the node first loaded this version (null if not recorded).
    pub first_loaded_at: Option<String>,
    pub last_loaded_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListVersionList {
    pub items: Vec<ListVersionOut>,
    pub next: Option<String>,
}

/// The sanctions list versions screening uses now, then the earlier versions
/// this node loaded before (newest first).
#[utoipa::path(get, path = "/screen/lists", tag = "screening",
    responses((status = 200, body = ListVersionList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_lists(
    State(st): State<AppState>,
    _auth: Auth,
) -> Result<Json<ListVersionList>, ApiError> {
    let recorded = st.store.list_versions().await?;
    let loaded: Vec<(String, String)> = st
        .screener
        .as_ref()
        .map(|s| {
            s.versions()
                .iter()
                .map(|v| (v.source.clone(), v.content_hash.clone()))
                .collect()
        })
        .unwrap_or_default();
    let mut items: Vec<ListVersionOut> = Vec::new();
    if let Some(s) = &st.screener {
        for v in s.versions() {
            let rec = recorded
                .iter()
                .find(|r| r.source == v.source && r.content_hash == v.content_hash);
            items.push(ListVersionOut {
                source: v.source.clone(),
                published: v.published.clone(),
                content_hash: v.content_hash.clone(),
                entries: i64::try_from(v.entries).unwrap_or(i64::MAX),
                loaded: true,
                first_loaded_at: rec.map(|r| rfc3339(r.first_loaded_at_ms)),
                last_loaded_at: rec.map(|r| rfc3339(r.last_loaded_at_ms)),
            });
        }
    }
    for r in recorded {
        if loaded
            .iter()
            .any(|(s, h)| *s == r.source && *h == r.content_hash)
        {
            continue;
        }
        items.push(ListVersionOut {
            source: r.source,
            published: r.published,
            content_hash: r.content_hash,
            entries: r.entries,
            loaded: false,
            first_loaded_at: Some(rfc3339(r.first_loaded_at_ms)),
            last_loaded_at: Some(rfc3339(r.last_loaded_at_ms)),
        });
    }
    Ok(Json(ListVersionList { items, next: None }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionList {
    pub items: Vec<DecisionOut>,
    pub next: Option<String>,
}

/// Record a review decision on a hit for the caller's member (contributors
/// and above). Later matches of the same party and entry carry it while the
/// entry is unchanged. Audited.
#[utoipa::path(post, path = "/screen/decisions", tag = "screening", request_body = DecisionIn,
    responses(
        (status = 201, body = DecisionOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_decision(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(d): ApiJson<DecisionIn>,
) -> Result<(StatusCode, Json<DecisionOut>), ApiError> {
    let decision = record(&st, &auth.principal, &d).await?;
    Ok((StatusCode::CREATED, Json(decision_out(decision, &st))))
}

/// The review decisions of the caller's member, newest first.
#[utoipa::path(get, path = "/screen/decisions", tag = "screening", params(PageParams),
    responses((status = 200, body = DecisionList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_decisions(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<DecisionList>, ApiError> {
    let page = st
        .store
        .list_screening_decisions(&auth.principal, q.cursor.as_deref(), q.limit.unwrap_or(50))
        .await?;
    Ok(Json(DecisionList {
        items: page
            .items
            .into_iter()
            .map(|d| decision_out(d, &st))
            .collect(),
        next: page.next,
    }))
}
