//! Reports, entities, relationships, correlation and search (issue 6).
//! Releasability is the store's: outside the caller's audience a record is
//! 404 on every path, and lists, links, search and correlations hold only
//! what the caller may read.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire_reports::*;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
pub use coalesce_app::reports::{correlations_of, search_filter};
use coalesce_domain::reports::{EntityKind, RelationshipType, ReportKind};
use coalesce_domain::source::Subject;

fn check_id(id: &str) -> Result<(), ApiError> {
    super::check_record_id(id, "no such record, or not releasable to you")
}

const P400: &str = "application/problem+json";

/// File a report (with links to existing entities and/or new entities).
#[utoipa::path(post, path = "/reports", tag = "reports", request_body = ReportIn,
    responses((status = 201, body = ReportOut), (status = 400, body = Problem, content_type = P400), (status = 401, body = Problem, content_type = P400), (status = 403, body = Problem, content_type = P400), (status = 415, body = Problem, content_type = P400), (status = 422, body = Problem, content_type = P400)))]
pub async fn create_report(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<ReportIn>,
) -> Result<(StatusCode, Json<ReportOut>), ApiError> {
    let (d, new) = body.parts()?;
    let r = st
        .store
        .create_report_with_entities(&auth.principal, &d, &new, coalesce_store::now_ms())
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Reports you may read, newest first (filters: kind, entity).
#[utoipa::path(get, path = "/reports", tag = "reports", params(ReportQuery),
    responses((status = 200, body = ReportList), (status = 400, body = Problem, content_type = P400), (status = 401, body = Problem, content_type = P400)))]
pub async fn list_reports(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Json<ReportList>, ApiError> {
    let kind = q.kind.as_deref().map(ReportKind::parse).transpose()?;
    if let Some(e) = &q.entity {
        check_id(e)?;
    }
    let page = st
        .store
        .list_reports(
            &auth.principal,
            kind,
            q.entity.as_deref(),
            q.cursor.as_deref(),
            q.limit.unwrap_or(50),
        )
        .await?;
    Ok(Json(ReportList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// One report (its marking banner in `banner`).
#[utoipa::path(get, path = "/reports/{id}", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = ReportOut), (status = 401, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn get_report(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ReportOut>, ApiError> {
    check_id(&id)?;
    let mut out: ReportOut = st.store.get_report(&auth.principal, &id).await?.into();
    out.source = st.store.source_of(&Subject::Record(id)).await?;
    Ok(Json(out))
}

/// A new version of your member's report (new entities are not created here: link existing ones).
#[utoipa::path(put, path = "/reports/{id}", tag = "reports", params(("id" = String, Path)), request_body = ReportIn,
    responses((status = 200, body = ReportOut), (status = 400, body = Problem, content_type = P400), (status = 403, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400), (status = 409, body = Problem, content_type = P400), (status = 422, body = Problem, content_type = P400)))]
pub async fn update_report(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReportIn>,
) -> Result<Json<ReportOut>, ApiError> {
    check_id(&id)?;
    let (d, new) = body.parts()?;
    if !new.is_empty() {
        return Err(ApiError::bad_request(
            "bad_request",
            "create new entities with POST /entities, then link them by id",
        ));
    }
    let r = st
        .store
        .update_report(&auth.principal, &id, &d, body.if_version)
        .await?;
    Ok(Json(r.into()))
}

/// Withdraw your member's report (versions kept, audited).
#[utoipa::path(delete, path = "/reports/{id}", tag = "reports", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn withdraw_report(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    check_id(&id)?;
    st.store.withdraw_report(&auth.principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Purge the personal data of your member's report now: the people it
/// names, its documents and, for travel, its text, date and route, from
/// this version and every earlier one, here and on every node that holds
/// it (a correction a change cannot make: a change keeps the old version).
/// Final; audited. A report about people is purged anyway the day after
/// its `retain_until`.
#[utoipa::path(post, path = "/reports/{id}/purge", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = coalesce_app::wire_reports::PurgedOut), (status = 403, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400), (status = 409, body = Problem, content_type = P400)))]
pub async fn purge_report(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<coalesce_app::wire_reports::PurgedOut>, ApiError> {
    check_id(&id)?;
    let done = st
        .store
        .purge_record_now(&auth.principal, "report", &id)
        .await?;
    Ok(Json(done.into()))
}

/// Purge the personal data of your member's person now (name, aliases,
/// date of birth, nationality, documents), from every version, here and on
/// every node that holds it; the person is withdrawn. Final; audited.
#[utoipa::path(post, path = "/entities/{id}/purge", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = coalesce_app::wire_reports::PurgedOut), (status = 400, body = Problem, content_type = P400), (status = 403, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400), (status = 409, body = Problem, content_type = P400)))]
pub async fn purge_entity(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<coalesce_app::wire_reports::PurgedOut>, ApiError> {
    check_id(&id)?;
    let done = st
        .store
        .purge_record_now(&auth.principal, "entity", &id)
        .await?;
    Ok(Json(done.into()))
}

/// The kept versions of a report that the caller may read, oldest first:
/// each as the report was, under the marking it had, showing only the
/// links to entities the caller may read now.
#[utoipa::path(get, path = "/reports/{id}/versions", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = coalesce_app::wire_needs::RecordVersionList), (status = 401, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn report_versions(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<coalesce_app::wire_needs::RecordVersionList>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store.report_versions(&auth.principal, &id).await?.into(),
    ))
}

/// The kept versions of an entity that the caller may read, oldest first,
/// each as the entity was, under the marking it had.
#[utoipa::path(get, path = "/entities/{id}/versions", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = coalesce_app::wire_needs::RecordVersionList), (status = 401, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn entity_versions(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<coalesce_app::wire_needs::RecordVersionList>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store.entity_versions(&auth.principal, &id).await?.into(),
    ))
}

