//! Sanctions screening: yente-shaped `/screen/match`, the loaded list
//! versions, and the member's review decisions.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::screening::{
    contribution_party, decision_out, entity_party, list_versions_out, record, rescreen_out,
    screen_jobs, screen_parties, DecisionIn, DecisionOut, ListChangesOut, ListVersionList,
    MatchRequest, QueryIn, RecordScreeningOut, RescreenOut, ScreenJob, ScreenResultOut, MAX_LIMIT,
    MAX_QUERIES,
};
use crate::wire::PageParams;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_screen::MatchOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

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
    let (threshold, limit) = match_limits(params.threshold, params.limit)?;
    check_query_count(req.queries.len())?;
    let mut jobs = Vec::with_capacity(req.queries.len());
    for (key, q) in req.queries {
        check_query_key(&key)?;
        let match_query = q.to_match_query(&key)?;
        jobs.push(ScreenJob {
            label: format!("query {key:?}"),
            tag: key,
            query: q,
            match_query,
        });
    }
    let opts = MatchOptions {
        limit,
        threshold,
        cutoff: MatchOptions::default().cutoff.min(threshold),
    };
    let computed = screen_jobs(&st, &auth.principal, jobs, opts).await?;
    let responses = computed
        .into_iter()
        .map(|(key, query, results)| {
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

/// The threshold (default the matcher's) and results per query (default
/// 5) of a match request, checked (shared with yente's `/match`).
pub(crate) fn match_limits(
    threshold: Option<f64>,
    limit: Option<usize>,
) -> Result<(f64, usize), ApiError> {
    let threshold = threshold.unwrap_or(coalesce_screen::DEFAULT_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "threshold must be between 0 and 1",
        ));
    }
    let limit = limit.unwrap_or(5);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    Ok((threshold, limit))
}

/// A match request holds 1 to [`MAX_QUERIES`] queries.
pub(crate) fn check_query_count(n: usize) -> Result<(), ApiError> {
    if n == 0 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "queries must hold at least one query",
        ));
    }
    if n > MAX_QUERIES {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("at most {MAX_QUERIES} queries per request"),
        ));
    }
    Ok(())
}

/// A query's key is 1-100 characters.
pub(crate) fn check_query_key(key: &str) -> Result<(), ApiError> {
    if key.is_empty() || key.chars().count() > 100 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "query keys must be 1-100 characters",
        ));
    }
    Ok(())
}

/// A list version the node has loaded.
#[utoipa::path(get, path = "/screen/lists", tag = "screening",
    responses((status = 200, body = ListVersionList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_lists(
    State(st): State<AppState>,
    _auth: Auth,
) -> Result<Json<ListVersionList>, ApiError> {
    Ok(Json(ListVersionList {
        items: list_versions_out(&st).await?,
        next: None,
    }))
}

/// What changed in a recorded list version since the version of the same
/// list loaded before it: entries added, removed and changed, with their
/// names. 404 for an unknown id or the first version of a list.
#[utoipa::path(get, path = "/screen/lists/{id}/changes", tag = "screening", params(("id" = String, Path)),
    responses(
        (status = 200, body = ListChangesOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_changes(
    State(st): State<AppState>,
    _auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ListChangesOut>, ApiError> {
    super::check_record_id(
        &id,
        "no such list version, or no earlier version to compare with",
    )?;
    let changes = st.store.list_version_changes(&id).await?.ok_or_else(|| {
        ApiError::not_found("no such list version, or no earlier version to compare with")
    })?;
    Ok(Json(ListChangesOut::from(changes)))
}

/// What the rescreen after a list version found: the parties of open
/// records (live entities, contributions not cancelled) screened against
/// the entries the version added or changed, and the matches on records
/// the caller may read now. 404 for an unknown id, the first version of a
/// list, or a version not rescreened yet (the node rescreens in the
/// background after loading it).
#[utoipa::path(get, path = "/screen/lists/{id}/rescreen", tag = "screening", params(("id" = String, Path)),
    responses(
        (status = 200, body = RescreenOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_rescreen(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RescreenOut>, ApiError> {
    const NONE: &str = "no such list version, or it was not rescreened (yet)";
    super::check_record_id(&id, NONE)?;
    rescreen_out(&st, &auth.principal, &id, None)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(NONE))
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

// ----- the parties of records ------------------------------------------------

const NOT_FOUND: &str = "no such record, or not releasable to you";

/// Screens the people, organisations and vessels a report is about (those
/// the caller may read) against the loaded sanctions lists, with the
/// member's review decisions. 404 outside the report's audience.
#[utoipa::path(get, path = "/reports/{id}/screening", tag = "screening", params(("id" = String, Path)),
    responses(
        (status = 200, body = RecordScreeningOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn screen_report(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RecordScreeningOut>, ApiError> {
    super::check_record_id(&id, NOT_FOUND)?;
    let p = &auth.principal;
    let report = st.store.get_report(p, &id).await?;
    let mut parties = Vec::new();
    for link in &report.entities {
        match st.store.get_entity(p, &link.entity_id).await {
            Ok(e) => parties.extend(entity_party(&e, &link.role)),
            // An entity outside the caller's audience is not screened (nor named).
            Err(coalesce_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(screen_parties(&st, p, parties).await?))
}

/// Screens one person, organisation or vessel (all its names, date of
/// birth, nationality, documents, IMO number). 404 outside its audience.
#[utoipa::path(get, path = "/entities/{id}/screening", tag = "screening", params(("id" = String, Path)),
    responses(
        (status = 200, body = RecordScreeningOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn screen_entity(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RecordScreeningOut>, ApiError> {
    super::check_record_id(&id, NOT_FOUND)?;
    let p = &auth.principal;
    let e = st.store.get_entity(p, &id).await?;
    let parties = entity_party(&e, "subject").into_iter().collect();
    Ok(Json(screen_parties(&st, p, parties).await?))
}

/// Screens the suppliers, carriers, consignees, ... of a contribution.
/// 404 outside its audience.
#[utoipa::path(get, path = "/contributions/{id}/screening", tag = "screening", params(("id" = String, Path)),
    responses(
        (status = 200, body = RecordScreeningOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn screen_contribution(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RecordScreeningOut>, ApiError> {
    super::check_record_id(&id, NOT_FOUND)?;
    let p = &auth.principal;
    let c = st.store.get_contribution(p, &id).await?;
    let parties = c.parties.iter().map(contribution_party).collect();
    Ok(Json(screen_parties(&st, p, parties).await?))
}
