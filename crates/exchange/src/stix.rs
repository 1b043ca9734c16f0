//! STIX 2.1 export (issue 6): a bundle of reports and the entities they are
//! about, with their markings. Pure: the caller passes exactly what the
//! reader may read.
//!
//! Mapping:
//! - members → `identity` (organization); every object is `created_by_ref`
//!   its origin member;
//! - people → `identity` (individual), organisations → `identity`
//!   (organization), vessels → `infrastructure` (type `unknown`: STIX has
//!   no vessel object), places with a country → `location`: their one
//!   form as records of the record layer (`stix_record`), the particulars
//!   STIX has no property for (aliases, date of birth, nationality,
//!   documents, IMO, MMSI, flag) in coalesce's record extension;
//! - reports → `report` (`threat-report`), `object_refs` the entities (or
//!   the origin's identity when it names none), `published` when filed,
//!   `revoked` once withdrawn;
//! - relationships → `relationship` (`located-at` for a sighting at a
//!   place, otherwise `related-to`), labelled with coalesce's kind;
//! - markings: TLP 2.0 `marking-definition`s with their fixed ids (the TLP
//!   2.0 property extension), and REL TO as a `marking-definition` per
//!   distinct audience, carrying the tokens in our REL TO extension.
//!
//! STIX ids are derived from the coalesce ids (see [`stix_id`]), so the
//! same record always exports with the same id.

use coalesce_domain::entity::{stix_type_of, EntityBody, EntityRecordKind};
use coalesce_domain::record::{Kind, Record, Reference};
use coalesce_domain::relationship::{RelationshipBody, RelationshipKind};
use coalesce_domain::report_record::{ReportBody, ReportRecordKind};
use coalesce_domain::reports::EntityKind;
use coalesce_domain::{AudienceToken, Marking, MemberCode, Tlp};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The namespace of coalesce's STIX ids (UUIDv5).
const NAMESPACE: uuid::Uuid = uuid::uuid!("6f1b2e0a-3c51-5d7e-9a4b-1c2d3e4f5a6b");
/// The TLP 2.0 property extension (FIRST / OASIS).
const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
const TLP2_CREATED: &str = "2022-10-01T00:00:00.000Z";
/// When our extension definitions were written.
pub(crate) const EXTENSIONS_CREATED: &str = "2026-11-25T00:00:00.000Z";

/// A STIX id for a coalesce key: the SHA-1 name hash of UUIDv5, written
/// with the version and variant bits of UUIDv4 (which STIX expects for ids
/// that do not follow a STIX-defined UUIDv5 scheme). Deterministic: the
/// same record always exports with the same id.
pub fn stix_id(kind: &str, key: &str) -> String {
    let hashed = uuid::Uuid::new_v5(&NAMESPACE, key.as_bytes());
    let id = uuid::Builder::from_random_bytes(*hashed.as_bytes()).into_uuid();
    format!("{kind}--{id}")
}

/// The TLP 2.0 marking-definition id and level name.
pub fn tlp_marking_id(t: Tlp) -> &'static str {
    match t {
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

fn tlp_marking(t: Tlp) -> Value {
    let level = t.as_str().to_lowercase();
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp_marking_id(t),
        "created": TLP2_CREATED,
        "name": format!("TLP:{}", t.as_str()),
        "extensions": { TLP2_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": level } }
    })
}

/// RFC 3339 with milliseconds, as STIX timestamps are written.
pub fn timestamp(ms: i64) -> String {
    let us = crate::stix_in::format_timestamp_us(ms.saturating_mul(1_000));
    // "….123456Z" → "….123Z": the same instant, written to the millisecond.
    format!("{}Z", &us[..us.len().saturating_sub(4)])
}

/// The id of one of coalesce's extension definitions.
pub fn extension_id(key: &str) -> String {
    stix_id("extension-definition", key)
}

