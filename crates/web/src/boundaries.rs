//! The first-level administrative areas the 3W map draws, bundled with the
//! binary (`assets/boundaries.json`, built by `scripts/boundaries` from
//! Natural Earth and simplified), and their projection to SVG paths. No
//! tile server and no network: the map is drawn inside the page.

use serde::Deserialize;
use std::fmt::Write as _;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
struct Boundaries {
    areas: Vec<Area>,
}

/// One governorate (or province): its OCHA P-code, names and outline.
#[derive(Debug, Deserialize)]
pub(crate) struct Area {
    pub pcode: String,
    /// ISO 3166-1 alpha-3 of its country.
    pub country: String,
    /// The name coordinators use (OCHA's).
    pub name: String,
    pub name_fr: String,
    pub name_ar: String,
    /// Other spellings (Natural Earth's), for finding an area by name.
    pub also: Vec<String>,
    /// Where its label goes (longitude, latitude), inside it.
    label: [f64; 2],
    /// Outer rings of longitude/latitude pairs.
    rings: Vec<Vec<[f64; 2]>>,
}

/// Every bundled area, read once.
pub(crate) fn areas() -> &'static [Area] {
    static AREAS: OnceLock<Vec<Area>> = OnceLock::new();
    AREAS.get_or_init(|| {
        // The file is part of the binary and checked by a test: it cannot be
        // malformed at run time.
        serde_json::from_str::<Boundaries>(include_str!("../assets/boundaries.json"))
            .map(|b| b.areas)
            .unwrap_or_default()
    })
}

/// The bundled area of a P-code.
pub(crate) fn area(pcode: &str) -> Option<&'static Area> {
    areas().iter().find(|a| a.pcode == pcode)
}

/// What a place picker offers for an area: "Erbil (IQG11)", which
/// [`resolve`] reads back.
pub(crate) fn choice(a: &Area) -> String {
    format!("{} ({})", a.name, a.pcode)
}

/// Every bundled area as a picker offers it: the value it writes, and a
/// label with its names in the three languages (a browser matches what is
/// typed against both).
pub(crate) fn choices() -> Vec<serde_json::Value> {
    areas()
        .iter()
        .map(|a| {
            serde_json::json!({
                "country": a.country,
                "value": choice(a),
                "label": format!("{} · {} · {}", a.name, a.name_fr, a.name_ar),
            })
        })
        .collect()
}

/// Fills in what a person left out of a first-level area: its P-code from
/// its name (in English, French or Arabic, or another common spelling, or
/// as [`choice`] writes it), or its name from its P-code. Only bundled
/// areas are known, within `country` when one is given; anything else is
/// returned as given, for the domain to accept or refuse.
pub(crate) fn resolve(country: &str, name: &str, pcode: &str) -> (String, String) {
    let (name, pcode) = (name.trim(), pcode.trim());
    // "Erbil (IQG11)", as the picker offers it.
    let (name, pcode) = match name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
        Some((n, code)) if pcode.is_empty() && area(code).is_some() => (n.trim(), code),
        _ => (name, pcode),
    };
    if !pcode.is_empty() {
        let name = match area(pcode) {
            Some(a) if name.is_empty() => a.name.as_str(),
            _ => name,
        };
        return (name.to_string(), pcode.to_string());
    }
    if name.is_empty() {
        return (String::new(), String::new());
    }
    let wanted = name_key(name);
    let country = country.trim().to_ascii_uppercase();
    let mut found = areas().iter().filter(|a| {
        (country.is_empty() || a.country == country)
            && std::iter::once(&a.name)
                .chain([&a.name_fr, &a.name_ar])
                .chain(&a.also)
                .any(|n| name_key(n) == wanted)
    });
    match (found.next(), found.next()) {
        (Some(a), None) => (a.name.clone(), a.pcode.clone()),
        _ => (name.to_string(), String::new()),
    }
}

/// A name as compared: lower case, without punctuation, articles or the
/// word for governorate ("Al-Anbar", "Anbar" and "محافظة الأنبار"'s
/// English twin all read "anbar").
fn name_key(s: &str) -> String {
    const NOISE: [&str; 12] = [
        "al",
        "el",
        "an",
        "as",
        "ar",
        "at",
        "ad",
        "governorate",
        "province",
        "muhafazat",
        "de",
        "محافظة",
    ];
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join("")
}

/// One area drawn: its SVG path and where its label goes.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Shape {
    pub pcode: String,
    pub d: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// The areas of some countries, projected together into one picture
/// `WIDTH` wide.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Drawing {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

const WIDTH: f64 = 640.0;

