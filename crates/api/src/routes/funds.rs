//! The stabilisation fund's ledger (issue 16). Funds and their projects
//! are kinds of the record layer (`/funds`, `/fund-projects`); these are
//! what the ledger adds: operations recorded all or nothing, the status
//! table and its breakdowns over what the reader may read, transfers, and
//! exchange rates.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiQuery};
use crate::wire_fund::{
    BreakdownOut, OperationsIn, RateWire, StatusOut, TransferOut, TransferPage,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::fund::FundProjectKind;
use coalesce_domain::record::RefTarget;
use coalesce_store::fund::BreakdownBy;
use coalesce_store::records::RecordFilter;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

/// The most operations one request records.
pub const MAX_OPERATIONS: usize = 10_000;

/// Record operations of a fund (its fund managers): in order, all or
/// nothing. A refused operation is a 422 whose code names the ledger rule
/// it breaks (`already_resolved`, `limit_exceeded`, `no_rate`,
/// `reversal_of_reversal`, …) and whose detail names the operation.
#[utoipa::path(post, path = "/funds/{id}/operations", tag = "fund", params(("id" = String, Path)), request_body = OperationsIn,
    responses((status = 201, body = Vec<TransferOut>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record_operations(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OperationsIn>,
) -> Result<(StatusCode, Json<Vec<TransferOut>>), ApiError> {
    super::check_record_id(&id, "no such fund")?;
    if body.operations.is_empty() || body.operations.len() > MAX_OPERATIONS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("give 1 to {MAX_OPERATIONS} operations"),
        ));
    }
    let ops = body
        .operations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            o.parse()
                .map_err(|e| e.prefixed(&format!("operation {i}: ")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let written = st
        .store
        .fund_operations(Some(&auth.principal), &id, &ops)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(written.iter().map(TransferOut::from).collect()),
    ))
}

