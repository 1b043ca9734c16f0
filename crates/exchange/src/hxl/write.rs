//! Writing HXL CSV: cell quoting, the formula-injection prefix, the file
//! layout, and the cells of markings, places and measures.

use super::Column;
use coalesce_domain::marking::AudienceToken;
use coalesce_domain::needs::{Measure, Place};
use coalesce_domain::Marking;

/// The formula-injection prefix, where needed (see the `hxl` module docs).
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

pub(super) fn write_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
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
pub(crate) fn export(
    columns: &[Column],
    rows: impl Iterator<Item = Vec<String>>,
    with_head: bool,
) -> String {
    let mut out = String::new();
    if with_head {
        let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
        write_row(&mut out, &headers);
        let tags: Vec<&str> = columns.iter().map(|c| c.hashtag).collect();
        write_row(&mut out, &tags);
    }
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
