//! Long work as jobs (issue 20): how far a job is, its outcome, and
//! cancelling it. A job is its member's: other members' users get 404.

use crate::auth::Auth;
use crate::error::Problem;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_app::jobs::JobOut;
use serde::Serialize;
use utoipa::ToSchema;

/// Whether the request asks not to wait (`Prefer: respond-async`).
pub(crate) fn prefers_async(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("respond-async"))
}

/// 202 with a job just started, its `Location` naming it.
pub(crate) fn accepted(job: JobOut) -> axum::response::Response {
    use axum::response::IntoResponse;
    let location = format!("/api/v1/jobs/{}", job.id);
    (
        StatusCode::ACCEPTED,
        [
            (axum::http::header::LOCATION, location),
            (
                axum::http::header::HeaderName::from_static("preference-applied"),
                "respond-async".to_string(),
            ),
        ],
        Json(job),
    )
        .into_response()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    /// Your member's jobs, newest first: the running ones and the last
    /// finished ones (the node forgets jobs when it restarts).
    pub items: Vec<JobOut>,
    pub next: Option<String>,
}

/// Your member's jobs, newest first.
#[utoipa::path(get, path = "/jobs", tag = "jobs",
    responses((status = 200, body = JobList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_jobs(State(st): State<AppState>, auth: Auth) -> Json<JobList> {
    Json(JobList {
        items: st.jobs.list(&auth.principal),
        next: None,
    })
}

/// A job of your member's: its stage and progress while it runs, its
/// phases with their durations, and its result (the path of what it made)
/// or its error (a problem document) when it ended.
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = String, Path)),
    responses((status = 200, body = JobOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_job(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<JobOut>, ApiError> {
    Ok(Json(st.jobs.get(&auth.principal, &id)?))
}

/// Asks a job of your member's to stop (202): it stops within moments and
/// keeps nothing; a job that already ended is answered as it ended (200).
#[utoipa::path(post, path = "/jobs/{id}/cancel", tag = "jobs", params(("id" = String, Path)),
    responses((status = 202, body = JobOut), (status = 200, body = JobOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn cancel_job(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<JobOut>), ApiError> {
    let job = st.jobs.cancel(&auth.principal, &id)?;
    let status = if job.cancel_requested && job.finished_at.is_none() {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(job)))
}
