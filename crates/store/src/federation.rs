//! Federation's store half (issue 15): the feed this node serves its peers
//! and the pages it applies from theirs.
//!
//! - **The feed** is this node's own records (origin node = this node)
//!   after a sequence number, in sequence order, as the puller's member may
//!   read them through the one audience filter: the current version with
//!   its signature, or — when the member may no longer read it but could
//!   read an earlier version (its audience was narrowed) — a revocation
//!   that carries no content. TLP:RED goes only to a member named in its
//!   REL TO (or its origin), never through COALITION or a group; a record
//!   hidden with what it refers to (a fund's project with its fund) is
//!   not served while it is hidden. The
//!   position is the sequence alone: never a timestamp, so many versions in
//!   one millisecond page exactly once.
//! - **A page applied** is one transaction: every version (each in a
//!   savepoint, so one that cannot be applied is refused alone), every
//!   revocation, the refusals counted and audited, and the peer's cursor.
//!   A crash before the commit leaves the cursor where it was and the page
//!   is applied again, idempotently (a version already held changes
//!   nothing).
//!
//! Signatures are checked before a page gets here (`app::federation`):
//! the store applies what it is given as verified.

use crate::audience::{marking_from_columns, readable_by_any, readable_set_by_any};
use crate::records::{
    apply_new_replicas_in, apply_replica_in, forget_replica_in, held_ids, Applied, ForgetWhy,
    Forgotten,
};
use crate::{audit, now_ms, Principal, Result, Store, StoreError, SYSTEM_ACTOR};
use coalesce_domain::record::{Kind, Replica};
use coalesce_domain::{AudienceToken, DomainError};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// The most items one feed page holds.
pub const MAX_FEED_PAGE: i64 = 5_000;

/// The current version of one of this node's records, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedVersion {
    pub id: String,
    pub kind: String,
    pub origin: String,
    pub origin_node: String,
    pub version: i64,
    pub status: String,
    pub tlp: String,
    pub rel_to: Vec<String>,
    /// The body's canonical JSON.
    pub body: String,
    pub created_at_ms: i64,
    /// When this version was written (what the signature covers).
    pub at_ms: i64,
    pub seq: i64,
    /// `None` for a version written before the node had its key.
    pub signature: Option<String>,
    pub signed_by: Option<String>,
}

/// A record the reader could read and may no longer: what its copy must
/// become (nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub id: String,
    pub kind: String,
    pub origin: String,
    pub origin_node: String,
    /// The version that narrowed it away.
    pub version: i64,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedItem {
    Version(FeedVersion),
    Revoked(Revocation),
}

impl FeedItem {
    pub fn seq(&self) -> i64 {
        match self {
            FeedItem::Version(v) => v.seq,
            FeedItem::Revoked(r) => r.seq,
        }
    }
}

/// One page of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub items: Vec<FeedItem>,
    /// More items follow the last of these.
    pub more: bool,
    /// The highest sequence number of this node's own records when the
    /// page was read: a puller whose cursor is beyond it is reading a node
    /// restored from an older backup; a page with no more moves the puller
    /// there (what it skipped is not released to it).
    pub high: i64,
    /// How this node serves the peer: whether it relays to it, and the
    /// members it serves it as. When that changes, records below the
    /// peer's cursor may now be served to it (or no longer relayed): the
    /// peer pulls again from the beginning.
    pub view: String,
}

/// A verified version from a peer, to apply.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub kind: String,
    pub replica: Replica<serde_json::Value>,
    /// `(signature, signing key)`.
    pub signature: (String, String),
}

/// Why an object of a peer's page was refused, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// A short code: `bad_signature`, `unknown_key`, `foreign_origin`,
    /// `older_version`, `malformed`, `unsigned`, `not_applicable`.
    pub reason: String,
    /// The object's id (STIX or record id) or position.
    pub object: String,
    pub detail: String,
}

/// A peer's page as this node applies it.
#[derive(Debug, Clone, Default)]
pub struct PulledPage {
    pub versions: Vec<Arrival>,
    pub revocations: Vec<Revocation>,
    pub refusals: Vec<Refusal>,
    /// The peer's sequence number to resume after.
    pub cursor: i64,
    /// The highest sequence number the peer reported.
    pub peer_high: i64,
    /// Whether the peer said more follow.
    pub more: bool,
    /// This node's own records that came back through a relay (skipped).
    pub echoes: usize,
    /// How the peer said it serves this node (kept with the cursor).
    pub view: Option<String>,
    /// The position the page was fetched after: a page fetched after
    /// another position than the one this node now stands at (a resync
    /// began meanwhile) is refused whole.
    pub from: Option<i64>,
}

