//! Keeping and reading allocation runs: saving a run the engine made as a
//! record of the layer, projecting its typed rows (the run and its
//! proposals) when it is written, and reading runs back as their reader may
//! read them now — gaps, surplus and totals over the requirements and
//! offers that reader may read, for the JSON and the STIX forms.

use super::{coordinator, run_from_row, run_marking, NewRun, Run, RUN_COLUMNS};
use crate::{new_id_at, Principal, Result, Store, StoreError};
use coalesce_domain::allocation_run::{AllocationRunBody, AllocationRunKind, ProposedMatch};
use coalesce_domain::record::Record;

/// Which of the offers and requirements a run names its reader may read now.
struct ReadableParts {
    offers: std::collections::BTreeSet<String>,
    requirements: std::collections::BTreeSet<String>,
}

impl Store {
    /// Keeps a run and its proposals (audited); its id. Every proposal must
    /// name an offer and a requirement the coordinator may read.
    pub async fn save_allocation_run(&self, p: &Principal, run: &NewRun) -> Result<String> {
        coordinator(p)?;
        if run.proposals.iter().any(|np| np.amount <= 0) {
            return Err(StoreError::BadRequest(
                "a proposal moves a positive amount".into(),
            ));
        }
        // Checked as sets (a query per 500), not a query per proposal: a
        // run over 10,000 needs makes thousands of proposals.
        let offers: Vec<String> = run
            .proposals
            .iter()
            .map(|np| np.contribution_id.clone())
            .collect();
        let needs: Vec<String> = run
            .proposals
            .iter()
            .map(|np| np.requirement_id.clone())
            .collect();
        let readable_offers = self.readable_among(p, "contributions", &offers).await?;
        let readable_needs = self.readable_among(p, "requirements", &needs).await?;
        if run.proposals.iter().any(|np| {
            !readable_offers.contains(&np.contribution_id)
                || !readable_needs.contains(&np.requirement_id)
        }) {
            return Err(StoreError::NotFound);
        }
        let body = AllocationRunBody {
            requirements: run.requirements,
            offers: run.offers,
            compatible_pairs: Some(run.compatible_pairs),
            requested: run.requested,
            proposed: run.proposed,
            gaps: run.gaps.clone(),
            surplus: run.surplus.clone(),
            proposals: run
                .proposals
                .iter()
                .enumerate()
                .map(|(i, np)| ProposedMatch {
                    seq: i as i64 + 1,
                    contribution_id: np.contribution_id.clone(),
                    requirement_id: np.requirement_id.clone(),
                    amount: np.amount,
                    explanation: np.explanation.clone(),
                })
                .collect(),
        };
        let r = self
            .create_record::<AllocationRunKind>(p, body, run_marking())
            .await?;
        Ok(r.id)
    }

