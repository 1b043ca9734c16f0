//! Reports as records of the record layer ([`ReportRecordKind`]): each
//! under its own marking, versioned, changed and withdrawn only by its
//! origin member. A report names the entities it is about (with their
//! role); a reader is shown the report with only the links to entities it
//! may read — the report is the author's, the entities are their own
//! records with their own audiences.
//!
//! Its one STIX 2.1 form is a `report` (`threat-report`, labelled with its
//! kind, `published` when filed) whose `object_refs` are the STIX objects
//! of the linked entities its readers may read (the origin's identity when
//! there are none); what STIX has no property for travels in coalesce's
//! record extension.

use crate::record::{stix_str, Kind, RefTarget, Reference, StixProperties, StixRefs};
use crate::reports::{EntityLink, Report, ReportDetails, ReportDraft, ReportKind};
use crate::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Reports are records of the record layer.
pub struct ReportRecordKind;

/// A report's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    pub kind: ReportKind,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub line_of_effort: Option<String>,
    /// YYYY-MM-DD: when what is reported happened (or began).
    #[serde(default)]
    pub occurred_on: Option<String>,
    /// The entities it is about, each with its role.
    #[serde(default)]
    pub entities: Vec<EntityLink>,
    #[serde(default)]
    pub details: ReportDetails,
    /// YYYY-MM-DD: a report about people is kept until this day, then its
    /// personal data is purged ([`crate::personal`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<String>,
    /// YYYY-MM-DD: when its personal data was purged (set by the purge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purged_on: Option<String>,
}

impl ReportDraft {
    /// Its fields: the record's body.
    pub fn record_body(&self) -> ReportBody {
        ReportBody {
            kind: self.kind,
            title: self.title.clone(),
            body: self.body.clone(),
            line_of_effort: self.line_of_effort.as_ref().map(|s| s.to_string()),
            occurred_on: self.occurred_on.clone(),
            entities: self.entities.clone(),
            details: self.details.clone(),
            retain_until: self.retain_until.clone(),
            purged_on: None,
        }
    }
}

impl ReportBody {
    /// This body without its personal data, purged on `day`: the links to
    /// the people it names (`persons`, the ids of its linked entities that
    /// are people) and the documents it records go; a foreign-fighter
    /// travel report, which is about its traveller through and through,
    /// also loses its title, text, date, route and every link, and keeps
    /// only what it was (kind, line of effort) and when it was filed.
    pub fn purged(mut self, day: &str, persons: &std::collections::BTreeSet<String>) -> Self {
        self.entities.retain(|l| !persons.contains(&l.entity_id));
        self.details.documents.clear();
        if self.kind == ReportKind::ForeignFighterTravel {
            self.title = format!("{} (personal data purged)", self.kind.label());
            self.body = String::new();
            self.occurred_on = None;
            self.entities.clear();
            self.details = ReportDetails::default();
        }
        self.purged_on = Some(day.to_string());
        self
    }

    /// Whether it is about people: a foreign-fighter travel report, or one
    /// naming a person (`persons` as for [`ReportBody::purged`]).
    pub fn is_about_people(&self, persons: &std::collections::BTreeSet<String>) -> bool {
        self.kind == ReportKind::ForeignFighterTravel
            || self.entities.iter().any(|l| persons.contains(&l.entity_id))
    }
}

impl Report {
    /// The report of a record of the layer as `links` leave it: the links
    /// its reader may read (the caller decides which).
    pub fn from_record(r: crate::record::Record<ReportBody>, links: Vec<EntityLink>) -> Self {
        let withdrawn = r.status == crate::record::Status::Withdrawn;
        let b = r.body;
        Report {
            id: r.id,
            origin: r.origin,
            kind: b.kind,
            title: b.title,
            body: b.body,
            line_of_effort: b.line_of_effort,
            occurred_on: b.occurred_on,
            marking: r.marking,
            entities: links,
            details: b.details,
            retain_until: b.retain_until,
            purged_on: b.purged_on,
            version: r.version,
            withdrawn,
            created_at_ms: r.created_at_ms,
            created_by: r.created_by,
            updated_at_ms: r.updated_at_ms,
            updated_by: r.updated_by,
        }
    }
}

/// The links of `b` to the entities whose ids `readable` keeps.
pub fn readable_links(b: &ReportBody, readable: impl Fn(&str) -> bool) -> Vec<EntityLink> {
    let mut links: Vec<EntityLink> = b
        .entities
        .iter()
        .filter(|l| readable(&l.entity_id))
        .cloned()
        .collect();
    links.sort_by(|a, b| (&a.role, &a.entity_id).cmp(&(&b.role, &b.entity_id)));
    links
}

impl Kind for ReportRecordKind {
    const NAME: &'static str = "report";
    const LABEL: &'static str = "report";
    const STIX_TYPE: &'static str = "report";
    const REFERS_TO: &'static [RefTarget] = &[RefTarget::Entity];
    /// A reader who may not read a linked entity still reads the report,
    /// without that link.
    const HIDDEN_WITH_ITS_REFS: bool = false;
    type Body = ReportBody;

