//! The plenary report (issue 18) for the caller's member: computed over
//! what that member may read, kept as a dated snapshot (audited as a
//! read), served as HTML or PDF; a kept one is served again exactly as it
//! was. A user gets the report of its own member only: another member's
//! would show what that member reads, which the caller may not.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::plenary::{default_as_of, from_snapshot, generate, Request};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use coalesce_report::plenary::{html, Plenary};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlenaryQuery {
    /// YYYY-MM-DD, not in the future (default: today, or the node's
    /// follow-up date).
    pub as_of: Option<String>,
    /// The meeting it is written for (its record id).
    pub meeting: Option<String>,
    /// `html` (default) or `pdf`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// `html` (default) or `pdf`.
    pub format: Option<String>,
}

/// The report as the format asks, with its snapshot's id.
pub async fn render(
    report: &Plenary,
    format: Option<&str>,
    snapshot: &str,
    pdf_href: Option<&str>,
) -> Result<Response, ApiError> {
    let id = HeaderValue::from_str(snapshot).unwrap_or(HeaderValue::from_static(""));
    let snapshot_header = HeaderName::from_static("x-coalesce-snapshot");
    match format.unwrap_or("html") {
        "html" => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (snapshot_header, id),
            ],
            html(report, Some("/static/report.css"), pdf_href),
        )
            .into_response()),
        "pdf" => {
            let bytes = crate::plenary::typeset(report).await?;
            let disposition = format!(
                "inline; filename=\"plenary-{}-{}.pdf\"",
                report.reader, report.as_of
            );
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/pdf"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition)
                            .unwrap_or(HeaderValue::from_static("inline")),
                    ),
                    (snapshot_header, id),
                ],
                bytes,
            )
                .into_response())
        }
        other => Err(ApiError::bad_request(
            "invalid_query",
            format!("format: {other:?} is neither html nor pdf"),
        )),
    }
}

/// The progress report for your member: cover, executive summary,
/// progress by line of effort, requirements and gaps, duplication,
/// contributions by member, the fund, meetings and decisions, commitments
/// and an annex — every figure over what your member may read, each
/// section marked with its most restrictive source. Kept as a snapshot
/// (its id in `X-Coalesce-Snapshot`).
#[utoipa::path(get, path = "/report/plenary", tag = "report", params(PlenaryQuery),
    responses((status = 200, content_type = "text/html", body = String), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn plenary(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PlenaryQuery>,
) -> Result<Response, ApiError> {
    if let Some(f) = q
        .format
        .as_deref()
        .filter(|f| !matches!(*f, "html" | "pdf"))
    {
        return Err(ApiError::bad_request(
            "invalid_query",
            format!("format: {f:?} is neither html nor pdf"),
        ));
    }
    let as_of = match q.as_of.clone() {
        Some(d) => d,
        None => default_as_of(&st.store).await?,
    };
    let (id, report) = generate(
        &st.store,
        Some(&auth.principal),
        &auth.principal,
        &Request {
            as_of,
            meeting: q.meeting.clone(),
        },
    )
    .await?;
    render(&report, q.format.as_deref(), &id, None).await
}

/// A kept report of your member, exactly as it was made.
#[utoipa::path(get, path = "/report/snapshots/{id}", tag = "report", params(("id" = String, Path), FormatQuery),
    responses((status = 200, content_type = "text/html", body = String), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn snapshot(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    super::check_record_id(&id, "no such report")?;
    let snap = st.store.report_snapshot(Some(&auth.principal), &id).await?;
    let report = from_snapshot(&snap.data)?;
    render(&report, q.format.as_deref(), &snap.id, None).await
}
