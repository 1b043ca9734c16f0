//! The HTTP server: API + web on one listener, security headers, graceful
//! shutdown.

use anyhow::{Context, Result};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use coalesce_api::AppState;
use std::net::SocketAddr;

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

pub fn app(state: AppState) -> axum::Router {
    coalesce_api::router()
        .merge(coalesce_web::router())
        .with_state(state)
        .layer(axum::middleware::map_response(security_headers))
}

/// Serves until Ctrl-C / SIGTERM, pulling from the node's peers as
/// `pull` says (and at once when poked). `ready` is called with the bound address.
pub async fn serve(
    listen: &str,
    state: AppState,
    ready: Option<Box<dyn FnOnce(SocketAddr) + Send>>,
    pull: crate::pull::PullConfig,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    serve_on(listener, state, ready, pull).await
}

/// [`serve`] on a socket already bound (`demo --nodes 3` binds its three
/// before it writes each node's peers' URLs).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    ready: Option<Box<dyn FnOnce(SocketAddr) + Send>>,
    pull: crate::pull::PullConfig,
) -> Result<()> {
    let addr = listener.local_addr()?;
    match ready {
        Some(f) => f(addr),
        None => println!("coalesce listening on http://{addr}/"),
    }
    let store = state.store.clone();
    let notices = tokio::spawn(send_notices(store.clone()));
    let federation = tokio::spawn(crate::pull::run(store.clone(), state.pokes.clone(), pull));
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("server failed")?;
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