/// What applying a page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageOutcome {
    pub written: usize,
    pub held: usize,
    pub forgotten: usize,
    pub refused: usize,
}

const FEED_COLUMNS: &str =
    "r.id, r.kind, r.origin, r.origin_node, r.version, r.status, r.tlp, r.rel_to, \
     v.body, r.created_at, v.at, r.seq, v.signature, v.signed_by";

impl Store {
    /// A page of this node's own records for the peer user `p`, after
    /// sequence number `after` (see the module's description). One audit
    /// entry per page that holds AMBER or RED versions or revocations
    /// (what was revoked, by id: the origin's record of who was told).
    /// `added_after_ms` keeps only versions written after it (TAXII's
    /// `added_after`, for standard clients; peers page by sequence alone).
    pub async fn feed(
        &self,
        p: &Principal,
        after: i64,
        added_after_ms: Option<i64>,
        limit: i64,
    ) -> Result<Feed> {
        let limit = limit.clamp(1, MAX_FEED_PAGE);
        let node = self.node_id().await?;
        // The high mark, the page and the revocations from one snapshot:
        // a page that ends with no more has then considered every version
        // up to the high mark, and the puller may move there.
        let mut tx = self.begin_snapshot().await?;
        // A peer with relay on is also served the CLEAR and GREEN records of
        // other nodes held here (never its own back), and the revocations
        // of those this node was told of.
        let peer: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT relay, node_id FROM peers WHERE username = $1")
                .bind(p.username.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let relay = peer.as_ref().is_some_and(|r| r.0 != 0);
        let peer_node = peer.and_then(|r| r.1).unwrap_or_default();
        let hosted_members: Vec<(String,)> =
            sqlx::query_as("SELECT code FROM members WHERE home_node = $1")
                .bind(&peer_node)
                .fetch_all(&mut *tx)
                .await?;
        let served_as: BTreeSet<String> = hosted_members
            .into_iter()
            .map(|m| m.0)
            .chain([p.member.to_string()])
            .collect();
        let view = format!(
            "relay={};members={}",
            u8::from(relay),
            served_as.into_iter().collect::<Vec<_>>().join(",")
        );
        // A peer is served as every member it hosts: its own, and those the
        // registry says its node hosts.
        let hosted = &hosted_by("$1", "$6");
        let now_readable = readable_by_any("r.id", hosted);
        // RED: only to a member named in REL TO (an audience row of its own);
        // a record hidden with what it refers to, as every read hides it.
        let served = format!(
            "{now_readable} AND (r.tlp <> 'RED' OR EXISTS \
             (SELECT 1 FROM audience ra WHERE ra.subject_id = r.id AND ra.token {hosted})) AND {} \
             AND (r.origin_node = $2 OR r.tlp IN ('CLEAR', 'GREEN'))",
            crate::records::any_kind_refs_filter("$1")
        );
        let was_readable = readable_set_by_any("pv.audience_key", hosted);
        // A member it hosts left a group the record names: it may have been
        // served the record while in the group.
        let departed = format!(
            "EXISTS (SELECT 1 FROM audience ga JOIN group_departures gd \
             ON ga.token = 'GROUP:' || gd.group_slug \
             WHERE ga.subject_id = r.id AND gd.member_code {hosted})"
        );
        let own = format!(
            "r.origin_node = $2 AND ({now_readable} OR {departed} OR EXISTS \
             (SELECT 1 FROM record_versions pv WHERE pv.record_id = r.id AND {was_readable}))"
        );
        // With relay on, also the CLEAR and GREEN records of other nodes held
        // here (never the peer's own back), and the revocations of those this
        // node was told of.
        let which = if relay {
            format!(
                "(({own}) OR (r.origin_node <> $2 AND r.origin_node <> $6 AND \
                 ((r.tlp IN ('CLEAR', 'GREEN') AND {now_readable}) OR {departed} OR EXISTS \
                 (SELECT 1 FROM record_versions pv WHERE pv.record_id = r.id \
                  AND pv.tlp IN ('CLEAR', 'GREEN') AND {was_readable}))))"
            )
        } else {
            own
        };
        let sql = format!(
            "SELECT {FEED_COLUMNS}, CASE WHEN {served} THEN 1 ELSE 0 END AS served \
             FROM records r JOIN record_versions v ON v.record_id = r.id AND v.version = r.version \
             WHERE r.seq > $3 AND v.at > $5 AND {which} ORDER BY r.seq LIMIT $4"
        );
        let high = if relay {
            crate::records::next_seq(&mut tx).await? - 1
        } else {
            own_high_seq_in(&mut tx, &node).await?
        };
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(&node)
            .bind(after)
            .bind(limit + 1)
            .bind(added_after_ms.unwrap_or(i64::MIN))
            .bind(&peer_node)
            .fetch_all(&mut *tx)
            .await?;
        let mut forgotten: Vec<Revocation> = Vec::new();
        if relay {
            let sql = format!(
                "SELECT t.record_id, t.kind, t.origin, t.origin_node, t.version, t.seq \
                 FROM revoked_replicas t WHERE t.seq > $2 AND t.tlp IN ('CLEAR', 'GREEN') \
                 AND t.origin_node <> $3 AND {} ORDER BY t.seq LIMIT $4",
                readable_set_by_any("t.audience_key", &hosted_by("$1", "$3"))
            );
            let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(&sql)
                .bind(p.member.as_str())
                .bind(after)
                .bind(&peer_node)
                .bind(limit + 1)
                .fetch_all(&mut *tx)
                .await?;
            forgotten = rows
                .into_iter()
                .map(|(id, kind, origin, origin_node, version, seq)| Revocation {
                    id,
                    kind,
                    origin,
                    origin_node,
                    version,
                    seq,
                })
                .collect();
        }
        let mut items = Vec::with_capacity(rows.len() + forgotten.len());
        for row in &rows {
            let served: i64 = row.try_get("served")?;
            let id: String = row.try_get("id")?;
            let kind: String = row.try_get("kind")?;
            let origin: String = row.try_get("origin")?;
            let origin_node: String = row.try_get("origin_node")?;
            let version: i64 = row.try_get("version")?;
            let seq: i64 = row.try_get("seq")?;
            if served == 0 {
                items.push(FeedItem::Revoked(Revocation {
                    id,
                    kind,
                    origin,
                    origin_node,
                    version,
                    seq,
                }));
                continue;
            }
            let tlp: String = row.try_get("tlp")?;
            let rel_to: String = row.try_get("rel_to")?;
            let marking = marking_from_columns(&tlp, &rel_to)?;
            items.push(FeedItem::Version(FeedVersion {
                id,
                kind,
                origin,
                origin_node,
                version,
                status: row.try_get("status")?,
                tlp,
                rel_to: marking
                    .rel_to
                    .iter()
                    .map(AudienceToken::as_string)
                    .collect(),
                body: row.try_get("body")?,
                created_at_ms: row.try_get("created_at")?,
                at_ms: row.try_get("at")?,
                seq,
                signature: row.try_get("signature")?,
                signed_by: row.try_get("signed_by")?,
            }));
        }
        tx.commit().await?;
        items.extend(forgotten.into_iter().map(FeedItem::Revoked));
        items.sort_by_key(FeedItem::seq);
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let audited: Vec<&FeedItem> = items
            .iter()
            .filter(|i| match i {
                FeedItem::Version(v) => ["AMBER", "AMBER+STRICT", "RED"].contains(&v.tlp.as_str()),
                FeedItem::Revoked(_) => true,
            })
            .collect();
        if !audited.is_empty() {
            let revoked: Vec<&str> = audited
                .iter()
                .filter_map(|i| match i {
                    FeedItem::Revoked(r) => Some(r.id.as_str()),
                    FeedItem::Version(_) => None,
                })
                .collect();
            self.audit_read(
                p.username.as_str(),
                p.member.as_str(),
                "federation.serve",
                &format!("after:{after}"),
                serde_json::json!({
                    "items": items.len(),
                    "amber_or_red": audited.len() - revoked.len(),
                    "revoked": revoked,
                }),
            )
            .await?;
        }
        Ok(Feed {
            items,
            more,
            high,
            view,
        })
    }

    /// Applies a verified page from peer `peer` and moves its cursor, in
    /// one transaction (see the module's description).
    pub async fn apply_pulled(&self, peer: &str, page: PulledPage) -> Result<PageOutcome> {
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        let exists: Option<(Option<String>, i64, i64)> =
            sqlx::query_as("SELECT node_id, resyncing, cursor FROM peers WHERE name = $1")
                .bind(peer)
                .fetch_optional(&mut *w.tx)
                .await?;
        let Some((peer_node, resyncing, position)) = exists else {
            return Err(StoreError::NotFound);
        };
        if let Some(from) = page.from.filter(|f| *f != position) {
            return Err(StoreError::conflict(
                crate::ConflictCode::VersionConflict,
                format!(
                    "a page fetched after position {from}, but the pull stands at {position} \
                     now (a resync began meanwhile): pulled again from there"
                ),
            ));
        }
        if resyncing != NOT_RESYNCING {
            note_served(&mut w, peer, &page).await?;
        }
        let purges = page
            .versions
            .iter()
            .any(|a| a.replica.body.get("purged_on").is_some());
        let mut out = PageOutcome::default();
        let mut refusals = page.refusals;
        // Records held nowhere here yet go in bulk, a kind at a time; the
        // rest (changes, and a bulk that fails) one by one, below.
        let ids: Vec<&str> = page
            .versions
            .iter()
            .map(|a| a.replica.id.as_str())
            .collect();
        let held = held_ids(&mut w, &ids).await?;
        let mut fresh: BTreeMap<String, Vec<Arrival>> = BTreeMap::new();
        let mut one_by_one = Vec::new();
        let mut seen = BTreeSet::new();
        for a in page.versions {
            let new = !held.contains(&a.replica.id)
                && a.replica.origin_node != node
                && seen.insert(a.replica.id.clone());
            if new {
                fresh.entry(a.kind.clone()).or_default().push(a);
            } else {
                one_by_one.push(a);
            }
        }
        let mut written: Vec<String> = Vec::new();
        for (kind, group) in fresh {
            sqlx::query("SAVEPOINT fresh").execute(&mut *w.tx).await?;
            match apply_fresh(&mut w, &kind, &group, peer).await {
                // Written with `via` already.
                Ok(n) => out.written += n,
                Err(_) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT fresh")
                        .execute(&mut *w.tx)
                        .await?;
                    one_by_one.extend(group);
                }
            }
            sqlx::query("RELEASE SAVEPOINT fresh")
                .execute(&mut *w.tx)
                .await?;
        }
        for a in one_by_one {
            let object = a.replica.id.clone();
            sqlx::query("SAVEPOINT pulled").execute(&mut *w.tx).await?;
            let result = apply_arrival(&mut w, &node, a).await;
            let failed = match result {
                Ok(Applied::Written) => {
                    out.written += 1;
                    written.push(object);
                    None
                }
                Ok(Applied::AlreadyHeld) => {
                    out.held += 1;
                    None
                }
                Ok(Applied::Older) => Some(Refusal {
                    reason: "older_version".into(),
                    object,
                    detail: "this node holds a newer version".into(),
                }),
                Ok(Applied::Revoked) => Some(Refusal {
                    reason: "revoked".into(),
                    object,
                    detail: "this version, or a later one, was revoked from this node".into(),
                }),
                Err(StoreError::Invalid(DomainError::UnknownAudienceToken(token))) => {
                    Some(Refusal {
                        reason: UNKNOWN_AUDIENCE.into(),
                        object,
                        detail: format!(
                            "names {token}, which this node's registry does not hold yet: \
                             pulled again once it does"
                        ),
                    })
                }
                Err(e) => Some(Refusal {
                    reason: "not_applicable".into(),
                    object,
                    detail: e.to_string(),
                }),
            };
            if let Some(r) = failed {
                sqlx::query("ROLLBACK TO SAVEPOINT pulled")
                    .execute(&mut *w.tx)
                    .await?;
                refusals.push(r);
            }
            sqlx::query("RELEASE SAVEPOINT pulled")
                .execute(&mut *w.tx)
                .await?;
        }
        mark_via(&mut w, peer, &written).await?;
        for r in page.revocations {
            // A peer revokes its own records, and, relaying, only the
            // copies that came through it: a copy that came from its
            // origin (or another relay) is that one's to revoke.
            if peer_node.as_deref() != Some(r.origin_node.as_str()) {
                let via: Option<(Option<String>,)> =
                    sqlx::query_as("SELECT via FROM records WHERE id = $1")
                        .bind(&r.id)
                        .fetch_optional(&mut *w.tx)
                        .await?;
                if via.and_then(|v| v.0).as_deref() != Some(peer) {
                    continue;
                }
            }
            sqlx::query("SAVEPOINT pulled").execute(&mut *w.tx).await?;
            let failed = match forget_replica_in(
                &mut w,
                &node,
                &r.id,
                &r.origin_node,
                r.version,
                ForgetWhy::Revoked,
            )
            .await
            {
                Ok(Forgotten::Deleted) => {
                    out.forgotten += 1;
                    None
                }
                Ok(Forgotten::NotHeld) => None,
                Ok(Forgotten::Older) => Some(Refusal {
                    reason: "older_version".into(),
                    object: r.id.clone(),
                    detail: "a revocation of a version older than the one held".into(),
                }),
                Err(e) => Some(Refusal {
                    reason: "not_applicable".into(),
                    object: r.id.clone(),
                    detail: e.to_string(),
                }),
            };
            if let Some(f) = failed {
                sqlx::query("ROLLBACK TO SAVEPOINT pulled")
                    .execute(&mut *w.tx)
                    .await?;
                refusals.push(f);
            }
            sqlx::query("RELEASE SAVEPOINT pulled")
                .execute(&mut *w.tx)
                .await?;
        }
        // A resync that refused anything may not have named all the peer
        // still serves (a refusal names a STIX id, not always a record's):
        // it ends without a sweep.
        let resyncing = match resyncing {
            RESYNC_SWEEPS if !refusals.is_empty() => RESYNC_NO_SWEEP,
            r => r,
        };
        let resyncing = if resyncing != NOT_RESYNCING && !page.more {
            let swept = match (&peer_node, resyncing) {
                (Some(origin), RESYNC_SWEEPS) => {
                    sweep_unserved(&mut w, &node, peer, origin).await?
                }
                _ => 0,
            };
            out.forgotten += swept;
            sqlx::query("DELETE FROM resync_seen WHERE peer = $1")
                .bind(peer)
                .execute(&mut *w.tx)
                .await?;
            NOT_RESYNCING
        } else {
            resyncing
        };
        out.refused = refusals.len();
        if refusals.iter().any(|r| r.reason == UNKNOWN_AUDIENCE) {
            let digest = registry_tokens_digest(&mut w.tx).await?;
            sqlx::query("UPDATE peers SET awaiting_registry = $1 WHERE name = $2")
                .bind(digest)
                .bind(peer)
                .execute(&mut *w.tx)
                .await?;
        }
        record_refusals(&mut w, peer, &refusals).await?;
        let now = now_ms();
        sqlx::query(
            "UPDATE peers SET cursor = $1, peer_high = $2, applied = applied + $3, \
             last_success_at = $4, \
             behind_since = CASE WHEN $5 = 0 THEN NULL ELSE COALESCE(behind_since, $4) END, \
             served_view = COALESCE($7, served_view), resyncing = $8 WHERE name = $6",
        )
        .bind(page.cursor)
        .bind(page.peer_high)
        .bind((out.written + out.forgotten) as i64)
        .bind(now)
        .bind(i64::from(page.more))
        .bind(peer)
        .bind(page.view)
        .bind(resyncing)
        .execute(&mut *w.tx)
        .await?;
        w.commit().await?;
        if purges {
            // A purged version's words leave SQLite's search segments too.
            self.compact_search_index().await?;
        }
        Ok(out)
    }

