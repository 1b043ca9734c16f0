//! What a write of some kinds also changes, in the same transaction:
//! - the TAXII object store holds entities, reports and relationships in their one
//!   STIX form (so TAXII never lags the records; a withdrawal revokes the
//!   object that was shared);
//! - an entity's correlation keys and search document, and a report's
//!   links and search document, follow the current version (the search
//!   document goes when it is withdrawn).
//!
//! - a requirement's typed row (`requirements`, what the coordination
//!   picture, allocation and the lists join on) follows its current
//!   version, and the figures of the contributions that count under its
//!   place are taken away before it changes and added after
//!   (`rollup`), so that they follow its audience;
//! - a contribution's typed rows (`contributions`, its members, its
//!   deliveries) follow its current version, and its figures are taken
//!   away before a change and added after;
//! - an allocation run's typed rows (`allocation_runs`, its proposals).
//!
//! - a commitment is checked against its meeting (due no earlier than the
//!   meeting, an agenda item it has).
//!
//! Kinds without a hook change nothing else.

use super::*;
use crate::WriteTx;
use coalesce_domain::allocation_run::{AllocationRunBody, AllocationRunKind};
use coalesce_domain::entity::{EntityBody, EntityRecordKind};
use coalesce_domain::meetings::{Commitment, CommitmentKind};
use coalesce_domain::needs::{
    ContributionBody, ContributionRecordKind, RequirementBody, RequirementRecordKind,
};
use coalesce_domain::relationship::{RelationshipBody, RelationshipKind};
use coalesce_domain::report_record::{ReportBody, ReportRecordKind};
use std::any::Any;

/// The kinds whose records have objects in the TAXII store.
const PROJECTED: [&str; 3] = [
    RelationshipKind::NAME,
    EntityRecordKind::NAME,
    ReportRecordKind::NAME,
];

/// Runs the hooks of kind `K` that must see record `id` as it was, before
/// a new version of it (a change, a withdrawal, a replica) is written.
pub(super) async fn before_write<K: Kind>(w: &mut WriteTx<'_>, id: &str) -> Result<()> {
    if K::NAME == RequirementRecordKind::NAME {
        let derived = crate::needs::contributions_placed_by(w, id).await?;
        crate::rollup::remove(w, &derived).await?;
    }
    if K::NAME == ContributionRecordKind::NAME {
        crate::rollup::remove(w, &[id.to_string()]).await?;
    }
    Ok(())
}

/// What refuses the withdrawal of record `id` of kind `K`: a meeting with
/// live commitments (they would be left unable to change: a commitment is
/// checked against its meeting); withdraw those first.
pub(super) async fn before_withdraw<K: Kind>(conn: &mut AnyConnection, id: &str) -> Result<()> {
    if K::NAME != coalesce_domain::meetings::MeetingKind::NAME {
        return Ok(());
    }
    let (live,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM record_refs rr JOIN records r ON r.id = rr.record_id \
         WHERE rr.target = 'meeting' AND rr.ref_id = $1 AND r.kind = $2 AND r.status = 'live'",
    )
    .bind(id)
    .bind(CommitmentKind::NAME)
    .fetch_one(&mut *conn)
    .await?;
    if live > 0 {
        return Err(StoreError::conflict(
            crate::ConflictCode::InvalidTransition,
            format!(
                "the meeting has {live} commitment(s) made at or carried to it; withdraw them first"
            ),
        ));
    }
    Ok(())
}

/// Runs the hooks of kind `K`, if it has any, for these records as written;
/// `created` when they were just created here (nothing refers to them yet).
pub(super) async fn after_write<K: Kind>(
    w: &mut WriteTx<'_>,
    written: &[Record<K::Body>],
    created: bool,
) -> Result<()> {
    if K::NAME == RequirementRecordKind::NAME {
        for r in written {
            if let Some(r) = (r as &dyn Any).downcast_ref::<Record<RequirementBody>>() {
                crate::needs::project_requirement(w, r).await?;
                if !created {
                    let derived = crate::needs::contributions_placed_by(w, &r.id).await?;
                    crate::rollup::add(w, &derived).await?;
                }
            }
        }
        return Ok(());
    }
    if K::NAME == CommitmentKind::NAME {
        for r in written {
            if let Some(r) = (r as &dyn Any).downcast_ref::<Record<Commitment>>() {
                if r.status == coalesce_domain::record::Status::Live {
                    crate::meetings::check_commitment(&mut w.tx, &r.body).await?;
                }
            }
        }
        return Ok(());
    }
    if K::NAME == AllocationRunKind::NAME {
        let written: Vec<&Record<AllocationRunBody>> = written
            .iter()
            .filter_map(|r| (r as &dyn Any).downcast_ref::<Record<AllocationRunBody>>())
            .collect();
        return crate::allocation::project_runs(w, &written).await;
    }
    if K::NAME == ContributionRecordKind::NAME {
        let written: Vec<&Record<ContributionBody>> = written
            .iter()
            .filter_map(|r| (r as &dyn Any).downcast_ref::<Record<ContributionBody>>())
            .collect();
        crate::contributions::project_contributions(w, &written).await?;
        // The figures of a whole batch at once.
        let ids: Vec<String> = written.iter().map(|r| r.id.clone()).collect();
        return crate::rollup::add(w, &ids).await;
    }
    if !PROJECTED.contains(&K::NAME) {
        return Ok(());
    }
    for r in written {
        let r = r as &dyn Any;
        if let Some(e) = r.downcast_ref::<Record<EntityBody>>() {
            crate::entities::index_entity(w, e, created).await?;
        } else if let Some(x) = r.downcast_ref::<Record<ReportBody>>() {
            crate::reports::index_report(w, x, created).await?;
        }
    }
    project::<K>(&mut w.tx, written).await
}

