//! The STIX projections of coalesce's records — what TAXII serves of
//! reports, entities and relationships, written in the record's
//! transaction — and the objects the node derives for itself (its
//! members' identities, its extension and marking definitions), whose ids
//! nobody else may claim.

use crate::audience::marking_from_columns;
use crate::stix::{insert_row, next_date_added, refresh_flags, requested_marking, NewRow};
use crate::{Result, Store, StoreError};
use coalesce_domain::record::{Kind, Record, Reference, Status};
use coalesce_domain::relationship::{RelationshipBody, RelationshipKind};
use coalesce_domain::{AudienceToken, Marking, MemberCode, Tlp};
use coalesce_exchange::stix_in::{self, Incoming, MarkingKind};
use coalesce_exchange::stix_record::project_record_with;
use serde_json::Value;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

impl Store {
    /// Writes the STIX projection of a record (its object first, then the
    /// identities and definitions it refers to) in the record's
    /// transaction. `source` names the record (`report:<id>`, …).
    pub(crate) async fn project_stix(
        conn: &mut AnyConnection,
        source: &str,
        origin: &MemberCode,
        objects: Vec<Value>,
    ) -> Result<()> {
        // Which of these ids the node holds already (shared objects are
        // written once), in one query.
        let ids: Vec<&str> = objects
            .iter()
            .filter_map(|o| o.get("id").and_then(Value::as_str))
            .collect();
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT DISTINCT stix_id, origin FROM stix_objects WHERE stix_id IN ({})",
            placeholders.join(", ")
        );
        // Planned each time on PostgreSQL: a plan cached while the table
        // was small (a new node) scans all of it, and an import of a few
        // thousand reports then spent 3 ms a report here until
        // autovacuum's ANALYZE replaced the plan.
        let mut q = sqlx::query_as::<_, (String, String)>(&sql)
            .persistent(conn.backend_name() != "PostgreSQL");
        for id in &ids {
            q = q.bind(*id);
        }
        let held_by: Vec<(String, String)> = q.fetch_all(&mut *conn).await?;
        // The record's own object is held if its origin holds it (another
        // member's object under the id is another object, migration 28);
        // the shared ones, whose ids only the node derives, if held at all.
        let held: std::collections::BTreeSet<&str> =
            held_by.iter().map(|(id, _)| id.as_str()).collect();
        let held_by_origin =
            |id: &str| held_by.iter().any(|(i, o)| i == id && o == origin.as_str());
        let defs: BTreeMap<String, MarkingKind> = objects
            .iter()
            .filter(|o| o.get("type").and_then(Value::as_str) == Some("marking-definition"))
            .filter_map(|o| {
                let id = o.get("id").and_then(Value::as_str)?;
                stix_in::marking_kind_of_definition(o)
                    .ok()
                    .map(|k| (id.to_string(), k))
            })
            .collect();
        let public = Marking::new(Tlp::Clear, [AudienceToken::Coalition])?;
        let mut date_added = next_date_added(conn).await?;
        for (n, o) in objects.iter().enumerate() {
            let is_held = o.get("id").and_then(Value::as_str).is_some_and(|id| {
                if n == 0 {
                    held_by_origin(id)
                } else {
                    held.contains(id)
                }
            });
            if n > 0 && is_held {
                continue;
            }
            let inc = stix_in::check_object(o)
                .map_err(|e| StoreError::Corrupt(format!("projection of {source}: {e}")))?;
            let inc = &inc;
            if n == 0 {
                let marking = requested_marking(inc, |r| defs.get(r).cloned())
                    .map_err(|e| StoreError::Corrupt(format!("projection of {source}: {e}")))?;
                if is_held {
                    // A version written again in the same millisecond replaces it.
                    sqlx::query(
                        "DELETE FROM audience WHERE subject_id IN \
                         (SELECT subject_id FROM stix_objects WHERE stix_id = $1 AND version_us = $2 AND origin = $3)",
                    )
                    .bind(&inc.id)
                    .bind(inc.version_us)
                    .bind(origin.as_str())
                    .execute(&mut *conn)
                    .await?;
                    sqlx::query(
                        "DELETE FROM stix_objects WHERE stix_id = $1 AND version_us = $2 AND origin = $3",
                    )
                    .bind(&inc.id)
                    .bind(inc.version_us)
                    .bind(origin.as_str())
                    .execute(&mut *conn)
                    .await?;
                }
                let row = NewRow {
                    inc,
                    marking: &marking,
                    origin,
                    source,
                    date_added,
                };
                insert_row(conn, &row, !is_held).await?;
                if is_held {
                    refresh_flags(conn, &inc.id, origin.as_str()).await?;
                }
            } else {
                let marking = if inc.object_type == "marking-definition" {
                    requested_marking(inc, |_| None).unwrap_or_else(|_| public.clone())
                } else {
                    public.clone()
                };
                let marking = if marking.rel_to.is_empty() {
                    public.clone()
                } else {
                    marking
                };
                let row = NewRow {
                    inc,
                    marking: &marking,
                    origin,
                    source: "shared",
                    date_added,
                };
                insert_row(conn, &row, true).await?;
            }
            date_added += 1;
        }
        Ok(())
    }
}