    /// The highest sequence number given on this node: of its own records,
    /// the replicas it holds and the revocations it keeps (what a relay
    /// peer is served up to).
    pub async fn high_seq(&self) -> Result<i64> {
        let mut conn = self.pool().acquire().await?;
        Ok(crate::records::next_seq(&mut conn).await? - 1)
    }

    /// Takes a page of a plain TAXII server's objects (peer `peer`, an
    /// unsigned import) into the STIX object store as imported objects of
    /// the member it is configured for, each checked as any STIX import is
    /// (refused ones counted by reason `not_importable` and audited, the
    /// rest go on), and moves the peer's cursor to `cursor` (the server's
    /// date added, µs) when given. Re-taking objects already held changes
    /// nothing, so a crash between the two re-imports idempotently.
    pub async fn apply_imported(
        &self,
        peer: &str,
        objects: &[serde_json::Value],
        cursor: Option<i64>,
        more: bool,
    ) -> Result<PageOutcome> {
        let p = self.peer(peer).await?;
        if p.import_collection.is_none() {
            return Err(StoreError::BadRequest(format!(
                "peer {peer} is a coalesce node: its objects are verified, never imported unsigned"
            )));
        }
        // The peer's own user, as a writer: what it sends is imported as the
        // member it is configured for.
        let mut importer = self
            .principal_for_username(&p.username)
            .await?
            .ok_or(StoreError::NotFound)?;
        importer.role = coalesce_domain::Role::Contributor;
        let outcomes = self
            .stix_add(&importer, objects, false, &format!("import:{peer}"))
            .await?;
        let mut out = PageOutcome::default();
        let mut refusals = Vec::new();
        for o in outcomes {
            match (&o.error, o.already_held) {
                (Some(e), _) => refusals.push(Refusal {
                    reason: "not_importable".into(),
                    object: o.id.clone(),
                    detail: e.clone(),
                }),
                (None, true) => out.held += 1,
                (None, false) => out.written += 1,
            }
        }
        out.refused = refusals.len();
        let mut w = self.begin_write().await?;
        record_refusals(&mut w, peer, &refusals).await?;
        let now = now_ms();
        sqlx::query(
            "UPDATE peers SET cursor = COALESCE($1, cursor), peer_high = COALESCE($1, peer_high), \
             applied = applied + $2, last_success_at = $3, \
             behind_since = CASE WHEN $4 = 0 THEN NULL ELSE COALESCE(behind_since, $3) END \
             WHERE name = $5",
        )
        .bind(cursor)
        .bind(out.written as i64)
        .bind(now)
        .bind(i64::from(more))
        .bind(peer)
        .execute(&mut *w.tx)
        .await?;
        w.commit().await?;
        Ok(out)
    }

