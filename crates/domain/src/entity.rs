//! Entities — the people, organisations, vessels and places that reports
//! are about — as records of the record layer ([`EntityRecordKind`]): each
//! under its own marking, versioned, changed only by its origin member.
//! Relationships between them are records of their own
//! (`crate::relationship`); reports link them.
//!
//! Pure: validation of an entity's particulars (names, dates, countries,
//! vessel identifiers with their check digits) and its one STIX 2.1 form
//! (an `identity` for people and organisations, `infrastructure` for
//! vessels, `location` for places with a country).

use crate::record::{stix_str, Kind, StixProperties, StixRefs};
use crate::{DomainError, Marking, MemberCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub const MAX_NAME: usize = 300;
pub const MAX_ALIASES: usize = 50;
pub const MAX_DOCUMENTS: usize = 20;

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Organisation,
    Vessel,
    Place,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Vessel,
        EntityKind::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Vessel => "vessel",
            EntityKind::Place => "place",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                invalid(
                    "kind",
                    format!("{s:?}: expected person, organisation, vessel or place"),
                )
            })
    }
}

pub(crate) fn country(field: &'static str, s: &str) -> Result<String, DomainError> {
    MemberCode::parse(s.trim())
        .ok()
        .filter(MemberCode::is_iso_alpha3)
        .map(|c| c.to_string())
        .ok_or_else(|| {
            invalid(
                field,
                format!("{s:?} is not an ISO 3166-1 alpha-3 country code"),
            )
        })
}

