//! THE record layer: every kind of marked record that declares itself a
//! [`Kind`] is created, changed, withdrawn, read, listed, counted,
//! versioned and applied from a peer here, once, for every kind.
//!
//! - One row per record in `records` (its current version: the body as
//!   canonical JSON, the marking, the status), one immutable row per version
//!   in `record_versions` with its provenance (written here, or on a peer
//!   node) and a node-wide `seq` that TAXII, federation and indexing resume
//!   from. A withdrawal is a version whose status is withdrawn; it is final.
//! - Every read goes through the audience filter: a record's through its
//!   audience rows ([`crate::audience::readable`]), a kept version's
//!   through the audience set it was written with
//!   ([`crate::audience::readable_set`], the same rule over `audience_sets`,
//!   so a version costs no audience rows of its own); outside its audience
//!   a record does not exist (`NotFound`, never `Forbidden`).
//! - Counts are kept per kind and reader (`reader_counts`, see
//!   [`crate::counts`]) in the writing transaction: a batch adjusts them in
//!   one statement per kind by the audience sets it wrote, so that a
//!   reader's count is one row whatever the number of records.
//! - Every write appends its audit entry (action, kind, id, version — never
//!   content) in the same transaction; reads of AMBER and RED are audited.
//! - Only users of the origin member write a record (single owner).

use crate::audience::{
    check_all_tokens, marking_from_columns, readable, readable_set, rel_to_json, set_key,
};
use crate::bulk::{insert_rows, insert_rows_then, Arg, Writes};
use crate::{audit, new_id_at, now_ms, ConflictCode, Principal, Result, Store, StoreError};
use coalesce_domain::record::{
    body_from_json, canonical_json, Kind, Provenance, Record, RecordVersion, RefTarget, Reference,
    Replica, Status,
};
use coalesce_domain::{DomainError, Marking, MemberCode};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// One page of a list: the items and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

pub const MAX_PAGE: i64 = 500;

/// How many rows a page's query asks for, to learn whether another page
/// follows `limit` rows: `limit + 1` rounded up to one of a few sizes
/// (the rows past `limit` are dropped). The LIMIT is written into the SQL
/// (see `crate::conditions`), so a connection then prepares a handful of
/// statements per list, not one per limit a client picks.
pub(crate) fn rows_for_page(limit: i64) -> i64 {
    const SIZES: [i64; 6] = [11, 26, 51, 101, 201, MAX_PAGE + 1];
    SIZES
        .iter()
        .copied()
        .find(|rows| *rows > limit)
        .unwrap_or(limit + 1)
}

/// Every item of a paged read (exports): `page` reads the page after the
/// cursor it is given (`None` for the first), until there is no next page.
pub async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let p = page(cursor.take()).await?;
        out.extend(p.items);
        match p.next {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

/// Cursors are record ids (UUIDv7, so they sort by creation time).
pub fn parse_cursor(c: &str) -> Result<String> {
    uuid::Uuid::parse_str(c)
        .map(|u| u.to_string())
        .map_err(|_| {
            StoreError::BadRequest(format!(
                "invalid cursor {c:?}: pass back the value of `next` unchanged"
            ))
        })
}

mod hooks;
pub(crate) mod legacy;
mod purge;
mod read;
mod rows;

pub(crate) use hooks::{project_unprojected, reindex};
pub use purge::{today, PurgeRun, Purged};

pub(crate) use read::any_kind_refs_filter;
use read::{record_from_row, refs_filter};
pub(crate) use rows::canonicalize_bodies;
pub use rows::check_writer;
pub(crate) use rows::next_seq;
use rows::*;

const COLUMNS: &str = "r.id, r.kind, r.origin, r.origin_node, r.version, r.status, r.tlp, r.rel_to, r.audience_key, r.body, r.created_at, r.created_by, r.updated_at, r.updated_by, r.seq";

/// Items of kind `K` whose writer may write and whose bodies are checked
/// and normalised ([`checked`]).
/// Records per transaction of a batched write ([`Store::create_records_batched`]).
pub const WRITE_BATCH: usize = 1_000;

pub(crate) struct Checked<K: Kind>(Vec<(K::Body, Marking)>);

/// Checks that `p` may write records and every body (before any
/// transaction is taken: bad input never waits for the write lock).
pub(crate) fn checked<K: Kind>(
    p: &Principal,
    items: Vec<(K::Body, Marking)>,
) -> Result<Checked<K>> {
    check_writer(p)?;
    Ok(Checked(
        items
            .into_iter()
            .map(|(b, m)| Ok((K::validate(b)?, m)))
            .collect::<Result<Vec<_>>>()?,
    ))
}

/// What applying a replica did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The version was written here.
    Written,
    /// This node already holds this version (or the record withdrawn):
    /// nothing written.
    AlreadyHeld,
    /// This node holds a newer version: nothing written (a replay).
    Older,
    /// The record was revoked from this node at this version or a later
    /// one: nothing written (a replay, or an echo through a relay).
    Revoked,
}

