//! UN Security Council Consolidated List (XML as the UN publishes it).

use crate::model::{
    BirthDate, Entity, Gender, IdKind, Identifier, NameStrength, SanctionsList, Schema,
    PLAUSIBLE_BIRTH_YEARS,
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
    /// Byte offset of the entry's start tag (for error messages).
    pos: usize,
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

/// 1-based line number of byte offset `pos` in `text`.
pub(crate) fn line_at(text: &str, pos: usize) -> usize {
    let end = pos.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Parses the UN consolidated list XML. The list version's date is the
/// root's `dateGenerated` (date part); the hash is over `xml`'s bytes.
///
/// All or nothing: malformed or truncated XML, a root other than
/// `CONSOLIDATED_LIST`, an `INDIVIDUAL`/`ENTITY` without a reference number or
/// without any name, and a date of birth that is not a real, plausible date
/// ([`BirthDate::is_plausible`]) are errors naming the line (and the entry's
/// reference), and no list is returned.
pub fn parse_un_xml(xml: &str) -> Result<SanctionsList, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    reader.config_mut().check_end_names = true;
    let mut path: Vec<String> = Vec::new();
    let mut opened: Vec<usize> = Vec::new();
    let mut root_seen = false;
    let mut published = None;
    let mut cur: Option<Builder> = None;
    let mut entities = Vec::new();
    loop {
        let pos = reader.buffer_position();
        let ev = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(pos as usize);
            Error::Xml(format!("line {}: malformed XML: {e}", line_at(xml, at)))
        })?;
        // Start of the tag just read: the last '<' before the reader's position
        // (attribute values cannot hold a raw '<').
        let after = usize::try_from(reader.buffer_position()).unwrap_or(xml.len());
        let pos = xml
            .get(..after)
            .and_then(|h| h.rfind('<'))
            .unwrap_or_else(|| usize::try_from(pos).unwrap_or(0));
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if !root_seen {
                    root_seen = true;
                    if name != "CONSOLIDATED_LIST" {
                        return Err(Error::Xml(format!(
                            "line {}: root element is <{name}>, not <CONSOLIDATED_LIST>: not a UN consolidated list",
                            line_at(xml, pos)
                        )));
                    }
                }
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
                start(&mut cur, &name, pos);
                path.push(name);
                opened.push(pos);
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                start(&mut cur, &name, pos);
                end(&mut cur, &name, &mut entities, xml)?;
            }
            Event::End(_) => {
                opened.pop();
                if let Some(name) = path.pop() {
                    end(&mut cur, &name, &mut entities, xml)?;
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
            Event::Eof => {
                if let (Some(name), Some(&at)) = (path.last(), opened.last()) {
                    return Err(Error::Xml(format!(
                        "line {}: file ends inside <{name}> opened at line {} (truncated?)",
                        line_at(xml, xml.len()),
                        line_at(xml, at)
                    )));
                }
                break;
            }
            _ => {}
        }
    }
    if published.is_none() && entities.is_empty() {
        return Err(Error::Xml(
            "not a UN consolidated list (no CONSOLIDATED_LIST root, no entries)".into(),
        ));
    }
    Ok(SanctionsList::new(
        "un",
        published,
        &[xml.as_bytes()],
        entities,
    ))
}

fn start(cur: &mut Option<Builder>, name: &str, pos: usize) {
    match name {
        "INDIVIDUAL" => {
            *cur = Some(Builder {
                schema: Some(Schema::Person),
                pos,
                ..Default::default()
            })
        }
        "ENTITY" => {
            *cur = Some(Builder {
                schema: Some(Schema::Organization),
                pos,
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

fn end(
    cur: &mut Option<Builder>,
    name: &str,
    out: &mut Vec<Entity>,
    xml: &str,
) -> Result<(), Error> {
    if name == "INDIVIDUAL" || name == "ENTITY" {
        if let Some(b) = cur.take() {
            let pos = b.pos;
            let e = finish(b, name)
                .map_err(|m| Error::Xml(format!("line {}: {m}", line_at(xml, pos))))?;
            out.push(e);
        }
    }
    Ok(())
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

/// Builds the entry; `Err` is a message naming the entry (`INDIVIDUAL QDi.001 has no name`).
fn finish(b: Builder, element: &str) -> Result<Entity, String> {
    let schema = b.schema.unwrap_or(Schema::Organization);
    if b.reference.is_empty() {
        return Err(format!("{element} has no REFERENCE_NUMBER"));
    }
    let what = format!("{element} {}", b.reference);
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
        let bd = un_birth_date(d).map_err(|m| format!("{what}: date of birth {m}"))?;
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
    if e.names.is_empty() {
        return Err(format!("{what} has no name"));
    }
    Ok(e)
}

/// A UN date of birth; `Ok(None)` for an element without any date (the list
/// has empty ones), `Err` for a value that is not a real, plausible date.
fn un_birth_date(d: &Dob) -> Result<Option<BirthDate>, String> {
    let year = |s: &str| -> Result<Option<u16>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<u16>()
            .ok()
            .filter(|y| PLAUSIBLE_BIRTH_YEARS.contains(y))
            .map(Some)
            .ok_or_else(|| format!("year {s:?} is not a plausible year of birth"))
    };
    let date = |s: &str| -> Result<Option<BirthDate>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        // The list writes dates as YYYY-MM-DD, sometimes with a time or zone suffix.
        let core = s
            .get(..10)
            .filter(|c| c.len() == 10 && c.is_ascii())
            .unwrap_or(s);
        BirthDate::parse_iso(core)
            .filter(BirthDate::is_plausible)
            .map(Some)
            .ok_or_else(|| format!("{s:?} is not a real date"))
    };
    let bd = match d.kind.trim().to_ascii_uppercase().as_str() {
        "BETWEEN" => match (year(&d.from)?, year(&d.to)?) {
            (Some(from), Some(to)) if from <= to => Some(BirthDate::Range { from, to }),
            (Some(from), Some(to)) => {
                return Err(format!("range {from} to {to} ends before it starts"))
            }
            _ => None,
        },
        "APPROXIMATELY" => match year(&d.year)? {
            Some(y) => Some(BirthDate::Approx { year: y }),
            None => date(&d.date)?.map(|x| BirthDate::Approx {
                year: x.year_bounds().0,
            }),
        },
        _ => match date(&d.date)? {
            Some(x) => Some(x),
            None => year(&d.year)?.map(|y| BirthDate::Exact {
                year: y,
                month: None,
                day: None,
            }),
        },
    };
    Ok(bd)
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