    /// The credential the peer issued for this node to pull with.
    pub async fn peer_credential(&self, name: &str) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT credential FROM peers WHERE name = $1")
                .bind(name)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| r.0).ok_or(StoreError::NotFound)
    }

    /// Keeps the credential `peer`'s operator issued for this node (the
    /// node's administrators, or the node from its CLI); audited, never
    /// the credential itself.
    pub async fn set_peer_credential(
        &self,
        actor: Option<&Principal>,
        peer: &str,
        credential: &str,
    ) -> Result<()> {
        crate::peers::only_admins(actor)?;
        let credential = credential.trim();
        if credential.is_empty()
            || credential.len() > 512
            || credential.contains(char::is_whitespace)
        {
            return Err(StoreError::BadRequest(
                "a credential is the one token the peer's `peer add` or `peer credential` printed"
                    .into(),
            ));
        }
        let mut w = self.begin_write().await?;
        let n = sqlx::query("UPDATE peers SET credential = $1 WHERE name = $2")
            .bind(credential)
            .bind(peer)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &mut w.tx,
            actor,
            "peer.credential",
            peer,
            &serde_json::json!({}),
        )
        .await?;
        w.commit().await
    }

    /// Records the peer's node id, learned from its first answer; a peer
    /// answering with another id than the one recorded is refused.
    pub async fn set_peer_node_id(&self, peer: &str, node_id: &str) -> Result<()> {
        let p = self.peer(peer).await?;
        match p.pull.node_id.as_deref() {
            Some(known) if known == node_id => Ok(()),
            Some(known) => Err(StoreError::conflict(
                crate::ConflictCode::InvalidTransition,
                format!("peer {peer} was node {known} and now answers as node {node_id}"),
            )),
            None => {
                let mut w = self.begin_write().await?;
                sqlx::query("UPDATE peers SET node_id = $1 WHERE name = $2")
                    .bind(node_id)
                    .bind(peer)
                    .execute(&mut *w.tx)
                    .await?;
                audit::append(
                    &mut w.tx,
                    None,
                    "peer.node",
                    peer,
                    &serde_json::json!({ "node_id": node_id }),
                )
                .await?;
                w.commit().await
            }
        }
    }

    /// Records a failed pull from `peer` (the status shows it; the audit
    /// log gets it once per distinct error in a row, not once per retry).
    pub async fn record_pull_error(&self, peer: &str, error: &str) -> Result<()> {
        let error: String = error.chars().take(500).collect();
        let p = self.peer(peer).await?;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE peers SET last_error = $1, last_error_at = $2 WHERE name = $3")
            .bind(&error)
            .bind(now_ms())
            .bind(peer)
            .execute(&mut *w.tx)
            .await?;
        if p.pull.last_error.as_deref() != Some(error.as_str()) {
            audit::append(
                &mut w.tx,
                None,
                "peer.pull_error",
                peer,
                &serde_json::json!({ "error": error }),
            )
            .await?;
        }
        w.commit().await
    }

    /// Starts pulling `peer` from its beginning again (a full, idempotent
    /// resync: the peer's sequence went backwards, or it refused our
    /// position, or it serves this node otherwise now); audited with the
    /// reason. With `sweep`, the copies of its records it no longer serves
    /// are forgotten at the end; without (its database was restored: what
    /// it lost may be held only here), they are kept.
    pub async fn reset_peer_cursor(&self, peer: &str, why: &str, sweep: bool) -> Result<()> {
        let mut w = self.begin_write().await?;
        resync_in(&mut w.tx, peer, why, None, sweep).await?;
        w.commit().await
    }

    /// When objects from `peer` were refused for naming a member or group
    /// this node did not hold, and its registry holds more now: pulls the
    /// peer again from the beginning (a full, idempotent resync, audited),
    /// so that they apply. Whether it did.
    pub async fn retry_awaiting_registry(&self, peer: &str) -> Result<bool> {
        let awaiting: Option<(Option<String>,)> =
            sqlx::query_as("SELECT awaiting_registry FROM peers WHERE name = $1")
                .bind(peer)
                .fetch_optional(self.pool())
                .await?;
        let Some(then) = awaiting.and_then(|a| a.0) else {
            return Ok(false);
        };
        let mut w = self.begin_write().await?;
        if registry_tokens_digest(&mut w.tx).await? == then {
            return Ok(false);
        }
        // Only if still waiting for the same registry (not changed since).
        let done = resync_in(
            &mut w.tx,
            peer,
            "objects it sent named members or groups this node's registry now holds",
            Some(&then),
            true,
        )
        .await?;
        if done {
            w.commit().await?;
        }
        Ok(done)
    }

    /// The peer that pulls as user `username`, if one does.
    pub async fn peer_of_user(&self, username: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT name FROM peers WHERE username = $1")
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// The highest sequence number of this node's own records (what the
    /// poker watches to tell peers to pull).
    pub async fn own_high_seq(&self) -> Result<i64> {
        let node = self.node_id().await?;
        own_high_seq_in(&mut *self.pool().acquire().await?, &node).await
    }
}

