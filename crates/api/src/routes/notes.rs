use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire::*;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::note::NoteDraft;
use coalesce_domain::source::Subject;
use coalesce_domain::Marking;

fn draft(n: &NoteIn) -> Result<NoteDraft, ApiError> {
    let marking = Marking::parse(&n.marking.tlp, &n.marking.rel_to)?;
    Ok(NoteDraft::parse(
        &n.title,
        &n.body,
        marking,
        n.group.as_deref(),
    )?)
}

fn check_id(id: &str) -> Result<(), ApiError> {
    super::check_record_id(id, "no such note")
}

/// Notes the caller may read, newest first.
#[utoipa::path(get, path = "/notes", tag = "notes", params(PageParams),
    responses((status = 200, body = NoteList), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_notes(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<NoteList>, ApiError> {
    let page = st
        .store
        .list_notes(&auth.principal, q.cursor.as_deref(), q.limit.unwrap_or(50))
        .await?;
    Ok(Json(NoteList {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

/// Share a note under a marking. The caller's member is its origin.
#[utoipa::path(post, path = "/notes", tag = "notes", request_body = NoteIn,
    responses(
        (status = 201, body = NoteOut),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_note(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(n): ApiJson<NoteIn>,
) -> Result<(StatusCode, Json<NoteOut>), ApiError> {
    if n.if_version.is_some() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "if_version applies to updates only",
        ));
    }
    let note = st.store.create_note(&auth.principal, &draft(&n)?).await?;
    Ok((StatusCode::CREATED, Json(note.into())))
}

/// How many notes the caller may read.
#[utoipa::path(get, path = "/notes/count", tag = "notes",
    responses((status = 200, body = Count), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn count_notes(State(st): State<AppState>, auth: Auth) -> Result<Json<Count>, ApiError> {
    Ok(Json(Count {
        count: st.store.count_notes(&auth.principal).await?,
    }))
}

/// One note. Outside the caller's audience it does not exist (404).
#[utoipa::path(get, path = "/notes/{id}", tag = "notes", params(("id" = String, Path)),
    responses((status = 200, body = NoteOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_note(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<NoteOut>, ApiError> {
    check_id(&id)?;
    let mut out: NoteOut = st.store.get_note(&auth.principal, &id).await?.into();
    out.source = st.store.source_of(&Subject::Record(id)).await?;
    Ok(Json(out))
}

/// Change a note (users of its origin member only); makes a new version.
#[utoipa::path(put, path = "/notes/{id}", tag = "notes", params(("id" = String, Path)), request_body = NoteIn,
    responses(
        (status = 200, body = NoteOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_note(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(n): ApiJson<NoteIn>,
) -> Result<Json<NoteOut>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store
            .update_note(&auth.principal, &id, &draft(&n)?, n.if_version)
            .await?
            .into(),
    ))
}

/// Withdraw a note (users of its origin member only); its versions are kept.
#[utoipa::path(delete, path = "/notes/{id}", tag = "notes", params(("id" = String, Path)),
    responses(
        (status = 200, body = NoteOut),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_note(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<NoteOut>, ApiError> {
    check_id(&id)?;
    Ok(Json(
        st.store.revoke_note(&auth.principal, &id).await?.into(),
    ))
}

/// The kept versions of a note that the caller may read, oldest first.
#[utoipa::path(get, path = "/notes/{id}/versions", tag = "notes", params(("id" = String, Path)),
    responses((status = 200, body = NoteVersionList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn note_versions(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<NoteVersionList>, ApiError> {
    check_id(&id)?;
    let items = st
        .store
        .note_versions(&auth.principal, &id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(NoteVersionList { items, next: None }))
}
