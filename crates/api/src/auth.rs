//! Who is calling: bearer tokens (API clients) and session cookies
//! (browsers), both looked up by hash. Failed logins are rate-limited here
//! and audited by the store.

use crate::{ApiError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use coalesce_store::Principal;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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
        if let Some(t) = v
            .strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
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

/// The client's address as the audit log records it.
pub fn client_addr(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// Counts failed logins per username and per client address in a sliding
/// window; past the limit, logins are refused until the window passes.
#[derive(Debug)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    pub window: Duration,
    pub per_user: usize,
    pub per_client: usize,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
            window: Duration::from_secs(15 * 60),
            per_user: 5,
            per_client: 20,
        }
    }
}

impl LoginLimiter {
    fn keys(username: &str, client: &str) -> [String; 2] {
        [format!("u:{username}"), format!("c:{client}")]
    }

    /// Seconds to wait if this username or client is locked out now.
    pub fn locked(&self, username: &str, client: &str) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let [ku, kc] = Self::keys(username, client);
        let mut wait = None;
        for (k, limit) in [(ku, self.per_user), (kc, self.per_client)] {
            if let Some(v) = map.get_mut(&k) {
                v.retain(|t| now.duration_since(*t) < self.window);
                if v.len() >= limit {
                    let oldest = v.first().copied().unwrap_or(now);
                    let left = self
                        .window
                        .saturating_sub(now.duration_since(oldest))
                        .as_secs()
                        .max(1);
                    wait = Some(wait.map_or(left, |w: u64| w.max(left)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, username: &str, client: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Bound memory under a flood of distinct names.
        if map.len() > 100_000 {
            map.clear();
        }
        for k in Self::keys(username, client) {
            map.entry(k).or_default().push(Instant::now());
        }
    }

    pub fn record_success(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("u:{username}"));
    }
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
        st.limiter.record_failure(username, client);
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong username or password",
        ));
    }
    if let Some(wait) = st.limiter.locked(username, client) {
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
            format!("too many failed logins; try again in {wait} s"),
        );
        e.retry_after = Some(wait);
        return Err(e);
    }
    match st.store.authenticate(username, password, client).await? {
        Some(p) => {
            st.limiter.record_success(username);
            Ok(p)
        }
        None => {
            st.limiter.record_failure(username, client);
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong username or password",
            ))
        }
    }
}
