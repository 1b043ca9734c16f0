//! The functions the CLI and the HTTP API wire in: a yente-shaped single
//! query, batch screening of a CSV, and pairwise name comparison of a CSV.

use crate::index::{Query, Screener};
use crate::model::{BirthDate, Gender, IdKind, NameStrength, Schema};
use crate::normalize::tokenize;
use crate::score::{score_tokens, NameScore};
use crate::{Error, DEFAULT_THRESHOLD};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// Properties of a query, named as in FollowTheMoney / yente `/match`.
/// Every property is a list of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchProperties {
    pub name: Vec<String>,
    #[serde(rename = "birthDate")]
    pub birth_date: Vec<String>,
    pub nationality: Vec<String>,
    pub gender: Vec<String>,
    #[serde(rename = "idNumber")]
    pub id_number: Vec<String>,
    #[serde(rename = "passportNumber")]
    pub passport_number: Vec<String>,
    #[serde(rename = "imoNumber")]
    pub imo_number: Vec<String>,
}

/// A `/match` query: `{"schema": "Person", "properties": {"name": ["..."], ...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchQuery {
    /// `Person`, `Organization`, `Vessel`; absent or `Thing`: any.
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub properties: MatchProperties,
}

/// Options of a match call.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchOptions {
    /// Results returned at most.
    pub limit: usize,
    /// Score at or above which a result is a match.
    pub threshold: f64,
    /// Results below this score are not returned.
    pub cutoff: f64,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            limit: 5,
            threshold: DEFAULT_THRESHOLD,
            cutoff: 0.3,
        }
    }
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// `list:reference`, e.g. `un:QDi.001`.
    pub id: String,
    pub list: String,
    pub reference: String,
    /// The entry's primary name.
    pub caption: String,
    pub schema: Schema,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The entry's name that matched best.
    pub matched_name: String,
    pub matched_name_strength: NameStrength,
    pub programs: Vec<String>,
    /// Readable sentences: which name matched, how the parts aligned,
    /// which evidence raised or lowered the score.
    pub explanation: Vec<String>,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    pub results: Vec<MatchResult>,
    pub threshold: f64,
}

impl MatchQuery {
    /// Converts to the internal query. Unparseable dates are an error naming the value.
    pub fn to_query(&self) -> Result<Query, Error> {
        let schema = match self.schema.as_deref().map(str::trim) {
            None | Some("") | Some("Thing") | Some("LegalEntity") => None,
            Some(s) => Some(
                Schema::parse(s).ok_or_else(|| Error::Input(format!("unknown schema {s:?}")))?,
            ),
        };
        let p = &self.properties;
        let mut birth_dates = Vec::new();
        for d in &p.birth_date {
            if d.trim().is_empty() {
                continue;
            }
            birth_dates.push(BirthDate::parse_iso(d).ok_or_else(|| {
                Error::Input(format!(
                    "birthDate {d:?} is not YYYY, YYYY-MM or YYYY-MM-DD"
                ))
            })?);
        }
        let mut identifiers = Vec::new();
        identifiers.extend(p.id_number.iter().map(|v| (None, v.clone())));
        identifiers.extend(
            p.passport_number
                .iter()
                .map(|v| (Some(IdKind::Passport), v.clone())),
        );
        identifiers.extend(p.imo_number.iter().map(|v| {
            (
                Some(IdKind::Imo),
                v.trim().trim_start_matches("IMO").trim().to_string(),
            )
        }));
        Ok(Query {
            schema,
            names: p
                .name
                .iter()
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .collect(),
            birth_dates,
            nationalities: p
                .nationality
                .iter()
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .collect(),
            identifiers,
            gender: p.gender.iter().find_map(|g| Gender::parse(g)),
        })
    }
}

impl Screener {
    /// yente-style `/match` for one query.
    pub fn match_query(&self, q: &MatchQuery, opts: &MatchOptions) -> Result<MatchResponse, Error> {
        let query = q.to_query()?;
        let hits = self.screen(&query, opts.threshold, opts.cutoff, opts.limit);
        let results = hits
            .iter()
            .map(|h| {
                let e = &self.entities()[h.entity];
                MatchResult {
                    id: format!("{}:{}", e.list, e.reference),
                    list: e.list.clone(),
                    reference: e.reference.clone(),
                    caption: e.caption().to_string(),
                    schema: e.schema,
                    score: round4(h.score),
                    is_match: h.is_match,
                    matched_name: h.matched_name.clone(),
                    matched_name_strength: h.strength,
                    programs: e.programs.clone(),
                    explanation: h.explanation(e),
                }
            })
            .collect();
        Ok(MatchResponse {
            results,
            threshold: opts.threshold,
        })
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Compares two names (no list needed): score in [0,1] and aligned parts.
/// Used by [`compare_csv`]; `schema` is accepted for interface symmetry and
/// currently does not change the score.
pub fn compare_names(a: &str, b: &str, _schema: Option<Schema>) -> NameScore {
    let ta = tokenize(a);
    let tb = tokenize(b);
    score_tokens(&ta, &tb)
}

fn header_index(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| {
        h.trim()
            .trim_start_matches('\u{feff}')
            .eq_ignore_ascii_case(name)
    })
}

fn csv_err(e: csv::Error, column: &str) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    Error::Csv {
        line,
        column: column.to_string(),
        message: e.to_string(),
    }
}