/// Draws every bundled area of the given countries (ISO alpha-3), in an
/// equirectangular projection scaled by the cosine of the middle latitude
/// (true enough at the scale of a country). `None` when none is bundled.
pub(crate) fn draw(countries: &[&str]) -> Option<Drawing> {
    let chosen: Vec<&Area> = areas()
        .iter()
        .filter(|a| countries.contains(&a.country.as_str()))
        .collect();
    let points = || chosen.iter().flat_map(|a| a.rings.iter().flatten());
    let (mut west, mut east, mut south, mut north) = (180.0_f64, -180.0_f64, 90.0_f64, -90.0_f64);
    for [lon, lat] in points() {
        west = west.min(*lon);
        east = east.max(*lon);
        south = south.min(*lat);
        north = north.max(*lat);
    }
    if chosen.is_empty() || east <= west || north <= south {
        return None;
    }
    let squeeze = ((south + north) / 2.0).to_radians().cos();
    let scale = WIDTH / ((east - west) * squeeze);
    let x = |lon: f64| (lon - west) * squeeze * scale;
    let y = |lat: f64| (north - lat) * scale;
    let shapes = chosen
        .iter()
        .map(|a| {
            let mut d = String::new();
            for ring in &a.rings {
                for (i, [lon, lat]) in ring.iter().enumerate() {
                    let op = if i == 0 { 'M' } else { 'L' };
                    let _ = write!(d, "{op}{:.1} {:.1}", x(*lon), y(*lat));
                }
                d.push('Z');
            }
            let (lx, ly) = (x(a.label[0]), y(a.label[1]));
            Shape {
                pcode: a.pcode.clone(),
                d,
                label_x: (lx * 10.0).round() / 10.0,
                label_y: (ly * 10.0).round() / 10.0,
            }
        })
        .collect();
    Some(Drawing {
        width: WIDTH,
        height: ((north - south) * scale).ceil(),
        shapes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_areas_are_every_governorate_of_iraq_and_syria() {
        let all = areas();
        let of = |c: &str| all.iter().filter(|a| a.country == c).count();
        assert_eq!(of("IRQ"), 18);
        assert_eq!(of("SYR"), 14);
        assert_eq!(area("IQG11").map(|a| a.name.as_str()), Some("Erbil"));
        assert_eq!(area("IQG16").map(|a| a.name.as_str()), Some("Salah Al-Din"));
        assert_eq!(area("SY02").map(|a| a.name.as_str()), Some("Aleppo"));
        for a in all {
            assert!(
                !a.name_ar.is_empty() && !a.name_fr.is_empty(),
                "{}",
                a.pcode
            );
            assert!(a.rings.iter().all(|r| r.len() >= 4), "{}", a.pcode);
        }
    }

    #[test]
    fn a_drawing_fits_its_box_and_places_areas_where_they_are() {
        let d = draw(&["IRQ"]).expect("Iraq is bundled");
        assert_eq!(d.shapes.len(), 18);
        assert!(d.height > 300.0 && d.height < 900.0, "{}", d.height);
        let at = |p: &str| d.shapes.iter().find(|s| s.pcode == p).expect(p);
        // Duhok is north of Basrah, Al-Anbar west of Missan.
        assert!(at("IQG10").label_y < at("IQG02").label_y);
        assert!(at("IQG01").label_x < at("IQG14").label_x);
        for s in &d.shapes {
            assert!(s.d.starts_with('M') && s.d.ends_with('Z'));
            assert!((0.0..=d.width).contains(&s.label_x));
            assert!((0.0..=d.height).contains(&s.label_y));
        }
        assert!(draw(&["FRA"]).is_none());
    }

    #[test]
    fn a_p_code_is_found_from_a_name_in_any_of_the_three_languages() {
        let r = |c: &str, n: &str, p: &str| resolve(c, n, p);
        let erbil = ("Erbil".to_string(), "IQG11".to_string());
        assert_eq!(r("IRQ", "Erbil", ""), erbil);
        assert_eq!(r("", "Irbil", ""), erbil);
        assert_eq!(r("IRQ", "محافظة أربيل", ""), erbil);
        assert_eq!(r("IRQ", "أربيل", ""), erbil);
        assert_eq!(r("IRQ", "Erbil (IQG11)", ""), erbil);
        assert_eq!(r("IRQ", "", "IQG11"), erbil);
        assert_eq!(r("IRQ", "anbar", "").1, "IQG01");
        assert_eq!(r("IRQ", "Ninive", "").1, "IQG15");
        assert_eq!(r("SYR", "Alep", "").1, "SY02");
        // A name given with a code is kept as given.
        assert_eq!(r("IRQ", "Arbil", "IQG11"), ("Arbil".into(), "IQG11".into()));
        // Not in the country named, or unknown: left for the domain to judge.
        assert_eq!(r("SYR", "Erbil", ""), ("Erbil".into(), String::new()));
        assert_eq!(r("IRQ", "Atlantis", ""), ("Atlantis".into(), String::new()));
        assert_eq!(r("IRQ", "", ""), (String::new(), String::new()));
    }
}
