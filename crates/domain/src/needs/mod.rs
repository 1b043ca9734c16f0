//! Requirements and contributions: the one needs model (issue 3).
//!
//! A *requirement* is what a member (usually the partner) asks for: an item
//! category under a line of effort, a quantity with a unit or an amount of
//! money, a place, a time window and a priority, under a marking. A
//! *contribution* is what one or several members give, against a requirement
//! or standalone, moving pledged → committed → delivered (in partial
//! deliveries) or cancelled.
//!
//! Everything here is pure: validation of drafts, the lifecycle transition
//! function ([`Progress::apply`]) and the summary arithmetic
//! ([`Summary::compute`]), all on integers. Quantities and money are `i64`
//! counts (money in minor units of an ISO 4217 currency), never floats, and
//! each single value is bounded by [`MAX_AMOUNT`] so that sums of many of
//! them stay far from overflow (sums saturate rather than wrap, regardless).

use crate::{DomainError, Marking, MemberCode, Slug};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

mod contribution_record;
mod coverage;
mod lifecycle;
mod overlap;
mod parties;
mod place;
mod requirement_record;
mod stix_fields;
#[cfg(test)]
mod tests;

pub use contribution_record::*;
pub use coverage::*;
pub use lifecycle::*;
pub use overlap::*;
pub use parties::*;
pub use place::*;
pub use requirement_record::*;

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_EVIDENCE: usize = 5_000;
pub const MAX_TOWN: usize = 200;
pub const MAX_UNIT: usize = 32;
/// Joint contributions name a handful of members; a coalition has dozens.
pub const MAX_CONTRIBUTORS: usize = 64;
/// Parties (suppliers, carriers, consignees, ...) one contribution names at most.
pub const MAX_PARTIES: usize = 20;
/// Longest party name (characters).
pub const MAX_PARTY_NAME: usize = 300;
/// The largest single quantity or amount (10^15: a quadrillion units, or ten
/// trillion in a currency with two decimals).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// The item categories a fresh node is seeded with (migration 0003). The
/// taxonomy is a table; the store checks a category against it, not this list.
pub const SEED_CATEGORIES: [(&str, &str); 12] = [
    ("protective-equipment", "Protective equipment"),
    ("night-vision", "Night vision"),
    ("communications", "Communications"),
    ("mine-action", "Mine action"),
    ("vehicles", "Vehicles"),
    ("training-course", "Training course"),
    ("advisers", "Advisers"),
    ("humanitarian-supplies", "Humanitarian supplies"),
    ("water", "Water"),
    ("electricity", "Electricity"),
    ("police", "Police"),
    ("cash", "Cash"),
];

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// Active ISO 4217 codes (sorted; `XXX` "no currency" and `XTS` "testing"
/// are left out on purpose).
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
    "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD",
    "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND",
    "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF",
    "XPD", "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// Every active ISO 4217 currency code, sorted (what forms' currency
/// pickers offer).
pub fn iso_4217_codes() -> &'static [&'static str] {
    ISO_4217
}

/// The units forms' pickers suggest for a quantity: those the coalition's
/// requirements and offers count in. Any unit of [`Measure::quantity`]'s
/// shape is accepted; these are suggestions, sorted.
pub const SUGGESTED_UNITS: &[&str] = &[
    "adviser",
    "brigade",
    "brigade-set",
    "bundle",
    "camp",
    "course",
    "device",
    "helmet",
    "kit",
    "person-day",
    "police-officer",
    "radio",
    "special-operations-personnel",
    "tank",
    "tonne",
    "trainer",
    "truck",
    "unit",
    "vehicle",
    "vest",
];

/// Whether `code` is an active ISO 4217 currency code.
pub fn is_iso_4217(code: &str) -> bool {
    ISO_4217.binary_search(&code).is_ok()
}

/// What is counted: a quantity of some unit (in kind) or money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// `amount` items of `unit` (e.g. 12 "brigade-set").
    Quantity { amount: i64, unit: String },
    /// `amount` minor units of `currency` (e.g. 250000 "USD" = 2,500.00 USD).
    Money { amount: i64, currency: String },
}

impl Measure {
    /// A positive quantity of a unit: the unit is 1–32 lower-case letters,
    /// digits, `-` or `_` (`kit`, `brigade-set`, `person-day`).
    pub fn quantity(amount: i64, unit: &str) -> Result<Self, DomainError> {
        let unit = unit.trim();
        let ok = (1..=MAX_UNIT).contains(&unit.len())
            && unit
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && unit.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        if !ok {
            return Err(invalid(
                "unit",
                format!("{unit:?}: 1-{MAX_UNIT} lower-case letters, digits, '-' or '_', starting with a letter"),
            ));
        }
        Ok(Measure::Quantity {
            amount: positive_amount("quantity", amount)?,
            unit: unit.to_string(),
        })
    }

