//! The one internal model every list parser produces.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What kind of party an entry (or a query) describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Schema {
    Person,
    Organization,
    /// Vessels; OFAC "aircraft" entries are mapped here too (listed assets).
    Vessel,
}

impl Schema {
    /// Parses `Person`, `Organization`/`Organisation`/`Company`/`LegalEntity`,
    /// `Vessel`; case-insensitive. Empty or unknown -> `None`.
    pub fn parse(s: &str) -> Option<Schema> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" => Some(Schema::Person),
            "organization" | "organisation" | "company" | "legalentity" | "entity" => {
                Some(Schema::Organization)
            }
            "vessel" | "ship" | "aircraft" => Some(Schema::Vessel),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "Person",
            Schema::Organization => "Organization",
            Schema::Vessel => "Vessel",
        }
    }
}

/// How much a list trusts a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum NameStrength {
    /// Primary name, UN `Good` quality alias, OFAC alt.csv a.k.a./f.k.a./n.k.a.
    Strong,
    /// UN `Low` quality alias, OFAC "weak a.k.a." (quoted in sdn.csv remarks):
    /// too broad to identify anyone on its own.
    Weak,
    /// The name in its original script (`NAME_ORIGINAL_SCRIPT`, Arabic in alias fields).
    OriginalScript,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub value: String,
    pub strength: NameStrength,
    /// The entry's primary (listed) name.
    pub primary: bool,
}

/// A date of birth as the lists give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BirthDate {
    /// Exact date; month/day may be missing when only the year is known.
    Exact {
        year: u16,
        month: Option<u8>,
        day: Option<u8>,
    },
    /// "APPROXIMATELY" / "circa" a year.
    Approx { year: u16 },
    /// "BETWEEN" / "to": an inclusive range of years.
    Range { from: u16, to: u16 },
}

impl BirthDate {
    /// Inclusive year bounds, widened by one year for approximations.
    pub fn year_bounds(&self) -> (u16, u16) {
        match *self {
            BirthDate::Exact { year, .. } => (year, year),
            BirthDate::Approx { year } => (year.saturating_sub(2), year.saturating_add(2)),
            BirthDate::Range { from, to } => (from.min(to), from.max(to)),
        }
    }
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (the query and CSV format).
    pub fn parse_iso(s: &str) -> Option<BirthDate> {
        let s = s.trim();
        let mut it = s.split('-');
        let year: u16 = it.next()?.trim().parse().ok()?;
        if !(1000..=2999).contains(&year) {
            return None;
        }
        let month = match it.next() {
            Some(m) => Some(
                m.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|m| (1..=12).contains(m))?,
            ),
            None => None,
        };
        let day = match it.next() {
            Some(d) => Some(
                d.trim()
                    .get(..2)
                    .unwrap_or(d)
                    .parse::<u8>()
                    .ok()
                    .filter(|d| (1..=31).contains(d))?,
            ),
            None => None,
        };
        Some(BirthDate::Exact { year, month, day })
    }
}

/// Birth years a list entry may plausibly carry; anything else in a list
/// file is a data error (`20150`, a typo for `2015`, or a future year).
pub const PLAUSIBLE_BIRTH_YEARS: std::ops::RangeInclusive<u16> = 1800..=2100;

