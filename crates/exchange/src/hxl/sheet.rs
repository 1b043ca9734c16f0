//! Reading a file into a [`Sheet`]: quote checks, physical line numbers,
//! finding the hashtag row and matching it against the columns.

use super::hashtag::Hashtag;
use super::{Column, ImportError, ImportErrors, Use, MAX_ROWS, TAG_ROW_SCAN};
use std::collections::HashMap;

/// Checks that every quoted field is closed and that a closing quote is
/// followed by a separator or a line end — the malformations the csv
/// reader would otherwise silently absorb (an unclosed quote swallows the
/// rest of the file into one cell).
pub(super) fn check_quotes(input: &[u8]) -> Result<(), ImportError> {
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
    pub(super) index: HashMap<&'static str, (usize, String)>,
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
