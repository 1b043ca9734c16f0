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

/// A note's own fields, as the record layer keeps them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteBody {
    pub title: String,
    pub body: String,
    /// The coalition group the note is attached to (not its audience).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl NoteDraft {
    /// The draft's own fields and its marking.
    pub fn into_body(self) -> (NoteBody, Marking) {
        (
            NoteBody {
                title: self.title,
                body: self.body,
                group: self.group.map(|g| g.to_string()),
            },
            self.marking,
        )
    }
}

pub struct NoteKind;

impl crate::record::Kind for NoteKind {
    const NAME: &'static str = "note";
    const LABEL: &'static str = "note";
    const STIX_TYPE: &'static str = "note";
    type Body = NoteBody;

    fn validate(b: NoteBody) -> Result<NoteBody, DomainError> {
        let unmarked = Marking::new(crate::Tlp::Clear, [])?;
        let d = NoteDraft::parse(&b.title, &b.body, unmarked, b.group.as_deref())?;
        Ok(d.into_body().0)
    }

    /// A STIX `note`: its title the abstract, its text the content, about
    /// its origin (a STIX note must refer to something); the group travels
    /// in coalesce's record extension.
    fn stix_properties(
        b: &NoteBody,
        refs: &crate::record::StixRefs<'_>,
    ) -> Option<crate::record::StixProperties> {
        let mut p = crate::record::StixProperties::default();
        p.object.insert("abstract".into(), b.title.clone().into());
        p.object.insert("content".into(), b.body.clone().into());
        p.object.insert(
            "object_refs".into(),
            vec![refs.origin_identity.to_string()].into(),
        );
        if let Some(g) = &b.group {
            p.extension.insert("group".into(), g.clone().into());
        }
        Some(p)
    }

    fn from_stix(
        o: &serde_json::Map<String, serde_json::Value>,
        ext: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<NoteBody, DomainError> {
        Self::validate(NoteBody {
            title: crate::record::stix_str(o, "abstract")?.to_string(),
            body: crate::record::stix_str(o, "content")?.to_string(),
            group: ext
                .get("group")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
        })
    }
}
