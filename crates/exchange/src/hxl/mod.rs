//! HXL CSV (Humanitarian Exchange Language): a header row for people, a row
//! of hashtags for machines (`#org+funder`, `#value`, `#country+code`), then
//! data — for requirements, contributions and indicator values.
//!
//! **Export** writes a header row, the hashtag row and one row per record;
//! CRLF line ends, RFC 4180 quoting, no byte-order mark (a caller serving
//! the file to Excel may prepend [`UTF8_BOM`]).
//!
//! **Import** finds the hashtag row (within the first [`TAG_ROW_SCAN`]
//! rows, so one or more header rows may precede it) and matches columns by
//! hashtag, the HXL way: column order and header text are free, hashtag
//! attributes match in any order and case (`#item+code+type` is
//! `#item+type+code`), unknown columns are ignored; a hashtag that appears
//! in two columns is an error. Every bad cell of every row is reported
//! ([`ImportError`]: physical line, column, reason), and nothing is
//! returned if any row is bad. Values are checked by the domain's own parse
//! functions, so the rules are the same as for the API.
//!
//! **Formula injection.** A text cell starting with `=`, `+`, `-`, `@`, tab
//! or carriage return is a formula to a spreadsheet. Export prefixes such a
//! cell — and, so that the rule can be undone exactly, a cell starting with
//! `'` — with one `'`, which spreadsheets take as "this is text" and do not
//! show; import removes one leading `'` when the next character is one of
//! those. Numeric columns (`#value`, `#geo+lat`, …) are never prefixed: a
//! `-5` there is a number (the domain refuses negative amounts anyway), and
//! what they hold is formatted by us, never free text.

mod contributions;
mod requirements;
mod values;

pub use contributions::{contributions_from_hxl, contributions_to_hxl, CONTRIBUTION_COLUMNS};
pub use requirements::{requirements_from_hxl, requirements_to_hxl, REQUIREMENT_COLUMNS};
pub use values::{indicator_values_from_hxl, indicator_values_to_hxl, VALUE_COLUMNS};

use coalesce_domain::marking::AudienceToken;
use coalesce_domain::needs::{AdminArea, Coordinates, Measure, Place, Window};
use coalesce_domain::{DomainError, Marking, Tlp};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// At most this many data rows per file; a longer file is refused whole.
pub const MAX_ROWS: usize = 100_000;
/// The hashtag row must be among the first this many rows.
pub const TAG_ROW_SCAN: usize = 25;
/// What Excel needs in front of a UTF-8 CSV to read it as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based physical line in the file where the row starts (a quoted cell
    /// may span lines).
    pub line: u64,
    /// The column's hashtag as the file writes it (or the hashtag expected,
    /// or the header text, or `column N`); empty for the file as a whole.
    pub column: String,
    pub reason: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}, {}: {}", self.line, self.column, self.reason)
        }
    }
}

/// Every problem found in an imported file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// One imported record and the line its row starts on (for messages about
/// checks made later, such as a category missing from the taxonomy).
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    pub line: u64,
    pub value: T,
}

/// Whether import reads a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// The file must have the column.
    Required,
    /// Read when present.
    Optional,
    /// Written for people and other tools (ids, status, versions); not read.
    ExportOnly,
}

/// One column of a record type's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header row's text on export.
    pub header: &'static str,
    /// The hashtag, attributes in the order written on export.
    pub hashtag: &'static str,
    pub usage: Use,
    /// Numbers are written as they are (no formula-injection prefix).
    pub numeric: bool,
}

pub(crate) const fn col(header: &'static str, hashtag: &'static str, usage: Use) -> Column {
    Column {
        header,
        hashtag,
        usage,
        numeric: false,
    }
}

pub(crate) const fn num(header: &'static str, hashtag: &'static str, usage: Use) -> Column {
    Column {
        header,
        hashtag,
        usage,
        numeric: true,
    }
}

/// A parsed hashtag: tag and attribute set, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Hashtag {
    tag: String,
    attrs: BTreeSet<String>,
}

fn hxl_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

