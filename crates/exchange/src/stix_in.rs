//! STIX 2.1 in (issue 6): checking incoming objects (bundle import and
//! TAXII POST) and reading the marking they ask for. Pure.
//!
//! The checks are the STIX 2.1 MUSTs a receiver can check on one object:
//! type and id syntax, spec_version, timestamps (RFC 3339 in UTC, `modified`
//! not before `created`), reference syntax, and the required properties of
//! every STIX 2.1 object type. Granular markings are refused: coalesce
//! releases whole objects, so a partly marked object cannot be honoured.
//!
//! Markings: the TLP 2.0 (and TLP 1.0) marking definitions by their fixed
//! ids, and REL TO by coalesce's marking-definition extension (what
//! [`crate::stix`] exports). An object with no TLP is TLP:AMBER; an object
//! with no REL TO is releasable to its origin member only.

use coalesce_domain::{AudienceToken, Marking, Tlp};
use serde_json::Value;
use std::collections::BTreeSet;

/// The id of coalesce's REL TO marking-definition extension.
pub fn rel_to_extension_id() -> String {
    crate::stix::extension_id("coalesce:rel-to")
}

/// One incoming object that passed the checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub id: String,
    pub object_type: String,
    pub spec_version: String,
    /// `modified`, else `created`, as written; `None` for objects without
    /// either (cyber-observables), whose version is when they were added.
    pub version: Option<String>,
    /// The version in microseconds since the epoch.
    pub version_us: Option<i64>,
    pub marking_refs: Vec<String>,
    pub body: Value,
}

/// What a marking reference stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkingKind {
    Tlp(Tlp),
    RelTo(BTreeSet<AudienceToken>),
    /// Any other marking definition (a statement, a TLP the object keeps
    /// for display): kept on the object, no effect on the audience.
    Other,
}

/// The types STIX 2.1 defines as cyber-observable objects: they carry no
/// `created`/`modified` and may omit `spec_version`.
const OBSERVABLES: [&str; 18] = [
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

/// Microseconds since the epoch of a STIX timestamp (RFC 3339, `Z` only).
pub fn parse_timestamp_us(s: &str) -> Option<i64> {
    if !s.ends_with('Z') || !s.contains('T') {
        return None;
    }
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000).ok()
}

/// A timestamp for TAXII headers and manifests: microseconds, `Z`.
pub fn format_timestamp_us(us: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    t.format(&fmt)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000000Z".into())
}

fn valid_type_name(t: &str) -> bool {
    (3..=250).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !t.starts_with('-')
        && !t.ends_with('-')
        && !t.contains("--")
}

/// `type--uuid`, with a valid type name; the type, if `of` is given, must be it.
pub fn valid_identifier(id: &str, of: Option<&str>) -> bool {
    match id.split_once("--") {
        Some((t, u)) => {
            valid_type_name(t)
                && of.is_none_or(|o| o == t)
                && u.len() == 36
                && uuid::Uuid::try_parse(u).is_ok()
        }
        None => false,
    }
}

fn str_prop<'a>(o: &'a serde_json::Map<String, Value>, k: &str) -> Option<&'a str> {
    o.get(k).and_then(Value::as_str)
}

/// The required properties of each STIX 2.1 type (beyond the common ones).
fn required(t: &str) -> &'static [&'static str] {
    match t {
        "attack-pattern" | "campaign" | "course-of-action" | "identity" | "infrastructure"
        | "intrusion-set" | "threat-actor" | "tool" | "vulnerability" => &["name"],
        "grouping" => &["context", "object_refs"],
        "indicator" => &["pattern", "pattern_type", "valid_from"],
        "malware" => &["is_family"],
        "malware-analysis" => &["product"],
        "note" => &["content", "object_refs"],
        "observed-data" => &["first_observed", "last_observed", "number_observed"],
        "opinion" => &["opinion", "object_refs"],
        "report" => &["name", "published", "object_refs"],
        "relationship" => &["relationship_type", "source_ref", "target_ref"],
        "sighting" => &["sighting_of_ref"],
        "extension-definition" => &[
            "name",
            "schema",
            "version",
            "extension_types",
            "created_by_ref",
        ],
        "language-content" => &["object_ref", "contents"],
        _ => &[],
    }
}

