//! Personal data's retention and purge, for every kind that holds any
//! ([`coalesce_domain::personal`]: person entities, reports about people).
//!
//! - A record about a person written without a retention day gets the
//!   node's default, counted from the day it is written here; a change that
//!   gives none keeps the day it had ([`with_retention`]).
//! - The purge is a version of the record, written by its origin node only:
//!   the body without its personal data (`purged_on` set; a person is also
//!   withdrawn), and every kept version rewritten to that body, their
//!   signatures dropped (they signed what is gone), and the STIX objects
//!   TAXII kept of it replaced by the purged one. Search documents, links,
//!   correlation keys follow the new version through the kind's hooks. Its
//!   audit entry names the record and the day, never what was purged.
//! - A peer applying a purged version rewrites its own kept versions the
//!   same way ([`erase_history`], from `apply_replica_in`), even of a
//!   record it holds withdrawn: the purge reaches every copy.

use super::*;
use coalesce_domain::entity::{EntityBody, EntityRecordKind};
use coalesce_domain::personal;
use coalesce_domain::report_record::{ReportBody, ReportRecordKind};
use coalesce_domain::reports::{EntityKind, ReportKind};
use std::any::Any;
use std::sync::atomic::Ordering;

/// One record whose personal data was purged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub kind: String,
    pub id: String,
    /// The purge's version.
    pub version: i64,
    pub purged_on: String,
}

/// What one run of the node's purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeRun {
    pub purged: Vec<Purged>,
    /// Records due that could not be purged (id, why): each is tried again
    /// at the next run, and never stops the others.
    pub failed: Vec<(String, String)>,
}

/// Today in UTC (YYYY-MM-DD): the day a purge is dated.
pub fn today() -> String {
    personal::day_of_ms(now_ms())
}

/// Of `ids`, those of entities that are people (whatever their status or
/// audience: the node decides what is personal, no reader does).
async fn person_ids(conn: &mut AnyConnection, ids: &[&str]) -> Result<BTreeSet<String>> {
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id FROM entities WHERE kind = $1 AND id IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(EntityKind::Person.as_str());
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

fn linked(b: &ReportBody) -> Vec<&str> {
    b.entities.iter().map(|l| l.entity_id.as_str()).collect()
}

/// `body` as the layer writes it (see the module): a record about a person
/// without a retention day gets `old`'s (a change) or the node's default.
pub(super) async fn with_retention<K: Kind>(
    store: &Store,
    conn: &mut AnyConnection,
    mut body: K::Body,
    old: Option<&K::Body>,
) -> Result<K::Body> {
    let kept = old.and_then(|o| K::retain_until(o)).map(str::to_string);
    let today = today();
    if let Some(d) = K::retain_until(&body).filter(|d| *d < today.as_str()) {
        if kept.as_deref() != Some(d) {
            return Err(StoreError::BadRequest(format!(
                "retain_until {d} is before today ({today}): to remove the personal data now, purge the record"
            )));
        }
    }
    if let Some(d) = K::retain_until(&body) {
        let latest = personal::days_after(&today, personal::MAX_RETENTION_DAYS)?;
        if d > latest.as_str() {
            return Err(StoreError::BadRequest(format!(
                "retain_until {d} is more than {} days away: the latest is {latest}",
                personal::MAX_RETENTION_DAYS
            )));
        }
    }
    let default = || personal::days_after(&today, store.retention_days());
    let b = &mut body as &mut dyn Any;
    if let Some(e) = b.downcast_mut::<EntityBody>() {
        if e.kind == EntityKind::Person && e.retain_until.is_none() {
            e.retain_until = Some(match kept {
                Some(d) => d,
                None => default()?,
            });
        }
    } else if let Some(r) = b.downcast_mut::<ReportBody>() {
        if r.retain_until.is_none() {
            if let Some(d) = kept {
                r.retain_until = Some(d);
            } else if r.is_about_people(&person_ids(conn, &linked(r)).await?) {
                r.retain_until = Some(default()?);
            }
        }
    }
    Ok(body)
}

/// Rewrites every kept version of record `id` before `version` to the
/// purged body `json` (their signatures signed what is gone), and drops the
/// STIX objects kept of it: the kind's hook projects the purged one.
pub(super) async fn erase_history(
    w: &mut crate::WriteTx<'_>,
    kind: &str,
    id: &str,
    version: i64,
    json: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE record_versions SET body = $1, signature = NULL, signed_by = NULL \
         WHERE record_id = $2 AND version < $3",
    )
    .bind(json)
    .bind(id)
    .bind(version)
    .execute(&mut *w.tx)
    .await?;
    // What a rescreen found of the parties it named: they are gone.
    sqlx::query("DELETE FROM screening_rescreen_findings WHERE record_id = $1")
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
    drop_stix_objects(w, &format!("{kind}:{id}")).await
}

