//! The UK's consolidated list of financial sanctions targets (OFSI's
//! `ConList.csv`): a first line `Last Updated,DD/MM/YYYY`, then one row per
//! name of a target, rows of one target sharing its `Group ID`. Names come
//! in parts (`Name 1` … `Name 5` given names, `Name 6` the family name),
//! with `Name Non-Latin Script`, `Alias Type` (`Primary name`, `AKA`, …)
//! and `Alias Quality` (`Good`, `Low`); dates of birth as `DD/MM/YYYY`
//! with `00` for an unknown day or month; `Group Type` is `Individual`,
//! `Entity` or `Ship`.

use crate::model::{
    BirthDate, Entity, IdKind, Identifier, Name, NameStrength, SanctionsList, Schema,
};
use crate::normalize::has_non_latin;
use crate::Error;
use std::collections::BTreeMap;

fn csv_error(line: u64, column: &str, message: impl Into<String>) -> Error {
    Error::Csv {
        line,
        column: column.to_string(),
        message: message.into(),
    }
}

/// `DD/MM/YYYY` with `00` for unknown parts (and `YYYY` alone) as a date of
/// birth; `None` for an empty cell.
fn uk_date(s: &str) -> Result<Option<BirthDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = s.split('/').map(str::trim).collect();
    let (d, m, y) = match parts.as_slice() {
        [d, m, y] => (*d, *m, *y),
        [y] => ("00", "00", *y),
        _ => return Err(format!("date {s:?} is not DD/MM/YYYY")),
    };
    let num = |x: &str| {
        x.parse::<u16>()
            .map_err(|_| format!("date {s:?} is not DD/MM/YYYY"))
    };
    let (d, m, y) = (num(d)?, num(m)?, num(y)?);
    let bd = BirthDate::Exact {
        year: y,
        month: (m != 0).then_some(u8::try_from(m).unwrap_or(0)),
        day: (d != 0 && m != 0).then_some(u8::try_from(d).unwrap_or(0)),
    };
    if bd.is_plausible() {
        Ok(Some(bd))
    } else {
        Err(format!("date {s:?} is not a real date of birth"))
    }
}