/// Checks one object; the error says what is wrong.
pub fn check_object(v: &Value) -> Result<Incoming, String> {
    let o = v.as_object().ok_or("not a JSON object")?;
    let t = str_prop(o, "type").ok_or("missing `type`")?;
    if !valid_type_name(t) {
        return Err(format!("`type` {t:?} is not a valid STIX type name"));
    }
    if t == "bundle" {
        return Err("a bundle inside a bundle".into());
    }
    let id = str_prop(o, "id").ok_or("missing `id`")?;
    if !valid_identifier(id, Some(t)) {
        return Err(format!("`id` {id:?} is not `{t}--<UUID>`"));
    }
    let observable = OBSERVABLES.contains(&t);
    let spec_version = match o.get("spec_version") {
        Some(Value::String(s)) if s == "2.1" => s.clone(),
        Some(Value::String(s)) => {
            return Err(format!(
                "`spec_version` {s:?}: this node takes STIX 2.1 only"
            ))
        }
        Some(_) => return Err("`spec_version` is not a string".into()),
        None if observable => "2.1".into(),
        None => return Err("missing `spec_version`".into()),
    };
    let stamp = |k: &str| -> Result<Option<i64>, String> {
        match o.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => parse_timestamp_us(s)
                .map(Some)
                .ok_or_else(|| format!("`{k}` {s:?} is not an RFC 3339 UTC timestamp")),
            Some(_) => Err(format!("`{k}` is not a string")),
        }
    };
    let created = stamp("created")?;
    let modified = stamp("modified")?;
    if !observable {
        if created.is_none() {
            return Err("missing `created`".into());
        }
        if modified.is_none() && t != "marking-definition" {
            return Err("missing `modified`".into());
        }
    }
    if let (Some(c), Some(m)) = (created, modified) {
        if m < c {
            return Err("`modified` is before `created`".into());
        }
    }
    for k in required(t) {
        if !o.contains_key(*k) {
            return Err(format!("a {t} requires `{k}`"));
        }
    }
    check_types(t, o)?;
    for (k, val) in o {
        if k.ends_with("_ref") {
            let s = val
                .as_str()
                .ok_or_else(|| format!("`{k}` is not a string"))?;
            if !valid_identifier(s, None) {
                return Err(format!("`{k}` {s:?} is not a STIX identifier"));
            }
        } else if k.ends_with("_refs") {
            let list = val
                .as_array()
                .ok_or_else(|| format!("`{k}` is not a list"))?;
            for r in list {
                let s = r
                    .as_str()
                    .ok_or_else(|| format!("`{k}` holds a non-string"))?;
                if !valid_identifier(s, None) {
                    return Err(format!("`{k}` holds {s:?}, not a STIX identifier"));
                }
            }
        }
    }
    if o.contains_key("granular_markings") {
        return Err(
            "granular markings are not supported: mark the whole object (object_marking_refs)"
                .into(),
        );
    }
    let marking_refs: Vec<String> = match o.get("object_marking_refs") {
        None => Vec::new(),
        Some(list) => list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| {
                if valid_identifier(s, Some("marking-definition")) {
                    Ok(s.to_string())
                } else {
                    Err(format!(
                        "`object_marking_refs` holds {s:?}, not a marking definition"
                    ))
                }
            })
            .collect::<Result<_, _>>()?,
    };
    if t == "marking-definition" {
        if let Some(tokens) = rel_to_in_definition(v) {
            tokens.map_err(|e| format!("REL TO marking: {e}"))?;
        }
    }
    let version = str_prop(o, "modified")
        .or_else(|| str_prop(o, "created"))
        .map(str::to_string);
    Ok(Incoming {
        id: id.to_string(),
        object_type: t.to_string(),
        spec_version,
        version,
        version_us: modified.or(created),
        marking_refs,
        body: v.clone(),
    })
}

/// Property types the specification fixes for the types above.
fn check_types(t: &str, o: &serde_json::Map<String, Value>) -> Result<(), String> {
    let want_str = |k: &str| match o.get(k) {
        Some(v) if !v.is_string() => Err(format!("`{k}` is not a string")),
        _ => Ok(()),
    };
    for k in [
        "name",
        "description",
        "pattern",
        "pattern_type",
        "relationship_type",
    ] {
        want_str(k)?;
    }
    for k in [
        "valid_from",
        "valid_until",
        "published",
        "first_seen",
        "last_seen",
    ] {
        if let Some(v) = o.get(k) {
            let s = v.as_str().ok_or_else(|| format!("`{k}` is not a string"))?;
            if parse_timestamp_us(s).is_none() {
                return Err(format!("`{k}` {s:?} is not an RFC 3339 UTC timestamp"));
            }
        }
    }
    if let (Some(from), Some(until)) = (
        str_prop(o, "valid_from").and_then(parse_timestamp_us),
        str_prop(o, "valid_until").and_then(parse_timestamp_us),
    ) {
        if until <= from {
            return Err("`valid_until` is not after `valid_from`".into());
        }
    }
    if t == "malware" && !o.get("is_family").is_some_and(Value::is_boolean) {
        return Err("`is_family` is not a boolean".into());
    }
    if matches!(t, "report" | "note" | "opinion" | "grouping")
        && o.get("object_refs")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
    {
        return Err(format!("a {t}'s `object_refs` must be a non-empty list"));
    }
    for k in ["labels", "aliases"] {
        if let Some(v) = o.get(k) {
            let ok = v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
            if !ok {
                return Err(format!("`{k}` is not a list of strings"));
            }
        }
    }
    for k in ["revoked", "is_family"] {
        if let Some(v) = o.get(k) {
            if !v.is_boolean() {
                return Err(format!("`{k}` is not a boolean"));
            }
        }
    }
    if let Some(c) = o.get("confidence") {
        if c.as_u64().is_none_or(|c| c > 100) {
            return Err("`confidence` is not an integer 0–100".into());
        }
    }
    Ok(())
}