/// Filters of a list besides the audience (which always applies).
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Only records of this origin member.
    pub origin: Option<MemberCode>,
    /// Only records whose current version refers to this (an indicator's
    /// values: `(RefTarget::Indicator, slug)`).
    pub refers_to: Option<(RefTarget, String)>,
}

/// How a new version is written ([`Store::write_version_in`]): the version
/// it replaces (checked when given), the verb of its audit entry (`update`,
/// `withdraw`, or a kind's own: a contribution is committed, delivered …),
/// more fields for that entry (ids and states, never content), and when.
pub(crate) struct VersionOf<'a> {
    pub if_version: Option<i64>,
    pub verb: &'a str,
    pub detail: Option<serde_json::Value>,
    pub at_ms: i64,
}

/// A record's current row, as the layer reads it before a change.
struct Current {
    kind: String,
    origin: String,
    origin_node: String,
    version: i64,
    status: Status,
    audience_key: String,
}

/// The columns of a new version, shared by the record row and its version
/// row.
struct VersionRow<'a> {
    id: &'a str,
    version: i64,
    status: Status,
    marking: &'a Marking,
    audience_key: &'a str,
    body: &'a str,
    author: &'a str,
    at: i64,
    provenance: &'a Provenance,
    origin_node: &'a str,
    seq: i64,
    /// The origin node's signature and the key it signed with; `None` for
    /// a version written before the node held its key.
    signature: Option<(String, String)>,
}

