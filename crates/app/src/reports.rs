//! What the API and the web pages both do with reports and entities:
//! correlations of an entity, checked search filters.

use crate::wire_reports::{CorrelationOut, SearchQuery};
use crate::{ApiError, AppState};
use axum::http::StatusCode;
use coalesce_domain::reports::{EntityKind, ReportKind};
use coalesce_store::reports::SearchFilter;

/// Correlations of an entity (shared with the web page).
pub async fn correlations_of(
    st: &AppState,
    p: &coalesce_store::Principal,
    id: &str,
) -> Result<Vec<CorrelationOut>, ApiError> {
    let focal = st.store.get_entity(p, id).await?;
    let candidates = st.store.correlation_candidates(p, id).await?;
    let found =
        tokio::task::spawn_blocking(move || crate::correlation::correlate(&focal, candidates))
            .await
            .map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })?;
    Ok(found
        .into_iter()
        .map(|c| CorrelationOut {
            entity: c.entity.into(),
            score: (c.score * 1000.0).round() / 1000.0,
            is_match: c.is_match,
            reasons: c.reasons,
        })
        .collect())
}

/// The search filters, checked (shared with the web page).
pub fn search_filter(q: &SearchQuery) -> Result<SearchFilter, ApiError> {
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let record = clean(&q.record);
    if let Some(r) = &record {
        if r != "report" && r != "entity" {
            return Err(ApiError::from(coalesce_domain::DomainError::InvalidField {
                field: "record",
                reason: format!("{r:?}: expected report or entity"),
            }));
        }
    }
    let kind = clean(&q.kind);
    if let Some(k) = &kind {
        if ReportKind::parse(k).is_err() && EntityKind::parse(k).is_err() {
            return Err(ApiError::from(coalesce_domain::DomainError::InvalidField {
                field: "kind",
                reason: format!("{k:?} is neither a report kind nor an entity kind"),
            }));
        }
    }
    let date = |v: &Option<String>, field: &'static str| {
        clean(v)
            .map(|d| coalesce_domain::text::iso_date(field, &d))
            .transpose()
    };
    Ok(SearchFilter {
        record,
        kind,
        member: clean(&q.member).map(|m| m.to_ascii_uppercase()),
        line_of_effort: clean(&q.line_of_effort),
        from: date(&q.from, "from")?,
        until: date(&q.until, "until")?,
        tlp: clean(&q.tlp)
            .map(|t| coalesce_domain::Tlp::parse(&t))
            .transpose()?,
    })
}