/// The STIX id an entity exports with (`None` for a place without a
/// country: STIX has no object for it).
pub fn entity_stix_id(kind: EntityKind, country: Option<&str>, id: &str) -> Option<String> {
    if kind == EntityKind::Place {
        country.and_then(crate::country::alpha2)?;
    }
    Some(stix_id(stix_type_of(kind), id))
}

/// The node a STIX object is made on: what names its members, the member
/// whose node it is (it signs the extension definitions), and the node's
/// key of REL TO marking-definition ids.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pub members: &'a BTreeMap<String, String>,
    pub member: &'a str,
    pub marking_key: &'a [u8; 32],
}

/// The id of the REL TO marking definition of an audience (sorted tokens)
/// on the node with this key. Keyed, so that nobody can work out the id
/// for an audience — and ask whether something is released to it, or
/// claim the id first — without having been shown it.
pub fn rel_to_marking_id(marking_key: &[u8; 32], tokens: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(marking_key);
    h.update(b"\0rel-to:");
    h.update(tokens.join(",").as_bytes());
    stix_id("marking-definition", &hex_of(&h.finalize()))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The ids this node derives for its own objects whatever it holds: the
/// identities of these members, its extension definitions (those of the
/// record kinds named) and the TLP 2.0 marking definitions. An object
/// arriving from outside with one of them is the node's own, not the
/// sender's (see `store::stix`).
pub fn node_derived_ids<'a>(
    member_codes: impl IntoIterator<Item = &'a str>,
    record_kinds: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<String> {
    let mut ids: std::collections::BTreeSet<String> = member_codes
        .into_iter()
        .map(|c| stix_id("identity", &format!("member:{c}")))
        .collect();
    for key in [
        "coalesce:rel-to",
        "coalesce:entity-details",
        "coalesce:report-details",
        "coalesce:record",
    ] {
        ids.insert(extension_id(key));
    }
    for kind in record_kinds {
        ids.insert(extension_id(&format!("coalesce:kind:{kind}")));
    }
    for t in Tlp::ALL {
        ids.insert(tlp_marking_id(t).to_string());
    }
    ids
}

pub(crate) struct Builder<'a> {
    pub(crate) node: String,
    members: &'a BTreeMap<String, String>,
    marking_key: &'a [u8; 32],
    pub(crate) objects: BTreeMap<String, Value>,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(n: &Node<'a>) -> Self {
        let mut b = Builder {
            node: String::new(),
            members: n.members,
            marking_key: n.marking_key,
            objects: BTreeMap::new(),
        };
        b.node = b.member(n.member);
        b.extension_definitions();
        b
    }

    fn rel_to_ext(&self) -> String {
        extension_id("coalesce:rel-to")
    }

    /// The object `id` first, then every object it needs.
    pub(crate) fn into_projection(mut self, id: &str) -> Vec<Value> {
        let mut out = Vec::with_capacity(self.objects.len());
        if let Some(o) = self.objects.remove(id) {
            out.push(o);
        }
        out.extend(self.objects.into_values());
        out
    }

    pub(crate) fn member(&mut self, code: &str) -> String {
        let id = stix_id("identity", &format!("member:{code}"));
        let name = self
            .members
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string());
        self.objects.entry(id.clone()).or_insert_with(|| {
            json!({
                "type": "identity", "spec_version": "2.1", "id": id,
                "created": EXTENSIONS_CREATED, "modified": EXTENSIONS_CREATED,
                "name": name, "identity_class": "organization",
                "description": format!("Coalition member {code}")
            })
        });
        id
    }

    /// The marking refs of a record: its TLP and, when it names an
    /// audience beyond its origin, a REL TO marking.
    pub(crate) fn markings(&mut self, origin: &str, m: &Marking) -> Vec<String> {
        let tlp = tlp_marking_id(m.tlp).to_string();
        self.objects
            .entry(tlp.clone())
            .or_insert_with(|| tlp_marking(m.tlp));
        let mut refs = vec![tlp];
        let mut tokens: Vec<String> = m.rel_to.iter().map(AudienceToken::as_string).collect();
        if let Ok(o) = MemberCode::parse(origin) {
            if !m.rel_to.contains(&AudienceToken::Member(o)) {
                tokens.push(origin.to_string());
            }
        }
        tokens.sort();
        let id = rel_to_marking_id(self.marking_key, &tokens);
        let ext = self.rel_to_ext();
        self.objects.entry(id.clone()).or_insert_with(|| {
            json!({
                "type": "marking-definition", "spec_version": "2.1", "id": id,
                "created": EXTENSIONS_CREATED,
                "name": format!("REL TO {}", tokens.join(", ")),
                "extensions": { ext: { "extension_type": "property-extension", "rel_to": tokens } }
            })
        });
        refs.push(id);
        refs
    }

    /// The definition of the REL TO marking extension, which every
    /// marked object's REL TO marking definition uses.
    fn extension_definitions(&mut self) {
        let id = self.rel_to_ext();
        let node = self.node.clone();
        self.objects.insert(
            id.clone(),
            json!({
                "type": "extension-definition", "spec_version": "2.1", "id": id,
                "created_by_ref": node, "created": EXTENSIONS_CREATED, "modified": EXTENSIONS_CREATED,
                "name": "coalesce REL TO",
                "description": "The members a marked object is releasable to: member codes (ISO 3166-1 alpha-3 or organisation codes), GROUP:<slug> and COALITION. A reader outside this audience must not receive the object.",
                "schema": "https://coalesce.invalid/stix/extensions.json",
                "version": "1.0.0", "extension_types": ["property-extension"]
            }),
        );
    }
}

