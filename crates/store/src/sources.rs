//! Sources of records and registry entries (`domain::source`): kept beside
//! their subject, one row each, audited when set. A source is read only by
//! a caller that has already read its subject (through the audience filter
//! for a record), so it needs no filter of its own.

use crate::{audit, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::source::{Source, Subject};
use coalesce_domain::Role;
use std::collections::BTreeMap;

impl Store {
    /// Sets the source of `subject`. A record's source is its origin
    /// member's to set; a registry entry's, the node's or a coordinator's;
    /// a fund transfer's, its fund's origin member's. `None` acts as the
    /// node itself (the CLI, the demo loader).
    pub async fn set_source(
        &self,
        actor: Option<&Principal>,
        subject: &Subject,
        source: &Source,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        let owner: Option<Option<String>> = match subject {
            Subject::Record(id) => {
                sqlx::query_as::<_, (String,)>("SELECT origin FROM records WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *w.tx)
                    .await?
                    .map(|(o,)| Some(o))
            }
            Subject::Transfer(id) => sqlx::query_as::<_, (String,)>(
                "SELECT r.origin FROM ledger_transfers t JOIN records r ON r.id = t.fund_id WHERE t.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *w.tx)
            .await?
            .map(|(o,)| Some(o)),
            Subject::Member(key)
            | Subject::Group(key)
            | Subject::LineOfEffort(key)
            | Subject::Indicator(key) => {
                let sql = match subject {
                    Subject::Member(_) => "SELECT code FROM members WHERE code = $1",
                    Subject::Group(_) => "SELECT slug FROM coalition_groups WHERE slug = $1",
                    Subject::LineOfEffort(_) => "SELECT slug FROM lines_of_effort WHERE slug = $1",
                    _ => "SELECT slug FROM indicators WHERE slug = $1",
                };
                sqlx::query_as::<_, (String,)>(sql)
                    .bind(key)
                    .fetch_optional(&mut *w.tx)
                    .await?
                    .map(|_| None)
            }
        };
        // A subject the actor may not read is answered as one that does not
        // exist: the refusal must not tell that it does.
        let Some(owner) = owner else {
            return Err(StoreError::NotFound);
        };
        if let Some(p) = actor {
            let allowed = match &owner {
                Some(origin) => p.member.as_str() == origin,
                None => matches!(p.role, Role::Coordinator | Role::Admin),
            };
            if !allowed {
                return Err(StoreError::Forbidden(match owner {
                    Some(_) => "only the record's origin member cites its sources".into(),
                    None => "only a coordinator cites the registry's sources".into(),
                }));
            }
        }
        let body = serde_json::to_string(source).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let key = subject.key();
        sqlx::query(
            "INSERT INTO sources (subject, body, illustrative, set_at, set_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (subject) DO UPDATE SET body = excluded.body, illustrative = excluded.illustrative,
             set_at = excluded.set_at, set_by = excluded.set_by",
        )
        .bind(&key)
        .bind(&body)
        .bind(source.is_illustrative() as i64)
        .bind(now_ms())
        .bind(actor.map(|p| p.username.as_str().to_string()))
        .execute(&mut *w.tx)
        .await?;
        audit::append(
            &mut w.tx,
            actor,
            "source.set",
            &key,
            &serde_json::json!({
                "citations": source.citations.len(),
                "illustrative": source.is_illustrative(),
            }),
        )
        .await?;
        w.commit().await
    }

    /// The sources of subjects the caller has read, by subject key.
    pub async fn sources_of(&self, subjects: &[Subject]) -> Result<BTreeMap<String, Source>> {
        let mut out = BTreeMap::new();
        for chunk in subjects.chunks(200) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT subject, body FROM sources WHERE subject IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query_as::<_, (String, String)>(&sql);
            for s in chunk {
                q = q.bind(s.key());
            }
            let rows = q.fetch_all(self.pool()).await?;
            for (k, body) in rows {
                let s: Source =
                    serde_json::from_str(&body).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                out.insert(k, s);
            }
        }
        Ok(out)
    }

    /// The source of one subject the caller has read.
    pub async fn source_of(&self, subject: &Subject) -> Result<Option<Source>> {
        Ok(self
            .sources_of(std::slice::from_ref(subject))
            .await?
            .into_values()
            .next())
    }
}
