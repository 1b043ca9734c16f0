//! The node's peers (issue 15): the nodes it exchanges records with. A
//! peer pulls from this node as a user of its own, `peer.<name>`, of the
//! member it hosts and with the viewer role, so it is served exactly what
//! the one audience filter releases to that member. Adding, removing,
//! pausing and resuming are an administrator's (or the node's, from the
//! CLI), audited.

use crate::{audit, now_ms, Principal, Result, Store, StoreError, SYSTEM_ACTOR};
use coalesce_domain::{MemberCode, Role, Slug};

/// A peer node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub name: String,
    /// Its public URL.
    pub url: String,
    /// The member whose users it hosts.
    pub member: String,
    /// Its Ed25519 public key (`ed25519:<base64url>`), what its records
    /// are verified with.
    pub public_key: String,
    /// The user it pulls from this node as.
    pub username: String,
    pub paused: bool,
    pub created_at_ms: i64,
    pub created_by: String,
    /// Keys it signed with before it rotated to `public_key`: what it
    /// signed with them still verifies.
    pub retired_keys: Vec<String>,
    /// Both ways: this node serves it other nodes' CLEAR and GREEN records
    /// it holds, and accepts such records from it.
    pub relay: bool,
    /// It is the secretariat's node: the registry it serves (members and
    /// their home nodes, groups, lines of effort) is applied here.
    pub registry_source: bool,
    /// A plain TAXII 2.1 server, not a coalesce node: the collection pulled
    /// from it, its objects taken unsigned into the STIX object store as
    /// imported objects of `member` (only from a peer configured so).
    pub import_collection: Option<String>,
    /// What pulling from it has done so far.
    pub pull: PullState,
}

/// Pulling from a peer: where this node is in the peer's feed, and how it
/// went last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullState {
    /// The peer's node id, learned from its first answer.
    pub node_id: Option<String>,
    /// Whether this node holds the credential the peer issued for it.
    pub has_credential: bool,
    /// The last of the peer's sequence numbers applied here.
    pub cursor: i64,
    /// The highest sequence number the peer last reported.
    pub peer_high: i64,
    /// How many versions and revocations from it were applied.
    pub applied: i64,
    pub last_success_at_ms: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_at_ms: Option<i64>,
    /// How the peer last said it serves this node (see [`crate::federation::Feed::view`]).
    pub served_view: Option<String>,
    /// Since when this node has been behind the peer (`None`: caught up).
    pub behind_since_ms: Option<i64>,
    /// Objects refused, by reason.
    pub refused: Vec<(String, i64)>,
}

/// A peer to add, its fields already checked by the caller (the URL and
/// the key are checked by `app::peers`, which knows their formats).
pub struct NewPeer<'a> {
    pub name: &'a Slug,
    pub url: &'a str,
    pub member: &'a MemberCode,
    /// Empty for a plain TAXII server (`import_collection`).
    pub public_key: &'a str,
    /// A plain TAXII 2.1 server's collection, pulled unsigned.
    pub import_collection: Option<&'a str>,
}

/// What changes of a peer (`None`: kept), fields checked by the caller.
#[derive(Default)]
pub struct PeerChange<'a> {
    pub url: Option<&'a str>,
    pub public_key: Option<&'a str>,
    pub relay: Option<bool>,
    pub registry_source: Option<bool>,
}

pub(crate) fn only_admins(actor: Option<&Principal>) -> Result<()> {
    match actor {
        Some(p) if p.role != Role::Admin => Err(StoreError::Forbidden(
            "only the node's administrators manage its peers".into(),
        )),
        _ => Ok(()),
    }
}

const COLUMNS: &str = "name, url, member, public_key, username, paused, created_at, created_by, \
     node_id, CASE WHEN credential IS NULL THEN 0 ELSE 1 END, cursor, peer_high, applied, last_success_at, last_error, last_error_at, behind_since, retired_keys, relay, registry_source, \
     CASE WHEN unsigned_import = 1 THEN collection ELSE NULL END, served_view";