    fn validate(b: ReportBody) -> Result<ReportBody, DomainError> {
        let links: Vec<(String, String)> = b
            .entities
            .iter()
            .map(|l| (l.entity_id.clone(), l.role.clone()))
            .collect();
        let (retain_until, purged_on) =
            crate::personal::checked_dates(b.retain_until.clone(), b.purged_on.clone())?;
        let marking = crate::Marking::parse("CLEAR", &[])?;
        let d = ReportDraft::parse(
            b.kind.as_str(),
            &b.title,
            &b.body,
            b.line_of_effort.as_deref(),
            b.occurred_on.as_deref(),
            marking,
            &links,
        )?
        .with_details(b.details)?;
        // Links in one order (role, entity), as the form and the reads list them.
        let mut b = d.record_body();
        b.retain_until = retain_until;
        b.purged_on = purged_on;
        b.entities
            .sort_by(|x, y| (&x.role, &x.entity_id).cmp(&(&y.role, &y.entity_id)));
        Ok(b)
    }

    fn retain_until(b: &ReportBody) -> Option<&str> {
        b.retain_until.as_deref()
    }

    fn purged_on(b: &ReportBody) -> Option<&str> {
        b.purged_on.as_deref()
    }

    fn immutable_change(old: &ReportBody, new: &ReportBody) -> Option<&'static str> {
        crate::personal::immutable_change(old.purged_on.as_deref(), new.purged_on.as_deref())
    }

    fn references(b: &ReportBody) -> Vec<Reference> {
        let mut refs: Vec<Reference> = b
            .entities
            .iter()
            .map(|l| Reference {
                target: RefTarget::Entity,
                id: l.entity_id.clone(),
            })
            .collect();
        refs.sort();
        refs.dedup();
        refs
    }

    /// Shared under the ids it had before it moved onto the layer.
    fn stix_id_seed(record_id: &str) -> String {
        record_id.to_string()
    }

    /// A `report` referring to the linked entities resolved for its
    /// readers (the origin's identity when none is); the links themselves
    /// travel in the record extension, only those resolved.
    fn stix_properties(b: &ReportBody, refs: &StixRefs<'_>) -> Option<StixProperties> {
        let links: Vec<(&EntityLink, &str)> = b
            .entities
            .iter()
            .filter_map(|l| {
                let r = Reference {
                    target: RefTarget::Entity,
                    id: l.entity_id.clone(),
                };
                refs.of(&r).map(|sid| (l, sid))
            })
            .collect();
        let mut object_refs: Vec<&str> = links.iter().map(|(_, sid)| *sid).collect();
        object_refs.sort();
        object_refs.dedup();
        if object_refs.is_empty() {
            object_refs.push(refs.origin_identity);
        }
        let mut o = Map::new();
        o.insert("name".into(), json!(b.title));
        o.insert("report_types".into(), json!(["threat-report"]));
        o.insert("published".into(), json!(refs.created));
        o.insert("object_refs".into(), json!(object_refs));
        o.insert("labels".into(), json!([b.kind.as_str()]));
        if !b.body.is_empty() {
            o.insert("description".into(), json!(b.body));
        }
        let mut ext = Map::new();
        let mut shown: Vec<&EntityLink> = links.iter().map(|(l, _)| *l).collect();
        shown.sort_by(|a, b| (&a.role, &a.entity_id).cmp(&(&b.role, &b.entity_id)));
        if !shown.is_empty() {
            ext.insert("entities".into(), json!(shown));
        }
        if let Some(loe) = &b.line_of_effort {
            ext.insert("line_of_effort".into(), json!(loe));
        }
        if let Some(d) = &b.occurred_on {
            ext.insert("occurred_on".into(), json!(d));
        }
        if !b.details.is_empty() {
            ext.insert("details".into(), serde_json::to_value(&b.details).ok()?);
        }
        for (field, day) in [
            ("retain_until", &b.retain_until),
            ("purged_on", &b.purged_on),
        ] {
            if let Some(d) = day {
                ext.insert(field.into(), json!(d));
            }
        }
        Some(StixProperties {
            object: o,
            extension: ext,
        })
    }

    fn from_stix(
        object: &Map<String, Value>,
        extension: &Map<String, Value>,
    ) -> Result<ReportBody, DomainError> {
        let kind = object
            .get("labels")
            .and_then(Value::as_array)
            .and_then(|l| l.iter().find_map(Value::as_str))
            .ok_or(DomainError::InvalidField {
                field: "labels",
                reason: "a report's first label is its kind".into(),
            })?;
        let field = |name: &'static str| -> Result<Option<String>, DomainError> {
            match extension.get(name) {
                None => Ok(None),
                Some(_) => stix_str(extension, name).map(|s| Some(s.to_string())),
            }
        };
        Ok(ReportBody {
            kind: ReportKind::parse(kind)?,
            title: stix_str(object, "name")?.to_string(),
            body: object
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            line_of_effort: field("line_of_effort")?,
            occurred_on: field("occurred_on")?,
            entities: parsed(extension, "entities")?,
            details: parsed(extension, "details")?,
            retain_until: field("retain_until")?,
            purged_on: field("purged_on")?,
        })
    }
}

