//! Who is calling: bearer tokens (API clients) and session cookies
//! (browsers), both looked up by hash. Failed logins are rate-limited here
//! and audited by the store.

use crate::{ApiError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use coalesce_store::Principal;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "coalesce_session";

/// The authenticated caller, and the token it used (for logout).
#[derive(Debug, Clone)]
pub struct Auth {
    pub principal: Principal,
    pub token: String,
}

/// The value of cookie `name` in the request, if present.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The bearer token or session cookie of a request.
pub fn request_token(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        // `ApiKey` is how yente's clients send a key (`/match/{dataset}`).
        if let Some(t) = v
            .strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
            .or_else(|| v.strip_prefix("ApiKey "))
        {
            return Some(t.trim().to_string());
        }
    }
    cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let token = request_token(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        // Tokens are 43 URL-safe characters; anything else cannot match.
        if token.len() > 128 {
            return Err(ApiError::unauthorized());
        }
        match st.store.principal_for_token(&token).await? {
            Some(principal) => Ok(Auth { principal, token }),
            None => Err(ApiError::unauthorized()),
        }
    }
}

/// `Set-Cookie` value for a new session (or, with `None`, one that clears it).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
            coalesce_store::accounts::SESSION_TTL_MS / 1000
        ),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    }
}

/// The client's address, as login limiting counts it and the audit log
/// records it: the peer's address, or — when the peer is one of the node's
/// trusted proxies — the rightmost address of `X-Forwarded-For` that is not a
/// trusted proxy itself (the ones further left are whatever the client
/// claimed). Without a socket (tests through the router) it is `local`.
pub fn client_addr(
    ext: &axum::http::Extensions,
    headers: &HeaderMap,
    trusted_proxies: &[std::net::IpAddr],
) -> String {
    let Some(peer) = ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()) else {
        return "local".into();
    };
    if !trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    forwarded
        .iter()
        .rev()
        .filter_map(|a| a.parse::<std::net::IpAddr>().ok())
        .find(|a| !trusted_proxies.contains(a))
        .unwrap_or(peer)
        .to_string()
}

/// Checks credentials with rate limiting; on success issues a session token.
/// Shared by the API login and the web login form.
pub async fn login(
    st: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> Result<(Principal, String), ApiError> {
    let p = check_password(st, username, password, client).await?;
    let token = st
        .store
        .create_token(
            &p,
            "session",
            Some(coalesce_store::accounts::SESSION_TTL_MS),
        )
        .await?;
    Ok((p, token))
}

/// Checks a password (Argon2id) under the same rate limit, without
/// issuing a session: for HTTP Basic (TAXII).
pub async fn check_password(
    st: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> Result<Principal, ApiError> {
    if username.len() > 64 || password.len() > 1024 {
        st.store.record_login_failure(username, client).await?;
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong username or password",
        ));
    }
    if let Some(wait) = st.store.login_wait(username, client).await? {
        st.store
            .audit_event(
                "-",
                "-",
                "login_rate_limited",
                username,
                &serde_json::json!({ "client": client }),
            )
            .await?;
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many failed logins from this client; try again in {wait} s"),
        );
        e.retry_after = Some(wait);
        return Err(e);
    }
    match st.store.authenticate(username, password, client).await? {
        Some(p) => {
            st.store.clear_login_failures(username, client).await?;
            Ok(p)
        }
        None => {
            st.store.record_login_failure(username, client).await?;
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong username or password",
            ))
        }
    }
}
