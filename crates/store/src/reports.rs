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
use crate::{
    audience, audit, counts, new_id_at, now_ms, Dialect, Principal, Result, Store, StoreError,
};
use coalesce_domain::reports::{
    Entity, EntityDraft, EntityKind, EntityLink, RelationshipKind, Report, ReportDraft, ReportKind,
};
use coalesce_domain::{Marking, Tlp};
use serde::Serialize;
use sqlx::Row;

const ENTITY_COLUMNS: &str = "e.id, e.origin, e.kind, e.name, e.aliases, e.birth_date, e.nationality, e.documents, e.imo, e.mmsi, \
     e.flag, e.tlp, e.rel_to, e.version, e.created_at, e.created_by, e.updated_at, e.updated_by";
const REPORT_COLUMNS: &str =
    "r.id, r.origin, r.kind, r.title, r.body, r.line_of_effort, r.occurred_on, r.tlp, r.rel_to, r.details, \
     r.version, r.withdrawn, r.created_at, r.created_by, r.updated_at, r.updated_by";

/// A search hit's marking as it is now, read from its report or entity in
/// the search query itself.
const MARKING: &str = "COALESCE(mr.tlp, me.tlp) AS tlp, COALESCE(mr.rel_to, me.rel_to) AS rel_to";
const MARKING_JOIN: &str =
    "LEFT JOIN reports mr ON mr.id = d.subject_id LEFT JOIN entities me ON me.id = d.subject_id";

/// Search ranks at most this many of the newest matches.
pub const SEARCH_WINDOW: i64 = 1_000;
/// From this many indexed documents on, a query word found in more than
/// one in [`COMMON_WORD_SHARE`] of them is left out when the query has a
/// rarer word (a stop word: "al", "report"). Below it every word counts.
pub const COMMON_WORDS_FROM: i64 = 10_000;
pub const COMMON_WORD_SHARE: i64 = 10;
/// How long a word's document count is trusted.
const WORD_COUNT_TTL: std::time::Duration = std::time::Duration::from_secs(600);
/// At most this many windows are searched for a page (20,000 matches).
const SEARCH_WINDOWS: usize = 20;
/// Candidates checked for releasability per query.
const SEARCH_BATCH: usize = 200;

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

/// Search filters (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// `report` or `entity`.
    pub record: Option<String>,
    /// A report kind or an entity kind.
    pub kind: Option<String>,
    /// The origin member.
    pub member: Option<String>,
    pub line_of_effort: Option<String>,
    /// Reports that occurred from / until (YYYY-MM-DD).
    pub from: Option<String>,
    pub until: Option<String>,
    pub tlp: Option<Tlp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub id: String,
    /// `report` or `entity`.
    pub record: String,
    pub kind: String,
    pub title: String,
    pub origin: String,
    pub marking: Marking,
    pub occurred_on: Option<String>,
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

/// The words of a search query as an FTS5 expression: every word must
/// occur (quoted, so no user input is FTS5 syntax); `None` if no word.
/// Binds `$3`..`$9` of the search queries: the filters ('' = any).
fn bind_search_filters<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    f: &SearchFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    q.bind(s(&f.record))
        .bind(s(&f.kind))
        .bind(s(&f.member))
        .bind(s(&f.line_of_effort))
        .bind(s(&f.from))
        .bind(s(&f.until))
        .bind(f.tlp.map(|t| t.as_str().to_string()).unwrap_or_default())
}

fn fts5_query(q: &str) -> Option<String> {
    let words = query_words(q);
    fts5_of(&words)
}

/// The words of a query, as the index splits them (at most 16).
fn query_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(str::to_string)
        .collect()
}

/// The words worth matching: those in at most one in [`COMMON_WORD_SHARE`]
/// of `docs` documents, when there are such words and others (`None`: keep
/// every word — all rare, all common, or a small collection).
fn selective_words(words: &[String], counts: &[i64], docs: i64) -> Option<Vec<String>> {
    if docs < COMMON_WORDS_FROM {
        return None;
    }
    let keep: Vec<String> = words
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n * COMMON_WORD_SHARE <= docs)
        .map(|(w, _)| w.clone())
        .collect();
    (!keep.is_empty() && keep.len() < words.len()).then_some(keep)
}