impl Store {
    /// The id of this node: the origin node of every version written here.
    pub async fn node_id(&self) -> Result<String> {
        let id = self
            .node_id
            .get_or_try_init(|| async {
                self.setting("node_id")
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("the node has no node_id setting".into()))
            })
            .await?;
        Ok(id.clone())
    }

    /// Creates a record of kind `K` owned by the caller's member.
    pub async fn create_record<K: Kind>(
        &self,
        p: &Principal,
        body: K::Body,
        marking: Marking,
    ) -> Result<Record<K::Body>> {
        self.create_record_at::<K>(p, body, marking, now_ms()).await
    }

    /// As [`Store::create_record`], dated `at_ms` (the demo loader dates
    /// records as the seed documents do).
    pub async fn create_record_at<K: Kind>(
        &self,
        p: &Principal,
        body: K::Body,
        marking: Marking,
        at_ms: i64,
    ) -> Result<Record<K::Body>> {
        self.create_all::<K>(p, vec![(body, marking)], at_ms)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Creates many records of kind `K` in one transaction: all or none.
    /// Every body is checked before anything is written; the rows go in
    /// multi-row statements, so a batch costs a few statements per
    /// [`ROWS_PER_STATEMENT`] records rather than several per record.
    pub async fn create_records_at<K: Kind>(
        &self,
        p: &Principal,
        items: Vec<(K::Body, Marking)>,
        at_ms: i64,
    ) -> Result<Vec<String>> {
        Ok(self
            .create_all::<K>(p, items, at_ms)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect())
    }

    /// Creates many records of kind `K` in transactions of
    /// [`WRITE_BATCH`] (an import): another writer waits for one batch at
    /// most, not for the whole file. Every row first gets the checks each
    /// transaction makes (bodies, markings, references, no purge day), so
    /// bad input writes nothing; a retention day (kinds about people) is
    /// checked as its batch is written. `go_on(written, total)` is asked before each batch;
    /// `false` stops the writing there (a cancelled import) and the ids
    /// written so far come back. An error after some batches (the
    /// database gone, a referenced record withdrawn meanwhile) leaves them
    /// written; the log says how many.
    pub async fn create_records_batched<K: Kind>(
        &self,
        p: &Principal,
        items: Vec<(K::Body, Marking)>,
        at_ms: i64,
        mut go_on: impl FnMut(usize, usize) -> bool + Send,
    ) -> Result<Vec<String>> {
        let Checked(items) = checked::<K>(p, items)?;
        if items.iter().any(|(b, _)| K::purged_on(b).is_some()) {
            return Err(StoreError::BadRequest(
                "purged_on is set by the node's purge, never by a writer".into(),
            ));
        }
        let node = self.node_id().await?;
        {
            let mut conn = self.pool().acquire().await?;
            check_hosted(&mut conn, &node, &p.member).await?;
            check_all_tokens(&mut conn, items.iter().map(|(_, m)| m), &p.member).await?;
            let refs: Vec<Reference> = items.iter().flat_map(|(b, _)| K::references(b)).collect();
            check_references(&mut conn, refs.iter(), &p.member).await?;
        }
        let total = items.len();
        let mut ids = Vec::with_capacity(total);
        let mut items = items.into_iter();
        loop {
            let batch: Vec<_> = items.by_ref().take(WRITE_BATCH).collect();
            if batch.is_empty() || !go_on(ids.len(), total) {
                break;
            }
            let written = async {
                let mut w = self.begin_write().await?;
                let written = self
                    .create_in::<K>(&mut w, &node, p, Checked(batch), at_ms)
                    .await?;
                w.commit().await?;
                Ok::<_, StoreError>(written)
            }
            .await
            .inspect_err(|e| {
                if !ids.is_empty() {
                    tracing::warn!(error = %e, written = ids.len(), total, "a batched write stopped part way; the earlier batches stay");
                }
            })?;
            ids.extend(written.into_iter().map(|r| r.id));
        }
        Ok(ids)
    }

    /// The records as written (not read back: another writer may change
    /// them the moment the transaction commits).
    async fn create_all<K: Kind>(
        &self,
        p: &Principal,
        items: Vec<(K::Body, Marking)>,
        at_ms: i64,
    ) -> Result<Vec<Record<K::Body>>> {
        let items = checked::<K>(p, items)?;
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        let written = self.create_in::<K>(&mut w, &node, p, items, at_ms).await?;
        w.commit().await?;
        Ok(written)
    }

    /// Creates records of kind `K` in the caller's transaction (a report
    /// and the entities it names go in together), from items [`checked`]
    /// before the transaction began.
    pub(crate) async fn create_in<K: Kind>(
        &self,
        w: &mut crate::WriteTx<'_>,
        node: &str,
        p: &Principal,
        items: Checked<K>,
        at_ms: i64,
    ) -> Result<Vec<Record<K::Body>>> {
        let items = items.0;
        // The reads a write needs under the lock, in one round trip.
        let (mut seq, head, home) = next_seq_and_head(&mut w.tx, &p.member).await?;
        hosted_here(node, &p.member, home)?;
        check_all_tokens(&mut w.tx, items.iter().map(|(_, m)| m), &p.member).await?;
        let refs: Vec<Vec<Reference>> = items.iter().map(|(b, _)| K::references(b)).collect();
        check_references(&mut w.tx, refs.iter().flatten(), &p.member).await?;
        let mut ref_rows = Vec::new();
        let mut records = Vec::with_capacity(items.len());
        let mut versions = Vec::with_capacity(items.len());
        let mut audience = Vec::new();
        let mut added: BTreeMap<String, (i64, Vec<String>)> = BTreeMap::new();
        let mut entries = Vec::with_capacity(items.len());
        let mut written = Vec::with_capacity(items.len());
        for ((body, marking), refs) in items.into_iter().zip(refs) {
            if K::purged_on(&body).is_some() {
                return Err(StoreError::BadRequest(
                    "purged_on is set by the node's purge, never by a writer".into(),
                ));
            }
            let body = purge::with_retention::<K>(self, &mut w.tx, body, None).await?;
            let id = new_id_at(at_ms);
            let vid = new_id_at(at_ms);
            ref_rows.extend(ref_args(&id, &refs));
            let json = canonical_json(&body)?;
            let (key, tokens) = set_key(&marking, &p.member);
            let signature = self.sign_version(
                &id,
                K::NAME,
                p.member.as_str(),
                node,
                1,
                Status::Live.as_str(),
                &marking,
                &json,
                at_ms,
            )?;
            let row = VersionRow {
                id: &id,
                version: 1,
                status: Status::Live,
                marking: &marking,
                audience_key: &key,
                body: &json,
                author: p.username.as_str(),
                at: at_ms,
                provenance: &Provenance::Local,
                origin_node: node,
                seq,
                signature,
            };
            records.push(record_args::<K>(
                &row,
                p.member.as_str(),
                at_ms,
                p.username.as_str(),
            ));
            versions.push(version_args(&row, &vid));
            for t in &tokens {
                audience.push(vec![Arg::Text(id.clone()), Arg::Text(t.clone())]);
            }
            added.entry(key).or_insert((0, tokens)).0 += 1;
            entries.push((
                format!("{}.{}", K::NAME, K::CREATE_VERB),
                id.clone(),
                detail(1),
            ));
            written.push(Record {
                id,
                kind: K::NAME,
                origin: p.member.to_string(),
                origin_node: node.to_string(),
                version: 1,
                status: Status::Live,
                marking,
                body,
                created_at_ms: at_ms,
                created_by: p.username.to_string(),
                updated_at_ms: at_ms,
                updated_by: p.username.to_string(),
                seq,
            });
            seq += 1;
        }
        // One round trip on PostgreSQL (see `Writes`): none of these
        // reads what another writes.
        let mut writes = Writes::default();
        writes.rows(RECORD_INSERT, records, "");
        writes.rows(VERSION_INSERT, versions, "");
        writes.rows("audience (subject_id, token)", audience, "");
        writes.rows(REF_INSERT, ref_rows, "");
        add_counts_into(&mut w.tx, &mut writes, K::NAME, &added).await?;
        audit::append_many_at(&mut writes, head, Some(p), &entries);
        writes.run(&mut w.tx).await?;
        hooks::after_write::<K>(w, &written, true).await?;
        Ok(written)
    }

    /// Changes a record (users of its origin member only): a new version
    /// with these fields and this marking. `if_version` guards against lost
    /// updates (a typed `version_conflict` naming the current version).
    pub async fn change_record<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
        body: K::Body,
        marking: Marking,
        if_version: Option<i64>,
    ) -> Result<Record<K::Body>> {
        check_writer(p)?;
        self.write_version::<K>(p, id, Some((body, marking)), if_version)
            .await
    }

    /// Withdraws a record (users of its origin member only): a new version
    /// whose status is withdrawn. It leaves every list, count and export;
    /// its versions are kept; it is never live again.
    pub async fn withdraw_record<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
        if_version: Option<i64>,
    ) -> Result<Record<K::Body>> {
        check_writer(p)?;
        self.write_version::<K>(p, id, None, if_version).await
    }

    async fn write_version<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
        change: Option<(K::Body, Marking)>,
        if_version: Option<i64>,
    ) -> Result<Record<K::Body>> {
        let node = self.node_id().await?;
        let verb = if change.is_some() {
            "update"
        } else {
            "withdraw"
        };
        let mut w = self.begin_write().await?;
        let written = self
            .write_version_in::<K>(
                &mut w,
                &node,
                p,
                id,
                change,
                VersionOf {
                    if_version,
                    verb,
                    detail: None,
                    at_ms: now_ms(),
                },
            )
            .await?;
        w.commit().await?;
        Ok(written)
    }

    /// Writes a new version of record `id` in the caller's transaction
    /// (several records change together: an allocation commits a part of
    /// an offer and what is left of it), with its audit entry named
    /// `<kind>.<verb>` and carrying `detail`'s fields besides the version.
    /// Only users of the origin member; not a withdrawn record; `if_version`
    /// checked under the write lock.
    pub(crate) async fn write_version_in<K: Kind>(
        &self,
        w: &mut crate::WriteTx<'_>,
        node: &str,
        p: &Principal,
        id: &str,
        change: Option<(K::Body, Marking)>,
        how: VersionOf<'_>,
    ) -> Result<Record<K::Body>> {
        check_writer(p)?;
        let change = change
            .map(|(b, m)| Ok::<_, StoreError>((K::validate(b)?, m)))
            .transpose()?;
        let VersionOf {
            if_version,
            verb,
            detail: extra,
            at_ms: now,
        } = how;
        // The reads a write needs under the lock, in one round trip.
        let (seq, head, home) = next_seq_and_head(&mut w.tx, &p.member).await?;
        hosted_here(node, &p.member, home)?;
        // Read under the write lock: no other change can slip in between.
        let (row, audience_key) = read_readable_row::<K>(&mut w.tx, id, p).await?;
        let current = Current {
            kind: K::NAME.to_string(),
            origin: row.origin.clone(),
            origin_node: row.origin_node.clone(),
            version: row.version,
            status: row.status,
            audience_key,
        };
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this {}",
                current.origin,
                K::LABEL
            )));
        }
        if current.status == Status::Withdrawn {
            return Err(StoreError::withdrawn(K::LABEL));
        }
        if let Some(v) = if_version.filter(|v| *v != current.version) {
            return Err(StoreError::stale(K::LABEL, current.version, v));
        }
        // The version's writes, sent together once gathered (see `Writes`).
        let mut writes = Writes::default();
        let (status, body, marking) = match change {
            Some((b, m)) => {
                if let Some(why) = K::immutable_change(&row.body, &b) {
                    return Err(StoreError::conflict(ConflictCode::ImmutableField, why));
                }
                let b = purge::with_retention::<K>(self, &mut w.tx, b, Some(&row.body)).await?;
                let refs = K::references(&b);
                // What the version already referred to stays without being
                // read again: the writer may no longer read it (re-marked
                // or withdrawn since), and leaving a reference it never
                // sees in place reveals nothing. A new one must be readable.
                let had = K::references(&row.body);
                check_references(
                    &mut w.tx,
                    refs.iter().filter(|r| !had.contains(r)),
                    &p.member,
                )
                .await?;
                replace_refs_into(
                    w.dialect == crate::Dialect::Postgres,
                    &mut writes,
                    id,
                    &refs,
                );
                (Status::Live, b, m)
            }
            None => {
                hooks::before_withdraw::<K>(&mut w.tx, id).await?;
                (Status::Withdrawn, row.body.clone(), row.marking.clone())
            }
        };
        check_all_tokens(&mut w.tx, [&marking], &p.member).await?;
        let version = current.version + 1;
        let json = canonical_json(&body)?;
        let (key, tokens) = set_key(&marking, &p.member);
        let signature = self.sign_version(
            id,
            K::NAME,
            &current.origin,
            node,
            version,
            status.as_str(),
            &marking,
            &json,
            now,
        )?;
        let v = VersionRow {
            id,
            version,
            status,
            marking: &marking,
            audience_key: &key,
            body: &json,
            author: p.username.as_str(),
            at: now,
            provenance: &Provenance::Local,
            origin_node: node,
            seq,
            signature,
        };
        hooks::before_write::<K>(w, id).await?;
        replace_current_into(&mut w.tx, &mut writes, K::NAME, &current, &v, &tokens).await?;
        let mut entry = detail(version);
        if let (Some(serde_json::Value::Object(extra)), Some(e)) = (extra, entry.as_object_mut()) {
            e.extend(extra);
        }
        // Nothing above appends to the audit chain: its head read with the
        // sequence still holds.
        audit::append_many_at(
            &mut writes,
            head,
            Some(p),
            &[(format!("{}.{verb}", K::NAME), id.to_string(), entry)],
        );
        if writes.run(&mut w.tx).await? != 1 {
            return Err(StoreError::changed_meanwhile("record"));
        }
        // As written: a change racing a withdrawal answers with the version
        // it made, not with the withdrawal that followed.
        let written = Record {
            version,
            status,
            marking,
            body,
            updated_at_ms: now,
            updated_by: p.username.to_string(),
            seq,
            ..row
        };
        hooks::after_write::<K>(w, std::slice::from_ref(&written), false).await?;
        Ok(written)
    }

    /// Applies a version written on a peer node (federation, STIX import)
    /// exactly as it was written there: same id, same version number, with
    /// provenance `peer`. A version this node already holds changes
    /// nothing; a record is only ever written by its origin node, so a
    /// replica claiming another node's record is refused.
    pub async fn apply_replica<K: Kind>(&self, r: Replica<K::Body>) -> Result<Applied> {
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        let applied = apply_replica_in::<K>(&mut w, &node, r, None).await?;
        w.commit().await?;
        Ok(applied)
    }
}

