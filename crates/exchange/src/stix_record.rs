//! The one STIX 2.1 form of every record of the record layer, and back.
//!
//! - The object is the kind's STIX type (a standard SDO such as `note`, or
//!   `x-coalesce-<kind>` declared by an `extension-definition` of type
//!   `new-sdo`) with the kind's own properties ([`Kind::stix_properties`]).
//! - Common to every kind: the id derived from the record id, `created` and
//!   `modified` (the current version's time), `created_by_ref` the origin
//!   member's identity, `object_marking_refs` its TLP 2.0 and REL TO marking
//!   definitions, `revoked` once withdrawn, and coalesce's record extension
//!   (a `property-extension`) carrying what a receiving node needs to apply
//!   it as a replica: kind, record id, version, status, origin member and
//!   node, the REL TO list as written, and the kind's fields STIX has no
//!   property for.
//!
//! Export then import on another node then export again gives the same
//! objects (`tests` below; `tests/stix/validate_records.py` runs
//! `stix2-validator --strict` over every kind's form).

use crate::stix::{extension_id, stix_id, timestamp, Builder, Node, EXTENSIONS_CREATED};
use coalesce_domain::record::{Kind, Record, Reference, Replica, Status, StixRefs};
use coalesce_domain::{Marking, MemberCode};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The id of coalesce's record extension.
pub fn record_extension_id() -> String {
    extension_id("coalesce:record")
}

/// The id of the `new-sdo` extension definition that declares a kind's own
/// STIX type.
pub fn kind_extension_id(kind: &str) -> String {
    extension_id(&format!("coalesce:kind:{kind}"))
}

/// Whether a kind's STIX type is one of its own (declared by a `new-sdo`
/// extension definition) rather than a standard object.
pub fn is_own_type(stix_type: &str) -> bool {
    stix_type.starts_with("x-coalesce-")
}

/// The STIX id a record of this body exports with.
pub fn record_stix_id<K: Kind>(body: &K::Body, record_id: &str) -> String {
    stix_id(K::stix_type(body), &K::stix_id_seed(record_id))
}

/// The STIX objects of a record of a kind that refers to nothing (see
/// [`project_record_with`]).
pub fn project_record<K: Kind>(r: &Record<K::Body>, node: &Node<'_>) -> Vec<Value> {
    project_record_with::<K>(r, node, &BTreeMap::new())
}

/// The STIX objects of a record: its own object first, then its origin's
/// identity and the marking and extension definitions it refers to.
/// `resolved` holds the STIX ids of what the record refers to that the
/// reader may read; a record whose form needs one that is missing has no
/// form for that reader (nothing is returned).
pub fn project_record_with<K: Kind>(
    r: &Record<K::Body>,
    node: &Node<'_>,
    resolved: &BTreeMap<Reference, String>,
) -> Vec<Value> {
    let mut b = Builder::new(node);
    let created_by = b.member(&r.origin);
    let created = timestamp(r.created_at_ms);
    let refs = StixRefs {
        origin_identity: &created_by,
        created: &created,
        resolved,
    };
    let Some(props) = K::stix_properties(&r.body, &refs) else {
        return Vec::new();
    };
    let marks = b.markings(&r.origin, &r.marking);
    let id = record_stix_id::<K>(&r.body, &r.id);
    let mut o = props.object;
    o.insert("type".into(), json!(K::stix_type(&r.body)));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created_by_ref".into(), json!(created_by));
    o.insert("created".into(), json!(timestamp(r.created_at_ms)));
    o.insert(
        "modified".into(),
        json!(timestamp(r.updated_at_ms.max(r.created_at_ms))),
    );
    o.insert("object_marking_refs".into(), json!(marks));
    if r.status == Status::Withdrawn {
        o.insert("revoked".into(), json!(true));
    }
    let rel_to: Vec<String> = r.marking.rel_to.iter().map(|t| t.as_string()).collect();
    let mut ext = Map::new();
    ext.insert("extension_type".into(), json!("property-extension"));
    ext.insert("kind".into(), json!(K::NAME));
    ext.insert("record_id".into(), json!(r.id));
    ext.insert("version".into(), json!(r.version));
    ext.insert("status".into(), json!(r.status.as_str()));
    ext.insert("origin".into(), json!(r.origin));
    ext.insert("origin_node".into(), json!(r.origin_node));
    ext.insert("rel_to".into(), json!(rel_to));
    if !props.extension.is_empty() {
        ext.insert("fields".into(), Value::Object(props.extension));
    }
    let mut extensions = Map::new();
    extensions.insert(record_extension_id(), Value::Object(ext));
    if is_own_type(K::STIX_TYPE) {
        extensions.insert(
            kind_extension_id(K::NAME),
            json!({ "extension_type": "new-sdo" }),
        );
    }
    o.insert("extensions".into(), Value::Object(extensions));
    definitions::<K>(&mut b);
    b.objects.insert(id.clone(), Value::Object(o));
    b.into_projection(&id)
}

