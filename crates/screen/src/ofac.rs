//! OFAC SDN list, legacy CSV form (`sdn.csv`, `alt.csv`, `add.csv`, no header row,
//! `-0-` for empty fields).
//!
//! Name strength follows OFAC's own convention: names in `alt.csv` (aka/fka/nka)
//! are strong aliases; the quoted `a.k.a. '...'` names in `sdn.csv` remarks are
//! OFAC's "weak a.k.a."s, which identify nobody on their own.

use crate::model::{
    BirthDate, Entity, Gender, IdKind, Identifier, NameStrength, SanctionsList, Schema,
};
use crate::Error;
use std::collections::HashMap;

fn field(rec: &csv::StringRecord, i: usize) -> &str {
    let f = rec.get(i).unwrap_or("").trim();
    if f == "-0-" {
        ""
    } else {
        f
    }
}

fn reader(s: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(s.as_bytes())
}

/// `"NORIEGA, Manuel Antonio"` -> `"Manuel Antonio NORIEGA"` (individuals only).
pub fn reorder_person_name(s: &str) -> String {
    match s.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !first.contains(',') => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => s.trim().to_string(),
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Parses an OFAC date: `04 Mar 1947`, `Mar 1947`, `1947`, `circa 1960`,
/// `1960 to 1962`, `01 Jan 1960 to 31 Dec 1962`.
pub fn parse_ofac_date(s: &str) -> Option<BirthDate> {
    let s = s.trim().trim_end_matches('.').trim();
    if let Some((a, b)) = s.split_once(" to ") {
        let (fa, fb) = (parse_ofac_date(a)?, parse_ofac_date(b)?);
        return Some(BirthDate::Range {
            from: fa.year_bounds().0,
            to: fb.year_bounds().1,
        });
    }
    // "1979-1982" (seen after "circa" in the SDN list).
    if let Some((a, b)) = s.split_once('-') {
        if a.trim().len() == 4 && b.trim().len() == 4 {
            let (fa, fb) = (parse_ofac_date(a)?, parse_ofac_date(b)?);
            return Some(BirthDate::Range {
                from: fa.year_bounds().0,
                to: fb.year_bounds().1,
            });
        }
    }
    if let Some(rest) = s.strip_prefix("circa ") {
        return parse_ofac_date(rest).map(|d| BirthDate::Approx {
            year: d.year_bounds().0,
        });
    }
    let parts: Vec<&str> = s.split_whitespace().collect();
    let year = |p: &str| p.parse::<u16>().ok().filter(|y| (1000..=2999).contains(y));
    let month = |p: &str| {
        let p = p.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| p.starts_with(m))
            .and_then(|i| u8::try_from(i + 1).ok())
    };
    match parts.as_slice() {
        [y] => Some(BirthDate::Exact {
            year: year(y)?,
            month: None,
            day: None,
        }),
        [m, y] => Some(BirthDate::Exact {
            year: year(y)?,
            month: Some(month(m)?),
            day: None,
        }),
        [d, m, y] => Some(BirthDate::Exact {
            year: year(y)?,
            month: Some(month(m)?),
            day: Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
        }),
        _ => None,
    }
}

/// Splits `"X123 (Egypt)"` into number and country.
fn number_and_country(s: &str) -> (String, Option<String>) {
    let s = s.trim().trim_end_matches('.');
    match s.find('(') {
        Some(i) => {
            let country = s[i + 1..].split(')').next().unwrap_or("").trim();
            (
                s[..i].trim().to_string(),
                (!country.is_empty()).then(|| country.to_string()),
            )
        }
        None => (s.split_whitespace().next().unwrap_or("").to_string(), None),
    }
}