/// A STIX 2.1 bundle written a piece at a time, so that an export of any
/// size holds one page of records in memory: [`BundleWriter::open`], then
/// pieces of entities, reports and relationships in any order and number,
/// then [`BundleWriter::close`]. The pieces join into one JSON document.
/// Each record's own object is written once by its caller (every record
/// is given once); what records share — member identities, marking and
/// extension definitions — is written the first time a record needs it,
/// and only its id is remembered (a few per member and audience).
#[derive(Debug, Default)]
pub struct BundleWriter {
    shared: std::collections::BTreeSet<String>,
    any: bool,
}

impl BundleWriter {
    /// The start of the bundle; `bundle_key` makes its id (e.g. reader + time).
    pub fn open(bundle_key: &str) -> String {
        format!(
            "{{\"type\":\"bundle\",\"id\":\"{}\",\"objects\":[",
            stix_id("bundle", bundle_key)
        )
    }

    /// The end of the bundle.
    pub fn close() -> &'static str {
        "]}"
    }

    /// Writes a record's projection (its own object first, then what it
    /// needs) to `out`, leaving out shared objects written before.
    fn push(&mut self, objects: Vec<Value>, out: &mut String) {
        for (i, o) in objects.into_iter().enumerate() {
            if i > 0 {
                let Some(id) = o["id"].as_str() else { continue };
                if !self.shared.insert(id.to_string()) {
                    continue;
                }
            }
            if self.any {
                out.push(',');
            }
            self.any = true;
            out.push_str(&o.to_string());
        }
    }

    /// Entities, each in its one form.
    pub fn entities(&mut self, entities: &[Record<EntityBody>], node: &Node<'_>) -> String {
        let mut out = String::new();
        for e in entities {
            self.push(project_entity(e, node), &mut out);
        }
        out
    }

    /// Reports, each naming only the entities of the bundle (`in_bundle`:
    /// entity record id → STIX id); a report that names none of them
    /// refers to its origin's identity instead.
    pub fn reports(
        &mut self,
        reports: &[Record<ReportBody>],
        in_bundle: &BTreeMap<String, String>,
        node: &Node<'_>,
    ) -> String {
        let mut out = String::new();
        for r in reports {
            let resolved = resolve::<ReportRecordKind>(&r.body, in_bundle);
            self.push(project_report(r, &resolved, node), &mut out);
        }
        out
    }

    /// Relationships whose both ends are entities of the bundle; one whose
    /// end is not would dangle, and is left out.
    pub fn relationships(
        &mut self,
        relationships: &[Record<RelationshipBody>],
        in_bundle: &BTreeMap<String, String>,
        node: &Node<'_>,
    ) -> String {
        let mut out = String::new();
        for x in relationships {
            let resolved = resolve::<RelationshipKind>(&x.body, in_bundle);
            self.push(
                crate::stix_record::project_record_with::<RelationshipKind>(x, node, &resolved),
                &mut out,
            );
        }
        out
    }
}

