//! A requirement as a kind of the record layer: its own fields (what is
//! asked, by whom, where, when, how urgently), their checks and its STIX
//! 2.1 form, `x-coalesce-requirement`. The requesting member's
//! confirmation is its own act, kept beside the record, not a field of it:
//! only the origin member writes the record.

use super::stix_fields;
use super::*;
use crate::record::{stix_i64, stix_str, Kind, StixProperties, StixRefs};
use serde_json::{json, Map, Value};

pub struct RequirementRecordKind;

/// The fields of a requirement, as the layer keeps each version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementBody {
    pub title: String,
    pub description: String,
    pub requesting_member: String,
    pub line_of_effort: String,
    pub category: String,
    pub measure: Measure,
    pub place: Place,
    pub window: Window,
    pub priority: i64,
}

impl Requirement {
    /// A requirement as the layer just wrote it (its typed row is
    /// projected from the same record, so a write need not read it back).
    /// Recorded by its requesting member, it stands confirmed by that act.
    pub fn from_written(r: &crate::record::Record<RequirementBody>) -> Self {
        let b = &r.body;
        Requirement {
            id: r.id.clone(),
            origin: r.origin.clone(),
            requesting_member: b.requesting_member.clone(),
            line_of_effort: b.line_of_effort.clone(),
            category: b.category.clone(),
            title: b.title.clone(),
            description: b.description.clone(),
            measure: b.measure.clone(),
            place: b.place.clone(),
            window: b.window.clone(),
            priority: b.priority,
            marking: r.marking.clone(),
            version: r.version,
            revoked: r.status == crate::record::Status::Withdrawn,
            requester_confirmed: b.requesting_member == r.origin,
            created_at_ms: r.created_at_ms,
            created_by: r.created_by.clone(),
            updated_at_ms: r.updated_at_ms,
            updated_by: r.updated_by.clone(),
        }
    }
}

impl RequirementDraft {
    /// The draft's fields as the layer keeps them.
    pub fn body(&self) -> RequirementBody {
        RequirementBody {
            title: self.title.clone(),
            description: self.description.clone(),
            requesting_member: self.requesting_member.to_string(),
            line_of_effort: self.line_of_effort.to_string(),
            category: self.category.to_string(),
            measure: self.measure.clone(),
            place: self.place.clone(),
            window: self.window.clone(),
            priority: self.priority.get(),
        }
    }

    /// The draft a kept body and marking make (checked again).
    pub fn from_body(b: RequirementBody, marking: Marking) -> Result<Self, DomainError> {
        let b = RequirementRecordKind::validate(b)?;
        RequirementDraft::parse(
            &b.title,
            &b.description,
            &b.requesting_member,
            &b.line_of_effort,
            &b.category,
            b.measure,
            b.place,
            b.window,
            b.priority,
            marking,
        )
    }
}

impl Kind for RequirementRecordKind {
    const NAME: &'static str = "requirement";
    const LABEL: &'static str = "requirement";
    const STIX_TYPE: &'static str = "x-coalesce-requirement";
    type Body = RequirementBody;

    fn validate(b: RequirementBody) -> Result<RequirementBody, DomainError> {
        Ok(RequirementBody {
            title: crate::text::required_line("title", &b.title, MAX_TITLE)?,
            description: crate::text::body("description", &b.description, MAX_DESCRIPTION)?,
            requesting_member: MemberCode::parse(b.requesting_member.trim())?.to_string(),
            line_of_effort: Slug::parse(b.line_of_effort.trim())?.to_string(),
            category: Slug::parse(b.category.trim())?.to_string(),
            measure: Measure::parse(b.measure.kind(), b.measure.amount(), b.measure.unit())?,
            place: b.place.checked()?,
            window: Window::parse(&b.window.start, &b.window.end)?,
            priority: Priority::parse(b.priority)?.get(),
        })
    }

