//! Allocation runs and proposals (issue 5).

use crate::allocation::{run_allocation, run_out, start_allocation, ProposalOut, RunOut};
use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire_needs::ContributionOut;
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use coalesce_app::jobs::JobOut;
use coalesce_store::allocation::Decision;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Run an allocation (coordinators): the optimal assignment of the
/// standalone pledges you may read to the open requirements you may read,
/// with an explanation for every proposal and every gap. The run is a job
/// (`/jobs/{id}`): by default the request waits for it and answers the run
/// (201), and the run is cancelled if the client goes away; with `Prefer:
/// respond-async` it answers 202 at once with the job, its `Location`
/// naming it. One run per member at a time (409 `job_running`); a run over
/// more compatible pairs than the node allows is refused (422 `too_large`).
#[utoipa::path(post, path = "/allocations", tag = "allocation",
    params(("Prefer" = Option<String>, Header, description = "`respond-async`: answer 202 with the job at once")),
    responses((status = 201, body = RunOut), (status = 202, body = JobOut, headers(("Location" = String, description = "the job"))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_run(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if super::jobs::prefers_async(&headers) {
        return Ok(super::jobs::accepted(start_allocation(
            &st,
            &auth.principal,
        )?));
    }
    Ok((
        StatusCode::CREATED,
        Json(run_allocation(&st, &auth.principal).await?),
    )
        .into_response())
}

/// A run of your member's.
#[utoipa::path(get, path = "/allocations/{id}", tag = "allocation", params(("id" = String, Path)),
    responses((status = 200, body = RunOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_run(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<RunOut>, ApiError> {
    super::check_record_id(&id, "no such allocation run")?;
    let run = st.store.get_allocation_run(&auth.principal, &id).await?;
    Ok(Json(run_out(&st.store, &auth.principal, run).await?))
}

/// A run in its STIX 2.1 form, as you may read it now (the parts about
/// requirements and offers you may no longer read are left out, as in
/// `GET /allocations/{id}`). Described in the OpenAPI document with the
/// other STIX forms.
pub async fn run_stix(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    super::check_record_id(&id, "no such allocation run")?;
    let r = st.store.allocation_run_record(&auth.principal, &id).await?;
    super::records::stix_bundle::<coalesce_domain::allocation_run::AllocationRunKind>(
        &st,
        &auth.principal,
        r,
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProposalQuery {
    /// Only proposals for your member's offers.
    pub mine: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProposalList {
    pub items: Vec<ProposalOut>,
    pub next: Option<String>,
}

/// Proposals you may read, newest run first (`mine=true`: for your member's offers).
#[utoipa::path(get, path = "/proposals", tag = "allocation", params(ProposalQuery),
    responses((status = 200, body = ProposalList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_proposals(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ProposalQuery>,
) -> Result<Json<ProposalList>, ApiError> {
    let items = st
        .store
        .list_proposals(&auth.principal, None, q.mine.unwrap_or(false))
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(ProposalList { items, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// `accept` or `reject`.
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// Accept or reject a proposal (coordinators of the member that ran it).
#[utoipa::path(post, path = "/proposals/{id}/decision", tag = "allocation", params(("id" = String, Path)), request_body = DecisionIn,
    responses((status = 200, body = ProposalOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn decide(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionIn>,
) -> Result<Json<ProposalOut>, ApiError> {
    super::check_record_id(&id, "no such proposal")?;
    let decision = match body.decision.as_str() {
        "accept" => Decision::Accept,
        "reject" => Decision::Reject,
        other => {
            return Err(ApiError::from(coalesce_domain::DomainError::InvalidField {
                field: "decision",
                reason: format!("{other:?}: expected accept or reject"),
            }))
        }
    };
    let p = st
        .store
        .decide_proposal(&auth.principal, &id, decision, &body.reason)
        .await?;
    Ok(Json(p.into()))
}

/// Commit an accepted proposal (users of the offering member): the amount
/// becomes a committed contribution against the requirement; the offer
/// keeps the rest.
#[utoipa::path(post, path = "/proposals/{id}/commit", tag = "allocation", params(("id" = String, Path)),
    responses((status = 201, body = ContributionOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn commit(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<ContributionOut>), ApiError> {
    super::check_record_id(&id, "no such proposal")?;
    let c = st.store.commit_proposal(&auth.principal, &id).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}