/// Record an entity.
#[utoipa::path(post, path = "/entities", tag = "reports", request_body = EntityIn,
    responses((status = 201, body = EntityOut), (status = 400, body = Problem, content_type = P400), (status = 401, body = Problem, content_type = P400), (status = 403, body = Problem, content_type = P400), (status = 415, body = Problem, content_type = P400), (status = 422, body = Problem, content_type = P400)))]
pub async fn create_entity(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<EntityIn>,
) -> Result<(StatusCode, Json<EntityOut>), ApiError> {
    let e = st
        .store
        .create_entity(&auth.principal, &body.draft()?)
        .await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// Entities you may read, newest first.
#[utoipa::path(get, path = "/entities", tag = "reports", params(EntityQuery),
    responses((status = 200, body = EntityList), (status = 400, body = Problem, content_type = P400), (status = 401, body = Problem, content_type = P400)))]
pub async fn list_entities(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<EntityQuery>,
) -> Result<Json<EntityList>, ApiError> {
    let kind = q.kind.as_deref().map(EntityKind::parse).transpose()?;
    let page = st
        .store
        .list_entities(
            &auth.principal,
            kind,
            q.cursor.as_deref(),
            q.limit.unwrap_or(50),
        )
        .await?;
    Ok(Json(EntityList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// One entity.
#[utoipa::path(get, path = "/entities/{id}", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = EntityOut), (status = 401, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn get_entity(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<EntityOut>, ApiError> {
    check_id(&id)?;
    let mut out: EntityOut = st.store.get_entity(&auth.principal, &id).await?.into();
    out.source = st.store.source_of(&Subject::Record(id)).await?;
    Ok(Json(out))
}

/// A new version of your member's entity.
#[utoipa::path(put, path = "/entities/{id}", tag = "reports", params(("id" = String, Path)), request_body = EntityIn,
    responses((status = 200, body = EntityOut), (status = 403, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400), (status = 409, body = Problem, content_type = P400), (status = 422, body = Problem, content_type = P400)))]