/// Parses OFSI's consolidated list CSV. All or nothing: a file without the
/// list's columns, a row without a `Group ID` or without any name part, and
/// an impossible date of birth are errors naming the line and column.
pub fn parse_uk_csv(text: &str) -> Result<SanctionsList, Error> {
    let mut lines = text.splitn(2, '\n');
    let first = lines.next().unwrap_or("");
    let (published, body, offset) = if first
        .trim_start_matches('\u{feff}')
        .starts_with("Last Updated")
    {
        let date = first.split(',').nth(1).unwrap_or("").trim().to_string();
        let published = match uk_date(&date) {
            Ok(Some(BirthDate::Exact {
                year,
                month: Some(m),
                day: Some(d),
            })) => Some(format!("{year:04}-{m:02}-{d:02}")),
            _ => None,
        };
        (published, lines.next().unwrap_or(""), 1)
    } else {
        (None, text, 0)
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| csv_error(1 + offset, "", e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let required = ["Name 6", "Group Type", "Group ID"];
    for name in required {
        if col(name).is_none() {
            return Err(csv_error(
                1 + offset,
                name,
                "missing column: not the UK's consolidated list (ConList.csv)",
            ));
        }
    }
    let mut by_group: BTreeMap<String, Entity> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line) + offset;
            csv_error(line, "", e.to_string())
        })?;
        let line = rec.position().map_or(0, csv::Position::line) + offset;
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).unwrap_or("").trim();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let group = get("Group ID");
        if group.is_empty() {
            return Err(csv_error(line, "Group ID", "empty"));
        }
        let schema = match get("Group Type") {
            "Individual" => Schema::Person,
            "Ship" => Schema::Vessel,
            _ => Schema::Organization,
        };
        let e = by_group.entry(group.to_string()).or_insert_with(|| {
            order.push(group.to_string());
            Entity::new("uk", group, schema)
        });
        // Given names first, the family name last.
        let latin = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"]
            .iter()
            .map(|c| get(c))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let non_latin = get("Name Non-Latin Script");
        if latin.is_empty() && non_latin.is_empty() {
            return Err(csv_error(line, "Name 6", "a row without a name"));
        }
        let primary = get("Alias Type").eq_ignore_ascii_case("Primary name");
        let strength = if get("Alias Quality").eq_ignore_ascii_case("Low") {
            NameStrength::Weak
        } else {
            NameStrength::Strong
        };
        for (value, strength) in [
            (latin, strength),
            (non_latin.to_string(), NameStrength::OriginalScript),
        ] {
            if value.is_empty() || e.names.iter().any(|n| n.value == value) {
                continue;
            }
            let strength = if has_non_latin(&value) {
                NameStrength::OriginalScript
            } else {
                strength
            };
            let name = Name {
                value,
                strength,
                primary,
            };
            // The primary name leads.
            if primary && !e.names.iter().any(|n| n.primary) {
                e.names.insert(0, name);
            } else {
                e.names.push(Name {
                    primary: false,
                    ..name
                });
            }
        }
        if let Some(bd) = uk_date(get("DOB")).map_err(|m| csv_error(line, "DOB", m))? {
            if !e.birth_dates.contains(&bd) {
                e.birth_dates.push(bd);
            }
        }
        let nationality = get("Nationality");
        for n in nationality
            .split(['(', ')', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if n.len() > 2 && !e.nationalities.iter().any(|x| x == n) {
                e.nationalities.push(n.to_string());
            }
        }
        // Ships' IMO numbers are given in the free text ("IMO 9123456").
        if schema == Schema::Vessel {
            let other = get("Other Information");
            if let Some(i) = other.find("IMO") {
                let digits: String = other[i + 3..]
                    .chars()
                    .skip_while(|c| !c.is_ascii_digit())
                    .take_while(char::is_ascii_digit)
                    .collect();
                if digits.len() == 7 && !e.identifiers.iter().any(|x| x.value == digits) {
                    e.identifiers.push(Identifier {
                        kind: IdKind::Imo,
                        value: digits,
                        country: None,
                    });
                }
            }
        }
        for (column, kind) in [
            ("Passport Number", IdKind::Passport),
            ("National Identification Number", IdKind::NationalId),
            ("IMO number", IdKind::Imo),
        ] {
            let v = get(column);
            if !v.is_empty() && !e.identifiers.iter().any(|i| i.value == v) {
                e.identifiers.push(Identifier {
                    kind,
                    value: v.to_string(),
                    country: None,
                });
            }
        }
        let regime = get("Regime");
        if !regime.is_empty() && !e.programs.iter().any(|p| p == regime) {
            e.programs.push(regime.to_string());
        }
        if e.listed_on.is_none() {
            let d = get("Listed On");
            e.listed_on = (!d.is_empty()).then(|| d.to_string());
        }
    }
    let entities: Vec<Entity> = order.iter().filter_map(|g| by_group.remove(g)).collect();
    if entities.is_empty() {
        return Err(Error::Input(
            "no targets in the file (empty, or not the UK's consolidated list)".into(),
        ));
    }
    Ok(SanctionsList::new(
        "uk",
        published,
        &[text.as_bytes()],
        entities,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Last Updated,01/02/2030
Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,Passport Details,National Identification Number,National Identification Details,Position,Address 1,Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,Last Updated,Group ID
AL-TESTARI,Muhammad,Yusuf,Abd al-Karim,,,,محمد يوسف عبد الكريم التستاري,Arabic,Arabic,04/05/1970,Mosul,Iraq,Iraq,A1234567,,,,,,Iraq,,Individual,Primary name,,ISIL (Da'esh) and Al-Qaida,11/01/2030,11/01/2030,90001
AL-TESTARI,Abu,Yusuf,,,,,,,,00/00/1970,,,,,,,,,,,,Individual,AKA,Low,ISIL (Da'esh) and Al-Qaida,11/01/2030,11/01/2030,90001
TESTARI TRADING COMPANY LLC,,,,,,,,,,,,,,,,,,,,UAE,,Entity,Primary name,,Iraq,11/01/2030,11/01/2030,90002
SEA TESTER,,,,,,,,,,,,,,,,,,,,,IMO 9123456,Ship,Primary name,,Russia,11/01/2030,11/01/2030,90003
";

    #[test]
    fn targets_of_the_uk_file() {
        let l = parse_uk_csv(SAMPLE).expect("parses");
        assert_eq!(l.version.source, "uk");
        assert_eq!(l.version.published.as_deref(), Some("2030-02-01"));
        assert_eq!(l.entities.len(), 3, "rows of one Group ID are one target");
        let p = &l.entities[0];
        assert_eq!(p.reference, "90001");
        assert_eq!(p.schema, Schema::Person);
        assert_eq!(p.names[0].value, "Muhammad Yusuf Abd al-Karim AL-TESTARI");
        assert!(p
            .names
            .iter()
            .any(|n| n.strength == NameStrength::OriginalScript));
        assert!(p
            .names
            .iter()
            .any(|n| n.value == "Abu Yusuf AL-TESTARI" && n.strength == NameStrength::Weak));
        assert_eq!(p.birth_dates.len(), 2);
        assert_eq!(p.identifiers[0].kind, IdKind::Passport);
        assert_eq!(l.entities[1].schema, Schema::Organization);
        assert_eq!(l.entities[2].schema, Schema::Vessel);
        assert_eq!(l.entities[2].identifiers[0].kind, IdKind::Imo);
    }

    #[test]
    fn bad_files_name_the_line_and_column() {
        let e = parse_uk_csv(&SAMPLE.replace("04/05/1970", "45/13/1970")).expect_err("date");
        assert!(
            e.to_string().contains("line 3") && e.to_string().contains("DOB"),
            "{e}"
        );
        let e = parse_uk_csv("name1,name2\nA,B\n").expect_err("other file");
        assert!(e.to_string().contains("missing column"), "{e}");
        let e = parse_uk_csv(&SAMPLE.replace(",90002", ",")).expect_err("no group");
        assert!(e.to_string().contains("Group ID"), "{e}");
        assert!(parse_uk_csv("").is_err());
    }
}