impl Hashtag {
    /// `#tag+attr+attr`, whitespace around the parts allowed, case ignored.
    fn parse(cell: &str) -> Option<Hashtag> {
        let compact: String = cell
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let rest = compact.strip_prefix('#')?;
        let mut parts = rest.split('+');
        let tag = parts.next().filter(|t| hxl_name(t))?.to_string();
        let mut attrs = BTreeSet::new();
        for a in parts {
            if !hxl_name(a) {
                return None;
            }
            attrs.insert(a.to_string());
        }
        Some(Hashtag { tag, attrs })
    }
}

// ---------------------------------------------------------------- export

/// The formula-injection prefix, where needed (see the module docs).
pub(crate) fn protect(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Undoes [`protect`].
pub(crate) fn unprotect(cell: &str) -> &str {
    let mut chars = cell.chars();
    match (chars.next(), chars.next()) {
        (Some('\''), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'')) => &cell[1..],
        _ => cell,
    }
}

fn write_cell(out: &mut String, cell: &str) {
    let quote = cell.contains([',', '"', '\n', '\r'])
        || cell.starts_with(char::is_whitespace)
        || cell.ends_with(char::is_whitespace);
    if quote {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

fn write_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_cell(out, c.as_ref());
    }
    out.push_str("\r\n");
}

/// A file: header row, hashtag row, then the rows (one cell per column,
/// text cells protected against formula injection).
pub(crate) fn export(columns: &[Column], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
    write_row(&mut out, &headers);
    let tags: Vec<&str> = columns.iter().map(|c| c.hashtag).collect();
    write_row(&mut out, &tags);
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(columns)
            .map(|(cell, c)| {
                if c.numeric {
                    cell.clone()
                } else {
                    protect(cell)
                }
            })
            .collect();
        write_row(&mut out, &cells);
    }
    out
}

/// A REL TO list as one cell: tokens joined with `|`.
pub(crate) fn rel_to_cell(m: &Marking) -> String {
    m.rel_to
        .iter()
        .map(AudienceToken::as_string)
        .collect::<Vec<_>>()
        .join("|")
}

/// Micro-degrees as decimal degrees with six decimals, exactly.
pub(crate) fn degrees(micro: i64) -> String {
    let sign = if micro < 0 { "-" } else { "" };
    let a = micro.unsigned_abs();
    format!("{sign}{}.{:06}", a / 1_000_000, a % 1_000_000)
}

/// The cells of a place: country, admin-1 name, P-code, town, lat, lon.
pub(crate) fn place_cells(p: Option<&Place>) -> [String; 6] {
    let Some(p) = p else {
        return Default::default();
    };
    [
        p.country.clone(),
        p.admin1
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default(),
        p.admin1
            .as_ref()
            .map(|a| a.pcode.clone())
            .unwrap_or_default(),
        p.town.clone().unwrap_or_default(),
        p.point.map(|c| degrees(c.lat_micro)).unwrap_or_default(),
        p.point.map(|c| degrees(c.lon_micro)).unwrap_or_default(),
    ]
}

/// The cells of a measure: amount, currency (money), unit (quantity).
pub(crate) fn measure_cells(m: &Measure) -> [String; 3] {
    match m {
        Measure::Money { amount, currency } => [
            crate::money::format_minor(*amount, currency),
            currency.clone(),
            String::new(),
        ],
        Measure::Quantity { amount, unit } => [amount.to_string(), String::new(), unit.clone()],
    }
}

// ---------------------------------------------------------------- import

