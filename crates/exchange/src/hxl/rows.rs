//! Reading records from a sheet's rows: cells by hashtag, markings,
//! measures, places and windows, and every bad cell's error.

use super::sheet::Sheet;
use super::write::unprotect;
use super::{
    ImportError, ImportErrors, Row, ADM1_CODE, ADM1_NAME, COUNTRY, CURRENCY, END, LAT, LON, REL_TO,
    START, TLP, TOWN, UNIT, VALUE,
};
use coalesce_domain::marking::AudienceToken;
use coalesce_domain::needs::{AdminArea, Coordinates, Measure, Place, Window};
use coalesce_domain::{DomainError, Marking, Tlp};

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
