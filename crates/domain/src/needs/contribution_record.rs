//! A contribution as a kind of the record layer: its own fields (what is
//! given, by which members, against which requirement, where and when if
//! it says so itself, how far along it is, what was delivered, who
//! supplies and carries it), their checks and its STIX 2.1 form,
//! `x-coalesce-contribution`.
//!
//! What other members do about a contribution is theirs, kept beside it
//! and never in it: a co-contributor's confirmation, the requesting
//! member's confirmation of receipt. A place or window taken from the
//! requirement is never copied here: it is read through the requirement's
//! audience.

use super::stix_fields;
use super::*;
use crate::record::{put_list, stix_list, stix_str, Kind, StixProperties, StixRefs};
use serde_json::{json, Map, Value};

pub struct ContributionRecordKind;

/// One delivery, as the contributing member records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryBody {
    /// 1, 2, … in the order recorded.
    pub seq: i64,
    pub delivered_on: String,
    pub amount: i64,
    pub evidence: String,
}

/// The fields of a contribution, as the layer keeps each version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionBody {
    /// The requirement it answers (a record of its own, with its own
    /// audience), or none.
    pub requirement_id: Option<String>,
    pub line_of_effort: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub measure: Measure,
    /// Its own place and window; none when it takes its requirement's.
    pub place: Option<Place>,
    pub window: Option<Window>,
    /// Every member named as contributing (the origin among them), sorted.
    pub contributors: Vec<String>,
    pub status: Status,
    #[serde(default)]
    pub deliveries: Vec<DeliveryBody>,
    #[serde(default)]
    pub parties: Vec<Party>,
}

impl ContributionBody {
    /// The sum of the deliveries recorded.
    pub fn delivered(&self) -> i64 {
        self.deliveries
            .iter()
            .fold(0i64, |s, d| s.saturating_add(d.amount))
    }

    pub fn progress(&self) -> Progress {
        Progress {
            status: self.status,
            amount: self.measure.amount(),
            delivered: self.delivered(),
        }
    }

    /// This body with the next delivery recorded.
    pub fn with_delivery(mut self, d: &DeliveryDraft) -> ContributionBody {
        self.deliveries.push(DeliveryBody {
            seq: self.deliveries.len() as i64 + 1,
            delivered_on: d.delivered_on.clone(),
            amount: d.amount,
            evidence: d.evidence.clone(),
        });
        self
    }
}

impl Kind for ContributionRecordKind {
    const NAME: &'static str = "contribution";
    const LABEL: &'static str = "contribution";
    const STIX_TYPE: &'static str = "x-coalesce-contribution";
    const CREATE_VERB: &'static str = "pledge";
    type Body = ContributionBody;