/// An IMO ship number: 7 digits whose last is the check digit
/// (sum of the first six times 7, 6, 5, 4, 3, 2, modulo 10). "IMO" prefix allowed.
pub fn imo_number(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let digits = t
        .strip_prefix("IMO")
        .or_else(|| t.strip_prefix("imo"))
        .unwrap_or(t)
        .trim();
    let ds: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if ds.len() != 7 || digits.len() != 7 {
        return Err(invalid("imo", format!("{s:?}: an IMO number has 7 digits")));
    }
    let sum: u32 = ds[..6]
        .iter()
        .zip([7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    if sum % 10 != ds[6] {
        return Err(invalid(
            "imo",
            format!("{s:?}: the check digit should be {}", sum % 10),
        ));
    }
    Ok(digits.to_string())
}

/// An MMSI: 9 digits.
pub fn mmsi(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    if t.len() == 9 && t.chars().all(|c| c.is_ascii_digit()) {
        Ok(t.to_string())
    } else {
        Err(invalid("mmsi", format!("{s:?}: an MMSI has 9 digits")))
    }
}

/// A person's, organisation's, vessel's or place's particulars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityDraft {
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    /// People: YYYY, YYYY-MM or YYYY-MM-DD.
    pub birth_date: Option<String>,
    /// People: ISO 3166-1 alpha-3; organisations: country of registration.
    pub nationality: Option<String>,
    /// Passport and other document numbers.
    pub documents: Vec<String>,
    /// Vessels.
    pub imo: Option<String>,
    pub mmsi: Option<String>,
    pub flag: Option<String>,
    pub marking: Marking,
    /// People: YYYY-MM-DD, the day until which the person is kept (the
    /// node's default period when `None`).
    #[serde(default)]
    pub retain_until: Option<String>,
}

impl EntityDraft {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        kind: &str,
        name: &str,
        aliases: &[String],
        birth_date: Option<&str>,
        nationality: Option<&str>,
        documents: &[String],
        imo: Option<&str>,
        mmsi_: Option<&str>,
        flag: Option<&str>,
        marking: Marking,
    ) -> Result<Self, DomainError> {
        let body = EntityBody {
            kind: EntityKind::parse(kind)?,
            name: name.to_string(),
            aliases: aliases.to_vec(),
            birth_date: birth_date.map(str::to_string),
            nationality: nationality.map(str::to_string),
            documents: documents.to_vec(),
            imo: imo.map(str::to_string),
            mmsi: mmsi_.map(str::to_string),
            flag: flag.map(str::to_string),
            retain_until: None,
            purged_on: None,
        };
        Ok(EntityDraft::from_body(
            EntityRecordKind::validate(body)?,
            marking,
        ))
    }

    /// A draft of these (checked) particulars under this marking.
    pub fn from_body(b: EntityBody, marking: Marking) -> Self {
        EntityDraft {
            kind: b.kind,
            name: b.name,
            aliases: b.aliases,
            birth_date: b.birth_date,
            nationality: b.nationality,
            documents: b.documents,
            imo: b.imo,
            mmsi: b.mmsi,
            flag: b.flag,
            marking,
            retain_until: b.retain_until,
        }
    }

    /// Its particulars: the record's body.
    pub fn body(&self) -> EntityBody {
        EntityBody {
            kind: self.kind,
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            birth_date: self.birth_date.clone(),
            nationality: self.nationality.clone(),
            documents: self.documents.clone(),
            imo: self.imo.clone(),
            mmsi: self.mmsi.clone(),
            flag: self.flag.clone(),
            retain_until: self.retain_until.clone(),
            purged_on: None,
        }
    }

    /// Every name the entity is known by, the primary first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// An entity as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub id: String,
    pub origin: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    pub documents: Vec<String>,
    pub imo: Option<String>,
    pub mmsi: Option<String>,
    pub flag: Option<String>,
    pub marking: Marking,
    /// People: YYYY-MM-DD, kept until this day.
    pub retain_until: Option<String>,
    /// People: YYYY-MM-DD, when the personal data was purged.
    pub purged_on: Option<String>,
    pub version: i64,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl Entity {
    /// The entity of a record of the layer, as its reader sees it.
    pub fn from_record(r: crate::record::Record<EntityBody>) -> Self {
        let b = r.body;
        Entity {
            id: r.id,
            origin: r.origin,
            kind: b.kind,
            name: b.name,
            aliases: b.aliases,
            birth_date: b.birth_date,
            nationality: b.nationality,
            documents: b.documents,
            imo: b.imo,
            mmsi: b.mmsi,
            flag: b.flag,
            marking: r.marking,
            retain_until: b.retain_until,
            purged_on: b.purged_on,
            version: r.version,
            created_at_ms: r.created_at_ms,
            created_by: r.created_by,
            updated_at_ms: r.updated_at_ms,
            updated_by: r.updated_by,
        }
    }

    /// Every name the entity is known by, the primary first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Its particulars: the record's body.
    pub fn body(&self) -> EntityBody {
        EntityBody {
            kind: self.kind,
            name: self.name.clone(),
            aliases: self.aliases.clone(),
            birth_date: self.birth_date.clone(),
            nationality: self.nationality.clone(),
            documents: self.documents.clone(),
            imo: self.imo.clone(),
            mmsi: self.mmsi.clone(),
            flag: self.flag.clone(),
            retain_until: self.retain_until.clone(),
            purged_on: self.purged_on.clone(),
        }
    }
}

/// Entities are records of the record layer.
pub struct EntityRecordKind;

/// An entity's own fields (its particulars).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityBody {
    pub kind: EntityKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// People: YYYY, YYYY-MM or YYYY-MM-DD.
    #[serde(default)]
    pub birth_date: Option<String>,
    /// People: ISO 3166-1 alpha-3; organisations: country of registration;
    /// places: their country.
    #[serde(default)]
    pub nationality: Option<String>,
    /// Passport and other document numbers.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Vessels.
    #[serde(default)]
    pub imo: Option<String>,
    #[serde(default)]
    pub mmsi: Option<String>,
    #[serde(default)]
    pub flag: Option<String>,
    /// People: YYYY-MM-DD, kept until this day ([`crate::personal`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<String>,
    /// People: YYYY-MM-DD, when the personal data was purged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purged_on: Option<String>,
}

impl EntityBody {
    /// This person without its personal data, purged on `day`: a name that
    /// says so, and no alias, date of birth, nationality or document.
    pub fn purged(self, day: &str) -> Self {
        EntityBody {
            kind: self.kind,
            name: "Purged person".to_string(),
            aliases: Vec::new(),
            birth_date: None,
            nationality: None,
            documents: Vec::new(),
            imo: None,
            mmsi: None,
            flag: None,
            retain_until: self.retain_until,
            purged_on: Some(day.to_string()),
        }
    }

    /// Every name the entity is known by, the primary first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The STIX type of an entity of this kind.
pub fn stix_type_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person | EntityKind::Organisation => "identity",
        EntityKind::Vessel => "infrastructure",
        EntityKind::Place => "location",
    }
}

/// The fields of coalesce's record extension for an entity, besides the
/// name STIX carries: the kind, and every particular that is set.
const STIX_FIELDS: [&str; 7] = [
    "birth_date",
    "nationality",
    "imo",
    "mmsi",
    "flag",
    "retain_until",
    "purged_on",
];

impl Kind for EntityRecordKind {
    const NAME: &'static str = "entity";
    const LABEL: &'static str = "entity";
    const STIX_TYPE: &'static str = "identity";
    type Body = EntityBody;