/// A field of the record extension read as `T` (its default when absent).
fn parsed<T: serde::de::DeserializeOwned + Default>(
    extension: &Map<String, Value>,
    field: &'static str,
) -> Result<T, DomainError> {
    extension
        .get(field)
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map(Option::unwrap_or_default)
        .map_err(|e| DomainError::InvalidField {
            field,
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn body() -> ReportBody {
        ReportBody {
            kind: ReportKind::ForeignFighterTravel,
            title: "Travel to Raqqa".into(),
            body: "Crossed near Akcakale".into(),
            line_of_effort: Some("foreign-fighters".into()),
            occurred_on: Some("2014-10-02".into()),
            entities: vec![
                EntityLink {
                    entity_id: "019abc00-0000-7000-8000-000000000001".into(),
                    role: "traveller".into(),
                },
                EntityLink {
                    entity_id: "019abc00-0000-7000-8000-000000000002".into(),
                    role: "transit".into(),
                },
            ],
            details: ReportDetails {
                documents: vec!["Z1234567".into()],
                ..Default::default()
            },
            retain_until: Some("2016-10-02".into()),
            purged_on: None,
        }
    }

    #[test]
    fn a_purged_travel_report_keeps_nothing_of_its_traveller() {
        let persons = ["019abc00-0000-7000-8000-000000000001".to_string()].into();
        let b = ReportRecordKind::validate(body()).expect("valid");
        assert!(b.is_about_people(&persons));
        let p = ReportRecordKind::validate(b.clone().purged("2016-10-03", &persons))
            .expect("a purged body is valid");
        let text = serde_json::to_string(&p).expect("json");
        for gone in [
            "Raqqa",
            "Akcakale",
            "Z1234567",
            "2014-10-02",
            "000000000001",
        ] {
            assert!(!text.contains(gone), "{gone} survives: {text}");
        }
        assert_eq!(p.purged_on.as_deref(), Some("2016-10-03"));
        assert_eq!(p.line_of_effort, b.line_of_effort);
        assert!(ReportRecordKind::immutable_change(&p, &p).is_some());
        assert!(ReportRecordKind::immutable_change(&b, &p).is_some());
        // Another kind loses the people it names and the documents only.
        let mut f = body();
        f.kind = ReportKind::Financing;
        f.details.documents = vec!["INV-1".into()];
        let f = f.purged("2016-10-03", &persons);
        assert_eq!(f.title, "Travel to Raqqa");
        assert_eq!(f.entities.len(), 1);
        assert!(f.details.documents.is_empty());
    }

    #[test]
    fn the_form_names_only_resolved_links_and_gives_the_body_back() {
        let b = ReportRecordKind::validate(body()).expect("valid");
        let one = Reference {
            target: RefTarget::Entity,
            id: "019abc00-0000-7000-8000-000000000001".into(),
        };
        let both: BTreeMap<Reference, String> = ReportRecordKind::references(&b)
            .into_iter()
            .enumerate()
            .map(|(i, r)| (r, format!("identity--{i}")))
            .collect();
        let refs = StixRefs {
            origin_identity: "identity--origin",
            created: "2014-10-02T00:00:00.000Z",
            resolved: &both,
        };
        let p = ReportRecordKind::stix_properties(&b, &refs).expect("form");
        let back = ReportRecordKind::from_stix(&p.object, &p.extension).expect("back");
        assert_eq!(
            ReportRecordKind::validate(back).expect("valid"),
            b,
            "all links resolved: the same body"
        );
        // One link hidden from a reader: neither its STIX id nor its
        // coalesce id travels.
        let only: BTreeMap<Reference, String> =
            BTreeMap::from([(one.clone(), "identity--0".to_string())]);
        let refs = StixRefs {
            resolved: &only,
            ..refs
        };
        let p = ReportRecordKind::stix_properties(&b, &refs).expect("form");
        let text = serde_json::to_string(&(&p.object, &p.extension)).expect("json");
        assert!(!text.contains("000000000002"), "{text}");
        assert_eq!(p.object["object_refs"], json!(["identity--0"]));
        // None resolved: the report refers to its origin.
        let none = BTreeMap::new();
        let refs = StixRefs {
            resolved: &none,
            ..refs
        };
        let p = ReportRecordKind::stix_properties(&b, &refs).expect("form");
        assert_eq!(p.object["object_refs"], json!(["identity--origin"]));
    }

    #[test]
    fn a_body_is_checked_as_a_draft_is() {
        let mut b = body();
        b.details.commodity = Some(crate::reports::Commodity::Cash);
        assert!(
            ReportRecordKind::validate(b).is_err(),
            "travel has no commodity"
        );
        let mut b = body();
        b.title = "  ".into();
        assert!(ReportRecordKind::validate(b).is_err());
        let mut b = body();
        b.entities.push(b.entities[0].clone());
        assert_eq!(
            ReportRecordKind::validate(b).expect("valid").entities.len(),
            2
        );
    }
}
