//! Reports (issue 6): records of the record layer (`ReportRecordKind`:
//! kept versions, origin-only changes, audited AMBER/RED reads, `NotFound`
//! outside the audience) linking entities (`entities.rs`, with
//! relationships and correlation keys), indexed for search (`search.rs`:
//! SQLite FTS5, PostgreSQL tsvector). Here: the report as callers see it
//! (its links filtered per reader), what its writes also keep (links,
//! search document, TAXII object: the layer's hook), and its reads, which
//! go through the `reports` and `entities` views of the layer's rows.
//!
//! Every read here filters through [`crate::audience::readable`]: a report's
//! links to entities are shown only where the reader may read the entity
//! too, search returns only readable documents, and correlation candidates
//! are only readable entities.

use crate::audience::{marking_from_columns, readable};
use crate::conditions::Conditions;
use crate::notes::{parse_cursor, Page, MAX_PAGE};
use crate::records::checked;
use crate::{now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::record::{Record, Status};
use coalesce_domain::report_record::{readable_links, ReportBody, ReportRecordKind};
use coalesce_domain::reports::{
    Entity, EntityDraft, EntityKind, EntityLink, Report, ReportDraft, ReportKind,
};
use sqlx::Row;

pub use crate::search::{
    Respelling, SavedSearch, SearchFilter, SearchHit, SearchResults, COMMON_WORDS_FROM,
    COMMON_WORD_SHARE, MAX_SAVED_SEARCHES, NAME_MATCH, SEARCH_WINDOW,
};
pub(crate) use crate::search::{SearchDoc, NATIVE_BM25_MAX_MATCHES};

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

/// A retention column when the row has it (a view's row), else `None` (a
/// table's from before migration 49).
fn retention_column(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<String>> {
    match r.try_get::<Option<String>, _>(col) {
        Ok(v) => Ok(v),
        Err(sqlx::Error::ColumnNotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
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
        retain_until: retention_column(r, "retain_until")?,
        purged_on: retention_column(r, "purged_on")?,
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

/// Projects into the STIX object store every record of the layer's
/// projected kinds (reports, entities, relationships) that has no
/// projection yet (a database written before the store existed).
/// System-wide, in the caller's transaction; returns how many records it
/// projected.
pub(crate) async fn backfill_stix(conn: &mut sqlx::AnyConnection) -> Result<usize> {
    crate::records::project_unprojected(conn).await
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
    n += crate::records::reindex::<ReportRecordKind>(w).await?;
    Ok(n)
}

/// What a write of a report also keeps, in its transaction (the layer's
/// hook): its links (`report_entities`, what lists and the `?entity=`
/// filter join on) and its search document (none once withdrawn). A report
/// `created` in this transaction has neither yet: nothing to replace.
pub(crate) async fn index_report(
    w: &mut crate::WriteTx<'_>,
    r: &Record<ReportBody>,
    created: bool,
) -> Result<()> {
    if !created {
        sqlx::query("DELETE FROM report_entities WHERE report_id = $1")
            .bind(&r.id)
            .execute(&mut *w.tx)
            .await?;
    }
    let links: std::collections::BTreeSet<(&str, &str)> = r
        .body
        .entities
        .iter()
        .map(|l| (l.entity_id.as_str(), l.role.as_str()))
        .collect();
    let rows: Vec<Vec<crate::bulk::Arg>> = links
        .into_iter()
        .map(|(e, role)| {
            vec![
                crate::bulk::Arg::Text(r.id.clone()),
                crate::bulk::Arg::Text(e.to_string()),
                crate::bulk::Arg::Text(role.to_string()),
            ]
        })
        .collect();
    crate::bulk::insert_rows(
        &mut w.tx,
        "report_entities (report_id, entity_id, role)",
        &rows,
    )
    .await?;
    if r.status == Status::Withdrawn {
        return crate::search::unindex_doc(w, &r.id).await;
    }
    let b = &r.body;
    let indexed_body = indexed_body(&b.body, &b.details);
    let doc = SearchDoc {
        record: "report",
        kind: b.kind.as_str(),
        origin: &r.origin,
        line_of_effort: b.line_of_effort.as_deref(),
        tlp: r.marking.tlp.as_str(),
        occurred_on: b.occurred_on.as_deref(),
        created_at: r.created_at_ms,
        title: &b.title,
        body: &indexed_body,
    };
    crate::search::index_doc(w, &r.id, &doc, created).await
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
        retain_until: retention_column(r, "retain_until")?,
        purged_on: retention_column(r, "purged_on")?,
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
        let node = self.node_id().await?;
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
        let items = checked::<ReportRecordKind>(p, vec![(d.record_body(), d.marking.clone())])?;
        let written = self
            .create_in::<ReportRecordKind>(&mut w, &node, p, items, at_ms)
            .await?;
        w.commit().await?;
        let id = written
            .first()
            .map(|r| r.id.clone())
            .ok_or(StoreError::NotFound)?;
        self.fetch_report(p, &id).await
    }

    /// A new version of a report (origin's users only). Its links to
    /// entities the writer cannot read (released to others only, or
    /// withdrawn since) are kept: the writer never saw them, so leaving
    /// them out of a change does not remove them.
    pub async fn update_report(
        &self,
        p: &Principal,
        id: &str,
        d: &ReportDraft,
        if_version: Option<i64>,
    ) -> Result<Report> {
        Self::check_writer(p)?;
        self.check_report_refs(p, d).await?;
        let current = self.fetch_record::<ReportRecordKind>(p, id).await?;
        let linked: std::collections::BTreeSet<String> = current
            .body
            .entities
            .iter()
            .map(|l| l.entity_id.clone())
            .collect();
        let readable = self.readable_entity_ids(p, &linked).await?;
        let mut d = d.clone();
        for l in current.body.entities {
            if !readable.contains(&l.entity_id) && !d.entities.contains(&l) {
                d.entities.push(l);
            }
        }
        self.change_record::<ReportRecordKind>(
            p,
            id,
            d.record_body(),
            d.marking.clone(),
            if_version,
        )
        .await?;
        self.fetch_report(p, id).await
    }

    /// Withdraws a report: a new version whose state is withdrawn (the
    /// layer's: read under the write lock, so a change racing it either
    /// lands before it or finds it withdrawn); it leaves every list and the
    /// search index, its versions are kept, TAXII serves it revoked.
    pub async fn withdraw_report(&self, p: &Principal, id: &str) -> Result<()> {
        self.withdraw_record::<ReportRecordKind>(p, id, None)
            .await
            .map(|_| ())
    }

    async fn fetch_report(&self, p: &Principal, id: &str) -> Result<Report> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS}, r.retain_until, r.purged_on FROM reports r WHERE r.id = $2 AND r.withdrawn = 0 AND {}",
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

    /// The links of these reports to entities the viewer may read, by
    /// report (in [`Store::report_links`]' order): one query per 500
    /// reports, not one per report.
    async fn links_of_reports(
        &self,
        p: &Principal,
        ids: &[&str],
    ) -> Result<std::collections::BTreeMap<String, Vec<EntityLink>>> {
        let mut out: std::collections::BTreeMap<String, Vec<EntityLink>> = Default::default();
        for chunk in crate::in_chunks(ids) {
            let sql = format!(
                "SELECT re.report_id, re.entity_id, re.role FROM report_entities re JOIN entities e ON e.id = re.entity_id \
                 WHERE re.report_id IN ({}) AND e.withdrawn = 0 AND {} ORDER BY re.report_id, re.role, re.entity_id",
                crate::placeholders(2, chunk.len()),
                readable("re.entity_id", "$1")
            );
            let mut q = sqlx::query_as::<_, (String, String, String)>(&sql).bind(p.member.as_str());
            for id in &chunk {
                q = q.bind(*id);
            }
            for (report, entity_id, role) in q.fetch_all(self.pool()).await? {
                out.entry(report)
                    .or_default()
                    .push(EntityLink { entity_id, role });
            }
        }
        Ok(out)
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
        let (sql, conditions) = listed_reports(
            &format!("{REPORT_COLUMNS}, r.retain_until, r.purged_on"),
            cursor.as_deref(),
            kind,
            about_entity,
            crate::records::rows_for_page(limit),
        );
        let rows = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
            .fetch_all(self.pool())
            .await?;
        let mut items = rows
            .iter()
            .map(report_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = crate::needs::page_next(&mut items, limit, |r| r.id.clone());
        let ids: Vec<&str> = items.iter().map(|r| r.id.as_str()).collect();
        let mut links = self.links_of_reports(p, &ids).await?;
        for r in &mut items {
            r.entities = links.remove(&r.id).unwrap_or_default();
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

    /// The ids of the reports [`Store::list_reports`] would give, one page
    /// (newest first): for reading their records a page at a time
    /// ([`Store::records_by_ids`], which audits). No audit entry: an id
    /// says nothing the read of the record does not.
    pub async fn report_ids(
        &self,
        p: &Principal,
        kind: Option<ReportKind>,
        about_entity: Option<&str>,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<String>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let (sql, conditions) = listed_reports(
            "r.id",
            cursor.as_deref(),
            kind,
            about_entity,
            crate::records::rows_for_page(limit),
        );
        let mut items: Vec<String> = conditions
            .bind(sqlx::query(&sql).bind(p.member.as_str()))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
        let next = crate::needs::page_next(&mut items, limit, |id| id.clone());
        Ok(Page { items, next })
    }

    pub async fn count_reports(&self, p: &Principal) -> Result<i64> {
        self.count_records::<ReportRecordKind>(p).await
    }

    /// The kept versions of a report the viewer may read (each version's
    /// own marking decides), each as the report it was, with only the
    /// links to entities the viewer may read now.
    pub async fn report_versions(
        &self,
        p: &Principal,
        id: &str,
    ) -> Result<Vec<crate::needs::RecordVersion>> {
        // Withdrawn too: its versions are kept, for its audience.
        let r = self.fetch_record::<ReportRecordKind>(p, id).await?;
        let vs = self.record_versions::<ReportRecordKind>(p, id).await?;
        let ids: std::collections::BTreeSet<String> = vs
            .iter()
            .flat_map(|v| v.body.entities.iter().map(|l| l.entity_id.clone()))
            .collect();
        let readable = self.readable_entity_ids(p, &ids).await?;
        vs.into_iter()
            .map(|v| {
                crate::needs::RecordVersion::shown_as(v, |b, v| Report {
                    id: r.id.clone(),
                    origin: r.origin.clone(),
                    entities: readable_links(&b, |e| readable.contains(e)),
                    kind: b.kind,
                    title: b.title,
                    body: b.body,
                    line_of_effort: b.line_of_effort,
                    occurred_on: b.occurred_on,
                    marking: v.marking.clone(),
                    details: b.details,
                    retain_until: b.retain_until,
                    purged_on: b.purged_on,
                    version: v.version,
                    withdrawn: v.status == Status::Withdrawn,
                    created_at_ms: r.created_at_ms,
                    created_by: r.created_by.clone(),
                    updated_at_ms: v.at_ms,
                    updated_by: v.author.clone(),
                })
            })
            .collect()
    }

    /// A live report as a record of the layer, for its STIX form (which
    /// names only the links its reader may read); no audit entry: the read
    /// that found it was audited.
    pub async fn report_record(&self, p: &Principal, id: &str) -> Result<Record<ReportBody>> {
        let r = self.fetch_record::<ReportRecordKind>(p, id).await?;
        if r.status == Status::Withdrawn {
            return Err(StoreError::NotFound);
        }
        Ok(r)
    }
}

/// A page of the reports a viewer (`$1`) may read, newest first: after
/// the cursor, of the kind and about the entity (when given), at most
/// `rows` rows, `columns` of each; the query and the values to bind after
/// the viewer.
fn listed_reports(
    columns: &str,
    cursor: Option<&str>,
    kind: Option<ReportKind>,
    about_entity: Option<&str>,
    rows: i64,
) -> (String, Conditions) {
    let mut c = Conditions::after(2);
    c.with_some("r.id < {}", cursor)
        .with_some("r.kind = {}", kind.map(ReportKind::as_str))
        .with_some(
            // The entity filtered on must be readable too: otherwise the
            // answer tells a hidden entity from an id that does not exist.
            &format!(
                "EXISTS (SELECT 1 FROM report_entities re JOIN entities e ON e.id = re.entity_id \
                 WHERE re.report_id = r.id AND re.entity_id = {{}} AND e.withdrawn = 0 AND {})",
                readable("e.id", "$1")
            ),
            about_entity,
        );
    let sql = format!(
        "SELECT {columns} FROM reports r WHERE r.status = 'live' AND {} AND {} ORDER BY r.id DESC LIMIT {rows}",
        c.sql(),
        crate::audience::readable_row_by_row("r.id", "$1")
    );
    (sql, c)
}

/// Moves the reports of a database written before migration 24 onto the
/// record layer: every kept version (its snapshot's fields and links, under
/// the marking it had; the withdrawal version as a withdrawal), then the
/// old tables go, and every report's links, search document and TAXII
/// object are written again. In the migration's transaction; returns how
/// many reports.
pub(crate) async fn move_legacy_reports(w: &mut crate::WriteTx<'_>) -> Result<usize> {
    use crate::records::legacy::{
        legacy_versions, move_and_drop, with_current, LegacyRecord, LegacyVersion,
    };
    use coalesce_domain::MemberCode;
    let mut versions =
        legacy_versions::<LegacySnapshot>(&mut w.tx, "legacy_report_versions", "report_id").await?;
    let links: Vec<(String, String, String)> =
        sqlx::query_as("SELECT report_id, entity_id, role FROM report_entities ORDER BY report_id, role, entity_id")
            .fetch_all(&mut *w.tx)
            .await?;
    let sql = format!("SELECT {REPORT_COLUMNS} FROM legacy_reports r ORDER BY r.created_at, r.id");
    let mut legacy = Vec::new();
    for row in sqlx::query(&sql).fetch_all(&mut *w.tx).await? {
        let mut r = report_from_row(&row)?;
        r.entities = links
            .iter()
            .filter(|(report, _, _)| *report == r.id)
            .map(|(_, e, role)| EntityLink {
                entity_id: e.clone(),
                role: role.clone(),
            })
            .collect();
        // The report row is its current version: kept versions before it
        // come from the versions table (a row written without one moves too).
        let kept: Vec<LegacyVersion<ReportBody>> = versions
            .remove(&r.id)
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.into_version(|s| (s.withdrawn, s.into())))
            .collect();
        let kept = with_current(kept, r.version, || {
            Ok(LegacyVersion {
                version: r.version,
                status: Status::Live,
                body: ReportBody {
                    kind: r.kind,
                    title: r.title.clone(),
                    body: r.body.clone(),
                    line_of_effort: r.line_of_effort.clone(),
                    occurred_on: r.occurred_on.clone(),
                    entities: r.entities.clone(),
                    details: r.details.clone(),
                    retain_until: None,
                    purged_on: None,
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
            withdrawn: r.withdrawn,
            versions: kept,
        });
    }
    move_and_drop::<ReportRecordKind>(w, legacy, "legacy_report_versions", "legacy_reports").await
}

/// A report version's snapshot as the old tables kept it (the whole
/// report; its fields and links are what moves).
#[derive(serde::Deserialize)]
struct LegacySnapshot {
    kind: ReportKind,
    title: String,
    #[serde(default)]
    body: String,
    line_of_effort: Option<String>,
    occurred_on: Option<String>,
    #[serde(default)]
    entities: Vec<EntityLink>,
    #[serde(default)]
    details: coalesce_domain::reports::ReportDetails,
    #[serde(default)]
    withdrawn: bool,
}

impl From<LegacySnapshot> for ReportBody {
    fn from(s: LegacySnapshot) -> Self {
        ReportBody {
            kind: s.kind,
            title: s.title,
            body: s.body,
            line_of_effort: s.line_of_effort,
            occurred_on: s.occurred_on,
            entities: s.entities,
            details: s.details,
            retain_until: None,
            purged_on: None,
        }
    }
}