/// Drops every STIX object the TAXII store keeps of record `source`
/// (`<kind>:<id>`), and their audience rows.
pub(super) async fn drop_stix_objects(w: &mut crate::WriteTx<'_>, source: &str) -> Result<()> {
    for sql in [
        "DELETE FROM audience WHERE subject_id IN (SELECT subject_id FROM stix_objects WHERE source = $1)",
        "DELETE FROM stix_objects WHERE source = $1",
    ] {
        sqlx::query(sql).bind(source).execute(&mut *w.tx).await?;
    }
    Ok(())
}

/// Why a purge is made: it says so in the audit entry.
#[derive(Clone, Copy)]
enum Why<'a> {
    /// Its retention period ended (the node's scheduled purge).
    RetentionEnded,
    /// A user of its origin member purged it now.
    Origin(&'a Principal),
}

/// Records the scheduled purge reads at a time.
const PURGE_SCAN_PAGE: i64 = 1_000;

impl Store {
    /// Of these reports, those that link a person.
    async fn reports_naming_people(&self, reports: &[&str]) -> Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        for chunk in crate::in_chunks(reports) {
            let sql = format!(
                "SELECT DISTINCT l.report_id FROM report_entities l JOIN entities e ON e.id = l.entity_id \
                 WHERE e.kind = $1 AND l.report_id IN ({})",
                crate::placeholders(2, chunk.len())
            );
            let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(EntityKind::Person.as_str());
            for id in chunk {
                q = q.bind(id);
            }
            out.extend(q.fetch_all(&self.pool).await?.into_iter().map(|r| r.0));
        }
        Ok(out)
    }

    /// Days a record about a person is kept when its writer gives no day.
    pub fn retention_days(&self) -> u32 {
        self.retention_days.load(Ordering::Relaxed)
    }

    /// Sets the default retention period (the configuration's).
    pub fn set_retention_days(&self, days: u32) {
        self.retention_days.store(days, Ordering::Relaxed);
    }

    /// Purges the personal data of every record of this node whose
    /// retention day is before `today` (YYYY-MM-DD), each in its own
    /// transaction (one that fails is rolled back and reported, the others
    /// go on), and returns what it did. Records of other nodes are their
    /// origin's to purge; their purged versions arrive as versions.
    pub async fn purge_due(&self, today: &str) -> Result<PurgeRun> {
        personal::checked_dates(Some(today.to_string()), None)?;
        let node = self.node_id().await?;
        // This node's people and reports not purged yet (the day read from
        // each body). One written without a day (before the node kept
        // them, or imported so) is kept the default period from when it
        // was written. Read a page at a time in id order (one walk of the
        // primary key in all): with a million reports, reading them at
        // once held every body in memory (RSS +300 MB at each run).
        let days = self.retention_days();
        let mut due = Vec::new();
        let mut after = String::new();
        loop {
            let rows: Vec<(String, String, String, i64)> = sqlx::query_as(&format!(
                "SELECT id, kind, body, created_at FROM records WHERE id > $4 AND origin_node = $1 \
                 AND kind IN ($2, $3) AND body NOT LIKE '%\"purged_on\":%' ORDER BY id LIMIT {PURGE_SCAN_PAGE}"
            ))
            .bind(&node)
            .bind(ReportRecordKind::NAME)
            .bind(EntityRecordKind::NAME)
            .bind(&after)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.0.clone();
            let full = rows.len() as i64 == PURGE_SCAN_PAGE;
            let reports: Vec<&str> = rows
                .iter()
                .filter(|r| r.1 == ReportRecordKind::NAME)
                .map(|r| r.0.as_str())
                .collect();
            let naming_people = self.reports_naming_people(&reports).await?;
            for (id, kind, body, created_at) in rows {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                let text = |f: &str| v.get(f).and_then(|d| d.as_str()).map(str::to_string);
                let about_people = if kind == EntityRecordKind::NAME {
                    text("kind").as_deref() == Some(EntityKind::Person.as_str())
                } else {
                    text("kind").as_deref() == Some(ReportKind::ForeignFighterTravel.as_str())
                        || naming_people.contains(&id)
                };
                let until = match text("retain_until") {
                    Some(d) => Some(d),
                    None if about_people => Some(personal::days_after(
                        &personal::day_of_ms(created_at),
                        days,
                    )?),
                    None => None,
                };
                if personal::is_due(until.as_deref(), text("purged_on").as_deref(), today) {
                    due.push(id);
                }
            }
            if !full {
                break;
            }
        }
        let mut run = PurgeRun::default();
        for id in due {
            let mut w = self.begin_write().await?;
            match self
                .purge_in(&mut w, &node, &id, today, Why::RetentionEnded)
                .await
            {
                Ok(Some(p)) => {
                    w.commit().await?;
                    run.purged.push(p);
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::error!(record = %id, error = %e, "cannot purge its personal data: tried again at the next run");
                    run.failed.push((id, e.to_string()));
                }
            }
        }
        if !run.purged.is_empty() {
            self.compact_search_index().await?;
        }
        Ok(run)
    }

    /// A user of its origin member purges the personal data of a person
    /// entity or a report (`kind`) now (a correction that a change cannot make: a
    /// change keeps the old version). Outside the user's audience the
    /// record does not exist; another member's is forbidden; a purged one
    /// is a conflict.
    pub async fn purge_record_now(&self, p: &Principal, kind: &str, id: &str) -> Result<Purged> {
        check_writer(p)?;
        let node = self.node_id().await?;
        let mut w = self.begin_write().await?;
        if read_current(&mut w.tx, id).await?.kind != kind {
            return Err(StoreError::NotFound);
        }
        let origin = match kind {
            EntityRecordKind::NAME => {
                read_readable_row::<EntityRecordKind>(&mut w.tx, id, p)
                    .await?
                    .0
                    .origin
            }
            ReportRecordKind::NAME => {
                read_readable_row::<ReportRecordKind>(&mut w.tx, id, p)
                    .await?
                    .0
                    .origin
            }
            _ => return Err(StoreError::NotFound),
        };
        if origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {origin} purge this {kind}"
            )));
        }
        let day = today();
        let purged = self
            .purge_in(&mut w, &node, id, &day, Why::Origin(p))
            .await?
            .ok_or_else(|| {
                StoreError::conflict(
                    ConflictCode::ImmutableField,
                    format!("this {kind}'s personal data was purged already"),
                )
            })?;
        w.commit().await?;
        self.compact_search_index().await?;
        Ok(purged)
    }

    /// Purges record `id` in the caller's transaction; `None` when it was
    /// purged already.
    async fn purge_in(
        &self,
        w: &mut crate::WriteTx<'_>,
        node: &str,
        id: &str,
        day: &str,
        why: Why<'_>,
    ) -> Result<Option<Purged>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM records r WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *w.tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let kind: String = row.try_get("kind")?;
        match kind.as_str() {
            ReportRecordKind::NAME => {
                let r = record_from_row::<ReportRecordKind>(&row)?;
                if r.body.purged_on.is_some() {
                    return Ok(None);
                }
                let persons = person_ids(&mut w.tx, &linked(&r.body)).await?;
                let body = r.body.clone().purged(day, &persons);
                let status = r.status;
                self.write_purge::<ReportRecordKind>(w, node, r, body, status, day, why)
                    .await
                    .map(Some)
            }
            EntityRecordKind::NAME => {
                let r = record_from_row::<EntityRecordKind>(&row)?;
                if r.body.purged_on.is_some() {
                    return Ok(None);
                }
                if r.body.kind != EntityKind::Person {
                    return Err(StoreError::BadRequest(format!(
                        "a{} {} holds no personal data to purge: only people do",
                        if r.body.kind == EntityKind::Organisation {
                            "n"
                        } else {
                            ""
                        },
                        r.body.kind.as_str()
                    )));
                }
                let body = r.body.clone().purged(day);
                // A purged person leaves lists, search and correlation.
                self.write_purge::<EntityRecordKind>(w, node, r, body, Status::Withdrawn, day, why)
                    .await
                    .map(Some)
            }
            other => Err(StoreError::BadRequest(format!(
                "a {other} holds no personal data to purge"
            ))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_purge<K: Kind>(
        &self,
        w: &mut crate::WriteTx<'_>,
        node: &str,
        r: Record<K::Body>,
        body: K::Body,
        status: Status,
        day: &str,
        why: Why<'_>,
    ) -> Result<Purged> {
        if r.origin_node != node {
            return Err(StoreError::Forbidden(format!(
                "only its origin node ({}) purges this {}",
                r.origin_node,
                K::LABEL
            )));
        }
        let body = K::validate(body)?;
        let current = read_current(&mut w.tx, &r.id).await?;
        let origin = MemberCode::parse(&r.origin)?;
        let version = current.version + 1;
        let seq = next_seq(&mut w.tx).await?;
        let json = canonical_json(&body)?;
        let (key, tokens) = set_key(&r.marking, &origin);
        let at = now_ms();
        let signature = self.sign_version(
            &r.id,
            K::NAME,
            &r.origin,
            node,
            version,
            status.as_str(),
            &r.marking,
            &json,
            at,
        )?;
        let author = match why {
            Why::RetentionEnded => crate::SYSTEM_ACTOR,
            Why::Origin(p) => p.username.as_str(),
        };
        let v = VersionRow {
            id: &r.id,
            version,
            status,
            marking: &r.marking,
            audience_key: &key,
            body: &json,
            author,
            at,
            provenance: &Provenance::Local,
            origin_node: node,
            seq,
            signature,
        };
        hooks::before_write::<K>(w, &r.id).await?;
        replace_current(&mut w.tx, K::NAME, &current, &v, &tokens).await?;
        replace_refs(&mut w.tx, &r.id, &K::references(&body)).await?;
        erase_history(w, K::NAME, &r.id, version, &json).await?;
        let action = format!("{}.purge", K::NAME);
        let detail = serde_json::json!({
            "version": version,
            "purged_on": day,
            "why": match why {
                Why::RetentionEnded => "its retention period ended",
                Why::Origin(_) => "its origin purged it",
            },
        });
        match why {
            Why::RetentionEnded => {
                audit::append_named(
                    &mut w.tx,
                    crate::SYSTEM_ACTOR,
                    &r.origin,
                    &action,
                    &r.id,
                    &detail,
                )
                .await?
            }
            Why::Origin(p) => audit::append(&mut w.tx, Some(p), &action, &r.id, &detail).await?,
        }
        let purged = Purged {
            kind: K::NAME.to_string(),
            id: r.id.clone(),
            version,
            purged_on: day.to_string(),
        };
        let written = Record {
            version,
            status,
            body,
            updated_at_ms: at,
            updated_by: author.to_string(),
            seq,
            ..r
        };
        hooks::after_write::<K>(w, std::slice::from_ref(&written), false).await?;
        Ok(purged)
    }

    /// After a purge: SQLite's full-text index keeps a deleted document's
    /// words in its segments until they are merged, so they are merged now
    /// (PostgreSQL's tsvector goes with its row).
    pub(crate) async fn compact_search_index(&self) -> Result<()> {
        if self.dialect != crate::Dialect::Sqlite {
            return Ok(());
        }
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            .execute(&mut *w.tx)
            .await?;
        w.commit().await
    }
}
