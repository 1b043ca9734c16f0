//! Migrations 25 and 26 move requirements and contributions onto the
//! record layer: every kept version becomes a version of the layer (with
//! the marking, author and time it had), a withdrawn requirement's
//! withdrawal a version of its own. The `requirements` and `contributions`
//! tables (with a contribution's members and deliveries) stay: they are the
//! typed rows the layer's hooks keep from now on, with the other members'
//! acts beside them (the requesting member's confirmation, co-contributors'
//! confirmations, receipts), and the coordination picture's figures (which
//! join them) are already right, so no hook runs again here.

use crate::needs::{requirement_from_row, REQUIREMENT_COLUMNS};
use crate::records::legacy::{
    drop_legacy_versions, legacy_versions, move_onto_layer, node_id_in, with_current, LegacyRecord,
    LegacyVersion,
};
use crate::Result;
use coalesce_domain::needs::{
    ContributionBody, ContributionRecordKind, DeliveryBody, Measure, Party, Place, RequirementBody,
    RequirementRecordKind, Status as Progress, Window,
};
use coalesce_domain::record::Status;
use coalesce_domain::MemberCode;
use sqlx::Row;
use std::collections::BTreeMap;

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
        let kept: Vec<LegacyVersion<RequirementBody>> = versions
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.into_version(|s| (s.revoked, s.into())))
            .collect();
        let kept = with_current(kept, r.version, || {
            Ok(LegacyVersion {
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
            })
        })?;
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

/// A contribution version's snapshot as the old table kept it (the whole
/// contribution, its own fields only since migration 13).
#[derive(serde::Deserialize)]
struct LegacyContribution {
    requirement_id: Option<String>,
    line_of_effort: String,
    category: String,
    title: String,
    #[serde(default)]
    description: String,
    measure: Measure,
    place: Option<Place>,
    window: Option<Window>,
    #[serde(default)]
    place_from_requirement: bool,
    #[serde(default)]
    window_from_requirement: bool,
    contributors: Vec<String>,
    #[serde(default)]
    proposed_contributors: Vec<String>,
    status: Progress,
    delivered: i64,
    #[serde(default)]
    parties: Vec<Party>,
}

impl LegacyContribution {
    /// The body this version had: its deliveries are the first of those
    /// recorded that add up to what it had delivered (deliveries are only
    /// ever appended, each adding its amount).
    fn body(self, deliveries: &[DeliveryBody]) -> ContributionBody {
        let mut sum = 0;
        let kept = deliveries
            .iter()
            .take_while(|d| {
                sum += d.amount;
                sum <= self.delivered
            })
            .cloned()
            .collect();
        let mut contributors = self.contributors;
        contributors.extend(self.proposed_contributors);
        contributors.sort();
        contributors.dedup();
        ContributionBody {
            requirement_id: self.requirement_id,
            line_of_effort: self.line_of_effort,
            category: self.category,
            title: self.title,
            description: self.description,
            measure: self.measure,
            place: self.place.filter(|_| !self.place_from_requirement),
            window: self.window.filter(|_| !self.window_from_requirement),
            contributors,
            status: self.status,
            deliveries: kept,
            parties: self.parties,
        }
    }
}

pub(crate) async fn move_legacy_contributions(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    let mut versions = legacy_versions::<LegacyContribution>(
        &mut w.tx,
        "legacy_contribution_versions",
        "contribution_id",
    )
    .await?;
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT contribution_id, member_code FROM contribution_members ORDER BY contribution_id, member_code",
    )
    .fetch_all(&mut *w.tx)
    .await?;
    for (c, m) in rows {
        members.entry(c).or_default().push(m);
    }
    let mut deliveries: BTreeMap<String, Vec<DeliveryBody>> = BTreeMap::new();
    let rows: Vec<(String, i64, String, i64, String)> = sqlx::query_as(
        "SELECT contribution_id, seq, delivered_on, amount, evidence FROM contribution_deliveries ORDER BY contribution_id, seq",
    )
    .fetch_all(&mut *w.tx)
    .await?;
    for (c, seq, delivered_on, amount, evidence) in rows {
        deliveries.entry(c).or_default().push(DeliveryBody {
            seq,
            delivered_on,
            amount,
            evidence,
        });
    }
    // The row's own columns: a place or window it takes from its
    // requirement is NULL here since migration 13.
    let sql = "SELECT c.id, c.origin, c.requirement_id, c.line_of_effort, c.category, c.title, c.description, \
               c.kind, c.amount, c.unit, c.status, c.tlp, c.rel_to, c.version, c.created_at, c.created_by, \
               c.updated_at, c.updated_by, c.country, c.admin1_name, c.admin1_pcode, c.town, c.lat_micro, c.lon_micro, \
               c.window_start, c.window_end, c.parties FROM contributions c ORDER BY c.created_at, c.id";
    let mut legacy = Vec::new();
    for row in sqlx::query(sql).fetch_all(&mut *w.tx).await? {
        let id: String = row.try_get("id")?;
        let delivered = deliveries.remove(&id).unwrap_or_default();
        let version: i64 = row.try_get("version")?;
        let kept: Vec<LegacyVersion<ContributionBody>> = versions
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.into_version(|s| (false, s.body(&delivered))))
            .collect();
        let kept = with_current(kept, version, || {
            let country: Option<String> = row.try_get("country")?;
            let place = match &country {
                Some(c) => Some(crate::needs::place_from_row(&row, c)?),
                None => None,
            };
            let window = match (
                row.try_get::<Option<String>, _>("window_start")?,
                row.try_get::<Option<String>, _>("window_end")?,
            ) {
                (Some(start), Some(end)) => Some(Window { start, end }),
                _ => None,
            };
            Ok(LegacyVersion {
                version,
                status: Status::Live,
                body: ContributionBody {
                    requirement_id: row.try_get("requirement_id")?,
                    line_of_effort: row.try_get("line_of_effort")?,
                    category: row.try_get("category")?,
                    title: row.try_get("title")?,
                    description: row.try_get("description")?,
                    measure: crate::needs::measure_from_row(&row)?,
                    place,
                    window,
                    contributors: members.remove(&id).unwrap_or_default(),
                    status: Progress::parse(&row.try_get::<String, _>("status")?)
                        .map_err(|e| crate::needs::corrupt("contribution status", e))?,
                    deliveries: delivered,
                    parties: serde_json::from_str(&row.try_get::<String, _>("parties")?)
                        .map_err(|e| crate::needs::corrupt("contribution parties", e))?,
                },
                marking: crate::audience::marking_from_columns(
                    &row.try_get::<String, _>("tlp")?,
                    &row.try_get::<String, _>("rel_to")?,
                )?,
                author: row.try_get("updated_by")?,
                at_ms: row.try_get("updated_at")?,
            })
        })?;
        legacy.push(LegacyRecord {
            origin: MemberCode::parse(&row.try_get::<String, _>("origin")?)?,
            id,
            created_at_ms: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            withdrawn: false,
            versions: kept,
        });
    }
    let node = node_id_in(&mut w.tx).await?;
    let n = move_onto_layer::<ContributionRecordKind>(&mut w.tx, &node, legacy).await?;
    drop_legacy_versions(&mut w.tx, "legacy_contribution_versions").await?;
    Ok(n)
}
