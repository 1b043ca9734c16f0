//! The coordination picture and indicators (issue 3). Every figure is the
//! store's, computed only over what the caller may read.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire::PageParams;
use crate::wire_picture::*;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::source::Subject;
use coalesce_store::needs::ContributionFilter;
use coalesce_store::picture::Dimension;

/// How many open requirements and recent deliveries a dashboard shows.
const DASHBOARD_REQUIREMENTS: i64 = 50;
const DASHBOARD_DELIVERIES: i64 = 20;

/// How many contributions the caller may read that pass the filters.
#[utoipa::path(get, path = "/contributions/count", tag = "picture", params(ContributionQuery),
    responses((status = 200, body = ContributionCount), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn count_contributions(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ContributionQuery>,
) -> Result<Json<ContributionCount>, ApiError> {
    let count = st
        .store
        .count_contributions(&auth.principal, &q.filter()?)
        .await?;
    Ok(Json(ContributionCount { count }))
}

/// Totals of the contributions the caller may read, grouped by line of
/// effort, member, country, first-level area (P-code) or category, one row
/// per group and unit.
#[utoipa::path(get, path = "/picture/totals", tag = "picture", params(TotalsQuery),
    responses((status = 200, body = TotalList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn totals(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<TotalsQuery>,
) -> Result<Json<TotalList>, ApiError> {
    let by = Dimension::parse(&q.by).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_query",
            "by: expected line_of_effort, member, country, admin1 or category",
        )
    })?;
    let items = st
        .store
        .contribution_totals(&auth.principal, &q.filter()?, by)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(TotalList { items }))
}

