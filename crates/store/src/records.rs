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
use crate::bulk::{insert_rows, insert_rows_then, Arg};
use crate::{audit, new_id_at, now_ms, ConflictCode, Principal, Result, Store, StoreError};
use coalesce_domain::record::{
    body_from_json, canonical_json, Kind, Provenance, Record, RecordVersion, RefTarget, Reference,
    Replica, Status,
};
use coalesce_domain::{DomainError, Marking, MemberCode};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// One page of a list: the items and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

pub const MAX_PAGE: i64 = 500;

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

const COLUMNS: &str = "r.id, r.kind, r.origin, r.origin_node, r.version, r.status, r.tlp, r.rel_to, r.audience_key, r.body, r.created_at, r.created_by, r.updated_at, r.updated_by, r.seq";

/// What applying a replica did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The version was written here.
    Written,
    /// This node already holds this version or a newer one: nothing written.
    AlreadyHeld,
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

    /// The records as written (not read back: another writer may change
    /// them the moment the transaction commits).
    async fn create_all<K: Kind>(
        &self,
        p: &Principal,
        items: Vec<(K::Body, Marking)>,
        at_ms: i64,
    ) -> Result<Vec<Record<K::Body>>> {
        check_writer(p)?;
        let items = items
            .into_iter()
            .map(|(b, m)| Ok((K::validate(b)?, m)))
            .collect::<Result<Vec<_>>>()?;
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        check_all_tokens(&mut w.tx, items.iter().map(|(_, m)| m), &p.member).await?;
        let refs: Vec<Vec<Reference>> = items.iter().map(|(b, _)| K::references(b)).collect();
        check_references(&mut w.tx, refs.iter().flatten()).await?;
        let mut ref_rows = Vec::new();
        let mut seq = next_seq(&mut w.tx).await?;
        let mut records = Vec::with_capacity(items.len());
        let mut versions = Vec::with_capacity(items.len());
        let mut audience = Vec::new();
        let mut added: BTreeMap<String, (i64, Vec<String>)> = BTreeMap::new();
        let mut entries = Vec::with_capacity(items.len());
        let mut written = Vec::with_capacity(items.len());
        for ((body, marking), refs) in items.into_iter().zip(refs) {
            let id = new_id_at(at_ms);
            let vid = new_id_at(at_ms);
            ref_rows.extend(ref_args(&id, &refs));
            let json = canonical_json(&body)?;
            let (key, tokens) = set_key(&marking, &p.member);
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
                origin_node: &node,
                seq,
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
            entries.push((format!("{}.create", K::NAME), id.clone(), detail(1)));
            written.push(Record {
                id,
                kind: K::NAME,
                origin: p.member.to_string(),
                origin_node: node.clone(),
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
        insert_rows(&mut w.tx, RECORD_INSERT, &records).await?;
        insert_rows(&mut w.tx, VERSION_INSERT, &versions).await?;
        insert_rows(&mut w.tx, "audience (subject_id, token)", &audience).await?;
        insert_rows(&mut w.tx, REF_INSERT, &ref_rows).await?;
        add_counts(&mut w.tx, K::NAME, &added).await?;
        audit::append_many(&mut w.tx, Some(p), &entries).await?;
        w.commit().await?;
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
        let body = K::validate(body)?;
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
        let now = now_ms();
        let mut w = self.begin_write().await?;
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
        let (status, body, marking) = match change {
            Some((b, m)) => {
                let refs = K::references(&b);
                check_references(&mut w.tx, refs.iter()).await?;
                replace_refs(&mut w.tx, id, &refs).await?;
                (Status::Live, b, m)
            }
            None => (Status::Withdrawn, row.body.clone(), row.marking.clone()),
        };
        check_all_tokens(&mut w.tx, [&marking], &p.member).await?;
        let version = current.version + 1;
        let seq = next_seq(&mut w.tx).await?;
        let json = canonical_json(&body)?;
        let (key, tokens) = set_key(&marking, &p.member);
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
            origin_node: &node,
            seq,
        };
        replace_current(&mut w.tx, K::NAME, &current, &v, &tokens).await?;
        let action = match status {
            Status::Live => "update",
            Status::Withdrawn => "withdraw",
        };
        audit::append(
            &mut w.tx,
            Some(p),
            &format!("{}.{action}", K::NAME),
            id,
            &detail(version),
        )
        .await?;
        w.commit().await?;
        // As written: a change racing a withdrawal answers with the version
        // it made, not with the withdrawal that followed.
        Ok(Record {
            version,
            status,
            marking,
            body,
            updated_at_ms: now,
            updated_by: p.username.to_string(),
            seq,
            ..row
        })
    }

    /// Applies a version written on a peer node (federation, STIX import)
    /// exactly as it was written there: same id, same version number, with
    /// provenance `peer`. A version this node already holds (or an older
    /// one) changes nothing; a record is only ever written by its origin
    /// node, so a replica claiming another node's record is refused.
    pub async fn apply_replica<K: Kind>(&self, r: Replica<K::Body>) -> Result<Applied> {
        let body = K::validate(r.body)?;
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        check_all_tokens(&mut w.tx, [&r.marking], &r.origin).await?;
        let current = match read_current(&mut w.tx, &r.id).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        if let Some(c) = &current {
            if c.kind != K::NAME || c.origin != r.origin.as_str() || c.origin_node != r.origin_node
            {
                return Err(StoreError::conflict(
                    ConflictCode::DuplicateId,
                    format!("id {} is another record's", r.id),
                ));
            }
            if c.version >= r.version || c.status == Status::Withdrawn {
                return Ok(Applied::AlreadyHeld);
            }
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
        };
        match &current {
            Some(c) => replace_current(&mut w.tx, K::NAME, c, &v, &tokens).await?,
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
        audit::append_named(
            &mut w.tx,
            crate::SYSTEM_ACTOR,
            r.origin.as_str(),
            &format!("{}.apply", K::NAME),
            &r.id,
            &serde_json::json!({ "version": r.version, "origin_node": r.origin_node }),
        )
        .await?;
        w.commit().await?;
        Ok(Applied::Written)
    }

    /// A record the viewer may read, live or withdrawn; no audit entry.
    pub(crate) async fn fetch_record<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<K::Body>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM records r WHERE r.id = $2 AND r.kind = $3 AND {}",
            readable("r.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .bind(K::NAME)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        record_from_row::<K>(&row)
    }

    /// Reads one record. Outside the viewer's audience it does not exist.
    pub async fn get_record<K: Kind>(&self, p: &Principal, id: &str) -> Result<Record<K::Body>> {
        let r = self.fetch_record::<K>(p, id).await?;
        if r.marking.tlp.read_is_audited() {
            self.audit_event(
                p.username.as_str(),
                p.member.as_str(),
                &format!("{}.read", K::NAME),
                id,
                &serde_json::json!({ "tlp": r.marking.tlp, "version": r.version }),
            )
            .await?;
        }
        Ok(r)
    }

    /// Live records of kind `K` the viewer may read, newest first. Reads of
    /// AMBER and RED records in the page are audited (one entry naming them).
    pub async fn list_records<K: Kind>(
        &self,
        p: &Principal,
        filter: &RecordFilter,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Record<K::Body>>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        // Two forms, so that a page after a cursor is a range of the index
        // (`$3 = '' OR r.id < $3` would make it a scan from the newest).
        let after = if cursor.is_some() {
            "r.id < $3"
        } else {
            "$3 = ''"
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM records r WHERE r.kind = $2 AND r.status = 'live' \
             AND {after} AND ($4 = '' OR r.origin = $4) \
             AND ($6 = '' OR EXISTS (SELECT 1 FROM record_refs f WHERE f.record_id = r.id AND f.target = $6 AND f.ref_id = $7)) \
             AND {} ORDER BY r.id DESC LIMIT $5",
            readable("r.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(K::NAME)
            .bind(cursor.unwrap_or_default())
            .bind(filter.origin.as_ref().map(|m| m.as_str()).unwrap_or(""))
            .bind(limit + 1)
            .bind(
                filter
                    .refers_to
                    .as_ref()
                    .map(|(t, _)| t.as_str())
                    .unwrap_or(""),
            )
            .bind(
                filter
                    .refers_to
                    .as_ref()
                    .map(|(_, id)| id.as_str())
                    .unwrap_or(""),
            )
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(record_from_row::<K>)
            .collect::<Result<Vec<_>>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|r| r.id.clone())
        } else {
            None
        };
        let audited: Vec<&str> = items
            .iter()
            .filter(|r| r.marking.tlp.read_is_audited())
            .map(|r| r.id.as_str())
            .collect();
        if !audited.is_empty() {
            self.audit_event(
                p.username.as_str(),
                p.member.as_str(),
                &format!("{}.read", K::NAME),
                "list",
                &serde_json::json!({ "ids": audited }),
            )
            .await?;
        }
        Ok(Page { items, next })
    }

    /// How many live records of kind `K` the viewer may read: one row kept
    /// per kind and reader, not a scan of the records.
    pub async fn count_records<K: Kind>(&self, p: &Principal) -> Result<i64> {
        crate::counts::count_kind(self.pool(), p, K::NAME).await
    }

    /// The kept versions of a record, oldest first: only if the viewer may
    /// read the record now, and only the versions whose own marking admits
    /// the viewer.
    pub async fn record_versions<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<RecordVersion<K::Body>>> {
        let record = self.fetch_record::<K>(p, id).await?;
        let sql = format!(
            "SELECT v.version, v.status, v.tlp, v.rel_to, v.body, v.author, v.at, v.provenance, v.origin_node, v.seq \
             FROM record_versions v WHERE v.record_id = $2 AND {} ORDER BY v.version",
            readable_set("v.audience_key", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        let versions = rows
            .iter()
            .map(|r| {
                let provenance = match r.try_get::<String, _>("provenance")?.as_str() {
                    "local" => Provenance::Local,
                    _ => Provenance::Peer {
                        node: r.try_get("origin_node")?,
                    },
                };
                Ok(RecordVersion {
                    version: r.try_get("version")?,
                    status: status_of(&r.try_get::<String, _>("status")?)?,
                    marking: marking_from_columns(
                        &r.try_get::<String, _>("tlp")?,
                        &r.try_get::<String, _>("rel_to")?,
                    )?,
                    body: body_from_json(&r.try_get::<String, _>("body")?)?,
                    author: r.try_get("author")?,
                    at_ms: r.try_get("at")?,
                    provenance,
                    seq: r.try_get("seq")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if record.marking.tlp.read_is_audited()
            || versions.iter().any(|v| v.marking.tlp.read_is_audited())
        {
            self.audit_event(
                p.username.as_str(),
                p.member.as_str(),
                &format!("{}.read_versions", K::NAME),
                id,
                &serde_json::json!({ "versions": versions.len() }),
            )
            .await?;
        }
        Ok(versions)
    }
}

/// Rewrites the stored bodies of kind `K` (current and kept versions) as
/// canonical JSON: after a migration wrote them with SQL's JSON functions,
/// whose spacing and number formats differ. Returns how many it rewrote.
pub(crate) async fn canonicalize_bodies<K: Kind>(conn: &mut AnyConnection) -> Result<u64> {
    let mut rewritten = 0;
    for (table, select) in [
        ("records", "SELECT id, body FROM records WHERE kind = $1"),
        (
            "record_versions",
            "SELECT v.id, v.body FROM record_versions v JOIN records r ON r.id = v.record_id WHERE r.kind = $1",
        ),
    ] {
        let rows: Vec<(String, String)> = sqlx::query_as(select)
            .bind(K::NAME)
            .fetch_all(&mut *conn)
            .await?;
        let update = format!("UPDATE {table} SET body = $1 WHERE id = $2");
        for (id, body) in rows {
            let parsed: K::Body =
                body_from_json(&body).map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))?;
            let canonical = canonical_json(&parsed)?;
            if canonical != body {
                sqlx::query(&update)
                    .bind(&canonical)
                    .bind(&id)
                    .execute(&mut *conn)
                    .await?;
                rewritten += 1;
            }
        }
    }
    Ok(rewritten)
}

fn check_writer(p: &Principal) -> Result<()> {
    if p.role.can_write_records() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "viewers cannot create or change records".into(),
        ))
    }
}

fn detail(version: i64) -> serde_json::Value {
    serde_json::json!({ "version": version })
}

fn status_of(s: &str) -> Result<Status> {
    Status::parse(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The next node-wide sequence number (writers hold the write lock).
async fn next_seq(conn: &mut AnyConnection) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM record_versions")
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// The current row of record `id` as the node holds it, whatever its kind
/// (a replica's id may name another kind's record).
async fn read_current(conn: &mut AnyConnection, id: &str) -> Result<Current> {
    let row = sqlx::query(
        "SELECT r.kind, r.origin, r.origin_node, r.version, r.status, r.audience_key FROM records r WHERE r.id = $1",
    )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Current {
        kind: row.try_get("kind")?,
        origin: row.try_get("origin")?,
        origin_node: row.try_get("origin_node")?,
        version: row.try_get("version")?,
        status: status_of(&row.try_get::<String, _>("status")?)?,
        audience_key: row.try_get("audience_key")?,
    })
}

/// Record `id` of kind `K` as `p` may read it, with its audience set key:
/// what a change starts from, in one read.
async fn read_readable_row<K: Kind>(
    conn: &mut AnyConnection,
    id: &str,
    p: &Principal,
) -> Result<(Record<K::Body>, String)> {
    let sql = format!(
        "SELECT {COLUMNS} FROM records r WHERE r.id = $2 AND r.kind = $3 AND {}",
        readable("r.id", "$1")
    );
    let row = sqlx::query(&sql)
        .bind(p.member.as_str())
        .bind(id)
        .bind(K::NAME)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((record_from_row::<K>(&row)?, row.try_get("audience_key")?))
}

/// Makes `v` the record's current version: the record row, its audience
/// rows, the counts, and the kept version row.
async fn replace_current(
    conn: &mut AnyConnection,
    kind: &str,
    current: &Current,
    v: &VersionRow<'_>,
    tokens: &[String],
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE records SET version = $1, status = $2, tlp = $3, rel_to = $4, audience_key = $5, body = $6, \
         updated_at = $7, updated_by = $8, seq = $9 WHERE id = $10 AND version = $11",
    )
    .bind(v.version)
    .bind(v.status.as_str())
    .bind(v.marking.tlp.as_str())
    .bind(rel_to_json(v.marking))
    .bind(v.audience_key)
    .bind(v.body)
    .bind(v.at)
    .bind(v.author)
    .bind(v.seq)
    .bind(v.id)
    .bind(current.version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::changed_meanwhile("record"));
    }
    // The new version's audience set gets its token rows whether or not
    // it counts: its version row is read through them.
    let n = i64::from(v.status == Status::Live);
    if current.status == Status::Live {
        add_count(conn, kind, &current.audience_key, &[], -1).await?;
    }
    add_count(conn, kind, v.audience_key, tokens, n).await?;
    if current.audience_key != v.audience_key {
        sqlx::query("DELETE FROM audience WHERE subject_id = $1")
            .bind(v.id)
            .execute(&mut *conn)
            .await?;
        let rows: Vec<Vec<Arg>> = tokens
            .iter()
            .map(|t| vec![Arg::Text(v.id.to_string()), Arg::Text(t.clone())])
            .collect();
        insert_rows(conn, "audience (subject_id, token)", &rows).await?;
    }
    let vid = new_id_at(v.at);
    insert_rows(conn, VERSION_INSERT, &[version_args(v, &vid)]).await?;
    Ok(())
}

/// Adds `n` to the live count of `kind` under audience set `key`; a set
/// seen for the first time gets its token rows (`tokens`).
async fn add_count(
    conn: &mut AnyConnection,
    kind: &str,
    key: &str,
    tokens: &[String],
    n: i64,
) -> Result<()> {
    let one = BTreeMap::from([(key.to_string(), (n, tokens.to_vec()))]);
    add_counts(conn, kind, &one).await
}

/// Adds to the counts of `kind` of every member who may read records of
/// these audience sets (key → (n, tokens)); a set seen for the first time
/// gets its token rows. Two statements however many sets.
async fn add_counts(
    conn: &mut AnyConnection,
    kind: &str,
    added: &BTreeMap<String, (i64, Vec<String>)>,
) -> Result<()> {
    let tokens: Vec<Vec<Arg>> = added
        .iter()
        .flat_map(|(key, (_, tokens))| {
            tokens
                .iter()
                .map(move |t| vec![Arg::Text(key.clone()), Arg::Text(t.clone())])
        })
        .collect();
    insert_rows_then(
        conn,
        "audience_sets (set_key, token)",
        &tokens,
        "ON CONFLICT (set_key, token) DO NOTHING",
    )
    .await?;
    let sets: Vec<(String, i64)> = added.iter().map(|(k, (n, _))| (k.clone(), *n)).collect();
    crate::counts::adjust_sets(conn, kind, &sets).await
}

/// Checks that every thing the records refer to exists here (once per
/// distinct reference), or names the first that does not.
async fn check_references<'a>(
    conn: &mut AnyConnection,
    refs: impl Iterator<Item = &'a Reference>,
) -> Result<()> {
    let distinct: BTreeSet<&Reference> = refs.collect();
    for r in distinct {
        let sql = match r.target {
            RefTarget::Indicator => "SELECT COUNT(*) FROM indicators WHERE slug = $1",
        };
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(&r.id)
            .fetch_one(&mut *conn)
            .await?;
        if n == 0 {
            return Err(DomainError::InvalidField {
                field: r.target.as_str(),
                reason: format!("there is no {} {:?}", r.target.as_str(), r.id),
            }
            .into());
        }
    }
    Ok(())
}

/// Makes `refs` what record `id` refers to.
async fn replace_refs(conn: &mut AnyConnection, id: &str, refs: &[Reference]) -> Result<()> {
    sqlx::query("DELETE FROM record_refs WHERE record_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    insert_rows(conn, REF_INSERT, &ref_args(id, refs)).await
}

fn ref_args(id: &str, refs: &[Reference]) -> Vec<Vec<Arg>> {
    refs.iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|r| {
            vec![
                Arg::Text(id.to_string()),
                Arg::Text(r.target.as_str().to_string()),
                Arg::Text(r.id.clone()),
            ]
        })
        .collect()
}

const REF_INSERT: &str = "record_refs (record_id, target, ref_id)";
const RECORD_INSERT: &str = "records (id, kind, origin, origin_node, version, status, tlp, rel_to, audience_key, body, created_at, created_by, updated_at, updated_by, seq)";
const VERSION_INSERT: &str = "record_versions (id, record_id, version, status, tlp, rel_to, audience_key, body, author, at, provenance, origin_node, seq)";

fn record_args<K: Kind>(
    v: &VersionRow<'_>,
    origin: &str,
    created_at: i64,
    created_by: &str,
) -> Vec<Arg> {
    vec![
        Arg::Text(v.id.to_string()),
        Arg::Text(K::NAME.to_string()),
        Arg::Text(origin.to_string()),
        Arg::Text(v.origin_node.to_string()),
        Arg::Int(v.version),
        Arg::Text(v.status.as_str().to_string()),
        Arg::Text(v.marking.tlp.as_str().to_string()),
        Arg::Text(rel_to_json(v.marking)),
        Arg::Text(v.audience_key.to_string()),
        Arg::Text(v.body.to_string()),
        Arg::Int(created_at),
        Arg::Text(created_by.to_string()),
        Arg::Int(v.at),
        Arg::Text(v.author.to_string()),
        Arg::Int(v.seq),
    ]
}

fn version_args(v: &VersionRow<'_>, vid: &str) -> Vec<Arg> {
    let provenance = match v.provenance {
        Provenance::Local => "local",
        Provenance::Peer { .. } => "peer",
    };
    vec![
        Arg::Text(vid.to_string()),
        Arg::Text(v.id.to_string()),
        Arg::Int(v.version),
        Arg::Text(v.status.as_str().to_string()),
        Arg::Text(v.marking.tlp.as_str().to_string()),
        Arg::Text(rel_to_json(v.marking)),
        Arg::Text(v.audience_key.to_string()),
        Arg::Text(v.body.to_string()),
        Arg::Text(v.author.to_string()),
        Arg::Int(v.at),
        Arg::Text(provenance.to_string()),
        Arg::Text(v.origin_node.to_string()),
        Arg::Int(v.seq),
    ]
}

fn record_from_row<K: Kind>(r: &sqlx::any::AnyRow) -> Result<Record<K::Body>> {
    Ok(Record {
        id: r.try_get("id")?,
        kind: K::NAME,
        origin: r.try_get("origin")?,
        origin_node: r.try_get("origin_node")?,
        version: r.try_get("version")?,
        status: status_of(&r.try_get::<String, _>("status")?)?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        body: body_from_json(&r.try_get::<String, _>("body")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
        seq: r.try_get("seq")?,
    })
}