/// Checks that every quoted field is closed and that a closing quote is
/// followed by a separator or a line end — the malformations the csv
/// reader would otherwise silently absorb (an unclosed quote swallows the
/// rest of the file into one cell).
fn check_quotes(input: &[u8]) -> Result<(), ImportError> {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut s = S::FieldStart;
    let mut line: u64 = 1;
    let mut opened: u64 = 1;
    for &b in input {
        s = match (s, b) {
            (S::FieldStart, b'"') => {
                opened = line;
                S::Quoted
            }
            (S::FieldStart | S::Unquoted | S::QuoteInQuoted, b',' | b'\r') => S::FieldStart,
            (S::FieldStart | S::Unquoted | S::QuoteInQuoted, b'\n') => {
                line += 1;
                S::FieldStart
            }
            (S::FieldStart | S::Unquoted, _) => S::Unquoted,
            (S::Quoted, b'"') => S::QuoteInQuoted,
            (S::Quoted, b'\n') => {
                line += 1;
                S::Quoted
            }
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, b'"') => S::Quoted,
            (S::QuoteInQuoted, _) => {
                return Err(ImportError {
                    line,
                    column: String::new(),
                    reason: "malformed CSV: text after the closing quote of a quoted cell (a quote inside a quoted cell is written twice: \"\")".into(),
                })
            }
        };
    }
    if s == S::Quoted {
        return Err(ImportError {
            line: opened,
            column: String::new(),
            reason: "malformed CSV: a quoted cell opened on this line is never closed (unbalanced quotes)".into(),
        });
    }
    Ok(())
}