type PeerRow = (String, String, String, String, String, i64, i64, String);
type PullRow = (
    Option<String>,
    bool,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

fn peer_of(row: sqlx::any::AnyRow) -> Result<Peer> {
    use sqlx::Row;
    let r: PeerRow = sqlx::FromRow::from_row(&row)?;
    let get = |i: usize| -> std::result::Result<Option<i64>, sqlx::Error> { row.try_get(i) };
    let pull: PullRow = (
        row.try_get(8)?,
        row.try_get::<i64, _>(9)? != 0,
        row.try_get(10)?,
        row.try_get(11)?,
        row.try_get(12)?,
        get(13)?,
        row.try_get(14)?,
        get(15)?,
        get(16)?,
    );
    let retired: String = row.try_get(17)?;
    let relay: i64 = row.try_get(18)?;
    let registry_source: i64 = row.try_get(19)?;
    let import_collection: Option<String> = row.try_get(20)?;
    let served_view: Option<String> = row.try_get(21)?;
    Ok(Peer {
        import_collection,
        registry_source: registry_source != 0,
        retired_keys: serde_json::from_str(&retired)
            .map_err(|e| StoreError::Corrupt(format!("peer {}'s retired keys: {e}", r.0)))?,
        relay: relay != 0,
        name: r.0,
        url: r.1,
        member: r.2,
        public_key: r.3,
        username: r.4,
        paused: r.5 != 0,
        created_at_ms: r.6,
        created_by: r.7,
        pull: PullState {
            node_id: pull.0,
            has_credential: pull.1,
            cursor: pull.2,
            peer_high: pull.3,
            applied: pull.4,
            last_success_at_ms: pull.5,
            last_error: pull.6,
            last_error_at_ms: pull.7,
            behind_since_ms: pull.8,
            served_view,
            refused: Vec::new(),
        },
    })
}

impl Store {
    /// Adds a peer and the user it pulls as (its password hash `phc` is of
    /// a random secret nobody keeps: it signs in with a token only).
    pub async fn add_peer(
        &self,
        actor: Option<&Principal>,
        p: &NewPeer<'_>,
        phc: &str,
    ) -> Result<Peer> {
        only_admins(actor)?;
        self.get_member(p.member.as_str())
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    StoreError::BadRequest(format!("unknown member {}", p.member))
                }
                other => other,
            })?;
        if p.import_collection.is_some() {
            let mut conn = self.pool().acquire().await?;
            if let Some(home) = crate::records::home_of(&mut conn, p.member).await? {
                return Err(StoreError::BadRequest(format!(
                    "{} is hosted by node {home}: what a plain TAXII server sends is imported for a member this node hosts",
                    p.member
                )));
            }
        }
        let username = format!("peer.{}", p.name.as_str());
        let at = now_ms();
        let by = actor
            .map(|a| a.username.as_str().to_string())
            .unwrap_or_else(|| SYSTEM_ACTOR.to_string());
        let mut w = self.begin_write().await?;
        let duplicate = || {
            StoreError::conflict(
                crate::ConflictCode::AlreadyExists,
                format!("peer {} already exists", p.name.as_str()),
            )
        };
        let exists: Option<(String,)> =
            sqlx::query_as("SELECT name FROM peers WHERE name = $1 OR username = $2")
                .bind(p.name.as_str())
                .bind(&username)
                .fetch_optional(&mut *w.tx)
                .await?;
        if exists.is_some() {
            return Err(duplicate());
        }
        crate::accounts::insert_user_in(&mut w.tx, &username, p.member, Role::Viewer, phc).await?;
        sqlx::query(
            "INSERT INTO peers (name, url, member, public_key, username, paused, created_at, created_by, \
             unsigned_import, collection) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9)",
        )
        .bind(p.name.as_str())
        .bind(p.url)
        .bind(p.member.as_str())
        .bind(p.public_key)
        .bind(&username)
        .bind(at)
        .bind(&by)
        .bind(i64::from(p.import_collection.is_some()))
        .bind(p.import_collection)
        .execute(&mut *w.tx)
        .await?;
        audit::append(
            &mut w.tx,
            actor,
            "peer.add",
            p.name.as_str(),
            &serde_json::json!({"member": p.member.as_str(), "url": p.url, "key": p.public_key,
                                "unsigned_import": p.import_collection}),
        )
        .await?;
        w.commit().await?;
        Ok(Peer {
            name: p.name.as_str().to_string(),
            url: p.url.to_string(),
            member: p.member.as_str().to_string(),
            public_key: p.public_key.to_string(),
            username,
            paused: false,
            created_at_ms: at,
            created_by: by,
            retired_keys: Vec::new(),
            relay: false,
            registry_source: false,
            import_collection: p.import_collection.map(str::to_string),
            pull: PullState::default(),
        })
    }

    /// The node's peers, by name.
    pub async fn peers(&self) -> Result<Vec<Peer>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM peers ORDER BY name"))
            .fetch_all(self.pool())
            .await?;
        let mut peers = rows.into_iter().map(peer_of).collect::<Result<Vec<_>>>()?;
        let refused: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT peer, reason, n FROM peer_refusals ORDER BY peer, reason")
                .fetch_all(self.pool())
                .await?;
        for (peer, reason, n) in refused {
            if let Some(p) = peers.iter_mut().find(|p| p.name == peer) {
                p.pull.refused.push((reason, n));
            }
        }
        Ok(peers)
    }

    pub async fn peer(&self, name: &str) -> Result<Peer> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM peers WHERE name = $1"))
            .bind(name)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut peer = peer_of(row)?;
        peer.pull.refused =
            sqlx::query_as("SELECT reason, n FROM peer_refusals WHERE peer = $1 ORDER BY reason")
                .bind(name)
                .fetch_all(self.pool())
                .await?;
        Ok(peer)
    }

    /// Pauses (or resumes) a peer: while paused its user is disabled, its
    /// tokens revoked, so it is served nothing.
    pub async fn set_peer_paused(
        &self,
        actor: Option<&Principal>,
        name: &str,
        paused: bool,
    ) -> Result<Peer> {
        only_admins(actor)?;
        let peer = self.peer(name).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE peers SET paused = $1 WHERE name = $2")
            .bind(i64::from(paused))
            .bind(name)
            .execute(&mut *w.tx)
            .await?;
        crate::accounts::set_disabled_in(&mut w.tx, &peer.username, paused).await?;
        let action = if paused { "peer.pause" } else { "peer.resume" };
        audit::append(&mut w.tx, actor, action, name, &serde_json::json!({})).await?;
        w.commit().await?;
        Ok(Peer { paused, ..peer })
    }

    /// Changes a peer's URL, key or relay (`None`: kept), audited. A new
    /// key retires the old one (still trusted for what it signed), makes
    /// this node learn the peer's node id again, checked against the new
    /// key, and pulls the peer again from its start (a full, idempotent
    /// resync: what was refused as signed by a key not yet configured comes
    /// again). Turning relay on or off pulls it again from its start too:
    /// what it relayed before is accepted, or refused, now.
    pub async fn change_peer(
        &self,
        actor: Option<&Principal>,
        name: &str,
        change: &PeerChange<'_>,
    ) -> Result<Peer> {
        only_admins(actor)?;
        let peer = self.peer(name).await?;
        let mut retired = peer.retired_keys.clone();
        let key_changes = change.public_key.is_some_and(|k| k != peer.public_key);
        if let Some(k) = change.public_key.filter(|_| key_changes) {
            if retired.iter().any(|r| r == k) {
                return Err(StoreError::BadRequest(format!(
                    "{k} is a key peer {name} retired: a retired key is never current again"
                )));
            }
            retired.push(peer.public_key.clone());
        }
        let url = change.url.unwrap_or(&peer.url);
        let key = change.public_key.unwrap_or(&peer.public_key);
        let relay = change.relay.unwrap_or(peer.relay);
        let registry_source = change.registry_source.unwrap_or(peer.registry_source);
        let mut w = self.begin_write().await?;
        if registry_source && !peer.registry_source {
            // One source of the registry.
            sqlx::query("UPDATE peers SET registry_source = 0")
                .execute(&mut *w.tx)
                .await?;
        }
        sqlx::query(
            "UPDATE peers SET url = $1, public_key = $2, retired_keys = $3, relay = $4, registry_source = $7, \
             node_id = CASE WHEN $5 = 1 THEN NULL ELSE node_id END WHERE name = $6",
        )
        .bind(url)
        .bind(key)
        .bind(serde_json::to_string(&retired).unwrap_or_else(|_| "[]".into()))
        .bind(i64::from(relay))
        .bind(i64::from(key_changes))
        .bind(name)
        .bind(i64::from(registry_source))
        .execute(&mut *w.tx)
        .await?;
        // A new key, or relay turned on or off, changes what the peer's
        // feed holds for this node: pull it again from its beginning.
        let why = if key_changes {
            Some("the peer's key changed")
        } else if relay != peer.relay {
            Some(if relay {
                "relay turned on: what the peer relays from others is wanted too"
            } else {
                "relay turned off"
            })
        } else {
            None
        };
        if let Some(why) = why {
            crate::federation::resync_in(&mut w.tx, name, why, None, true).await?;
        }
        audit::append(
            &mut w.tx,
            actor,
            "peer.change",
            name,
            &serde_json::json!({
                "url": change.url,
                "key": change.public_key,
                "relay": change.relay,
                "registry_source": change.registry_source,
            }),
        )
        .await?;
        w.commit().await?;
        self.peer(name).await
    }

    /// Removes a peer: its row goes, its user is disabled (kept, so the
    /// audit log's entries still name someone) and its tokens revoked.
    pub async fn remove_peer(&self, actor: Option<&Principal>, name: &str) -> Result<()> {
        only_admins(actor)?;
        let peer = self.peer(name).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM peers WHERE name = $1")
            .bind(name)
            .execute(&mut *w.tx)
            .await?;
        crate::accounts::set_disabled_in(&mut w.tx, &peer.username, true).await?;
        audit::append(
            &mut w.tx,
            actor,
            "peer.remove",
            name,
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await
    }
}