impl BirthDate {
    /// True if the date exists in the calendar (month 1-12, day within the
    /// month, 29 February only in leap years) and every year is in
    /// [`PLAUSIBLE_BIRTH_YEARS`] (ranges: `from <= to`).
    pub fn is_plausible(&self) -> bool {
        let ok = |y: u16| PLAUSIBLE_BIRTH_YEARS.contains(&y);
        match *self {
            BirthDate::Exact { year, month, day } => {
                ok(year)
                    && match (month, day) {
                        (None, None) => true,
                        (Some(m), None) => (1..=12).contains(&m),
                        (Some(m), Some(d)) => {
                            (1..=12).contains(&m) && d >= 1 && d <= days_in_month(year, m)
                        }
                        (None, Some(_)) => false,
                    }
            }
            BirthDate::Approx { year } => ok(year),
            BirthDate::Range { from, to } => ok(from) && ok(to) && from <= to,
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl std::fmt::Display for BirthDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            BirthDate::Exact {
                year,
                month: Some(m),
                day: Some(d),
            } => {
                write!(f, "{year:04}-{m:02}-{d:02}")
            }
            BirthDate::Exact {
                year,
                month: Some(m),
                day: None,
            } => write!(f, "{year:04}-{m:02}"),
            BirthDate::Exact { year, .. } => write!(f, "{year:04}"),
            BirthDate::Approx { year } => write!(f, "circa {year:04}"),
            BirthDate::Range { from, to } => write!(f, "{from:04} to {to:04}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdKind {
    Passport,
    NationalId,
    Imo,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdKind,
    /// As listed.
    pub value: String,
    pub country: Option<String>,
}

impl Identifier {
    /// Upper-case alphanumerics only: what identifier comparison uses.
    pub fn normalized(&self) -> String {
        normalize_id(&self.value)
    }
}

/// Upper-case alphanumerics of an identifier (`"AB 123-4"` -> `"AB1234"`).
pub fn normalize_id(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "male" | "m" => Some(Gender::Male),
            "female" | "f" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// One listed party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Short list id: `un` or `ofac`.
    pub list: String,
    /// The list's own reference: `QDi.001` (UN), `7831` (OFAC ent_num).
    pub reference: String,
    pub schema: Schema,
    /// First name is the primary name.
    pub names: Vec<Name>,
    pub birth_dates: Vec<BirthDate>,
    /// Country names as listed (compare with [`crate::normalize::country_key`]).
    pub nationalities: Vec<String>,
    pub identifiers: Vec<Identifier>,
    pub gender: Option<Gender>,
    /// Sanctions programmes / UN regime (`Al-Qaida`, `SDGT`, ...).
    pub programs: Vec<String>,
    pub listed_on: Option<String>,
}

impl Entity {
    pub fn new(list: &str, reference: &str, schema: Schema) -> Entity {
        Entity {
            list: list.to_string(),
            reference: reference.to_string(),
            schema,
            names: Vec::new(),
            birth_dates: Vec::new(),
            nationalities: Vec::new(),
            identifiers: Vec::new(),
            gender: None,
            programs: Vec::new(),
            listed_on: None,
        }
    }
    /// The primary name (first name), or "" for a nameless entry.
    pub fn caption(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.primary)
            .or(self.names.first())
            .map_or("", |n| n.value.as_str())
    }
    /// Adds a name unless the same text is already there.
    pub fn push_name(&mut self, value: &str, strength: NameStrength, primary: bool) {
        let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
        let v = v
            .trim_matches(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .to_string();
        if v.is_empty() || self.names.iter().any(|n| n.value == v) {
            return;
        }
        self.names.push(Name {
            value: v,
            strength,
            primary,
        });
    }
}

/// Which published version of a list was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    /// `un` or `ofac`.
    pub source: String,
    /// Publication date (`dateGenerated` for the UN; supplied by the caller for OFAC).
    pub published: Option<String>,
    /// Lower-case hex SHA-256 over the raw input bytes.
    pub content_hash: String,
    pub entries: usize,
}

/// A parsed list: its version and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SanctionsList {
    pub version: ListVersion,
    pub entities: Vec<Entity>,
}

impl SanctionsList {
    /// A parsed list of `source` (`un`, `eu`, …): its version is hashed
    /// over the raw files it was read from (`inputs`, in order).
    pub fn new(
        source: &str,
        published: Option<String>,
        inputs: &[&[u8]],
        entities: Vec<Entity>,
    ) -> SanctionsList {
        SanctionsList {
            version: ListVersion {
                source: source.to_string(),
                published,
                content_hash: content_hash(inputs),
                entries: entities.len(),
            },
            entities,
        }
    }
}

/// Differences between two versions of a list, by reference number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Present in both with different content.
    pub changed: Vec<String>,
}

/// Compares two versions of a list entry by entry (keyed by reference number).
pub fn diff(old: &SanctionsList, new: &SanctionsList) -> ListDiff {
    let o: BTreeMap<&str, &Entity> = old
        .entities
        .iter()
        .map(|e| (e.reference.as_str(), e))
        .collect();
    let n: BTreeMap<&str, &Entity> = new
        .entities
        .iter()
        .map(|e| (e.reference.as_str(), e))
        .collect();
    let mut d = ListDiff::default();
    for (r, e) in &n {
        match o.get(r) {
            None => d.added.push((*r).to_string()),
            Some(old_e) if old_e != e => d.changed.push((*r).to_string()),
            _ => {}
        }
    }
    d.removed = o
        .keys()
        .filter(|r| !n.contains_key(*r))
        .map(|r| (*r).to_string())
        .collect();
    d
}

/// Lower-case hex SHA-256 of byte slices fed in order.
pub fn content_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
