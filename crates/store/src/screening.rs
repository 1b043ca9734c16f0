//! Sanctions screening records: the list versions the node loaded, and each
//! member's review decisions on hits (confirmed / false positive).
//!
//! Decisions are records of the record layer (`ScreeningDecisionKind`)
//! read by their member alone, and every lookup filters by the caller's
//! member too, so one member's reviews never show to (or suppress alerts
//! of) another. Parties are matched by [`party_key`]: the name trimmed,
//! lower-cased and with runs of whitespace collapsed — an exact comparison of
//! that key, not a fuzzy one, so a decision is never applied to a different
//! spelling of a party.

use crate::records::{all_pages, Page, RecordFilter, MAX_PAGE};
use crate::{audit, new_id_at, now_ms, Principal, Result, Store, SYSTEM_ACTOR};
use coalesce_domain::record::{Record, RefTarget};
use coalesce_domain::screening_decision::{DecisionBody, ScreeningDecisionKind};
use coalesce_domain::{Marking, Tlp};
use serde::Serialize;
use sqlx::Row;

pub use coalesce_domain::screening_decision::{
    party_key, DecisionKind, MAX_ENTITY_ID_LEN, MAX_PARTY_LEN, MAX_REASON_LEN,
};

/// What a reviewer submits: the decision's own fields.
pub type NewDecision = DecisionBody;

/// A list version as recorded by the node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListVersionRecord {
    pub id: String,
    pub source: String,
    pub published: Option<String>,
    pub content_hash: String,
    pub entries: i64,
    pub first_loaded_at_ms: i64,
    pub last_loaded_at_ms: i64,
}

/// One entry of a list version, as the node keeps it for comparing versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedEntry {
    /// The list's own reference (`QDi.001`, an OFAC ent_num).
    pub reference: String,
    pub entry_hash: String,
    pub caption: String,
}

/// What changed between a list version and the one loaded before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionDiff {
    pub previous: ListVersionRecord,
    /// References, sorted.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// The entries that differ between two versions of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VersionChanges {
    pub version: Option<ListVersionRecord>,
    pub previous: Option<ListVersionRecord>,
    /// Sorted by reference.
    pub added: Vec<ListedEntry>,
    pub removed: Vec<ListedEntry>,
    /// As they are in the newer version.
    pub changed: Vec<ListedEntry>,
}

async fn kept_entries(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    version_id: &str,
) -> Result<std::collections::BTreeMap<String, ListedEntry>> {
    Ok(sqlx::query_as::<_, (String, String, String)>(
        "SELECT reference, entry_hash, caption FROM sanctions_list_entries WHERE version_id = $1",
    )
    .bind(version_id)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|(reference, entry_hash, caption)| {
        (
            reference.clone(),
            ListedEntry {
                reference,
                entry_hash,
                caption,
            },
        )
    })
    .collect())
}

/// Added, removed and changed entries between `old` and `new` (by reference;
/// changed: same reference, other content hash).
fn compare_entries(
    old: &std::collections::BTreeMap<String, ListedEntry>,
    new: &[ListedEntry],
) -> VersionChanges {
    let mut new_sorted: Vec<&ListedEntry> = new.iter().collect();
    new_sorted.sort_by(|a, b| a.reference.cmp(&b.reference));
    let new_refs: std::collections::BTreeSet<&str> =
        new.iter().map(|e| e.reference.as_str()).collect();
    VersionChanges {
        added: new_sorted
            .iter()
            .filter(|e| !old.contains_key(&e.reference))
            .map(|e| (*e).clone())
            .collect(),
        removed: old
            .values()
            .filter(|e| !new_refs.contains(e.reference.as_str()))
            .cloned()
            .collect(),
        changed: new_sorted
            .iter()
            .filter(|e| {
                old.get(&e.reference)
                    .is_some_and(|o| o.entry_hash != e.entry_hash)
            })
            .map(|e| (*e).clone())
            .collect(),
        ..VersionChanges::default()
    }
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: String,
    pub member: String,
    pub party: String,
    pub party_key: String,
    pub entity_id: String,
    pub entry_hash: String,
    pub decision: DecisionKind,
    pub reason: String,
    pub decided_at_ms: i64,
    pub decided_by: String,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
}

/// A decision as the screening screens show it: the current version of
/// its record.
fn decision_of(r: Record<DecisionBody>) -> Decision {
    Decision {
        party_key: party_key(&r.body.party),
        id: r.id,
        member: r.origin,
        party: r.body.party,
        entity_id: r.body.entity_id,
        entry_hash: r.body.entry_hash,
        decision: r.body.decision,
        reason: r.body.reason,
        decided_at_ms: r.updated_at_ms,
        decided_by: r.updated_by,
        birth_date: r.body.birth_date,
        nationality: r.body.nationality,
    }
}

