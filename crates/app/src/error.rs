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
    /// For imports (`invalid_rows`): every bad row, with its line, column and reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowProblem>,
}

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
    /// An import refused because of these rows (nothing was written).
    pub fn rows(errors: Vec<RowProblem>) -> Self {
        let n = errors.len();
        ApiError {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rows",
                format!(
                    "{n} row{} cannot be imported; nothing was written",
                    if n == 1 { "" } else { "s" }
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
