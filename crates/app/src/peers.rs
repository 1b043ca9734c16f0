//! Peers as the API and the CLI add them (issue 15): the fields checked
//! (a name, the peer's public URL, the member it hosts, its Ed25519
//! public key), the peer's user made with a password nobody keeps, and
//! the credential it pulls with — a token printed once, stored hashed.

use crate::{parse_public_url, ApiError};
use axum::http::StatusCode;
use coalesce_domain::{MemberCode, Slug};
use coalesce_store::peers::{NewPeer, Peer, PeerChange};
use coalesce_store::{Principal, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A peer to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeerIn {
    /// A short name: lower-case letters, digits and hyphens (e.g. `gbr`).
    pub name: String,
    /// Its public URL (`https://coalesce.gbr.example`).
    pub url: String,
    /// The member whose users it hosts.
    pub member: String,
    /// Its public key, as `coalesce node show` prints it (`ed25519:…`);
    /// none for a plain TAXII server (`unsigned_import`).
    #[serde(default)]
    pub key: String,
    /// A plain TAXII 2.1 server (another platform, not a coalesce node):
    /// the id of its collection to pull. `url` is then its API root. Its
    /// objects carry no coalesce signature: they are taken into the STIX
    /// object store as imported objects of `member`, which this node must
    /// host.
    #[serde(default)]
    pub unsigned_import: Option<String>,
}

/// A peer node.
#[derive(Serialize, ToSchema)]
pub struct PeerOut {
    pub name: String,
    pub url: String,
    pub member: String,
    pub public_key: String,
    /// `SHA256:<base64>` of its key, to compare with its operator.
    pub fingerprint: String,
    /// A plain TAXII 2.1 server: the collection pulled from it unsigned.
    pub unsigned_import: Option<String>,
    /// The user it pulls from this node as.
    pub username: String,
    pub paused: bool,
    pub created_at: String,
    pub created_by: String,
    /// Keys it signed with before rotating (still trusted for what they
    /// signed).
    pub retired_keys: Vec<String>,
    /// Both ways: this node serves it other nodes' CLEAR and GREEN records
    /// it holds, and accepts such records from it.
    pub relay: bool,
    /// It is the secretariat's node: the registry it serves is applied here.
    pub registry_source: bool,
    /// Pulling from it.
    pub pull: PullOut,
}

/// How pulling from a peer goes.
#[derive(Serialize, ToSchema)]
pub struct PullOut {
    /// Its node id, learned from its first answer.
    pub node_id: Option<String>,
    /// Whether this node holds the credential the peer issued for it
    /// (`coalesce peer connect`); without it nothing is pulled.
    pub connected: bool,
    /// The last of its sequence numbers applied here.
    pub cursor: i64,
    /// The highest sequence number it last reported.
    pub peer_high: i64,
    /// Sequence numbers behind (an upper bound of the records to pull).
    pub lag_records: i64,
    /// Seconds since this node fell behind, 0 when caught up.
    pub lag_seconds: i64,
    /// Versions and revocations applied from it.
    pub applied: i64,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    /// Objects refused, by reason (`bad_signature`, `unknown_key`,
    /// `foreign_origin`, `older_version`, `malformed`, `unsigned`,
    /// `not_applicable`).
    pub refused: std::collections::BTreeMap<String, i64>,
}

impl From<Peer> for PeerOut {
    fn from(p: Peer) -> PeerOut {
        PeerOut {
            fingerprint: coalesce_federation::fingerprint_of(&p.public_key).unwrap_or_default(),
            name: p.name,
            url: p.url,
            member: p.member,
            public_key: p.public_key,
            unsigned_import: p.import_collection,
            username: p.username,
            paused: p.paused,
            created_at: crate::wire::rfc3339(p.created_at_ms),
            created_by: p.created_by,
            retired_keys: p.retired_keys,
            relay: p.relay,
            registry_source: p.registry_source,
            pull: PullOut {
                node_id: p.pull.node_id,
                connected: p.pull.has_credential,
                cursor: p.pull.cursor,
                peer_high: p.pull.peer_high,
                lag_records: (p.pull.peer_high - p.pull.cursor).max(0),
                lag_seconds: p
                    .pull
                    .behind_since_ms
                    .map_or(0, |t| (coalesce_store::now_ms() - t).max(0) / 1_000),
                applied: p.pull.applied,
                last_success_at: p.pull.last_success_at_ms.map(crate::wire::rfc3339),
                last_error: p.pull.last_error,
                last_error_at: p.pull.last_error_at_ms.map(crate::wire::rfc3339),
                refused: p.pull.refused.into_iter().collect(),
            },
        }
    }
}

/// What changes of a peer; what is left out is kept.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PeerChangeIn {
    /// Its new public URL.
    pub url: Option<String>,
    /// Its new public key after it rotated (`coalesce node rotate-key`);
    /// the old one is kept for what it signed.
    pub key: Option<String>,
    /// Relay CLEAR and GREEN records of other nodes to and from it.
    pub relay: Option<bool>,
    /// It is the secretariat's node: apply the registry it serves (one
    /// peer at most).
    pub registry_source: Option<bool>,
}

