use crate::auth::{client_addr, session_cookie, Auth};
use crate::error::Problem;
use crate::extract::ApiJson;
use crate::wire::{LoginRequest, LoginResponse, Me};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::{header, Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use coalesce_store::Principal;

pub(crate) async fn me_of(st: &AppState, p: &Principal) -> Result<Me, ApiError> {
    let secretariat = st.store.secretariat().await?;
    Ok(Me {
        username: p.username.to_string(),
        member: p.member.to_string(),
        role: p.role.as_str().to_string(),
        groups: st.store.groups_of(p.member.as_str()).await?,
        secretariat: secretariat.as_ref() == Some(&p.member),
        grants: if st.store.is_fund_manager(p).await? {
            vec!["fund_manager".to_string()]
        } else {
            Vec::new()
        },
    })
}

/// Log in with username and password: returns a bearer token and sets the session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "auth", security(()), request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = LoginResponse),
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn login(
    State(st): State<AppState>,
    ext: Extensions,
    headers: axum::http::HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let client = client_addr(&ext, &headers, &st.trusted_proxies);
    let (p, token) = crate::auth::login(&st, &req.username, &req.password, &client).await?;
    let user = me_of(&st, &p).await?;
    let cookie = session_cookie(Some(&token), st.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(LoginResponse { token, user }),
    )
        .into_response())
}

/// End the session (or revoke the bearer token) used for this request.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn logout(State(st): State<AppState>, auth: Auth) -> Result<Response, ApiError> {
    st.store.revoke_token(&auth.principal, &auth.token).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie(None, st.secure_cookies))],
    )
        .into_response())
}

/// The current user, its member and groups.
#[utoipa::path(get, path = "/me", tag = "auth",
    responses(
        (status = 200, body = Me),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(State(st): State<AppState>, auth: Auth) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&st, &auth.principal).await?))
}
