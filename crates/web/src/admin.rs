//! The node operator's console: users (role, status, failed logins), with
//! add, role, password reset, unlock, disable and enable; API tokens
//! (issued once, listed by label, revoked); the audit log with filters. Administrators
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

/// A password or token the console shows once, to hand over by another
/// channel: on a page no cache keeps.
#[derive(Serialize)]
struct ShownOnce {
    what: String,
    secret: String,
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

/// What the console says after an action: done, a secret shown once, or
/// why it was refused.
#[derive(Default)]
struct Outcome {
    done: Option<String>,
    secret: Option<ShownOnce>,
    error: Option<String>,
}

/// The users of the node, those locked out and with failed logins first.
async fn users_page(st: &AppState, p: &Page, outcome: Outcome) -> Response {
    if let Some(r) = super::admin_only(p, &p.t(ONLY)) {
        return r;
    }
    let users = tri!(st.store.users_managed_by(&p.principal).await, p);
    let scope = tri!(st.store.console_scope(&p.principal).await, p);
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
    let mut members = tri!(st.store.list_members().await, p);
    // A member's administrator adds users of its member only.
    members.retain(|m| scope.as_ref().is_none_or(|s| m.code == s.as_str()));
    let status = if outcome.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let ctx = context! {
        title => p.t("admin-users-title"),
        scope => scope.as_ref().map(|m| m.to_string()),
        rows => Value::from_serialize(&rows),
        locked => rows.iter().filter(|r| r.wait_seconds > 0).count(),
        roles => ["viewer", "contributor", "coordinator", "admin"],
        members => Value::from_serialize(members.iter().map(|m| (m.code.to_string(), m.name.clone())).collect::<Vec<_>>()),
        done => outcome.done,
        shown_once => outcome.secret.map(|s| Value::from_serialize(&s)),
        error => outcome.error,
    };
    no_store(html(
        Some(p),
        status,
        "admin_users.html",
        ctx,
        st.secure_cookies,
    ))
}

#[derive(Deserialize)]
pub(crate) struct UserActionForm {
    csrf: String,
    /// The new role (`role` action).
    #[serde(default)]
    role: String,
}

#[derive(Deserialize)]
pub(crate) struct NewUserForm {
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    role: String,
}

/// Adds a user with a new password, shown once on the page that answers.
pub(crate) async fn add_user(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<NewUserForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    let password = coalesce_store::user_admin::random_password();
    let username = f.username.trim().to_lowercase();
    let outcome = match st
        .store
        .create_user(
            Some(&p.principal),
            &username,
            f.member.trim(),
            f.role.trim(),
            &password,
        )
        .await
    {
        Ok(u) => Outcome {
            secret: Some(ShownOnce {
                what: say(&p, "admin-shown-new-user", &u.username),
                secret: password,
            }),
            ..Outcome::default()
        },
        Err(e) => Outcome {
            error: Some(coalesce_app::ApiError::from(e).detail),
            ..Outcome::default()
        },
    };
    users_page(&st, &p, outcome).await
}

/// A message naming a user, in the reader's language.
fn say(p: &Page, id: &str, user: &str) -> String {
    let args = i18n::args([("user", FluentValue::from(user))]);
    i18n::tr(p.lang, id, Some(&args))
}

/// Unlock, disable, enable a user, change its role, or reset its password.
pub(crate) async fn user_action(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path((username, action)): Path<(String, String)>,
    Form(f): Form<UserActionForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    let done = match action.as_str() {
        // The new password is shown once, on the page that answers.
        "reset" => {
            let outcome = match st.store.reset_password(&p.principal, &username).await {
                Ok(password) => {
                    // Whatever locked it out is forgotten with the old password.
                    let _ = st.store.unlock_user(&p.principal, &username).await;
                    Outcome {
                        secret: Some(ShownOnce {
                            what: say(&p, "admin-shown-reset", &username),
                            secret: password,
                        }),
                        ..Outcome::default()
                    }
                }
                Err(e) => return api_error_page(e.into(), Some(&p)),
            };
            return users_page(&st, &p, outcome).await;
        }
        "role" => st
            .store
            .set_user_role(&p.principal, &username, &f.role)
            .await
            .map(|_| ()),
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
        action @ ("unlock" | "disable" | "enable" | "role") => {
            Some(say(&p, &format!("admin-done-{action}"), &q.user))
        }
        _ => None,
    };
    users_page(
        &st,
        &p,
        Outcome {
            done,
            ..Outcome::default()
        },
    )
    .await
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

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    label: String,
    /// Days it is valid; empty for until revoked.
    #[serde(default)]
    days: String,
}

/// The node's API tokens: who, what for, since and until when; issue one
/// (shown once), revoke one.
async fn tokens_page(st: &AppState, p: &Page, outcome: Outcome) -> Response {
    if let Some(r) = super::admin_only(p, &p.t(ONLY)) {
        return r;
    }
    let tokens = tri!(st.store.api_tokens_managed_by(&p.principal).await, p);
    let users = tri!(st.store.users_managed_by(&p.principal).await, p);
    let rows: Vec<_> = tokens
        .iter()
        .map(|t| {
            context! {
                id => t.id.clone(),
                username => t.username.clone(),
                member => t.member.clone(),
                label => t.label.clone(),
                created => rfc3339(t.created_at),
                expires => t.expires_at.map(rfc3339),
            }
        })
        .collect();
    let status = if outcome.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let ctx = context! {
        title => p.t("admin-tokens-title"),
        rows,
        users => users.iter().filter(|u| !u.disabled).map(|u| u.username.clone()).collect::<Vec<_>>(),
        done => outcome.done,
        shown_once => outcome.secret.map(|s| Value::from_serialize(&s)),
        error => outcome.error,
    };
    no_store(html(
        Some(p),
        status,
        "admin_tokens.html",
        ctx,
        st.secure_cookies,
    ))
}

pub(crate) async fn tokens(State(st): State<AppState>, p: Page) -> Response {
    tokens_page(&st, &p, Outcome::default()).await
}

/// Issues a token for a user, shown once on the page that answers.
pub(crate) async fn issue_token(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    let days = f.days.trim();
    let ttl = if days.is_empty() {
        Ok(None)
    } else {
        match days.parse::<i64>() {
            Ok(d) if (1..=3660).contains(&d) => Ok(Some(d * 24 * 3600 * 1000)),
            _ => Err(p.t("admin-token-days-invalid")),
        }
    };
    let result = match ttl {
        Ok(ttl) => st
            .store
            .issue_api_token(&p.principal, f.username.trim(), &f.label, ttl)
            .await
            .map_err(|e| coalesce_app::ApiError::from(e).detail),
        Err(e) => Err(e),
    };
    let outcome = match result {
        Ok(token) => Outcome {
            secret: Some(ShownOnce {
                what: say(&p, "admin-shown-token", f.username.trim()),
                secret: token,
            }),
            ..Outcome::default()
        },
        Err(e) => Outcome {
            error: Some(e),
            ..Outcome::default()
        },
    };
    tokens_page(&st, &p, outcome).await
}

/// Revokes a token by the id the list shows.
pub(crate) async fn revoke_token(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<super::CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    match st.store.revoke_api_token(&p.principal, &id).await {
        Ok(t) => {
            let args = i18n::args([
                ("user", FluentValue::from(t.username.as_str())),
                ("label", FluentValue::from(t.label.as_str())),
            ]);
            let done = i18n::tr(p.lang, "admin-done-revoke", Some(&args));
            tokens_page(
                &st,
                &p,
                Outcome {
                    done: Some(done),
                    ..Outcome::default()
                },
            )
            .await
        }
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}