    fn validate(b: ContributionBody) -> Result<ContributionBody, DomainError> {
        let requirement_id = b
            .requirement_id
            .map(|r| crate::text::required_line("requirement_id", &r, 64))
            .transpose()?;
        let mut contributors = b
            .contributors
            .iter()
            .map(|c| MemberCode::parse(c.trim()).map(|m| m.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        contributors.sort();
        contributors.dedup();
        if contributors.is_empty() || contributors.len() > MAX_CONTRIBUTORS {
            return Err(invalid(
                "contributors",
                format!("name 1 to {MAX_CONTRIBUTORS} members"),
            ));
        }
        let place = b.place.map(Place::checked).transpose()?;
        let window = b
            .window
            .map(|w| Window::parse(&w.start, &w.end))
            .transpose()?;
        if requirement_id.is_none() && (place.is_none() || window.is_none()) {
            return Err(invalid(
                "place",
                "a standalone contribution names its place and time window",
            ));
        }
        let mut deliveries = Vec::with_capacity(b.deliveries.len());
        for (i, d) in b.deliveries.into_iter().enumerate() {
            if d.seq != i as i64 + 1 {
                return Err(invalid(
                    "deliveries",
                    format!("delivery {} is numbered {}", i + 1, d.seq),
                ));
            }
            let ok = DeliveryDraft::parse(&d.delivered_on, d.amount, &d.evidence)?;
            deliveries.push(DeliveryBody {
                seq: d.seq,
                delivered_on: ok.delivered_on,
                amount: ok.amount,
                evidence: ok.evidence,
            });
        }
        Party::check_list(&b.parties)?;
        let parties = b
            .parties
            .iter()
            .map(|p| {
                Party::parse(
                    p.role.as_str(),
                    p.kind.as_str(),
                    &p.name,
                    p.country.as_deref(),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let body = ContributionBody {
            requirement_id,
            line_of_effort: Slug::parse(b.line_of_effort.trim())?.to_string(),
            category: Slug::parse(b.category.trim())?.to_string(),
            title: crate::text::required_line("title", &b.title, MAX_TITLE)?,
            description: crate::text::body("description", &b.description, MAX_DESCRIPTION)?,
            measure: Measure::parse(b.measure.kind(), b.measure.amount(), b.measure.unit())?,
            place,
            window,
            contributors,
            status: b.status,
            deliveries,
            parties,
        };
        let progress = body.progress();
        if !progress.is_consistent() {
            return Err(invalid(
                "status",
                format!(
                    "{} with {} of {} delivered",
                    progress.status, progress.delivered, progress.amount
                ),
            ));
        }
        Ok(body)
    }

    /// It counts in one unit or currency from the start, and answers the
    /// requirement it answers (an open pledge may be allocated to one).
    fn immutable_change(old: &ContributionBody, new: &ContributionBody) -> Option<&'static str> {
        if !old.measure.same_unit(&new.measure) {
            return Some("a contribution's measure (quantity or money, and its unit or currency) cannot change");
        }
        if old.requirement_id.is_some() && old.requirement_id != new.requirement_id {
            return Some("a contribution answers the requirement it was recorded against");
        }
        if old.contributors != new.contributors {
            return Some("a contribution's contributing members cannot change");
        }
        if !new.deliveries.starts_with(&old.deliveries) {
            return Some("recorded deliveries cannot change");
        }
        None
    }

    fn stix_properties(b: &ContributionBody, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut m = Map::new();
        stix_fields::put_common(
            &mut m,
            &b.title,
            &b.description,
            &b.line_of_effort,
            &b.category,
            &b.measure,
        );
        if let Some(r) = &b.requirement_id {
            m.insert("requirement_id".into(), json!(r));
        }
        if let Some(p) = &b.place {
            stix_fields::put_place(&mut m, p);
        }
        if let Some(w) = &b.window {
            stix_fields::put_window(&mut m, w);
        }
        m.insert("contributors".into(), json!(b.contributors));
        m.insert("contribution_status".into(), json!(b.status.as_str()));
        put_list(&mut m, "deliveries", json!(b.deliveries));
        put_list(&mut m, "parties", json!(b.parties));
        Some(StixProperties {
            object: m,
            extension: Map::new(),
        })
    }

    fn from_stix(
        o: &Map<String, Value>,
        _: &Map<String, Value>,
    ) -> Result<ContributionBody, DomainError> {
        let c = stix_fields::common(o)?;
        Self::validate(ContributionBody {
            requirement_id: stix_fields::opt(o, "requirement_id"),
            line_of_effort: c.line_of_effort,
            category: c.category,
            title: c.title,
            description: c.description,
            measure: c.measure,
            place: stix_fields::place(o),
            window: stix_fields::window(o),
            contributors: stix_list(o, "contributors")?,
            status: Status::parse(stix_str(o, "contribution_status")?)?,
            deliveries: stix_list(o, "deliveries")?,
            parties: stix_list(o, "parties")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> ContributionBody {
        ContributionBody {
            requirement_id: None,
            line_of_effort: "humanitarian".into(),
            category: "water".into(),
            title: " Water trucks ".into(),
            description: "Two weeks of supply.".into(),
            measure: Measure::quantity(8, "truck").expect("m"),
            place: Some(Place {
                country: "IRQ".into(),
                admin1: None,
                town: Some("Ramadi".into()),
                point: None,
            }),
            window: Some(Window {
                start: "2016-03-01".into(),
                end: "2016-04-30".into(),
            }),
            contributors: vec!["GBR".into(), "DEU".into()],
            status: Status::Committed,
            deliveries: vec![DeliveryBody {
                seq: 1,
                delivered_on: "2016-03-10".into(),
                amount: 3,
                evidence: "Waybill 17".into(),
            }],
            parties: vec![
                Party::parse("carrier", "organisation", "Tigris Haulage", Some("IRQ"))
                    .expect("party"),
            ],
        }
    }

    #[test]
    fn validation_normalises_and_holds_the_lifecycle_invariants() {
        let ok = ContributionRecordKind::validate(body()).expect("valid");
        assert_eq!(ok.title, "Water trucks");
        assert_eq!(ok.contributors, ["DEU", "GBR"]);
        assert_eq!(ok.delivered(), 3);
        let mut bad = body();
        bad.status = Status::Pledged;
        assert!(
            ContributionRecordKind::validate(bad).is_err(),
            "a pledge has delivered nothing"
        );
        let mut bad = body();
        bad.deliveries[0].amount = 9;
        assert!(
            ContributionRecordKind::validate(bad).is_err(),
            "overdelivered"
        );
        let mut bad = body();
        bad.deliveries[0].seq = 2;
        assert!(ContributionRecordKind::validate(bad).is_err());
        let mut bad = body();
        bad.place = None;
        assert!(
            ContributionRecordKind::validate(bad).is_err(),
            "a standalone contribution names its place"
        );
        let mut against = body();
        against.requirement_id = Some("0190".into());
        against.place = None;
        against.window = None;
        assert!(ContributionRecordKind::validate(against).is_ok());
    }

    #[test]
    fn recorded_deliveries_and_the_unit_never_change() {
        let old = ContributionRecordKind::validate(body()).expect("valid");
        let more = old
            .clone()
            .with_delivery(&DeliveryDraft::parse("2016-03-20", 5, "Waybill 18").expect("d"));
        assert_eq!(more.deliveries[1].seq, 2);
        assert!(ContributionRecordKind::immutable_change(&old, &more).is_none());
        let mut rewritten = more.clone();
        rewritten.deliveries[0].amount = 2;
        assert!(ContributionRecordKind::immutable_change(&more, &rewritten).is_some());
        let mut other_unit = old.clone();
        other_unit.measure = Measure::quantity(8, "tanker").expect("m");
        assert!(ContributionRecordKind::immutable_change(&old, &other_unit).is_some());
    }

    #[test]
    fn stix_form_round_trips() {
        let resolved = std::collections::BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2016-03-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let mut against = body();
        against.requirement_id = Some("019abc00-0000-7000-8000-000000000306".into());
        against.place = None;
        against.window = None;
        against.deliveries.clear();
        against.parties.clear();
        against.status = Status::Pledged;
        for b in [body(), against] {
            let ok = ContributionRecordKind::validate(b).expect("valid");
            let props = ContributionRecordKind::stix_properties(&ok, &refs).expect("a form");
            assert_eq!(
                ContributionRecordKind::from_stix(&props.object, &props.extension).expect("back"),
                ok
            );
        }
    }
}
