use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::wire::*;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::Role;

/// The audit log, newest first (admins only): entries about records the
/// caller's member may read, its member's own actions and the node's
/// operational entries (logins, users, registry). Entries name records by
/// kind, id and version and never carry their content.
#[utoipa::path(get, path = "/audit", tag = "auth", params(PageParams),
    responses((status = 200, body = AuditList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_audit(
    State(st): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<AuditList>, ApiError> {
    if auth.principal.role != Role::Admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only admins read the audit log",
        ));
    }
    let before = q
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<i64>().map_err(|_| {
                ApiError::bad_request("invalid_cursor", "pass back the value of `next` unchanged")
            })
        })
        .transpose()?;
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let entries = st
        .store
        .audit_entries_for(&auth.principal, before, limit)
        .await?;
    let next = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq.to_string()))
        .flatten();
    let items = entries
        .into_iter()
        .map(|e| AuditEntryOut {
            seq: e.seq,
            at: rfc3339(e.at_ms),
            actor: e.actor,
            member: e.member,
            action: e.action,
            subject: e.subject,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            hash: e.hash,
        })
        .collect();
    Ok(Json(AuditList { items, next }))
}