/// The refusal of an object that names a member or group this node's
/// registry does not hold (yet).
pub const UNKNOWN_AUDIENCE: &str = "unknown_audience";

/// A digest of the members and groups this node knows: what an object
/// refused as [`UNKNOWN_AUDIENCE`] waits to see change.
async fn registry_tokens_digest(conn: &mut sqlx::AnyConnection) -> Result<String> {
    use sha2::{Digest, Sha256};
    let tokens: Vec<(String,)> = sqlx::query_as(
        "SELECT 'm:' || code FROM members UNION ALL SELECT 'g:' || slug FROM coalition_groups",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tokens: Vec<String> = tokens.into_iter().map(|t| t.0).collect();
    tokens.sort();
    let mut h = Sha256::new();
    for t in &tokens {
        h.update(t.as_bytes());
        h.update(b"\n");
    }
    Ok(hex::encode(h.finalize()))
}

/// The highest sequence number of node `node`'s own records.
async fn own_high_seq_in(conn: &mut sqlx::AnyConnection, node: &str) -> Result<i64> {
    let (high,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(seq) FROM records WHERE origin_node = $1")
            .bind(node)
            .fetch_one(&mut *conn)
            .await?;
    Ok(high.unwrap_or(0))
}

/// The members a peer node is served as (after a column, for the audience
/// rule): the member its user is of (`member_param`), and every member the
/// registry says its node (`node_param`) hosts.
fn hosted_by(member_param: &str, node_param: &str) -> String {
    format!(
        "IN (SELECT CAST({member_param} AS TEXT) UNION SELECT code FROM members WHERE home_node = {node_param})"
    )
}

/// Counts `peer`'s refused objects by reason and audits each.
async fn record_refusals(
    w: &mut crate::WriteTx<'_>,
    peer: &str,
    refusals: &[Refusal],
) -> Result<()> {
    for r in refusals {
        sqlx::query(
            "INSERT INTO peer_refusals (peer, reason, n) VALUES ($1, $2, 1) \
             ON CONFLICT (peer, reason) DO UPDATE SET n = peer_refusals.n + 1",
        )
        .bind(peer)
        .bind(&r.reason)
        .execute(&mut *w.tx)
        .await?;
        audit::append_named(
            &mut w.tx,
            SYSTEM_ACTOR,
            "-",
            "federation.refuse",
            &r.object,
            &serde_json::json!({ "peer": peer, "reason": r.reason, "detail": r.detail }),
        )
        .await?;
    }
    Ok(())
}

/// During a full resync from `peer`: notes every record its page names
/// (a version or a revocation, applied or refused here: it is still
/// served, and a copy of an earlier version stays).
async fn note_served(w: &mut crate::WriteTx<'_>, peer: &str, page: &PulledPage) -> Result<()> {
    let rows: Vec<Vec<crate::bulk::Arg>> = page
        .versions
        .iter()
        .map(|a| a.replica.id.as_str())
        .chain(page.revocations.iter().map(|r| r.id.as_str()))
        .chain(page.refusals.iter().map(|r| r.object.as_str()))
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .map(|id| {
            vec![
                crate::bulk::Arg::Text(peer.to_string()),
                crate::bulk::Arg::Text(id.to_string()),
            ]
        })
        .collect();
    crate::bulk::insert_rows_then(
        &mut w.tx,
        "resync_seen (peer, record_id)",
        &rows,
        "ON CONFLICT (peer, record_id) DO NOTHING",
    )
    .await
}

/// The last page of a full resync from `peer` (node `origin`): forgets the
/// copies of its records that no page named — they are no longer served
/// to this node (a member it hosted moved away). Returns how many it
/// forgot.
async fn sweep_unserved(
    w: &mut crate::WriteTx<'_>,
    node: &str,
    peer: &str,
    origin: &str,
) -> Result<usize> {
    let stale: Vec<(String, i64)> = sqlx::query_as(
        "SELECT r.id, r.version FROM records r WHERE r.origin_node = $1 AND NOT EXISTS          (SELECT 1 FROM resync_seen s WHERE s.peer = $2 AND s.record_id = r.id) ORDER BY r.id",
    )
    .bind(origin)
    .bind(peer)
    .fetch_all(&mut *w.tx)
    .await?;
    let mut forgotten = 0;
    for (id, version) in stale {
        // One copy that cannot be forgotten is left, and never stops the pull.
        sqlx::query("SAVEPOINT sweep").execute(&mut *w.tx).await?;
        match forget_replica_in(w, node, &id, origin, version, ForgetWhy::Unserved).await {
            Ok(Forgotten::Deleted) => forgotten += 1,
            Ok(_) => {}
            Err(e) => {
                tracing::error!(record = %id, error = %e, "a copy no longer served is kept: it cannot be forgotten");
                sqlx::query("ROLLBACK TO SAVEPOINT sweep")
                    .execute(&mut *w.tx)
                    .await?;
            }
        }
        sqlx::query("RELEASE SAVEPOINT sweep")
            .execute(&mut *w.tx)
            .await?;
    }
    if forgotten > 0 {
        audit::append(
            &mut w.tx,
            None,
            "peer.sweep",
            peer,
            &serde_json::json!({ "forgotten": forgotten }),
        )
        .await?;
    }
    Ok(forgotten)
}

/// Notes that the current versions of `ids` came from `peer`.
async fn mark_via(w: &mut crate::WriteTx<'_>, peer: &str, ids: &[String]) -> Result<()> {
    let list = crate::bulk::json_array_values(w.dialect == crate::Dialect::Postgres);
    for chunk in ids.chunks(5_000) {
        sqlx::query(&format!("UPDATE records SET via = $2 WHERE id IN ({list})"))
            .bind(serde_json::to_string(chunk).map_err(|e| StoreError::Corrupt(e.to_string()))?)
            .bind(peer)
            .execute(&mut *w.tx)
            .await?;
    }
    Ok(())
}

async fn apply_arrival(w: &mut crate::WriteTx<'_>, node: &str, a: Arrival) -> Result<Applied> {
    coalesce_domain::with_kind!(a.kind.as_str(), K => {
        let mut r = a.replica;
        let body: <K as Kind>::Body = serde_json::from_value(std::mem::take(&mut r.body))
            .map_err(|e| StoreError::BadRequest(format!("a {} body: {e}", K::LABEL)))?;
        apply_replica_in::<K>(w, node, r.with_body(body), Some(a.signature)).await
    }, _ => Err(StoreError::BadRequest(format!("no kind of record is called {:?}", a.kind))))
}

/// Applies versions of records this node holds none of, a kind at a time
/// in bulk (see `records::apply_new_replicas_in`).
async fn apply_fresh(
    w: &mut crate::WriteTx<'_>,
    kind: &str,
    fresh: &[Arrival],
    via: &str,
) -> Result<usize> {
    coalesce_domain::with_kind!(kind, K => apply_new_replicas_in::<K>(w, fresh, via).await,
        _ => Err(StoreError::BadRequest(format!("no kind of record is called {kind:?}"))))
}

/// `peers.resyncing`: not resyncing; resyncing, and sweeping at its end
/// what no page named; resyncing without a sweep (the peer's database was
/// restored — what it lost may live only here — or something was refused).
const NOT_RESYNCING: i64 = 0;
const RESYNC_SWEEPS: i64 = 1;
const RESYNC_NO_SWEEP: i64 = 2;

/// Sets `peer` to be pulled from its beginning (cursor 0, its served view
/// and any wait for the registry forgotten) in the caller's transaction,
/// audited as `peer.resync` with `why`; with `awaiting`, only while the
/// peer still waits for that registry. Whether a peer was reset.
pub(crate) async fn resync_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    peer: &str,
    why: &str,
    awaiting: Option<&str>,
    sweep: bool,
) -> Result<bool> {
    let reset = format!(
        "UPDATE peers SET cursor = 0, served_view = NULL, awaiting_registry = NULL, \
         resyncing = {} WHERE name = $1",
        if sweep {
            RESYNC_SWEEPS
        } else {
            RESYNC_NO_SWEEP
        }
    );
    let n = match awaiting {
        None => sqlx::query(&reset).bind(peer).execute(&mut **tx).await?,
        Some(digest) => {
            sqlx::query(&format!("{reset} AND awaiting_registry = $2"))
                .bind(peer)
                .bind(digest)
                .execute(&mut **tx)
                .await?
        }
    }
    .rows_affected();
    if n == 0 {
        return Ok(false);
    }
    // What the pass before noted is not what this one serves.
    sqlx::query("DELETE FROM resync_seen WHERE peer = $1")
        .bind(peer)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        None,
        "peer.resync",
        peer,
        &serde_json::json!({ "why": why }),
    )
    .await?;
    Ok(true)
}