/// Every word must occur (each quoted: never query syntax).
fn fts5_of(words: &[String]) -> Option<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    (!quoted.is_empty()).then(|| quoted.join(" AND "))
}

/// The ranking columns of an FTS5 candidate: its title and body with each
/// matched token between [`HIT_OPEN`] and [`HIT_CLOSE`].
const HIGHLIGHTS: &str =
    "highlight(search_fts, 0, char(1), char(2)) AS t, highlight(search_fts, 1, char(1), char(2)) AS b";

/// The window's candidates come back as one text (rowid, title, body
/// joined by these), not a row each: sqlx hands every row from SQLite's
/// thread to ours, and a thousand such hand-overs cost more than the join.
const FIELD_SEP: char = '\u{3}';
const ROW_SEP: char = '\u{4}';

/// The candidates in a window query's one text: (rowid, title, body).
fn window_rows(packed: &str) -> Vec<(i64, &str, &str)> {
    packed
        .split(ROW_SEP)
        .filter_map(|row| {
            let mut f = row.splitn(3, FIELD_SEP);
            Some((f.next()?.parse().ok()?, f.next()?, f.next()?))
        })
        .collect()
}

/// Wraps a window query selecting `rid` and either `score` (FTS5's bm25)
/// or [`HIGHLIGHTS`] into one that returns its rows packed for
/// [`window_rows`] (a score comes back as the title field, body empty).
fn packed_window(sql: &str, native_bm25: bool) -> String {
    let fields = if native_bm25 {
        "CAST(w.score AS TEXT) || char(3)"
    } else {
        "w.t || char(3) || w.b"
    };
    format!(
        "SELECT group_concat(CAST(w.rid AS TEXT) || char(3) || {fields}, char(4)) FROM ({sql}) AS w"
    )
}

/// See [`Store::search_plan`].
struct SearchPlan {
    fts: String,
    /// Inverse document frequency of each query word (lowercase).
    idf: std::collections::HashMap<String, f64>,
    native_bm25: bool,
}

/// Above this many matches of its words, a query is ranked in Rust rather
/// than by FTS5's `bm25()` (measured at 1M reports: two words in ~62k
/// reports each rank faster natively, two in ~340k each four times slower).
pub(crate) const NATIVE_BM25_MAX_MATCHES: i64 = 150_000;

/// The markers FTS5's `highlight()` puts around each matched token.
const HIT_OPEN: char = '\u{1}';
const HIT_CLOSE: char = '\u{2}';

/// One ranking candidate read from FTS5 `highlight()`s of its title and
/// body: matched tokens (lowercased) with their weighted counts (a title
/// hit counts [`TITLE_WEIGHT`]), and its length in tokens.
#[derive(Debug, Default)]
struct Highlighted {
    hits: std::collections::HashMap<String, f64>,
    tokens: usize,
}

const TITLE_WEIGHT: f64 = 5.0;

impl Highlighted {
    fn parse(title: &str, body: &str) -> Self {
        let mut h = Highlighted::default();
        for (text, weight) in [(title, TITLE_WEIGHT), (body, 1.0)] {
            h.tokens += text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .count();
            for part in text.split(HIT_OPEN).skip(1) {
                if let Some((hit, _)) = part.split_once(HIT_CLOSE) {
                    *h.hits.entry(hit.to_lowercase()).or_default() += weight;
                }
            }
        }
        h
    }

    /// Okapi BM25 (k1 = 1.2, b = 0.75, as FTS5's `bm25()`), higher is
    /// better. `idf` gives a matched word's inverse document frequency
    /// (words not in it weigh 1).
    fn bm25(&self, idf: &dyn Fn(&str) -> f64, avg_tokens: f64) -> f64 {
        const K1: f64 = 1.2;
        const B: f64 = 0.75;
        let norm = K1 * (1.0 - B + B * self.tokens as f64 / avg_tokens.max(1.0));
        self.hits
            .iter()
            .map(|(word, tf)| idf(word) * tf * (K1 + 1.0) / (tf + norm))
            .sum()
    }
}

