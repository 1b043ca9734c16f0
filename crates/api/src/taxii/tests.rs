//! Unit tests of the TAXII routes' parsing and tokens.

use super::*;

#[test]
fn media_types() {
    assert!(is_taxii("application/taxii+json;version=2.1"));
    assert!(is_taxii("application/taxii+json; version=2.1"));
    assert!(is_taxii("application/taxii+json"));
    assert!(!is_taxii("application/taxii+json;version=2.0"));
    assert!(!is_taxii("application/json"));
}

#[test]
fn filters_parse_or_say_what_is_wrong() {
    let key = CursorKey::new([7; 32]);
    let f = parse_filter(
        Some("limit=5&added_after=2016-01-01T00:00:00.000Z&match%5Btype%5D=indicator,malware&match%5Bversion%5D=first,2016-01-01T00:00:00Z"),
        OBJECTS,
        VersionMatch::last(),
        &key,
    )
    .map_err(|e| e.0.detail)
    .expect("valid");
    assert_eq!(f.limit, 5);
    assert_eq!(f.types, ["indicator", "malware"]);
    assert!(f.versions.first && !f.versions.last && f.versions.at.len() == 1);
    for q in [
        "limit=0",
        "limit=abc",
        "added_after=yesterday",
        "next=zz",
        "match%5Bversion%5D=newest",
        "match%5Bid%5D=bob",
        "match%5Btype%5D=Bad_Type",
        "match%5Bspec_version%5D=3",
        "match%5Bcolour%5D=red",
    ] {
        let e = parse_filter(Some(q), OBJECTS, VersionMatch::last(), &key);
        assert!(e.is_err(), "{q} should be refused");
    }
    let token = key.seal(1_700_000_000_000_000, 42);
    assert_eq!(key.open(&token), Some((1_700_000_000_000_000, 42)));
    // The token shows neither number, and another node's key opens it
    // to something else.
    assert!(!token.contains(&format!("{:x}", 1_700_000_000_000_000_i64)));
    assert_ne!(
        CursorKey::new([8; 32]).open(&token),
        Some((1_700_000_000_000_000, 42))
    );
    // Neighbouring positions give unrelated tokens.
    let next = key.seal(1_700_000_000_000_000, 43);
    let same = token
        .bytes()
        .zip(next.bytes())
        .filter(|(a, b)| a == b)
        .count();
    assert!(same < 12, "{token} {next}");
}