/// The ids the node derives for its own objects: the identities of its
/// members, its extension definitions, the TLP 2.0 definitions, and its
/// REL TO marking definitions (keyed: recognised by deriving the id from
/// the definition's own tokens). An object arriving with one of them is
/// not stored: otherwise a member could claim the id first and have its
/// copy served as the node's definition.
pub(crate) struct NodeOwn {
    ids: std::collections::BTreeSet<String>,
    marking_key: [u8; 32],
}

impl NodeOwn {
    pub(crate) async fn read(conn: &mut AnyConnection) -> Result<NodeOwn> {
        let codes: Vec<(String,)> = sqlx::query_as("SELECT code FROM members")
            .fetch_all(&mut *conn)
            .await?;
        Ok(NodeOwn {
            ids: coalesce_exchange::stix::node_derived_ids(
                codes.iter().map(|(c,)| c.as_str()),
                coalesce_domain::record::KIND_NAMES.iter().copied(),
            ),
            marking_key: marking_key(conn).await?,
        })
    }

    pub(crate) fn claims(&self, inc: &Incoming) -> bool {
        if self.ids.contains(&inc.id) {
            return true;
        }
        if inc.object_type != "marking-definition" {
            return false;
        }
        match stix_in::rel_to_in_definition(&inc.body) {
            Some(Ok(tokens)) => {
                let mut tokens: Vec<String> = tokens.iter().map(AudienceToken::as_string).collect();
                tokens.sort();
                coalesce_exchange::stix::rel_to_marking_id(&self.marking_key, &tokens) == inc.id
            }
            _ => false,
        }
    }
}

/// What the node's STIX objects are made with: member names, the node's
/// member, the key of REL TO marking-definition ids.
pub struct Projection {
    pub(crate) names: BTreeMap<String, String>,
    pub(crate) member: String,
    pub(crate) marking_key: [u8; 32],
}

impl Projection {
    pub fn node(&self) -> coalesce_exchange::stix::Node<'_> {
        coalesce_exchange::stix::Node {
            members: &self.names,
            member: &self.member,
            marking_key: &self.marking_key,
        }
    }
}

/// The node's key of REL TO marking-definition ids (made by migration 18).
pub(crate) async fn marking_key(conn: &mut AnyConnection) -> Result<[u8; 32]> {
    let (hex_key,): (String,) =
        sqlx::query_as("SELECT value FROM settings WHERE key = 'secret:stix_marking'")
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::Corrupt("the node has no STIX marking key".into()))?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(&hex_key, &mut key)
        .map_err(|e| StoreError::Corrupt(format!("STIX marking key: {e}")))?;
    Ok(key)
}

/// The member names, node member and marking key a projection needs.
pub(crate) async fn projection_context(
    conn: &mut AnyConnection,
    origin: &MemberCode,
) -> Result<Projection> {
    let (names, member) = projection_names(conn, origin).await?;
    Ok(Projection {
        names,
        member,
        marking_key: marking_key(conn).await?,
    })
}

async fn projection_names(
    conn: &mut AnyConnection,
    origin: &MemberCode,
) -> Result<(BTreeMap<String, String>, String)> {
    let names: Vec<(String, String)> =
        sqlx::query_as(
            "SELECT code, name FROM members WHERE code = $1 OR code IN (SELECT value FROM settings WHERE key = 'secretariat')",
        )
            .bind(origin.as_str())
            .fetch_all(&mut *conn)
            .await?;
    let node: Option<(String,)> =
        sqlx::query_as("SELECT value FROM settings WHERE key = 'secretariat'")
            .fetch_optional(&mut *conn)
            .await?;
    Ok((
        names.into_iter().collect(),
        node.map_or_else(|| origin.to_string(), |n| n.0),
    ))
}

/// Projects an entity record as it now is, in its one STIX form
/// (`EntityRecordKind`); a withdrawn entity revokes the object it was
/// shared as (see [`Store::project_stix`]).
pub(crate) async fn project_entity(
    conn: &mut AnyConnection,
    e: &Record<coalesce_domain::entity::EntityBody>,
    ctx: &Projection,
) -> Result<()> {
    let origin = MemberCode::parse(&e.origin)?;
    let mut objects = coalesce_exchange::stix::project_entity(e, &ctx.node());
    let source = format!("entity:{}", e.id);
    if objects.is_empty() && e.status == Status::Withdrawn {
        objects = revoked_latest(conn, &source, e.updated_at_ms).await?;
    }
    if objects.is_empty() {
        return Ok(());
    }
    Store::project_stix(conn, &source, &origin, objects).await
}