    /// A positive amount of money in minor units of an ISO 4217 currency.
    pub fn money(amount: i64, currency: &str) -> Result<Self, DomainError> {
        let c = currency.trim();
        if ISO_4217.binary_search(&c).is_err() {
            return Err(invalid(
                "currency",
                format!("{currency:?} is not an ISO 4217 currency code (e.g. USD, EUR, IQD)"),
            ));
        }
        Ok(Measure::Money {
            amount: positive_amount("amount", amount)?,
            currency: c.to_string(),
        })
    }

    /// Parses the stored or wire form: kind `quantity` or `money`.
    pub fn parse(kind: &str, amount: i64, unit: &str) -> Result<Self, DomainError> {
        match kind {
            "quantity" => Measure::quantity(amount, unit),
            "money" => Measure::money(amount, unit),
            _ => Err(invalid(
                "measure.kind",
                format!("{kind:?}: expected quantity or money"),
            )),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Measure::Quantity { .. } => "quantity",
            Measure::Money { .. } => "money",
        }
    }

    pub fn amount(&self) -> i64 {
        match self {
            Measure::Quantity { amount, .. } | Measure::Money { amount, .. } => *amount,
        }
    }

    /// The unit of a quantity or the currency of money.
    pub fn unit(&self) -> &str {
        match self {
            Measure::Quantity { unit, .. } => unit,
            Measure::Money { currency, .. } => currency,
        }
    }

    /// Whether `other` counts in the same thing (same kind and same unit or
    /// currency), so that the two can be added.
    pub fn same_unit(&self, other: &Measure) -> bool {
        self.kind() == other.kind() && self.unit() == other.unit()
    }
}

/// A validated requirement as its recording member submits it. The origin
/// (the member whose user records it) is not part of the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementDraft {
    pub title: String,
    pub description: String,
    /// The member asking (usually the partner, e.g. IRQ).
    pub requesting_member: MemberCode,
    pub line_of_effort: Slug,
    pub category: Slug,
    pub measure: Measure,
    pub place: Place,
    pub window: Window,
    pub priority: Priority,
    pub marking: Marking,
}

impl RequirementDraft {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        title: &str,
        description: &str,
        requesting_member: &str,
        line_of_effort: &str,
        category: &str,
        measure: Measure,
        place: Place,
        window: Window,
        priority: i64,
        marking: Marking,
    ) -> Result<Self, DomainError> {
        Ok(RequirementDraft {
            title: crate::text::required_line("title", title, MAX_TITLE)?,
            description: crate::text::body("description", description, MAX_DESCRIPTION)?,
            requesting_member: MemberCode::parse(requesting_member.trim())?,
            line_of_effort: Slug::parse(line_of_effort.trim())?,
            category: Slug::parse(category.trim())?,
            measure,
            place,
            window,
            priority: Priority::parse(priority)?,
            marking,
        })
    }

    /// The requesting member must be able to read the requirement (it
    /// confirms receipt of deliveries): it is the origin, or named in the REL
    /// TO list directly or through `COALITION`. A group alone is not enough,
    /// because group membership changes after the fact.
    pub fn check_requester_reads(&self, origin: &MemberCode) -> Result<(), DomainError> {
        let r = &self.requesting_member;
        if r == origin
            || self.marking.rel_to.iter().any(|t| match t {
                crate::AudienceToken::Coalition => true,
                crate::AudienceToken::Member(m) => m == r,
                crate::AudienceToken::Group(_) => false,
            })
        {
            Ok(())
        } else {
            Err(invalid(
                "marking",
                format!(
                    "the requesting member {r} must be in REL TO (directly or through COALITION)"
                ),
            ))
        }
    }
}

/// A validated contribution as its recording member submits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionDraft {
    pub title: String,
    pub description: String,
    /// The contributing members (one, or several for a joint contribution
    /// such as the Amerli airdrop). The recording member must be one of them.
    pub contributors: BTreeSet<MemberCode>,
    /// The requirement it answers, or none (standalone).
    pub requirement_id: Option<String>,
    /// Standalone contributions name their line of effort and category;
    /// against a requirement they take the requirement's (and may repeat them).
    pub line_of_effort: Option<Slug>,
    pub category: Option<Slug>,
    pub measure: Measure,
    /// Where and when: a standalone contribution names both (duplicates are
    /// found by category, place and window); against a requirement they
    /// default to the requirement's.
    pub place: Option<Place>,
    pub window: Option<Window>,
    pub marking: Marking,
    /// Suppliers, carriers, consignees, ... (see [`Party`]).
    pub parties: Vec<Party>,
}

