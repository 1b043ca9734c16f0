//! Import shared by the API and the web import page: CSV with HXL
//! hashtags (all or nothing, every bad row reported) and STIX 2.1 bundles.

use crate::error::RowProblem;
use crate::{ApiError, AppState};
use axum::http::StatusCode;
use coalesce_exchange::hxl::{self, ImportErrors};
use coalesce_store::Principal;

/// Every bad row of a CSV import as one problem.
pub fn rows_problem(e: ImportErrors) -> ApiError {
    ApiError::rows(
        e.0.into_iter()
            .map(|r| RowProblem {
                line: r.line,
                column: r.column,
                reason: r.reason,
            })
            .collect(),
    )
}

/// What can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Requirements,
    Contributions,
    IndicatorValues,
}

impl ImportKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "requirements" => Some(ImportKind::Requirements),
            "contributions" => Some(ImportKind::Contributions),
            "indicator-values" => Some(ImportKind::IndicatorValues),
            _ => None,
        }
    }
}

/// Parses CSV with HXL hashtags and imports it all or nothing (the API
/// and the web import page both come here). Returns the new ids. Parsing
/// is CPU work on a body of up to [`crate::IMPORT_LIMIT`] bytes: it runs
/// off the async workers, so that other requests go on meanwhile.
pub async fn import_csv(
    st: &AppState,
    p: &Principal,
    kind: ImportKind,
    body: axum::body::Bytes,
) -> Result<Vec<String>, ApiError> {
    let parsed = tokio::task::spawn_blocking(move || match kind {
        ImportKind::Requirements => hxl::requirements_from_hxl(&body).map(|rows| {
            Parsed::Requirements(rows.into_iter().map(|r| (r.line, r.value)).collect())
        }),
        ImportKind::Contributions => hxl::contributions_from_hxl(&body).map(|rows| {
            Parsed::Contributions(rows.into_iter().map(|r| (r.line, r.value)).collect())
        }),
        ImportKind::IndicatorValues => hxl::indicator_values_from_hxl(&body).map(|rows| {
            Parsed::Values(
                rows.into_iter()
                    .map(|r| (r.line, r.value.0.to_string(), r.value.1))
                    .collect(),
            )
        }),
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
    .map_err(rows_problem)?;
    Ok(match parsed {
        Parsed::Requirements(rows) => st.store.import_requirements(p, &rows).await?,
        Parsed::Contributions(rows) => st.store.import_contributions(p, &rows).await?,
        Parsed::Values(rows) => st.store.import_indicator_values(p, &rows).await?,
    })
}

/// The rows of a parsed import, by kind.
enum Parsed {
    Requirements(Vec<(u64, coalesce_domain::needs::RequirementDraft)>),
    Contributions(Vec<(u64, coalesce_domain::needs::ContributionDraft)>),
    Values(Vec<(u64, String, coalesce_domain::indicators::ValueDraft)>),
}

/// The objects of a STIX 2.1 bundle, or why it is not one.
pub fn bundle_objects(bytes: &[u8]) -> Result<Vec<serde_json::Value>, ApiError> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("the body is not JSON: {e}")))?;
    let bundle_problem = |why: &str| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_bundle",
            format!("not a STIX 2.1 bundle: {why}"),
        )
    };
    if v.get("type").and_then(|t| t.as_str()) != Some("bundle") {
        return Err(bundle_problem("`type` is not \"bundle\""));
    }
    let id = v.get("id").and_then(|i| i.as_str()).unwrap_or("");
    if !coalesce_exchange::stix_in::valid_identifier(id, Some("bundle")) {
        return Err(bundle_problem("`id` is not bundle--<UUID>"));
    }
    match v.get("objects") {
        None => Ok(Vec::new()),
        Some(serde_json::Value::Array(a)) => Ok(a.clone()),
        Some(_) => Err(bundle_problem("`objects` is not a list")),
    }
}

/// Writes a bundle's objects all or nothing: (written, held already, ids).
/// Shared by the API and the web import page.
pub async fn stix_import(
    st: &AppState,
    p: &Principal,
    objects: &[serde_json::Value],
) -> Result<(usize, usize, Vec<String>), ApiError> {
    let outcomes = st
        .store
        .stix_add(p, objects, true, "import")
        .await
        .map_err(|e| match e {
            coalesce_store::StoreError::Rows(rows) => ApiError::rows(
                rows.into_iter()
                    .map(|(line, reason)| RowProblem {
                        line,
                        column: format!("objects[{}]", line.saturating_sub(1)),
                        reason,
                    })
                    .collect(),
            ),
            other => other.into(),
        })?;
    let held = outcomes.iter().filter(|o| o.already_held).count();
    Ok((
        outcomes.len() - held,
        held,
        outcomes.into_iter().map(|o| o.id).collect(),
    ))
}
