//! The allocation page (issue 5): coordinators run the engine and accept or
//! reject its proposals, each with its explanation; the offering members
//! commit accepted proposals for their offers. Forms carry the CSRF token.

use super::{api_error_page, bad_id_page, csrf_rejection, html, Page};
use crate::form::Form;
use crate::needs::show_amount;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::allocation::{latest_run, start_allocation, ProposalOut};
use coalesce_app::{ApiError, AppState};
use coalesce_domain::Role;
use coalesce_store::allocation::Decision;
use minijinja::{context, Value};
use serde::Deserialize;
use serde_json::json;

fn proposal_json(p: &ProposalOut) -> serde_json::Value {
    json!({
        "id": p.id, "offer": p.offer_title, "offer_id": p.contribution_id, "member": p.offer_member,
        "requirement": p.requirement_title, "requirement_id": p.requirement_id,
        "amount": show_amount(&p.kind, &p.unit, p.amount), "why": p.explanation,
        "status": p.status, "decided_by": p.decided_by, "reason": p.reason,
        "committed": p.committed_contribution_id,
    })
}

async fn page(st: &AppState, p: &Page, status: StatusCode, error: Option<String>) -> Response {
    let pr = &p.principal;
    let coordinator = pr.role >= Role::Coordinator;
    let run = if coordinator {
        match latest_run(&st.store, pr).await {
            Ok(r) => r,
            Err(e) => return api_error_page(e, Some(p)),
        }
    } else {
        None
    };
    let mine = match st.store.list_proposals(pr, None, true).await {
        Ok(m) => m,
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let mine: Vec<_> = mine
        .into_iter()
        .map(ProposalOut::from)
        .map(|p| proposal_json(&p))
        .collect();
    let run = match run {
        Some(r) => {
            // Gaps by title and in their own unit or currency.
            let mut gaps = Vec::new();
            for g in r.gaps.as_array().into_iter().flatten() {
                let rid = g["requirement"].as_str().unwrap_or_default();
                let Ok(req) = st.store.get_requirement(pr, rid).await else {
                    continue;
                };
                let (kind, unit) = (req.measure.kind(), req.measure.unit());
                gaps.push(json!({
                    "id": rid, "title": req.title,
                    "missing": show_amount(kind, unit, g["missing"].as_i64().unwrap_or(0)),
                    "requested": show_amount(kind, unit, g["requested"].as_i64().unwrap_or(0)),
                    "why": g["why"],
                }));
            }
            let mut surplus = Vec::new();
            for o in r.surplus.as_array().into_iter().flatten() {
                let oid = o["offer"].as_str().unwrap_or_default();
                let Ok(c) = st.store.get_contribution(pr, oid).await else {
                    continue;
                };
                let (kind, unit) = (c.measure.kind(), c.measure.unit());
                let amount = |k: &str| show_amount(kind, unit, o[k].as_i64().unwrap_or(0));
                surplus.push(json!({
                    "id": oid, "title": c.title, "member": c.origin,
                    "offered": amount("offered"), "allocated": amount("allocated"),
                    "surplus": amount("surplus"),
                }));
            }
            Some(json!({
                "surplus": surplus,
                "id": r.id, "run_at": r.run_at, "run_by": r.run_by, "requirements": r.requirements,
                "offers": r.offers, "pairs": r.compatible_pairs, "gaps": gaps,
                "proposals": r.proposals.iter().map(proposal_json).collect::<Vec<_>>(),
            }))
        }
        None => None,
    };
    let job = latest_job(st, p);
    let running = job.as_ref().is_some_and(|j| j["status"] == "running");
    let ctx = context! {
        title => p.t("alloc-title"),
        refresh => running.then_some(2),
        job => Value::from_serialize(&job),
        coordinator,
        run => Value::from_serialize(&run),
        mine => Value::from_serialize(&mine),
        error,
    };
    html(Some(p), status, "allocation.html", ctx, st.secure_cookies)
}

pub(crate) async fn show(State(st): State<AppState>, p: Page) -> Response {
    page(&st, &p, StatusCode::OK, None).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn run(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    // The run is a job: a small one has ended before the page is shown,
    // a large one is shown running (with its progress and a cancel button)
    // and goes on if the browser goes away.
    match start_allocation(&st, &p.principal) {
        Ok(job) => {
            let _ = tokio::time::timeout(RUN_WAIT, st.jobs.wait(&job.id)).await;
            Redirect::to("/allocation").into_response()
        }
        Err(e) => page(&st, &p, e.status, Some(e.detail)).await,
    }
}

/// How long the run form waits for the run before showing its progress.
const RUN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

pub(crate) async fn cancel(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    match st.jobs.cancel(&p.principal, &id) {
        Ok(_) => Redirect::to("/allocation").into_response(),
        Err(e) => page(&st, &p, e.status, Some(e.detail)).await,
    }
}

/// The latest allocation job of the reader's member, in words for the page.
fn latest_job(st: &AppState, p: &Page) -> Option<serde_json::Value> {
    let job = st
        .jobs
        .list(&p.principal)
        .into_iter()
        .find(|j| j.kind == "allocation")?;
    let stage_words = p.t(match job.stage.as_str() {
        "loading" | "starting" => "alloc-stage-loading",
        "model" => "alloc-stage-model",
        "pairs" => "alloc-stage-pairs",
        "solving" => "alloc-stage-solving",
        "explaining" => "alloc-stage-explaining",
        "saving" => "alloc-stage-saving",
        _ => "alloc-stage-working",
    });
    let mut v = serde_json::to_value(&job).ok()?;
    v["stage_words"] = json!(stage_words);
    v["error"] = json!(job.error.map(|e| e.detail));
    Some(v)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn decide(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    let decision = match f.decision.as_str() {
        "accept" => Decision::Accept,
        "reject" => Decision::Reject,
        _ => {
            let e = ApiError::bad_request("invalid_form", "accept or reject?");
            return page(&st, &p, e.status, Some(e.detail)).await;
        }
    };
    if let Some(r) = bad_id_page(&id, "no such proposal", &p) {
        return r;
    }
    match st
        .store
        .decide_proposal(&p.principal, &id, decision, &f.reason)
        .await
    {
        Ok(_) => Redirect::to("/allocation").into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            page(&st, &p, e.status, Some(e.detail)).await
        }
    }
}

pub(crate) async fn commit(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = bad_id_page(&id, "no such proposal", &p) {
        return r;
    }
    match st.store.commit_proposal(&p.principal, &id).await {
        Ok(c) => Redirect::to(&format!("/contributions/{}", c.id)).into_response(),
        Err(e) => {
            let e = ApiError::from(e);
            page(&st, &p, e.status, Some(e.detail)).await
        }
    }
}
