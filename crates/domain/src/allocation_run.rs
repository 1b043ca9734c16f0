//! An allocation run as a kind of the record layer: what a coordinator's
//! run of the engine found (its figures, the gaps with their reasons, the
//! offers left over) and the matches it proposed, marked for its member
//! alone. What follows a run is not part of it: a coordinator's decision
//! on a proposal and the offering member's commitment are their own acts,
//! kept beside it.
//!
//! A run names requirements and offers that are records of their own; the
//! store shows a reader only the parts about records it may read now.

use crate::record::{put_list, stix_i64, stix_list, Kind, StixProperties, StixRefs};
use crate::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub struct AllocationRunKind;

/// The most characters of one proposal's explanation.
const MAX_EXPLANATION: usize = 2_000;

/// One match the engine proposed: move `amount` of an offer (a standalone
/// pledge) to a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposedMatch {
    /// 1, 2, … in the engine's order.
    pub seq: i64,
    pub contribution_id: String,
    pub requirement_id: String,
    pub amount: i64,
    pub explanation: String,
}

/// What one run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationRunBody {
    /// Open requirements and offers it took in.
    pub requirements: i64,
    pub offers: i64,
    /// Offer–requirement pairs the engine found compatible; left out of a
    /// run shown to a reader who may no longer read all it took in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_pairs: Option<i64>,
    /// What the requirements asked and what it proposed to give them.
    pub requested: i64,
    pub proposed: i64,
    /// The requirements it could not fully meet, with the reasons (each an
    /// object naming its `requirement`).
    pub gaps: Value,
    /// The offers the open needs did not (fully) take (each naming its
    /// `offer`).
    pub surplus: Value,
    pub proposals: Vec<ProposedMatch>,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// Each entry of a list of gaps or surplus is an object naming its record.
fn entries(field: &'static str, v: &Value, names: &str) -> Result<(), DomainError> {
    let list = v.as_array().ok_or_else(|| invalid(field, "not a list"))?;
    if list
        .iter()
        .all(|e| e.get(names).and_then(Value::as_str).is_some())
    {
        Ok(())
    } else {
        Err(invalid(field, format!("an entry names no {names}")))
    }
}

impl Kind for AllocationRunKind {
    const NAME: &'static str = "allocation_run";
    const LABEL: &'static str = "allocation run";
    const STIX_TYPE: &'static str = "x-coalesce-allocation-run";
    const CREATE_VERB: &'static str = "run";
    type Body = AllocationRunBody;

    fn validate(b: AllocationRunBody) -> Result<AllocationRunBody, DomainError> {
        for (field, n) in [
            ("requirements", b.requirements),
            ("offers", b.offers),
            ("compatible_pairs", b.compatible_pairs.unwrap_or(0)),
            ("requested", b.requested),
            ("proposed", b.proposed),
        ] {
            if n < 0 {
                return Err(invalid(field, format!("{n} is negative")));
            }
        }
        entries("gaps", &b.gaps, "requirement")?;
        entries("surplus", &b.surplus, "offer")?;
        let mut proposals = Vec::with_capacity(b.proposals.len());
        for (i, m) in b.proposals.into_iter().enumerate() {
            if m.seq != i as i64 + 1 {
                return Err(invalid(
                    "proposals",
                    format!("proposal {} is numbered {}", i + 1, m.seq),
                ));
            }
            if m.amount <= 0 {
                return Err(invalid("proposals", "a proposal moves a positive amount"));
            }
            proposals.push(ProposedMatch {
                contribution_id: crate::text::required_line(
                    "proposals.contribution_id",
                    &m.contribution_id,
                    64,
                )?,
                requirement_id: crate::text::required_line(
                    "proposals.requirement_id",
                    &m.requirement_id,
                    64,
                )?,
                explanation: crate::text::body(
                    "proposals.explanation",
                    &m.explanation,
                    MAX_EXPLANATION,
                )?,
                ..m
            });
        }
        Ok(AllocationRunBody { proposals, ..b })
    }

    fn stix_properties(b: &AllocationRunBody, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut m = Map::new();
        m.insert("requirements_in".into(), json!(b.requirements));
        m.insert("offers_in".into(), json!(b.offers));
        if let Some(n) = b.compatible_pairs {
            m.insert("compatible_pairs".into(), json!(n));
        }
        m.insert("requested".into(), json!(b.requested));
        m.insert("proposed".into(), json!(b.proposed));
        put_list(&mut m, "gaps", b.gaps.clone());
        put_list(&mut m, "surplus", b.surplus.clone());
        put_list(&mut m, "proposals", json!(b.proposals));
        Some(StixProperties {
            object: m,
            extension: Map::new(),
        })
    }

    fn from_stix(
        o: &Map<String, Value>,
        _: &Map<String, Value>,
    ) -> Result<AllocationRunBody, DomainError> {
        Self::validate(AllocationRunBody {
            requirements: stix_i64(o, "requirements_in")?,
            offers: stix_i64(o, "offers_in")?,
            compatible_pairs: o.get("compatible_pairs").and_then(Value::as_i64),
            requested: stix_i64(o, "requested")?,
            proposed: stix_i64(o, "proposed")?,
            gaps: o.get("gaps").cloned().unwrap_or_else(|| json!([])),
            surplus: o.get("surplus").cloned().unwrap_or_else(|| json!([])),
            proposals: stix_list(o, "proposals")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> AllocationRunBody {
        AllocationRunBody {
            requirements: 2,
            offers: 1,
            compatible_pairs: Some(1),
            requested: 30,
            proposed: 10,
            gaps: json!([{ "requirement": "r2", "requested": 20, "reason": "no offer in its category" }]),
            surplus: json!([]),
            proposals: vec![ProposedMatch {
                seq: 1,
                contribution_id: "c1".into(),
                requirement_id: "r1".into(),
                amount: 10,
                explanation: "same category, window overlaps".into(),
            }],
        }
    }

    #[test]
    fn validation_refuses_what_a_run_cannot_hold() {
        assert!(AllocationRunKind::validate(body()).is_ok());
        let mut bad = body();
        bad.proposals[0].amount = 0;
        assert!(AllocationRunKind::validate(bad).is_err());
        let mut bad = body();
        bad.proposals[0].seq = 3;
        assert!(AllocationRunKind::validate(bad).is_err());
        let mut bad = body();
        bad.gaps = json!([{ "requested": 20 }]);
        assert!(AllocationRunKind::validate(bad).is_err());
        let mut bad = body();
        bad.requested = -1;
        assert!(AllocationRunKind::validate(bad).is_err());
    }

    #[test]
    fn stix_form_round_trips() {
        let resolved = std::collections::BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2015-01-22T00:00:00.000Z",
            resolved: &resolved,
        };
        let empty = AllocationRunBody {
            gaps: json!([]),
            proposals: Vec::new(),
            ..body()
        };
        for b in [body(), empty] {
            let ok = AllocationRunKind::validate(b).expect("valid");
            let props = AllocationRunKind::stix_properties(&ok, &refs).expect("a form");
            assert!(props
                .object
                .values()
                .all(|v| v.as_array().is_none_or(|l| !l.is_empty())));
            assert_eq!(
                AllocationRunKind::from_stix(&props.object, &props.extension).expect("back"),
                ok
            );
        }
    }
}