/// Applies the remarks column; `Err` names a date of birth that is not a
/// real, plausible date.
fn apply_remarks(e: &mut Entity, remarks: &str) -> Result<(), String> {
    for part in remarks.split(';') {
        let p = part.trim().trim_end_matches('.').trim();
        let p = p.strip_prefix("alt. ").unwrap_or(p);
        if let Some(rest) = p.strip_prefix("DOB ") {
            let d = parse_ofac_date(rest)
                .filter(BirthDate::is_plausible)
                .ok_or_else(|| format!("date of birth {:?} is not a real date", rest.trim()))?;
            if !e.birth_dates.contains(&d) {
                e.birth_dates.push(d);
            }
        } else if let Some(rest) = p
            .strip_prefix("nationality ")
            .or_else(|| p.strip_prefix("citizen "))
        {
            let n = rest.trim().to_string();
            if !n.is_empty() && !e.nationalities.contains(&n) {
                e.nationalities.push(n);
            }
        } else if let Some(rest) = p.strip_prefix("Gender ") {
            e.gender = Gender::parse(rest).or(e.gender);
        } else if let Some(rest) = p.strip_prefix("Passport ") {
            let (value, country) = number_and_country(rest);
            if !value.is_empty() {
                e.identifiers.push(Identifier {
                    kind: IdKind::Passport,
                    value,
                    country,
                });
            }
        } else if let Some(rest) = p
            .strip_prefix("National ID No. ")
            .or_else(|| p.strip_prefix("Cedula No. "))
            .or_else(|| p.strip_prefix("Identification Number "))
        {
            let (value, country) = number_and_country(rest);
            if !value.is_empty() {
                e.identifiers.push(Identifier {
                    kind: IdKind::NationalId,
                    value,
                    country,
                });
            }
        } else if let Some(i) = p.find("IMO ") {
            let v: String = p[i + 4..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if v.len() == 7 {
                e.identifiers.push(Identifier {
                    kind: IdKind::Imo,
                    value: v,
                    country: None,
                });
            }
        } else if let Some(rest) = p
            .strip_prefix("a.k.a. ")
            .or_else(|| p.strip_prefix("f.k.a. "))
            .or_else(|| p.strip_prefix("n.k.a. "))
        {
            let rest = rest.trim();
            let name = match (rest.find('\''), rest.rfind('\'')) {
                (Some(a), Some(b)) if b > a => &rest[a + 1..b],
                _ => rest,
            };
            let name = if e.schema == Schema::Person {
                reorder_person_name(name)
            } else {
                name.to_string()
            };
            e.push_name(&name, NameStrength::Weak, false);
        }
    }
    Ok(())
}

/// Reads `text` as OFAC CSV rows of exactly `fields` fields; errors name
/// `file` and the line. A trailing DOS end-of-file mark (`\x1a`) is ignored.
fn records(text: &str, file: &str, fields: usize) -> Result<Vec<(u64, csv::StringRecord)>, Error> {
    let mut out = Vec::new();
    for rec in reader(text).records() {
        let rec = rec.map_err(|e| Error::from(e).in_file(file))?;
        let line = rec.position().map_or(0, csv::Position::line);
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.trim().trim_matches('\u{1a}').is_empty())
        {
            continue;
        }
        if rec.len() != fields {
            return Err(Error::Csv {
                line,
                column: String::new(),
                message: format!(
                    "expected {fields} fields, found {} (truncated or not an OFAC {file}?)",
                    rec.len()
                ),
            }
            .in_file(file));
        }
        out.push((line, rec));
    }
    // The csv reader ends an unterminated quoted field at end of input; an odd
    // number of quotes means the file was cut inside one.
    if text.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
        let line = out.last().map_or(1, |(l, _)| *l);
        return Err(Error::Csv {
            line,
            column: String::new(),
            message: "file ends inside a quoted field (truncated?)".into(),
        }
        .in_file(file));
    }
    Ok(out)
}