/// Physical line numbers of records. The csv reader's own line count lags
/// by one after a CRLF (the LF is read as the start of the next record), so
/// lines are counted here: a record starts at its byte offset, past any
/// line-end bytes (a record never starts with one: blank lines are skipped,
/// a quoted cell starts with its quote).
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl LineCounter {
    fn at(&mut self, input: &[u8], pos: Option<&csv::Position>) -> u64 {
        let Some(pos) = pos else {
            return self.line + 1;
        };
        let mut start = usize::try_from(pos.byte())
            .unwrap_or(usize::MAX)
            .min(input.len());
        while start < input.len() && matches!(input[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            self.line += input[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = start;
        }
        self.line + 1
    }
}

/// The columns found and the data rows of an imported file.
pub(crate) struct Sheet {
    /// Spec hashtag → (column index, hashtag as written in the file).
    index: HashMap<&'static str, (usize, String)>,
    pub(crate) rows: Vec<(u64, Vec<String>)>,
}

fn file_error(line: u64, reason: impl Into<String>) -> ImportErrors {
    ImportErrors(vec![ImportError {
        line,
        column: String::new(),
        reason: reason.into(),
    }])
}

fn column_label(headers: &[String], i: usize) -> String {
    match headers.get(i).map(|h| h.trim()).filter(|h| !h.is_empty()) {
        Some(h) => h.to_string(),
        None => format!("column {}", i + 1),
    }
}

/// Reads a file into a [`Sheet`] for `columns`: BOM, quoting, UTF-8, the
/// hashtag row, column matching, the row cap.
pub(crate) fn read(input: &[u8], columns: &[Column]) -> Result<Sheet, ImportErrors> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(file_error(
            1,
            "the file is empty: expected a header row, a row of HXL hashtags and data rows",
        ));
    }
    check_quotes(input).map_err(|e| ImportErrors(vec![e]))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut errors = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    let mut tags: Option<(u64, Vec<String>)> = None;
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    let mut seen = 0usize;
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::default();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.at(input, e.position());
                return Err(file_error(line, format!("malformed CSV: {e}")));
            }
        }
        let line = lines.at(input, record.position());
        seen += 1;
        match &tags {
            None => {
                let cells: Vec<String> = record
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                let non_empty: Vec<&String> =
                    cells.iter().filter(|c| !c.trim().is_empty()).collect();
                let hashy = non_empty
                    .iter()
                    .filter(|c| c.trim_start().starts_with('#'))
                    .count();
                let valid = non_empty.iter().any(|c| Hashtag::parse(c).is_some());
                if valid && hashy * 2 >= non_empty.len() {
                    tags = Some((line, cells));
                } else if seen >= TAG_ROW_SCAN {
                    break;
                } else if !non_empty.is_empty() {
                    headers = cells;
                }
            }
            Some((_, tag_cells)) => {
                if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                if rows.len() == MAX_ROWS {
                    return Err(file_error(
                        line,
                        format!("more than {MAX_ROWS} data rows: split the file"),
                    ));
                }
                let mut cells = Vec::with_capacity(record.len());
                for (i, c) in record.iter().enumerate() {
                    match std::str::from_utf8(c) {
                        Ok(s) => cells.push(s.to_string()),
                        Err(_) => {
                            let column = match tag_cells.get(i).map(|t| t.trim()) {
                                Some(t) if !t.is_empty() => t.to_string(),
                                _ => column_label(&headers, i),
                            };
                            errors.push(ImportError {
                                line,
                                column,
                                reason: "not UTF-8 text (save the file as \"CSV UTF-8\")".into(),
                            });
                            cells.push(String::new());
                        }
                    }
                }
                rows.push((line, cells));
            }
        }
    }
    let Some((tag_line, tag_cells)) = tags else {
        return Err(file_error(
            1,
            format!("no HXL hashtag row in the first {TAG_ROW_SCAN} rows: expected a header row, then a row of hashtags (such as #item+name, #value, #country+code), then the data"),
        ));
    };
    // Match the hashtag row against the columns.
    let mut found: HashMap<Hashtag, (usize, String)> = HashMap::new();
    for (i, cell) in tag_cells.iter().enumerate() {
        let written = cell.trim();
        if written.is_empty() {
            continue;
        }
        match Hashtag::parse(written) {
            None => errors.push(ImportError {
                line: tag_line,
                column: column_label(&headers, i),
                reason: format!(
                    "{written:?} is not an HXL hashtag (#tag followed by +attributes, e.g. #org+funder)"
                ),
            }),
            Some(h) => {
                if let Some((_, first)) = found.get(&h) {
                    if columns
                        .iter()
                        .any(|c| c.usage != Use::ExportOnly && Hashtag::parse(c.hashtag).as_ref() == Some(&h))
                    {
                        errors.push(ImportError {
                            line: tag_line,
                            column: written.to_string(),
                            reason: format!(
                                "the same hashtag as {first} in an earlier column: which one to read is ambiguous"
                            ),
                        });
                    }
                } else {
                    found.insert(h, (i, written.to_string()));
                }
            }
        }
    }
    let mut index = HashMap::new();
    for c in columns.iter().filter(|c| c.usage != Use::ExportOnly) {
        let Some(h) = Hashtag::parse(c.hashtag) else {
            continue;
        };
        match found.get(&h) {
            Some(at) => {
                index.insert(c.hashtag, at.clone());
            }
            None if c.usage == Use::Required => errors.push(ImportError {
                line: tag_line,
                column: c.hashtag.to_string(),
                reason: format!("required column missing ({}: {})", c.header, c.hashtag),
            }),
            None => {}
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(ImportError {
            line: tag_line,
            column: String::new(),
            reason: "no data rows after the hashtag row".into(),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ImportErrors(errors));
    }
    Ok(Sheet { index, rows })
}

/// Reads one row's cells and collects its errors.
pub(crate) struct RowReader<'a> {
    sheet: &'a Sheet,
    pub(crate) line: u64,
    cells: &'a [String],
    pub(crate) errors: Vec<ImportError>,
}

impl<'a> RowReader<'a> {
    pub(crate) fn new(sheet: &'a Sheet, line: u64, cells: &'a [String]) -> Self {
        RowReader {
            sheet,
            line,
            cells,
            errors: Vec::new(),
        }
    }