/// The record extension's definition alone.
fn definitions_of_records(b: &mut Builder<'_>) {
    add_definitions(b, Vec::new());
}

fn definitions<K: Kind>(b: &mut Builder<'_>) {
    let mut defs = Vec::new();
    if is_own_type(K::STIX_TYPE) {
        defs.push((
            kind_extension_id(K::NAME),
            format!("coalesce {}", K::LABEL),
            format!(
                "The {} records of coalesce, as their own STIX object type {}.",
                K::LABEL,
                K::STIX_TYPE
            ),
            "new-sdo",
        ));
    }
    add_definitions(b, defs);
}

fn add_definitions(b: &mut Builder<'_>, mut defs: Vec<(String, String, String, &str)>) {
    let node = b.node.clone();
    defs.insert(0, (
        record_extension_id(),
        "coalesce record".to_string(),
        "What a coalesce node needs to hold an object as one of its records: kind, record_id, version (integer, from 1), status (live|withdrawn), origin (member code), origin_node, rel_to (the REL TO list as written), and fields (the kind's fields STIX has no property for).".to_string(),
        "property-extension",
    ));
    for (id, name, description, ext_type) in defs {
        b.objects.entry(id.clone()).or_insert_with(|| {
            json!({
                "type": "extension-definition", "spec_version": "2.1", "id": id,
                "created_by_ref": node, "created": EXTENSIONS_CREATED, "modified": EXTENSIONS_CREATED,
                "name": name, "description": description,
                "schema": "https://coalesce.invalid/stix/extensions.json",
                "version": "1.0.0", "extension_types": [ext_type]
            })
        });
    }
}

/// The STIX type of a revocation: a record its origin no longer releases
/// to the reader (its audience narrowed), with no content.
pub const REVOCATION_TYPE: &str = "x-coalesce-revocation";

/// The id of the `new-sdo` extension definition that declares revocations.
pub fn revocation_extension_id() -> String {
    extension_id("coalesce:revocation")
}

/// The objects a page with revocations refers to: the extension
/// definition that declares [`REVOCATION_TYPE`], the record extension's
/// and the node's identity.
pub fn revocation_definitions(node: &Node<'_>) -> Vec<Value> {
    let mut b = Builder::new(node);
    let id = revocation_extension_id();
    let created_by = b.node.clone();
    b.objects.insert(
        id.clone(),
        json!({
            "type": "extension-definition", "spec_version": "2.1", "id": id,
            "created_by_ref": created_by, "created": EXTENSIONS_CREATED, "modified": EXTENSIONS_CREATED,
            "name": "coalesce revocation",
            "description": "A record its origin node no longer releases to the reader (its audience was narrowed): its id, kind, origin and the version that narrowed it, signed by the origin node, with no content; a node holding a copy deletes it. In a node's records collection the coalesce record extension also carries tlp, body (the record's fields as signed), version_at (the version's time, ms), seq (the serving node's sequence number), signature and signed_by (Ed25519 over RFC 8785).",
            "schema": "https://coalesce.invalid/stix/extensions.json",
            "version": "1.0.0", "extension_types": ["new-sdo"]
        }),
    );
    definitions_of_records(&mut b);
    b.into_projection(&id)
}

