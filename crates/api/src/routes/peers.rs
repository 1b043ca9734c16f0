//! The node's peers over the API (issue 15): listed, added, paused,
//! resumed and removed by the node's administrators only.

use crate::auth::Auth;
use crate::error::Problem;
use crate::extract::ApiJson;
use crate::peers::{PeerAdded, PeerChangeIn, PeerIn, PeerOut};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use coalesce_domain::Role;

fn admin(auth: &Auth) -> Result<(), ApiError> {
    if auth.principal.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the node's administrators manage its peers",
        ))
    }
}

/// The list of peers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PeerList {
    pub items: Vec<PeerOut>,
}

/// The node's peers (administrators).
#[utoipa::path(get, path = "/peers", tag = "federation",
    responses((status = 200, body = PeerList), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_peers(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<Json<PeerList>, ApiError> {
    admin(&auth)?;
    let items = st
        .store
        .peers()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(PeerList { items }))
}

/// One peer (administrators).
#[utoipa::path(get, path = "/peers/{name}", tag = "federation", params(("name" = String, Path)),
    responses((status = 200, body = PeerOut), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_peer(
    State(st): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<PeerOut>, ApiError> {
    admin(&auth)?;
    Ok(Json(st.store.peer(&name).await?.into()))
}

/// Add a peer (administrators): answers with the credential to give its
/// operator, shown this once.
#[utoipa::path(post, path = "/peers", tag = "federation", request_body = PeerIn,
    responses((status = 201, body = PeerAdded), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_peer(
    State(st): State<AppState>,
    auth: Auth,
    ApiJson(p): ApiJson<PeerIn>,
) -> Result<(StatusCode, Json<PeerAdded>), ApiError> {
    admin(&auth)?;
    let added = crate::peers::add_peer(&st.store, Some(&auth.principal), &p).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Change a peer (administrators): its URL, its key after it rotated
/// (the old key stays trusted for what it signed), or relay. Audited.
#[utoipa::path(patch, path = "/peers/{name}", tag = "federation", params(("name" = String, Path)), request_body = PeerChangeIn,
    responses((status = 200, body = PeerOut), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn change_peer(
    State(st): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(c): ApiJson<PeerChangeIn>,
) -> Result<Json<PeerOut>, ApiError> {
    admin(&auth)?;
    Ok(Json(
        crate::peers::change_peer(&st.store, Some(&auth.principal), &name, &c).await?,
    ))
}

/// Pause a peer: its credential stops working (administrators).
#[utoipa::path(post, path = "/peers/{name}/pause", tag = "federation", params(("name" = String, Path)),
    responses((status = 200, body = PeerOut), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn pause_peer(
    State(st): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<PeerOut>, ApiError> {
    admin(&auth)?;
    Ok(Json(
        st.store
            .set_peer_paused(Some(&auth.principal), &name, true)
            .await?
            .into(),
    ))
}

/// Resume a paused peer (administrators); it needs a new credential.
#[utoipa::path(post, path = "/peers/{name}/resume", tag = "federation", params(("name" = String, Path)),
    responses((status = 200, body = PeerOut), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn resume_peer(
    State(st): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<Json<PeerOut>, ApiError> {
    admin(&auth)?;
    Ok(Json(
        st.store
            .set_peer_paused(Some(&auth.principal), &name, false)
            .await?
            .into(),
    ))
}

/// Remove a peer (administrators): it is served nothing more.
#[utoipa::path(delete, path = "/peers/{name}", tag = "federation", params(("name" = String, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn remove_peer(
    State(st): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    admin(&auth)?;
    st.store.remove_peer(Some(&auth.principal), &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The credential a peer's operator issued for this node.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialIn {
    /// The token the peer's `coalesce peer add` or `peer credential` printed.
    pub credential: String,
}

/// Keep the credential a peer issued for this node, to pull from it with
/// (administrators). Audited; never shown again.
#[utoipa::path(put, path = "/peers/{name}/credential", tag = "federation", params(("name" = String, Path)), request_body = CredentialIn,
    responses((status = 200, body = PeerOut), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn connect_peer(
    State(st): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(c): ApiJson<CredentialIn>,
) -> Result<Json<PeerOut>, ApiError> {
    admin(&auth)?;
    st.store
        .set_peer_credential(Some(&auth.principal), &name, &c.credential)
        .await?;
    st.pokes.poke(&name);
    Ok(Json(st.store.peer(&name).await?.into()))
}

/// A peer tells this node that it wrote something: the task pulling from
/// it pulls now rather than at its next poll. Only a peer's own user may
/// poke, and only for itself; a poke carries nothing else.
#[utoipa::path(post, path = "/federation/poke", tag = "federation",
    responses((status = 202), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn poke(State(st): State<AppState>, auth: Auth) -> Result<StatusCode, ApiError> {
    match st
        .store
        .peer_of_user(auth.principal.username.as_str())
        .await?
    {
        Some(name) => {
            st.pokes.poke(&name);
            Ok(StatusCode::ACCEPTED)
        }
        None => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only a peer node's user pokes this node",
        )),
    }
}

/// The registry as this node holds it (members with the node hosting each,
/// groups, lines of effort), signed by the node: what the secretariat's
/// node serves its peers to apply. `If-None-Match` with the digest held
/// is answered 304.
#[utoipa::path(get, path = "/federation/registry", tag = "federation",
    responses((status = 200, description = "The registry, its digest (also the ETag) and the node's signature", body = Object),
        (status = 304, description = "Unchanged since the digest given"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn registry(
    State(st): State<AppState>,
    _auth: Auth,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let doc = crate::federation::registry_document(&st.store).await?;
    let digest = doc["digest"].as_str().unwrap_or_default().to_string();
    let etag = format!("\"{digest}\"");
    let held = headers
        .get(axum::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    if held == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, [(axum::http::header::ETAG, etag)]).into_response());
    }
    Ok(([(axum::http::header::ETAG, etag)], Json(doc)).into_response())
}

/// The node's federation in the Prometheus text format (administrators;
/// Prometheus sends an API token as its bearer credential): per peer its
/// position and lag, applied and refused objects (by reason), the time of
/// its last success and last error, whether it is paused or unconnected.
#[utoipa::path(get, path = "/metrics", tag = "federation",
    responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain; version=0.0.4"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn metrics(
    State(st): State<AppState>,
    auth: Auth,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    admin(&auth)?;
    let peers: Vec<PeerOut> = st
        .store
        .peers()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let mut text = prometheus_text(&peers);
    text.push_str(&st.http_metrics.prometheus_text());
    text.push_str(&node_text(&st).await?);
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    ))
}

/// The node itself: its database pool, its audit chain, its sanctions index.
async fn node_text(st: &AppState) -> Result<String, ApiError> {
    use std::fmt::Write;
    let (size, idle) = st.store.pool_connections();
    let audit = st.store.audit_length().await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP coalesce_db_pool_connections The database pool's connections, by state.\n# TYPE coalesce_db_pool_connections gauge\ncoalesce_db_pool_connections{{state=\"in_use\"}} {}\ncoalesce_db_pool_connections{{state=\"idle\"}} {idle}",
        size.saturating_sub(idle)
    );
    let _ = writeln!(
        out,
        "# HELP coalesce_audit_entries Entries in the hash-chained audit log.\n# TYPE coalesce_audit_entries gauge\ncoalesce_audit_entries {audit}"
    );
    if let Some(s) = &st.screener {
        let _ = writeln!(
            out,
            "# HELP coalesce_screening_entries Sanctioned entities in the loaded lists.\n# TYPE coalesce_screening_entries gauge\ncoalesce_screening_entries {}\n# HELP coalesce_screening_names Names (with aliases) the screening index holds.\n# TYPE coalesce_screening_names gauge\ncoalesce_screening_names {}",
            s.entities().len(),
            s.name_count()
        );
    }
    Ok(out)
}

use coalesce_app::http_metrics::label;

fn seconds(rfc3339: &Option<String>) -> Option<f64> {
    let t = time::OffsetDateTime::parse(
        rfc3339.as_deref()?,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()?;
    Some(t.unix_timestamp_nanos() as f64 / 1e9)
}

fn prometheus_text(peers: &[PeerOut]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut family = |name: &str, kind: &str, help: &str, rows: Vec<(String, f64)>| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, v) in rows {
            let _ = writeln!(out, "{name}{{{labels}}} {v}");
        }
    };
    let per = |f: &dyn Fn(&PeerOut) -> Option<f64>| -> Vec<(String, f64)> {
        peers
            .iter()
            .filter_map(|p| {
                f(p).map(|v| {
                    (
                        format!(
                            "peer=\"{}\",member=\"{}\"",
                            label(&p.name),
                            label(&p.member)
                        ),
                        v,
                    )
                })
            })
            .collect()
    };
    family("coalesce_peer_up", "gauge", "1 when the peer is connected, not paused, and its last pull succeeded after its last error.",
        per(&|p| Some(f64::from(u8::from(p.pull.connected && !p.paused && p.pull.last_error_at <= p.pull.last_success_at)))));
    family(
        "coalesce_peer_cursor",
        "gauge",
        "The last of the peer's sequence numbers applied here.",
        per(&|p| Some(p.pull.cursor as f64)),
    );
    family(
        "coalesce_peer_high",
        "gauge",
        "The highest sequence number the peer last reported.",
        per(&|p| Some(p.pull.peer_high as f64)),
    );
    family(
        "coalesce_peer_lag_records",
        "gauge",
        "Sequence numbers behind the peer (an upper bound of records to pull).",
        per(&|p| Some(p.pull.lag_records as f64)),
    );
    family(
        "coalesce_peer_lag_seconds",
        "gauge",
        "Seconds since this node fell behind the peer; 0 when in step.",
        per(&|p| Some(p.pull.lag_seconds as f64)),
    );
    family(
        "coalesce_peer_applied_total",
        "counter",
        "Versions and revocations from the peer applied here.",
        per(&|p| Some(p.pull.applied as f64)),
    );
    family(
        "coalesce_peer_last_success_timestamp_seconds",
        "gauge",
        "When a pull from the peer last succeeded.",
        per(&|p| seconds(&p.pull.last_success_at)),
    );
    family(
        "coalesce_peer_last_error_timestamp_seconds",
        "gauge",
        "When a pull from the peer last failed.",
        per(&|p| seconds(&p.pull.last_error_at)),
    );
    let refused: Vec<(String, f64)> = peers
        .iter()
        .flat_map(|p| {
            p.pull.refused.iter().map(move |(reason, n)| {
                (
                    format!(
                        "peer=\"{}\",member=\"{}\",reason=\"{}\"",
                        label(&p.name),
                        label(&p.member),
                        label(reason)
                    ),
                    *n as f64,
                )
            })
        })
        .collect();
    family(
        "coalesce_peer_refused_total",
        "counter",
        "Objects from the peer refused, by reason.",
        refused,
    );
    out
}