pub async fn update_entity(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EntityIn>,
) -> Result<Json<EntityOut>, ApiError> {
    check_id(&id)?;
    let e = st
        .store
        .update_entity(&auth.principal, &id, &body.draft()?, body.if_version)
        .await?;
    Ok(Json(e.into()))
}

/// Entities other members reported that are likely the same person,
/// organisation or vessel — among those you may read — with score and reasons.
#[utoipa::path(get, path = "/entities/{id}/correlations", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = CorrelationList), (status = 401, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn correlations(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<CorrelationList>, ApiError> {
    check_id(&id)?;
    let items = correlations_of(&st, &auth.principal, &id).await?;
    Ok(Json(CorrelationList { items }))
}

/// Relationships of an entity you may read.
#[utoipa::path(get, path = "/entities/{id}/relationships", tag = "reports", params(("id" = String, Path)),
    responses((status = 200, body = RelationshipList), (status = 401, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400)))]
pub async fn list_relationships(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RelationshipList>, ApiError> {
    check_id(&id)?;
    let items = st
        .store
        .relationships_of(&auth.principal, &id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(RelationshipList { items }))
}

/// Record that this entity relates to another (both readable by you).
#[utoipa::path(post, path = "/entities/{id}/relationships", tag = "reports", params(("id" = String, Path)), request_body = RelationshipIn,
    responses((status = 201, body = RelationshipOut), (status = 400, body = Problem, content_type = P400), (status = 403, body = Problem, content_type = P400), (status = 404, body = Problem, content_type = P400), (status = 422, body = Problem, content_type = P400)))]
pub async fn create_relationship(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RelationshipIn>,
) -> Result<(StatusCode, Json<RelationshipOut>), ApiError> {
    check_id(&id)?;
    let kind = RelationshipType::parse(&body.kind)?;
    let marking = coalesce_domain::Marking::parse(&body.marking.tlp, &body.marking.rel_to)?;
    st.store.get_entity(&auth.principal, &id).await?;
    if super::check_record_id(&body.to, "").is_err() {
        return Err(ApiError::bad_request("bad_request", "unknown entity"));
    }
    let x = st
        .store
        .relate(&auth.principal, &id, &body.to, kind, &body.note, &marking)
        .await?;
    Ok((StatusCode::CREATED, Json(x.into())))
}

/// Full-text search over the reports and entities you may read.
#[utoipa::path(get, path = "/search", tag = "reports", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = Problem, content_type = P400), (status = 401, body = Problem, content_type = P400), (status = 422, body = Problem, content_type = P400)))]
pub async fn search(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let f = search_filter(&q)?;
    let found = st
        .store
        .search_with_spellings(&auth.principal, &q.q, &f, q.limit.unwrap_or(50))
        .await?;
    Ok(Json(SearchResults {
        items: found.hits.into_iter().map(Into::into).collect(),
        also_searched: found
            .respellings
            .into_iter()
            .map(|r| Respelling {
                asked: r.asked,
                also: r.also,
            })
            .collect(),
    }))
}

/// How many reports the caller may read (withdrawn ones left out).
#[utoipa::path(get, path = "/reports/count", tag = "reports",
    responses((status = 200, body = crate::wire::Count), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn count_reports(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<Json<crate::wire::Count>, ApiError> {
    Ok(Json(crate::wire::Count {
        count: st.store.count_reports(&auth.principal).await?,
    }))
}

/// How many entities the caller may read.
#[utoipa::path(get, path = "/entities/count", tag = "reports",
    responses((status = 200, body = crate::wire::Count), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn count_entities(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<Json<crate::wire::Count>, ApiError> {
    Ok(Json(crate::wire::Count {
        count: st.store.count_entities(&auth.principal).await?,
    }))
}