/// [`Store::apply_replica`] inside the caller's transaction (a pull applies
/// a page of them and its cursor at once), keeping the origin's signature
/// `(signature, signing key)` with the version when it came with one.
pub(crate) async fn apply_replica_in<K: Kind>(
    w: &mut crate::WriteTx<'_>,
    node: &str,
    r: Replica<K::Body>,
    signature: Option<(String, String)>,
) -> Result<Applied> {
    let body = K::validate(r.body)?;
    check_all_tokens(&mut w.tx, [&r.marking], &r.origin).await?;
    let current = match read_current(&mut w.tx, &r.id).await {
        Ok(c) => Some(c),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    if let Some(c) = &current {
        if c.kind != K::NAME || c.origin != r.origin.as_str() || c.origin_node != r.origin_node {
            return Err(StoreError::conflict(
                ConflictCode::DuplicateId,
                format!("id {} is another record's", r.id),
            ));
        }
        if c.version > r.version {
            return Ok(Applied::Older);
        }
        // A purge reaches a copy held withdrawn too: its kept versions
        // still hold what the purge took away.
        let purges = K::purged_on(&body).is_some();
        if c.version == r.version || (c.status == Status::Withdrawn && !purges) {
            return Ok(Applied::AlreadyHeld);
        }
    } else if let Some((revoked,)) =
        sqlx::query_as::<_, (i64,)>("SELECT version FROM revoked_replicas WHERE record_id = $1")
            .bind(&r.id)
            .fetch_optional(&mut *w.tx)
            .await?
    {
        if r.version <= revoked {
            return Ok(Applied::Revoked);
        }
        sqlx::query("DELETE FROM revoked_replicas WHERE record_id = $1")
            .bind(&r.id)
            .execute(&mut *w.tx)
            .await?;
    } else if r.origin_node == node {
        // Our own record coming back, but we no longer hold it.
        return Err(StoreError::conflict(
            ConflictCode::DuplicateId,
            format!(
                "id {} names a record of this node that it does not hold",
                r.id
            ),
        ));
    }
    let seq = next_seq(&mut w.tx).await?;
    let json = canonical_json(&body)?;
    let (key, tokens) = set_key(&r.marking, &r.origin);
    let author = format!("{}@{}", r.origin, r.origin_node);
    let provenance = Provenance::Peer {
        node: r.origin_node.clone(),
    };
    let v = VersionRow {
        id: &r.id,
        version: r.version,
        status: r.status,
        marking: &r.marking,
        audience_key: &key,
        body: &json,
        author: &author,
        at: r.at_ms,
        provenance: &provenance,
        origin_node: &r.origin_node,
        seq,
        signature,
    };
    match &current {
        Some(c) => {
            hooks::before_write::<K>(w, &r.id).await?;
            replace_current(&mut w.tx, K::NAME, c, &v, &tokens).await?
        }
        None => {
            let vid = new_id_at(r.at_ms);
            let rec = record_args::<K>(&v, r.origin.as_str(), r.created_at_ms, &author);
            insert_rows(&mut w.tx, RECORD_INSERT, &[rec]).await?;
            insert_rows(&mut w.tx, VERSION_INSERT, &[version_args(&v, &vid)]).await?;
            let aud: Vec<Vec<Arg>> = tokens
                .iter()
                .map(|t| vec![Arg::Text(r.id.clone()), Arg::Text(t.clone())])
                .collect();
            insert_rows(&mut w.tx, "audience (subject_id, token)", &aud).await?;
            let n = i64::from(r.status == Status::Live);
            add_count(&mut w.tx, K::NAME, &key, &tokens, n).await?;
        }
    }
    // As written on its origin: what it refers to may not be held here yet.
    replace_refs(&mut w.tx, &r.id, &K::references(&body)).await?;
    if K::purged_on(&body).is_some() {
        purge::erase_history(w, K::NAME, &r.id, r.version, &json).await?;
    }
    audit::append_named(
        &mut w.tx,
        crate::SYSTEM_ACTOR,
        r.origin.as_str(),
        &format!("{}.apply", K::NAME),
        &r.id,
        &serde_json::json!({ "version": r.version, "origin_node": r.origin_node }),
    )
    .await?;
    hooks::after_apply::<K>(w, &r.id).await?;
    Ok(Applied::Written)
}

/// Why a replica is forgotten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ForgetWhy {
    /// Its origin revoked it from this node (its audience narrowed): the
    /// revocation is kept, so that a replay of the version is refused.
    Revoked,
    /// Its origin no longer serves it to this node (a full resync named it
    /// on no page: a member moved away from this node). No revocation is
    /// kept: served again (the member back), the same version applies.
    Unserved,
}

