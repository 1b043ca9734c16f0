//! The operator's page of the node and its peers (issue 15): the node's
//! id, member and key fingerprint; its peers with their state and how
//! pulling from each goes (position, lag, last success and error, refused
//! objects by reason); forms to add one (its credential shown once), keep
//! the credential it issued for us (connect), set its new key after it
//! rotated, turn relay on or off, pause, resume and remove.
//! Administrators only; the page shows no record content.

use crate::form::Form;
use crate::{api_error_page, csrf_rejection, error_page, html, Page};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use coalesce_app::peers::{add_peer, change_peer, PeerChangeIn, PeerIn, PeerOut};
use coalesce_app::AppState;
use minijinja::{context, Value};
use serde::Deserialize;

#[derive(Deserialize, Default, serde::Serialize)]
pub(crate) struct PeerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    key: String,
    /// A plain TAXII server's collection, pulled unsigned (no key then).
    #[serde(default)]
    unsigned_import: String,
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
    /// With `connect`: the credential the peer's operator issued for us.
    #[serde(default)]
    credential: String,
    /// With `key`: the peer's new public key after it rotated.
    #[serde(default)]
    key: String,
}

/// Why the page refuses a user who is not an administrator (a message).
const ONLY: &str = "peers-only";

async fn page(
    st: &AppState,
    p: &Page,
    status: StatusCode,
    form: Option<&PeerForm>,
    error: Option<String>,
    credential: Option<(String, String)>,
) -> Response {
    let peers: Vec<PeerOut> = match st.store.peers().await {
        Ok(ps) => ps.into_iter().map(Into::into).collect(),
        Err(e) => return api_error_page(e.into(), Some(p)),
    };
    let keys = st.store.node_keys().await.unwrap_or_default();
    let fingerprint = keys
        .first()
        .and_then(|k| coalesce_federation::PublicKey::parse(&k.public_key).ok())
        .map(|k| (k.to_text(), k.fingerprint()));
    let ctx = context! {
        title => p.t("peers-title"),
        node_id => st.store.node_id().await.unwrap_or_default(),
        node_member => st.store.node_member().await.ok().flatten(),
        public_url => st.public_url.to_string(),
        key => fingerprint.as_ref().map(|k| k.0.clone()),
        fingerprint => fingerprint.map(|k| k.1),
        peers => Value::from_serialize(&peers),
        form => Value::from_serialize(form.unwrap_or(&PeerForm::default())),
        error,
        credential => credential.map(|(name, token)| context! { name, token }),
    };
    html(Some(p), status, "peers.html", ctx, st.secure_cookies)
}

pub(crate) async fn show(State(st): State<AppState>, p: Page) -> Response {
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    page(&st, &p, StatusCode::OK, None, None, None).await
}

pub(crate) async fn add(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Form(f): Form<PeerForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    let input = PeerIn {
        name: f.name.clone(),
        url: f.url.clone(),
        member: f.member.clone(),
        key: f.key.clone(),
        unsigned_import: Some(f.unsigned_import.trim().to_string()).filter(|c| !c.is_empty()),
    };
    match add_peer(&st.store, Some(&p.principal), &input).await {
        Ok(added) => {
            let shown = (added.peer.name.clone(), added.credential);
            page(&st, &p, StatusCode::CREATED, None, None, Some(shown)).await
        }
        Err(e) => page(&st, &p, e.status, Some(&f), Some(e.detail), None).await,
    }
}

/// Pause, resume or remove.
pub(crate) async fn act(
    State(st): State<AppState>,
    p: Page,
    headers: HeaderMap,
    Path((name, action)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Some(r) = csrf_rejection(&headers, &f.csrf) {
        return r;
    }
    if let Some(r) = super::admin_only(&p, &p.t(ONLY)) {
        return r;
    }
    let done = match action.as_str() {
        "pause" => st
            .store
            .set_peer_paused(Some(&p.principal), &name, true)
            .await
            .map(|_| ()),
        "resume" => st
            .store
            .set_peer_paused(Some(&p.principal), &name, false)
            .await
            .map(|_| ()),
        "remove" => st.store.remove_peer(Some(&p.principal), &name).await,
        "connect" => {
            let kept = st
                .store
                .set_peer_credential(Some(&p.principal), &name, &f.credential)
                .await;
            if kept.is_ok() {
                st.pokes.poke(&name);
            }
            kept
        }
        "key" | "relay-on" | "relay-off" => {
            let change = PeerChangeIn {
                key: (action == "key").then(|| f.key.clone()),
                relay: match action.as_str() {
                    "relay-on" => Some(true),
                    "relay-off" => Some(false),
                    _ => None,
                },
                url: None,
                registry_source: None,
            };
            match change_peer(&st.store, Some(&p.principal), &name, &change).await {
                Ok(_) => {
                    st.pokes.poke(&name);
                    return Redirect::to("/peers").into_response();
                }
                Err(e) => return api_error_page(e, Some(&p)),
            }
        }
        _ => {
            return error_page(
                StatusCode::NOT_FOUND,
                &p.t("error-title-404"),
                &p.t("peers-no-such-action"),
                Some(&p),
            )
        }
    };
    match done {
        Ok(()) => Redirect::to("/peers").into_response(),
        Err(e) => api_error_page(e.into(), Some(&p)),
    }
}