/// The fund's status table (sources, uses, balances with the agent and
/// with the organisations), per currency and converted to the base
/// currency, over the transfers you may read; `partial` says when some
/// are not releasable to you.
#[utoipa::path(get, path = "/funds/{id}/status", tag = "fund", params(("id" = String, Path)),
    responses((status = 200, body = StatusOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn status(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<StatusOut>, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let s = st.store.fund_status(&auth.principal, &id).await?;
    Ok(Json(StatusOut::from(&s)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BreakdownQuery {
    /// donor, window, project, organisation or year.
    pub by: String,
}

/// The status lines per donor, window, project, organisation or year, over
/// the transfers you may read.
#[utoipa::path(get, path = "/funds/{id}/breakdown", tag = "fund", params(("id" = String, Path), BreakdownQuery),
    responses((status = 200, body = BreakdownOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn breakdown(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BreakdownQuery>,
) -> Result<Json<BreakdownOut>, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let by = BreakdownBy::parse(q.by.trim()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_query",
            "by: donor, window, project, organisation or year",
        )
    })?;
    let status = st.store.fund_status(&auth.principal, &id).await?;
    let (rows, partial) = st.store.fund_breakdown(&auth.principal, &id, by).await?;
    Ok(Json(BreakdownOut::of(
        q.by.trim(),
        &status.base_currency,
        &rows,
        partial,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TransferQuery {
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<i64>,
}

/// The fund's transfers you may read, in the order they were recorded.
#[utoipa::path(get, path = "/funds/{id}/transfers", tag = "fund", params(("id" = String, Path), TransferQuery),
    responses((status = 200, body = TransferPage), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn transfers(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TransferQuery>,
) -> Result<Json<TransferPage>, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let after = q
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<i64>().map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    format!("invalid cursor {c:?}: pass back the value of `next` unchanged"),
                )
            })
        })
        .transpose()?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
    let items = st
        .store
        .fund_transfers(&auth.principal, &id, after, limit)
        .await?;
    let next = (items.len() as i64 == limit)
        .then(|| items.last().map(|t| t.seq.to_string()))
        .flatten();
    Ok(Json(TransferPage {
        items: items.iter().map(TransferOut::from).collect(),
        next,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProjectQuery {
    pub cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    /// Records of kind `fund_project` (as at `/fund-projects/{id}`).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
    pub next: Option<String>,
}

/// The fund's projects you may read (the same as
/// `/fund-projects?fund={id}`).
#[utoipa::path(get, path = "/funds/{id}/projects", tag = "fund", params(("id" = String, Path), ProjectQuery),
    responses((status = 200, body = ProjectPage), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn projects(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ProjectQuery>,
) -> Result<Json<Value>, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    st.store
        .get_record::<coalesce_domain::fund::FundKind>(&auth.principal, &id)
        .await?;
    let filter = RecordFilter {
        origin: None,
        refers_to: Some((RefTarget::Fund, id)),
    };
    let page = st
        .store
        .list_records::<FundProjectKind>(
            &auth.principal,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(50),
        )
        .await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(super::records::record_out::<FundProjectKind>)
        .collect();
    Ok(Json(json!({ "items": items, "next": page.next })))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RateQuery {
    /// Only rates into this currency.
    pub to: Option<String>,
}

/// Exchange rates held by the node (reference data, not marked).
#[utoipa::path(get, path = "/rates", tag = "fund", params(RateQuery),
    responses((status = 200, body = Vec<RateWire>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_rates(
    State(st): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<RateQuery>,
) -> Result<Json<Vec<RateWire>>, ApiError> {
    let rates = st.store.list_rates(q.to.as_deref().map(str::trim)).await?;
    Ok(Json(rates.iter().map(RateWire::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatesAdded {
    /// How many were new (the same rate again changes nothing).
    pub added: usize,
}

/// Add exchange rates (fund managers), all or nothing: a different value
/// for a pair and date held already refuses the batch (422 `invalid_rows`,
/// each named).
#[utoipa::path(post, path = "/rates", tag = "fund", request_body = Vec<RateWire>,
    responses((status = 201, body = RatesAdded), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_rates(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(rates): ApiJson<Vec<RateWire>>,
) -> Result<(StatusCode, Json<RatesAdded>), ApiError> {
    if !st.store.is_fund_manager(&auth.principal).await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "exchange rates are added by fund managers",
        ));
    }
    let mut parsed = Vec::with_capacity(rates.len());
    let mut bad = Vec::new();
    for (i, r) in rates.iter().enumerate() {
        match r.parse() {
            Ok(r) => parsed.push((i as u64, r)),
            Err(e) => bad.push((i as u64, e)),
        }
    }
    if !bad.is_empty() {
        return Err(coalesce_store::StoreError::Rows(bad).into());
    }
    let added = st
        .store
        .import_rates(Some(&auth.principal), &parsed)
        .await?;
    Ok((StatusCode::CREATED, Json(RatesAdded { added })))
}

/// The fund's ledger you may read as the operations that wrote it, CSV
/// with HXL hashtags on the second row (`POST` takes it back).
#[utoipa::path(get, path = "/funds/{id}/operations.csv", tag = "fund", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn export_operations(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let rows = st.store.fund_transfers_all(&auth.principal, &id).await?;
    Ok(csv_attachment(
        &format!("fund-{id}-operations.csv"),
        crate::wire_fund::operations_to_csv(&rows),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OperationsImported {
    pub operations: usize,
    pub transfers: usize,
}

/// Record a fund's operations from CSV with HXL hashtags (the export's
/// form), all or nothing: a bad row is a 422 `invalid_rows` naming each; a
/// refused operation a 422 whose code is the rule, naming its line.
#[utoipa::path(post, path = "/funds/{id}/operations.csv", tag = "fund", params(("id" = String, Path)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = OperationsImported), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn import_operations(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<OperationsImported>), ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let body = super::exchange::csv_body(&headers, body)?;
    let text = String::from_utf8_lossy(&body);
    let rows = crate::wire_fund::operations_from_csv(&text)
        .map_err(|bad| ApiError::from(coalesce_store::StoreError::Rows(bad)))?;
    let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
    let ops = rows
        .iter()
        .map(|(_, o)| o.parse())
        .collect::<Result<Vec<_>, _>>()?;
    match st
        .store
        .fund_operations(Some(&auth.principal), &id, &ops)
        .await
    {
        Ok(written) => Ok((
            StatusCode::CREATED,
            Json(OperationsImported {
                operations: ops.len(),
                transfers: written.len(),
            }),
        )),
        Err(coalesce_store::StoreError::Ledger {
            operation,
            rule,
            message,
        }) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            rule,
            format!(
                "line {}: {message} (nothing was written)",
                lines.get(operation).copied().unwrap_or(0)
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The fund's money as OCHA FTS-style flows (source, destination, status
/// pledge / commitment / paid, boundary incoming / internal, new money,
/// parent and child flows), from the transfers you may read.
#[utoipa::path(get, path = "/funds/{id}/flows", tag = "fund", params(("id" = String, Path)),
    responses((status = 200, body = Vec<crate::wire_fund::FlowOut>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn flows(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<crate::wire_fund::FlowOut>>, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let fund = st
        .store
        .get_record::<coalesce_domain::fund::FundKind>(&auth.principal, &id)
        .await?;
    let rows = st.store.fund_transfers_all(&auth.principal, &id).await?;
    Ok(Json(crate::wire_fund::fts_flows(&fund.body.name, &rows)))
}

/// The status table (as `GET /funds/{id}/status`) as CSV with HXL
/// hashtags on the second row.
#[utoipa::path(get, path = "/funds/{id}/status.csv", tag = "fund", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn status_csv(
    State(st): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    super::check_record_id(&id, "no such fund")?;
    let s = st.store.fund_status(&auth.principal, &id).await?;
    Ok(csv_attachment(
        &format!("fund-{id}-status.csv"),
        crate::wire_fund::status_to_csv(&id, &s),
    ))
}

/// A CSV file to save.
fn csv_attachment(filename: &str, body: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}
