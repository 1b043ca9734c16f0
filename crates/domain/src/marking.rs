//! Markings and THE audience rule.
//!
//! A marking is a TLP 2.0 level plus a releasability list ("REL TO") of
//! audience tokens: member codes, `GROUP:<slug>`, or `COALITION`. The origin
//! member is always in the audience. A viewer may read a record if and only
//! if the viewer's member is in the audience, with groups expanded at read
//! time. The storage layer applies the same rule inside its queries (see
//! `coalesce-store::audience`); [`Marking::readable_by`] is the reference the
//! property tests hold the queries to.

use crate::{DomainError, MemberCode, Slug};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim().to_ascii_uppercase().trim_start_matches("TLP:") {
            "CLEAR" | "WHITE" => Ok(Tlp::Clear),
            "GREEN" => Ok(Tlp::Green),
            "AMBER" => Ok(Tlp::Amber),
            "AMBER+STRICT" => Ok(Tlp::AmberStrict),
            "RED" => Ok(Tlp::Red),
            _ => Err(DomainError::InvalidTlp(s.to_string())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }

    /// Reads of AMBER and RED records are written to the audit log.
    pub fn read_is_audited(self) -> bool {
        matches!(self, Tlp::Amber | Tlp::AmberStrict | Tlp::Red)
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tlp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Tlp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Tlp::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One entry of a REL TO list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AudienceToken {
    Member(MemberCode),
    Group(Slug),
    Coalition,
}

impl AudienceToken {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s == "COALITION" {
            return Ok(AudienceToken::Coalition);
        }
        if let Some(slug) = s.strip_prefix("GROUP:") {
            return Slug::parse(slug)
                .map(AudienceToken::Group)
                .map_err(|_| DomainError::InvalidAudienceToken(s.to_string()));
        }
        MemberCode::parse(s)
            .map(AudienceToken::Member)
            .map_err(|_| DomainError::InvalidAudienceToken(s.to_string()))
    }

    /// The token as stored and as written on the wire.
    pub fn as_string(&self) -> String {
        match self {
            AudienceToken::Member(m) => m.to_string(),
            AudienceToken::Group(g) => format!("GROUP:{g}"),
            AudienceToken::Coalition => "COALITION".to_string(),
        }
    }
}

impl Serialize for AudienceToken {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for AudienceToken {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AudienceToken::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// TLP level plus REL TO list. The list is kept sorted and free of duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marking {
    pub tlp: Tlp,
    #[serde(default)]
    pub rel_to: BTreeSet<AudienceToken>,
}

/// Upper bound on REL TO entries: a coalition has dozens of members, not thousands.
pub const MAX_REL_TO: usize = 256;

impl Marking {
    pub fn new(
        tlp: Tlp,
        rel_to: impl IntoIterator<Item = AudienceToken>,
    ) -> Result<Self, DomainError> {
        let rel_to: BTreeSet<_> = rel_to.into_iter().collect();
        if rel_to.len() > MAX_REL_TO {
            return Err(DomainError::InvalidField {
                field: "marking.rel_to",
                reason: format!("more than {MAX_REL_TO} entries"),
            });
        }
        Ok(Marking { tlp, rel_to })
    }

    /// Parses the wire form: a TLP string and a list of token strings.
    pub fn parse(tlp: &str, rel_to: &[String]) -> Result<Self, DomainError> {
        let tokens = rel_to
            .iter()
            .map(|t| AudienceToken::parse(t))
            .collect::<Result<Vec<_>, _>>()?;
        Marking::new(Tlp::parse(tlp)?, tokens)
    }

    /// The audience of a record with this marking from `origin`: the REL TO
    /// list plus the origin member, which is always included.
    pub fn audience(&self, origin: &MemberCode) -> BTreeSet<AudienceToken> {
        let mut a = self.rel_to.clone();
        a.insert(AudienceToken::Member(origin.clone()));
        a
    }

    /// The audience rule. Group membership comes from the viewer, resolved at
    /// read time, so adding a member to a group opens its records at once.
    pub fn readable_by(&self, origin: &MemberCode, viewer: &Viewer) -> bool {
        self.audience(origin).iter().any(|t| viewer.is_in(t))
    }

    /// "TLP:AMBER REL TO GBR, GROUP:small-group" — the banner text.
    pub fn banner(&self, origin: &MemberCode) -> String {
        let list: Vec<String> = self
            .audience(origin)
            .iter()
            .map(AudienceToken::as_string)
            .collect();
        format!("TLP:{} REL TO {}", self.tlp, list.join(", "))
    }
}

/// Who is reading: a member and the groups that member belongs to now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub member: MemberCode,
    pub groups: BTreeSet<Slug>,
}

impl Viewer {
    pub fn is_in(&self, token: &AudienceToken) -> bool {
        match token {
            AudienceToken::Coalition => true,
            AudienceToken::Member(m) => *m == self.member,
            AudienceToken::Group(g) => self.groups.contains(g),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> MemberCode {
        MemberCode::parse(s).expect("valid code")
    }

    fn viewer(m: &str, groups: &[&str]) -> Viewer {
        Viewer {
            member: code(m),
            groups: groups
                .iter()
                .map(|g| Slug::parse(g).expect("slug"))
                .collect(),
        }
    }

    #[test]
    fn origin_always_reads() {
        let m = Marking::parse("RED", &[]).expect("marking");
        assert!(m.readable_by(&code("USA"), &viewer("USA", &[])));
        assert!(!m.readable_by(&code("USA"), &viewer("FRA", &[])));
    }

    #[test]
    fn rel_to_member_group_and_coalition() {
        let origin = code("USA");
        let m =
            Marking::parse("AMBER", &["GBR".into(), "GROUP:small-group".into()]).expect("marking");
        assert!(m.readable_by(&origin, &viewer("GBR", &[])));
        assert!(!m.readable_by(&origin, &viewer("FRA", &[])));
        assert!(m.readable_by(&origin, &viewer("FRA", &["small-group"])));
        let c = Marking::parse("GREEN", &["COALITION".into()]).expect("marking");
        assert!(c.readable_by(&origin, &viewer("IRQ", &[])));
        assert_eq!(
            m.banner(&origin),
            "TLP:AMBER REL TO GBR, USA, GROUP:small-group"
        );
    }

    #[test]
    fn bad_markings_are_refused() {
        assert!(Marking::parse("PURPLE", &[]).is_err());
        assert!(Marking::parse("RED", &["gbr".into()]).is_err());
        assert!(Marking::parse("RED", &["GROUP:".into()]).is_err());
        assert!(Marking::parse("RED", &["GROUP:Bad Slug".into()]).is_err());
        let json = r#"{"tlp":"AMBER","rel_to":["GBR","GROUP:small-group","COALITION"]}"#;
        let m: Marking = serde_json::from_str(json).expect("parses");
        assert_eq!(m.rel_to.len(), 3);
        assert!(serde_json::from_str::<Marking>(r#"{"tlp":"AMBER","rel_to":["x"]}"#).is_err());
    }

    proptest! {
        #[test]
        fn token_strings_round_trip(s in "[A-Z]{2,5}|GROUP:[a-z]{1,8}|COALITION") {
            let t = AudienceToken::parse(&s).expect("generated valid");
            prop_assert_eq!(t.as_string(), s);
        }

        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = AudienceToken::parse(&s);
            let _ = Tlp::parse(&s);
        }
    }
}
