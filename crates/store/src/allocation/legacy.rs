//! The legacy move used by migrations: migration 27 puts the allocation
//! runs made before the record layer onto it, one version each under its
//! member's marking, leaving their typed rows and proposals as they are.

use super::{run_from_row, run_marking, RUN_COLUMNS};
use crate::Result;
use coalesce_domain::allocation_run::{AllocationRunBody, AllocationRunKind, ProposedMatch};

/// Migration 27 moves the runs made before onto the layer: each one
/// version, as it was made, under its member's marking. Their typed rows
/// and proposals (with the decisions and commitments on them) stay.
pub(crate) async fn move_legacy_runs(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    use crate::records::legacy::{move_onto_layer, node_id_in, LegacyRecord, LegacyVersion};
    let mut proposals: std::collections::BTreeMap<String, Vec<ProposedMatch>> =
        std::collections::BTreeMap::new();
    let rows: Vec<(String, i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT run_id, seq, contribution_id, requirement_id, amount, explanation FROM allocation_proposals ORDER BY run_id, seq",
    )
    .fetch_all(&mut *w.tx)
    .await?;
    for (run, seq, contribution_id, requirement_id, amount, explanation) in rows {
        proposals.entry(run).or_default().push(ProposedMatch {
            seq,
            contribution_id,
            requirement_id,
            amount,
            explanation,
        });
    }
    let rows = sqlx::query(&format!(
        "SELECT {RUN_COLUMNS} FROM allocation_runs x ORDER BY x.run_at, x.id"
    ))
    .fetch_all(&mut *w.tx)
    .await?;
    let mut legacy = Vec::with_capacity(rows.len());
    for row in &rows {
        let run = run_from_row(row)?;
        legacy.push(LegacyRecord {
            origin: coalesce_domain::MemberCode::parse(&run.member)?,
            created_at_ms: run.run_at_ms,
            created_by: run.run_by.clone(),
            withdrawn: false,
            versions: vec![LegacyVersion {
                version: 1,
                status: coalesce_domain::record::Status::Live,
                body: AllocationRunBody {
                    requirements: run.requirements,
                    offers: run.offers,
                    compatible_pairs: run.compatible_pairs,
                    requested: run.requested,
                    proposed: run.proposed,
                    gaps: run.gaps,
                    surplus: run.surplus,
                    proposals: proposals.remove(&run.id).unwrap_or_default(),
                },
                marking: run_marking(),
                author: run.run_by,
                at_ms: run.run_at_ms,
            }],
            id: run.id,
        });
    }
    let node = node_id_in(&mut w.tx).await?;
    move_onto_layer::<AllocationRunKind>(&mut w.tx, &node, legacy).await
}