    /// The cell under `hashtag` (a spec hashtag), formula prefix removed;
    /// empty when the column or the cell is missing.
    pub(crate) fn get(&self, hashtag: &str) -> &'a str {
        self.sheet
            .index
            .get(hashtag)
            .and_then(|(i, _)| self.cells.get(*i))
            .map(|c| unprotect(c))
            .unwrap_or("")
    }

    /// A cell whose emptiness matters: `None` when blank.
    pub(crate) fn opt(&self, hashtag: &str) -> Option<&'a str> {
        Some(self.get(hashtag)).filter(|s| !s.trim().is_empty())
    }

    /// The column name for messages: the hashtag as the file writes it.
    pub(crate) fn name(&self, hashtag: &str) -> String {
        self.sheet
            .index
            .get(hashtag)
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| hashtag.to_string())
    }

    pub(crate) fn err(&mut self, hashtag: &str, reason: impl Into<String>) {
        let column = if hashtag.is_empty() {
            String::new()
        } else {
            self.name(hashtag)
        };
        self.errors.push(ImportError {
            line: self.line,
            column,
            reason: reason.into(),
        });
    }

    /// Records a domain error under the column its field belongs to
    /// (`fields` maps domain field names to hashtags), else under `fallback`.
    pub(crate) fn domain(&mut self, e: &DomainError, fields: &[(&str, &str)], fallback: &str) {
        let column = match e {
            DomainError::InvalidField { field, .. } => fields
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, h)| *h)
                .unwrap_or(fallback),
            DomainError::InvalidTlp(_) => TLP,
            DomainError::InvalidAudienceToken(_) => REL_TO,
            _ => fallback,
        };
        self.err(column, e.to_string());
    }

    /// Runs a domain parse, recording its error under the right column.
    pub(crate) fn check<T>(
        &mut self,
        r: Result<T, DomainError>,
        fields: &[(&str, &str)],
        fallback: &str,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.domain(&e, fields, fallback);
                None
            }
        }
    }

    /// A cell that must not be empty (the domain's parse would say so too,
    /// but with the field name instead of the column).
    pub(crate) fn required(&mut self, hashtag: &str) -> Option<&'a str> {
        let v = self.opt(hashtag);
        if v.is_none() {
            self.err(hashtag, "required: the cell is empty");
        }
        v
    }

    /// The marking: `#meta+tlp` and `#meta+rel_to` (tokens separated by `|`
    /// or `,`). Every bad token is reported.
    pub(crate) fn marking(&mut self) -> Option<Marking> {
        let tlp = self
            .required(TLP)
            .and_then(|t| self.check(Tlp::parse(t), &[], TLP));
        let mut tokens = Vec::new();
        let mut ok = true;
        for t in self
            .get(REL_TO)
            .split(['|', ','])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            match AudienceToken::parse(t) {
                Ok(tok) => tokens.push(tok),
                Err(e) => {
                    self.err(REL_TO, e.to_string());
                    ok = false;
                }
            }
        }
        let tlp = tlp?;
        if !ok {
            return None;
        }
        self.check(Marking::new(tlp, tokens), &[], REL_TO)
    }

    /// The measure: `#value` with `#currency` (money, major units) or
    /// `#item+unit` (a whole quantity).
    pub(crate) fn measure(&mut self) -> Option<Measure> {
        let value = self.required(VALUE);
        let currency = self.opt(CURRENCY).map(str::trim);
        let unit = self.opt(UNIT).map(str::trim);
        let fields = [
            ("currency", CURRENCY),
            ("unit", UNIT),
            ("amount", VALUE),
            ("quantity", VALUE),
        ];
        match (currency, unit) {
            (Some(_), Some(_)) => {
                self.err(
                    CURRENCY,
                    format!("give a currency (money) or a unit ({UNIT}, in kind), not both"),
                );
                None
            }
            (None, None) if value.is_none() => None,
            (None, None) => {
                self.err(
                    VALUE,
                    format!("say what the amount counts: a currency in {CURRENCY} (money) or a unit in {UNIT} (in kind)"),
                );
                None
            }
            (Some(c), None) => {
                // Check the code first: its exponent decides the decimals.
                self.check(Measure::money(1, c), &fields, CURRENCY)?;
                let minor = match crate::money::parse_major(value?, c) {
                    Ok(m) => m,
                    Err(e) => {
                        self.err(VALUE, e.to_string());
                        return None;
                    }
                };
                self.check(Measure::money(minor, c), &fields, VALUE)
            }
            (None, Some(u)) => {
                let value = value?;
                let Some(n) = crate::money::parse_integer(value) else {
                    self.err(
                        VALUE,
                        format!("{value:?} is not a whole number (a quantity of {u})"),
                    );
                    return None;
                };
                self.check(Measure::quantity(n, u), &fields, VALUE)
            }
        }
    }

    fn coordinate(&mut self, hashtag: &str) -> Option<f64> {
        let t = self.get(hashtag).trim();
        let ok = !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        match t.parse::<f64>() {
            Ok(v) if ok => Some(v),
            _ => {
                self.err(
                    hashtag,
                    format!("{t:?} is not a number of decimal degrees (e.g. 34.724)"),
                );
                None
            }
        }
    }

    /// The place: `#country+code`, `#adm1+name` with `#adm1+code`,
    /// `#loc+name`, `#geo+lat` with `#geo+lon`. `Ok(None)` when every cell
    /// is blank (allowed where the place is optional).
    pub(crate) fn place(&mut self) -> Result<Option<Place>, ()> {
        let fields = [
            ("place.country", COUNTRY),
            ("place.town", TOWN),
            ("admin1.name", ADM1_NAME),
            ("admin1.pcode", ADM1_CODE),
            ("latitude", LAT),
            ("longitude", LON),
        ];
        let before = self.errors.len();
        let country = self.opt(COUNTRY);
        let (adm_name, adm_code) = (self.opt(ADM1_NAME), self.opt(ADM1_CODE));
        let town = self.opt(TOWN);
        let (lat, lon) = (self.opt(LAT), self.opt(LON));
        if country.is_none() {
            if adm_name.is_some()
                || adm_code.is_some()
                || town.is_some()
                || lat.is_some()
                || lon.is_some()
            {
                self.err(COUNTRY, "a place names its country (ISO 3166-1 alpha-3)");
                return Err(());
            }
            return Ok(None);
        }
        let admin1 = match (adm_name, adm_code) {
            (None, None) => None,
            (Some(n), Some(c)) => self.check(AdminArea::parse(n, c), &fields, ADM1_CODE),
            (None, Some(_)) => {
                self.err(
                    ADM1_NAME,
                    format!("the admin-1 area's name goes with its P-code in {ADM1_CODE}"),
                );
                None
            }
            (Some(_), None) => {
                self.err(
                    ADM1_CODE,
                    format!("the admin-1 area's P-code goes with its name in {ADM1_NAME}"),
                );
                None
            }
        };
        let point = match (lat, lon) {
            (None, None) => None,
            (Some(_), Some(_)) => {
                let la = self.coordinate(LAT);
                let lo = self.coordinate(LON);
                match (la, lo) {
                    (Some(la), Some(lo)) => {
                        self.check(Coordinates::from_degrees(la, lo), &fields, LAT)
                    }
                    _ => None,
                }
            }
            (Some(_), None) => {
                self.err(LON, "a point needs both latitude and longitude");
                None
            }
            (None, Some(_)) => {
                self.err(LAT, "a point needs both latitude and longitude");
                None
            }
        };
        let place = self.check(
            Place::parse(country.unwrap_or(""), admin1, town, point),
            &fields,
            COUNTRY,
        );
        if self.errors.len() > before {
            return Err(());
        }
        place.map(Some).ok_or(())
    }

    /// The window: `#date+start` and `#date+end`. `Ok(None)` when both are
    /// blank.
    pub(crate) fn window(&mut self) -> Result<Option<Window>, ()> {
        let fields = [
            ("window.start", START),
            ("window.end", END),
            ("window", END),
        ];
        match (self.opt(START), self.opt(END)) {
            (None, None) => Ok(None),
            (Some(s), Some(e)) => self
                .check(Window::parse(s, e), &fields, START)
                .map(Some)
                .ok_or(()),
            (Some(_), None) => {
                self.err(END, "a time window needs its end date too (YYYY-MM-DD)");
                Err(())
            }
            (None, Some(_)) => {
                self.err(START, "a time window needs its start date too (YYYY-MM-DD)");
                Err(())
            }
        }
    }
}