/// Projects these records into the TAXII store, for the kinds that are.
/// What a projection is made with is read once per origin member, not once
/// per record (a batch of a thousand reports is of one member).
async fn project<K: Kind>(conn: &mut AnyConnection, written: &[Record<K::Body>]) -> Result<()> {
    if !PROJECTED.contains(&K::NAME) {
        return Ok(());
    }
    let mut contexts: BTreeMap<String, crate::stix_projection::Projection> = BTreeMap::new();
    for r in written {
        let origin = MemberCode::parse(&r.origin)?;
        if !contexts.contains_key(&r.origin) {
            let ctx = crate::stix_projection::projection_context(conn, &origin).await?;
            contexts.insert(r.origin.clone(), ctx);
        }
        let ctx = &contexts[&r.origin];
        let r = r as &dyn Any;
        if let Some(r) = r.downcast_ref::<Record<RelationshipBody>>() {
            crate::stix_projection::project_relationship(conn, r, ctx).await?;
        } else if let Some(r) = r.downcast_ref::<Record<EntityBody>>() {
            crate::stix_projection::project_entity(conn, r, ctx).await?;
        } else if let Some(r) = r.downcast_ref::<Record<ReportBody>>() {
            crate::stix_projection::project_report(conn, r, ctx).await?;
        }
    }
    Ok(())
}

/// Runs the hooks of kind `K`, if it has any, for record `id` as it now is
/// (a replica just applied).
pub(super) async fn after_apply<K: Kind>(w: &mut WriteTx<'_>, id: &str) -> Result<()> {
    if !PROJECTED.contains(&K::NAME)
        && ![
            RequirementRecordKind::NAME,
            ContributionRecordKind::NAME,
            AllocationRunKind::NAME,
        ]
        .contains(&K::NAME)
    {
        return Ok(());
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM records r WHERE r.id = $1"))
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await?;
    let r = record_from_row::<K>(&row)?;
    after_write::<K>(w, std::slice::from_ref(&r), false).await
}

/// Projects the live records of the projected kinds that have no STIX
/// object yet (a database written before the object store, or moved onto
/// the layer with another form). Returns how many.
pub(crate) async fn project_unprojected(conn: &mut AnyConnection) -> Result<usize> {
    Ok(unprojected::<EntityRecordKind>(conn).await?
        + unprojected::<ReportRecordKind>(conn).await?
        + unprojected::<RelationshipKind>(conn).await?)
}

async fn unprojected<K: Kind>(conn: &mut AnyConnection) -> Result<usize> {
    let sql = format!(
        "SELECT {COLUMNS} FROM records r WHERE r.kind = $1 AND r.status = 'live' AND NOT EXISTS \
         (SELECT 1 FROM stix_objects s WHERE s.source = $2 || r.id) ORDER BY r.id"
    );
    let rows = sqlx::query(&sql)
        .bind(K::NAME)
        .bind(format!("{}:", K::NAME))
        .fetch_all(&mut *conn)
        .await?;
    let records = rows
        .iter()
        .map(record_from_row::<K>)
        .collect::<Result<Vec<_>>>()?;
    project::<K>(conn, &records).await?;
    Ok(records.len())
}

/// Runs the hooks of kind `K` again for every live record, as it now is
/// (what they derive is made another way: migration 22 folds names).
/// Returns how many.
pub(crate) async fn reindex<K: Kind>(w: &mut WriteTx<'_>) -> Result<usize> {
    let sql = format!(
        "SELECT {COLUMNS} FROM records r WHERE r.kind = $1 AND r.status = 'live' ORDER BY r.id"
    );
    let rows = sqlx::query(&sql)
        .bind(K::NAME)
        .fetch_all(&mut *w.tx)
        .await?;
    let records = rows
        .iter()
        .map(record_from_row::<K>)
        .collect::<Result<Vec<_>>>()?;
    after_write::<K>(w, &records, false).await?;
    Ok(records.len())
}
