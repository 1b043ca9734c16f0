//! The STIX properties requirements and contributions share (what, where,
//! when, how much), written and read back the same way for both.

use super::*;
use crate::record::{stix_i64, stix_str};
use serde_json::{json, Map, Value};

/// Title, description, line of effort, item category and measure.
pub(super) struct Common {
    pub title: String,
    pub description: String,
    pub line_of_effort: String,
    pub category: String,
    pub measure: Measure,
}

pub(super) fn put_common(
    m: &mut Map<String, Value>,
    title: &str,
    description: &str,
    line_of_effort: &str,
    category: &str,
    measure: &Measure,
) {
    m.insert("name".into(), json!(title));
    if !description.is_empty() {
        m.insert("description".into(), json!(description));
    }
    m.insert("line_of_effort".into(), json!(line_of_effort));
    m.insert("item_category".into(), json!(category));
    m.insert("measure".into(), json!(measure.kind()));
    m.insert("amount".into(), json!(measure.amount()));
    m.insert("unit".into(), json!(measure.unit()));
}

pub(super) fn put_place(m: &mut Map<String, Value>, p: &Place) {
    m.insert("country".into(), json!(p.country));
    if let Some(a) = &p.admin1 {
        m.insert("admin1_name".into(), json!(a.name));
        m.insert("admin1_pcode".into(), json!(a.pcode));
    }
    if let Some(t) = &p.town {
        m.insert("town".into(), json!(t));
    }
    if let Some(c) = &p.point {
        m.insert("lat_micro".into(), json!(c.lat_micro));
        m.insert("lon_micro".into(), json!(c.lon_micro));
    }
}

pub(super) fn put_window(m: &mut Map<String, Value>, w: &Window) {
    m.insert("window_start".into(), json!(w.start));
    m.insert("window_end".into(), json!(w.end));
}

pub(super) fn opt(o: &Map<String, Value>, f: &str) -> Option<String> {
    o.get(f).and_then(Value::as_str).map(str::to_string)
}

pub(super) fn common(o: &Map<String, Value>) -> Result<Common, DomainError> {
    Ok(Common {
        title: stix_str(o, "name")?.to_string(),
        description: opt(o, "description").unwrap_or_default(),
        line_of_effort: stix_str(o, "line_of_effort")?.to_string(),
        category: stix_str(o, "item_category")?.to_string(),
        measure: Measure::parse(
            stix_str(o, "measure")?,
            stix_i64(o, "amount")?,
            stix_str(o, "unit")?,
        )?,
    })
}

/// The place, when the object names a country (checked by the kind).
pub(super) fn place(o: &Map<String, Value>) -> Option<Place> {
    opt(o, "country").map(|country| Place {
        country,
        admin1: match (opt(o, "admin1_name"), opt(o, "admin1_pcode")) {
            (Some(name), Some(pcode)) => Some(AdminArea { name, pcode }),
            _ => None,
        },
        town: opt(o, "town"),
        point: match (stix_i64(o, "lat_micro"), stix_i64(o, "lon_micro")) {
            (Ok(lat_micro), Ok(lon_micro)) => Some(Coordinates {
                lat_micro,
                lon_micro,
            }),
            _ => None,
        },
    })
}

/// The window, when the object names both ends (checked by the kind).
pub(super) fn window(o: &Map<String, Value>) -> Option<Window> {
    match (opt(o, "window_start"), opt(o, "window_end")) {
        (Some(start), Some(end)) => Some(Window { start, end }),
        _ => None,
    }
}