/// Contributions pledged and deliveries made per month, over what the caller may read.
#[utoipa::path(get, path = "/picture/trend", tag = "picture", params(ContributionQuery),
    responses((status = 200, body = TrendOut), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn trend(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ContributionQuery>,
) -> Result<Json<TrendOut>, ApiError> {
    let months = st
        .store
        .contribution_trend(&auth.principal, &q.filter()?)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(TrendOut { months }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LineQuery {
    /// Only this line of effort.
    pub line_of_effort: Option<String>,
}

/// Duplication over what the caller may read: requirements whose
/// contributions together exceed them, and standalone contributions of the
/// same category to the same place in overlapping windows.
#[utoipa::path(get, path = "/picture/duplication", tag = "picture", params(LineQuery),
    responses((status = 200, body = DuplicationOut), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn duplication(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<LineQuery>,
) -> Result<Json<DuplicationOut>, ApiError> {
    let d = st
        .store
        .duplication(&auth.principal, q.line_of_effort.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(d.into()))
}

/// A line of effort's dashboard.
#[utoipa::path(get, path = "/lines-of-effort/{slug}/dashboard", tag = "picture", params(("slug" = String, Path)),
    responses((status = 200, body = DashboardOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn dashboard(
    State(st): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> Result<Json<DashboardOut>, ApiError> {
    Ok(Json(dashboard_of(&st, &auth.principal, &slug).await?))
}

/// The dashboard's data (shared with the web page).
pub async fn dashboard_of(
    st: &AppState,
    p: &coalesce_store::Principal,
    slug: &str,
) -> Result<DashboardOut, ApiError> {
    let lines = st.store.list_lines_of_effort().await?;
    if !lines.iter().any(|l| l.slug == slug) {
        return Err(ApiError::not_found("no such line of effort"));
    }
    let filter = ContributionFilter {
        line_of_effort: Some(slug.to_string()),
        ..ContributionFilter::default()
    };
    // Independent reads, each on its own connection: the dashboard waits
    // for the slowest, not for the sum (on PostgreSQL each is a round trip).
    let store = &st.store;
    let indicators = async {
        let mut on_line = store.list_indicators().await?;
        on_line.retain(|i| i.line_of_effort.as_deref() == Some(slug));
        let standings = store.indicator_standings(p, on_line).await?;
        Ok::<_, coalesce_store::StoreError>(
            standings
                .into_iter()
                .map(|(i, s)| IndicatorOut::new(i, s))
                .collect::<Vec<_>>(),
        )
    };
    let (requirements, recent, by_member, by_category, trend, indicators) = tokio::try_join!(
        store.requirements_with_figures(p, slug, DASHBOARD_REQUIREMENTS),
        store.recent_deliveries(p, &filter, DASHBOARD_DELIVERIES),
        store.contribution_totals(p, &filter, Dimension::Member),
        store.contribution_totals(p, &filter, Dimension::Category),
        store.contribution_trend(p, &filter),
        indicators,
    )?;
    Ok(DashboardOut {
        line_of_effort: slug.to_string(),
        requirements: requirements.into_iter().map(Into::into).collect(),
        recent_deliveries: recent.into_iter().map(Into::into).collect(),
        by_member: by_member.into_iter().map(Into::into).collect(),
        by_category: by_category.into_iter().map(Into::into).collect(),
        trend: trend.into_iter().map(Into::into).collect(),
        indicators,
    })
}

// ----- indicators ---------------------------------------------------------

/// Every indicator with its figures over the values the caller may read.
#[utoipa::path(get, path = "/indicators", tag = "indicators",
    responses((status = 200, body = IndicatorList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_indicators(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<Json<IndicatorList>, ApiError> {
    let all = st.store.list_indicators().await?;
    let items = st
        .store
        .indicator_standings(&auth.principal, all)
        .await?
        .into_iter()
        .map(|(i, s)| IndicatorOut::new(i, s))
        .collect();
    Ok(Json(IndicatorList { items }))
}

/// Define an indicator, or redefine one with the same slug (coordinators only).
#[utoipa::path(post, path = "/indicators", tag = "indicators", request_body = IndicatorIn,
    responses(
        (status = 201, body = IndicatorOut), (status = 200, body = IndicatorOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn define_indicator(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<IndicatorIn>,
) -> Result<(StatusCode, Json<IndicatorOut>), ApiError> {
    let draft = body.draft()?;
    let (_, created) = st.store.define_indicator(&auth.principal, &draft).await?;
    let (i, s) = st
        .store
        .indicator_standing(&auth.principal, draft.slug.as_str())
        .await?;
    let code = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(IndicatorOut::new(i, s))))
}

fn check_slug(slug: &str) -> Result<(), ApiError> {
    coalesce_domain::Slug::parse(slug)
        .map(|_| ())
        .map_err(|_| ApiError::not_found("no such indicator"))
}

/// One indicator with its figures.
#[utoipa::path(get, path = "/indicators/{slug}", tag = "indicators", params(("slug" = String, Path)),
    responses((status = 200, body = IndicatorOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_indicator(
    State(st): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> Result<Json<IndicatorOut>, ApiError> {
    check_slug(&slug)?;
    let (i, s) = st.store.indicator_standing(&auth.principal, &slug).await?;
    let mut out = IndicatorOut::new(i, s);
    out.source = st.store.source_of(&Subject::Indicator(slug)).await?;
    Ok(Json(out))
}

/// The values of an indicator the caller may read, newest first.
#[utoipa::path(get, path = "/indicators/{slug}/values", tag = "indicators", params(("slug" = String, Path), PageParams),
    responses((status = 200, body = ValueList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_values(
    State(st): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<ValueList>, ApiError> {
    check_slug(&slug)?;
    st.store.get_indicator(&slug).await?;
    let page = st
        .store
        .list_indicator_values(
            &auth.principal,
            &slug,
            q.cursor.as_deref(),
            q.limit.unwrap_or(50),
        )
        .await?;
    Ok(Json(ValueList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// Report a value of an indicator; the caller's member is its source.
#[utoipa::path(post, path = "/indicators/{slug}/values", tag = "indicators", params(("slug" = String, Path)), request_body = ValueIn,
    responses(
        (status = 201, body = ValueOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn report_value(
    State(st): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ValueIn>,
) -> Result<(StatusCode, Json<ValueOut>), ApiError> {
    check_slug(&slug)?;
    let draft = body.draft()?;
    let v = st
        .store
        .report_indicator_value(&auth.principal, &slug, &draft)
        .await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}
