//! Contributions ⇄ HXL CSV.

use super::{
    col, export, measure_cells, num, parse_rows, place_cells, read, rel_to_cell, Column,
    ImportErrors, Row, Use, ADM1_CODE, ADM1_NAME, CATEGORY, COUNTRY, CURRENCY, DESCRIPTION, END,
    LAT, LOE, LON, REL_TO, REPORTING, START, STATUS, TITLE, TLP, TOWN, UNIT, VALUE, VERSION,
};
use coalesce_domain::needs::{
    Contribution, ContributionDraft, Measure, MAX_DESCRIPTION, MAX_TITLE,
};
use coalesce_domain::{text, MemberCode, Slug};

const ID: &str = "#activity+id";
const DELIVERED: &str = "#value+delivered";
const REQUIREMENT: &str = "#activity+id+requirement";
const FUNDERS: &str = "#org+funder";

/// The columns of a contributions file, in export order.
pub const CONTRIBUTION_COLUMNS: &[Column] = &[
    col("Contribution ID", ID, Use::ExportOnly),
    num("Version", VERSION, Use::ExportOnly),
    col("Recorded by", REPORTING, Use::ExportOnly),
    col("Status", STATUS, Use::ExportOnly),
    num("Delivered so far", DELIVERED, Use::ExportOnly),
    col("Requirement ID", REQUIREMENT, Use::Optional),
    col("Contributors", FUNDERS, Use::Required),
    col("Line of effort", LOE, Use::Optional),
    col("Category", CATEGORY, Use::Optional),
    col("Title", TITLE, Use::Required),
    col("Description", DESCRIPTION, Use::Optional),
    num("Amount", VALUE, Use::Required),
    col("Currency", CURRENCY, Use::Optional),
    col("Unit", UNIT, Use::Optional),
    col("Country", COUNTRY, Use::Optional),
    col("Admin 1", ADM1_NAME, Use::Optional),
    col("Admin 1 P-code", ADM1_CODE, Use::Optional),
    col("Town", TOWN, Use::Optional),
    num("Latitude", LAT, Use::Optional),
    num("Longitude", LON, Use::Optional),
    col("Start", START, Use::Optional),
    col("End", END, Use::Optional),
    col("TLP", TLP, Use::Required),
    col("REL TO", REL_TO, Use::Optional),
];

/// Contributions as an HXL CSV file. Contributors are joined with `|`; the
/// delivered amount is in the contribution's unit or currency.
pub fn contributions_to_hxl(records: &[Contribution]) -> String {
    contributions_hxl_page(records, true)
}

/// One page of an export streamed page by page: the header and hashtag
/// rows only on the first (`with_head`).
pub fn contributions_hxl_page(records: &[Contribution], with_head: bool) -> String {
    export(
        CONTRIBUTION_COLUMNS,
        records.iter().map(|c| {
            let [value, currency, unit] = measure_cells(&c.measure);
            let delivered = match &c.measure {
                Measure::Money { currency, .. } => {
                    crate::money::format_minor(c.delivered, currency)
                }
                Measure::Quantity { .. } => c.delivered.to_string(),
            };
            let [country, adm1, pcode, town, lat, lon] = place_cells(c.place.as_ref());
            let (start, end) = c
                .window
                .as_ref()
                .map(|w| (w.start.clone(), w.end.clone()))
                .unwrap_or_default();
            vec![
                c.id.clone(),
                c.version.to_string(),
                c.origin.clone(),
                c.status.as_str().to_string(),
                delivered,
                c.requirement_id.clone().unwrap_or_default(),
                c.contributors.join("|"),
                c.line_of_effort.clone(),
                c.category.clone(),
                c.title.clone(),
                c.description.clone(),
                value,
                currency,
                unit,
                country,
                adm1,
                pcode,
                town,
                lat,
                lon,
                start,
                end,
                c.marking.tlp.as_str().to_string(),
                rel_to_cell(&c.marking),
            ]
        }),
        with_head,
    )
}

/// Domain field names → hashtags, for the errors of the final parse (the
/// cross-field rules of standalone contributions land here).
const FIELDS: &[(&str, &str)] = &[
    ("title", TITLE),
    ("description", DESCRIPTION),
    ("contributors", FUNDERS),
    ("category", CATEGORY),
    ("place", COUNTRY),
    ("marking.rel_to", REL_TO),
];

/// An HXL CSV file of contributions → drafts (pledges), one per data row,
/// or every problem of every row. A row answers a requirement
/// (`#activity+id+requirement`) or stands alone, naming its line of effort,
/// category, place and window. Ids, versions, status and delivered amounts
/// are ignored: an import records new pledges.
pub fn contributions_from_hxl(input: &[u8]) -> Result<Vec<Row<ContributionDraft>>, ImportErrors> {
    let sheet = read(input, CONTRIBUTION_COLUMNS)?;
    parse_rows(&sheet, |r| {
        let title = r
            .required(TITLE)
            .and_then(|t| r.check(text::required_line("title", t, MAX_TITLE), FIELDS, TITLE));
        let description = r.check(
            text::body("description", r.get(DESCRIPTION), MAX_DESCRIPTION),
            FIELDS,
            DESCRIPTION,
        );
        let mut contributors = Vec::new();
        let mut contributors_ok = true;
        for m in r
            .get(FUNDERS)
            .split(['|', ','])
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            match r.check(MemberCode::parse(m), FIELDS, FUNDERS) {
                Some(code) => contributors.push(code.to_string()),
                None => contributors_ok = false,
            }
        }
        if contributors_ok && contributors.is_empty() {
            r.err(FUNDERS, "required: name at least one contributing member");
            contributors_ok = false;
        }
        let requirement = r.opt(REQUIREMENT).map(str::trim);
        let loe = r.opt(LOE).map(str::trim);
        let loe_ok = loe.is_none_or(|s| r.check(Slug::parse(s), FIELDS, LOE).is_some());
        let category = r.opt(CATEGORY).map(str::trim);
        let category_ok =
            category.is_none_or(|s| r.check(Slug::parse(s), FIELDS, CATEGORY).is_some());
        let measure = r.measure();
        let place = r.place();
        let window = r.window();
        let marking = r.marking();
        let (
            Some(title),
            Some(description),
            true,
            true,
            true,
            Some(measure),
            Ok(place),
            Ok(window),
            Some(marking),
        ) = (
            title,
            description,
            contributors_ok,
            loe_ok,
            category_ok,
            measure,
            place,
            window,
            marking,
        )
        else {
            return None;
        };
        r.check(
            ContributionDraft::parse(
                &title,
                &description,
                &contributors,
                requirement,
                loe,
                category,
                measure,
                place,
                window,
                marking,
            ),
            FIELDS,
            "",
        )
    })
}