    fn validate(b: EntityBody) -> Result<EntityBody, DomainError> {
        let EntityBody {
            kind,
            name,
            aliases,
            birth_date,
            nationality,
            documents,
            imo,
            mmsi: mmsi_,
            flag,
            retain_until,
            purged_on,
        } = b;
        let (retain_until, purged_on) = crate::personal::checked_dates(retain_until, purged_on)?;
        if kind != EntityKind::Person && (retain_until.is_some() || purged_on.is_some()) {
            return Err(invalid(
                "retain_until",
                "only people have a retention period",
            ));
        }
        let (birth_date, nationality, imo, mmsi_, flag) = (
            birth_date.as_deref(),
            nationality.as_deref(),
            imo.as_deref(),
            mmsi_.as_deref(),
            flag.as_deref(),
        );
        let name = name.as_str();
        let opt = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let name = crate::text::required_line("name", name, MAX_NAME)?;
        if aliases.len() > MAX_ALIASES {
            return Err(invalid("aliases", format!("more than {MAX_ALIASES}")));
        }
        let mut seen = std::collections::BTreeSet::new();
        let aliases = aliases
            .iter()
            .filter(|a| !a.trim().is_empty())
            .map(|a| crate::text::required_line("aliases", a, MAX_NAME))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|a| a != &name && seen.insert(a.clone()))
            .collect();
        if documents.len() > MAX_DOCUMENTS {
            return Err(invalid("documents", format!("more than {MAX_DOCUMENTS}")));
        }
        let documents = documents
            .iter()
            .filter(|d| !d.trim().is_empty())
            .map(|d| crate::text::required_line("documents", d, 64))
            .collect::<Result<Vec<_>, _>>()?;
        let birth_date = opt(birth_date)
            .map(|d| crate::text::partial_date("birth_date", &d))
            .transpose()?;
        let nationality = opt(nationality)
            .map(|c| country("nationality", &c))
            .transpose()?;
        let imo = opt(imo).map(|v| imo_number(&v)).transpose()?;
        let mmsi_ = opt(mmsi_).map(|v| mmsi(&v)).transpose()?;
        let flag = opt(flag).map(|c| country("flag", &c)).transpose()?;
        if kind != EntityKind::Person && birth_date.is_some() {
            return Err(invalid("birth_date", "only people have a date of birth"));
        }
        if kind != EntityKind::Vessel && (imo.is_some() || mmsi_.is_some() || flag.is_some()) {
            return Err(invalid(
                "imo",
                "only vessels have an IMO number, MMSI or flag",
            ));
        }
        Ok(EntityBody {
            kind,
            name,
            aliases,
            birth_date,
            nationality,
            documents,
            imo,
            mmsi: mmsi_,
            flag,
            retain_until,
            purged_on,
        })
    }

    /// Its kind is what the entity is: a person stays a person; and a
    /// purged person stays purged.
    fn immutable_change(old: &EntityBody, new: &EntityBody) -> Option<&'static str> {
        (old.kind != new.kind)
            .then_some("an entity's kind does not change")
            .or_else(|| {
                crate::personal::immutable_change(
                    old.purged_on.as_deref(),
                    new.purged_on.as_deref(),
                )
            })
    }

    fn retain_until(b: &EntityBody) -> Option<&str> {
        b.retain_until.as_deref()
    }

    fn purged_on(b: &EntityBody) -> Option<&str> {
        b.purged_on.as_deref()
    }

    fn stix_type(b: &EntityBody) -> &'static str {
        stix_type_of(b.kind)
    }

    /// Shared under the ids it had before it moved onto the layer.
    fn stix_id_seed(record_id: &str) -> String {
        record_id.to_string()
    }

    /// An `identity` (individual or organisation), an `infrastructure`
    /// (a vessel) or a `location` (a place: STIX needs its country, so a
    /// place without one has no form). The kind and the particulars STIX
    /// has no property for travel in the record extension.
    fn stix_properties(b: &EntityBody, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut o = Map::new();
        match b.kind {
            EntityKind::Person => {
                o.insert("identity_class".into(), json!("individual"));
            }
            EntityKind::Organisation => {
                o.insert("identity_class".into(), json!("organization"));
            }
            EntityKind::Vessel => {
                o.insert("infrastructure_types".into(), json!(["unknown"]));
            }
            EntityKind::Place => {
                let country = b.nationality.as_deref().and_then(crate::country::alpha2)?;
                o.insert("country".into(), json!(country));
            }
        }
        o.insert("name".into(), json!(b.name));
        let mut ext = Map::new();
        ext.insert("entity_kind".into(), json!(b.kind.as_str()));
        if !b.aliases.is_empty() {
            ext.insert("aliases".into(), json!(b.aliases));
        }
        if !b.documents.is_empty() {
            ext.insert("documents".into(), json!(b.documents));
        }
        for (field, value) in STIX_FIELDS.into_iter().zip([
            &b.birth_date,
            &b.nationality,
            &b.imo,
            &b.mmsi,
            &b.flag,
            &b.retain_until,
            &b.purged_on,
        ]) {
            if let Some(v) = value {
                ext.insert(field.into(), json!(v));
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
    ) -> Result<EntityBody, DomainError> {
        let kind = EntityKind::parse(stix_str(extension, "entity_kind")?)?;
        let list = |field: &'static str| -> Result<Vec<String>, DomainError> {
            match extension.get(field) {
                None => Ok(Vec::new()),
                Some(v) => serde_json::from_value(v.clone())
                    .map_err(|_| invalid(field, "not a list of strings")),
            }
        };
        let opt = |field: &'static str| -> Result<Option<String>, DomainError> {
            match extension.get(field) {
                None => Ok(None),
                Some(_) => stix_str(extension, field).map(|s| Some(s.to_string())),
            }
        };
        Ok(EntityBody {
            kind,
            name: stix_str(object, "name")?.to_string(),
            aliases: list("aliases")?,
            documents: list("documents")?,
            birth_date: opt("birth_date")?,
            nationality: opt("nationality")?,
            imo: opt("imo")?,
            mmsi: opt("mmsi")?,
            flag: opt("flag")?,
            retain_until: opt("retain_until")?,
            purged_on: opt("purged_on")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn body(kind: EntityKind) -> EntityBody {
        EntityBody {
            kind,
            name: "Abu Example".into(),
            aliases: vec!["A. Example".into()],
            birth_date: None,
            nationality: Some("SYR".into()),
            documents: vec!["N123".into()],
            imo: None,
            mmsi: None,
            flag: None,
            retain_until: None,
            purged_on: None,
        }
    }

    #[test]
    fn a_purged_person_keeps_nothing_personal_and_only_people_are_kept_for_a_time() {
        let mut b = body(EntityKind::Person);
        b.birth_date = Some("1971-03-02".into());
        b.retain_until = Some("2026-01-01".into());
        let p = EntityRecordKind::validate(b.clone().purged("2026-01-02")).expect("valid");
        let text = serde_json::to_string(&p).expect("json");
        for gone in ["Example", "1971", "SYR", "N123"] {
            assert!(!text.contains(gone), "{gone} survives: {text}");
        }
        assert!(EntityRecordKind::immutable_change(&b, &p).is_some());
        let mut v = body(EntityKind::Vessel);
        v.retain_until = Some("2026-01-01".into());
        assert!(EntityRecordKind::validate(v).is_err());
    }

    #[test]
    fn the_stix_form_gives_the_body_back_for_every_kind() {
        let resolved = BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        for kind in EntityKind::ALL {
            let mut b = body(kind);
            if kind == EntityKind::Person {
                b.birth_date = Some("1971".into());
                b.retain_until = Some("2030-01-01".into());
            }
            if kind == EntityKind::Vessel {
                b.imo = Some("9074729".into());
                b.flag = Some("PAN".into());
            }
            let b = EntityRecordKind::validate(b).expect("valid");
            let p = EntityRecordKind::stix_properties(&b, &refs).expect("a form");
            let back = EntityRecordKind::from_stix(&p.object, &p.extension).expect("back");
            assert_eq!(back, b, "{kind:?}");
        }
    }

    #[test]
    fn a_place_without_a_country_has_no_form_and_kinds_do_not_change() {
        let resolved = BTreeMap::new();
        let refs = StixRefs {
            origin_identity: "identity--x",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let mut place = body(EntityKind::Place);
        place.nationality = None;
        assert!(EntityRecordKind::stix_properties(&place, &refs).is_none());
        assert_eq!(EntityRecordKind::stix_type(&place), "location");
        assert!(EntityRecordKind::immutable_change(&body(EntityKind::Person), &place).is_some());
        assert!(EntityRecordKind::immutable_change(&place, &place).is_none());
    }

    #[test]
    fn a_body_is_checked_as_a_draft_is() {
        let mut b = body(EntityKind::Organisation);
        b.birth_date = Some("1970".into());
        assert!(EntityRecordKind::validate(b).is_err());
        let mut b = body(EntityKind::Person);
        b.aliases = vec!["  ".into(), "Abu Example".into(), "X".into(), "X".into()];
        assert_eq!(
            EntityRecordKind::validate(b).expect("valid").aliases,
            vec!["X".to_string()]
        );
    }
}
