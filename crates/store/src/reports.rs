//! Reports, entities and relationships (issue 6): marked records like
//! notes — audience rows, kept versions, origin-only changes, audited
//! AMBER/RED reads, `NotFound` outside the audience — plus the search index
//! (SQLite FTS5, PostgreSQL tsvector) and the correlation keys of entities.
//!
//! Every read here filters through [`crate::audience::readable`]: a report's
//! links to entities are shown only where the reader may read the entity
//! too, search returns only readable documents, and correlation candidates
//! are only readable entities.

use crate::audience::{marking_from_columns, readable, rel_to_json};
use crate::needs::insert_version;
use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::{audience, audit, counts, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::reports::{
    Entity, EntityDraft, EntityKind, EntityLink, RelationshipKind, Report, ReportDraft, ReportKind,
};
use coalesce_domain::Marking;
use serde::Serialize;
use sqlx::Row;

pub(crate) use crate::search::{SearchDoc, NATIVE_BM25_MAX_MATCHES};
pub use crate::search::{
    SearchFilter, SearchHit, COMMON_WORDS_FROM, COMMON_WORD_SHARE, SEARCH_WINDOW,
};

const ENTITY_COLUMNS: &str = "e.id, e.origin, e.kind, e.name, e.aliases, e.birth_date, e.nationality, e.documents, e.imo, e.mmsi, \
     e.flag, e.tlp, e.rel_to, e.version, e.created_at, e.created_by, e.updated_at, e.updated_by";
const REPORT_COLUMNS: &str =
    "r.id, r.origin, r.kind, r.title, r.body, r.line_of_effort, r.occurred_on, r.tlp, r.rel_to, r.details, \
     r.version, r.withdrawn, r.created_at, r.created_by, r.updated_at, r.updated_by";

/// How many correlation candidates one entity considers at most.
pub const MAX_CANDIDATES: i64 = 200;
/// A name key shared by more entities than this is too common to find
/// candidates by (like "mhmd"): other keys of the name must do.
const MAX_KEY_FREQUENCY: i64 = 2_000;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn json_list(r: &sqlx::any::AnyRow, col: &str) -> Result<Vec<String>> {
    serde_json::from_str(&r.try_get::<String, _>(col)?).map_err(|e| corrupt(col, e))
}

fn entity_from_row(r: &sqlx::any::AnyRow) -> Result<Entity> {
    Ok(Entity {
        id: r.try_get("id")?,
        origin: r.try_get("origin")?,
        kind: EntityKind::parse(&r.try_get::<String, _>("kind")?)
            .map_err(|e| corrupt("kind", e))?,
        name: r.try_get("name")?,
        aliases: json_list(r, "aliases")?,
        birth_date: r.try_get("birth_date")?,
        nationality: r.try_get("nationality")?,
        documents: json_list(r, "documents")?,
        imo: r.try_get("imo")?,
        mmsi: r.try_get("mmsi")?,
        flag: r.try_get("flag")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        version: r.try_get("version")?,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

fn details_json(d: &coalesce_domain::reports::ReportDetails) -> Result<String> {
    serde_json::to_string(d).map_err(|e| corrupt("details", e))
}

fn relationship_from_row(r: &sqlx::any::AnyRow) -> Result<Relationship> {
    Ok(Relationship {
        id: r.try_get("id")?,
        origin: r.try_get("origin")?,
        from_entity: r.try_get("from_entity")?,
        to_entity: r.try_get("to_entity")?,
        kind: RelationshipKind::parse(&r.try_get::<String, _>("kind")?)
            .map_err(|e| corrupt("kind", e))?,
        note: r.try_get("note")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// Projects into the STIX object store every entity, report and
/// relationship that has no projection yet (a database written before the
/// store existed). System-wide, in the caller's transaction; returns how
/// many records it projected.
pub(crate) async fn backfill_stix(conn: &mut sqlx::AnyConnection) -> Result<usize> {
    let missing = |prefix: &str, alias: &str| {
        format!(
            "NOT EXISTS (SELECT 1 FROM stix_objects s WHERE s.source = '{prefix}:' || {alias}.id)"
        )
    };
    let mut n = 0;
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entities e WHERE e.withdrawn = 0 AND {} ORDER BY e.id",
        missing("entity", "e")
    );
    for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        crate::stix::project_entity(conn, &entity_from_row(&row)?).await?;
        n += 1;
    }
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE {} ORDER BY r.id",
        missing("report", "r")
    );
    for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        crate::stix::project_report(conn, &report_from_row(&row)?).await?;
        n += 1;
    }
    let sql = format!(
        "SELECT x.id, x.origin, x.from_entity, x.to_entity, x.kind, x.note, x.tlp, x.rel_to, x.created_at, x.created_by \
         FROM relationships x WHERE {} ORDER BY x.id",
        missing("relationship", "x")
    );
    for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        crate::stix::project_relationship(conn, &relationship_from_row(&row)?).await?;
        n += 1;
    }
    Ok(n)
}

fn report_from_row(r: &sqlx::any::AnyRow) -> Result<Report> {
    Ok(Report {
        id: r.try_get("id")?,
        origin: r.try_get("origin")?,
        kind: ReportKind::parse(&r.try_get::<String, _>("kind")?)
            .map_err(|e| corrupt("kind", e))?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        line_of_effort: r.try_get("line_of_effort")?,
        occurred_on: r.try_get("occurred_on")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        entities: Vec::new(),
        details: serde_json::from_str(&r.try_get::<String, _>("details")?)
            .map_err(|e| corrupt("details", e))?,
        version: r.try_get("version")?,
        withdrawn: r.try_get::<i64, _>("withdrawn")? != 0,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relationship {
    pub id: String,
    pub origin: String,
    pub from_entity: String,
    pub to_entity: String,
    pub kind: RelationshipKind,
    pub note: String,
    pub marking: Marking,
    pub created_at_ms: i64,
    pub created_by: String,
}

impl Store {
    fn check_writer(p: &Principal) -> Result<()> {
        if p.role.can_write_records() {
            Ok(())
        } else {
            Err(StoreError::Forbidden(
                "viewers cannot change records".into(),
            ))
        }
    }

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
    async fn insert_entity(
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
        self.index_entity(w, &id, d, p, at_ms).await?;
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
    async fn index_entity(
        &self,
        w: &mut crate::WriteTx<'_>,
        id: &str,
        d: &EntityDraft,
        p: &Principal,
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
            origin: p.member.as_str(),
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
        self.index_entity(&mut w, id, d, p, current.created_at_ms)
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
    /// recording member).
    pub async fn relate(
        &self,
        p: &Principal,
        from: &str,
        to: &str,
        kind: RelationshipKind,
        note: &str,
        marking: &Marking,
    ) -> Result<Relationship> {
        Self::check_writer(p)?;
        let note = coalesce_domain::text::body("note", note, 5_000)?;
        for e in [from, to] {
            self.fetch_entity(p, e).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::BadRequest("unknown entity".into()),
                other => other,
            })?;
        }
        if from == to {
            return Err(StoreError::BadRequest(
                "an entity is not related to itself".into(),
            ));
        }
        let now = now_ms();
        let id = new_id_at(now);
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO relationships (id, origin, from_entity, to_entity, kind, note, tlp, rel_to, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(p.member.as_str())
        .bind(from)
        .bind(to)
        .bind(kind.as_str())
        .bind(&note)
        .bind(marking.tlp.as_str())
        .bind(rel_to_json(marking))
        .bind(now)
        .bind(p.username.as_str())
        .execute(&mut *w.tx)
        .await?;
        audience::set(&mut w.tx, &id, marking, &p.member).await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "relationship.create",
            &id,
            &serde_json::json!({ "from": from, "to": to, "kind": kind.as_str(), "marking": marking.banner(&p.member) }),
        )
        .await?;
        let x = Relationship {
            id,
            origin: p.member.to_string(),
            from_entity: from.into(),
            to_entity: to.into(),
            kind,
            note,
            marking: marking.clone(),
            created_at_ms: now,
            created_by: p.username.to_string(),
        };
        crate::stix::project_relationship(&mut w.tx, &x).await?;
        w.commit().await?;
        Ok(x)
    }

    /// Relationships of an entity the viewer may read (the relationship
    /// and the entity at its other end both readable).
    pub async fn relationships_of(&self, p: &Principal, id: &str) -> Result<Vec<Relationship>> {
        self.fetch_entity(p, id).await?;
        let sql = format!(
            "SELECT x.id, x.origin, x.from_entity, x.to_entity, x.kind, x.note, x.tlp, x.rel_to, x.created_at, x.created_by \
             FROM relationships x WHERE (x.from_entity = $2 OR x.to_entity = $2) AND {} AND {} AND {} ORDER BY x.id",
            readable("x.id", "$1"),
            readable("x.from_entity", "$1"),
            readable("x.to_entity", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        let out = rows
            .iter()
            .map(relationship_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.audit_reads(
            p,
            "relationship.read",
            id,
            out.iter().map(|x| (&x.id, &x.marking)),
        )
        .await?;
        Ok(out)
    }

    // ----- reports ------------------------------------------------------

    /// Every linked entity must be one the recording member may read.
    async fn check_report_refs(&self, p: &Principal, d: &ReportDraft) -> Result<()> {
        if let Some(loe) = &d.line_of_effort {
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM lines_of_effort WHERE slug = $1")
                    .bind(loe.as_str())
                    .fetch_one(self.pool())
                    .await?;
            if n == 0 {
                return Err(StoreError::BadRequest(format!(
                    "unknown line of effort {loe}"
                )));
            }
        }
        for l in &d.entities {
            if parse_cursor(&l.entity_id).is_err() {
                return Err(StoreError::BadRequest(format!(
                    "unknown entity {}",
                    l.entity_id
                )));
            }
            self.fetch_entity(p, &l.entity_id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => {
                        StoreError::BadRequest(format!("unknown entity {}", l.entity_id))
                    }
                    other => other,
                })?;
        }
        Ok(())
    }

    pub async fn create_report(&self, p: &Principal, d: &ReportDraft) -> Result<Report> {
        self.create_report_at(p, d, now_ms()).await
    }

    pub async fn create_report_at(
        &self,
        p: &Principal,
        d: &ReportDraft,
        at_ms: i64,
    ) -> Result<Report> {
        self.create_report_with_entities(p, d, &[], at_ms).await
    }

    /// Files a report together with new entities it links to (each with its
    /// role), all in one transaction: nothing is half-written.
    pub async fn create_report_with_entities(
        &self,
        p: &Principal,
        d: &ReportDraft,
        new_entities: &[(EntityDraft, String)],
        at_ms: i64,
    ) -> Result<Report> {
        Self::check_writer(p)?;
        self.check_report_refs(p, d).await?;
        let id = new_id_at(at_ms);
        let mut w = self.begin_write().await?;
        let mut d = d.clone();
        for (e, role) in new_entities {
            let eid = self.insert_entity(&mut w, p, e, at_ms).await?;
            let role = coalesce_domain::text::required_line(
                "entities.role",
                if role.trim().is_empty() {
                    "subject"
                } else {
                    role
                },
                64,
            )?;
            d.entities.push(EntityLink {
                entity_id: eid,
                role,
            });
        }
        let d = &d;
        sqlx::query(
            "INSERT INTO reports (id, origin, kind, title, body, line_of_effort, occurred_on, tlp, rel_to, version, withdrawn, \
             created_at, created_by, updated_at, updated_by, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, 0, $10, $11, $10, $11, $12)",
        )
        .bind(&id)
        .bind(p.member.as_str())
        .bind(d.kind.as_str())
        .bind(&d.title)
        .bind(&d.body)
        .bind(d.line_of_effort.as_ref().map(|s| s.to_string()))
        .bind(d.occurred_on.clone())
        .bind(d.marking.tlp.as_str())
        .bind(rel_to_json(&d.marking))
        .bind(at_ms)
        .bind(p.username.as_str())
        .bind(details_json(&d.details)?)
        .execute(&mut *w.tx)
        .await?;
        self.write_report_parts(&mut w, &id, d, p, 1, at_ms, at_ms)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "report.create",
            &id,
            &serde_json::json!({ "kind": d.kind.as_str(), "marking": d.marking.banner(&p.member), "version": 1 }),
        )
        .await?;
        w.commit().await?;
        self.fetch_report(p, &id).await
    }

    /// Audience, links, search document and kept version of a report.
    #[allow(clippy::too_many_arguments)]
    async fn write_report_parts(
        &self,
        w: &mut crate::WriteTx<'_>,
        id: &str,
        d: &ReportDraft,
        p: &Principal,
        version: i64,
        created: i64,
        updated: i64,
    ) -> Result<()> {
        audience::set(&mut w.tx, id, &d.marking, &p.member).await?;
        counts::adjust(&mut w.tx, &counts::REPORT, id, 1).await?;
        sqlx::query("DELETE FROM report_entities WHERE report_id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        for l in &d.entities {
            sqlx::query(
                "INSERT INTO report_entities (report_id, entity_id, role) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(&l.entity_id)
            .bind(&l.role)
            .execute(&mut *w.tx)
            .await?;
        }
        let loe = d.line_of_effort.as_ref().map(|s| s.to_string());
        // The details' words (countries, commodity, narratives…) are found too.
        let indexed_body = if d.details.is_empty() {
            d.body.clone()
        } else {
            format!("{}\n{}", d.body, d.details.search_text())
        };
        let doc = SearchDoc {
            record: "report",
            kind: d.kind.as_str(),
            origin: p.member.as_str(),
            line_of_effort: loe.as_deref(),
            tlp: d.marking.tlp.as_str(),
            occurred_on: d.occurred_on.as_deref(),
            created_at: created,
            title: &d.title,
            body: &indexed_body,
        };
        self.index_doc(w, id, &doc).await?;
        let snapshot = Report {
            id: id.to_string(),
            origin: p.member.to_string(),
            kind: d.kind,
            title: d.title.clone(),
            body: d.body.clone(),
            line_of_effort: loe,
            occurred_on: d.occurred_on.clone(),
            marking: d.marking.clone(),
            entities: d.entities.clone(),
            details: d.details.clone(),
            version,
            withdrawn: false,
            created_at_ms: created,
            created_by: p.username.to_string(),
            updated_at_ms: updated,
            updated_by: p.username.to_string(),
        };
        insert_version(
            w,
            "report_versions",
            "report_id",
            id,
            version,
            &snapshot,
            &d.marking,
            updated,
            p,
        )
        .await?;
        crate::stix::project_report(&mut w.tx, &snapshot).await
    }

    /// A new version of a report (origin's users only).
    pub async fn update_report(
        &self,
        p: &Principal,
        id: &str,
        d: &ReportDraft,
        if_version: Option<i64>,
    ) -> Result<Report> {
        Self::check_writer(p)?;
        let current = self.fetch_report(p, id).await?;
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this report",
                current.origin
            )));
        }
        if let Some(v) = if_version {
            if v != current.version {
                return Err(StoreError::stale("report", current.version, v));
            }
        }
        self.check_report_refs(p, d).await?;
        let now = now_ms();
        let version = current.version + 1;
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE reports SET kind = $1, title = $2, body = $3, line_of_effort = $4, occurred_on = $5, tlp = $6, rel_to = $7, \
             version = $8, updated_at = $9, updated_by = $10, details = $13 WHERE id = $11 AND version = $12 AND withdrawn = 0",
        )
        .bind(d.kind.as_str())
        .bind(&d.title)
        .bind(&d.body)
        .bind(d.line_of_effort.as_ref().map(|s| s.to_string()))
        .bind(d.occurred_on.clone())
        .bind(d.marking.tlp.as_str())
        .bind(rel_to_json(&d.marking))
        .bind(version)
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(current.version)
        .bind(details_json(&d.details)?)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("report"));
        }
        // Its readers' counts are taken back before its audience changes.
        counts::adjust(&mut w.tx, &counts::REPORT, id, -1).await?;
        self.write_report_parts(&mut w, id, d, p, version, current.created_at_ms, now)
            .await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "report.update",
            id,
            &serde_json::json!({ "marking": d.marking.banner(&p.member), "version": version }),
        )
        .await?;
        w.commit().await?;
        self.fetch_report(p, id).await
    }

    /// Withdraws a report: a new version whose state is withdrawn; it
    /// leaves every list and the search index, and its versions are kept.
    /// The current version is read under the write lock, so a change racing
    /// the withdrawal either lands before it (and is withdrawn with it) or
    /// finds it withdrawn.
    pub async fn withdraw_report(&self, p: &Principal, id: &str) -> Result<()> {
        Self::check_writer(p)?;
        let mut w = self.begin_write().await?;
        let current = self.fetch_report(p, id).await?;
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} withdraw this report",
                current.origin
            )));
        }
        let now = now_ms();
        let version = current.version + 1;
        let done = sqlx::query(
            "UPDATE reports SET withdrawn = 1, version = $4, updated_at = $1, updated_by = $2 \
             WHERE id = $3 AND version = $5 AND withdrawn = 0",
        )
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(version)
        .bind(current.version)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("report"));
        }
        counts::adjust(&mut w.tx, &counts::REPORT, id, -1).await?;
        self.unindex_doc(&mut w, id).await?;
        // TAXII readers see the withdrawal as a revoked version.
        let revoked = Report {
            withdrawn: true,
            version,
            updated_at_ms: now,
            updated_by: p.username.to_string(),
            ..current.clone()
        };
        insert_version(
            &mut w,
            "report_versions",
            "report_id",
            id,
            version,
            &revoked,
            &revoked.marking,
            now,
            p,
        )
        .await?;
        crate::stix::project_report(&mut w.tx, &revoked).await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "report.withdraw",
            id,
            &serde_json::json!({ "version": version }),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    async fn fetch_report(&self, p: &Principal, id: &str) -> Result<Report> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports r WHERE r.id = $2 AND r.withdrawn = 0 AND {}",
            readable("r.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut r = report_from_row(&row)?;
        r.entities = self.report_links(p, id).await?;
        Ok(r)
    }

    /// A report's links to entities the viewer may read.
    async fn report_links(&self, p: &Principal, id: &str) -> Result<Vec<EntityLink>> {
        let sql = format!(
            "SELECT re.entity_id, re.role FROM report_entities re JOIN entities e ON e.id = re.entity_id \
             WHERE re.report_id = $2 AND e.withdrawn = 0 AND {} ORDER BY re.role, re.entity_id",
            readable("re.entity_id", "$1")
        );
        let rows: Vec<(String, String)> = sqlx::query_as(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(entity_id, role)| EntityLink { entity_id, role })
            .collect())
    }

    /// Reads one report (audited when AMBER or RED).
    pub async fn get_report(&self, p: &Principal, id: &str) -> Result<Report> {
        let r = self.fetch_report(p, id).await?;
        self.audit_reads(p, "report.read", id, [(&r.id, &r.marking)])
            .await?;
        Ok(r)
    }

    /// Reports the viewer may read, newest first, optionally of one kind
    /// or about one entity.
    pub async fn list_reports(
        &self,
        p: &Principal,
        kind: Option<ReportKind>,
        about_entity: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Report>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports r WHERE r.withdrawn = 0 AND ($2 = '' OR r.id < $2) AND ($3 = '' OR r.kind = $3) \
             AND ($4 = '' OR EXISTS (SELECT 1 FROM report_entities re JOIN entities e ON e.id = re.entity_id \
                  WHERE re.report_id = r.id AND re.entity_id = $4 AND e.withdrawn = 0 AND {})) \
             AND {} ORDER BY r.id DESC LIMIT $5",
            // The entity filtered on must be readable too: otherwise the
            // answer tells a hidden entity from an id that does not exist.
            readable("e.id", "$1"),
            readable("r.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(cursor.unwrap_or_default())
            .bind(kind.map(ReportKind::as_str).unwrap_or_default())
            .bind(about_entity.unwrap_or_default())
            .bind(limit + 1)
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(report_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = crate::needs::page_next(&mut items, limit, |r| r.id.clone());
        for r in &mut items {
            r.entities = self.report_links(p, &r.id).await?;
        }
        self.audit_reads(
            p,
            "report.read",
            "list",
            items.iter().map(|r| (&r.id, &r.marking)),
        )
        .await?;
        Ok(Page { items, next })
    }

    pub async fn count_reports(&self, p: &Principal) -> Result<i64> {
        counts::count(self.pool(), p, &counts::REPORT).await
    }

    /// The kept versions of a report the viewer may read (each version's own
    /// marking decides).
    pub async fn report_versions(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<crate::needs::RecordVersion>> {
        let r = self.fetch_report(p, id).await?;
        let vs = self.versions(p, "report_versions", "report_id", id).await?;
        self.audit_reads(
            p,
            "report.read_versions",
            id,
            std::iter::once((&r.id, &r.marking)).chain(vs.iter().map(|v| (&r.id, &v.marking))),
        )
        .await?;
        Ok(vs)
    }
}
