//! The plenary report as a page (issue 18): the report of the user's
//! member, made now (or as of a day) over what that member may read, with
//! a PDF button; the same document as `coalesce report plenary` writes.
//! It stands alone (no site layout), printable, without JavaScript.

use super::{api_error_page, Page};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use coalesce_app::plenary::{default_as_of, generate, Request};
use coalesce_app::AppState;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportQuery {
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    meeting: Option<String>,
}

async fn make(st: &AppState, p: &Page, q: &ReportQuery, format: &str) -> Response {
    let as_of = match q.as_of.clone().filter(|d| !d.trim().is_empty()) {
        Some(d) => d,
        None => match default_as_of(&st.store).await {
            Ok(d) => d,
            Err(e) => return api_error_page(e, Some(p)),
        },
    };
    let meeting = q.meeting.clone().filter(|m| !m.trim().is_empty());
    let req = Request {
        as_of: as_of.clone(),
        meeting: meeting.clone(),
    };
    let (id, report) = match generate(&st.store, Some(&p.principal), &p.principal, &req).await {
        Ok(x) => x,
        Err(e) => return api_error_page(e, Some(p)),
    };
    let mut pdf_href = format!("/report.pdf?as_of={as_of}");
    if let Some(m) = &meeting {
        pdf_href.push_str(&format!("&meeting={m}"));
    }
    match format {
        "pdf" => match coalesce_app::plenary::typeset(&report).await {
            Ok(bytes) => (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "inline; filename=\"plenary-{}-{}.pdf\"",
                            report.reader, report.as_of
                        ),
                    ),
                    (header::HeaderName::from_static("x-coalesce-snapshot"), id),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => api_error_page(e, Some(p)),
        },
        _ => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            coalesce_report::plenary::html(&report, Some("/static/report.css"), Some(&pdf_href)),
        )
            .into_response(),
    }
}

pub(crate) async fn page(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ReportQuery>,
) -> Response {
    make(&st, &p, &q, "html").await
}

pub(crate) async fn pdf(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<ReportQuery>,
) -> Response {
    make(&st, &p, &q, "pdf").await
}

pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        coalesce_report::plenary::css(),
    )
        .into_response()
}
