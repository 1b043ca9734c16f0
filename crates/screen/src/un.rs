//! UN Security Council Consolidated List (XML as the UN publishes it).

use crate::model::{
    content_hash, BirthDate, Entity, Gender, IdKind, Identifier, ListVersion, NameStrength,
    SanctionsList, Schema,
};
use crate::normalize::has_non_latin;
use crate::Error;
use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Default)]
struct Alias {
    quality: String,
    name: String,
}

#[derive(Default)]
struct Dob {
    kind: String,
    date: String,
    year: String,
    from: String,
    to: String,
}

#[derive(Default)]
struct Doc {
    kind: String,
    number: String,
    country: String,
}

#[derive(Default)]
struct Builder {
    schema: Option<Schema>,
    name_parts: [String; 4],
    original: String,
    reference: String,
    list_type: String,
    listed_on: String,
    gender: String,
    nationalities: Vec<String>,
    aliases: Vec<Alias>,
    dobs: Vec<Dob>,
    docs: Vec<Doc>,
}

/// Parses the UN consolidated list XML. The list version's date is the
/// root's `dateGenerated` (date part); the hash is over `xml`'s bytes.
pub fn parse_un_xml(xml: &str) -> Result<SanctionsList, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut published = None;
    let mut cur: Option<Builder> = None;
    let mut entities = Vec::new();
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event()
            .map_err(|e| Error::Xml(format!("at byte {pos}: {e}")))?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "CONSOLIDATED_LIST" {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"dateGenerated" {
                            let v = a
                                .unescape_value()
                                .map(|v| v.into_owned())
                                .unwrap_or_default();
                            published = Some(v.get(..10).unwrap_or(&v).to_string());
                        }
                    }
                }
                start(&mut cur, &name);
                path.push(name);
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                start(&mut cur, &name);
                end(&mut cur, &name, &mut entities);
            }
            Event::End(_) => {
                if let Some(name) = path.pop() {
                    end(&mut cur, &name, &mut entities);
                }
            }
            Event::Text(t) => {
                let text = t
                    .unescape()
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(&t).into_owned());
                text_event(&mut cur, &path, text.trim());
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                text_event(&mut cur, &path, text.trim());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if published.is_none() && entities.is_empty() {
        return Err(Error::Xml(
            "not a UN consolidated list (no CONSOLIDATED_LIST root, no entries)".into(),
        ));
    }
    Ok(SanctionsList {
        version: ListVersion {
            source: "un".into(),
            published,
            content_hash: content_hash(&[xml.as_bytes()]),
            entries: entities.len(),
        },
        entities,
    })
}

fn start(cur: &mut Option<Builder>, name: &str) {
    match name {
        "INDIVIDUAL" => {
            *cur = Some(Builder {
                schema: Some(Schema::Person),
                ..Default::default()
            })
        }
        "ENTITY" => {
            *cur = Some(Builder {
                schema: Some(Schema::Organization),
                ..Default::default()
            })
        }
        _ => {
            if let Some(b) = cur {
                match name {
                    "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => b.aliases.push(Alias::default()),
                    "INDIVIDUAL_DATE_OF_BIRTH" => b.dobs.push(Dob::default()),
                    "INDIVIDUAL_DOCUMENT" => b.docs.push(Doc::default()),
                    _ => {}
                }
            }
        }
    }
}

fn end(cur: &mut Option<Builder>, name: &str, out: &mut Vec<Entity>) {
    if name == "INDIVIDUAL" || name == "ENTITY" {
        if let Some(b) = cur.take() {
            if let Some(e) = finish(b) {
                out.push(e);
            }
        }
    }
}

