//! Relationships between entities (a person travelled with another, a
//! company operates a vessel …): records of the record layer, each under
//! its own marking, referring to the two entities it relates. A
//! relationship is shown only to a reader of both its ends: what it says
//! is about them.

use crate::record::{stix_str, Kind, RefTarget, Reference, StixProperties, StixRefs};
use crate::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The longest note on a relationship.
pub const MAX_NOTE: usize = 5_000;

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// How two entities are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RelationshipType {
    TravelledWith,
    Financed,
    Owns,
    Operates,
    SightedAt,
}

impl RelationshipType {
    pub const ALL: [RelationshipType; 5] = [
        RelationshipType::TravelledWith,
        RelationshipType::Financed,
        RelationshipType::Owns,
        RelationshipType::Operates,
        RelationshipType::SightedAt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationshipType::TravelledWith => "travelled-with",
            RelationshipType::Financed => "financed",
            RelationshipType::Owns => "owns",
            RelationshipType::Operates => "operates",
            RelationshipType::SightedAt => "sighted-at",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        RelationshipType::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                invalid(
                    "relationship",
                    format!(
                        "{s:?}: expected one of {}",
                        RelationshipType::ALL.map(|k| k.as_str()).join(", ")
                    ),
                )
            })
    }
}

/// Relationships are records of the record layer.
pub struct RelationshipKind;

/// A relationship's own fields: the ids of the entities it relates, what
/// it says, a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelationshipBody {
    /// The id of the entity it goes from.
    pub from: String,
    /// The id of the entity it goes to.
    pub to: String,
    pub relationship_type: RelationshipType,
    #[serde(default)]
    pub note: String,
}

fn entity_id(field: &'static str, s: &str) -> Result<String, DomainError> {
    uuid_text(s.trim()).ok_or_else(|| invalid(field, format!("{s:?} is not an entity id")))
}

/// A UUID in its canonical lowercase hyphenated form, or nothing.
fn uuid_text(s: &str) -> Option<String> {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    let groups: Vec<usize> = s.split('-').map(str::len).collect();
    (groups == [8, 4, 4, 4, 12] && hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| s.to_ascii_lowercase())
}

impl Kind for RelationshipKind {
    const NAME: &'static str = "relationship";
    const LABEL: &'static str = "relationship";
    const STIX_TYPE: &'static str = "relationship";
    const REFERS_TO: &'static [RefTarget] = &[RefTarget::Entity];
    type Body = RelationshipBody;

    fn validate(b: RelationshipBody) -> Result<RelationshipBody, DomainError> {
        let from = entity_id("from", &b.from)?;
        let to = entity_id("to", &b.to)?;
        if from == to {
            return Err(invalid("to", "an entity is not related to itself"));
        }
        Ok(RelationshipBody {
            from,
            to,
            relationship_type: b.relationship_type,
            note: crate::text::body("note", &b.note, MAX_NOTE)?,
        })
    }

    fn references(b: &RelationshipBody) -> Vec<Reference> {
        [&b.from, &b.to]
            .into_iter()
            .map(|id| Reference {
                target: RefTarget::Entity,
                id: id.clone(),
            })
            .collect()
    }

    /// A STIX `relationship` between its ends' objects: STIX's own
    /// `located-at` where it has the meaning (something sighted at a
    /// place), else `related-to`; coalesce's type is its label. Without
    /// both ends' objects (an end the reader may not read, a place with no
    /// known country) there is no form.
    fn stix_properties(b: &RelationshipBody, refs: &StixRefs<'_>) -> Option<StixProperties> {
        let [from, to] = <[Reference; 2]>::try_from(Self::references(b)).ok()?;
        let source = refs.of(&from)?;
        let target = refs.of(&to)?;
        let located =
            b.relationship_type == RelationshipType::SightedAt && target.starts_with("location--");
        let mut o = Map::new();
        o.insert(
            "relationship_type".into(),
            json!(if located { "located-at" } else { "related-to" }),
        );
        o.insert("labels".into(), json!([b.relationship_type.as_str()]));
        o.insert("source_ref".into(), json!(source));
        o.insert("target_ref".into(), json!(target));
        if !b.note.is_empty() {
            o.insert("description".into(), json!(b.note));
        }
        let mut ext = Map::new();
        ext.insert("from".into(), json!(b.from));
        ext.insert("to".into(), json!(b.to));
        Some(StixProperties {
            object: o,
            extension: ext,
        })
    }

    /// Shared before the record layer under `relationship--<uuidv5 of its
    /// id>`: kept, so TAXII readers see the same objects.
    fn stix_id_seed(record_id: &str) -> String {
        record_id.to_string()
    }

    fn from_stix(
        o: &Map<String, Value>,
        ext: &Map<String, Value>,
    ) -> Result<RelationshipBody, DomainError> {
        let label = o
            .get("labels")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("labels", "the relationship's type is its first label"))?;
        Self::validate(RelationshipBody {
            from: stix_str(ext, "from")?.to_string(),
            to: stix_str(ext, "to")?.to_string(),
            relationship_type: RelationshipType::parse(label)?,
            note: o
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const A: &str = "019abc00-0000-7000-8000-000000000001";
    const B: &str = "019abc00-0000-7000-8000-000000000002";

    fn body(from: &str, to: &str) -> RelationshipBody {
        RelationshipBody {
            from: from.into(),
            to: to.into(),
            relationship_type: RelationshipType::SightedAt,
            note: " same bus ".into(),
        }
    }

    #[test]
    fn ends_are_two_distinct_entity_ids() {
        let ok = RelationshipKind::validate(body(&A.to_uppercase(), B)).expect("valid");
        assert_eq!((ok.from.as_str(), ok.note.as_str()), (A, " same bus "));
        assert!(RelationshipKind::validate(body(A, A)).is_err());
        assert!(RelationshipKind::validate(body(A, "not-an-id")).is_err());
        assert!(RelationshipKind::validate(body("", B)).is_err());
    }

    #[test]
    fn the_stix_form_needs_both_ends_and_round_trips() {
        let b = RelationshipKind::validate(body(A, B)).expect("valid");
        let [from, to] = <[Reference; 2]>::try_from(RelationshipKind::references(&b)).expect("two");
        let mut resolved = BTreeMap::from([(from, "identity--1".to_string())]);
        let refs = StixRefs {
            origin_identity: "identity--o",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        assert!(RelationshipKind::stix_properties(&b, &refs).is_none());
        resolved.insert(to, "location--2".into());
        let refs = StixRefs {
            origin_identity: "identity--o",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let p = RelationshipKind::stix_properties(&b, &refs).expect("a form");
        assert_eq!(p.object["relationship_type"], "located-at");
        assert_eq!(p.object["source_ref"], "identity--1");
        assert_eq!(
            RelationshipKind::from_stix(&p.object, &p.extension).expect("back"),
            b
        );
    }
}
