//! Entities (people, organisations, vessels, places) and the relationships
//! between them (records of the record layer, `RelationshipKind`): marked
//! records with kept versions, origin-only changes,
//! audited AMBER/RED reads, `NotFound` outside the audience; their search
//! documents and correlation keys. Reports, which link them, are in
//! `reports.rs`.

use crate::audience::{readable, rel_to_json};
use crate::needs::insert_version;
use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::records::{all_pages, RecordFilter};
use crate::reports::{corrupt, entity_from_row, ENTITY_COLUMNS, MAX_CANDIDATES, MAX_KEY_FREQUENCY};
use crate::search::SearchDoc;
use crate::{audience, audit, counts, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::record::{Record, RefTarget};
use coalesce_domain::relationship::{RelationshipBody, RelationshipKind, RelationshipType};
use coalesce_domain::reports::{Entity, EntityDraft, EntityKind};
use coalesce_domain::Marking;

/// The correlation keys of an entity: name-part skeletons of every name,
/// and exact identifiers.
fn entity_keys(d: &EntityDraft) -> Vec<String> {
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
        Self::check_writer(p)?;
        let mut w = self.begin_write().await?;
        let id = self.insert_entity(&mut w, p, d, at_ms).await?;
        w.commit().await?;
        self.fetch_entity(p, &id).await
    }

    /// Writes a new entity (audience, keys, search document, first kept
    /// version, audit entry) in the caller's transaction.
    pub(crate) async fn insert_entity(
        &self,
        w: &mut crate::WriteTx<'_>,
        p: &Principal,
        d: &EntityDraft,
        at_ms: i64,
    ) -> Result<String> {
        let id = new_id_at(at_ms);
        sqlx::query(
            "INSERT INTO entities (id, origin, kind, name, aliases, birth_date, nationality, documents, imo, mmsi, flag, \
             tlp, rel_to, version, withdrawn, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, 0, $14, $15, $14, $15)",
        )
        .bind(&id)
        .bind(p.member.as_str())
        .bind(d.kind.as_str())
        .bind(&d.name)
        .bind(serde_json::to_string(&d.aliases).map_err(|e| corrupt("aliases", e))?)
        .bind(d.birth_date.clone())
        .bind(d.nationality.clone())
        .bind(serde_json::to_string(&d.documents).map_err(|e| corrupt("documents", e))?)
        .bind(d.imo.clone())
        .bind(d.mmsi.clone())
        .bind(d.flag.clone())
        .bind(d.marking.tlp.as_str())
        .bind(rel_to_json(&d.marking))
        .bind(at_ms)
        .bind(p.username.as_str())
        .execute(&mut *w.tx)
        .await?;
        audience::set(&mut w.tx, &id, &d.marking, &p.member).await?;
        counts::adjust(&mut w.tx, &counts::ENTITY, &id, 1).await?;
        self.index_entity(w, &id, d, p.member.as_str(), at_ms)
            .await?;
        let snapshot = self.entity_of(&id, p, d, 1, at_ms, at_ms);
        insert_version(
            w,
            "entity_versions",
            "entity_id",
            &id,
            1,
            &snapshot,
            &d.marking,
            at_ms,
            p,
        )
        .await?;
        crate::stix::project_entity(&mut w.tx, &snapshot).await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "entity.create",
            &id,
            &serde_json::json!({ "kind": d.kind.as_str(), "marking": d.marking.banner(&p.member), "version": 1 }),
        )
        .await?;
        Ok(id)
    }

    fn entity_of(
        &self,
        id: &str,
        p: &Principal,
        d: &EntityDraft,
        version: i64,
        created: i64,
        updated: i64,
    ) -> Entity {
        Entity {
            id: id.to_string(),
            origin: p.member.to_string(),
            kind: d.kind,
            name: d.name.clone(),
            aliases: d.aliases.clone(),
            birth_date: d.birth_date.clone(),
            nationality: d.nationality.clone(),
            documents: d.documents.clone(),
            imo: d.imo.clone(),
            mmsi: d.mmsi.clone(),
            flag: d.flag.clone(),
            marking: d.marking.clone(),
            version,
            created_at_ms: created,
            created_by: p.username.to_string(),
            updated_at_ms: updated,
            updated_by: p.username.to_string(),
        }
    }

    /// Keys and search document of an entity (replacing any it had).
    pub(crate) async fn index_entity(
        &self,
        w: &mut crate::WriteTx<'_>,
        id: &str,
        d: &EntityDraft,
        origin: &str,
        at_ms: i64,
    ) -> Result<()> {
        sqlx::query("DELETE FROM entity_keys WHERE entity_id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        for k in entity_keys(d) {
            sqlx::query("INSERT INTO entity_keys (key, entity_id) VALUES ($1, $2)")
                .bind(k)
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
        }
        let mut text: Vec<&str> = d.aliases.iter().map(String::as_str).collect();
        text.extend(d.documents.iter().map(String::as_str));
        text.extend(d.imo.iter().map(String::as_str));
        text.extend(d.mmsi.iter().map(String::as_str));
        let doc = SearchDoc {
            record: "entity",
            kind: d.kind.as_str(),
            origin,
            line_of_effort: None,
            tlp: d.marking.tlp.as_str(),
            occurred_on: None,
            created_at: at_ms,
            title: &d.name,
            body: &text.join(" "),
        };
        self.index_doc(w, id, &doc).await
    }

    pub(crate) async fn fetch_entity(&self, p: &Principal, id: &str) -> Result<Entity> {
        let sql = format!(
            "SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.id = $2 AND e.withdrawn = 0 AND {}",
            readable("e.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        entity_from_row(&row)
    }

    /// Reads one entity (audited when AMBER or RED).
    pub async fn get_entity(&self, p: &Principal, id: &str) -> Result<Entity> {
        let e = self.fetch_entity(p, id).await?;
        self.audit_reads(p, "entity.read", id, [(&e.id, &e.marking)])
            .await?;
        Ok(e)
    }

    /// A new version of an entity (its origin's users only).
    pub async fn update_entity(
        &self,
        p: &Principal,
        id: &str,
        d: &EntityDraft,
        if_version: Option<i64>,
    ) -> Result<Entity> {
        Self::check_writer(p)?;
        let current = self.fetch_entity(p, id).await?;
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this entity",
                current.origin
            )));
        }
        if current.kind != d.kind {
            return Err(StoreError::conflict(
                crate::ConflictCode::ImmutableField,
                "an entity's kind does not change",
            ));
        }
        if let Some(v) = if_version {
            if v != current.version {
                return Err(StoreError::stale("entity", current.version, v));
            }
        }
        let now = now_ms();
        let version = current.version + 1;
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE entities SET name = $1, aliases = $2, birth_date = $3, nationality = $4, documents = $5, imo = $6, \
             mmsi = $7, flag = $8, tlp = $9, rel_to = $10, version = $11, updated_at = $12, updated_by = $13 \
             WHERE id = $14 AND version = $15",
        )
        .bind(&d.name)
        .bind(serde_json::to_string(&d.aliases).map_err(|e| corrupt("aliases", e))?)
        .bind(d.birth_date.clone())
        .bind(d.nationality.clone())
        .bind(serde_json::to_string(&d.documents).map_err(|e| corrupt("documents", e))?)
        .bind(d.imo.clone())
        .bind(d.mmsi.clone())
        .bind(d.flag.clone())
        .bind(d.marking.tlp.as_str())
        .bind(rel_to_json(&d.marking))
        .bind(version)
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(current.version)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("entity"));
        }
        counts::adjust(&mut w.tx, &counts::ENTITY, id, -1).await?;
        audience::set(&mut w.tx, id, &d.marking, &p.member).await?;
        counts::adjust(&mut w.tx, &counts::ENTITY, id, 1).await?;
        self.index_entity(&mut w, id, d, p.member.as_str(), current.created_at_ms)
            .await?;
        let snapshot = self.entity_of(id, p, d, version, current.created_at_ms, now);
        insert_version(
            &mut w,
            "entity_versions",
            "entity_id",
            id,
            version,
            &snapshot,
            &d.marking,
            now,
            p,
        )
        .await?;
        crate::stix::project_entity(&mut w.tx, &snapshot).await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "entity.update",
            id,
            &serde_json::json!({ "marking": d.marking.banner(&p.member), "version": version }),
        )
        .await?;
        w.commit().await?;
        self.fetch_entity(p, id).await
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
            "SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.withdrawn = 0 AND ($2 = '' OR e.id < $2) AND ($3 = '' OR e.kind = $3) \
             AND {} ORDER BY e.id DESC LIMIT $4",
            readable("e.id", "$1")
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
        counts::count(self.pool(), p, &counts::ENTITY).await
    }

    /// Other entities the viewer may read that share a correlation key
    /// with this one (a name-part skeleton or an identifier), at most
    /// [`MAX_CANDIDATES`], most shared keys first. Keys shared by very many
    /// entities are left out of the lookup. No all-pairs table: each
    /// lookup is an index range scan per key.
    pub async fn correlation_candidates(&self, p: &Principal, id: &str) -> Result<Vec<Entity>> {
        let focal = self.fetch_entity(p, id).await?;
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, hits.n FROM entities e JOIN ( \
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
