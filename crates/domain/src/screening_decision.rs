//! A member's review of a sanctions-screening hit: the party as screened,
//! the list entry it was matched with (as that entry was), confirmed or a
//! false positive, and why. A record of the record layer owned by the
//! reviewing member and read by that member only: one member's reviews
//! never show to (or suppress alerts of) another. Parties are matched by
//! [`party_key`], an exact comparison of a normalised name, never a fuzzy
//! one, so a decision is never applied to a different spelling.

use crate::record::{stix_str, Kind, RefTarget, Reference, StixProperties, StixRefs};
use crate::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Longest party name accepted (characters).
pub const MAX_PARTY_LEN: usize = 300;
/// Longest decision reason accepted (characters).
pub const MAX_REASON_LEN: usize = 2000;
/// Longest entry id (`list:reference`) accepted (characters).
pub const MAX_ENTITY_ID_LEN: usize = 200;

/// The key decisions are remembered under: trimmed, lower-cased, whitespace collapsed.
pub fn party_key(party: &str) -> String {
    party
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// `confirmed` or `false_positive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecisionKind {
    Confirmed,
    FalsePositive,
}

impl DecisionKind {
    pub fn parse(s: &str) -> Option<DecisionKind> {
        match s {
            "confirmed" => Some(DecisionKind::Confirmed),
            "false_positive" => Some(DecisionKind::FalsePositive),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Confirmed => "confirmed",
            DecisionKind::FalsePositive => "false_positive",
        }
    }
}

/// Screening decisions are records of the record layer.
pub struct ScreeningDecisionKind;

/// A decision's own fields, as a reviewer submits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionBody {
    /// The party as screened.
    pub party: String,
    /// The list entry: `list:reference`, e.g. `un:QDi.001`.
    pub entity_id: String,
    /// Content hash of the entry as it was when reviewed: the decision
    /// holds while the entry is unchanged.
    pub entry_hash: String,
    pub decision: DecisionKind,
    pub reason: String,
    /// The party's date of birth as screened (YYYY, YYYY-MM or YYYY-MM-DD),
    /// if it was known: the decision then holds for that date only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// The party's nationality as screened, if it was known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

impl Kind for ScreeningDecisionKind {
    const NAME: &'static str = "screening_decision";
    const LABEL: &'static str = "screening decision";
    const STIX_TYPE: &'static str = "x-coalesce-screening-decision";
    const REFERS_TO: &'static [RefTarget] = &[RefTarget::Party];
    type Body = DecisionBody;

    /// Checks lengths and emptiness; trims the party and the reason.
    fn validate(d: DecisionBody) -> Result<DecisionBody, DomainError> {
        let party = d.party.trim();
        if party.is_empty() {
            return Err(invalid("party", "must not be empty"));
        }
        if party.chars().count() > MAX_PARTY_LEN {
            return Err(invalid(
                "party",
                format!("at most {MAX_PARTY_LEN} characters"),
            ));
        }
        let reason = d.reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "a reason is required"));
        }
        if reason.chars().count() > MAX_REASON_LEN {
            return Err(invalid(
                "reason",
                format!("at most {MAX_REASON_LEN} characters"),
            ));
        }
        let entity_id = d.entity_id.trim();
        if entity_id.is_empty() || entity_id.chars().count() > MAX_ENTITY_ID_LEN {
            return Err(invalid("entity_id", "expected list:reference"));
        }
        if d.entry_hash.is_empty() || d.entry_hash.len() > 128 {
            return Err(invalid("entry_hash", "missing or too long"));
        }
        let birth_date = d
            .birth_date
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(|b| crate::text::partial_date("birth_date", b))
            .transpose()?;
        let nationality = d
            .nationality
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                if n.chars().count() <= 100 {
                    Ok(n.to_string())
                } else {
                    Err(invalid("nationality", "at most 100 characters"))
                }
            })
            .transpose()?;
        Ok(DecisionBody {
            party: party.to_string(),
            entity_id: entity_id.to_string(),
            entry_hash: d.entry_hash,
            decision: d.decision,
            reason: reason.to_string(),
            birth_date,
            nationality,
        })
    }

    /// Decisions are looked up by the party's key.
    fn references(d: &DecisionBody) -> Vec<Reference> {
        vec![Reference {
            target: RefTarget::Party,
            id: party_key(&d.party),
        }]
    }

    fn stix_properties(d: &DecisionBody, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut m = Map::new();
        m.insert("party".into(), json!(d.party));
        m.insert("list_entry".into(), json!(d.entity_id));
        m.insert("entry_hash".into(), json!(d.entry_hash));
        m.insert("decision".into(), json!(d.decision.as_str()));
        m.insert("reason".into(), json!(d.reason));
        if let Some(b) = &d.birth_date {
            m.insert("birth_date".into(), json!(b));
        }
        if let Some(n) = &d.nationality {
            m.insert("nationality".into(), json!(n));
        }
        Some(StixProperties {
            object: m,
            extension: Map::new(),
        })
    }

    fn from_stix(
        o: &Map<String, Value>,
        _: &Map<String, Value>,
    ) -> Result<DecisionBody, DomainError> {
        let opt = |f: &str| o.get(f).and_then(Value::as_str).map(str::to_string);
        let decision = stix_str(o, "decision")?;
        Self::validate(DecisionBody {
            party: stix_str(o, "party")?.to_string(),
            entity_id: stix_str(o, "list_entry")?.to_string(),
            entry_hash: stix_str(o, "entry_hash")?.to_string(),
            decision: DecisionKind::parse(decision).ok_or_else(|| {
                invalid(
                    "decision",
                    format!("{decision:?}: confirmed or false_positive"),
                )
            })?,
            reason: stix_str(o, "reason")?.to_string(),
            birth_date: opt("birth_date"),
            nationality: opt("nationality"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_decision_round_trips_through_stix_and_is_found_by_its_party_key() {
        let d = ScreeningDecisionKind::validate(DecisionBody {
            party: " Ali  HASSAN ".into(),
            entity_id: "un:QDi.1".into(),
            entry_hash: "abc".into(),
            decision: DecisionKind::FalsePositive,
            reason: " different father ".into(),
            birth_date: Some(" 1980-05 ".into()),
            nationality: Some(" ".into()),
        })
        .expect("valid");
        assert_eq!(d.party, "Ali  HASSAN");
        assert_eq!(d.birth_date.as_deref(), Some("1980-05"));
        assert_eq!(d.nationality, None);
        assert_eq!(ScreeningDecisionKind::references(&d)[0].id, "ali hassan");
        let resolved = BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let p = ScreeningDecisionKind::stix_properties(&d, &refs).expect("a form");
        assert_eq!(
            ScreeningDecisionKind::from_stix(&p.object, &p.extension).expect("back"),
            d
        );
    }
}