/// Decisions are read by their member alone (no REL TO), at a TLP whose
/// reads are not audited: a screening section reads them on every view.
fn decision_marking() -> Result<Marking> {
    Ok(Marking::new(Tlp::Green, [])?)
}

fn version_from_row(r: &sqlx::any::AnyRow) -> Result<ListVersionRecord> {
    Ok(ListVersionRecord {
        id: r.try_get("id")?,
        source: r.try_get("source")?,
        published: r.try_get("published")?,
        content_hash: r.try_get("content_hash")?,
        entries: r.try_get("entries")?,
        first_loaded_at_ms: r.try_get("first_loaded_at")?,
        last_loaded_at_ms: r.try_get("last_loaded_at")?,
    })
}

impl Store {
    /// Records that a list version was loaded. A content hash not seen before
    /// for this source is a new version (audited as `screening.list_loaded`);
    /// a known one only has its `last_loaded_at` moved. Returns the record and
    /// whether it is new.
    pub async fn record_list_version(
        &self,
        source: &str,
        published: Option<&str>,
        content_hash: &str,
        entries: i64,
    ) -> Result<(ListVersionRecord, bool)> {
        let now = now_ms();
        let mut w = self.begin_write().await?;
        let existing = sqlx::query(
            "SELECT id FROM sanctions_list_versions WHERE source = $1 AND content_hash = $2",
        )
        .bind(source)
        .bind(content_hash)
        .fetch_optional(&mut *w.tx)
        .await?;
        let is_new = existing.is_none();
        if let Some(row) = existing {
            let id: String = row.try_get("id")?;
            sqlx::query("UPDATE sanctions_list_versions SET last_loaded_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&id)
                .execute(&mut *w.tx)
                .await?;
        } else {
            let id = new_id_at(now);
            sqlx::query(
                "INSERT INTO sanctions_list_versions (id, source, published, content_hash, entries, first_loaded_at, last_loaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&id)
            .bind(source)
            .bind(published)
            .bind(content_hash)
            .bind(entries)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
            audit::append_named(
                &mut w.tx,
                SYSTEM_ACTOR,
                SYSTEM_ACTOR,
                "screening.list_loaded",
                &format!("{source}:{content_hash}"),
                &serde_json::json!({ "source": source, "published": published, "entries": entries }),
            )
            .await?;
        }
        let row = sqlx::query(
            "SELECT id, source, published, content_hash, entries, first_loaded_at, last_loaded_at \
             FROM sanctions_list_versions WHERE source = $1 AND content_hash = $2",
        )
        .bind(source)
        .bind(content_hash)
        .fetch_one(&mut *w.tx)
        .await?;
        let rec = version_from_row(&row)?;
        w.commit().await?;
        Ok((rec, is_new))
    }

    /// Keeps the entries of a newly recorded list version and compares them
    /// with the previous version of the same source that has its entries
    /// kept. Returns the diff (None for the first version of a source); the
    /// diff is audited as `screening.list_diff`. Idempotent per version.
    pub async fn record_list_entries(
        &self,
        version: &ListVersionRecord,
        entries: &[ListedEntry],
    ) -> Result<Option<VersionDiff>> {
        let mut w = self.begin_write().await?;
        let (kept,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sanctions_list_entries WHERE version_id = $1")
                .bind(&version.id)
                .fetch_one(&mut *w.tx)
                .await?;
        if kept > 0 {
            return Ok(None);
        }
        for e in entries {
            sqlx::query(
                "INSERT INTO sanctions_list_entries (version_id, reference, entry_hash, caption) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (version_id, reference) DO NOTHING",
            )
            .bind(&version.id)
            .bind(&e.reference)
            .bind(&e.entry_hash)
            .bind(&e.caption)
            .execute(&mut *w.tx)
            .await?;
        }
        let previous = sqlx::query(
            "SELECT id, source, published, content_hash, entries, first_loaded_at, last_loaded_at \
             FROM sanctions_list_versions v WHERE v.source = $1 AND v.id <> $2 \
             AND EXISTS (SELECT 1 FROM sanctions_list_entries e WHERE e.version_id = v.id) \
             ORDER BY v.first_loaded_at DESC, v.id DESC LIMIT 1",
        )
        .bind(&version.source)
        .bind(&version.id)
        .fetch_optional(&mut *w.tx)
        .await?;
        let Some(previous) = previous.as_ref().map(version_from_row).transpose()? else {
            w.commit().await?;
            return Ok(None);
        };
        let old = kept_entries(&mut w.tx, &previous.id).await?;
        let changes = compare_entries(&old, entries);
        let refs = |v: &[ListedEntry]| v.iter().map(|e| e.reference.clone()).collect::<Vec<_>>();
        let (added, removed, changed) = (
            refs(&changes.added),
            refs(&changes.removed),
            refs(&changes.changed),
        );
        let first = |v: &[String]| v.iter().take(50).cloned().collect::<Vec<_>>();
        audit::append_named(
            &mut w.tx,
            SYSTEM_ACTOR,
            SYSTEM_ACTOR,
            "screening.list_diff",
            &format!("{}:{}", version.source, version.content_hash),
            &serde_json::json!({
                "previous": previous.content_hash,
                "added": added.len(), "removed": removed.len(), "changed": changed.len(),
                "added_refs": first(&added), "removed_refs": first(&removed), "changed_refs": first(&changed),
            }),
        )
        .await?;
        w.commit().await?;
        Ok(Some(VersionDiff {
            previous,
            added,
            removed,
            changed,
        }))
    }

    /// What changed in a recorded list version since the version of the same
    /// list loaded before it: the entries added, removed and changed, with
    /// their names. None for the first version of a list (or an unknown id).
    pub async fn list_version_changes(&self, id: &str) -> Result<Option<VersionChanges>> {
        let mut tx = self.pool().begin().await?;
        let this = sqlx::query(
            "SELECT id, source, published, content_hash, entries, first_loaded_at, last_loaded_at \
             FROM sanctions_list_versions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(this) = this.as_ref().map(version_from_row).transpose()? else {
            return Ok(None);
        };
        let previous = sqlx::query(
            "SELECT id, source, published, content_hash, entries, first_loaded_at, last_loaded_at \
             FROM sanctions_list_versions v WHERE v.source = $1 AND v.id <> $2 \
             AND (v.first_loaded_at < $3 OR (v.first_loaded_at = $3 AND v.id < $2)) \
             AND EXISTS (SELECT 1 FROM sanctions_list_entries e WHERE e.version_id = v.id) \
             ORDER BY v.first_loaded_at DESC, v.id DESC LIMIT 1",
        )
        .bind(&this.source)
        .bind(&this.id)
        .bind(this.first_loaded_at_ms)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(previous) = previous.as_ref().map(version_from_row).transpose()? else {
            return Ok(None);
        };
        let old = kept_entries(&mut tx, &previous.id).await?;
        let new: Vec<ListedEntry> = kept_entries(&mut tx, &this.id)
            .await?
            .into_values()
            .collect();
        let mut changes = compare_entries(&old, &new);
        changes.version = Some(this);
        changes.previous = Some(previous);
        Ok(Some(changes))
    }

    /// Every list version the node has recorded, newest first. List versions
    /// are public documents: any user may see them.
    pub async fn list_versions(&self) -> Result<Vec<ListVersionRecord>> {
        let rows = sqlx::query(
            "SELECT id, source, published, content_hash, entries, first_loaded_at, last_loaded_at \
             FROM sanctions_list_versions ORDER BY first_loaded_at DESC, id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Records a review decision for the caller's member (contributors and
    /// above): a record of the layer, with its audit entry (no content).
    pub async fn record_screening_decision(
        &self,
        p: &Principal,
        d: &NewDecision,
    ) -> Result<Decision> {
        let r = self
            .create_record::<ScreeningDecisionKind>(p, d.clone(), decision_marking()?)
            .await?;
        Ok(decision_of(r))
    }

    /// The caller's member's decisions, newest first.
    pub async fn list_screening_decisions(
        &self,
        p: &Principal,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Decision>> {
        let filter = RecordFilter {
            origin: Some(p.member.clone()),
            refers_to: None,
        };
        let page = self
            .list_records::<ScreeningDecisionKind>(p, &filter, cursor, limit)
            .await?;
        Ok(Page {
            items: page.items.into_iter().map(decision_of).collect(),
            next: page.next,
        })
    }

    /// The caller's member's decisions on each `(party, entity)` asked about
    /// (parties compared by [`party_key`]), newest first: the caller picks
    /// the newest that applies (see `birth_date`, `nationality`). One list
    /// per distinct party key.
    pub async fn screening_decisions_for(
        &self,
        p: &Principal,
        pairs: &[(String, String)],
    ) -> Result<Vec<Decision>> {
        let mut keys: Vec<String> = pairs.iter().map(|(party, _)| party_key(party)).collect();
        keys.sort();
        keys.dedup();
        let mut out: Vec<Decision> = Vec::new();
        for key in keys.iter().filter(|k| !k.is_empty()) {
            let filter = RecordFilter {
                origin: Some(p.member.clone()),
                refers_to: Some((RefTarget::Party, key.clone())),
            };
            let found = all_pages(|cursor| {
                let filter = &filter;
                async move {
                    self.list_records::<ScreeningDecisionKind>(
                        p,
                        filter,
                        cursor.as_deref(),
                        MAX_PAGE,
                    )
                    .await
                }
            })
            .await?;
            for d in found.into_iter().map(decision_of) {
                let wanted = pairs
                    .iter()
                    .any(|(party, ent)| *ent == d.entity_id && party_key(party) == *key);
                if wanted {
                    out.push(d);
                }
            }
        }
        Ok(out)
    }
}