/// A record's version back from its STIX object, to be applied as a
/// replica. The object must be of the kind's type and carry coalesce's
/// record extension naming the kind.
pub fn record_from_stix<K: Kind>(o: &Value) -> Result<Replica<K::Body>, String> {
    let obj = o.as_object().ok_or("not a JSON object")?;
    let text = |m: &Map<String, Value>, f: &str| -> Result<String, String> {
        m.get(f)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("`{f}` is missing or not a string"))
    };
    let ty = text(obj, "type")?;
    let ext = obj
        .get("extensions")
        .and_then(|e| e.get(record_extension_id()))
        .and_then(Value::as_object)
        .ok_or("the object carries no coalesce record extension")?;
    if text(ext, "kind")? != K::NAME {
        return Err(format!(
            "the record extension names another kind than {}",
            K::NAME
        ));
    }
    let id = text(ext, "record_id")?;
    if uuid::Uuid::parse_str(&id).is_err() {
        return Err(format!("record_id {id:?} is not a UUID"));
    }
    let version = ext
        .get("version")
        .and_then(Value::as_i64)
        .filter(|v| *v >= 1)
        .ok_or("`version` is missing or not an integer ≥ 1")?;
    let status = Status::parse(&text(ext, "status")?).map_err(|e| e.to_string())?;
    let origin = MemberCode::parse(&text(ext, "origin")?).map_err(|e| e.to_string())?;
    let origin_node = text(ext, "origin_node")?;
    let rel_to: Vec<String> = ext
        .get("rel_to")
        .and_then(Value::as_array)
        .ok_or("`rel_to` is missing or not a list")?
        .iter()
        .map(|t| {
            t.as_str()
                .map(str::to_string)
                .ok_or("a REL TO token is not a string")
        })
        .collect::<Result<_, _>>()?;
    let refs: Vec<String> = obj
        .get("object_marking_refs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let tlp = refs
        .iter()
        .find_map(|r| crate::stix_in::tlp_of_id(r))
        .ok_or("no TLP marking among object_marking_refs")?;
    let marking = Marking::parse(tlp.as_str(), &rel_to).map_err(|e| e.to_string())?;
    let ms = |f: &str| -> Result<i64, String> {
        crate::stix_in::parse_timestamp_us(&text(obj, f)?)
            .map(|us| us.div_euclid(1_000))
            .ok_or_else(|| format!("`{f}` is not a STIX timestamp"))
    };
    let no_fields = Map::new();
    let fields = ext
        .get("fields")
        .and_then(Value::as_object)
        .unwrap_or(&no_fields);
    let body = K::from_stix(obj, fields).map_err(|e| e.to_string())?;
    if ty != K::stix_type(&body) {
        return Err(format!(
            "a {} is a STIX {}, not {ty}",
            K::LABEL,
            K::stix_type(&body)
        ));
    }
    if text(obj, "id")? != record_stix_id::<K>(&body, &id) {
        return Err("the STIX id is not the one of its record_id".into());
    }
    Ok(Replica {
        id,
        origin,
        origin_node,
        version,
        status,
        marking,
        body,
        created_at_ms: ms("created")?,
        at_ms: ms("modified")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use coalesce_domain::contact::{Contact, ContactKind};
    use coalesce_domain::note::{NoteBody, NoteKind};
    use std::collections::BTreeMap;

    const KEY: [u8; 32] = [7; 32];

    fn record<B>(body: B, status: Status) -> Record<B> {
        Record {
            id: "019abc00-0000-7000-8000-0000000000aa".into(),
            kind: "x",
            origin: "GBR".into(),
            origin_node: "node-a".into(),
            version: 3,
            status,
            marking: Marking::parse("AMBER", &["USA".into(), "GROUP:core".into()]).expect("m"),
            body,
            created_at_ms: 1_700_000_000_123,
            created_by: "gbr".into(),
            updated_at_ms: 1_700_000_100_456,
            updated_by: "gbr".into(),
            seq: 9,
        }
    }

    fn round_trip<K: Kind>(r: &Record<K::Body>) {
        let members = BTreeMap::from([("GBR".to_string(), "United Kingdom".to_string())]);
        let node = Node {
            members: &members,
            member: "GBR",
            marking_key: &KEY,
        };
        let objects = project_record::<K>(r, &node);
        let back = record_from_stix::<K>(&objects[0]).expect("back");
        assert_eq!(back.id, r.id);
        assert_eq!(back.version, r.version);
        assert_eq!(back.status, r.status);
        assert_eq!(back.marking, r.marking);
        assert_eq!(back.body, r.body);
        assert_eq!(
            (back.created_at_ms, back.at_ms),
            (r.created_at_ms, r.updated_at_ms)
        );
        // Made again from what came back, the object is the same.
        let again = Record {
            body: back.body,
            marking: back.marking,
            status: back.status,
            version: back.version,
            ..r.clone()
        };
        assert_eq!(project_record::<K>(&again, &node), objects);
    }

    #[test]
    fn contacts_and_notes_round_trip() {
        round_trip::<ContactKind>(&record(
            Contact {
                name: "Jane Doe".into(),
                role: "Desk officer".into(),
                email: "jane@fco.example.org".into(),
                phone: None,
            },
            Status::Live,
        ));
        round_trip::<NoteKind>(&record(
            NoteBody {
                title: "Crossing at Tal Abyad".into(),
                body: "Two vehicles.".into(),
                group: Some("core".into()),
            },
            Status::Withdrawn,
        ));
    }

    #[test]
    fn an_object_of_another_kind_or_a_forged_id_is_refused() {
        let members = BTreeMap::new();
        let contact = record(
            Contact {
                name: "Jane Doe".into(),
                role: "Desk officer".into(),
                email: "jane@fco.example.org".into(),
                phone: None,
            },
            Status::Live,
        );
        let node = Node {
            members: &members,
            member: "GBR",
            marking_key: &KEY,
        };
        let mut o = project_record::<ContactKind>(&contact, &node).remove(0);
        assert!(record_from_stix::<NoteKind>(&o).is_err());
        o["id"] = json!("x-coalesce-contact--6ba7b810-9dad-41d1-80b4-00c04fd430c8");
        assert!(record_from_stix::<ContactKind>(&o)
            .expect_err("forged")
            .contains("record_id"));
    }
}