/// Parses the OFAC legacy CSV files. `alt` and `add` may be empty strings.
/// `published` is the publication date the caller knows (the files carry none).
///
/// All or nothing: a row with the wrong number of fields (sdn 12, alt 5,
/// add 6), an unterminated quote, an entry without a number or a name, a
/// duplicate entry number, an `sdn.csv` without entries, and a `DOB` remark
/// that is not a real, plausible date ([`BirthDate::is_plausible`]) are errors
/// naming the file (`sdn.csv`, `alt.csv`, `add.csv`) and line.
pub fn parse_ofac_csv(
    sdn: &str,
    alt: &str,
    add: &str,
    published: Option<&str>,
) -> Result<SanctionsList, Error> {
    let sdn_rows = records(sdn, "sdn.csv", 12)?;
    let alt_rows = records(alt, "alt.csv", 5)?;
    // add.csv carries addresses only; they are not screening evidence here, but
    // the file must still parse so a broken download is reported.
    records(add, "add.csv", 6)?;
    let bad = |line: u64, column: &str, message: String| {
        Error::Csv {
            line,
            column: column.into(),
            message,
        }
        .in_file("sdn.csv")
    };
    let mut entities: Vec<Entity> = Vec::new();
    let mut by_num: HashMap<String, usize> = HashMap::new();
    for (line, rec) in &sdn_rows {
        let line = *line;
        let num = field(rec, 0);
        let name = field(rec, 1);
        if num.parse::<u64>().is_err() {
            return Err(bad(line, "ent_num", format!("not a number: {num:?}")));
        }
        if name.is_empty() {
            return Err(bad(line, "SDN_Name", format!("entry {num} has no name")));
        }
        if by_num.contains_key(num) {
            return Err(bad(line, "ent_num", format!("entry {num} appears twice")));
        }
        let schema = match field(rec, 2).to_ascii_lowercase().as_str() {
            "individual" => Schema::Person,
            "vessel" | "aircraft" => Schema::Vessel,
            _ => Schema::Organization,
        };
        let mut e = Entity::new("ofac", num, schema);
        let primary = if schema == Schema::Person {
            reorder_person_name(name)
        } else {
            name.to_string()
        };
        e.push_name(&primary, NameStrength::Strong, true);
        for p in field(rec, 3).split("] [") {
            let p = p.trim_matches(|c| c == '[' || c == ']').trim();
            if !p.is_empty() {
                e.programs.push(p.to_string());
            }
        }
        apply_remarks(&mut e, field(rec, 11))
            .map_err(|m| bad(line, "Remarks", format!("entry {num} ({name}): {m}")))?;
        by_num.insert(num.to_string(), entities.len());
        entities.push(e);
    }
    if entities.is_empty() {
        return Err(Error::Input("no entries (empty or truncated file)".into()).in_file("sdn.csv"));
    }
    for (_, rec) in &alt_rows {
        let (num, name) = (field(rec, 0), field(rec, 3));
        if let Some(&idx) = by_num.get(num) {
            let e = &mut entities[idx];
            let name = if e.schema == Schema::Person {
                reorder_person_name(name)
            } else {
                name.to_string()
            };
            e.push_name(&name, NameStrength::Strong, false);
        }
    }
    Ok(SanctionsList::new(
        "ofac",
        published.map(str::to_string),
        &[sdn.as_bytes(), alt.as_bytes(), add.as_bytes()],
        entities,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<BirthDate>) {
        assert_eq!(parse_ofac_date(input), expected, "{input:?}");
    }

    #[test]
    fn dates() {
        check(
            "04 Mar 1947",
            Some(BirthDate::Exact {
                year: 1947,
                month: Some(3),
                day: Some(4),
            }),
        );
        check(
            "1960",
            Some(BirthDate::Exact {
                year: 1960,
                month: None,
                day: None,
            }),
        );
        check(
            "Mar 1960",
            Some(BirthDate::Exact {
                year: 1960,
                month: Some(3),
                day: None,
            }),
        );
        check("circa 1960", Some(BirthDate::Approx { year: 1960 }));
        check(
            "1960 to 1962",
            Some(BirthDate::Range {
                from: 1960,
                to: 1962,
            }),
        );
        check(
            "01 Jan 1960 to 31 Dec 1962.",
            Some(BirthDate::Range {
                from: 1960,
                to: 1962,
            }),
        );
        check("sometime", None);
        check("99 Foo 1960", None);
    }

    #[test]
    fn names() {
        assert_eq!(
            reorder_person_name("NORIEGA, Manuel Antonio"),
            "Manuel Antonio NORIEGA"
        );
        assert_eq!(reorder_person_name("ACME, INC., THE"), "ACME, INC., THE");
    }

    #[test]
    fn remarks() {
        let sdn = "1,\"DOE, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 01 Feb 1970; nationality Yemen; Gender Male; Passport 12345 (Yemen); National ID No. 999-1; a.k.a. 'JD'; a.k.a. 'AL-DOE, Johnny'.\"\n";
        let l = parse_ofac_csv(sdn, "", "", Some("2030-01-01")).expect("parses");
        let e = &l.entities[0];
        assert_eq!(e.caption(), "John DOE");
        assert_eq!(e.nationalities, vec!["Yemen".to_string()]);
        assert_eq!(e.gender, Some(Gender::Male));
        assert_eq!(e.identifiers.len(), 2);
        assert_eq!(e.identifiers[0].kind, IdKind::Passport);
        assert_eq!(e.identifiers[0].country.as_deref(), Some("Yemen"));
        assert_eq!(
            e.names
                .iter()
                .filter(|n| n.strength == NameStrength::Weak)
                .map(|n| n.value.as_str())
                .collect::<Vec<_>>(),
            vec!["JD", "Johnny AL-DOE"]
        );
        assert!(parse_ofac_csv("x,\"A\"\n", "", "", None).is_err());
    }
}
