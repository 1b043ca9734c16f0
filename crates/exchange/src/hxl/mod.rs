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
mod hashtag;
mod requirements;
mod rows;
mod sheet;
#[cfg(test)]
mod tests;
mod values;
mod write;

pub use contributions::{
    contributions_from_hxl, contributions_hxl_page, contributions_to_hxl, CONTRIBUTION_COLUMNS,
};
pub use requirements::{
    requirements_from_hxl, requirements_hxl_page, requirements_to_hxl, REQUIREMENT_COLUMNS,
};
pub use values::{
    indicator_values_from_hxl, indicator_values_hxl_page, indicator_values_to_hxl, VALUE_COLUMNS,
};

pub(crate) use rows::parse_rows;
pub(crate) use sheet::read;
pub(crate) use write::{degrees, export, measure_cells, place_cells, rel_to_cell};

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