/// Reads a CSV whose header has `name1,name2` (optional `schema`, any other
/// columns kept) and writes the same rows, columns and order, plus `score`
/// (4 decimals) and `match` (`true`/`false` at [`DEFAULT_THRESHOLD`]).
/// Returns the number of rows written. Deterministic.
pub fn compare_csv(input: impl Read, output: impl Write) -> Result<u64, Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = rdr.headers().map_err(|e| csv_err(e, ""))?.clone();
    let i1 = header_index(&headers, "name1").ok_or_else(|| Error::Csv {
        line: 1,
        column: "name1".into(),
        message: "missing column".into(),
    })?;
    let i2 = header_index(&headers, "name2").ok_or_else(|| Error::Csv {
        line: 1,
        column: "name2".into(),
        message: "missing column".into(),
    })?;
    let is = header_index(&headers, "schema");
    let mut wtr = csv::Writer::from_writer(output);
    let mut out_headers = headers.clone();
    out_headers.push_field("score");
    out_headers.push_field("match");
    wtr.write_record(&out_headers)?;
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_err(e, ""))?;
        let line = rec.position().map_or(0, csv::Position::line);
        let schema = match is.and_then(|i| rec.get(i)).map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(Schema::parse(s).ok_or_else(|| Error::Csv {
                line,
                column: "schema".into(),
                message: format!("unknown schema {s:?}"),
            })?),
        };
        let s = compare_names(rec.get(i1).unwrap_or(""), rec.get(i2).unwrap_or(""), schema).score;
        let mut out = rec.clone();
        out.push_field(&format!("{s:.4}"));
        out.push_field(if s >= DEFAULT_THRESHOLD {
            "true"
        } else {
            "false"
        });
        wtr.write_record(&out)?;
        n += 1;
    }
    wtr.flush()?;
    Ok(n)
}

/// Totals of a batch run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub rows: u64,
    pub hits: u64,
}

/// Header of the CSV [`screen_csv`] writes.
pub const BATCH_HEADER: [&str; 7] = [
    "id",
    "name",
    "list",
    "reference",
    "matched_name",
    "score",
    "explanation",
];

/// Screens every row of a CSV with columns `name` and optional `birth_date`
/// (YYYY[-MM[-DD]]), `nationality`, `schema` (Person | Organization | Vessel), `id`.
/// Writes one row per hit at or above `threshold` ([`BATCH_HEADER`]).
/// `progress` is called with the number of rows done (every 100 rows and at the end).
/// A bad row stops the run with an error naming its line and column.
pub fn screen_csv(
    screener: &Screener,
    input: impl Read,
    output: impl Write,
    threshold: f64,
    progress: &mut dyn FnMut(u64),
) -> Result<BatchSummary, Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = rdr.headers().map_err(|e| csv_err(e, ""))?.clone();
    let i_name = header_index(&headers, "name").ok_or_else(|| Error::Csv {
        line: 1,
        column: "name".into(),
        message: "missing column".into(),
    })?;
    let i_dob = header_index(&headers, "birth_date");
    let i_nat = header_index(&headers, "nationality");
    let i_schema = header_index(&headers, "schema");
    let i_id = header_index(&headers, "id");
    let mut wtr = csv::Writer::from_writer(output);
    wtr.write_record(BATCH_HEADER)?;
    let mut sum = BatchSummary::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_err(e, ""))?;
        let line = rec.position().map_or(0, csv::Position::line);
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("");
        let name = get(Some(i_name));
        if name.is_empty() {
            return Err(Error::Csv {
                line,
                column: "name".into(),
                message: "empty name".into(),
            });
        }
        let mut q = Query {
            names: vec![name.to_string()],
            ..Default::default()
        };
        let dob = get(i_dob);
        if !dob.is_empty() {
            q.birth_dates
                .push(BirthDate::parse_iso(dob).ok_or_else(|| Error::Csv {
                    line,
                    column: "birth_date".into(),
                    message: format!("{dob:?} is not YYYY, YYYY-MM or YYYY-MM-DD"),
                })?);
        }
        let nat = get(i_nat);
        if !nat.is_empty() {
            q.nationalities.push(nat.to_string());
        }
        let schema = get(i_schema);
        if !schema.is_empty() {
            q.schema = Some(Schema::parse(schema).ok_or_else(|| Error::Csv {
                line,
                column: "schema".into(),
                message: format!("unknown schema {schema:?}"),
            })?);
        }
        let id = get(i_id);
        for h in screener.screen(&q, threshold, threshold, 20) {
            let e = &screener.entities()[h.entity];
            wtr.write_record([
                id,
                name,
                e.list.as_str(),
                e.reference.as_str(),
                h.matched_name.as_str(),
                &format!("{:.4}", h.score),
                &h.explanation_line(e),
            ])?;
            sum.hits += 1;
        }
        sum.rows += 1;
        if sum.rows % 100 == 0 {
            progress(sum.rows);
        }
    }
    wtr.flush()?;
    progress(sum.rows);
    Ok(sum)
}
