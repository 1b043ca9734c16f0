//! The application layer of coalesce: what its two HTTP faces — the JSON
//! API (`coalesce-api`) and the web interface (`coalesce-web`) — share, so
//! that they are siblings over one layer rather than one depending on the
//! other: the shared state, login sessions and their extractor, RFC 9457
//! problem errors, the wire types, and the work behind screening,
//! allocation, correlation, import and the record layer's wire form. It
//! decides nothing about who may read what: the store's queries do.

pub mod allocation;
pub mod auth;
pub mod correlation;
pub mod error;
pub mod exchange;
pub mod federation;
pub mod http_metrics;
pub mod jobs;
pub mod peers;
pub mod plenary;
pub mod read_paths;
pub mod records;
pub mod reports;
pub mod screening;
pub mod taxii;
pub mod wire;
pub mod wire_fund;
pub mod wire_meetings;
pub mod wire_needs;
pub mod wire_picture;
pub mod wire_reports;

use coalesce_store::Store;
use std::collections::HashMap;
use std::sync::Arc;

pub use auth::Auth;
pub use error::ApiError;

/// What every handler (API and web) shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// Add `Secure` to cookies (set when served behind TLS).
    pub secure_cookies: bool,
    /// The loaded sanctions lists, if any (`coalesce serve --sanctions`).
    pub screener: Option<Arc<coalesce_screen::Screener>>,
    /// Content hash of every loaded list entry, by `list:reference`: a review
    /// decision applies only while the entry it was taken on is unchanged.
    pub entry_hashes: Arc<HashMap<String, String>>,
    /// The largest STIX bundle or TAXII envelope accepted (bytes; 413 beyond).
    pub stix_limit: usize,
    /// Recent HTTP Basic logins (TAXII), so paging does not pay Argon2id per page.
    pub basic_cache: Arc<taxii::BasicCache>,
    /// The key of TAXII `next` tokens, read from the store on first use.
    pub cursor_key: Arc<tokio::sync::OnceCell<taxii::CursorKey>>,
    /// The node's own URL as its users and peers reach it (`--public-url`):
    /// what TAXII discovery and calendar links name. Never taken from a
    /// request's `Host` header, which the client chooses.
    pub public_url: Arc<str>,
    /// Wakes the task pulling from a peer when it pokes this node.
    pub pokes: Arc<federation::Pokes>,
    /// Requests served, by route (`/api/v1/metrics`).
    pub http_metrics: Arc<http_metrics::HttpMetrics>,
    /// Long work running off the async workers (allocation runs).
    pub jobs: Arc<jobs::Jobs>,
    /// The most compatible pairs an allocation run takes.
    pub allocation_max_pairs: usize,
}

/// The URL a node serves at when none is configured.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// Checks a node's public URL: `http` or `https`, a host, no query or
/// fragment; given without its trailing slash.
pub fn parse_public_url(url: &str) -> Result<String, String> {
    let u = url.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| format!("public URL {url:?}: must start with http:// or https://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    {
        return Err(format!("public URL {url:?}: no valid host"));
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "public URL {url:?}: a base URL has no query, fragment or spaces"
        ));
    }
    Ok(u.to_string())
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            trusted_proxies: Arc::default(),
            secure_cookies: false,
            screener: None,
            entry_hashes: Arc::new(HashMap::new()),
            stix_limit: STIX_LIMIT,
            basic_cache: Arc::new(taxii::BasicCache::default()),
            cursor_key: Arc::default(),
            public_url: Arc::from(DEFAULT_PUBLIC_URL),
            pokes: Arc::default(),
            http_metrics: Arc::default(),
            jobs: Arc::default(),
            allocation_max_pairs: allocation::DEFAULT_MAX_PAIRS,
        }
    }

    /// The same state serving at `url` (checked by [`parse_public_url`]).
    pub fn with_public_url(mut self, url: &str) -> Result<Self, String> {
        self.public_url = Arc::from(parse_public_url(url)?);
        Ok(self)
    }

    /// The node's key of TAXII `next` tokens (shared by every process
    /// serving the database).
    pub async fn cursor_key(&self) -> Result<taxii::CursorKey, ApiError> {
        let key = self
            .cursor_key
            .get_or_try_init(|| async {
                self.store
                    .node_secret("taxii_cursor")
                    .await
                    .map(taxii::CursorKey::new)
            })
            .await?;
        Ok(key.clone())
    }

    /// The same state screening against `screener`'s lists.
    pub fn with_screener(mut self, screener: Arc<coalesce_screen::Screener>) -> Self {
        self.entry_hashes = Arc::new(screening::entry_hashes(&screener));
        self.screener = Some(screener);
        self
    }
}

/// The largest CSV file an import accepts (bytes).
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

/// Refuses at once (413) a request whose declared body (`Content-Length`)
/// is over `LIMIT` bytes, before anything reads the body: a client that
/// sent `Expect: 100-continue` is never told to send it (hyper answers
/// `100 Continue` only when the body is first read), and one that did not
/// wait is cut off at the header. Bodies sent without a length are still
/// cut at the limit when read.
pub async fn refuse_declared_over<const LIMIT: usize>(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > LIMIT as u64 => {
            use axum::response::IntoResponse;
            let mut res = ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the body declares {n} bytes; this node takes at most {LIMIT} here"),
            )
            .into_response();
            // The unread body is not worth draining: close the connection.
            res.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
            res
        }
        _ => next.run(req).await,
    }
}

/// The default largest STIX bundle or TAXII envelope (bytes).
pub const STIX_LIMIT: usize = 64 * 1024 * 1024;

/// Responses are made for one caller and may hold AMBER or RED content: no
/// browser or proxy keeps them, unless a route chose its own caching
/// (static assets).
pub async fn no_store(mut res: axum::response::Response) -> axum::response::Response {
    if !res
        .headers()
        .contains_key(axum::http::header::CACHE_CONTROL)
    {
        res.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    res
}
