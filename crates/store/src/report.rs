//! What the plenary report needs of the database beyond the reads it
//! shares with the pages (issue 18): how much of a kind a reader may read
//! (for the "partial" footnotes and each section's marking), the reader a
//! member's report is computed for, and dated snapshots — the report's
//! figures as computed, kept so that it regenerates identically, each
//! creation audited as a read.

use crate::audience::readable;
use crate::{audit, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::{MemberCode, Role, Tlp, Username};
use sqlx::Row;

/// How much of a kind a reader reads: readable and live records, all live
/// records, and the highest TLP among the readable ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub readable: i64,
    pub total: i64,
    pub highest: Option<Tlp>,
}

impl Coverage {
    pub fn partial(&self) -> bool {
        self.readable < self.total
    }
}

/// A kept report.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub id: String,
    pub member: String,
    pub as_of: String,
    pub meeting: Option<String>,
    pub created_at_ms: i64,
    pub created_by: String,
    /// The report's figures as JSON (`coalesce_report::plenary::Plenary`).
    pub data: String,
}

impl Store {
    /// How much of kind `kind` (a record kind of the layer) `p` reads.
    pub async fn kind_coverage(&self, p: &Principal, kind: &str) -> Result<Coverage> {
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM records WHERE kind = $1 AND status = 'live'")
                .bind(kind)
                .fetch_one(self.pool())
                .await?;
        let sql = format!(
            "SELECT r.tlp AS tlp, COUNT(*) AS n FROM records r WHERE r.kind = $2 AND r.status = 'live' AND {} GROUP BY r.tlp",
            readable("r.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(kind)
            .fetch_all(self.pool())
            .await?;
        let mut readable_n = 0;
        let mut highest = None;
        for r in rows {
            let n: i64 = r.try_get("n")?;
            let tlp = Tlp::parse(&r.try_get::<String, _>("tlp")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            readable_n += n;
            highest = highest.max(Some(tlp));
        }
        Ok(Coverage {
            readable: readable_n,
            total,
            highest,
        })
    }

    /// The reader a member's report is computed for: the member itself
    /// (every user of a member reads alike), named `report` in the audit
    /// log of its reads.
    pub async fn member_reader(&self, member: &str) -> Result<Principal> {
        let code = MemberCode::parse(member)?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM members WHERE code = $1")
            .bind(code.as_str())
            .fetch_one(self.pool())
            .await?;
        if n == 0 {
            return Err(StoreError::Invalid(
                coalesce_domain::DomainError::InvalidField {
                    field: "member",
                    reason: format!("there is no member {code}"),
                },
            ));
        }
        Ok(Principal {
            user_id: String::new(),
            username: Username::parse("report")?,
            member: code,
            role: Role::Viewer,
        })
    }

    /// Keeps a report's figures; audited as a read of them by `actor`.
    pub async fn keep_report(
        &self,
        actor: Option<&Principal>,
        member: &str,
        as_of: &str,
        meeting: Option<&str>,
        data: &str,
        sources: usize,
    ) -> Result<Snapshot> {
        let at = now_ms();
        let id = new_id_at(at);
        let by = actor.map_or(crate::SYSTEM_ACTOR, |p| p.username.as_str());
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO report_snapshots (id, member, as_of, meeting, created_at, created_by, data) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(member)
        .bind(as_of)
        .bind(meeting)
        .bind(at)
        .bind(by)
        .bind(data)
        .execute(&mut *w.tx)
        .await?;
        audit::append(
            &mut w.tx,
            actor,
            "report.plenary",
            &id,
            &serde_json::json!({ "member": member, "as_of": as_of, "meeting": meeting, "sources": sources }),
        )
        .await?;
        w.commit().await?;
        Ok(Snapshot {
            id,
            member: member.to_string(),
            as_of: as_of.to_string(),
            meeting: meeting.map(str::to_string),
            created_at_ms: at,
            created_by: by.to_string(),
            data: data.to_string(),
        })
    }

    /// A kept report, for `p` only if it was made for `p`'s member (the
    /// node itself, `None`, reads any).
    pub async fn report_snapshot(&self, p: Option<&Principal>, id: &str) -> Result<Snapshot> {
        let row = sqlx::query(
            "SELECT id, member, as_of, meeting, created_at, created_by, data FROM report_snapshots WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let member: String = row.try_get("member")?;
        if p.is_some_and(|p| p.member.as_str() != member) {
            return Err(StoreError::NotFound);
        }
        Ok(Snapshot {
            id: row.try_get("id")?,
            member,
            as_of: row.try_get("as_of")?,
            meeting: row.try_get("meeting")?,
            created_at_ms: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            data: row.try_get("data")?,
        })
    }

    /// The day of the member's last kept report before `as_of`, if any
    /// ("since the last report").
    pub async fn last_report_before(&self, member: &str, as_of: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT as_of FROM report_snapshots WHERE member = $1 AND as_of < $2 ORDER BY as_of DESC LIMIT 1",
        )
        .bind(member)
        .bind(as_of)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }
}