/// The STIX ids of entities, by coalesce id (those STIX has an object for).
async fn entity_refs(
    conn: &mut AnyConnection,
    ids: &[&str],
    covering: &std::collections::BTreeSet<AudienceToken>,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for id in ids {
        let row: Option<(String, Option<String>, String, String, String)> = sqlx::query_as(
            "SELECT kind, nationality, origin, tlp, rel_to FROM entities WHERE id = $1",
        )
        .bind(*id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((kind, nationality, origin, tlp, rel_to)) = row {
            // Only entities every reader of the referring object may read:
            // a reference to one outside their audience would tell them it
            // exists and tie the objects that name it together.
            let audience =
                marking_from_columns(&tlp, &rel_to)?.audience(&MemberCode::parse(&origin)?);
            let covered = audience.contains(&AudienceToken::Coalition)
                || covering.iter().all(|t| audience.contains(t));
            if !covered {
                continue;
            }
            let kind = coalesce_domain::reports::EntityKind::parse(&kind)?;
            if let Some(sid) =
                coalesce_exchange::stix::entity_stix_id(kind, nationality.as_deref(), id)
            {
                out.insert((*id).to_string(), sid);
            }
        }
    }
    Ok(out)
}

/// Projects a report record as it now is, in its one STIX form
/// (`ReportRecordKind`), referring to the linked entities that every one
/// of its readers may read (a withdrawn report is served revoked).
pub(crate) async fn project_report(
    conn: &mut AnyConnection,
    r: &Record<coalesce_domain::report_record::ReportBody>,
    ctx: &Projection,
) -> Result<()> {
    let origin = MemberCode::parse(&r.origin)?;
    let refs = coalesce_domain::report_record::ReportRecordKind::references(&r.body);
    let ids: Vec<&str> = refs.iter().map(|x| x.id.as_str()).collect();
    let stix_ids = entity_refs(conn, &ids, &r.marking.audience(&origin)).await?;
    let resolved: BTreeMap<Reference, String> = refs
        .into_iter()
        .filter_map(|x| stix_ids.get(&x.id).cloned().map(|s| (x, s)))
        .collect();
    let objects = coalesce_exchange::stix::project_report(r, &resolved, &ctx.node());
    Store::project_stix(conn, &format!("report:{}", r.id), &origin, objects).await
}

/// Projects a relationship record as it now is, in its one STIX form
/// (`RelationshipKind`). Its ends are referred to only when every reader
/// of the relationship may read them; without both there is no form, and a
/// withdrawn relationship then revokes the object it was shared as.
pub(crate) async fn project_relationship(
    conn: &mut AnyConnection,
    r: &Record<RelationshipBody>,
    ctx: &Projection,
) -> Result<()> {
    let origin = MemberCode::parse(&r.origin)?;
    let refs = RelationshipKind::references(&r.body);
    let ids: Vec<&str> = refs.iter().map(|x| x.id.as_str()).collect();
    let stix_ids = entity_refs(conn, &ids, &r.marking.audience(&origin)).await?;
    let resolved: BTreeMap<Reference, String> = refs
        .into_iter()
        .filter_map(|x| stix_ids.get(&x.id).cloned().map(|s| (x, s)))
        .collect();
    let mut objects = project_record_with::<RelationshipKind>(r, &ctx.node(), &resolved);
    let source = format!("relationship:{}", r.id);
    if objects.is_empty() && r.status == Status::Withdrawn {
        objects = revoked_latest(conn, &source, r.updated_at_ms).await?;
    }
    if objects.is_empty() {
        return Ok(());
    }
    Store::project_stix(conn, &source, &origin, objects).await
}

/// The latest object projected from `source`, revoked as of `at_ms`
/// (nothing when none was projected).
async fn revoked_latest(conn: &mut AnyConnection, source: &str, at_ms: i64) -> Result<Vec<Value>> {
    let held: Option<(String,)> = sqlx::query_as(
        "SELECT body FROM stix_objects WHERE source = $1 AND is_latest = 1 ORDER BY version_us DESC LIMIT 1",
    )
    .bind(source)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((body,)) = held else {
        return Ok(Vec::new());
    };
    let mut o: Value = serde_json::from_str(&body)
        .map_err(|e| StoreError::Corrupt(format!("stix object of {source}: {e}")))?;
    o["revoked"] = Value::Bool(true);
    o["modified"] = Value::String(coalesce_exchange::stix::timestamp(at_ms));
    Ok(vec![o])
}
