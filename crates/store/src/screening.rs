//! Sanctions screening records: the list versions the node loaded, and each
//! member's review decisions on hits (confirmed / false positive).
//!
//! Decisions are a per-member record: every query filters by the caller's
//! member, so one member's reviews never show to (or suppress alerts of)
//! another. Parties are matched by [`party_key`]: the name trimmed,
//! lower-cased and with runs of whitespace collapsed — an exact comparison of
//! that key, not a fuzzy one, so a decision is never applied to a different
//! spelling of a party.

use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::{audit, new_id_at, now_ms, Principal, Result, Store, StoreError, SYSTEM_ACTOR};
use serde::Serialize;
use sqlx::Row;

/// Longest party name accepted (characters).
pub const MAX_PARTY_LEN: usize = 300;
/// Longest decision reason accepted (characters).
pub const MAX_REASON_LEN: usize = 2000;
/// Longest entry id (`list:reference`) accepted (characters).
pub const MAX_ENTITY_ID_LEN: usize = 200;

/// The key decisions are remembered under: trimmed, lower-cased, whitespace collapsed.
pub fn party_key(party: &str) -> String {
    party
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

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

/// `confirmed` or `false_positive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    Confirmed,
    FalsePositive,
}

impl DecisionKind {
    pub fn parse(s: &str) -> Option<DecisionKind> {
        match s {
            "confirmed" => Some(DecisionKind::Confirmed),
            "false_positive" => Some(DecisionKind::FalsePositive),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Confirmed => "confirmed",
            DecisionKind::FalsePositive => "false_positive",
        }
    }
}

/// What a reviewer submits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub party: String,
    /// `list:reference`, e.g. `un:QDi.001`.
    pub entity_id: String,
    /// Content hash of the entry as it was when reviewed.
    pub entry_hash: String,
    pub decision: DecisionKind,
    pub reason: String,
    /// The party's date of birth as screened (YYYY, YYYY-MM or YYYY-MM-DD),
    /// if it was known: the decision then holds for that date only.
    pub birth_date: Option<String>,
    /// The party's nationality as screened, if it was known.
    pub nationality: Option<String>,
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

const DECISION_COLUMNS: &str = "id, member, party, party_key, entity_id, entry_hash, decision, reason, decided_at, decided_by, \
     party_birth_date, party_nationality";

fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid(coalesce_domain::DomainError::InvalidField {
        field,
        reason: reason.into(),
    })
}

impl NewDecision {
    /// Checks lengths and emptiness; trims the party and the reason.
    pub fn validated(&self) -> Result<NewDecision> {
        let party = self.party.trim();
        if party.is_empty() {
            return Err(invalid("party", "must not be empty"));
        }
        if party.chars().count() > MAX_PARTY_LEN {
            return Err(invalid(
                "party",
                format!("at most {MAX_PARTY_LEN} characters"),
            ));
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "a reason is required"));
        }
        if reason.chars().count() > MAX_REASON_LEN {
            return Err(invalid(
                "reason",
                format!("at most {MAX_REASON_LEN} characters"),
            ));
        }
        let entity_id = self.entity_id.trim();
        if entity_id.is_empty() || entity_id.chars().count() > MAX_ENTITY_ID_LEN {
            return Err(invalid("entity_id", "expected list:reference"));
        }
        if self.entry_hash.is_empty() || self.entry_hash.len() > 128 {
            return Err(invalid("entry_hash", "missing or too long"));
        }
        let birth_date = self
            .birth_date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| coalesce_domain::text::partial_date("birth_date", d))
            .transpose()?;
        let nationality = self
            .nationality
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                if n.chars().count() <= 100 {
                    Ok(n.to_string())
                } else {
                    Err(invalid("nationality", "at most 100 characters"))
                }
            })
            .transpose()?;
        Ok(NewDecision {
            party: party.to_string(),
            entity_id: entity_id.to_string(),
            entry_hash: self.entry_hash.clone(),
            decision: self.decision,
            reason: reason.to_string(),
            birth_date,
            nationality,
        })
    }
}

fn decision_from_row(r: &sqlx::any::AnyRow) -> Result<Decision> {
    let kind: String = r.try_get("decision")?;
    Ok(Decision {
        id: r.try_get("id")?,
        member: r.try_get("member")?,
        party: r.try_get("party")?,
        party_key: r.try_get("party_key")?,
        entity_id: r.try_get("entity_id")?,
        entry_hash: r.try_get("entry_hash")?,
        decision: DecisionKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown decision {kind:?}")))?,
        reason: r.try_get("reason")?,
        decided_at_ms: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
        birth_date: r.try_get("party_birth_date")?,
        nationality: r.try_get("party_nationality")?,
    })
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
    /// above), with its audit entry in the same transaction.
    pub async fn record_screening_decision(
        &self,
        p: &Principal,
        d: &NewDecision,
    ) -> Result<Decision> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden(
                "viewers cannot record screening decisions".into(),
            ));
        }
        let d = d.validated()?;
        let now = now_ms();
        let id = new_id_at(now);
        let key = party_key(&d.party);
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO screening_decisions (id, member, party, party_key, entity_id, entry_hash, decision, reason, decided_at, decided_by, \
             party_birth_date, party_nationality) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&id)
        .bind(p.member.as_str())
        .bind(&d.party)
        .bind(&key)
        .bind(&d.entity_id)
        .bind(&d.entry_hash)
        .bind(d.decision.as_str())
        .bind(&d.reason)
        .bind(now)
        .bind(p.username.as_str())
        .bind(d.birth_date.clone())
        .bind(d.nationality.clone())
        .execute(&mut *w.tx)
        .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "screening.decision",
            &id,
            // The list entry and the decision; never the party's name,
            // date of birth or the reviewer's reason (those stay in the
            // member's own decision record).
            &serde_json::json!({
                "entity_id": d.entity_id,
                "entry_hash": d.entry_hash,
                "decision": d.decision.as_str(),
            }),
        )
        .await?;
        w.commit().await?;
        Ok(Decision {
            id,
            member: p.member.as_str().to_string(),
            party: d.party,
            party_key: key,
            entity_id: d.entity_id,
            entry_hash: d.entry_hash,
            decision: d.decision,
            reason: d.reason,
            decided_at_ms: now,
            decided_by: p.username.as_str().to_string(),
            birth_date: d.birth_date,
            nationality: d.nationality,
        })
    }

    /// The caller's member's decisions, newest first.
    pub async fn list_screening_decisions(
        &self,
        p: &Principal,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Decision>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM screening_decisions WHERE member = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(cursor.unwrap_or_default())
            .bind(limit + 1)
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(decision_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|d| d.id.clone())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// The caller's member's decisions on each `(party, entity)` asked about
    /// (parties compared by [`party_key`]), newest first: the caller picks
    /// the newest that applies (see `birth_date`, `nationality`). One query
    /// per distinct party key.
    pub async fn screening_decisions_for(
        &self,
        p: &Principal,
        pairs: &[(String, String)],
    ) -> Result<Vec<Decision>> {
        let mut keys: Vec<String> = pairs.iter().map(|(party, _)| party_key(party)).collect();
        keys.sort();
        keys.dedup();
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM screening_decisions WHERE member = $1 AND party_key = $2 ORDER BY id DESC"
        );
        let mut out: Vec<Decision> = Vec::new();
        for key in keys.iter().filter(|k| !k.is_empty()) {
            let rows = sqlx::query(&sql)
                .bind(p.member.as_str())
                .bind(key)
                .fetch_all(self.pool())
                .await?;
            for r in &rows {
                let d = decision_from_row(r)?;
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
