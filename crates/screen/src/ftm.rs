//! FollowTheMoney entity files, the form OpenSanctions publishes each of its
//! lists in (EU, UK, Canada, Australia, Switzerland … `entities.ftm.json`):
//! one JSON entity a line, `{"id", "schema", "properties": {"name": [..],
//! "alias": [..], "weakAlias": [..], "birthDate": [..], "nationality": [..],
//! "passportNumber": [..], "imoNumber": [..], ...}, "datasets": [..]}`.
//! Parties (people, organisations, companies, legal entities, vessels,
//! aircraft) become entries; other entities of the file (sanctions,
//! addresses, identifications, relations) are read past. A line that is not
//! a JSON object, an entity without an id or a schema, a party without a
//! name or with an impossible date of birth is an error naming the line.

use crate::model::{
    BirthDate, Entity, Gender, IdKind, Identifier, NameStrength, SanctionsList, Schema,
};
use crate::Error;
use serde_json::Value;

/// The entry's kind for a FollowTheMoney schema (`None`: not a party).
fn party_schema(schema: &str) -> Option<Schema> {
    match schema {
        "Person" => Some(Schema::Person),
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => Some(Schema::Organization),
        "Vessel" | "Airplane" => Some(Schema::Vessel),
        _ => None,
    }
}

fn error(line: usize, message: impl Into<String>) -> Error {
    Error::Input(format!("line {line}: {}", message.into()))
}

