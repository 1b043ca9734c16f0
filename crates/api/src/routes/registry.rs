use super::page_by_key;
use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire::*;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::registry::NewMember;
use coalesce_domain::source::Subject;
use coalesce_domain::{MemberCode, Slug};
use coalesce_store::registry::NewGroup;

/// All members of the coalition and the partner nation(s).
#[utoipa::path(get, path = "/members", tag = "registry", params(PageParams),
    responses((status = 200, body = MemberList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_members(
    State(st): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<MemberList>, ApiError> {
    let (items, next) = page_by_key(
        st.store.list_members().await?,
        |m| m.code.as_str(),
        q.cursor.as_deref(),
        q.limit,
    );
    Ok(Json(MemberList {
        items: items.into_iter().map(Into::into).collect(),
        next,
    }))
}

/// Add a member (coordinators of the secretariat member).
#[utoipa::path(post, path = "/members", tag = "registry", request_body = MemberIn,
    responses(
        (status = 201, body = MemberOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_member(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(m): ApiJson<MemberIn>,
) -> Result<(StatusCode, Json<MemberOut>), ApiError> {
    let m = NewMember::parse(&m.code, &m.name, &m.kind, &m.role, m.joined.as_deref())?;
    let created = st.store.create_member(Some(&auth.principal), &m).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One member by code.
#[utoipa::path(get, path = "/members/{code}", tag = "registry", params(("code" = String, Path, description = "Member code, e.g. GBR")),
    responses((status = 200, body = MemberOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_member(
    State(st): State<AppState>,
    _auth: Auth,
    Path(code): Path<String>,
) -> Result<Json<MemberOut>, ApiError> {
    MemberCode::parse(&code)?;
    let mut out: MemberOut = st.store.get_member(&code).await?.into();
    out.source = st.store.source_of(&Subject::Member(code)).await?;
    Ok(Json(out))
}

/// Groups (small group, working groups, task forces, communities) with their members.
#[utoipa::path(get, path = "/groups", tag = "registry", params(PageParams),
    responses((status = 200, body = GroupList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_groups(
    State(st): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<GroupList>, ApiError> {
    let (items, next) = page_by_key(
        st.store.list_groups().await?,
        |g| g.slug.as_str(),
        q.cursor.as_deref(),
        q.limit,
    );
    Ok(Json(GroupList {
        items: items.into_iter().map(Into::into).collect(),
        next,
    }))
}

/// Create a group (coordinators of the secretariat member).
#[utoipa::path(post, path = "/groups", tag = "registry", request_body = GroupIn,
    responses(
        (status = 201, body = GroupOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_group(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(g): ApiJson<GroupIn>,
) -> Result<(StatusCode, Json<GroupOut>), ApiError> {
    let g = NewGroup::parse(&g.slug, &g.name, &g.kind, &g.description, &g.members)?;
    let created = st.store.create_group(Some(&auth.principal), &g).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One group by slug.
#[utoipa::path(get, path = "/groups/{slug}", tag = "registry", params(("slug" = String, Path)),
    responses((status = 200, body = GroupOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_group(
    State(st): State<AppState>,
    _auth: Auth,
    Path(slug): Path<String>,
) -> Result<Json<GroupOut>, ApiError> {
    Slug::parse(&slug)?;
    let mut out: GroupOut = st.store.get_group(&slug).await?.into();
    out.source = st.store.source_of(&Subject::Group(slug)).await?;
    Ok(Json(out))
}

/// Replace a group's members (coordinators of the secretariat member).
/// Records marked for the group open to new members at once.
#[utoipa::path(put, path = "/groups/{slug}/members", tag = "registry", params(("slug" = String, Path)), request_body = GroupMembersIn,
    responses(
        (status = 200, body = GroupOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_group_members(
    State(st): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<GroupMembersIn>,
) -> Result<Json<GroupOut>, ApiError> {
    let slug = Slug::parse(&slug)?;
    let members = body
        .members
        .iter()
        .map(|m| MemberCode::parse(m))
        .collect::<Result<_, _>>()?;
    Ok(Json(
        st.store
            .set_group_members(Some(&auth.principal), &slug, &members)
            .await?
            .into(),
    ))
}

/// Lines of effort, in their configured order.
#[utoipa::path(get, path = "/lines-of-effort", tag = "registry", params(PageParams),
    responses((status = 200, body = LineOfEffortList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_lines_of_effort(
    State(st): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<LineOfEffortList>, ApiError> {
    // Ordered by position, so the cursor is an index into the list.
    let all = st.store.list_lines_of_effort().await?;
    let start = match q.cursor.as_deref() {
        None => 0,
        Some(c) => c.parse::<usize>().map_err(|_| {
            ApiError::bad_request("invalid_cursor", "pass back the value of `next` unchanged")
        })?,
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 500) as usize;
    let end = (start + limit).min(all.len());
    let items = all
        .into_iter()
        .skip(start)
        .take(limit)
        .map(Into::into)
        .collect::<Vec<LineOfEffortOut>>();
    let next = (items.len() == limit).then(|| end.to_string());
    Ok(Json(LineOfEffortList { items, next }))
}

/// Add a line of effort (coordinators of the secretariat member).
#[utoipa::path(post, path = "/lines-of-effort", tag = "registry", request_body = LineOfEffortIn,
    responses(
        (status = 201, body = LineOfEffortOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_line_of_effort(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(l): ApiJson<LineOfEffortIn>,
) -> Result<(StatusCode, Json<LineOfEffortOut>), ApiError> {
    let created = st
        .store
        .create_line_of_effort(Some(&auth.principal), &l.slug, &l.name, &l.description)
        .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}
