//! The EU's consolidated list of persons, groups and entities subject to
//! financial sanctions (the Financial Sanctions Files' XML, `export`
//! root): one `sanctionEntity` an entry, its `nameAlias` names (the list's
//! `strong` attribute says which are good-quality names), `birthdate`,
//! `citizenship`, `identification` (passports, national ids, IMO numbers
//! of vessels) and `regulation` programmes. Entries are people
//! (`subjectType code="person"`) or enterprises.

use crate::model::{
    BirthDate, Entity, Gender, IdKind, Identifier, NameStrength, SanctionsList, Schema,
};
use crate::normalize::has_non_latin;
use crate::un::line_at;
use crate::Error;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

fn attrs(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            (
                String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
                a.unescape_value()
                    .map(|v| v.into_owned())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn attr<'a>(a: &'a [(String, String)], k: &str) -> &'a str {
    a.iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

/// An entry being read, with the line it started on.
struct Builder {
    entity: Entity,
    line: usize,
}

/// Parses the EU Financial Sanctions Files XML. The version's date is the
/// root's `generationDate` (date part). All or nothing: malformed or
/// truncated XML, a root other than `export`, an entry without a reference
/// or without a name, and an impossible date of birth are errors naming
/// the line.
pub fn parse_eu_xml(xml: &str) -> Result<SanctionsList, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut published = None;
    let mut cur: Option<Builder> = None;
    let mut entities = Vec::new();
    loop {
        let ev = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(0);
            Error::Xml(format!("line {}: malformed XML: {e}", line_at(xml, at)))
        })?;
        let at = usize::try_from(reader.buffer_position()).unwrap_or(xml.len());
        let line = line_at(xml, at);
        let (e, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if end.local_name().as_ref() == b"sanctionEntity" {
                    if let Some(b) = cur.take() {
                        entities.push(finish(b)?);
                    }
                }
                continue;
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(Error::Xml(format!(
                        "line {}: file ends inside an element (truncated?)",
                        line_at(xml, xml.len())
                    )));
                }
                break;
            }
            _ => (None, false),
        };
        let Some(e) = e else { continue };
        if !empty {
            depth += 1;
        }
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let a = attrs(&e);
        if !root_seen {
            root_seen = true;
            if name != "export" {
                return Err(Error::Xml(format!(
                    "line {line}: root element is <{name}>, not <export>: not the EU's financial sanctions file"
                )));
            }
            let d = attr(&a, "generationDate");
            published = (!d.is_empty()).then(|| d.chars().take(10).collect());
            continue;
        }
        match name.as_str() {
            "sanctionEntity" => {
                let reference = match attr(&a, "euReferenceNumber") {
                    "" => attr(&a, "logicalId"),
                    r => r,
                };
                if reference.is_empty() {
                    return Err(Error::Xml(format!(
                        "line {line}: a sanctionEntity without euReferenceNumber or logicalId"
                    )));
                }
                cur = Some(Builder {
                    entity: Entity::new("eu", reference, Schema::Organization),
                    line,
                });
                if empty {
                    if let Some(b) = cur.take() {
                        entities.push(finish(b)?);
                    }
                }
            }
            _ => {
                let Some(b) = cur.as_mut() else { continue };
                let en = &mut b.entity;
                match name.as_str() {
                    "subjectType" => {
                        en.schema = match attr(&a, "code") {
                            "person" => Schema::Person,
                            _ => Schema::Organization,
                        };
                    }
                    "nameAlias" => {
                        let whole = attr(&a, "wholeName").to_string();
                        let whole = if whole.is_empty() {
                            ["firstName", "middleName", "lastName"]
                                .iter()
                                .map(|k| attr(&a, k))
                                .filter(|s| !s.is_empty())
                                .collect::<Vec<_>>()
                                .join(" ")
                        } else {
                            whole
                        };
                        if whole.is_empty() {
                            continue;
                        }
                        let strength = if has_non_latin(&whole) {
                            NameStrength::OriginalScript
                        } else if attr(&a, "strong") == "false" {
                            NameStrength::Weak
                        } else {
                            NameStrength::Strong
                        };
                        let primary = en.names.is_empty();
                        en.push_name(&whole, strength, primary);
                        if en.gender.is_none() {
                            en.gender = Gender::parse(attr(&a, "gender"));
                        }
                    }
                    "birthdate" => {
                        let d = attr(&a, "birthdate");
                        let year = attr(&a, "year");
                        let text = if !d.is_empty() { d } else { year };
                        if text.is_empty() {
                            continue;
                        }
                        let bd = BirthDate::parse_iso(text)
                            .filter(BirthDate::is_plausible)
                            .ok_or_else(|| {
                                Error::Xml(format!(
                                    "line {line}: {}: birthdate {text:?} is not a real date",
                                    en.reference
                                ))
                            })?;
                        let bd = match (bd, attr(&a, "circa")) {
                            (BirthDate::Exact { year, .. }, "true") => BirthDate::Approx { year },
                            (bd, _) => bd,
                        };
                        en.birth_dates.push(bd);
                    }
                    "citizenship" => {
                        let c = match attr(&a, "countryDescription") {
                            "" | "UNKNOWN" => attr(&a, "countryIso2Code"),
                            c => c,
                        };
                        if !c.is_empty() && c != "00" && !en.nationalities.iter().any(|n| n == c) {
                            en.nationalities.push(c.to_string());
                        }
                    }
                    "identification" => {
                        let number = match attr(&a, "number") {
                            "" => attr(&a, "latinNumber"),
                            n => n,
                        };
                        if number.is_empty() {
                            continue;
                        }
                        let kind = match attr(&a, "identificationTypeCode") {
                            "passport" => IdKind::Passport,
                            "id" | "nationalid" => IdKind::NationalId,
                            "imo" => IdKind::Imo,
                            _ => IdKind::Other,
                        };
                        en.identifiers.push(Identifier {
                            kind,
                            value: number.to_string(),
                            country: Some(attr(&a, "countryIso2Code").to_string())
                                .filter(|c| !c.is_empty() && c != "00"),
                        });
                    }
                    "regulation" => {
                        let p = attr(&a, "programme");
                        if !p.is_empty() && !en.programs.iter().any(|x| x == p) {
                            en.programs.push(p.to_string());
                        }
                        if en.listed_on.is_none() {
                            let d = attr(&a, "entryIntoForceDate");
                            en.listed_on = (!d.is_empty()).then(|| d.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if !root_seen {
        return Err(Error::Xml(
            "not the EU's financial sanctions file (no <export> root)".into(),
        ));
    }
    Ok(SanctionsList::new(
        "eu",
        published,
        &[xml.as_bytes()],
        entities,
    ))
}

fn finish(b: Builder) -> Result<Entity, Error> {
    if b.entity.names.is_empty() {
        return Err(Error::Xml(format!(
            "line {}: entry {} has no name",
            b.line, b.entity.reference
        )));
    }
    Ok(b.entity)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2030-02-01T20:00:02.140+01:00" globalFileId="1">
  <sanctionEntity designationDetails="" unitedNationId="QDi.901" euReferenceNumber="EU.9001.01" logicalId="9001">
    <regulation regulationType="regulation" organisationType="commission" publicationDate="2030-01-10" entryIntoForceDate="2030-01-11" numberTitle="2030/1" programme="TAQA" logicalId="1"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias firstName="Muhammad Yusuf" middleName="" lastName="al-Testari" wholeName="Muhammad Yusuf Abd al-Karim al-Testari" function="" gender="M" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="2"/>
    <nameAlias wholeName="Abu Yusuf" strong="false" regulationLanguage="en" logicalId="3"/>
    <nameAlias wholeName="محمد يوسف عبد الكريم التستاري" strong="true" regulationLanguage="ar" logicalId="4"/>
    <citizenship region="" countryIso2Code="IQ" countryDescription="IRAQ" regulationLanguage="en" logicalId="5"/>
    <birthdate circa="false" calendarType="GREGORIAN" city="Mosul" birthdate="1970-05-04" dayOfMonth="4" monthOfYear="5" year="1970" countryIso2Code="IQ" countryDescription="IRAQ" regulationLanguage="en" logicalId="6"/>
    <identification diplomatic="false" knownExpired="false" knownFalse="false" number="A1234567" countryIso2Code="IQ" identificationTypeCode="passport" identificationTypeDescription="National passport" regulationLanguage="en" logicalId="7"/>
  </sanctionEntity>
  <sanctionEntity euReferenceNumber="EU.9002.02" logicalId="9002">
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias wholeName="Testari Trading Company LLC" strong="true" logicalId="8"/>
  </sanctionEntity>
</export>
"#;

    #[test]
    fn entries_of_the_eu_file() {
        let l = parse_eu_xml(SAMPLE).expect("parses");
        assert_eq!(l.version.source, "eu");
        assert_eq!(l.version.published.as_deref(), Some("2030-02-01"));
        assert_eq!(l.entities.len(), 2);
        let p = &l.entities[0];
        assert_eq!(p.reference, "EU.9001.01");
        assert_eq!(p.schema, Schema::Person);
        assert_eq!(p.names.len(), 3);
        assert_eq!(p.names[1].strength, NameStrength::Weak);
        assert_eq!(p.names[2].strength, NameStrength::OriginalScript);
        assert_eq!(p.birth_dates.len(), 1);
        assert_eq!(p.identifiers[0].kind, IdKind::Passport);
        assert_eq!(p.programs, vec!["TAQA".to_string()]);
        assert_eq!(l.entities[1].schema, Schema::Organization);
    }

    #[test]
    fn bad_files_name_the_line() {
        let cut = &SAMPLE[..SAMPLE.find("<citizenship").expect("sample")];
        let e = parse_eu_xml(cut).expect_err("truncated");
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = parse_eu_xml("<CONSOLIDATED_LIST/>").expect_err("other root");
        assert!(e.to_string().contains("line 1"), "{e}");
        let e =
            parse_eu_xml(&SAMPLE.replace("birthdate=\"1970-05-04\"", "birthdate=\"1970-13-45\""))
                .expect_err("bad date");
        assert!(e.to_string().contains("line 10"), "{e}");
        let e = parse_eu_xml(&SAMPLE.replace(
            "<nameAlias wholeName=\"Testari Trading Company LLC\" strong=\"true\" logicalId=\"8\"/>",
            "",
        ))
        .expect_err("no name");
        assert!(e.to_string().contains("EU.9002.02 has no name"), "{e}");
        assert!(parse_eu_xml("").is_err());
    }
}