/// Parses a FollowTheMoney entity file into a list named `list` (the
/// dataset's name, e.g. `eu_fsf`), published on `published` if known.
pub fn parse_ftm_json(
    text: &str,
    list: &str,
    published: Option<String>,
) -> Result<SanctionsList, Error> {
    if list.is_empty() || !list.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(Error::Input(format!(
            "list name {list:?}: letters, digits and _ only"
        )));
    }
    let mut entities = Vec::new();
    let mut objects = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(raw).map_err(|e| {
            error(
                line,
                format!("not a FollowTheMoney entity (JSON: {e}); the file must hold one JSON entity a line"),
            )
        })?;
        let obj = v
            .as_object()
            .ok_or_else(|| error(line, "not a JSON object"))?;
        objects += 1;
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| error(line, "an entity without an id"))?;
        let schema = obj
            .get("schema")
            .and_then(Value::as_str)
            .ok_or_else(|| error(line, format!("entity {id}: no schema")))?;
        let Some(kind) = party_schema(schema) else {
            continue;
        };
        let props = obj.get("properties").and_then(Value::as_object);
        let get = |k: &str| -> Vec<String> {
            props
                .and_then(|p| p.get(k))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut e = Entity::new(list, id, kind);
        let caption = obj
            .get("caption")
            .and_then(Value::as_str)
            .map(str::to_string);
        for (n, value) in get("name").into_iter().chain(caption).enumerate() {
            e.push_name(&value, NameStrength::Strong, n == 0);
        }
        for value in get("alias").into_iter().chain(get("previousName")) {
            e.push_name(&value, NameStrength::Strong, false);
        }
        for value in get("weakAlias") {
            e.push_name(&value, NameStrength::Weak, false);
        }
        if e.names.is_empty() {
            return Err(error(line, format!("{schema} {id} has no name")));
        }
        if kind == Schema::Person {
            for d in get("birthDate") {
                // FollowTheMoney dates are ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD).
                let prefix: String = d.chars().take(10).collect();
                let parsed = BirthDate::parse_iso(&prefix).ok_or_else(|| {
                    error(line, format!("{id}: birthDate {d:?} is not an ISO date"))
                })?;
                e.birth_dates.push(parsed);
            }
            e.gender = get("gender").iter().find_map(|g| Gender::parse(g));
        }
        for c in get("nationality").into_iter().chain(get("citizenship")) {
            if !e.nationalities.contains(&c) {
                e.nationalities.push(c);
            }
        }
        let ids = [
            ("passportNumber", IdKind::Passport),
            ("idNumber", IdKind::NationalId),
            ("imoNumber", IdKind::Imo),
            ("registrationNumber", IdKind::Other),
            ("taxNumber", IdKind::Other),
        ];
        for (prop, idk) in ids {
            for value in get(prop) {
                e.identifiers.push(Identifier {
                    kind: idk,
                    value,
                    country: None,
                });
            }
        }
        e.programs = get("program");
        e.listed_on = obj
            .get("first_seen")
            .and_then(Value::as_str)
            .map(|s| s.chars().take(10).collect());
        entities.push(e);
    }
    if objects == 0 {
        return Err(Error::Input(
            "no FollowTheMoney entities in the file (empty, or not that format)".into(),
        ));
    }
    Ok(SanctionsList::new(
        list,
        published,
        &[text.as_bytes()],
        entities,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"id": "eu-fsf-1", "schema": "Person", "caption": "Ivan Petrovich TESTOV", "properties": {"name": ["Ivan Petrovich TESTOV"], "alias": ["Иван Петрович Тестов"], "weakAlias": ["Vanya"], "birthDate": ["1961-02-03"], "nationality": ["ru"], "passportNumber": ["7100123"], "topics": ["sanction"]}, "datasets": ["eu_fsf"], "first_seen": "2022-03-01T00:00:00"}
{"id": "eu-fsf-2", "schema": "Company", "properties": {"name": ["Testov Trading OOO"], "registrationNumber": ["1027700132195"]}, "datasets": ["eu_fsf"]}
{"id": "eu-fsf-s1", "schema": "Sanction", "properties": {"entity": ["eu-fsf-1"], "program": ["RUS"]}}
{"id": "eu-fsf-3", "schema": "Vessel", "properties": {"name": ["SEA TESTER"], "imoNumber": ["IMO 9123456"]}}
"#;

    #[test]
    fn parties_of_an_entity_file() {
        let l = parse_ftm_json(SAMPLE, "eu_fsf", Some("2026-12-01".into())).expect("parses");
        assert_eq!(l.version.source, "eu_fsf");
        assert_eq!(l.entities.len(), 3, "the Sanction entity is not a party");
        let p = &l.entities[0];
        assert_eq!(
            (p.list.as_str(), p.reference.as_str()),
            ("eu_fsf", "eu-fsf-1")
        );
        assert_eq!(p.schema, Schema::Person);
        assert_eq!(p.names[0].value, "Ivan Petrovich TESTOV");
        assert!(p
            .names
            .iter()
            .any(|n| n.value == "Vanya" && n.strength == NameStrength::Weak));
        assert_eq!(p.birth_dates.len(), 1);
        assert_eq!(p.identifiers[0].kind, IdKind::Passport);
        assert_eq!(l.entities[1].schema, Schema::Organization);
        assert_eq!(l.entities[2].identifiers[0].kind, IdKind::Imo);
    }

    #[test]
    fn bad_files_name_the_line() {
        let truncated = &SAMPLE[..SAMPLE.find("eu-fsf-2").expect("two") + 20];
        let e = parse_ftm_json(truncated, "eu_fsf", None).expect_err("truncated");
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse_ftm_json("<?xml version=\"1.0\"?>", "eu_fsf", None).expect_err("xml");
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = parse_ftm_json(
            "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {}}",
            "eu_fsf",
            None,
        )
        .expect_err("no name");
        assert!(e.to_string().contains("no name"), "{e}");
        let e = parse_ftm_json(
            "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A B\"], \"birthDate\": [\"sometime\"]}}",
            "eu_fsf",
            None,
        )
        .expect_err("date");
        assert!(e.to_string().contains("birthDate"), "{e}");
        assert!(parse_ftm_json("", "eu_fsf", None).is_err());
        assert!(parse_ftm_json(SAMPLE, "../x", None).is_err());
    }
}