/// BM25's inverse document frequency of a word in `n` of `docs` documents.
fn idf(n: i64, docs: i64) -> f64 {
    let (n, docs) = (n as f64, docs.max(1) as f64);
    (((docs - n + 0.5) / (n + 0.5)).ln()).max(1e-6)
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

    // ----- search -------------------------------------------------------

    async fn index_doc(
        &self,
        w: &mut crate::WriteTx<'_>,
        id: &str,
        d: &SearchDoc<'_>,
    ) -> Result<()> {
        self.unindex_doc(w, id).await?;
        match self.dialect() {
            Dialect::Sqlite => {
                let (rowid,): (i64,) = sqlx::query_as(
                    "INSERT INTO search_docs (subject_id, record, kind, origin, line_of_effort, tlp, occurred_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING rowid",
                )
                .bind(id)
                .bind(d.record)
                .bind(d.kind)
                .bind(d.origin)
                .bind(d.line_of_effort)
                .bind(d.tlp)
                .bind(d.occurred_on)
                .bind(d.created_at)
                .fetch_one(&mut *w.tx)
                .await?;
                sqlx::query("INSERT INTO search_fts (rowid, title, body) VALUES ($1, $2, $3)")
                    .bind(rowid)
                    .bind(d.title)
                    .bind(d.body)
                    .execute(&mut *w.tx)
                    .await?;
            }
            Dialect::Postgres => {
                sqlx::query(
                    "INSERT INTO search_docs (subject_id, record, kind, origin, line_of_effort, tlp, occurred_on, created_at, title, doc) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, setweight(to_tsvector('simple', $9), 'A') || to_tsvector('simple', $10))",
                )
                .bind(id)
                .bind(d.record)
                .bind(d.kind)
                .bind(d.origin)
                .bind(d.line_of_effort)
                .bind(d.tlp)
                .bind(d.occurred_on)
                .bind(d.created_at)
                .bind(d.title)
                .bind(d.body)
                .execute(&mut *w.tx)
                .await?;
            }
        }
        Ok(())
    }

    async fn unindex_doc(&self, w: &mut crate::WriteTx<'_>, id: &str) -> Result<()> {
        if self.dialect() == Dialect::Sqlite {
            sqlx::query("DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_docs WHERE subject_id = $1)")
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
        }
        sqlx::query("DELETE FROM search_docs WHERE subject_id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        Ok(())
    }

    /// How many search documents hold `word` (0 when the index has no such
    /// term: it folds case, and a word written with diacritics is not found
    /// and so kept). Remembered for [`WORD_COUNT_TTL`].
    async fn word_count(&self, word: &str) -> Result<i64> {
        let term = word.to_lowercase();
        {
            let cache = self.word_counts.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((n, at)) = cache.get(&term) {
                if at.elapsed() < WORD_COUNT_TTL {
                    return Ok(*n);
                }
            }
        }
        let row: Option<(i64,)> = sqlx::query_as("SELECT doc FROM search_vocab WHERE term = $1")
            .bind(&term)
            .fetch_optional(self.pool())
            .await?;
        let n = row.map_or(0, |r| r.0);
        let mut cache = self.word_counts.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= 100_000 {
            cache.clear();
        }
        cache.insert(term, (n, std::time::Instant::now()));
        Ok(n)
    }

    /// How a SQLite search runs: the FTS5 query without the words too
    /// common to be worth matching (see [`COMMON_WORDS_FROM`]), each query
    /// word's IDF, and whether FTS5's own `bm25()` is cheap enough — it
    /// counts every match of every matched word on each query, which costs
    /// less than reading the candidates' text only while those words are
    /// rare ([`NATIVE_BM25_MAX_MATCHES`]).
    async fn search_plan(&self, q: &str, fts: String) -> Result<SearchPlan> {
        let words = query_words(q);
        let (docs,): (Option<i64>,) = sqlx::query_as("SELECT MAX(rowid) FROM search_docs")
            .fetch_one(self.pool())
            .await?;
        let docs = docs.unwrap_or(0);
        let mut plan = SearchPlan {
            fts,
            idf: std::collections::HashMap::new(),
            native_bm25: true,
        };
        let mut counts = Vec::with_capacity(words.len());
        for w in &words {
            counts.push(self.word_count(w).await?);
        }
        let kept = selective_words(&words, &counts, docs);
        if let Some(fts) = kept.as_deref().and_then(fts5_of) {
            plan.fts = fts;
        }
        let matched: i64 = words
            .iter()
            .zip(&counts)
            .filter(|(w, _)| kept.as_ref().is_none_or(|k| k.contains(w)))
            .map(|(_, n)| *n)
            .sum();
        plan.native_bm25 = matched
            <= self
                .native_bm25_max
                .load(std::sync::atomic::Ordering::Relaxed);
        for (w, n) in words.iter().zip(counts) {
            plan.idf.insert(w.to_lowercase(), idf(n, docs));
        }
        Ok(plan)
    }

    /// Full-text search over the reports and entities the viewer may read,
    /// best match first. Every word of `q` must occur.
    ///
    /// Ranking is over the newest [`SEARCH_WINDOW`] matches that
    /// pass the filters (all of them, for any query more specific than a
    /// word in most records): SQLite's FTS5 walks its index newest first and
    /// stops there, so a query matching most of a million records costs the same
    /// as one matching ten thousand. The releasability filter is then
    /// applied to the ranked candidates a batch at a time until the page is
    /// full, so its cost follows the page, not the number of matches. In a
    /// large collection, words found in more than a tenth of it are left out
    /// of the match when the query has rarer words, like stop words.
    pub async fn search(
        &self,
        p: &Principal,
        q: &str,
        f: &SearchFilter,
        limit: i64,
    ) -> Result<Vec<SearchHit>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let filters = "($3 = '' OR d.record = $3) AND ($4 = '' OR d.kind = $4) AND ($5 = '' OR d.origin = $5) \
             AND ($6 = '' OR d.line_of_effort = $6) AND ($7 = '' OR d.occurred_on >= $7) AND ($8 = '' OR d.occurred_on <= $8) \
             AND ($9 = '' OR d.tlp = $9)";
        let Some(fts) = fts5_query(q) else {
            return Ok(Vec::new());
        };
        let plan = match self.dialect() {
            Dialect::Sqlite => self.search_plan(q, fts).await?,
            Dialect::Postgres => SearchPlan {
                fts,
                idf: std::collections::HashMap::new(),
                native_bm25: false,
            },
        };
        // 1. Candidates: the newest matches passing the filters, with a score
        //    (lower is better), packed into one text (see `packed_window`).
        //    `$1 = $1` keeps the placeholders numbered as in the filters.
        //    SQLite ranks with FTS5's bm25() while the words are rare, else
        //    in Rust from FTS5's highlights of each candidate and the IDF
        //    of the cached word counts.
        let ranking = if plan.native_bm25 {
            format!("bm25(search_fts, {TITLE_WEIGHT:.1}, 1.0) AS score")
        } else {
            HIGHLIGHTS.to_string()
        };
        let (sql, query, title, title_join) = match self.dialect() {
            Dialect::Sqlite => {
                // Without filters the documents table is not needed to choose.
                let (docs_join, conditions) = if *f == SearchFilter::default() {
                    (
                        "",
                        "$3 = $3 AND $4 = $4 AND $5 = $5 AND $6 = $6 AND $7 = $7 AND $8 = $8 AND $9 = $9",
                    )
                } else {
                    ("JOIN search_docs d ON d.rowid = search_fts.rowid", filters)
                };
                (
                    packed_window(
                        &format!(
                            "SELECT search_fts.rowid AS rid, {ranking} FROM search_fts {docs_join} \
                             WHERE search_fts MATCH $2 AND $1 = $1 AND {conditions} AND search_fts.rowid < $10 \
                             ORDER BY search_fts.rowid DESC LIMIT {SEARCH_WINDOW}"
                        ),
                        plan.native_bm25,
                    ),
                    plan.fts.clone(),
                    "search_fts.title",
                    "JOIN search_fts ON search_fts.rowid = d.rowid",
                )
            }
            Dialect::Postgres => (
                format!(
                    "SELECT d.rowid, CAST(-ts_rank(d.doc, plainto_tsquery('simple', $2)) AS FLOAT8) FROM search_docs d \
                     WHERE d.doc @@ plainto_tsquery('simple', $2) AND $1 = $1 AND {filters} AND d.rowid < $10 ORDER BY d.rowid DESC LIMIT {SEARCH_WINDOW}"
                ),
                q.to_string(),
                "d.title",
                "",
            ),
        };
        let idf_lookup = |w: &str| plan.idf.get(w).copied().unwrap_or(1.0);
        // Window after window (newest first) until the page is full: a
        // reader who may read little still finds older matches behind many
        // newer ones it may not read — up to SEARCH_WINDOWS windows.
        let mut rows = Vec::new();
        let mut below = i64::MAX;
        for _ in 0..SEARCH_WINDOWS {
            let fetched = bind_search_filters(
                sqlx::query(&sql)
                    .bind(p.member.to_string())
                    .bind(query.clone()),
                f,
            )
            .bind(below)
            .fetch_all(self.pool())
            .await?;
            // (rowid, score), lower is better.
            let mut candidates: Vec<(i64, f64)> = match self.dialect() {
                Dialect::Sqlite => {
                    let packed: Option<String> = match fetched.first() {
                        Some(r) => r.try_get(0)?,
                        None => None,
                    };
                    let rows = window_rows(packed.as_deref().unwrap_or(""));
                    if plan.native_bm25 {
                        rows.into_iter()
                            .filter_map(|(id, score, _)| Some((id, score.parse().ok()?)))
                            .collect()
                    } else {
                        let parsed: Vec<(i64, Highlighted)> = rows
                            .into_iter()
                            .map(|(id, t, b)| (id, Highlighted::parse(t, b)))
                            .collect();
                        let avg = parsed.iter().map(|(_, h)| h.tokens).sum::<usize>() as f64
                            / parsed.len().max(1) as f64;
                        parsed
                            .iter()
                            .map(|(id, h)| (*id, -h.bm25(&idf_lookup, avg)))
                            .collect()
                    }
                }
                Dialect::Postgres => fetched
                    .iter()
                    .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<f64, _>(1)?)))
                    .collect::<Result<_>>()?,
            };
            let window_full = candidates.len() as i64 == SEARCH_WINDOW;
            below = candidates.iter().map(|c| c.0).min().unwrap_or(below);
            // Best first; ties newest first.
            candidates.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            // 2. The readable ones, in that order, a batch at a time.
            for batch in candidates.chunks(SEARCH_BATCH) {
                let list: Vec<String> = batch.iter().map(|c| c.0.to_string()).collect();
                let sql = format!(
                    "SELECT d.rowid AS rid, d.subject_id, d.record, d.kind, d.origin, d.occurred_on, {title} AS title, {MARKING} \
                     FROM search_docs d {title_join} {MARKING_JOIN} WHERE d.rowid IN ({}) \
                     AND COALESCE(mr.withdrawn, me.withdrawn, 0) = 0 AND {}",
                    list.join(", "),
                    readable("d.subject_id", "$1")
                );
                let mut found = sqlx::query(&sql)
                    .bind(p.member.as_str())
                    .fetch_all(self.pool())
                    .await?;
                let rank: std::collections::HashMap<i64, usize> =
                    batch.iter().enumerate().map(|(i, c)| (c.0, i)).collect();
                found.sort_by_key(|r| {
                    r.try_get::<i64, _>("rid")
                        .ok()
                        .and_then(|id| rank.get(&id).copied())
                        .unwrap_or(usize::MAX)
                });
                rows.extend(found);
                if rows.len() as i64 >= limit {
                    break;
                }
            }
            if rows.len() as i64 >= limit || !window_full {
                break;
            }
        }
        rows.truncate(limit as usize);
        let mut hits = Vec::with_capacity(rows.len());
        for r in &rows {
            hits.push(SearchHit {
                id: r.try_get("subject_id")?,
                record: r.try_get("record")?,
                kind: r.try_get("kind")?,
                title: r.try_get("title")?,
                origin: r.try_get("origin")?,
                marking: marking_from_columns(
                    &r.try_get::<String, _>("tlp")?,
                    &r.try_get::<String, _>("rel_to")?,
                )?,
                occurred_on: r.try_get("occurred_on")?,
            });
        }
        self.audit_reads(
            p,
            "search.read",
            "search",
            hits.iter().map(|h| (&h.id, &h.marking)),
        )
        .await?;
        Ok(hits)
    }
}

