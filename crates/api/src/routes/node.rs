//! `GET /node`: who this node is (issue 15) — its id, the member it speaks
//! for, its public URL and its public keys (the current one and the
//! retired ones it still verifies with). What a peer's operator checks
//! before `coalesce peer add`.

use crate::auth::Auth;
use crate::error::Problem;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// One of the node's public keys.
#[derive(Serialize, ToSchema)]
pub struct NodeKeyOut {
    /// `ed25519:<base64url>`.
    pub public_key: String,
    /// `SHA256:<base64>` of the key, to compare aloud.
    pub fingerprint: String,
    pub created_at: String,
    /// When a newer key took over; absent for the current key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<String>,
}

/// The node.
#[derive(Serialize, ToSchema)]
pub struct NodeOut {
    pub id: String,
    /// The member the node speaks for.
    pub member: Option<String>,
    /// Its configured URL.
    pub public_url: String,
    /// The current key first.
    pub keys: Vec<NodeKeyOut>,
}

/// This node's identity and keys.
#[utoipa::path(get, path = "/node", tag = "federation",
    responses((status = 200, body = NodeOut), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_node(State(st): State<AppState>, _auth: Auth) -> Result<Json<NodeOut>, ApiError> {
    let keys = st
        .store
        .node_keys()
        .await?
        .into_iter()
        .map(|k| NodeKeyOut {
            fingerprint: coalesce_federation::fingerprint_of(&k.public_key).unwrap_or_default(),
            public_key: k.public_key,
            created_at: crate::wire::rfc3339(k.created_at_ms),
            retired_at: k.retired_at_ms.map(crate::wire::rfc3339),
        })
        .collect();
    Ok(Json(NodeOut {
        id: st.store.node_id().await?,
        member: st.store.node_member().await?,
        public_url: st.public_url.to_string(),
        keys,
    }))
}
