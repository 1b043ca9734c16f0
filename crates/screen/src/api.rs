//! The functions the CLI and the HTTP API wire in: a yente-shaped single
//! query, batch screening of a CSV, and pairwise name comparison of a CSV.

use crate::index::{Query, Screener};
use crate::model::{BirthDate, Gender, IdKind, NameStrength, Schema};
use crate::normalize::{guess_schema, tokenize_as};
use crate::score::{score_tokens, AlignedPart, NameScore, PartMatch};
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
    /// A hit of its own tier: every part of a weak alias matched ("weak
    /// alias — review"); `match` is true so that it is reviewed.
    #[serde(default)]
    pub weak_alias_review: bool,
    pub programs: Vec<String>,
    /// Readable sentences: which name matched, how the parts aligned,
    /// which evidence raised or lowered the score.
    pub explanation: Vec<String>,
    /// The same party's listings on the other lists (the UN and OFAC list
    /// one person each): shown as one party, not as two hits.
    #[serde(default)]
    pub also_listed: Vec<Listing>,
}

/// Another listing of a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// `list:reference`.
    pub id: String,
    pub list: String,
    pub reference: String,
    pub caption: String,
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
        Ok(self.response(&hits, opts))
    }

    /// [`Screener::match_query`] against the entries of `among` only.
    pub fn match_query_among(
        &self,
        q: &MatchQuery,
        opts: &MatchOptions,
        among: &crate::index::Among,
    ) -> Result<MatchResponse, Error> {
        let query = q.to_query()?;
        let hits = self.screen_among(&query, opts.threshold, opts.cutoff, opts.limit, among);
        Ok(self.response(&hits, opts))
    }

    fn response(&self, hits: &[crate::Hit], opts: &MatchOptions) -> MatchResponse {
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
                    weak_alias_review: h.weak_alias_review,
                    programs: e.programs.clone(),
                    explanation: self.explanation(h),
                    also_listed: h
                        .also_listed
                        .iter()
                        .map(|&i| {
                            let o = &self.entities()[i];
                            Listing {
                                id: format!("{}:{}", o.list, o.reference),
                                list: o.list.clone(),
                                reference: o.reference.clone(),
                                caption: o.caption().to_string(),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        MatchResponse {
            results,
            threshold: opts.threshold,
        }
    }
}

impl Screener {
    /// A hit's explanation, with the party's other listings named.
    pub fn explanation(&self, h: &crate::Hit) -> Vec<String> {
        let e = &self.entities()[h.entity];
        let mut v = h.explanation(e);
        if !h.also_listed.is_empty() {
            let others: Vec<String> = h
                .also_listed
                .iter()
                .map(|&i| {
                    let o = &self.entities()[i];
                    format!(
                        "{} {} ({})",
                        o.list.to_uppercase(),
                        o.reference,
                        o.caption()
                    )
                })
                .collect();
            v.push(format!(
                "one party, also listed as {}: the same identifier, or the same name{}",
                others.join(", "),
                if e.schema == Schema::Person {
                    " and date of birth"
                } else {
                    ""
                }
            ));
        }
        v
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Compares two names (no list needed): score in [0,1] and aligned parts.
/// Used by [`compare_csv`]. A `schema` of `Person` keeps "Ag", "Co" and
/// runs of initials as name parts; organisations and vessels (and no
/// schema) treat legal forms as words that say little.
pub fn compare_names(a: &str, b: &str, schema: Option<Schema>) -> NameScore {
    // Names of no stated kind are read as the kind they look like: an
    // organisation's if either has a legal form, a word organisations are
    // named with or a number, else a person's; the score says which.
    let read_as = match schema {
        Some(s) => s,
        None => match (guess_schema(a), guess_schema(b)) {
            (Schema::Person, Schema::Person) => Schema::Person,
            _ => Schema::Organization,
        },
    };
    let ta = tokenize_as(a, Some(read_as));
    let tb = tokenize_as(b, Some(read_as));
    let mut s = score_tokens(&ta, &tb);
    s.read_as = schema.is_none().then_some(read_as);
    // Ships' IMO numbers in both names decide: the same number is the same
    // ship under any name, two numbers are two ships.
    if let (Some(ia), Some(ib)) = (
        crate::normalize::imo_number(a),
        crate::normalize::imo_number(b),
    ) {
        if ia == ib {
            s.score = 1.0;
            s.aligned.push(AlignedPart {
                query: format!("IMO {ia}"),
                candidate: format!("IMO {ib}"),
                similarity: 1.0,
                how: PartMatch::Identifier,
            });
        } else {
            s.score = 0.0;
            s.unmatched_query.push(format!("IMO {ia}"));
            s.unmatched_candidate.push(format!("IMO {ib}"));
        }
    }
    s
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

/// One parsed input row of a batch: the row's `id` and `name` and the query.
struct BatchRow {
    id: String,
    name: String,
    query: Query,
}

/// Column positions of a batch CSV.
struct BatchColumns {
    name: usize,
    dob: Option<usize>,
    nat: Option<usize>,
    schema: Option<usize>,
    id: Option<usize>,
}

impl BatchColumns {
    fn from_headers(headers: &csv::StringRecord) -> Result<BatchColumns, Error> {
        Ok(BatchColumns {
            name: header_index(headers, "name").ok_or_else(|| Error::Csv {
                line: 1,
                column: "name".into(),
                message: "missing column".into(),
            })?,
            dob: header_index(headers, "birth_date"),
            nat: header_index(headers, "nationality"),
            schema: header_index(headers, "schema"),
            id: header_index(headers, "id"),
        })
    }

    fn row(&self, rec: &csv::StringRecord) -> Result<BatchRow, Error> {
        let line = rec.position().map_or(0, csv::Position::line);
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("");
        let name = get(Some(self.name));
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
        let dob = get(self.dob);
        if !dob.is_empty() {
            q.birth_dates
                .push(BirthDate::parse_iso(dob).ok_or_else(|| Error::Csv {
                    line,
                    column: "birth_date".into(),
                    message: format!("{dob:?} is not YYYY, YYYY-MM or YYYY-MM-DD"),
                })?);
        }
        let nat = get(self.nat);
        if !nat.is_empty() {
            q.nationalities.push(nat.to_string());
        }
        let schema = get(self.schema);
        if !schema.is_empty() {
            q.schema = Some(Schema::parse(schema).ok_or_else(|| Error::Csv {
                line,
                column: "schema".into(),
                message: format!("unknown schema {schema:?}"),
            })?);
        }
        Ok(BatchRow {
            id: get(self.id).to_string(),
            name: name.to_string(),
            query: q,
        })
    }
}

/// Output records ([`BATCH_HEADER`]) for one row.
fn batch_hits(screener: &Screener, row: &BatchRow, threshold: f64) -> Vec<[String; 7]> {
    screener
        .screen(&row.query, threshold, threshold, 20)
        .iter()
        .map(|h| {
            let e = &screener.entities()[h.entity];
            [
                row.id.clone(),
                row.name.clone(),
                e.list.clone(),
                e.reference.clone(),
                h.matched_name.clone(),
                format!("{:.4}", h.score),
                h.explanation_line(e),
            ]
        })
        .collect()
}

/// Rows a worker takes at a time from a chunk.
const PIECE: usize = 64;
/// Rows read per chunk and worker thread.
const CHUNK_PER_THREAD: usize = 2048;

/// Screens one chunk of rows on `threads` threads; results in row order.
fn screen_chunk(
    screener: &Screener,
    rows: &[BatchRow],
    threshold: f64,
    threads: usize,
) -> Vec<Vec<[String; 7]>> {
    if threads <= 1 || rows.len() <= PIECE {
        return rows
            .iter()
            .map(|r| batch_hits(screener, r, threshold))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let pieces = rows.len().div_ceil(PIECE);
    let mut done: Vec<(usize, Vec<Vec<[String; 7]>>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(pieces))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let p = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if p >= pieces {
                            break;
                        }
                        let end = ((p + 1) * PIECE).min(rows.len());
                        let hits = rows[p * PIECE..end]
                            .iter()
                            .map(|r| batch_hits(screener, r, threshold))
                            .collect();
                        out.push((p, hits));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                // A worker only panics if the scorer does, which the property
                // tests rule out; re-raise it rather than lose rows.
                w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(p, _)| *p);
    done.into_iter().flat_map(|(_, h)| h).collect()
}

/// Screens every row of a CSV with columns `name` and optional `birth_date`
/// (YYYY[-MM[-DD]]), `nationality`, `schema` (Person | Organization | Vessel), `id`.
/// Writes one row per hit at or above `threshold` ([`BATCH_HEADER`]).
/// `progress` is called with the number of rows done (every 100 rows and at the end).
/// A bad row stops the run with an error naming its line and column.
/// Single-threaded; [`screen_csv_parallel`] writes the same output on several threads.
pub fn screen_csv(
    screener: &Screener,
    input: impl Read,
    output: impl Write,
    threshold: f64,
    progress: &mut dyn FnMut(u64),
) -> Result<BatchSummary, Error> {
    run_batch(screener, input, output, threshold, 1, 100, progress)
}

/// [`screen_csv`] on `threads` threads (0: all available cores). The output is
/// byte-for-byte the same as [`screen_csv`]'s (rows in input order). Rows are
/// read in chunks of 2048 per thread; `progress` is called after each chunk
/// and at the end. A bad row stops the run with an error naming its line and
/// column before any row of its chunk is written.
pub fn screen_csv_parallel(
    screener: &Screener,
    input: impl Read,
    output: impl Write,
    threshold: f64,
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<BatchSummary, Error> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        threads
    };
    run_batch(
        screener,
        input,
        output,
        threshold,
        threads,
        CHUNK_PER_THREAD * threads,
        progress,
    )
}

fn run_batch(
    screener: &Screener,
    input: impl Read,
    output: impl Write,
    threshold: f64,
    threads: usize,
    chunk: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<BatchSummary, Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = rdr.headers().map_err(|e| csv_err(e, ""))?.clone();
    let cols = BatchColumns::from_headers(&headers)?;
    let mut wtr = csv::Writer::from_writer(output);
    wtr.write_record(BATCH_HEADER)?;
    let mut sum = BatchSummary::default();
    let mut records = rdr.records();
    let mut rows = Vec::with_capacity(chunk);
    loop {
        rows.clear();
        for rec in records.by_ref() {
            let rec = rec.map_err(|e| csv_err(e, ""))?;
            rows.push(cols.row(&rec)?);
            if rows.len() == chunk {
                break;
            }
        }
        if rows.is_empty() {
            break;
        }
        for hits in screen_chunk(screener, &rows, threshold, threads) {
            for h in &hits {
                wtr.write_record(h)?;
            }
            sum.hits += hits.len() as u64;
        }
        sum.rows += rows.len() as u64;
        if rows.len() == chunk {
            progress(sum.rows);
        }
    }
    wtr.flush()?;
    progress(sum.rows);
    Ok(sum)
}
