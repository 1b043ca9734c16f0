//! Requirements ⇄ HXL CSV.

use super::{
    col, export, measure_cells, num, parse_rows, place_cells, read, rel_to_cell, Column,
    ImportErrors, Row, Use, ADM1_CODE, ADM1_NAME, CATEGORY, COUNTRY, CURRENCY, DESCRIPTION, END,
    LAT, LOE, LON, REL_TO, REPORTING, START, STATUS, TITLE, TLP, TOWN, UNIT, VALUE, VERSION,
};
use coalesce_domain::needs::{Requirement, RequirementDraft, MAX_DESCRIPTION, MAX_TITLE};
use coalesce_domain::{text, MemberCode, Slug};

const ID: &str = "#activity+id";
const REQUESTING: &str = "#org+requesting";
const PRIORITY: &str = "#severity+priority";

/// The columns of a requirements file, in export order.
pub const REQUIREMENT_COLUMNS: &[Column] = &[
    col("Requirement ID", ID, Use::ExportOnly),
    num("Version", VERSION, Use::ExportOnly),
    col("Recorded by", REPORTING, Use::ExportOnly),
    col("Status", STATUS, Use::ExportOnly),
    col("Requesting member", REQUESTING, Use::Required),
    col("Line of effort", LOE, Use::Required),
    col("Category", CATEGORY, Use::Required),
    col("Title", TITLE, Use::Required),
    col("Description", DESCRIPTION, Use::Optional),
    num("Amount", VALUE, Use::Required),
    col("Currency", CURRENCY, Use::Optional),
    col("Unit", UNIT, Use::Optional),
    col("Country", COUNTRY, Use::Required),
    col("Admin 1", ADM1_NAME, Use::Optional),
    col("Admin 1 P-code", ADM1_CODE, Use::Optional),
    col("Town", TOWN, Use::Optional),
    num("Latitude", LAT, Use::Optional),
    num("Longitude", LON, Use::Optional),
    col("Start", START, Use::Required),
    col("End", END, Use::Required),
    num("Priority (1 most urgent - 5)", PRIORITY, Use::Required),
    col("TLP", TLP, Use::Required),
    col("REL TO", REL_TO, Use::Optional),
];

/// Requirements as an HXL CSV file (header row, hashtag row, one row each).
pub fn requirements_to_hxl(records: &[Requirement]) -> String {
    requirements_hxl_page(records, true)
}

/// One page of an export streamed page by page: the header and hashtag
/// rows only on the first (`with_head`).
pub fn requirements_hxl_page(records: &[Requirement], with_head: bool) -> String {
    export(
        REQUIREMENT_COLUMNS,
        records.iter().map(|r| {
            let [value, currency, unit] = measure_cells(&r.measure);
            let [country, adm1, pcode, town, lat, lon] = place_cells(Some(&r.place));
            vec![
                r.id.clone(),
                r.version.to_string(),
                r.origin.clone(),
                if r.revoked { "revoked" } else { "active" }.to_string(),
                r.requesting_member.clone(),
                r.line_of_effort.clone(),
                r.category.clone(),
                r.title.clone(),
                r.description.clone(),
                value,
                currency,
                unit,
                country,
                adm1,
                pcode,
                town,
                lat,
                lon,
                r.window.start.clone(),
                r.window.end.clone(),
                r.priority.to_string(),
                r.marking.tlp.as_str().to_string(),
                rel_to_cell(&r.marking),
            ]
        }),
        with_head,
    )
}

/// Domain field names → hashtags, for the errors of the final parse.
const FIELDS: &[(&str, &str)] = &[
    ("title", TITLE),
    ("description", DESCRIPTION),
    ("priority", PRIORITY),
    ("marking.rel_to", REL_TO),
];

/// An HXL CSV file of requirements → drafts, one per data row, or every
/// problem of every row. The origin (the importing member) is not in the
/// file; ids, versions, status and "recorded by" are ignored.
pub fn requirements_from_hxl(input: &[u8]) -> Result<Vec<Row<RequirementDraft>>, ImportErrors> {
    let sheet = read(input, REQUIREMENT_COLUMNS)?;
    parse_rows(&sheet, |r| {
        let title = r
            .required(TITLE)
            .and_then(|t| r.check(text::required_line("title", t, MAX_TITLE), FIELDS, TITLE));
        let description = r.check(
            text::body("description", r.get(DESCRIPTION), MAX_DESCRIPTION),
            FIELDS,
            DESCRIPTION,
        );
        let requesting = r
            .required(REQUESTING)
            .and_then(|m| r.check(MemberCode::parse(m.trim()), FIELDS, REQUESTING));
        let loe = r
            .required(LOE)
            .and_then(|s| r.check(Slug::parse(s.trim()), FIELDS, LOE));
        let category = r
            .required(CATEGORY)
            .and_then(|s| r.check(Slug::parse(s.trim()), FIELDS, CATEGORY));
        let measure = r.measure();
        let place = match r.place() {
            Ok(Some(p)) => Some(p),
            Ok(None) => {
                r.err(COUNTRY, "required: the cell is empty");
                None
            }
            Err(()) => None,
        };
        let window = match r.window() {
            Ok(Some(w)) => Some(w),
            Ok(None) => {
                r.err(START, "required: the cell is empty");
                r.err(END, "required: the cell is empty");
                None
            }
            Err(()) => None,
        };
        let priority = r.required(PRIORITY).and_then(|p| {
            let n = crate::money::parse_integer(p);
            if n.is_none() {
                r.err(PRIORITY, format!("{p:?}: expected 1 (most urgent) to 5"));
            }
            n.and_then(|n| r.check(coalesce_domain::needs::Priority::parse(n), FIELDS, PRIORITY))
        });
        let marking = r.marking();
        let (
            Some(title),
            Some(description),
            Some(requesting),
            Some(loe),
            Some(category),
            Some(measure),
            Some(place),
            Some(window),
            Some(priority),
            Some(marking),
        ) = (
            title,
            description,
            requesting,
            loe,
            category,
            measure,
            place,
            window,
            priority,
            marking,
        )
        else {
            return None;
        };
        r.check(
            RequirementDraft::parse(
                &title,
                &description,
                requesting.as_str(),
                loe.as_str(),
                category.as_str(),
                measure,
                place,
                window,
                priority.get(),
                marking,
            ),
            FIELDS,
            "",
        )
    })
}