/// What the search index keeps of a record.
struct SearchDoc<'a> {
    record: &'a str,
    kind: &'a str,
    origin: &'a str,
    line_of_effort: Option<&'a str>,
    tlp: &'a str,
    occurred_on: Option<&'a str>,
    created_at: i64,
    title: &'a str,
    body: &'a str,
}

#[cfg(test)]
mod tests {
    use super::{fts5_of, fts5_query, idf, query_words, selective_words, window_rows, Highlighted};

    #[test]
    fn packed_windows_unpack_and_skip_what_is_malformed() {
        assert_eq!(
            window_rows("12\u{3}a\u{3}b\u{4}7\u{3}\u{3}x\u{4}junk\u{4}8\u{3}only"),
            vec![(12, "a", "b"), (7, "", "x")]
        );
        assert!(window_rows("").is_empty());
    }

    #[test]
    fn highlights_give_weighted_hits_and_rank_like_bm25() {
        let h = Highlighted::parse(
            "\u{1}Tanker\u{2} seized",
            "a \u{1}tanker\u{2} and another \u{1}TANKER\u{2} near Mosul",
        );
        assert_eq!(
            h.hits.get("tanker"),
            Some(&7.0),
            "5 for the title, 1 per body hit"
        );
        assert_eq!(h.tokens, 9);
        let one = |_: &str| 1.0;
        let body_only = Highlighted::parse("Convoy seen", "one \u{1}tanker\u{2} seen");
        assert!(h.bm25(&one, 5.0) > body_only.bm25(&one, 5.0));
        // The same hits in a longer document weigh less.
        let long = Highlighted::parse("", &format!("\u{1}tanker\u{2} {}", "word ".repeat(50)));
        let short = Highlighted::parse("", "\u{1}tanker\u{2} word");
        assert!(short.bm25(&one, 10.0) > long.bm25(&one, 10.0));
        // A rarer word counts more.
        let idf_of = |w: &str| {
            if w == "mosul" {
                idf(10, 1000)
            } else {
                idf(400, 1000)
            }
        };
        let rare = Highlighted::parse("", "\u{1}mosul\u{2} oil");
        let common = Highlighted::parse("", "mosul \u{1}oil\u{2}");
        assert!(rare.bm25(&idf_of, 2.0) > common.bm25(&idf_of, 2.0));
        assert!(idf(999, 1000) > 0.0, "never zero or negative");
    }