/// The TLP level of a TLP marking-definition id (2.0, or 1.0: white = clear).
pub fn tlp_of_id(id: &str) -> Option<Tlp> {
    if let Some(t) = Tlp::ALL
        .into_iter()
        .find(|t| crate::stix::tlp_marking_id(*t) == id)
    {
        return Some(t);
    }
    match id {
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9" => Some(Tlp::Clear),
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da" => Some(Tlp::Green),
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82" => Some(Tlp::Amber),
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed" => Some(Tlp::Red),
        _ => None,
    }
}

/// The REL TO tokens of a marking definition carrying coalesce's extension
/// (`None` when it carries none; an error when they are not valid tokens).
pub fn rel_to_in_definition(v: &Value) -> Option<Result<BTreeSet<AudienceToken>, String>> {
    let ext = v.get("extensions")?.get(rel_to_extension_id())?;
    let tokens = match ext.get("rel_to").and_then(Value::as_array) {
        Some(list) => list,
        None => return Some(Err("the extension has no `rel_to` list".into())),
    };
    Some(
        tokens
            .iter()
            .map(|t| {
                t.as_str()
                    .ok_or_else(|| "a token is not a string".to_string())
                    .and_then(|s| AudienceToken::parse(s).map_err(|e| e.to_string()))
            })
            .collect(),
    )
}

/// What a marking definition object stands for.
pub fn marking_kind_of_definition(v: &Value) -> Result<MarkingKind, String> {
    if let Some(id) = v.get("id").and_then(Value::as_str) {
        if let Some(t) = tlp_of_id(id) {
            return Ok(MarkingKind::Tlp(t));
        }
    }
    match rel_to_in_definition(v) {
        Some(tokens) => tokens.map(MarkingKind::RelTo),
        None => Ok(MarkingKind::Other),
    }
}

