//! The HTTP server: API + web on one listener, security headers, graceful
//! shutdown.

use anyhow::{Context, Result};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use coalesce_api::AppState;
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    );
    res
}

/// The API and the web interface on one router: each request answered
/// within `deadline` (408 beyond), counted with its route and time, and
/// sent with the security headers.
pub fn app(state: AppState, deadline: Duration) -> axum::Router {
    let metrics = state.http_metrics.clone();
    coalesce_api::router()
        .merge(coalesce_web::router())
        .layer(axum::middleware::from_fn(move |req, next| {
            request_deadline(deadline, req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            observe(metrics.clone(), req, next)
        }))
        .with_state(state)
        .layer(axum::middleware::map_response(security_headers))
}

/// Gives each request an id (the client's `X-Request-Id` when it is a
/// short token, else a new UUID), answered in `X-Request-Id`, carried by
/// every log line of the request (a `request` span) and by problem
/// documents (`request_id`); counts the request by method, route pattern
/// and status with its time to answer (`/api/v1/metrics`), and logs it at
/// `info` (the access log: `COALESCE_LOG=info`).
async fn observe(
    metrics: std::sync::Arc<coalesce_api::http_metrics::HttpMetrics>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use tracing::Instrument;
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let id: std::sync::Arc<str> = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string().into(), Into::into);
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let started = std::time::Instant::now();
    let mut res = coalesce_api::error::REQUEST_ID
        .scope(id.clone(), next.run(req))
        .instrument(span.clone())
        .await;
    let seconds = started.elapsed().as_secs_f64();
    let status = res.status().as_u16();
    metrics.observe(&method, &route, status, seconds);
    span.in_scope(|| tracing::info!(status, ms = seconds * 1000.0, "answered"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// What a connection and a request may take. A client that sends nothing,
/// or its request a byte at a time, is not kept for good.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To receive a request's head, from when the connection is ready for
    /// one: an idle keep-alive connection is closed after it too.
    pub header_read: Duration,
    /// For a whole request, body read and answer: 408 beyond.
    pub request: Duration,
    /// After SIGTERM or Ctrl-C, for the requests in flight to finish.
    pub shutdown: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(30),
            request: Duration::from_secs(300),
            shutdown: Duration::from_secs(30),
        }
    }
}

/// Serves until Ctrl-C / SIGTERM, pulling from the node's peers as
/// `pull` says (and at once when poked). `ready` is called with the bound address.
pub async fn serve(
    listen: &str,
    state: AppState,
    ready: Option<Box<dyn FnOnce(SocketAddr) + Send>>,
    pull: crate::pull::PullConfig,
    limits: Limits,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    serve_on(listener, state, ready, pull, limits).await
}

/// A request that takes longer than `limit` (a body sent slowly, or work
/// that does not end) is answered 408 and its work dropped.
async fn request_deadline(
    limit: Duration,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => coalesce_api::ApiError::new(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!(
                "the request took longer than {} s (body and answer)",
                limit.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// [`serve`] on a socket already bound (`demo --nodes 3` binds its three
/// before it writes each node's peers' URLs). Each connection is served by
/// hyper's HTTP/1 server with a header-read timeout; on SIGTERM or Ctrl-C
/// the node stops accepting, lets the requests in flight finish (for up
/// to `limits.shutdown`) and closes the database.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    ready: Option<Box<dyn FnOnce(SocketAddr) + Send>>,
    pull: crate::pull::PullConfig,
    limits: Limits,
) -> Result<()> {
    let addr = listener.local_addr()?;
    match ready {
        Some(f) => f(addr),
        None => println!("coalesce listening on http://{addr}/"),
    }
    let store = state.store.clone();
    let jobs = state.jobs.clone();
    let notices = tokio::spawn(send_notices(store.clone()));
    let federation = tokio::spawn(crate::pull::run(store.clone(), state.pokes.clone(), pull));
    let router = app(state, limits.request);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, remote) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, go on.
                        tracing::warn!("cannot accept a connection: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = router.clone().map_request(
                    move |mut req: axum::http::Request<hyper::body::Incoming>| {
                        req.extensions_mut()
                            .insert(axum::extract::ConnectInfo(remote));
                        req.map(axum::body::Body::new)
                    },
                );
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(limits.header_read)
                    .serve_connection(
                        hyper_util::rt::TokioIo::new(stream),
                        hyper_util::service::TowerToHyperService::new(service),
                    );
                let served = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = served.await {
                        tracing::debug!("connection from {remote}: {e}");
                    }
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    // Running jobs are cancelled (they keep nothing half done) within the
    // same deadline as the requests in flight.
    let started = std::time::Instant::now();
    jobs.stop_all(limits.shutdown).await;
    let limits = Limits {
        shutdown: limits.shutdown.saturating_sub(started.elapsed()),
        ..limits
    };
    if tokio::time::timeout(limits.shutdown, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s: stopping anyway",
            limits.shutdown.as_secs_f64()
        );
    }
    notices.abort();
    federation.abort();
    store.close().await;
    Ok(())
}

/// Sends the commitments' reminders and escalations that are due, at start
/// and then every minute (each is sent once: a rerun sends nothing new).
async fn send_notices(store: coalesce_store::Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        let sent = match store.follow_up_now().await {
            Ok(now) => store.send_commitment_notices(now).await,
            Err(e) => Err(e),
        };
        match sent {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} commitment notices sent"),
            Err(e) => tracing::warn!("commitment notices not sent: {e}"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
