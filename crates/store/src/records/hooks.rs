//! What a write of some kinds also changes, in the same transaction: the
//! TAXII object store holds relationships in their one STIX form (so TAXII
//! never lags the records). Kinds without a hook change nothing else.

use super::*;
use coalesce_domain::relationship::{RelationshipBody, RelationshipKind};
use std::any::Any;

/// Runs the hook of kind `K`, if it has one, for these records as written.
pub(super) async fn after_write<K: Kind>(
    conn: &mut AnyConnection,
    written: &[Record<K::Body>],
) -> Result<()> {
    if K::NAME != RelationshipKind::NAME {
        return Ok(());
    }
    for r in written {
        if let Some(r) = (r as &dyn Any).downcast_ref::<Record<RelationshipBody>>() {
            crate::stix_projection::project_relationship(conn, r).await?;
        }
    }
    Ok(())
}

/// Runs the hook of kind `K`, if it has one, for record `id` as it now is
/// (a replica just applied).
pub(super) async fn after_apply<K: Kind>(conn: &mut AnyConnection, id: &str) -> Result<()> {
    if K::NAME != RelationshipKind::NAME {
        return Ok(());
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM records r WHERE r.id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let r = record_from_row::<RelationshipKind>(&row)?;
    after_write::<RelationshipKind>(conn, std::slice::from_ref(&r)).await
}

/// Projects the relationships that have no STIX object yet (a database
/// written before the object store). Returns how many.
pub(crate) async fn project_unprojected(conn: &mut AnyConnection) -> Result<usize> {
    let sql = format!(
        "SELECT {COLUMNS} FROM records r WHERE r.kind = $1 AND NOT EXISTS \
         (SELECT 1 FROM stix_objects s WHERE s.source = 'relationship:' || r.id) ORDER BY r.id"
    );
    let rows = sqlx::query(&sql)
        .bind(RelationshipKind::NAME)
        .fetch_all(&mut *conn)
        .await?;
    let records = rows
        .iter()
        .map(record_from_row::<RelationshipKind>)
        .collect::<Result<Vec<_>>>()?;
    after_write::<RelationshipKind>(conn, &records).await?;
    Ok(records.len())
}
