//! Where and when: coordinates, administrative areas, a place, a time window, a priority.

use super::*;

pub(super) fn positive_amount(field: &'static str, amount: i64) -> Result<i64, DomainError> {
    if amount <= 0 {
        return Err(invalid(field, format!("{amount} is not positive")));
    }
    if amount > MAX_AMOUNT {
        return Err(invalid(field, format!("{amount} is above {MAX_AMOUNT}")));
    }
    Ok(amount)
}

/// A point in integer micro-degrees (WGS 84), so that it compares and stores
/// exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat_micro: i64,
    pub lon_micro: i64,
}

impl Coordinates {
    pub fn from_micro(lat_micro: i64, lon_micro: i64) -> Result<Self, DomainError> {
        if !(-90_000_000..=90_000_000).contains(&lat_micro) {
            return Err(invalid("latitude", "outside -90..=90 degrees"));
        }
        if !(-180_000_000..=180_000_000).contains(&lon_micro) {
            return Err(invalid("longitude", "outside -180..=180 degrees"));
        }
        Ok(Coordinates {
            lat_micro,
            lon_micro,
        })
    }

    /// From degrees as entered (rounded to the micro-degree).
    pub fn from_degrees(lat: f64, lon: f64) -> Result<Self, DomainError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(invalid("latitude", "outside -90..=90 degrees"));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(invalid("longitude", "outside -180..=180 degrees"));
        }
        // In range, so the products fit an i64 with room to spare.
        Coordinates::from_micro(
            (lat * 1_000_000.0).round() as i64,
            (lon * 1_000_000.0).round() as i64,
        )
    }
}

/// A first-level administrative area and its OCHA P-code (e.g. Salah
/// al-Din, `IQ-G18` style codes vary by country: `IQG18`, `SY02`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminArea {
    pub name: String,
    pub pcode: String,
}

impl AdminArea {
    /// The P-code: two upper-case letters (the country's alpha-2 code) then
    /// 1–18 upper-case letters or digits.
    pub fn parse(name: &str, pcode: &str) -> Result<Self, DomainError> {
        let name = crate::text::required_line("admin1.name", name, MAX_TOWN)?;
        let p = pcode.trim();
        let b = p.as_bytes();
        let ok = (3..=20).contains(&b.len())
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !ok {
            return Err(invalid(
                "admin1.pcode",
                format!("{pcode:?}: two upper-case letters then 1-18 upper-case letters or digits (e.g. IQG18)"),
            ));
        }
        Ok(AdminArea {
            name,
            pcode: p.to_string(),
        })
    }
}

/// Where: a country (ISO 3166-1 alpha-3), optionally a first-level admin
/// area, a town and a point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub country: String,
    pub admin1: Option<AdminArea>,
    pub town: Option<String>,
    pub point: Option<Coordinates>,
}

impl Place {
    pub fn parse(
        country: &str,
        admin1: Option<AdminArea>,
        town: Option<&str>,
        point: Option<Coordinates>,
    ) -> Result<Self, DomainError> {
        let c = MemberCode::parse(country.trim())
            .ok()
            .filter(MemberCode::is_iso_alpha3)
            .ok_or_else(|| {
                invalid(
                    "place.country",
                    format!("{country:?} is not an ISO 3166-1 alpha-3 country code"),
                )
            })?;
        let town = town
            .filter(|t| !t.trim().is_empty())
            .map(|t| crate::text::required_line("place.town", t, MAX_TOWN))
            .transpose()?;
        Ok(Place {
            country: c.to_string(),
            admin1,
            town,
            point,
        })
    }
}

/// A time window of calendar dates (YYYY-MM-DD), start <= end, both included.
impl Place {
    /// The place checked again, part by part (as read back from a kept
    /// body or a peer's STIX form).
    pub fn checked(self) -> Result<Place, DomainError> {
        let admin1 = self
            .admin1
            .map(|a| AdminArea::parse(&a.name, &a.pcode))
            .transpose()?;
        let point = self
            .point
            .map(|c| Coordinates::from_micro(c.lat_micro, c.lon_micro))
            .transpose()?;
        Place::parse(&self.country, admin1, self.town.as_deref(), point)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: String,
    pub end: String,
}

pub(super) fn date(field: &'static str, value: &str) -> Result<time::Date, DomainError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value.trim(), &fmt).map_err(|_| {
        invalid(
            field,
            format!("{value:?} is not a date of the form YYYY-MM-DD"),
        )
    })
}

impl Window {
    pub fn parse(start: &str, end: &str) -> Result<Self, DomainError> {
        let s = date("window.start", start)?;
        let e = date("window.end", end)?;
        if s > e {
            return Err(invalid(
                "window",
                format!("starts {start} after it ends {end}"),
            ));
        }
        Ok(Window {
            start: start.trim().to_string(),
            end: end.trim().to_string(),
        })
    }
}

/// 1 (most urgent) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Priority(u8);

impl Priority {
    pub fn parse(p: i64) -> Result<Self, DomainError> {
        u8::try_from(p)
            .ok()
            .filter(|p| (1..=5).contains(p))
            .map(Priority)
            .ok_or_else(|| invalid("priority", format!("{p}: expected 1 (most urgent) to 5")))
    }
    pub fn get(self) -> i64 {
        i64::from(self.0)
    }
}