    /// A run its reader may read (its member's users), as they may read it
    /// now (see [`Store::run_as_read_by`]).
    pub async fn get_allocation_run(&self, p: &Principal, id: &str) -> Result<Run> {
        let row = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM allocation_runs x WHERE x.id = $2 AND {}",
            crate::audience::readable("x.id", "$1")
        ))
        .bind(p.member.as_str())
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(self.run_as_read_by(p, run_from_row(&row)?).await?.0)
    }

    /// The newest run the caller may read, if any.
    pub async fn latest_allocation_run(&self, p: &Principal) -> Result<Option<Run>> {
        let row = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM allocation_runs x WHERE x.member = $1 AND {} ORDER BY x.id DESC LIMIT 1",
            crate::audience::readable("x.id", "$1")
        ))
        .bind(p.member.as_str())
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some(self.run_as_read_by(p, run_from_row(&r)?).await?.0)),
            None => Ok(None),
        }
    }

    /// What a kept run says about requirements and offers, as far as `p`
    /// may read them now: gaps of readable requirements, surplus of
    /// readable offers, and totals recomputed from those and the readable
    /// proposals (they equal the kept totals when everything is readable;
    /// the count of compatible pairs is kept only then).
    /// Returns also which of the offers and requirements the run names `p`
    /// may read.
    async fn run_as_read_by(&self, p: &Principal, mut run: Run) -> Result<(Run, ReadableParts)> {
        let proposals: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT contribution_id, requirement_id, amount FROM allocation_proposals WHERE run_id = $1",
        )
        .bind(&run.id)
        .fetch_all(self.pool())
        .await?;
        let field = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let entries = |v: &serde_json::Value| v.as_array().cloned().unwrap_or_default();
        let (gaps, surplus) = (entries(&run.gaps), entries(&run.surplus));
        let requirement_ids: Vec<String> = gaps
            .iter()
            .map(|g| field(g, "requirement"))
            .chain(proposals.iter().map(|x| x.1.clone()))
            .collect();
        let offer_ids: Vec<String> = surplus
            .iter()
            .map(|s| field(s, "offer"))
            .chain(proposals.iter().map(|x| x.0.clone()))
            .collect();
        let readable_requirements = self
            .readable_among(p, "requirements", &requirement_ids)
            .await?;
        let readable_offers = self.readable_among(p, "contributions", &offer_ids).await?;
        let all_readable = requirement_ids
            .iter()
            .all(|r| readable_requirements.contains(r))
            && offer_ids.iter().all(|o| readable_offers.contains(o));
        let gaps: Vec<serde_json::Value> = gaps
            .into_iter()
            .filter(|g| readable_requirements.contains(&field(g, "requirement")))
            .collect();
        let surplus: Vec<serde_json::Value> = surplus
            .into_iter()
            .filter(|s| readable_offers.contains(&field(s, "offer")))
            .collect();
        let gap_ids: std::collections::BTreeSet<String> =
            gaps.iter().map(|g| field(g, "requirement")).collect();
        let seen: Vec<&(String, String, i64)> = proposals
            .iter()
            .filter(|x| readable_offers.contains(&x.0) && readable_requirements.contains(&x.1))
            .collect();
        let mut requirements = gap_ids.clone();
        requirements.extend(seen.iter().map(|x| x.1.clone()));
        let mut offers: std::collections::BTreeSet<String> =
            surplus.iter().map(|s| field(s, "offer")).collect();
        offers.extend(seen.iter().map(|x| x.0.clone()));
        run.requirements = requirements.len() as i64;
        run.offers = offers.len() as i64;
        run.proposed = seen.iter().map(|x| x.2).sum();
        // A requirement with a gap says what it asked; one fully met asked
        // what its proposals cover.
        run.requested = gaps
            .iter()
            .map(|g| g["requested"].as_i64().unwrap_or(0))
            .sum::<i64>()
            + seen
                .iter()
                .filter(|x| !gap_ids.contains(&x.1))
                .map(|x| x.2)
                .sum::<i64>();
        if !all_readable {
            run.compatible_pairs = None;
        }
        run.gaps = serde_json::Value::Array(gaps);
        run.surplus = serde_json::Value::Array(surplus);
        Ok((
            run,
            ReadableParts {
                offers: readable_offers,
                requirements: readable_requirements,
            },
        ))
    }

    /// A run as a record of the layer, for its STIX form, as `p` may read
    /// it now: what [`Store::get_allocation_run`] shows (gaps and surplus of
    /// readable records, totals over them, no count of compatible pairs
    /// unless everything it took in is readable), and only the proposals
    /// whose offer and requirement `p` may read.
    pub async fn allocation_run_record(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<AllocationRunBody>> {
        let r = self.get_record::<AllocationRunKind>(p, id).await?;
        let b = &r.body;
        let kept = Run {
            id: r.id.clone(),
            member: r.origin.clone(),
            run_at_ms: r.created_at_ms,
            run_by: r.created_by.clone(),
            requirements: b.requirements,
            offers: b.offers,
            compatible_pairs: b.compatible_pairs,
            requested: b.requested,
            proposed: b.proposed,
            gaps: b.gaps.clone(),
            surplus: b.surplus.clone(),
        };
        let (shown, readable) = self.run_as_read_by(p, kept).await?;
        let body = AllocationRunBody {
            requirements: shown.requirements,
            offers: shown.offers,
            compatible_pairs: shown.compatible_pairs,
            requested: shown.requested,
            proposed: shown.proposed,
            gaps: shown.gaps,
            surplus: shown.surplus,
            proposals: b
                .proposals
                .iter()
                .filter(|m| {
                    readable.offers.contains(&m.contribution_id)
                        && readable.requirements.contains(&m.requirement_id)
                })
                .cloned()
                .collect(),
        };
        Ok(r.with_body(body))
    }

    /// Which of `ids` (of records in `table`) `p` may read.
    async fn readable_among(
        &self,
        p: &Principal,
        table: &str,
        ids: &[String],
    ) -> Result<std::collections::BTreeSet<String>> {
        let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
        let unique: Vec<&String> = unique.into_iter().collect();
        let mut found = std::collections::BTreeSet::new();
        for chunk in unique.chunks(500) {
            let sql = format!(
                "SELECT t.id FROM {table} t WHERE t.id IN ({}) AND {}",
                crate::placeholders(2, chunk.len()),
                crate::audience::readable("t.id", "$1")
            );
            let mut q = sqlx::query_as::<_, (String,)>(&sql).bind(p.member.as_str());
            for id in chunk {
                q = q.bind(id.as_str());
            }
            found.extend(q.fetch_all(self.pool()).await?.into_iter().map(|(id,)| id));
        }
        Ok(found)
    }
}