impl ContributionDraft {
    /// The draft with these parties (checked as a list).
    pub fn with_parties(mut self, parties: Vec<Party>) -> Result<Self, DomainError> {
        Party::check_list(&parties)?;
        self.parties = parties;
        Ok(self)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        title: &str,
        description: &str,
        contributors: &[String],
        requirement_id: Option<&str>,
        line_of_effort: Option<&str>,
        category: Option<&str>,
        measure: Measure,
        place: Option<Place>,
        window: Option<Window>,
        marking: Marking,
    ) -> Result<Self, DomainError> {
        let contributors = contributors
            .iter()
            .map(|c| MemberCode::parse(c.trim()))
            .collect::<Result<BTreeSet<_>, _>>()?;
        if contributors.is_empty() {
            return Err(invalid("contributors", "name at least one member"));
        }
        if contributors.len() > MAX_CONTRIBUTORS {
            return Err(invalid(
                "contributors",
                format!("more than {MAX_CONTRIBUTORS}"),
            ));
        }
        let opt_slug = |s: Option<&str>| {
            s.filter(|s| !s.trim().is_empty())
                .map(|s| Slug::parse(s.trim()))
                .transpose()
        };
        let line_of_effort = opt_slug(line_of_effort)?;
        let category = opt_slug(category)?;
        let requirement_id = requirement_id
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if requirement_id.is_none() && (line_of_effort.is_none() || category.is_none()) {
            return Err(invalid(
                "category",
                "a standalone contribution names its line of effort and item category",
            ));
        }
        if requirement_id.is_none() && (place.is_none() || window.is_none()) {
            return Err(invalid(
                "place",
                "a standalone contribution names its place and time window",
            ));
        }
        Ok(ContributionDraft {
            title: crate::text::required_line("title", title, MAX_TITLE)?,
            description: crate::text::body("description", description, MAX_DESCRIPTION)?,
            contributors,
            requirement_id,
            line_of_effort,
            category,
            measure,
            place,
            window,
            marking,
            parties: Vec::new(),
        })
    }

    /// The recording member must be among the contributors.
    pub fn check_origin(&self, origin: &MemberCode) -> Result<(), DomainError> {
        if self.contributors.contains(origin) {
            Ok(())
        } else {
            Err(invalid(
                "contributors",
                format!("the recording member {origin} must be one of the contributors"),
            ))
        }
    }

    /// Against a requirement the contribution counts in its unit (in kind)
    /// or its currency (financial).
    pub fn check_against(&self, requirement: &Measure) -> Result<(), DomainError> {
        if self.measure.same_unit(requirement) {
            Ok(())
        } else {
            Err(invalid(
                "measure",
                format!(
                    "the requirement counts {} in {:?}; the contribution offers {} in {:?}",
                    requirement.kind(),
                    requirement.unit(),
                    self.measure.kind(),
                    self.measure.unit()
                ),
            ))
        }
    }
}

/// A requirement as stored, with its origin and record metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub id: String,
    pub origin: String,
    pub requesting_member: String,
    pub line_of_effort: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub measure: Measure,
    pub place: Place,
    pub window: Window,
    pub priority: i64,
    pub marking: Marking,
    pub version: i64,
    pub revoked: bool,
    /// The requesting member stands by it: it recorded the requirement
    /// itself, or confirmed one recorded in its name. Until then nothing is
    /// allocated to it.
    pub requester_confirmed: bool,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
/// A contribution as stored.
pub struct Contribution {
    pub id: String,
    pub origin: String,
    /// The contributing members who stand by it, sorted: the origin, and
    /// the others named once each has confirmed.
    pub contributors: Vec<String>,
    /// Members the origin named that have not confirmed yet: they do not
    /// count as contributors until they do.
    #[serde(default)]
    pub proposed_contributors: Vec<String>,
    pub requirement_id: Option<String>,
    pub line_of_effort: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub measure: Measure,
    /// Where and when it is given: a standalone contribution names them;
    /// against a requirement they default to the requirement's, which are
    /// not copied but read through the requirement's audience (see
    /// `place_from_requirement`): `None` for a reader who may not read the
    /// requirement, and for contributions recorded before places were kept
    /// (migration 0004).
    pub place: Option<Place>,
    pub window: Option<Window>,
    /// The place shown is the requirement's: the contribution names none.
    #[serde(default)]
    pub place_from_requirement: bool,
    /// The window shown is the requirement's: the contribution names none.
    #[serde(default)]
    pub window_from_requirement: bool,
    pub status: Status,
    /// The sum of the deliveries recorded so far.
    pub delivered: i64,
    pub marking: Marking,
    /// Suppliers, carriers, consignees, ... (kept versions before parties
    /// existed have none).
    #[serde(default)]
    pub parties: Vec<Party>,
    pub version: i64,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl Contribution {
    /// The contribution's own fields, as kept in its versions: without the
    /// place and window it takes from its requirement (data of another
    /// record never leaves that record's audience).
    pub fn own_fields(&self) -> Contribution {
        Contribution {
            place: self.place.clone().filter(|_| !self.place_from_requirement),
            window: self
                .window
                .clone()
                .filter(|_| !self.window_from_requirement),
            ..self.clone()
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            status: self.status,
            amount: self.measure.amount(),
            delivered: self.delivered,
        }
    }
}