/// Parses every row with `parse`; all rows' errors, or all rows' values.
pub(crate) fn parse_rows<T>(
    sheet: &Sheet,
    mut parse: impl FnMut(&mut RowReader<'_>) -> Option<T>,
) -> Result<Vec<Row<T>>, ImportErrors> {
    let mut out = Vec::with_capacity(sheet.rows.len());
    let mut errors = Vec::new();
    for (line, cells) in &sheet.rows {
        let mut r = RowReader::new(sheet, *line, cells);
        let value = parse(&mut r);
        match value {
            Some(v) if r.errors.is_empty() => out.push(Row {
                line: *line,
                value: v,
            }),
            _ => {
                if r.errors.is_empty() {
                    // A parse that gave up must say why; never drop a row silently.
                    r.err("", "the row could not be read");
                }
                errors.append(&mut r.errors);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errors))
    }
}

// The hashtags shared by the record types.
pub(crate) const TITLE: &str = "#item+name";
pub(crate) const DESCRIPTION: &str = "#description";
pub(crate) const LOE: &str = "#sector+code";
pub(crate) const CATEGORY: &str = "#item+type+code";
pub(crate) const VALUE: &str = "#value";
pub(crate) const CURRENCY: &str = "#currency";
pub(crate) const UNIT: &str = "#item+unit";
pub(crate) const COUNTRY: &str = "#country+code";
pub(crate) const ADM1_NAME: &str = "#adm1+name";
pub(crate) const ADM1_CODE: &str = "#adm1+code";
pub(crate) const TOWN: &str = "#loc+name";
pub(crate) const LAT: &str = "#geo+lat";
pub(crate) const LON: &str = "#geo+lon";
pub(crate) const START: &str = "#date+start";
pub(crate) const END: &str = "#date+end";
pub(crate) const TLP: &str = "#meta+tlp";
pub(crate) const REL_TO: &str = "#meta+rel_to";
pub(crate) const VERSION: &str = "#meta+version";
pub(crate) const STATUS: &str = "#status";
pub(crate) const REPORTING: &str = "#org+reporting";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_parse_case_and_order_free() {
        let a = Hashtag::parse("#item+type+code").expect("valid");
        assert_eq!(Some(&a), Hashtag::parse(" #Item +CODE+ type ").as_ref());
        assert_eq!(a.tag, "item");
        assert!(Hashtag::parse("#adm1+code").is_some());
        assert!(Hashtag::parse("#meta+rel_to").is_some());
        for bad in [
            "item+name",
            "#",
            "#item+",
            "#1x",
            "#item++name",
            "#item+na-me",
            "#é",
        ] {
            assert!(Hashtag::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn formula_prefix_round_trips() {
        for s in [
            "=1+1", "+44", "-x", "@SUM(A1)", "\tx", "'=x", "'", "''", "'plain", "plain", "", "=",
            "-5",
        ] {
            assert_eq!(unprotect(&protect(s)), s, "{s:?}");
        }
        assert_eq!(protect("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(protect("'x"), "''x");
        assert_eq!(unprotect("'plain"), "'plain");
        assert_eq!(unprotect("'-5"), "-5");
    }

    #[test]
    fn cells_are_quoted_when_needed() {
        let mut out = String::new();
        write_row(
            &mut out,
            &["a", "b,c", "say \"hi\"", "two\nlines", " pad", ""],
        );
        assert_eq!(
            out,
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",\r\n"
        );
    }

    #[test]
    fn quote_check() {
        assert!(check_quotes(b"a,\"b\"\"c\",d\r\n\"x\ny\",z\n").is_ok());
        let e = check_quotes(b"a,b\nc,\"d\ne,f\n").expect_err("unclosed");
        assert_eq!(e.line, 2);
        let e = check_quotes(b"a,b\n\"c\"d,e\n").expect_err("text after quote");
        assert_eq!(e.line, 2);
        // A quote inside an unquoted cell is taken literally, as spreadsheets do.
        assert!(check_quotes(b"5\" pipe,x\n").is_ok());
    }

    #[test]
    fn degrees_are_exact() {
        assert_eq!(degrees(34_724_000), "34.724000");
        assert_eq!(degrees(-1), "-0.000001");
        assert_eq!(degrees(-180_000_000), "-180.000000");
    }
}
