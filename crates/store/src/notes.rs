//! Notes: a titled text that a member shares under a marking, the first
//! marked record type — a kind of the record layer ([`crate::records`]):
//! what is here is only the note's own shape and its one extra check (the
//! group it is attached to exists).

use crate::records::RecordFilter;
pub use crate::records::{all_pages, parse_cursor, Page, MAX_PAGE};
use crate::{now_ms, Principal, Result, Store, StoreError};
use coalesce_domain::note::{NoteBody, NoteDraft, NoteKind};
use coalesce_domain::record::{Record, RecordVersion, Status};
use coalesce_domain::Marking;
use serde::Serialize;

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

impl From<Record<NoteBody>> for Note {
    fn from(r: Record<NoteBody>) -> Note {
        Note {
            id: r.id,
            origin: r.origin,
            title: r.body.title,
            body: r.body.body,
            marking: r.marking,
            group: r.body.group,
            version: r.version,
            revoked: r.status == Status::Withdrawn,
            created_at_ms: r.created_at_ms,
            created_by: r.created_by,
            updated_at_ms: r.updated_at_ms,
            updated_by: r.updated_by,
        }
    }
}

impl From<RecordVersion<NoteBody>> for NoteVersion {
    fn from(v: RecordVersion<NoteBody>) -> NoteVersion {
        NoteVersion {
            version: v.version,
            title: v.body.title,
            body: v.body.body,
            marking: v.marking,
            group: v.body.group,
            revoked: v.status == Status::Withdrawn,
            updated_at_ms: v.at_ms,
            updated_by: v.author,
        }
    }
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
        self.check_group(draft).await?;
        let (body, marking) = draft.clone().into_body();
        Ok(self
            .create_record_at::<NoteKind>(p, body, marking, at_ms)
            .await?
            .into())
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
        self.check_group(draft).await?;
        let (body, marking) = draft.clone().into_body();
        Ok(self
            .change_record::<NoteKind>(p, id, body, marking, if_version)
            .await?
            .into())
    }

    /// Withdraws a note: it leaves every list; its versions are kept.
    pub async fn revoke_note(&self, p: &Principal, id: &str) -> Result<Note> {
        Ok(self.withdraw_record::<NoteKind>(p, id, None).await?.into())
    }

    /// Reads one note. Outside the viewer's audience it does not exist
    /// (NotFound, never Forbidden, so its existence does not leak).
    pub async fn get_note(&self, p: &Principal, id: &str) -> Result<Note> {
        Ok(self.get_record::<NoteKind>(p, id).await?.into())
    }

    /// Newest first; withdrawn notes are left out.
    pub async fn list_notes(
        &self,
        p: &Principal,
        cursor: Option<&str>,
        limit: i64,
    ) -> Result<Page<Note>> {
        let page = self
            .list_records::<NoteKind>(p, &RecordFilter::default(), cursor, limit)
            .await?;
        Ok(Page {
            items: page.items.into_iter().map(Into::into).collect(),
            next: page.next,
        })
    }

    /// How many notes the viewer may read (withdrawn ones left out).
    pub async fn count_notes(&self, p: &Principal) -> Result<i64> {
        self.count_records::<NoteKind>(p).await
    }

    /// The kept versions of a note that the viewer may read, oldest first.
    pub async fn note_versions(&self, p: &Principal, id: &str) -> Result<Vec<NoteVersion>> {
        Ok(self
            .record_versions::<NoteKind>(p, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
