//! The read side of the layer: one record, a page, a count, the kept
//! versions — every one through the audience filter.

use super::*;
use crate::conditions::Conditions;

impl Store {
    /// A record the viewer may read, live or withdrawn, as the viewer is
    /// shown it (see [`Kind::REDACTED`]); no audit entry.
    pub(crate) async fn fetch_record<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<K::Body>> {
        let r = self.fetch_record_whole::<K>(p, id).await?;
        self.redact::<K>(p, vec![r])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// The references of [`Kind::REDACTED`] targets in these bodies that
    /// `p` may not read.
    async fn hidden_refs<K: Kind>(
        &self,
        p: &Principal,
        bodies: &[&K::Body],
    ) -> Result<BTreeSet<Reference>> {
        let refs: BTreeSet<Reference> = bodies
            .iter()
            .flat_map(|b| K::references(b))
            .filter(|r| K::REDACTED.contains(&r.target))
            .collect();
        // One query per 500 references of a table, not one per reference.
        let (pledges, records): (Vec<&Reference>, Vec<&Reference>) =
            refs.iter().partition(|r| r.target == RefTarget::FundPledge);
        // Readable ids by table: a pledge and a record never answer for
        // each other, whatever their ids.
        let mut readable_ids: [BTreeSet<String>; 2] = Default::default();
        for (slot, set, table, cond) in [
            (
                0,
                pledges,
                "ledger_transfers x",
                readable_set("x.audience_key", "$1"),
            ),
            (1, records, "records x", readable("x.id", "$1")),
        ] {
            let mut ids: Vec<&str> = set.iter().map(|r| r.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            for chunk in crate::in_chunks(&ids) {
                let sql = format!(
                    "SELECT x.id FROM {table} WHERE x.id IN ({}) AND {cond}",
                    crate::placeholders(2, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(p.member.as_str());
                for id in &chunk {
                    q = q.bind(*id);
                }
                readable_ids[slot]
                    .extend(q.fetch_all(self.pool()).await?.into_iter().map(|(id,)| id));
            }
        }
        Ok(refs
            .into_iter()
            .filter(|r| {
                let slot = usize::from(r.target != RefTarget::FundPledge);
                !readable_ids[slot].contains(&r.id)
            })
            .collect())
    }

    /// These records as `p` is shown them: what they refer to that `p` may
    /// not read taken out (kinds with [`Kind::REDACTED`] targets only).
    async fn redact<K: Kind>(
        &self,
        p: &Principal,
        records: Vec<Record<K::Body>>,
    ) -> Result<Vec<Record<K::Body>>> {
        if K::REDACTED.is_empty() {
            return Ok(records);
        }
        let hidden = self
            .hidden_refs::<K>(p, &records.iter().map(|r| &r.body).collect::<Vec<_>>())
            .await?;
        if hidden.is_empty() {
            return Ok(records);
        }
        Ok(records
            .into_iter()
            .map(|r| {
                let body = K::redact(r.body.clone(), &hidden);
                r.with_body(body)
            })
            .collect())
    }

    /// `r` as `p` is shown it: its references to what `p` may not read
    /// taken out (kinds with [`Kind::REDACTED`] targets only). For a read
    /// that did not go through the layer's own (a peer's feed).
    pub async fn redacted_for<K: Kind>(
        &self,
        p: &Principal,
        r: Record<K::Body>,
    ) -> Result<Record<K::Body>> {
        self.redact::<K>(p, vec![r])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// A record the viewer may read, whole (not redacted): for a write
    /// that keeps what the writer does not see; never shown.
    pub(crate) async fn fetch_record_whole<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<K::Body>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM records r WHERE r.id = $2 AND r.kind = $3 AND {} AND {}",
            readable("r.id", "$1"),
            refs_filter::<K>("$1")
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

    /// A record as its origin's writer changes it: whole, with what the
    /// writer may not read kept in (a meeting's follow-up of a meeting
    /// since re-marked away from it), so that a change built on it drops
    /// nothing; never shown. Others who may read it are refused (403).
    pub async fn record_for_change<K: Kind>(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<K::Body>> {
        super::check_writer(p)?;
        let r = self.fetch_record_whole::<K>(p, id).await?;
        if r.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this {}",
                r.origin,
                K::LABEL
            )));
        }
        Ok(r)
    }

    /// Reads one record. Outside the viewer's audience it does not exist.
    pub async fn get_record<K: Kind>(&self, p: &Principal, id: &str) -> Result<Record<K::Body>> {
        let r = self.fetch_record::<K>(p, id).await?;
        if r.marking.tlp.read_is_audited() {
            self.audit_read(
                p.username.as_str(),
                p.member.as_str(),
                &format!("{}.read", K::NAME),
                id,
                serde_json::json!({ "tlp": r.marking.tlp, "version": r.version }),
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
        // Only the filter's conditions are written (see `Conditions`); a
        // page after a cursor is then a range of the index.
        let mut conditions = Conditions::after(2);
        conditions
            .with_some("r.id < {}", cursor.as_deref())
            .with_some("r.origin = {}", filter.origin.as_ref().map(|m| m.as_str()));
        if let Some((target, id)) = &filter.refers_to {
            conditions.with_each(
                "EXISTS (SELECT 1 FROM record_refs f WHERE f.record_id = r.id AND f.target = {0} AND f.ref_id = {1})",
                &[target.as_str(), id.as_str()],
            );
        }
        // The kind is written out too (a name of the code, never input):
        // planned for `$2`, PostgreSQL would guess any kind's share of the
        // records, and prefer planning each page for the kind it is.
        debug_assert!(K::NAME
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_'));
        let sql = format!(
            "SELECT {COLUMNS} FROM records r WHERE r.kind = '{}' AND r.status = 'live' \
             AND {} AND {} AND {} ORDER BY r.id DESC LIMIT {}",
            K::NAME,
            conditions.sql(),
            crate::audience::readable_row_by_row("r.id", "$1"),
            refs_filter::<K>("$1"),
            rows_for_page(limit)
        );
        let rows = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
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
        let items = self.redact::<K>(p, items).await?;
        self.audit_list_read::<K>(p, &items).await?;
        Ok(Page { items, next })
    }

    /// The live records of kind `K` among `ids` that the viewer may read,
    /// as the viewer is shown them, newest first; one query per 500 ids.
    /// No audit entry: for resolving what an export refers to, or for a
    /// caller that audits the read itself ([`Store::records_by_ids`]).
    pub(crate) async fn fetch_records_by_ids<K: Kind>(
        &self,
        p: &Principal,
        ids: &[String],
    ) -> Result<Vec<Record<K::Body>>> {
        let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in crate::in_chunks(&ids) {
            let sql = format!(
                "SELECT {COLUMNS} FROM records r WHERE r.kind = $2 AND r.status = 'live' \
                 AND r.id IN ({}) AND {} AND {}",
                crate::placeholders(3, chunk.len()),
                readable("r.id", "$1"),
                refs_filter::<K>("$1")
            );
            let mut q = sqlx::query(&sql).bind(p.member.as_str()).bind(K::NAME);
            for id in &chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                out.push(record_from_row::<K>(&row)?);
            }
        }
        out.sort_by(|a, b| b.id.cmp(&a.id));
        self.redact::<K>(p, out).await
    }

    /// As [`Store::fetch_records_by_ids`], the read audited like a page of
    /// [`Store::list_records`] (one entry naming the AMBER and RED ones).
    pub async fn records_by_ids<K: Kind>(
        &self,
        p: &Principal,
        ids: &[String],
    ) -> Result<Vec<Record<K::Body>>> {
        let items = self.fetch_records_by_ids::<K>(p, ids).await?;
        self.audit_list_read::<K>(p, &items).await?;
        Ok(items)
    }

    /// One audit entry naming the AMBER and RED records of a page read
    /// (none when there are none).
    async fn audit_list_read<K: Kind>(
        &self,
        p: &Principal,
        items: &[Record<K::Body>],
    ) -> Result<()> {
        let audited: Vec<&str> = items
            .iter()
            .filter(|r| r.marking.tlp.read_is_audited())
            .map(|r| r.id.as_str())
            .collect();
        if !audited.is_empty() {
            self.audit_read(
                p.username.as_str(),
                p.member.as_str(),
                &format!("{}.read", K::NAME),
                "list",
                serde_json::json!({ "ids": audited }),
            )
            .await?;
        }
        Ok(())
    }

    /// Live records of kind `K` the viewer may read that refer to any of
    /// `ids` (of `target`), newest first; audited as a page of
    /// [`Store::list_records`]. One query per 500 ids.
    pub async fn records_referring_to_any<K: Kind>(
        &self,
        p: &Principal,
        target: RefTarget,
        ids: &[String],
    ) -> Result<Vec<Record<K::Body>>> {
        let mut found: BTreeMap<String, Record<K::Body>> = BTreeMap::new();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        for chunk in crate::in_chunks(&ids) {
            let sql = format!(
                "SELECT {COLUMNS} FROM records r WHERE r.kind = $2 AND r.status = 'live' \
                 AND EXISTS (SELECT 1 FROM record_refs f WHERE f.record_id = r.id AND f.target = $3 AND f.ref_id IN ({})) \
                 AND {} AND {}",
                crate::placeholders(4, chunk.len()),
                readable("r.id", "$1"),
                refs_filter::<K>("$1")
            );
            let mut q = sqlx::query(&sql)
                .bind(p.member.as_str())
                .bind(K::NAME)
                .bind(target.as_str());
            for id in &chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                let r = record_from_row::<K>(&row)?;
                found.insert(r.id.clone(), r);
            }
        }
        let items = self
            .redact::<K>(p, found.into_values().rev().collect())
            .await?;
        self.audit_list_read::<K>(p, &items).await?;
        Ok(items)
    }

    /// How many live records of kind `K` the viewer may read: one row kept
    /// per kind and reader, not a scan of the records.
    pub async fn count_records<K: Kind>(&self, p: &Principal) -> Result<i64> {
        if !refers_to_marked::<K>() {
            return crate::counts::count_kind(self.pool(), p, K::NAME).await;
        }
        // Whom such a record is hidden from changes with what it refers to,
        // which the per-reader counts do not follow: counted by reading
        // (kinds that refer to marked things are few, relationships).
        let sql = format!(
            "SELECT COUNT(*) FROM records r WHERE r.kind = $2 AND r.status = 'live' AND {} AND {}",
            readable("r.id", "$1"),
            refs_readable("$1", K::HIDDEN_WITH)
        );
        let (n,): (i64,) = sqlx::query_as(&sql)
            .bind(p.member.as_str())
            .bind(K::NAME)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
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
            .collect::<Result<Vec<RecordVersion<K::Body>>>>()?;
        let hidden = if K::REDACTED.is_empty() {
            BTreeSet::new()
        } else {
            self.hidden_refs::<K>(p, &versions.iter().map(|v| &v.body).collect::<Vec<_>>())
                .await?
        };
        let versions: Vec<RecordVersion<K::Body>> = if hidden.is_empty() {
            versions
        } else {
            versions
                .into_iter()
                .map(|v| {
                    let (body, rest) = v.split_body();
                    RecordVersion {
                        body: K::redact(body, &hidden),
                        version: rest.version,
                        status: rest.status,
                        marking: rest.marking,
                        author: rest.author,
                        at_ms: rest.at_ms,
                        provenance: rest.provenance,
                        seq: rest.seq,
                    }
                })
                .collect()
        };
        if record.marking.tlp.read_is_audited()
            || versions.iter().any(|v| v.marking.tlp.read_is_audited())
        {
            self.audit_read(
                p.username.as_str(),
                p.member.as_str(),
                &format!("{}.read_versions", K::NAME),
                id,
                serde_json::json!({ "versions": versions.len() }),
            )
            .await?;
        }
        Ok(versions)
    }
}

pub(super) fn record_from_row<K: Kind>(r: &sqlx::any::AnyRow) -> Result<Record<K::Body>> {
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

/// Whether records of `K` are hidden from readers of some marked thing
/// they refer to (relationships and their entities; a report is not: its
/// reader is shown only the links it may read).
pub(super) fn refers_to_marked<K: Kind>() -> bool {
    K::HIDDEN_WITH
        .iter()
        .any(|t| t.has_audience() && *t != RefTarget::FundPledge)
}

/// The condition a record of `K` meets when it refers to nothing the
/// member bound at `member_param` may not read (no condition for kinds that
/// refer to no marked thing).
pub(super) fn refs_filter<K: Kind>(member_param: &str) -> String {
    if refers_to_marked::<K>() {
        refs_readable(member_param, K::HIDDEN_WITH)
    } else {
        "1 = 1".to_string()
    }
}

/// [`refs_filter`] over rows `r` of any kind: each kind's condition for
/// its own rows (what a read of many kinds at once, such as the feed
/// peers pull, must hold to).
pub(crate) fn any_kind_refs_filter(member_param: &str) -> String {
    let parts: Vec<String> = coalesce_domain::record::KIND_NAMES
        .iter()
        .filter_map(|name| {
            coalesce_domain::with_kind!(*name, K => refers_to_marked::<K>().then(|| {
                format!("(r.kind <> '{}' OR {})", K::NAME, refs_filter::<K>(member_param))
            }), _ => None)
        })
        .collect();
    if parts.is_empty() {
        "1 = 1".to_string()
    } else {
        parts.join(" AND ")
    }
}
