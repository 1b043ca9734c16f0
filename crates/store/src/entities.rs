//! Entities (people, organisations, vessels, places) and the relationships
//! between them: both records of the record layer (`EntityRecordKind`,
//! `RelationshipKind`), so marked, versioned, changed only by their origin,
//! audited when AMBER/RED is read, `NotFound` outside the audience. Here:
//! the entity as callers see it, what its writes also keep (correlation keys
//! and search document, run by the layer's hook), its list by kind and its
//! correlation candidates, which read the `entities` view of the layer's
//! rows (typed columns to filter and join on). Reports, which link
//! entities, are in `reports.rs`.

use crate::audience::readable;
use crate::records::{all_pages, checked, parse_cursor, Page, RecordFilter, MAX_PAGE};
use crate::reports::{entity_from_row, ENTITY_COLUMNS, MAX_CANDIDATES, MAX_KEY_FREQUENCY};
use crate::search::SearchDoc;
use crate::{now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::entity::{EntityBody, EntityRecordKind};
use coalesce_domain::record::{Record, RefTarget, Status};
use coalesce_domain::relationship::{RelationshipBody, RelationshipKind, RelationshipType};
use coalesce_domain::reports::{Entity, EntityDraft, EntityKind};
use coalesce_domain::Marking;

/// The correlation keys of an entity: name-part skeletons of every name,
/// and exact identifiers.
fn entity_keys(d: &EntityBody) -> Vec<String> {
    let mut keys: Vec<String> = d
        .names()
        .flat_map(coalesce_screen::name_keys)
        .map(|k| format!("n:{k}"))
        .collect();
    keys.extend(
        d.documents
            .iter()
            .map(|x| format!("doc:{}", x.to_uppercase().replace([' ', '-'], ""))),
    );
    keys.extend(d.imo.iter().map(|x| format!("imo:{x}")));
    keys.extend(d.mmsi.iter().map(|x| format!("mmsi:{x}")));
    keys.sort();
    keys.dedup();
    keys
}

/// Keys and search document of an entity as written (replacing any it
/// had, unless it was `created` in this transaction); a withdrawn entity
/// has neither.
pub(crate) async fn index_entity(
    w: &mut crate::WriteTx<'_>,
    e: &Record<EntityBody>,
    created: bool,
) -> Result<()> {
    if !created {
        sqlx::query("DELETE FROM entity_keys WHERE entity_id = $1")
            .bind(&e.id)
            .execute(&mut *w.tx)
            .await?;
    }
    if e.status == Status::Withdrawn {
        return crate::search::unindex_doc(w, &e.id).await;
    }
    let keys: Vec<Vec<crate::bulk::Arg>> = entity_keys(&e.body)
        .into_iter()
        .map(|k| {
            vec![
                crate::bulk::Arg::Text(k),
                crate::bulk::Arg::Text(e.id.clone()),
            ]
        })
        .collect();
    crate::bulk::insert_rows(&mut w.tx, "entity_keys (key, entity_id)", &keys).await?;
    let d = &e.body;
    let mut text: Vec<&str> = d.aliases.iter().map(String::as_str).collect();
    text.extend(d.documents.iter().map(String::as_str));
    text.extend(d.imo.iter().map(String::as_str));
    text.extend(d.mmsi.iter().map(String::as_str));
    let doc = SearchDoc {
        record: "entity",
        kind: d.kind.as_str(),
        origin: &e.origin,
        line_of_effort: None,
        tlp: e.marking.tlp.as_str(),
        occurred_on: None,
        created_at: e.created_at_ms,
        title: &d.name,
        body: &text.join(" "),
    };
    crate::search::index_doc(w, &e.id, &doc, created).await
}

impl Store {
    // ----- entities -----------------------------------------------------

    pub async fn create_entity(&self, p: &Principal, d: &EntityDraft) -> Result<Entity> {
        self.create_entity_at(p, d, now_ms()).await
    }

    pub async fn create_entity_at(
        &self,
        p: &Principal,
        d: &EntityDraft,
        at_ms: i64,
    ) -> Result<Entity> {
        self.create_record_at::<EntityRecordKind>(p, d.body(), d.marking.clone(), at_ms)
            .await
            .map(Entity::from_record)
    }

    /// Writes new entities in the caller's transaction (a report and the
    /// entities it names go in together); their ids, in order.
    pub(crate) async fn insert_entities(
        &self,
        w: &mut crate::WriteTx<'_>,
        p: &Principal,
        drafts: &[EntityDraft],
        at_ms: i64,
    ) -> Result<Vec<String>> {
        if drafts.is_empty() {
            return Ok(Vec::new());
        }
        let items = checked::<EntityRecordKind>(
            p,
            drafts
                .iter()
                .map(|d| (d.body(), d.marking.clone()))
                .collect(),
        )?;
        let node = self.node_id().await?;
        let written = self
            .create_in::<EntityRecordKind>(w, &node, p, items, at_ms)
            .await?;
        Ok(written.into_iter().map(|r| r.id).collect())
    }

    /// A live entity the viewer may read; no audit entry.
    pub(crate) async fn fetch_entity_record(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Record<EntityBody>> {
        let r = self.fetch_record::<EntityRecordKind>(p, id).await?;
        if r.status == Status::Withdrawn {
            return Err(StoreError::NotFound);
        }
        Ok(r)
    }

    pub(crate) async fn fetch_entity(&self, p: &Principal, id: &str) -> Result<Entity> {
        self.fetch_entity_record(p, id)
            .await
            .map(Entity::from_record)
    }

    /// Reads one live entity (audited when AMBER or RED).
    pub async fn get_entity(&self, p: &Principal, id: &str) -> Result<Entity> {
        let r = self.get_record::<EntityRecordKind>(p, id).await?;
        if r.status == Status::Withdrawn {
            return Err(StoreError::NotFound);
        }
        Ok(Entity::from_record(r))
    }

    /// The kept versions of a live entity the viewer may read (each
    /// version's own marking decides), each as the entity was.
    pub async fn entity_versions(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<crate::needs::RecordVersion>> {
        let e = self.fetch_entity_record(p, id).await?;
        self.record_versions::<EntityRecordKind>(p, id)
            .await?
            .into_iter()
            .map(|v| {
                let was = Entity::from_record(Record {
                    version: v.version,
                    status: v.status,
                    marking: v.marking.clone(),
                    body: v.body,
                    updated_at_ms: v.at_ms,
                    updated_by: v.author.clone(),
                    seq: v.seq,
                    ..e.clone()
                });
                Ok(crate::needs::RecordVersion {
                    version: v.version,
                    snapshot: serde_json::to_value(&was)
                        .map_err(|x| StoreError::Corrupt(format!("entity version: {x}")))?,
                    marking: v.marking,
                    updated_at_ms: v.at_ms,
                    updated_by: v.author,
                })
            })
            .collect()
    }

    /// A new version of an entity (its origin's users only; its kind does
    /// not change).
    pub async fn update_entity(
        &self,
        p: &Principal,
        id: &str,
        d: &EntityDraft,
        if_version: Option<i64>,
    ) -> Result<Entity> {
        self.change_record::<EntityRecordKind>(p, id, d.body(), d.marking.clone(), if_version)
            .await
            .map(Entity::from_record)
    }

    /// Entities the viewer may read, newest first, optionally of one kind.
    pub async fn list_entities(
        &self,
        p: &Principal,
        kind: Option<EntityKind>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Entity>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, e.retain_until, e.purged_on FROM entities e WHERE e.status = 'live' AND ($2 = '' OR e.id < $2) AND ($3 = '' OR e.kind = $3) \
             AND {} ORDER BY e.id DESC LIMIT $4",
            crate::audience::readable_row_by_row("e.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(cursor.unwrap_or_default())
            .bind(kind.map(EntityKind::as_str).unwrap_or_default())
            .bind(limit + 1)
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(entity_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = crate::needs::page_next(&mut items, limit, |e| e.id.clone());
        self.audit_reads(
            p,
            "entity.read",
            "list",
            items.iter().map(|e| (&e.id, &e.marking)),
        )
        .await?;
        Ok(Page { items, next })
    }

    pub async fn count_entities(&self, p: &Principal) -> Result<i64> {
        self.count_records::<EntityRecordKind>(p).await
    }

    /// Other entities the viewer may read that share a correlation key
    /// with this one (a name-part skeleton or an identifier), at most
    /// [`MAX_CANDIDATES`], most shared keys first. Keys shared by very many
    /// entities are left out of the lookup. No all-pairs table: each
    /// lookup is an index range scan per key.
    pub async fn correlation_candidates(&self, p: &Principal, id: &str) -> Result<Vec<Entity>> {
        let focal = self.fetch_entity(p, id).await?;
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, e.retain_until, e.purged_on, hits.n FROM entities e JOIN ( \
               SELECT k2.entity_id AS eid, COUNT(*) AS n FROM entity_keys k1 \
               JOIN entity_keys k2 ON k2.key = k1.key AND k2.entity_id <> k1.entity_id \
               WHERE k1.entity_id = $2 AND (SELECT COUNT(*) FROM entity_keys k3 WHERE k3.key = k1.key) <= $3 \
               GROUP BY k2.entity_id) hits ON hits.eid = e.id \
             WHERE e.withdrawn = 0 AND e.kind = $4 AND {} ORDER BY hits.n DESC, e.id DESC LIMIT $5",
            readable("e.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .bind(MAX_KEY_FREQUENCY)
            .bind(focal.kind.as_str())
            .bind(MAX_CANDIDATES)
            .fetch_all(self.pool())
            .await?;
        let items = rows
            .iter()
            .map(entity_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.audit_reads(
            p,
            "entity.read",
            "correlation",
            items.iter().map(|e| (&e.id, &e.marking)),
        )
        .await?;
        Ok(items)
    }

    // ----- relationships ------------------------------------------------

    /// Records that one entity relates to another (both readable by the
    /// recording member): a record of the layer.
    pub async fn relate(
        &self,
        p: &Principal,
        from: &str,
        to: &str,
        kind: RelationshipType,
        note: &str,
        marking: &Marking,
    ) -> Result<Record<RelationshipBody>> {
        let body = RelationshipBody {
            from: from.to_string(),
            to: to.to_string(),
            relationship_type: kind,
            note: note.to_string(),
        };
        self.create_record::<RelationshipKind>(p, body, marking.clone())
            .await
    }

    /// Live relationships of an entity the viewer may read (the
    /// relationship and both its ends readable), oldest first.
    pub async fn relationships_of(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<Record<RelationshipBody>>> {
        self.fetch_entity(p, id).await?;
        let filter = RecordFilter {
            origin: None,
            refers_to: Some((RefTarget::Entity, id.to_string())),
        };
        let mut out = all_pages(|cursor| {
            let filter = &filter;
            async move {
                self.list_records::<RelationshipKind>(p, filter, cursor.as_deref(), MAX_PAGE)
                    .await
            }
        })
        .await?;
        out.reverse();
        Ok(out)
    }
}

/// Moves the entities of a database written before migration 23 onto the
/// record layer: every kept version (its snapshot's particulars, under the
/// marking it had), then the old tables go, and every live entity is
/// indexed and projected in its one STIX form again. In the migration's
/// transaction; returns how many entities.
pub(crate) async fn move_legacy_entities(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    use crate::records::legacy::{legacy_versions, move_and_drop, LegacyRecord, LegacyVersion};
    use coalesce_domain::MemberCode;
    let mut versions =
        legacy_versions::<LegacySnapshot>(&mut w.tx, "legacy_entity_versions", "entity_id").await?;
    // The entity row is its current version: kept versions before it come
    // from the versions table (a row written without one still moves).
    let sql = format!(
        "SELECT {ENTITY_COLUMNS}, e.withdrawn FROM legacy_entities e ORDER BY e.created_at, e.id"
    );
    let mut legacy = Vec::new();
    for row in sqlx::query(&sql).fetch_all(&mut *w.tx).await? {
        let e = entity_from_row(&row)?;
        let withdrawn: i64 = sqlx::Row::try_get(&row, "withdrawn")?;
        let mut kept: Vec<LegacyVersion<EntityBody>> = versions
            .remove(&e.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|v| v.version < e.version)
            .map(|v| v.into_version(|s| (false, s.into())))
            .collect();
        kept.push(LegacyVersion {
            version: e.version,
            status: coalesce_domain::record::Status::Live,
            body: e.body(),
            marking: e.marking.clone(),
            author: e.updated_by.clone(),
            at_ms: e.updated_at_ms,
        });
        legacy.push(LegacyRecord {
            origin: MemberCode::parse(&e.origin)?,
            id: e.id,
            created_at_ms: e.created_at_ms,
            created_by: e.created_by,
            withdrawn: withdrawn != 0,
            versions: kept,
        });
    }
    move_and_drop::<EntityRecordKind>(w, legacy, "legacy_entity_versions", "legacy_entities").await
}

/// An entity version's snapshot as the old tables kept it (the whole
/// entity; its particulars are what moves).
#[derive(serde::Deserialize)]
struct LegacySnapshot {
    kind: EntityKind,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    birth_date: Option<String>,
    nationality: Option<String>,
    #[serde(default)]
    documents: Vec<String>,
    imo: Option<String>,
    mmsi: Option<String>,
    flag: Option<String>,
}

impl From<LegacySnapshot> for EntityBody {
    fn from(s: LegacySnapshot) -> Self {
        EntityBody {
            kind: s.kind,
            name: s.name,
            aliases: s.aliases,
            birth_date: s.birth_date,
            nationality: s.nationality,
            documents: s.documents,
            imo: s.imo,
            mmsi: s.mmsi,
            flag: s.flag,
            retain_until: None,
            purged_on: None,
        }
    }
}