fn text_event(cur: &mut Option<Builder>, path: &[String], text: &str) {
    let Some(b) = cur else { return };
    if text.is_empty() {
        return;
    }
    let leaf = path.last().map(String::as_str).unwrap_or("");
    let parent = if path.len() >= 2 {
        path[path.len() - 2].as_str()
    } else {
        ""
    };
    match (parent, leaf) {
        ("INDIVIDUAL" | "ENTITY", "FIRST_NAME") => b.name_parts[0] = text.into(),
        ("INDIVIDUAL" | "ENTITY", "SECOND_NAME") => b.name_parts[1] = text.into(),
        ("INDIVIDUAL" | "ENTITY", "THIRD_NAME") => b.name_parts[2] = text.into(),
        ("INDIVIDUAL" | "ENTITY", "FOURTH_NAME") => b.name_parts[3] = text.into(),
        ("INDIVIDUAL" | "ENTITY", "NAME_ORIGINAL_SCRIPT") => b.original = text.into(),
        ("INDIVIDUAL" | "ENTITY", "REFERENCE_NUMBER") => b.reference = text.into(),
        ("INDIVIDUAL" | "ENTITY", "UN_LIST_TYPE") => b.list_type = text.into(),
        ("INDIVIDUAL" | "ENTITY", "LISTED_ON") => b.listed_on = text.into(),
        ("INDIVIDUAL", "GENDER") => b.gender = text.into(),
        ("NATIONALITY", "VALUE") => b.nationalities.push(text.into()),
        ("INDIVIDUAL_ALIAS" | "ENTITY_ALIAS", f) => {
            if let Some(a) = b.aliases.last_mut() {
                match f {
                    "QUALITY" => a.quality = text.into(),
                    "ALIAS_NAME" => a.name = text.into(),
                    _ => {}
                }
            }
        }
        ("INDIVIDUAL_DATE_OF_BIRTH", f) => {
            if let Some(d) = b.dobs.last_mut() {
                match f {
                    "TYPE_OF_DATE" => d.kind = text.into(),
                    "DATE" => d.date = text.into(),
                    "YEAR" => d.year = text.into(),
                    "FROM_YEAR" => d.from = text.into(),
                    "TO_YEAR" => d.to = text.into(),
                    _ => {}
                }
            }
        }
        ("INDIVIDUAL_DOCUMENT", f) => {
            if let Some(d) = b.docs.last_mut() {
                match f {
                    "TYPE_OF_DOCUMENT" => d.kind = text.into(),
                    "NUMBER" => d.number = text.into(),
                    "ISSUING_COUNTRY" | "COUNTRY_OF_ISSUE" if d.country.is_empty() => {
                        d.country = text.into()
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Splits a UN alias field that may hold several names: `;`-separated lists and
/// parenthesised renderings (`Arabic (Latin1; Latin2)`, `Latin (Arabic)`).
/// Latin parentheticals without `;` are notes (`(birth name)`) and dropped.
pub fn split_alias_field(s: &str) -> Vec<String> {
    let mut outside = String::new();
    let mut inside: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    cur.clear();
                } else {
                    cur.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    inside.push(std::mem::take(&mut cur));
                } else {
                    cur.push(c);
                }
            }
            _ if depth > 0 => cur.push(c),
            _ => outside.push(c),
        }
    }
    if depth > 0 {
        inside.push(cur);
    }
    let mut out = Vec::new();
    let mut add = |part: &str| {
        for p in part.split(';') {
            // Cut trailing notes such as ", born 1 Jan. 1953".
            let p = match p.find(", born") {
                Some(i) => &p[..i],
                None => p,
            };
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            let p = p.trim_matches(|c: char| c == ',' || c == ':' || c.is_whitespace());
            if !p.is_empty()
                && p.chars().any(char::is_alphabetic)
                && !out.iter().any(|o: &String| o == p)
            {
                out.push(p.to_string());
            }
        }
    };
    add(&outside);
    for i in &inside {
        if has_non_latin(i) || i.contains(';') {
            add(i);
        }
    }
    out
}

fn finish(b: Builder) -> Option<Entity> {
    let schema = b.schema?;
    if b.reference.is_empty() {
        return None;
    }
    let mut e = Entity::new("un", &b.reference, schema);
    let primary = b
        .name_parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    for (i, n) in split_alias_field(&primary).into_iter().enumerate() {
        let strength = if has_non_latin(&n) {
            NameStrength::OriginalScript
        } else {
            NameStrength::Strong
        };
        e.push_name(&n, strength, i == 0);
    }
    for n in split_alias_field(&b.original) {
        e.push_name(&n, NameStrength::OriginalScript, false);
    }
    for a in &b.aliases {
        let strength = if a.quality.eq_ignore_ascii_case("low") {
            NameStrength::Weak
        } else {
            NameStrength::Strong
        };
        for n in split_alias_field(&a.name) {
            let s = if has_non_latin(&n) {
                NameStrength::OriginalScript
            } else {
                strength
            };
            e.push_name(&n, s, false);
        }
    }
    if !b.list_type.is_empty() {
        e.programs.push(b.list_type);
    }
    if !b.listed_on.is_empty() {
        e.listed_on = Some(b.listed_on);
    }
    e.gender = Gender::parse(&b.gender);
    e.nationalities = b.nationalities;
    for d in &b.dobs {
        let year = |s: &str| s.trim().get(..4).and_then(|y| y.parse::<u16>().ok());
        let bd = match d.kind.trim().to_ascii_uppercase().as_str() {
            "BETWEEN" => match (year(&d.from), year(&d.to)) {
                (Some(f), Some(t)) => Some(BirthDate::Range { from: f, to: t }),
                _ => None,
            },
            "APPROXIMATELY" => year(&d.year)
                .or_else(|| year(&d.date))
                .map(|y| BirthDate::Approx { year: y }),
            _ => {
                if !d.date.is_empty() {
                    BirthDate::parse_iso(&d.date)
                } else {
                    year(&d.year).map(|y| BirthDate::Exact {
                        year: y,
                        month: None,
                        day: None,
                    })
                }
            }
        };
        if let Some(bd) = bd {
            if !e.birth_dates.contains(&bd) {
                e.birth_dates.push(bd);
            }
        }
    }
    for d in &b.docs {
        if d.number.trim().is_empty() {
            continue;
        }
        let k = d.kind.to_ascii_lowercase();
        let kind = if k.contains("pass") {
            IdKind::Passport
        } else if k.contains("national") || k.contains("identi") {
            IdKind::NationalId
        } else {
            IdKind::Other
        };
        let country = (!d.country.is_empty()).then(|| d.country.clone());
        e.identifiers.push(Identifier {
            kind,
            value: d.number.trim().to_string(),
            country,
        });
    }
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(split_alias_field(input), expected, "{input:?}");
    }

    #[test]
    fn alias_fields() {
        check(
            "Azim Adhajani; Azim Agha-Jani",
            &["Azim Adhajani", "Azim Agha-Jani"],
        );
        check(
            "يوسف التستاري (Yousef al-Testari; Yusuf Testari)",
            &["يوسف التستاري", "Yousef al-Testari", "Yusuf Testari"],
        );
        check("Akrin Saleh (أقرين صالح)", &["Akrin Saleh", "أقرين صالح"]);
        check("Encep Nurjaman (birth name)", &["Encep Nurjaman"]);
        check("Jane Roe, born 1 Jan. 1953 (note)", &["Jane Roe"]);
        check("", &[]);
        check("((", &[]);
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_un_xml("<nope/>").is_err());
        assert!(
            parse_un_xml("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL></CONSOLIDATED_LIST>")
                .is_err()
        );
    }
}