    /// Contributions already count in the requirement's measure: its kind
    /// and unit or currency never change.
    fn immutable_change(old: &RequirementBody, new: &RequirementBody) -> Option<&'static str> {
        (!old.measure.same_unit(&new.measure)).then_some(
            "a requirement's measure (quantity or money, and its unit or currency) cannot change: withdraw it and record a new one",
        )
    }

    fn stix_properties(b: &RequirementBody, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut m = Map::new();
        stix_fields::put_common(
            &mut m,
            &b.title,
            &b.description,
            &b.line_of_effort,
            &b.category,
            &b.measure,
        );
        m.insert("requesting_member".into(), json!(b.requesting_member));
        stix_fields::put_place(&mut m, &b.place);
        stix_fields::put_window(&mut m, &b.window);
        m.insert("priority".into(), json!(b.priority));
        Some(StixProperties {
            object: m,
            extension: Map::new(),
        })
    }

    fn from_stix(
        o: &Map<String, Value>,
        _: &Map<String, Value>,
    ) -> Result<RequirementBody, DomainError> {
        let c = stix_fields::common(o)?;
        let missing = |field| DomainError::InvalidField {
            field,
            reason: "missing".into(),
        };
        Self::validate(RequirementBody {
            title: c.title,
            description: c.description,
            requesting_member: stix_str(o, "requesting_member")?.to_string(),
            line_of_effort: c.line_of_effort,
            category: c.category,
            measure: c.measure,
            place: stix_fields::place(o).ok_or_else(|| missing("country"))?,
            window: stix_fields::window(o).ok_or_else(|| missing("window_start"))?,
            priority: stix_i64(o, "priority")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> RequirementBody {
        RequirementBody {
            title: " Night-vision kits ".into(),
            description: "For the 5th brigade.".into(),
            requesting_member: "IRQ".into(),
            line_of_effort: "security-assistance".into(),
            category: "night-vision".into(),
            measure: Measure::quantity(12, "kit").expect("measure"),
            place: Place {
                country: "IRQ".into(),
                admin1: Some(AdminArea {
                    name: "Ninewa".into(),
                    pcode: "IQG15".into(),
                }),
                town: Some("Mosul".into()),
                point: Some(Coordinates {
                    lat_micro: 36_340_000,
                    lon_micro: 43_130_000,
                }),
            },
            window: Window {
                start: "2015-02-01".into(),
                end: "2015-06-30".into(),
            },
            priority: 1,
        }
    }

    #[test]
    fn validation_normalises_and_refuses_bad_fields() {
        let ok = RequirementRecordKind::validate(body()).expect("valid");
        assert_eq!(ok.title, "Night-vision kits");
        let mut bad = body();
        bad.priority = 9;
        assert!(RequirementRecordKind::validate(bad).is_err());
        let mut bad = body();
        bad.window.end = "2015-01-01".into();
        assert!(RequirementRecordKind::validate(bad).is_err());
        let mut bad = body();
        bad.place.country = "XX".into();
        assert!(RequirementRecordKind::validate(bad).is_err());
        let mut bad = body();
        bad.measure = Measure::Money {
            amount: 5,
            currency: "ZZZ".into(),
        };
        assert!(RequirementRecordKind::validate(bad).is_err());
    }

    #[test]
    fn the_measure_never_changes_its_unit() {
        let old = body();
        let mut more = body();
        more.measure = Measure::quantity(20, "kit").expect("m");
        assert!(RequirementRecordKind::immutable_change(&old, &more).is_none());
        more.measure = Measure::quantity(20, "set").expect("m");
        assert!(RequirementRecordKind::immutable_change(&old, &more).is_some());
    }

    #[test]
    fn stix_form_round_trips() {
        let resolved = std::collections::BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2015-01-22T00:00:00.000Z",
            resolved: &resolved,
        };
        for b in [body(), {
            let mut b = body();
            b.place.admin1 = None;
            b.place.town = None;
            b.place.point = None;
            b.description = String::new();
            b.measure = Measure::money(250_000, "USD").expect("m");
            b
        }] {
            let ok = RequirementRecordKind::validate(b).expect("valid");
            let props = RequirementRecordKind::stix_properties(&ok, &refs).expect("a form");
            assert_eq!(
                RequirementRecordKind::from_stix(&props.object, &props.extension).expect("back"),
                ok
            );
        }
    }

    #[test]
    fn a_draft_and_its_body_agree() {
        let b = RequirementRecordKind::validate(body()).expect("valid");
        let d = RequirementDraft::from_body(
            b.clone(),
            Marking::new(crate::Tlp::Green, []).expect("marking"),
        )
        .expect("draft");
        assert_eq!(d.body(), b);
    }
}
