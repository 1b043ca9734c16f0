//! One error type for every handler, rendered as an RFC 9457 problem
//! document (`application/problem+json`) with a stable snake_case `code`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use coalesce_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` style tags under this node).
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `not_found`, `invalid_marking`,
    /// `unknown_audience_token` (a REL TO token naming no member or group).
    /// A 409 says why the change conflicts: `version_conflict` (the record
    /// is at another version than `if_version`, or changed meanwhile; see
    /// `current_version`), `already_withdrawn`, `invalid_transition` (the
    /// lifecycle does not allow the step), `immutable_field`,
    /// `duplicate_id`, `already_exists`.
    pub code: String,
    /// For `version_conflict`: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// For imports (`invalid_rows`): the bad rows, with their line, column
    /// and reason — the first [`ROW_ERRORS_PER_COLUMN`] of each column, so
    /// that a large broken file gets a short answer (`error_counts` has
    /// them all counted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowProblem>,
    /// For imports: how many errors each column has, and how many in all
    /// and in how many rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_counts: Option<ErrorCounts>,
    /// The id of the request that got this answer (also its `X-Request-Id`
    /// header), as the node's log names it: quote it to the operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

tokio::task_local! {
    /// The id of the request being answered, set by the server around each
    /// request (`coalesce serve`), so that a problem document and every log
    /// line of the request carry the same id.
    pub static REQUEST_ID: std::sync::Arc<str>;
}

/// The id of the request being answered, if any.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(|id| id.to_string()).ok()
}

/// The errors of an import, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorCounts {
    /// Rows with at least one error.
    pub rows: usize,
    /// Errors in all.
    pub errors: usize,
    /// Errors by column (empty column: the row as a whole), in column order.
    pub by_column: Vec<ColumnErrors>,
}

/// Errors of one column of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ColumnErrors {
    pub column: String,
    pub errors: usize,
}

/// How many errors of one column an import's problem lists.
pub const ROW_ERRORS_PER_COLUMN: usize = 20;

/// One bad row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowProblem {
    /// 1-based line in the file.
    pub line: u64,
    /// The column (HXL hashtag or header), empty when the row as a whole is wrong.
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
    pub errors: Vec<RowProblem>,
    /// Boxed: most errors have none, and every `Result` carries the size.
    pub error_counts: Option<Box<ErrorCounts>>,
    pub current_version: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            retry_after: None,
            errors: Vec::new(),
            error_counts: None,
            current_version: None,
        }
    }
    /// The same error, its detail prefixed (e.g. with the item of a batch).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        self.detail = format!("{prefix}{}", self.detail);
        self
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", detail)
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "log in or send a bearer token",
        )
    }
    /// An import refused because of these rows (nothing was written). The
    /// problem lists the first [`ROW_ERRORS_PER_COLUMN`] errors of each
    /// column and counts them all: a file of 100,000 bad rows gets an
    /// answer of a few kilobytes, not one as large as the file.
    pub fn rows(errors: Vec<RowProblem>) -> Self {
        let total = errors.len();
        let rows = errors
            .iter()
            .map(|e| e.line)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let mut by_column: Vec<ColumnErrors> = Vec::new();
        let mut kept = Vec::new();
        for e in errors {
            let i = match by_column.iter().position(|c| c.column == e.column) {
                Some(i) => i,
                None => {
                    by_column.push(ColumnErrors {
                        column: e.column.clone(),
                        errors: 0,
                    });
                    by_column.len() - 1
                }
            };
            by_column[i].errors += 1;
            if by_column[i].errors <= ROW_ERRORS_PER_COLUMN {
                kept.push(e);
            }
        }
        let listed = if kept.len() < total {
            format!(
                " ({total} errors; the first {ROW_ERRORS_PER_COLUMN} of each column are listed)"
            )
        } else {
            String::new()
        };
        ApiError {
            errors: kept,
            error_counts: Some(Box::new(ErrorCounts {
                rows,
                errors: total,
                by_column,
            })),
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rows",
                format!(
                    "{rows} row{} cannot be imported{listed}; nothing was written",
                    if rows == 1 { "" } else { "s" }
                ),
            )
        }
    }
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }
    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("https://coalesce.invalid/problems/{}", self.code),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_string(),
            current_version: self.current_version,
            errors: self.errors.clone(),
            error_counts: self.error_counts.as_deref().cloned(),
            request_id: request_id(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"coalesce\""),
            );
        }
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found("no such record, or not releasable to you"),
            StoreError::Rows(rows) => ApiError::rows(
                rows.into_iter()
                    .map(|(line, reason)| RowProblem {
                        line,
                        column: String::new(),
                        reason,
                    })
                    .collect(),
            ),
            StoreError::Conflict(c) => ApiError {
                current_version: c.current_version,
                ..ApiError::new(StatusCode::CONFLICT, c.code.as_str(), c.detail)
            },
            StoreError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", m),
            StoreError::Invalid(d) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, d.code(), d.to_string())
            }
            StoreError::BadRequest(m) => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", m),
            StoreError::Ledger {
                operation,
                rule,
                message,
            } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                rule,
                format!("operation {operation}: {message} (nothing was written)"),
            ),
            StoreError::Unavailable(m) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", m)
            }
            StoreError::Database(e) => {
                tracing::error!(error = %e, "database error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; see the node's log",
                )
            }
            StoreError::Corrupt(m) => {
                tracing::error!(error = %m, "corrupt data");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; see the node's log",
                )
            }
        }
    }
}

impl From<coalesce_domain::DomainError> for ApiError {
    fn from(d: coalesce_domain::DomainError) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, d.code(), d.to_string())
    }
}
