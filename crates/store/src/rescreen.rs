//! Rescreening after a list update: the parties of open records (live
//! entities, contributions not cancelled) screened against the entries the
//! update added or changed, and what matched. The screening itself is the
//! app's; this keeps its input and its findings.
//!
//! Reading the open records to screen is system work (no reader); what it
//! keeps holds no content of a record (its id, version and the party's
//! place in it, and the listed entry) and is read back through the record's
//! current audience ([`crate::audience::readable`]), so a reader learns of
//! a finding only on a record it may read now.

use crate::{audit, new_id_at, now_ms, Principal, Result, Store, SYSTEM_ACTOR};
use serde::Serialize;
use sqlx::Row;

/// An open record whose parties are screened, as last written.
#[derive(Debug, Clone)]
pub struct OpenRecord {
    pub id: String,
    /// `entity` or `contribution`.
    pub kind: String,
    pub version: i64,
    /// The record's body, canonical JSON.
    pub body: String,
}

/// One listed entry a party of a record matched after a list update.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub record_id: String,
    pub record_kind: String,
    /// The record's version that was screened.
    pub record_version: i64,
    /// The party's place among the record's parties (0 for an entity).
    pub party: i64,
    pub role: String,
    /// `list:reference`.
    pub entry_id: String,
    pub caption: String,
    pub score: f64,
    pub is_match: bool,
    pub weak_alias_review: bool,
}

/// A rescreen: which list version, what it compared, when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rescreen {
    pub id: String,
    pub version_id: String,
    /// Entries added or changed by the update, screened against.
    pub entries_compared: i64,
    pub records_screened: i64,
    pub parties_screened: i64,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
}

impl Store {
    /// The live entities and the contributions not cancelled, as written
    /// (every reader's: the rescreen is the node's own work).
    pub async fn open_screening_records(&self) -> Result<Vec<OpenRecord>> {
        let rows = sqlx::query(
            "SELECT r.id, r.kind, r.version, r.body FROM records r \
             WHERE r.status = 'live' AND (r.kind = 'entity' OR (r.kind = 'contribution' \
             AND NOT EXISTS (SELECT 1 FROM contributions c WHERE c.id = r.id AND c.status = 'cancelled'))) \
             ORDER BY r.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenRecord {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    version: r.try_get("version")?,
                    body: r.try_get("body")?,
                })
            })
            .collect()
    }

    /// Whether the parties were rescreened after list version `version_id`.
    pub async fn rescreened(&self, version_id: &str) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS one FROM screening_rescreens WHERE version_id = $1")
            .bind(version_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some())
    }

    /// Keeps a rescreen and its findings in one transaction, audited as
    /// `screening.rescreen` (counts only). A second rescreen of the same
    /// version is refused by the table (one per version) and changes nothing.
    pub async fn record_rescreen(&self, r: &Rescreen, findings: &[Finding]) -> Result<String> {
        let mut w = self.begin_write().await?;
        let id = new_id_at(now_ms());
        sqlx::query(
            "INSERT INTO screening_rescreens (id, version_id, entries_compared, records_screened, \
             parties_screened, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&r.version_id)
        .bind(r.entries_compared)
        .bind(r.records_screened)
        .bind(r.parties_screened)
        .bind(r.started_at_ms)
        .bind(r.finished_at_ms)
        .execute(&mut *w.tx)
        .await?;
        for f in findings {
            sqlx::query(
                "INSERT INTO screening_rescreen_findings (rescreen_id, record_id, record_kind, \
                 record_version, party, role, entry_id, caption, score, is_match, weak_alias_review) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
            )
            .bind(&id)
            .bind(&f.record_id)
            .bind(&f.record_kind)
            .bind(f.record_version)
            .bind(f.party)
            .bind(&f.role)
            .bind(&f.entry_id)
            .bind(&f.caption)
            .bind(f.score)
            .bind(i64::from(f.is_match))
            .bind(i64::from(f.weak_alias_review))
            .execute(&mut *w.tx)
            .await?;
        }
        let matches = findings.iter().filter(|f| f.is_match).count();
        audit::append_named(
            &mut w.tx,
            SYSTEM_ACTOR,
            SYSTEM_ACTOR,
            "screening.rescreen",
            &r.version_id,
            &serde_json::json!({
                "entries_compared": r.entries_compared,
                "records_screened": r.records_screened,
                "parties_screened": r.parties_screened,
                "findings": findings.len(),
                "matches": matches,
            }),
        )
        .await?;
        w.commit().await?;
        Ok(id)
    }

    /// The rescreen after list version `version_id`, with the findings on
    /// records the caller may read now, best score first. None when the
    /// version was not rescreened.
    pub async fn rescreen_of(
        &self,
        p: &Principal,
        version_id: &str,
    ) -> Result<Option<(Rescreen, Vec<Finding>)>> {
        let row = sqlx::query(
            "SELECT id, version_id, entries_compared, records_screened, parties_screened, \
             started_at, finished_at FROM screening_rescreens WHERE version_id = $1",
        )
        .bind(version_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let rescreen = Rescreen {
            id: row.try_get("id")?,
            version_id: row.try_get("version_id")?,
            entries_compared: row.try_get("entries_compared")?,
            records_screened: row.try_get("records_screened")?,
            parties_screened: row.try_get("parties_screened")?,
            started_at_ms: row.try_get("started_at")?,
            finished_at_ms: row.try_get("finished_at")?,
        };
        let rows = sqlx::query(&format!(
            "SELECT f.record_id, f.record_kind, f.record_version, f.party, f.role, f.entry_id, \
             f.caption, f.score, f.is_match, f.weak_alias_review \
             FROM screening_rescreen_findings f JOIN records r ON r.id = f.record_id \
             WHERE f.rescreen_id = $2 AND r.status = 'live' AND {} \
             ORDER BY f.is_match DESC, f.score DESC, f.record_id, f.party, f.entry_id",
            crate::audience::readable("r.id", "$1")
        ))
        .bind(p.member.as_str())
        .bind(&rescreen.id)
        .fetch_all(self.pool())
        .await?;
        let findings = rows
            .iter()
            .map(|r| {
                Ok(Finding {
                    record_id: r.try_get("record_id")?,
                    record_kind: r.try_get("record_kind")?,
                    record_version: r.try_get("record_version")?,
                    party: r.try_get("party")?,
                    role: r.try_get("role")?,
                    entry_id: r.try_get("entry_id")?,
                    caption: r.try_get("caption")?,
                    score: r.try_get("score")?,
                    is_match: r.try_get::<i64, _>("is_match")? != 0,
                    weak_alias_review: r.try_get::<i64, _>("weak_alias_review")? != 0,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some((rescreen, findings)))
    }
}
