//! Indicator values ⇄ HXL CSV.

use super::{
    col, export, num, parse_rows, read, rel_to_cell, Column, ImportErrors, Row, Use, DESCRIPTION,
    REL_TO, REPORTING, TLP,
};
use coalesce_domain::indicators::{self, IndicatorValue, ValueDraft, MAX_NOTE};
use coalesce_domain::{text, Slug};

const ID: &str = "#meta+id";
const INDICATOR: &str = "#indicator+code";
const OBSERVED: &str = "#date+reported";
const FIGURE: &str = "#indicator+value+num";

/// The columns of an indicator-values file, in export order.
pub const VALUE_COLUMNS: &[Column] = &[
    col("Value ID", ID, Use::ExportOnly),
    col("Reported by", REPORTING, Use::ExportOnly),
    col("Indicator", INDICATOR, Use::Required),
    col("Observed on", OBSERVED, Use::Required),
    num("Value", FIGURE, Use::Required),
    col("Note", DESCRIPTION, Use::Optional),
    col("TLP", TLP, Use::Required),
    col("REL TO", REL_TO, Use::Optional),
];

/// Indicator values as an HXL CSV file. Values are written in Rust's
/// shortest form that reads back to the same `f64` (no exponent).
pub fn indicator_values_to_hxl(records: &[IndicatorValue]) -> String {
    indicator_values_hxl_page(records, true)
}

/// One page of an export streamed page by page: the header and hashtag
/// rows only on the first (`with_head`).
pub fn indicator_values_hxl_page(records: &[IndicatorValue], with_head: bool) -> String {
    export(
        VALUE_COLUMNS,
        records.iter().map(|v| {
            vec![
                v.id.clone(),
                v.origin.clone(),
                v.indicator.clone(),
                v.observed_on.clone(),
                v.value.to_string(),
                v.note.clone(),
                v.marking.tlp.as_str().to_string(),
                rel_to_cell(&v.marking),
            ]
        }),
        with_head,
    )
}

const FIELDS: &[(&str, &str)] = &[
    ("observed_on", OBSERVED),
    ("value", FIGURE),
    ("note", DESCRIPTION),
    ("marking.rel_to", REL_TO),
];

/// An HXL CSV file of indicator values → (indicator slug, draft) per data
/// row, or every problem of every row. Whether the indicator exists is the
/// caller's check (the catalogue is in the store).
pub fn indicator_values_from_hxl(
    input: &[u8],
) -> Result<Vec<Row<(Slug, ValueDraft)>>, ImportErrors> {
    let sheet = read(input, VALUE_COLUMNS)?;
    parse_rows(&sheet, |r| {
        let indicator = r
            .required(INDICATOR)
            .and_then(|s| r.check(Slug::parse(s.trim()), FIELDS, INDICATOR));
        let observed = r
            .required(OBSERVED)
            .and_then(|d| r.check(text::iso_date("observed_on", d), FIELDS, OBSERVED));
        let figure = r.required(FIGURE).and_then(|v| {
            let t = v.trim();
            let looks_numeric = t
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
            match t.parse::<f64>() {
                Ok(x) if looks_numeric => r.check(indicators::value("value", x), FIELDS, FIGURE),
                _ => {
                    r.err(FIGURE, format!("{t:?} is not a number (e.g. 1500 or 12.5)"));
                    None
                }
            }
        });
        let note = r.check(
            text::body("note", r.get(DESCRIPTION), MAX_NOTE),
            FIELDS,
            DESCRIPTION,
        );
        let marking = r.marking();
        let (Some(indicator), Some(observed), Some(figure), Some(note), Some(marking)) =
            (indicator, observed, figure, note, marking)
        else {
            return None;
        };
        r.check(
            ValueDraft::parse(&observed, figure, &note, marking),
            FIELDS,
            "",
        )
        .map(|d| (indicator, d))
    })
}