/// The STIX ids of what `body` refers to that are in the bundle.
fn resolve<K: Kind>(
    body: &K::Body,
    in_bundle: &BTreeMap<String, String>,
) -> BTreeMap<Reference, String> {
    K::references(body)
        .into_iter()
        .filter_map(|x| in_bundle.get(x.id.as_str()).cloned().map(|s| (x, s)))
        .collect()
}

/// The STIX ids of these entities (record id → STIX id; a place without a
/// country has none), for [`BundleWriter::reports`] and
/// [`BundleWriter::relationships`].
pub fn entity_stix_ids<'a>(
    entities: impl IntoIterator<Item = &'a Record<EntityBody>>,
) -> BTreeMap<String, String> {
    entities
        .into_iter()
        .filter_map(|e| {
            entity_stix_id(e.body.kind, e.body.nationality.as_deref(), &e.id)
                .map(|s| (e.id.clone(), s))
        })
        .collect()
}

/// A STIX 2.1 bundle of these reports and entities (only what the caller
/// may read: the caller filters), with the relationships between them;
/// the whole bundle at once, through [`BundleWriter`].
pub fn stix_bundle(
    reports: &[Record<ReportBody>],
    entities: &[Record<EntityBody>],
    relationships: &[Record<RelationshipBody>],
    node: &Node<'_>,
    bundle_key: &str,
) -> Value {
    let mut w = BundleWriter::default();
    let in_bundle = entity_stix_ids(entities);
    let mut s = BundleWriter::open(bundle_key);
    s.push_str(&w.entities(entities, node));
    s.push_str(&w.reports(reports, &in_bundle, node));
    s.push_str(&w.relationships(relationships, &in_bundle, node));
    s.push_str(BundleWriter::close());
    serde_json::from_str(&s).unwrap_or(Value::Null)
}

/// The STIX objects an entity is on the node's TAXII collection: its own
/// object first, then its origin's identity and the marking and extension
/// definitions it refers to. Empty for a place without a country.
pub fn project_entity(e: &Record<EntityBody>, node: &Node<'_>) -> Vec<Value> {
    crate::stix_record::project_record::<EntityRecordKind>(e, node)
}

