//! The node operator's console: users (role, status, failed logins), with
//! unlock, disable and enable; the audit log with filters. Administrators
//! only; the audit log shows them what `Store::audit_entries_for` lets an
//! administrator see (operational entries and its member's records), never
//! content outside its audience.

use super::{api_error_page, csrf_rejection, error_page, html, i18n, Page};
use crate::form::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::wire::rfc3339;
use coalesce_app::AppState;
use fluent_bundle::FluentValue;
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

/// Why the console refuses a user who is not an administrator (a message).
const ONLY: &str = "admin-only";

#[derive(Serialize)]
struct UserRow {
    username: String,
    member: String,
    role: String,
    disabled: bool,
    failures: i64,
    last_failure: Option<String>,
    wait_seconds: u64,
}

/// The users of the node, those locked out and with failed logins first.
async fn users_page(st: &AppState, p: &Page, done: Option<String>) -> Response {
    if let Some(r) = super::admin_only(p, &p.t(ONLY)) {
        return r;
    }
    let users = tri!(st.store.list_users().await, p);
    let lockouts = tri!(st.store.login_lockouts().await, p);
    let mut rows: Vec<UserRow> = users
        .into_iter()
        .map(|u| {
            let l = lockouts.iter().find(|l| l.username == u.username);
            UserRow {
                failures: l.map_or(0, |l| l.failures),
                last_failure: l.map(|l| rfc3339(l.last_ms)),
                wait_seconds: l.map_or(0, |l| l.wait_seconds),
                username: u.username,
                member: u.member,
                role: u.role,
                disabled: u.disabled,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.wait_seconds
            .cmp(&a.wait_seconds)
            .then(b.failures.cmp(&a.failures))
            .then(a.username.cmp(&b.username))
    });
    let ctx = context! {
        title => p.t("admin-users-title"),
        rows => Value::from_serialize(&rows),
        locked => rows.iter().filter(|r| r.wait_seconds > 0).count(),
        done,
    };
    html(
        Some(p),
        StatusCode::OK,
        "admin_users.html",
        ctx,
        st.secure_cookies,
    )
}

/// Unlock, disable or enable a user.
pub(crate) async fn user_action(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path((username, action)): Path<(String, String)>,
    Form(f): Form<super::CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    let done = match action.as_str() {
        "unlock" => st
            .store
            .unlock_user(&p.principal, &username)
            .await
            .map(|_| ()),
        "disable" | "enable" if username == p.principal.username.as_str() => {
            return error_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &p.t("admin-not-done"),
                &p.t("admin-not-yourself"),
                Some(&p),
            )
        }
        "disable" => st
            .store
            .set_user_disabled(Some(&p.principal), &username, true)
            .await
            .map(|_| ()),
        "enable" => st
            .store
            .set_user_disabled(Some(&p.principal), &username, false)
            .await
            .map(|_| ()),
        _ => {
            return error_page(
                StatusCode::NOT_FOUND,
                &p.t("error-title-404"),
                &p.t("admin-no-such-action"),
                Some(&p),
            )
        }
    };
    match done {
        Ok(()) => Redirect::to(&format!(
            "/admin?done={action}&user={}",
            super::needs::urlencode(&username)
        ))
        .into_response(),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}

#[derive(Deserialize, Serialize, Default)]
pub(crate) struct DoneQuery {
    #[serde(default)]
    done: String,
    #[serde(default)]
    user: String,
}

/// The users page (after an action, that action said in a line on top).
pub(crate) async fn users(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<DoneQuery>,
) -> Response {
    let done = match q.done.as_str() {
        action @ ("unlock" | "disable" | "enable") => {
            let user = i18n::args([("user", FluentValue::from(q.user.as_str()))]);
            Some(i18n::tr(
                p.lang,
                &format!("admin-done-{action}"),
                Some(&user),
            ))
        }
        _ => None,
    };
    users_page(&st, &p, done).await
}

#[derive(Deserialize, Serialize, Default)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    before: Option<i64>,
}

/// The audit log as the administrator may read it, newest first, filtered
/// by action (prefix), actor and subject; 50 a page.
pub(crate) async fn audit(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<AuditQuery>,
) -> Response {
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    const LIMIT: i64 = 50;
    let filter = coalesce_store::audit::AuditFilter {
        action: q.action.trim().to_string(),
        actor: q.actor.trim().to_string(),
        subject: q.subject.trim().to_string(),
    };
    let entries = tri!(
        st.store
            .audit_entries_filtered(&p.principal, q.before, LIMIT, &filter)
            .await,
        p
    );
    let next = (entries.len() as i64 == LIMIT)
        .then(|| entries.last().map(|e| e.seq))
        .flatten()
        .map(|seq| {
            format!(
                "action={}&actor={}&subject={}&before={seq}",
                super::needs::urlencode(&filter.action),
                super::needs::urlencode(&filter.actor),
                super::needs::urlencode(&filter.subject)
            )
        });
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            context! {
                seq => e.seq,
                at => rfc3339(e.at_ms),
                actor => e.actor.clone(),
                member => e.member.clone(),
                action => e.action.clone(),
                subject => e.subject.clone(),
                detail => e.detail.clone(),
            }
        })
        .collect();
    let ctx = context! {
        title => p.t("admin-audit-title"),
        q => Value::from_serialize(&q),
        rows,
        next,
    };
    html(
        Some(&p),
        StatusCode::OK,
        "admin_audit.html",
        ctx,
        st.secure_cookies,
    )
}
