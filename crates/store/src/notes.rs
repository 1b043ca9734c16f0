//! Notes, the first marked record type: every read goes through
//! [`crate::audience::readable`]; every change makes a new kept version.

use crate::audience::{marking_from_columns, readable, rel_to_json};
use crate::{audience, audit, counts, new_id_at, now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::note::NoteDraft;
use coalesce_domain::Marking;
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: String,
    pub origin: String,
    pub title: String,
    pub body: String,
    pub marking: Marking,
    pub group: Option<String>,
    pub version: i64,
    pub revoked: bool,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteVersion {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub marking: Marking,
    pub group: Option<String>,
    pub revoked: bool,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

/// One page of a list: the items and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

pub const MAX_PAGE: i64 = 500;

/// Every item of a paged read (exports): `page` reads the page after the
/// cursor it is given (`None` for the first), until there is no next page.
pub async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let p = page(cursor.take()).await?;
        out.extend(p.items);
        match p.next {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

const NOTE_COLUMNS: &str =
    "n.id, n.origin, n.title, n.body, n.tlp, n.rel_to, n.group_slug, n.version, n.revoked, n.created_at, n.created_by, n.updated_at, n.updated_by";

/// Cursors are note ids (UUIDv7, so they sort by creation time).
pub fn parse_cursor(c: &str) -> Result<String> {
    uuid::Uuid::parse_str(c)
        .map(|u| u.to_string())
        .map_err(|_| {
            StoreError::BadRequest(format!(
                "invalid cursor {c:?}: pass back the value of `next` unchanged"
            ))
        })
}

impl Store {
    pub async fn create_note(&self, p: &Principal, draft: &NoteDraft) -> Result<Note> {
        self.create_note_at(p, draft, now_ms()).await
    }

    /// Creates a note dated `at_ms` (the demo loader dates notes as the seed
    /// documents do).
    pub async fn create_note_at(
        &self,
        p: &Principal,
        draft: &NoteDraft,
        at_ms: i64,
    ) -> Result<Note> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden(
                "viewers cannot create records".into(),
            ));
        }
        self.check_group(draft).await?;
        let id = new_id_at(at_ms);
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO notes (id, origin, title, body, tlp, rel_to, group_slug, version, revoked, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 0, $8, $9, $8, $9)",
        )
        .bind(&id)
        .bind(p.member.as_str())
        .bind(&draft.title)
        .bind(&draft.body)
        .bind(draft.marking.tlp.as_str())
        .bind(rel_to_json(&draft.marking))
        .bind(draft.group.as_ref().map(|g| g.to_string()))
        .bind(at_ms)
        .bind(p.username.as_str())
        .execute(&mut *w.tx)
        .await?;
        audience::set(&mut w.tx, &id, &draft.marking, &p.member).await?;
        counts::adjust(&mut w.tx, &counts::NOTE, &id, 1).await?;
        insert_version(&mut w, &id, 1, draft, false, at_ms, p).await?;
        audit::append(
            &mut w.tx,
            Some(p),
            "note.create",
            &id,
            &serde_json::json!({ "marking": draft.marking.banner(&p.member), "version": 1 }),
        )
        .await?;
        w.commit().await?;
        self.fetch_note(p, &id).await
    }

    async fn check_group(&self, draft: &NoteDraft) -> Result<()> {
        if let Some(g) = &draft.group {
            self.get_group(g.as_str()).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::BadRequest(format!("unknown group {g}")),
                other => other,
            })?;
        }
        Ok(())
    }

    /// Changes a note: only users of its origin member may; the previous
    /// version is kept. `if_version` guards against lost updates.
    pub async fn update_note(
        &self,
        p: &Principal,
        id: &str,
        draft: &NoteDraft,
        if_version: Option<i64>,
    ) -> Result<Note> {
        self.change_note(p, id, Some(draft), if_version).await
    }

    /// Withdraws a note: it leaves every list; its versions are kept.
    pub async fn revoke_note(&self, p: &Principal, id: &str) -> Result<Note> {
        self.change_note(p, id, None, None).await
    }

    async fn change_note(
        &self,
        p: &Principal,
        id: &str,
        draft: Option<&NoteDraft>,
        if_version: Option<i64>,
    ) -> Result<Note> {
        if !p.role.can_write_records() {
            return Err(StoreError::Forbidden(
                "viewers cannot change records".into(),
            ));
        }
        if let Some(d) = draft {
            self.check_group(d).await?;
        }
        let current = self.fetch_note(p, id).await?;
        if current.origin != p.member.as_str() {
            return Err(StoreError::Forbidden(format!(
                "only users of {} change this note",
                current.origin
            )));
        }
        if current.revoked {
            return Err(StoreError::withdrawn("note"));
        }
        if let Some(v) = if_version {
            if v != current.version {
                return Err(StoreError::stale("note", current.version, v));
            }
        }
        let revoking = draft.is_none();
        let next = NoteDraft {
            title: draft
                .map(|d| d.title.clone())
                .unwrap_or(current.title.clone()),
            body: draft
                .map(|d| d.body.clone())
                .unwrap_or(current.body.clone()),
            marking: draft
                .map(|d| d.marking.clone())
                .unwrap_or(current.marking.clone()),
            group: draft.map(|d| d.group.clone()).unwrap_or_else(|| {
                current
                    .group
                    .as_deref()
                    .and_then(|g| coalesce_domain::Slug::parse(g).ok())
            }),
        };
        let version = current.version + 1;
        let now = now_ms();
        let mut w = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE notes SET title = $1, body = $2, tlp = $3, rel_to = $4, group_slug = $5, version = $6, revoked = $7, updated_at = $8, updated_by = $9 \
             WHERE id = $10 AND version = $11",
        )
        .bind(&next.title)
        .bind(&next.body)
        .bind(next.marking.tlp.as_str())
        .bind(rel_to_json(&next.marking))
        .bind(next.group.as_ref().map(|g| g.to_string()))
        .bind(version)
        .bind(i64::from(revoking))
        .bind(now)
        .bind(p.username.as_str())
        .bind(id)
        .bind(current.version)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::changed_meanwhile("note"));
        }
        counts::adjust(&mut w.tx, &counts::NOTE, id, -1).await?;
        audience::set(&mut w.tx, id, &next.marking, &p.member).await?;
        if !revoking {
            counts::adjust(&mut w.tx, &counts::NOTE, id, 1).await?;
        }
        insert_version(&mut w, id, version, &next, revoking, now, p).await?;
        let action = if revoking {
            "note.revoke"
        } else {
            "note.update"
        };
        audit::append(
            &mut w.tx,
            Some(p),
            action,
            id,
            &serde_json::json!({ "marking": next.marking.banner(&p.member), "version": version }),
        )
        .await?;
        w.commit().await?;
        self.fetch_note(p, id).await
    }

    /// A note the viewer may read, revoked or not; no audit entry.
    async fn fetch_note(&self, p: &Principal, id: &str) -> Result<Note> {
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM notes n WHERE n.id = $2 AND {}",
            readable("n.id", "$1")
        );
        let row = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        note_from_row(&row)
    }

    /// Reads one note. Outside the viewer's audience it does not exist
    /// (NotFound, never Forbidden, so its existence does not leak).
    pub async fn get_note(&self, p: &Principal, id: &str) -> Result<Note> {
        let note = self.fetch_note(p, id).await?;
        if note.marking.tlp.read_is_audited() {
            self.audit_event(
                p.username.as_str(),
                p.member.as_str(),
                "note.read",
                id,
                &serde_json::json!({ "tlp": note.marking.tlp }),
            )
            .await?;
        }
        Ok(note)
    }

    /// Newest first; withdrawn notes are left out. Reads of AMBER and RED
    /// notes in the page are audited (one entry naming them).
    pub async fn list_notes(
        &self,
        p: &Principal,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Note>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = cursor.map(parse_cursor).transpose()?;
        let sql = format!(
            "SELECT {NOTE_COLUMNS} FROM notes n WHERE n.revoked = 0 AND ($2 = '' OR n.id < $2) AND {} ORDER BY n.id DESC LIMIT $3",
            readable("n.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(cursor.unwrap_or_default())
            .bind(limit + 1)
            .fetch_all(self.pool())
            .await?;
        let mut items = rows.iter().map(note_from_row).collect::<Result<Vec<_>>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|n| n.id.clone())
        } else {
            None
        };
        let audited: Vec<&str> = items
            .iter()
            .filter(|n| n.marking.tlp.read_is_audited())
            .map(|n| n.id.as_str())
            .collect();
        if !audited.is_empty() {
            self.audit_event(
                p.username.as_str(),
                p.member.as_str(),
                "note.read",
                "list",
                &serde_json::json!({ "ids": audited }),
            )
            .await?;
        }
        Ok(Page { items, next })
    }

    /// How many notes the viewer may read (withdrawn ones left out).
    pub async fn count_notes(&self, p: &Principal) -> Result<i64> {
        counts::count(self.pool(), p, &counts::NOTE).await
    }

    /// The kept versions of a note, oldest first: only if the viewer may read
    /// the note now, and only the versions whose own marking admits the viewer.
    pub async fn note_versions(&self, p: &Principal, id: &str) -> Result<Vec<NoteVersion>> {
        let note = self.fetch_note(p, id).await?;
        let sql = format!(
            "SELECT v.version, v.title, v.body, v.tlp, v.rel_to, v.group_slug, v.revoked, v.updated_at, v.updated_by \
             FROM note_versions v WHERE v.note_id = $2 AND {} ORDER BY v.version",
            readable("v.id", "$1")
        );
        let rows = sqlx::query(&sql)
            .bind(p.member.as_str())
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        let versions = rows
            .iter()
            .map(|r| {
                Ok(NoteVersion {
                    version: r.try_get("version")?,
                    title: r.try_get("title")?,
                    body: r.try_get("body")?,
                    marking: marking_from_columns(
                        &r.try_get::<String, _>("tlp")?,
                        &r.try_get::<String, _>("rel_to")?,
                    )?,
                    group: r.try_get("group_slug")?,
                    revoked: r.try_get::<i64, _>("revoked")? != 0,
                    updated_at_ms: r.try_get("updated_at")?,
                    updated_by: r.try_get("updated_by")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if note.marking.tlp.read_is_audited()
            || versions.iter().any(|v| v.marking.tlp.read_is_audited())
        {
            self.audit_event(
                p.username.as_str(),
                p.member.as_str(),
                "note.read_versions",
                id,
                &serde_json::json!({ "versions": versions.len() }),
            )
            .await?;
        }
        Ok(versions)
    }
}

async fn insert_version(
    w: &mut crate::WriteTx<'_>,
    note_id: &str,
    version: i64,
    d: &NoteDraft,
    revoked: bool,
    at: i64,
    p: &Principal,
) -> Result<()> {
    let vid = new_id_at(at);
    sqlx::query(
        "INSERT INTO note_versions (id, note_id, version, title, body, tlp, rel_to, group_slug, revoked, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&vid)
    .bind(note_id)
    .bind(version)
    .bind(&d.title)
    .bind(&d.body)
    .bind(d.marking.tlp.as_str())
    .bind(rel_to_json(&d.marking))
    .bind(d.group.as_ref().map(|g| g.to_string()))
    .bind(i64::from(revoked))
    .bind(at)
    .bind(p.username.as_str())
    .execute(&mut *w.tx)
    .await?;
    // The record's audience rows were just written for this same marking.
    audience::copy(&mut w.tx, note_id, &vid).await?;
    Ok(())
}

fn note_from_row(r: &sqlx::any::AnyRow) -> Result<Note> {
    Ok(Note {
        id: r.try_get("id")?,
        origin: r.try_get("origin")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        marking: marking_from_columns(
            &r.try_get::<String, _>("tlp")?,
            &r.try_get::<String, _>("rel_to")?,
        )?,
        group: r.try_get("group_slug")?,
        version: r.try_get("version")?,
        revoked: r.try_get::<i64, _>("revoked")? != 0,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}