/// What forgetting a replica did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgotten {
    /// The copy and everything derived from it are gone.
    Deleted,
    /// This node held no copy.
    NotHeld,
    /// This node holds a newer version than the one revoked: kept.
    Older,
}

/// Deletes this node's copy of a peer's record `id` and every value
/// derived from it (counts, typed rows, search document, STIX objects,
/// source, references, audience rows, kept versions), because its origin
/// revoked it from this node: its audience narrowed so that this node's
/// member is no longer in it. Only a replica of `origin_node`'s is
/// forgotten; the sequence numbers its versions had are never given again.
pub(crate) async fn forget_replica_in(
    w: &mut crate::WriteTx<'_>,
    node: &str,
    id: &str,
    origin_node: &str,
    version: i64,
    why: ForgetWhy,
) -> Result<Forgotten> {
    let current = match read_current(&mut w.tx, id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Ok(Forgotten::NotHeld),
        Err(e) => return Err(e),
    };
    if current.origin_node != origin_node || current.origin_node == node {
        return Err(StoreError::conflict(
            ConflictCode::DuplicateId,
            format!("id {id} is not a record of node {origin_node} held here"),
        ));
    }
    if current.version > version {
        return Ok(Forgotten::Older);
    }
    let kind = current.kind.clone();
    coalesce_domain::with_kind!(kind.as_str(), K => hooks::before_write::<K>(w, id).await?, _ => {
        return Err(StoreError::Corrupt(format!("record {id} is of no known kind {kind}")))
    });
    if current.status == Status::Live {
        let tokens: Vec<(String,)> =
            sqlx::query_as("SELECT token FROM audience WHERE subject_id = $1 ORDER BY token")
                .bind(id)
                .fetch_all(&mut *w.tx)
                .await?;
        let tokens: Vec<String> = tokens.into_iter().map(|t| t.0).collect();
        add_count(&mut w.tx, &kind, &current.audience_key, &tokens, -1).await?;
    }
    crate::search::unindex_doc(w, id).await?;
    // The revocation is kept, numbered after every version the copy had:
    // those numbers are never given again, a replay of a version it covers
    // is refused, and a relay serves it to the peers it relays to.
    let seq = next_seq(&mut w.tx).await?;
    let (tlp,): (String,) = sqlx::query_as("SELECT tlp FROM records WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await?;
    if why == ForgetWhy::Revoked {
        sqlx::query(
        "INSERT INTO revoked_replicas (record_id, kind, origin, origin_node, version, tlp, audience_key, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (record_id) DO UPDATE SET \
         version = excluded.version, tlp = excluded.tlp, audience_key = excluded.audience_key, seq = excluded.seq",
    )
    .bind(id)
    .bind(&kind)
    .bind(&current.origin)
    .bind(origin_node)
    .bind(version)
    .bind(&tlp)
    .bind(&current.audience_key)
    .bind(seq)
    .execute(&mut *w.tx)
    .await?;
    }
    sqlx::query("UPDATE seq_floor SET seq = $1 WHERE seq < $1")
        .bind(seq)
        .execute(&mut *w.tx)
        .await?;
    let source = format!("{kind}:{id}");
    for sql in [
        "DELETE FROM entity_keys WHERE entity_id = $1",
        "DELETE FROM report_entities WHERE report_id = $1",
        "DELETE FROM contribution_deliveries WHERE contribution_id = $1",
        "DELETE FROM contribution_members WHERE contribution_id = $1",
        "DELETE FROM contributions WHERE id = $1",
        "DELETE FROM requirements WHERE id = $1",
        "DELETE FROM allocation_proposals WHERE run_id = $1",
        "DELETE FROM allocation_runs WHERE id = $1",
        "DELETE FROM commitment_notices WHERE commitment_id = $1",
        "DELETE FROM sources WHERE subject = $1",
        "DELETE FROM screening_rescreen_findings WHERE record_id = $1",
        "DELETE FROM record_refs WHERE record_id = $1",
        "DELETE FROM audience WHERE subject_id = $1",
        "DELETE FROM record_versions WHERE record_id = $1",
        "DELETE FROM records WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *w.tx).await?;
    }
    purge::drop_stix_objects(w, &source).await?;
    audit::append_named(
        &mut w.tx,
        crate::SYSTEM_ACTOR,
        &current.origin,
        &format!("{kind}.forget"),
        id,
        &serde_json::json!({ "version": version, "origin_node": origin_node, "why": match why {
            ForgetWhy::Revoked => "revoked by its origin",
            ForgetWhy::Unserved => "no longer served to this node by its origin (a full resync)",
        } }),
    )
    .await?;
    Ok(Forgotten::Deleted)
}

/// Writes replicas of records this node holds no version of, all at once
/// (a pull's page: a million records must apply at tens of thousands a
/// second, which one statement per row cannot): the record rows (each
/// naming the peer it came `via`), their versions (signature kept),
/// audience rows, references and counts in one statement each, one audit
/// entry per record (`<kind>.apply`), then the
/// kind's hooks. The caller has checked that none is held here and none
/// is this node's own; any error leaves the caller to apply them one by
/// one.
pub(crate) async fn apply_new_replicas_in<K: Kind>(
    w: &mut crate::WriteTx<'_>,
    replicas: &[crate::federation::Arrival],
    via: &str,
) -> Result<usize> {
    let mut checked = Vec::with_capacity(replicas.len());
    for a in replicas {
        let body = K::Body::deserialize(&a.replica.body)
            .map_err(|e| StoreError::BadRequest(format!("a {} body: {e}", K::LABEL)))?;
        checked.push((
            a.replica.copied_with_body(K::validate(body)?),
            Some(a.signature.clone()),
        ));
    }
    let mut by_origin: BTreeMap<&MemberCode, Vec<&Marking>> = BTreeMap::new();
    for (r, _) in &checked {
        by_origin.entry(&r.origin).or_default().push(&r.marking);
    }
    for (origin, markings) in by_origin {
        check_all_tokens(&mut w.tx, markings, origin).await?;
    }
    let mut seq = next_seq(&mut w.tx).await?;
    let n = checked.len();
    let (mut records, mut versions, mut audience, mut ref_rows) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::new(),
        Vec::new(),
    );
    let mut added: BTreeMap<String, (i64, Vec<String>)> = BTreeMap::new();
    let mut entries = Vec::with_capacity(n);
    let mut written = Vec::with_capacity(n);
    for (r, signature) in checked {
        let json = canonical_json(&r.body)?;
        let (key, tokens) = set_key(&r.marking, &r.origin);
        let author = format!("{}@{}", r.origin, r.origin_node);
        let provenance = Provenance::Peer {
            node: r.origin_node.clone(),
        };
        let row = VersionRow {
            id: &r.id,
            version: r.version,
            status: r.status,
            marking: &r.marking,
            audience_key: &key,
            body: &json,
            author: &author,
            at: r.at_ms,
            provenance: &provenance,
            origin_node: &r.origin_node,
            seq,
            signature,
        };
        let mut args = record_args::<K>(&row, r.origin.as_str(), r.created_at_ms, &author);
        args.push(Arg::Text(via.to_string()));
        records.push(args);
        versions.push(version_args(&row, &new_id_at(r.at_ms)));
        for t in &tokens {
            audience.push(vec![Arg::Text(r.id.clone()), Arg::Text(t.clone())]);
        }
        ref_rows.extend(ref_args(&r.id, &K::references(&r.body)));
        added.entry(key).or_insert((0, tokens)).0 += i64::from(r.status == Status::Live);
        entries.push((
            format!("{}.apply", K::NAME),
            r.id.clone(),
            serde_json::json!({ "version": r.version, "origin_node": r.origin_node }),
        ));
        written.push(Record {
            id: r.id,
            kind: K::NAME,
            origin: r.origin.to_string(),
            origin_node: r.origin_node,
            version: r.version,
            status: r.status,
            marking: r.marking,
            body: r.body,
            created_at_ms: r.created_at_ms,
            created_by: author.clone(),
            updated_at_ms: r.at_ms,
            updated_by: author,
            seq,
        });
        seq += 1;
    }
    insert_rows(&mut w.tx, RECORD_VIA_INSERT, &records).await?;
    insert_rows(&mut w.tx, VERSION_INSERT, &versions).await?;
    insert_rows(&mut w.tx, "audience (subject_id, token)", &audience).await?;
    insert_rows(&mut w.tx, REF_INSERT, &ref_rows).await?;
    add_counts(&mut w.tx, K::NAME, &added).await?;
    audit::append_many(&mut w.tx, None, &entries).await?;
    // Not `created`: records of this node may refer to them already.
    hooks::after_write::<K>(w, &written, false).await?;
    Ok(n)
}