/// As [`project_entity`], for a report; `resolved` holds the STIX ids of
/// the linked entities its form may name ([`entity_stix_id`]).
pub fn project_report(
    r: &Record<ReportBody>,
    resolved: &BTreeMap<Reference, String>,
    node: &Node<'_>,
) -> Vec<Value> {
    crate::stix_record::project_record_with::<ReportRecordKind>(r, node, resolved)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use coalesce_domain::reports::{EntityLink, ReportKind};

    pub(crate) fn sample() -> (Vec<Record<ReportBody>>, Vec<Record<EntityBody>>) {
        let m = Marking::parse("AMBER", &["GBR".into(), "FRA".into()]).expect("m");
        let e = Record {
            id: "019abc00-0000-7000-8000-000000000001".into(),
            kind: "entity",
            origin: "USA".into(),
            origin_node: "node-usa".into(),
            version: 1,
            status: coalesce_domain::record::Status::Live,
            marking: m.clone(),
            body: EntityBody {
                kind: EntityKind::Person,
                name: "Abu Muhammad al-Tunisi".into(),
                aliases: vec!["ابو محمد التونسي".into()],
                birth_date: Some("1991-04".into()),
                nationality: Some("TUN".into()),
                documents: vec!["Z1234567".into()],
                imo: None,
                mmsi: None,
                flag: None,
                retain_until: Some("2016-10-02".into()),
                purged_on: None,
            },
            created_at_ms: 1_412_208_000_000,
            created_by: "usa".into(),
            updated_at_ms: 1_412_208_000_000,
            updated_by: "usa".into(),
            seq: 1,
        };
        let r = Record {
            id: "019abc00-0000-7000-8000-000000000002".into(),
            kind: "report",
            origin: "USA".into(),
            origin_node: "node-usa".into(),
            version: 1,
            status: coalesce_domain::record::Status::Live,
            marking: m,
            body: ReportBody {
                kind: ReportKind::ForeignFighterTravel,
                title: "Travel to Raqqa".into(),
                body: "Crossed near Akcakale".into(),
                line_of_effort: None,
                occurred_on: Some("2014-10-02".into()),
                entities: vec![EntityLink {
                    entity_id: e.id.clone(),
                    role: "traveller".into(),
                }],
                details: Default::default(),
                retain_until: Some("2016-10-02".into()),
                purged_on: None,
            },
            created_at_ms: 1_412_208_000_000,
            created_by: "usa".into(),
            updated_at_ms: 1_412_208_000_000,
            updated_by: "usa".into(),
            seq: 2,
        };
        (vec![r], vec![e])
    }

    #[test]
    fn bundle_refers_only_to_objects_it_holds() {
        let (rs, es) = sample();
        let names = BTreeMap::from([("USA".to_string(), "United States".to_string())]);
        let node = Node {
            members: &names,
            member: "USA",
            marking_key: &[1; 32],
        };
        let b = stix_bundle(&rs, &es, &[], &node, "test");
        let objs = b["objects"].as_array().expect("objects");
        let ids: std::collections::BTreeSet<&str> =
            objs.iter().map(|o| o["id"].as_str().expect("id")).collect();
        let report = objs.iter().find(|o| o["type"] == "report").expect("report");
        for r in report["object_refs"].as_array().expect("refs") {
            assert!(ids.contains(r.as_str().expect("ref")));
        }
        for r in report["object_marking_refs"].as_array().expect("marks") {
            assert!(ids.contains(r.as_str().expect("ref")));
        }
        assert!(ids.contains("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"));
        let rel = objs
            .iter()
            .find(|o| o["name"] == "REL TO FRA, GBR, USA")
            .expect("REL TO marking with the origin");
        assert!(rel["id"]
            .as_str()
            .expect("id")
            .starts_with("marking-definition--"));
        // Keyed: another node's key gives another id; nobody without the
        // key derives it from the audience.
        let tokens = ["FRA", "GBR", "USA"].map(String::from);
        assert_eq!(rel["id"], rel_to_marking_id(&[1; 32], &tokens));
        assert_ne!(rel["id"], rel_to_marking_id(&[2; 32], &tokens));
        assert_ne!(
            rel["id"],
            stix_id("marking-definition", "rel-to:FRA,GBR,USA")
        );
        // Same input, same ids.
        assert_eq!(b, stix_bundle(&rs, &es, &[], &node, "test"));
        // A report whose entity is not in the bundle refers to its origin instead.
        let alone = stix_bundle(&rs, &[], &[], &node, "t2");
        let report = alone["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .find(|o| o["type"] == "report")
            .expect("report")
            .clone();
        assert_eq!(report["object_refs"].as_array().map(Vec::len), Some(1));
        assert!(report["object_refs"][0]
            .as_str()
            .expect("ref")
            .starts_with("identity--"));
    }
}