/// Writes the typed rows of allocation runs as written (the layer's hook):
/// the run (what its reads filter and sum) and its proposals, each then
/// waiting for the coordinator's decision and the offering member's
/// commitment, their own acts kept on the proposal's row. A run never
/// changes once made.
pub(crate) async fn project_runs(
    w: &mut crate::WriteTx<'_>,
    written: &[&Record<AllocationRunBody>],
) -> Result<()> {
    use crate::bulk::{insert_rows_then, Arg};
    let mut runs = Vec::with_capacity(written.len());
    let mut proposals = Vec::new();
    for r in written {
        let b = &r.body;
        runs.push(vec![
            Arg::Text(r.id.clone()),
            Arg::Text(r.origin.clone()),
            Arg::Int(r.created_at_ms),
            Arg::Text(r.created_by.clone()),
            Arg::Int(b.requirements),
            Arg::Int(b.offers),
            Arg::Int(b.compatible_pairs.unwrap_or(0)),
            Arg::Int(b.requested),
            Arg::Int(b.proposed),
            Arg::Text(b.gaps.to_string()),
            Arg::Text(b.surplus.to_string()),
        ]);
        for m in &b.proposals {
            proposals.push(vec![
                Arg::Text(new_id_at(r.created_at_ms)),
                Arg::Text(r.id.clone()),
                Arg::Int(m.seq),
                Arg::Text(m.contribution_id.clone()),
                Arg::Text(m.requirement_id.clone()),
                Arg::Int(m.amount),
                Arg::Text(m.explanation.clone()),
                Arg::Text("proposed".into()),
            ]);
        }
    }
    insert_rows_then(
        &mut w.tx,
        "allocation_runs (id, member, run_at, run_by, requirements, offers, compatible_pairs, requested, proposed, gaps, surplus)",
        &runs,
        "ON CONFLICT (id) DO NOTHING",
    )
    .await?;
    insert_rows_then(
        &mut w.tx,
        "allocation_proposals (id, run_id, seq, contribution_id, requirement_id, amount, explanation, status)",
        &proposals,
        "ON CONFLICT (run_id, seq) DO NOTHING",
    )
    .await
}