/// After group `slug`'s members changed from `before` to `after`: the
/// members who left are noted (a peer hosting one is told its copies of
/// the records naming the group are revoked), those who came back are no
/// longer, and every record naming the group gets a new sequence number,
/// in its order, so that each peer is served it again as its members may
/// now read it (a version, or a revocation).
pub(crate) async fn regroup_in(
    w: &mut crate::WriteTx<'_>,
    slug: &str,
    before: &BTreeSet<String>,
    after: &BTreeSet<String>,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    for m in before.difference(after) {
        sqlx::query(
            "INSERT INTO group_departures (group_slug, member_code) VALUES ($1, $2) \
             ON CONFLICT (group_slug, member_code) DO NOTHING",
        )
        .bind(slug)
        .bind(m)
        .execute(&mut *w.tx)
        .await?;
    }
    for m in after.difference(before) {
        sqlx::query("DELETE FROM group_departures WHERE group_slug = $1 AND member_code = $2")
            .bind(slug)
            .bind(m)
            .execute(&mut *w.tx)
            .await?;
    }
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT r.id FROM records r WHERE EXISTS (SELECT 1 FROM audience a \
         WHERE a.subject_id = r.id AND a.token = $1) ORDER BY r.seq",
    )
    .bind(format!("GROUP:{slug}"))
    .fetch_all(&mut *w.tx)
    .await?;
    if ids.is_empty() {
        return Ok(());
    }
    let mut seq = next_seq(&mut w.tx).await?;
    for (id,) in &ids {
        sqlx::query("UPDATE records SET seq = $1 WHERE id = $2")
            .bind(seq)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        seq += 1;
    }
    sqlx::query("UPDATE seq_floor SET seq = $1 WHERE seq < $1")
        .bind(seq - 1)
        .execute(&mut *w.tx)
        .await?;
    Ok(())
}