/// Checks and applies a change of a peer.
pub async fn change_peer(
    store: &Store,
    actor: Option<&Principal>,
    name: &str,
    c: &PeerChangeIn,
) -> Result<PeerOut, ApiError> {
    let url = c
        .url
        .as_deref()
        .map(parse_public_url)
        .transpose()
        .map_err(invalid)?;
    let key = c
        .key
        .as_deref()
        .map(coalesce_federation::PublicKey::parse)
        .transpose()
        .map_err(|e| invalid(e.to_string()))?
        .map(|k| k.to_text());
    if let Some(k) = &key {
        check_not_own_key(store, k).await?;
    }
    let peer = store
        .change_peer(
            actor,
            name,
            &PeerChange {
                url: url.as_deref(),
                public_key: key.as_deref(),
                relay: c.relay,
                registry_source: c.registry_source,
            },
        )
        .await?;
    Ok(peer.into())
}

/// A peer added, with the credential to give its operator.
#[derive(Serialize, ToSchema)]
pub struct PeerAdded {
    pub peer: PeerOut,
    /// The token the peer pulls with (HTTP Basic password or bearer token
    /// of its user). Shown once; only its hash is kept.
    pub credential: String,
}

fn invalid(detail: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", detail)
}

/// Refuses this node's own key (current or retired) as a peer's.
async fn check_not_own_key(store: &Store, key: &str) -> Result<(), ApiError> {
    if store
        .node_keys()
        .await?
        .iter()
        .any(|own| own.public_key == key)
    {
        return Err(invalid(
            "this is the node's own key: a node is not its own peer".into(),
        ));
    }
    Ok(())
}

/// Checks a peer's fields, adds it and issues its credential.
pub async fn add_peer(
    store: &Store,
    actor: Option<&Principal>,
    p: &PeerIn,
) -> Result<PeerAdded, ApiError> {
    let name = Slug::parse(p.name.trim())?;
    if name.as_str().len() > 40 {
        return Err(invalid(format!(
            "peer name {:?}: at most 40 characters",
            p.name
        )));
    }
    let url = parse_public_url(&p.url).map_err(invalid)?;
    let member = MemberCode::parse(p.member.trim())?;
    if let Some(c) = &p.unsigned_import {
        let c = c.trim();
        if c.is_empty()
            || c.len() > 200
            || c.contains(|ch: char| ch == '/' || ch == '?' || ch == '#' || ch.is_whitespace())
        {
            return Err(invalid(format!(
                "unsigned_import {c:?}: the id of a collection of the TAXII server's API root"
            )));
        }
        if !p.key.trim().is_empty() {
            return Err(invalid(
                "a plain TAXII server has no coalesce key: give unsigned_import or key, not both"
                    .into(),
            ));
        }
    }
    let key = match &p.unsigned_import {
        Some(_) => None,
        None => Some(
            coalesce_federation::PublicKey::parse(&p.key).map_err(|e| invalid(e.to_string()))?,
        ),
    };
    if let Some(key) = &key {
        check_not_own_key(store, &key.to_text()).await?;
    }
    // A password nobody keeps: the peer signs in with its token only.
    let secret = {
        let mut b = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    let phc = tokio::task::spawn_blocking(move || coalesce_store::accounts::hash_password(&secret))
        .await
        .map_err(|e| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })??;
    let peer = store
        .add_peer(
            actor,
            &NewPeer {
                name: &name,
                url: &url,
                member: &member,
                public_key: &key.map(|k| k.to_text()).unwrap_or_default(),
                import_collection: p.unsigned_import.as_deref().map(str::trim),
            },
            &phc,
        )
        .await?;
    let principal = store
        .principal_for_username(&peer.username)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the peer's user is missing",
            )
        })?;
    let credential = store.create_token(&principal, "api", None).await?;
    Ok(PeerAdded {
        peer: peer.into(),
        credential,
    })
}
