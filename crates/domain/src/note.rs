//! Notes: a titled text that a member shares under a marking, optionally
//! attached to a group. The first marked record type.

use crate::{DomainError, Marking, Slug};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 100_000;

/// A validated note as its author submits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteDraft {
    pub title: String,
    pub body: String,
    pub marking: Marking,
    pub group: Option<Slug>,
}

impl NoteDraft {
    pub fn parse(
        title: &str,
        body: &str,
        marking: Marking,
        group: Option<&str>,
    ) -> Result<Self, DomainError> {
        Ok(NoteDraft {
            title: crate::text::required_line("title", title, MAX_TITLE)?,
            body: crate::text::body("body", body, MAX_BODY)?,
            marking,
            group: group
                .filter(|g| !g.trim().is_empty())
                .map(|g| Slug::parse(g.trim()))
                .transpose()?,
        })
    }
}
