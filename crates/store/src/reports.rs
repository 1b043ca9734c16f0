//! Reports (issue 6): marked records — audience rows, kept versions,
//! origin-only changes, audited AMBER/RED reads, `NotFound` outside the
//! audience — linking entities (`entities.rs`, with relationships and
//! correlation keys), indexed for search (`search.rs`: SQLite FTS5,
//! PostgreSQL tsvector). The row mappings of all three live here.
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
    Entity, EntityDraft, EntityKind, EntityLink, Report, ReportDraft, ReportKind,
};
use sqlx::Row;

pub(crate) use crate::search::{SearchDoc, NATIVE_BM25_MAX_MATCHES};
pub use crate::search::{
    SearchFilter, SearchHit, COMMON_WORDS_FROM, COMMON_WORD_SHARE, SEARCH_WINDOW,
};

pub(crate) const ENTITY_COLUMNS: &str = "e.id, e.origin, e.kind, e.name, e.aliases, e.birth_date, e.nationality, e.documents, e.imo, e.mmsi, \
     e.flag, e.tlp, e.rel_to, e.version, e.created_at, e.created_by, e.updated_at, e.updated_by";
const REPORT_COLUMNS: &str =
    "r.id, r.origin, r.kind, r.title, r.body, r.line_of_effort, r.occurred_on, r.tlp, r.rel_to, r.details, \
     r.version, r.withdrawn, r.created_at, r.created_by, r.updated_at, r.updated_by";

/// How many correlation candidates one entity considers at most.
pub const MAX_CANDIDATES: i64 = 200;
/// A name key shared by more entities than this is too common to find
/// candidates by (like "mhmd"): other keys of the name must do.
pub(crate) const MAX_KEY_FREQUENCY: i64 = 2_000;

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(crate) fn json_list(r: &sqlx::any::AnyRow, col: &str) -> Result<Vec<String>> {
    serde_json::from_str(&r.try_get::<String, _>(col)?).map_err(|e| corrupt(col, e))
}

pub(crate) fn entity_from_row(r: &sqlx::any::AnyRow) -> Result<Entity> {
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

/// Projects into the STIX object store every report, and every record of
/// the layer's projected kinds (entities, relationships), that has no
/// projection yet (a database written before the store existed).
/// System-wide, in the caller's transaction; returns how many records it
/// projected.
pub(crate) async fn backfill_stix(conn: &mut sqlx::AnyConnection) -> Result<usize> {
    let missing = |prefix: &str, alias: &str| {
        format!(
            "NOT EXISTS (SELECT 1 FROM stix_objects s WHERE s.source = '{prefix}:' || {alias}.id)"
        )
    };
    let mut n = 0;
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE {} ORDER BY r.id",
        missing("report", "r")
    );
    for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
        crate::stix::project_report(conn, &report_from_row(&row)?).await?;
        n += 1;
    }
    n += crate::records::project_unprojected(conn).await?;
    Ok(n)
}

/// What the search index keeps of a report's text: its body and the words
/// of its details (countries, commodity, narratives…).
fn indexed_body(body: &str, details: &coalesce_domain::reports::ReportDetails) -> String {
    if details.is_empty() {
        body.to_string()
    } else {
        format!("{body}\n{}", details.search_text())
    }
}

/// Rebuilds the correlation keys of every live entity and the search
/// documents of every live entity and report from their current versions,
/// in the caller's transaction: once, when the way names are folded before
/// they are compared or indexed changed (migration 22). Returns how many.
pub(crate) async fn reindex_names(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    let mut n = 0;
    n += crate::records::reindex::<coalesce_domain::entity::EntityRecordKind>(w).await?;
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE r.withdrawn = 0 ORDER BY r.id");
    for row in sqlx::query(&sql).fetch_all(&mut *w.tx).await? {
        let r = report_from_row(&row)?;
        let body = indexed_body(&r.body, &r.details);
        let doc = SearchDoc {
            record: "report",
            kind: r.kind.as_str(),
            origin: &r.origin,
            line_of_effort: r.line_of_effort.as_deref(),
            tlp: r.marking.tlp.as_str(),
            occurred_on: r.occurred_on.as_deref(),
            created_at: r.created_at_ms,
            title: &r.title,
            body: &body,
        };
        crate::search::index_doc(w, &r.id, &doc).await?;
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

impl Store {
    pub(crate) fn check_writer(p: &Principal) -> Result<()> {
        if p.role.can_write_records() {
            Ok(())
        } else {
            Err(StoreError::Forbidden(
                "viewers cannot change records".into(),
            ))
        }
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
        let drafts: Vec<EntityDraft> = new_entities.iter().map(|(e, _)| e.clone()).collect();
        let ids = self.insert_entities(&mut w, p, &drafts, at_ms).await?;
        for (eid, (_, role)) in ids.into_iter().zip(new_entities) {
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
        let indexed_body = indexed_body(&d.body, &d.details);
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
        crate::search::index_doc(w, id, &doc).await?;
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
        crate::search::unindex_doc(&mut w, id).await?;
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