    #[test]
    fn common_words_are_left_out_only_beside_rarer_ones_in_a_large_collection() {
        let words: Vec<String> = ["Omar", "al", "Shishani"].map(String::from).to_vec();
        let big = 1_000_000;
        assert_eq!(
            selective_words(&words, &[62_000, 1_000_000, 62_000], big),
            Some(vec!["Omar".to_string(), "Shishani".to_string()])
        );
        // All common, or all rare: every word counts.
        assert_eq!(
            selective_words(&words, &[900_000, 1_000_000, 500_000], big),
            None
        );
        assert_eq!(selective_words(&words, &[10, 20, 30], big), None);
        // A small collection: every word counts.
        assert_eq!(selective_words(&words, &[10, 9_000, 10], 9_000), None);
        assert_eq!(
            fts5_of(&words).as_deref(),
            Some("\"Omar\" AND \"al\" AND \"Shishani\"")
        );
        assert_eq!(
            query_words("  al-Tunisi \"x\" OR y*"),
            ["al", "Tunisi", "x", "OR", "y"]
        );
    }

    #[test]
    fn search_words_never_become_fts5_syntax() {
        assert_eq!(
            fts5_query("al-Testari \"OR\" NEAR("),
            Some("\"al\" AND \"Testari\" AND \"OR\" AND \"NEAR\"".into())
        );
        assert_eq!(
            fts5_query("محمد يوسف"),
            Some("\"محمد\" AND \"يوسف\"".into())
        );
        assert_eq!(fts5_query("  *** "), None);
    }
}