/// The node hosting `member`'s users, when it is not this one.
pub(crate) async fn home_of(
    conn: &mut AnyConnection,
    member: &MemberCode,
) -> Result<Option<String>> {
    let home: Option<(Option<String>,)> =
        sqlx::query_as("SELECT home_node FROM members WHERE code = $1")
            .bind(member.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(home.and_then(|h| h.0))
}

/// A node originates records only for the members it hosts: a member
/// whose home is another node writes there (no home node: this one).
pub(crate) async fn check_hosted(
    conn: &mut AnyConnection,
    node: &str,
    member: &MemberCode,
) -> Result<()> {
    hosted_here(node, member, home_of(conn, member).await?)
}

/// [`check_hosted`] once the member's home node (`home`) is read.
pub(crate) fn hosted_here(node: &str, member: &MemberCode, home: Option<String>) -> Result<()> {
    match home {
        Some(home) if home != node => Err(StoreError::Forbidden(format!(
            "{member}'s users are hosted by node {home}: its records are written there, not on this node"
        ))),
        _ => Ok(()),
    }
}

/// Of these record ids, those this node holds (any kind), or holds as
/// revoked (those are not new: their versions go one by one, checked
/// against the revocation).
pub(crate) async fn held_ids(w: &mut crate::WriteTx<'_>, ids: &[&str]) -> Result<BTreeSet<String>> {
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    let list = crate::bulk::json_array_values(w.dialect == crate::Dialect::Postgres);
    let rows: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT id FROM records WHERE id IN ({list}) \
             UNION SELECT record_id FROM revoked_replicas WHERE record_id IN ({list})"
    ))
    .bind(serde_json::to_string(ids).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    .fetch_all(&mut *w.tx)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_asks_for_more_rows_than_its_limit_in_a_few_sizes() {
        let sizes: std::collections::BTreeSet<i64> =
            (1..=super::MAX_PAGE).map(super::rows_for_page).collect();
        assert!(sizes.len() <= 6, "{sizes:?}");
        assert!((1..=super::MAX_PAGE).all(|limit| super::rows_for_page(limit) > limit));
        assert_eq!(super::rows_for_page(50), 51);
    }
}
