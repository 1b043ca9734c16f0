//! The coalition registry: members, groups, lines of effort.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A member's code: ISO 3166-1 alpha-3 for states (GBR), a short upper-case
/// code for organisations (NATO, EU, ARAB-LEAGUE).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct MemberCode(String);

impl MemberCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bytes = s.as_bytes();
        let ok = (2..=16).contains(&bytes.len())
            && bytes[0].is_ascii_uppercase()
            && bytes
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(MemberCode(s.to_string()))
        } else {
            Err(DomainError::InvalidMemberCode(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this code is an ISO 3166-1 alpha-3 code (plus XKX, the code in
    /// general use for Kosovo).
    pub fn is_iso_alpha3(&self) -> bool {
        ISO_3166_ALPHA3.binary_search(&self.0.as_str()).is_ok()
    }
}

impl fmt::Display for MemberCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MemberCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        MemberCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    State,
    Organisation,
}

impl MemberKind {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "state" => Ok(MemberKind::State),
            "organisation" | "organization" => Ok(MemberKind::Organisation),
            _ => Err(DomainError::InvalidField {
                field: "kind",
                reason: format!("{s:?} is not state or organisation"),
            }),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::State => "state",
            MemberKind::Organisation => "organisation",
        }
    }
}

/// Member of the coalition, or the partner nation it supports (Iraq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Member,
    Partner,
}

impl MemberRole {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "member" => Ok(MemberRole::Member),
            "partner" => Ok(MemberRole::Partner),
            _ => Err(DomainError::InvalidField {
                field: "role",
                reason: format!("{s:?} is not member or partner"),
            }),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Member => "member",
            MemberRole::Partner => "partner",
        }
    }
}

/// A validated new member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMember {
    pub code: MemberCode,
    pub name: String,
    pub kind: MemberKind,
    pub role: MemberRole,
    /// YYYY-MM-DD
    pub joined: Option<String>,
}

impl NewMember {
    pub fn parse(
        code: &str,
        name: &str,
        kind: &str,
        role: &str,
        joined: Option<&str>,
    ) -> Result<Self, DomainError> {
        let code = MemberCode::parse(code)?;
        let kind = MemberKind::parse(kind)?;
        if kind == MemberKind::State && !code.is_iso_alpha3() {
            return Err(DomainError::InvalidField {
                field: "code",
                reason: format!("{code} is not an ISO 3166-1 alpha-3 country code"),
            });
        }
        Ok(NewMember {
            code,
            name: crate::text::required_line("name", name, 200)?,
            kind,
            role: MemberRole::parse(role)?,
            joined: joined
                .map(|d| crate::text::iso_date("joined", d))
                .transpose()?,
        })
    }
}

/// A slug names groups and lines of effort: `small-group`, `foreign-fighters`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let b = s.as_bytes();
        let ok = (1..=64).contains(&b.len())
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
        if ok {
            Ok(Slug(s.to_string()))
        } else {
            Err(DomainError::InvalidSlug(s.to_string()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Slug::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    SmallGroup,
    WorkingGroup,
    TaskForce,
    Community,
}

impl GroupKind {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "small_group" => Ok(GroupKind::SmallGroup),
            "working_group" => Ok(GroupKind::WorkingGroup),
            "task_force" => Ok(GroupKind::TaskForce),
            "community" => Ok(GroupKind::Community),
            _ => Err(DomainError::InvalidField {
                field: "kind",
                reason: format!("{s:?} is not small_group, working_group, task_force or community"),
            }),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::SmallGroup => "small_group",
            GroupKind::WorkingGroup => "working_group",
            GroupKind::TaskForce => "task_force",
            GroupKind::Community => "community",
        }
    }
}

/// ISO 3166-1 alpha-3, sorted for binary search; XKX (Kosovo) added as in
/// general use by the EU and others.
pub const ISO_3166_ALPHA3: &[&str] = &[
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "XKX", "YEM",
    "ZAF", "ZMB", "ZWE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_list_is_sorted_so_binary_search_works() {
        assert!(ISO_3166_ALPHA3.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_3166_ALPHA3.len(), 250);
    }

    #[test]
    fn member_codes() {
        for ok in ["GBR", "NATO", "EU", "ARAB-LEAGUE", "INTERPOL"] {
            assert!(MemberCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "g",
            "gbr",
            "GB R",
            "-EU",
            "EU-",
            "A--B",
            "ABCDEFGHIJKLMNOPQ",
            "GBR;DROP",
        ] {
            assert!(MemberCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn states_must_be_iso() {
        assert!(NewMember::parse(
            "GBR",
            "United Kingdom",
            "state",
            "member",
            Some("2014-09-05")
        )
        .is_ok());
        assert!(NewMember::parse("UK", "United Kingdom", "state", "member", None).is_err());
        assert!(NewMember::parse("NATO", "NATO", "organisation", "member", None).is_ok());
        assert!(NewMember::parse("IRQ", "Iraq", "state", "overlord", None).is_err());
    }

    #[test]
    fn slugs() {
        assert!(Slug::parse("small-group").is_ok());
        assert!(Slug::parse("Small").is_err());
        assert!(Slug::parse("-x").is_err());
        assert!(Slug::parse("").is_err());
    }
}