/// The marking an object's `object_marking_refs` ask for. `lookup` says
/// what a non-TLP reference stands for (from the same envelope or the
/// node's store), `None` when it is unknown — an error: an object must not
/// be released under a marking nobody can read.
pub fn marking_of(
    refs: &[String],
    lookup: impl Fn(&str) -> Option<MarkingKind>,
) -> Result<Marking, String> {
    let mut tlp: Option<Tlp> = None;
    let mut rel_to: Option<BTreeSet<AudienceToken>> = None;
    for r in refs {
        let kind = match tlp_of_id(r) {
            Some(t) => MarkingKind::Tlp(t),
            None => lookup(r).ok_or_else(|| format!("unknown marking reference {r}"))?,
        };
        match kind {
            // Several TLPs: the most restrictive holds.
            MarkingKind::Tlp(t) => tlp = Some(tlp.map_or(t, |have| have.max(t))),
            // Several REL TOs: each restricts, so only what all allow.
            MarkingKind::RelTo(tokens) => {
                rel_to = Some(match rel_to {
                    None => tokens,
                    Some(have) => have.intersection(&tokens).cloned().collect(),
                })
            }
            MarkingKind::Other => {}
        }
    }
    Marking::new(tlp.unwrap_or(Tlp::Amber), rel_to.unwrap_or_default()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn indicator() -> Value {
        json!({
            "type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
            "pattern": "[ipv4-addr:value = '198.51.100.1']", "pattern_type": "stix",
            "valid_from": "2016-01-01T00:00:00Z",
            "object_marking_refs": ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]
        })
    }

    #[test]
    fn accepts_a_valid_indicator_and_reads_its_version() {
        let i = check_object(&indicator()).expect("valid");
        assert_eq!(i.object_type, "indicator");
        assert_eq!(i.version.as_deref(), Some("2016-04-06T20:03:48.000Z"));
        assert_eq!(i.version_us, Some(1_459_973_028_000_000));
    }

    #[test]
    fn names_what_is_wrong() {
        let cases: [(&str, Value, &str); 9] = [
            ("id", json!("indicator--nope"), "not `indicator--<UUID>`"),
            (
                "id",
                json!("malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
                "not `indicator--",
            ),
            ("spec_version", json!("2.0"), "STIX 2.1 only"),
            ("created", json!("2016-04-06 20:03"), "RFC 3339"),
            (
                "modified",
                json!("2015-01-01T00:00:00Z"),
                "before `created`",
            ),
            ("pattern", Value::Null, "requires `pattern`"),
            ("created_by_ref", json!("bob"), "not a STIX identifier"),
            (
                "object_marking_refs",
                json!(["identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]),
                "not a marking definition",
            ),
            ("granular_markings", json!([]), "granular markings"),
        ];
        for (k, v, want) in cases {
            let mut o = indicator();
            if v.is_null() {
                o.as_object_mut().expect("obj").remove(k);
            } else {
                o[k] = v;
            }
            let e = check_object(&o).expect_err(k);
            assert!(e.contains(want), "{k}: {e}");
        }
        assert!(check_object(&json!([1])).is_err());
        assert!(check_object(&json!({"type": "Bad_Type"})).is_err());
    }

    #[test]
    fn observables_need_no_timestamps() {
        let o = json!({"type": "ipv4-addr", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": "198.51.100.3"});
        let i = check_object(&o).expect("observable");
        assert_eq!(i.version, None);
    }

    #[test]
    fn markings_resolve_to_the_narrowest() {
        let amber = tlp_marking_ref(Tlp::Amber);
        let red = tlp_marking_ref(Tlp::Red);
        let gbr_fra: BTreeSet<_> = ["GBR", "FRA"]
            .iter()
            .map(|t| AudienceToken::parse(t).expect("t"))
            .collect();
        let gbr: BTreeSet<_> = [AudienceToken::parse("GBR").expect("t")].into();
        let lookup = |r: &str| match r {
            "marking-definition--00000000-0000-4000-8000-000000000001" => {
                Some(MarkingKind::RelTo(gbr_fra.clone()))
            }
            "marking-definition--00000000-0000-4000-8000-000000000002" => {
                Some(MarkingKind::RelTo(gbr.clone()))
            }
            "marking-definition--00000000-0000-4000-8000-000000000003" => Some(MarkingKind::Other),
            _ => None,
        };
        let m = marking_of(
            &[
                amber.clone(),
                red,
                "marking-definition--00000000-0000-4000-8000-000000000001".into(),
                "marking-definition--00000000-0000-4000-8000-000000000002".into(),
                "marking-definition--00000000-0000-4000-8000-000000000003".into(),
            ],
            lookup,
        )
        .expect("marking");
        assert_eq!(m.tlp, Tlp::Red);
        assert_eq!(m.rel_to, gbr);
        // Unmarked: AMBER, origin only.
        let m = marking_of(&[], lookup).expect("default");
        assert_eq!((m.tlp, m.rel_to.len()), (Tlp::Amber, 0));
        // Unknown reference: refused.
        let e = marking_of(
            &["marking-definition--00000000-0000-4000-8000-00000000dead".into()],
            lookup,
        )
        .expect_err("unknown");
        assert!(e.contains("unknown marking reference"));
        // TLP 1.0 white reads as CLEAR.
        let m = marking_of(
            &["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9".into()],
            lookup,
        )
        .expect("tlp1");
        assert_eq!(m.tlp, Tlp::Clear);
        let _ = amber;
    }

    fn tlp_marking_ref(t: Tlp) -> String {
        crate::stix::tlp_marking_id(t).to_string()
    }

    #[test]
    fn exported_rel_to_definitions_read_back() {
        let (rs, es) = crate::stix::tests::sample();
        let names = std::collections::BTreeMap::new();
        let node = crate::stix::Node {
            members: &names,
            member: "USA",
            marking_key: &[3; 32],
        };
        let b = crate::stix::stix_bundle(&rs, &es, &[], &node, "k");
        let report = b["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .find(|o| o["type"] == "report")
            .expect("report")
            .clone();
        let defs: Vec<Value> = b["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .filter(|o| o["type"] == "marking-definition")
            .cloned()
            .collect();
        let inc = check_object(&report).expect("exported report is valid");
        let m = marking_of(&inc.marking_refs, |r| {
            defs.iter()
                .find(|d| d["id"] == r)
                .and_then(|d| marking_kind_of_definition(d).ok())
        })
        .expect("marking");
        assert_eq!(m.tlp, Tlp::Amber);
        let tokens: Vec<String> = m.rel_to.iter().map(AudienceToken::as_string).collect();
        assert_eq!(tokens, ["FRA", "GBR", "USA"]);
        for d in &defs {
            check_object(d).expect("exported marking definitions are valid");
        }
    }
}
