//! Migration 25 moves requirements onto the record layer: every kept
//! version becomes a version of the layer (with the marking, author and
//! time it had), a withdrawn requirement's withdrawal a version of its own.
//! The `requirements` table stays: it is the typed row the layer's hook
//! keeps from now on, with the requesting member's confirmation beside it,
//! and the coordination picture's figures (which join it) are already right,
//! so no hook runs again here.

use crate::needs::{requirement_from_row, REQUIREMENT_COLUMNS};
use crate::records::legacy::{
    drop_legacy_versions, legacy_versions, move_onto_layer, node_id_in, LegacyRecord, LegacyVersion,
};
use crate::Result;
use coalesce_domain::needs::{Measure, Place, RequirementBody, RequirementRecordKind, Window};
use coalesce_domain::record::Status;
use coalesce_domain::MemberCode;

/// A requirement version's snapshot as the old table kept it (the whole
/// requirement; its own fields are what moves).
#[derive(serde::Deserialize)]
struct LegacySnapshot {
    title: String,
    #[serde(default)]
    description: String,
    requesting_member: String,
    line_of_effort: String,
    category: String,
    measure: Measure,
    place: Place,
    window: Window,
    priority: i64,
    #[serde(default)]
    revoked: bool,
}

impl From<LegacySnapshot> for RequirementBody {
    fn from(s: LegacySnapshot) -> Self {
        RequirementBody {
            title: s.title,
            description: s.description,
            requesting_member: s.requesting_member,
            line_of_effort: s.line_of_effort,
            category: s.category,
            measure: s.measure,
            place: s.place,
            window: s.window,
            priority: s.priority,
        }
    }
}

pub(crate) async fn move_legacy_requirements(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    let mut versions = legacy_versions::<LegacySnapshot>(
        &mut w.tx,
        "legacy_requirement_versions",
        "requirement_id",
    )
    .await?;
    let sql =
        format!("SELECT {REQUIREMENT_COLUMNS} FROM requirements r ORDER BY r.created_at, r.id");
    let mut legacy = Vec::new();
    for row in sqlx::query(&sql).fetch_all(&mut *w.tx).await? {
        let r = requirement_from_row(&row)?;
        let mut kept: Vec<LegacyVersion<RequirementBody>> = versions
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .map(|v| LegacyVersion {
                version: v.version,
                status: if v.snapshot.revoked {
                    Status::Withdrawn
                } else {
                    Status::Live
                },
                body: v.snapshot.into(),
                marking: v.marking,
                author: v.author,
                at_ms: v.at_ms,
            })
            .collect();
        // The row is the current version: a version written without its
        // kept copy moves from the row.
        if kept.last().map(|v| v.version) != Some(r.version) {
            kept.retain(|v| v.version < r.version);
            kept.push(LegacyVersion {
                version: r.version,
                status: if r.revoked {
                    Status::Withdrawn
                } else {
                    Status::Live
                },
                body: RequirementBody {
                    title: r.title.clone(),
                    description: r.description.clone(),
                    requesting_member: r.requesting_member.clone(),
                    line_of_effort: r.line_of_effort.clone(),
                    category: r.category.clone(),
                    measure: r.measure.clone(),
                    place: r.place.clone(),
                    window: r.window.clone(),
                    priority: r.priority,
                },
                marking: r.marking.clone(),
                author: r.updated_by.clone(),
                at_ms: r.updated_at_ms,
            });
        }
        legacy.push(LegacyRecord {
            origin: MemberCode::parse(&r.origin)?,
            id: r.id,
            created_at_ms: r.created_at_ms,
            created_by: r.created_by,
            withdrawn: r.revoked,
            versions: kept,
        });
    }
    let node = node_id_in(&mut w.tx).await?;
    let n = move_onto_layer::<RequirementRecordKind>(&mut w.tx, &node, legacy).await?;
    drop_legacy_versions(&mut w.tx, "legacy_requirement_versions").await?;
    Ok(n)
}
