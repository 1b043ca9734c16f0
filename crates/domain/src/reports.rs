//! Information sharing (issue 6): typed reports and the entities they are
//! about — people, organisations, vessels, places — and relationships
//! between entities, each a marked record with an origin member.
//!
//! Pure: validation of drafts (kinds, names, dates, countries, vessel
//! identifiers with their check digits). Who may read what is the marking's
//! rule ([`crate::Marking::readable_by`]), applied by the store.

pub use crate::entity::{imo_number, mmsi, Entity, EntityDraft, EntityKind};
pub use crate::relationship::RelationshipType;

use crate::entity::country;
use crate::{DomainError, Marking, Slug};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE: usize = 300;
pub const MAX_BODY: usize = 100_000;
pub const MAX_NAME: usize = 300;
pub const MAX_ALIASES: usize = 50;
pub const MAX_DOCUMENTS: usize = 20;
pub const MAX_LINKS: usize = 200;

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// What a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// A foreign fighter's travel: person, route (origin → transit →
    /// destination), dates, documents.
    ForeignFighterTravel,
    /// Financing: parties, commodity (crude oil, refined products), quantities,
    /// vessels, routes, payments.
    Financing,
    SituationReport,
    /// Narratives and channels of ISIL's messaging, and the answer to them.
    CounterMessaging,
    StabilisationAssessment,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::ForeignFighterTravel,
        ReportKind::Financing,
        ReportKind::SituationReport,
        ReportKind::CounterMessaging,
        ReportKind::StabilisationAssessment,
    ];

    /// The fields of [`ReportDetails`] a report of this kind may have (the
    /// form shows only these; any other is refused).
    pub fn detail_fields(self) -> &'static [&'static str] {
        match self {
            ReportKind::ForeignFighterTravel => &["route", "documents"],
            ReportKind::Financing => &["route", "commodity", "quantity", "payments"],
            ReportKind::CounterMessaging => &["narratives", "channels"],
            ReportKind::SituationReport | ReportKind::StabilisationAssessment => &[],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::ForeignFighterTravel => "foreign-fighter-travel",
            ReportKind::Financing => "financing",
            ReportKind::SituationReport => "situation-report",
            ReportKind::CounterMessaging => "counter-messaging",
            ReportKind::StabilisationAssessment => "stabilisation-assessment",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        ReportKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                invalid(
                    "kind",
                    format!(
                        "{s:?}: expected one of {}",
                        ReportKind::ALL.map(|k| k.as_str()).join(", ")
                    ),
                )
            })
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportKind::ForeignFighterTravel => "Foreign-fighter travel",
            ReportKind::Financing => "Financing",
            ReportKind::SituationReport => "Situation report",
            ReportKind::CounterMessaging => "Counter-messaging",
            ReportKind::StabilisationAssessment => "Stabilisation assessment",
        }
    }
}

/// A link from a report to an entity, with the entity's role in it
/// (e.g. `traveller`, `buyer`, `vessel`, `transit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityLink {
    pub entity_id: String,
    pub role: String,
}

/// A report as its origin member submits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDraft {
    pub kind: ReportKind,
    pub title: String,
    pub body: String,
    pub line_of_effort: Option<Slug>,
    /// YYYY-MM-DD: when what is reported happened (or began).
    pub occurred_on: Option<String>,
    pub marking: Marking,
    pub entities: Vec<EntityLink>,
    /// What a report of this kind records besides its text.
    pub details: ReportDetails,
    /// YYYY-MM-DD: for a report about people, the day until which it is
    /// kept (the node's default period when `None`).
    pub retain_until: Option<String>,
}

impl ReportDraft {
    /// The same draft with these kind-specific details, checked against
    /// its kind.
    pub fn with_details(mut self, details: ReportDetails) -> Result<Self, DomainError> {
        self.details = details.checked(self.kind)?;
        Ok(self)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        kind: &str,
        title: &str,
        body: &str,
        line_of_effort: Option<&str>,
        occurred_on: Option<&str>,
        marking: Marking,
        entities: &[(String, String)],
    ) -> Result<Self, DomainError> {
        if entities.len() > MAX_LINKS {
            return Err(invalid("entities", format!("more than {MAX_LINKS}")));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut links = Vec::with_capacity(entities.len());
        for (id, role) in entities {
            let id = id.trim().to_string();
            if id.is_empty() {
                return Err(invalid("entities", "an entity link names the entity's id"));
            }
            let role = role.trim();
            let role = if role.is_empty() {
                "subject".to_string()
            } else {
                crate::text::required_line("entities.role", role, 64)?
            };
            if seen.insert((id.clone(), role.clone())) {
                links.push(EntityLink {
                    entity_id: id,
                    role,
                });
            }
        }
        Ok(ReportDraft {
            kind: ReportKind::parse(kind)?,
            title: crate::text::required_line("title", title, MAX_TITLE)?,
            body: crate::text::body("body", body, MAX_BODY)?,
            line_of_effort: line_of_effort
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Slug::parse)
                .transpose()?,
            occurred_on: occurred_on
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|d| crate::text::iso_date("occurred_on", d))
                .transpose()?,
            marking,
            entities: links,
            details: ReportDetails::default(),
            retain_until: None,
        })
    }
}

/// Where a leg of a route is: where it began, passed or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegRole {
    Origin,
    Transit,
    Destination,
}

/// One country of a route (travel, or goods and money).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteLeg {
    /// ISO 3166-1 alpha-3.
    pub country: String,
    pub role: LegRole,
    /// YYYY-MM-DD, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// What a financing report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Commodity {
    CrudeOil,
    RefinedProducts,
    Cash,
    Antiquities,
    Other,
}

/// An amount of a commodity: a positive integer count of a unit
/// (`barrel`, `tonne`, `litre`, `truckload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    pub amount: i64,
    pub unit: String,
}

/// A payment: minor units of an ISO 4217 currency, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    pub amount: i64,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// What a report records besides its text, by kind: a foreign-fighter
/// travel report its route and the documents used; a financing report the
/// commodity, quantity, payments and route; a counter-messaging report the
/// narratives and channels. (People, organisations and vessels are linked
/// entities, with their role.) A field that does not belong to the
/// report's kind is refused.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDetails {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteLeg>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity: Option<Commodity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narratives: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
}

/// The most entries of any list in [`ReportDetails`].
pub const MAX_DETAIL_ITEMS: usize = 32;

impl Commodity {
    pub fn as_str(self) -> &'static str {
        match self {
            Commodity::CrudeOil => "crude-oil",
            Commodity::RefinedProducts => "refined-products",
            Commodity::Cash => "cash",
            Commodity::Antiquities => "antiquities",
            Commodity::Other => "other",
        }
    }
}

impl ReportDetails {
    pub fn is_empty(&self) -> bool {
        *self == ReportDetails::default()
    }

    /// Checked and normalised for a report of `kind`.
    pub fn checked(self, kind: ReportKind) -> Result<Self, DomainError> {
        let fields = kind.detail_fields();
        let allowed = |field: &'static str, present: bool| {
            if present && !fields.contains(&field) {
                Err(invalid(
                    "details",
                    format!("a {} report has no `{field}`", kind.as_str()),
                ))
            } else {
                Ok(())
            }
        };
        allowed("route", !self.route.is_empty())?;
        allowed("documents", !self.documents.is_empty())?;
        allowed("commodity", self.commodity.is_some())?;
        allowed("quantity", self.quantity.is_some())?;
        allowed("payments", !self.payments.is_empty())?;
        allowed("narratives", !self.narratives.is_empty())?;
        allowed("channels", !self.channels.is_empty())?;
        let many = |field: &'static str, n: usize| {
            if n > MAX_DETAIL_ITEMS {
                Err(invalid(
                    field,
                    format!("more than {MAX_DETAIL_ITEMS} entries"),
                ))
            } else {
                Ok(())
            }
        };
        many("details.route", self.route.len())?;
        many("details.documents", self.documents.len())?;
        many("details.payments", self.payments.len())?;
        many("details.narratives", self.narratives.len())?;
        many("details.channels", self.channels.len())?;
        let date = |d: Option<String>, field: &'static str| {
            d.map(|d| crate::text::iso_date(field, d.trim()))
                .transpose()
        };
        let mut route: Vec<RouteLeg> = Vec::with_capacity(self.route.len());
        let mut last_date: Option<String> = None;
        for leg in self.route {
            let leg = RouteLeg {
                country: country("details.route.country", &leg.country)?,
                role: leg.role,
                date: date(leg.date, "details.route.date")?,
            };
            if route.last().is_some_and(|prev| leg.role < prev.role) {
                return Err(invalid(
                    "details.route",
                    "legs go from the origin through transit countries to the destination",
                ));
            }
            if let Some(d) = &leg.date {
                if let Some(a) = last_date.as_ref().filter(|a| d < *a) {
                    return Err(invalid("details.route", format!("{d} comes before {a}")));
                }
                last_date = Some(d.clone());
            }
            route.push(leg);
        }
        let lines = |v: Vec<String>, field: &'static str, max: usize| {
            v.iter()
                .map(|s| crate::text::required_line(field, s, max))
                .collect::<Result<Vec<_>, _>>()
        };
        let quantity = match self.quantity {
            Some(q) => match crate::needs::Measure::quantity(q.amount, &q.unit)? {
                crate::needs::Measure::Quantity { amount, unit } => Some(Quantity { amount, unit }),
                crate::needs::Measure::Money { .. } => None,
            },
            None => None,
        };
        let mut payments = Vec::with_capacity(self.payments.len());
        for p in self.payments {
            if let crate::needs::Measure::Money { amount, currency } =
                crate::needs::Measure::money(p.amount, &p.currency)?
            {
                payments.push(Payment {
                    amount,
                    currency,
                    date: date(p.date, "details.payments.date")?,
                });
            }
        }
        Ok(ReportDetails {
            route,
            documents: lines(self.documents, "details.documents", 64)?,
            commodity: self.commodity,
            quantity,
            payments,
            narratives: lines(self.narratives, "details.narratives", 500)?,
            channels: lines(self.channels, "details.channels", 200)?,
        })
    }

    /// The details' words, for the search index.
    pub fn search_text(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        words.extend(self.route.iter().map(|l| l.country.clone()));
        words.extend(self.documents.iter().cloned());
        if let Some(c) = self.commodity {
            words.push(c.as_str().replace('-', " "));
        }
        if let Some(q) = &self.quantity {
            words.push(q.unit.clone());
        }
        words.extend(self.narratives.iter().cloned());
        words.extend(self.channels.iter().cloned());
        words.join(" ")
    }
}

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub id: String,
    pub origin: String,
    pub kind: ReportKind,
    pub title: String,
    pub body: String,
    pub line_of_effort: Option<String>,
    pub occurred_on: Option<String>,
    pub marking: Marking,
    /// The links to entities the reader may read (others are left out).
    pub entities: Vec<EntityLink>,
    pub details: ReportDetails,
    /// YYYY-MM-DD: kept until this day (a report about people).
    pub retain_until: Option<String>,
    /// YYYY-MM-DD: when its personal data was purged.
    pub purged_on: Option<String>,
    pub version: i64,
    pub withdrawn: bool,
    pub created_at_ms: i64,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_belong_to_their_kind_and_are_checked() {
        let travel: ReportDetails = serde_json::from_value(serde_json::json!({
            "route": [
                {"country": "TUN", "role": "origin", "date": "2014-09-28"},
                {"country": " TUR ", "role": "transit"},
                {"country": "SYR", "role": "destination", "date": "2014-10-02"}
            ],
            "documents": ["Z1234567"]
        }))
        .expect("wire form");
        let ok = travel
            .clone()
            .checked(ReportKind::ForeignFighterTravel)
            .expect("valid travel");
        assert_eq!(ok.route[1].country, "TUR");
        assert!(ok.search_text().contains("SYR"));
        let e = travel
            .clone()
            .checked(ReportKind::Financing)
            .expect_err("documents");
        assert!(e.to_string().contains("`documents`"), "{e}");
        let mut backwards = travel.clone();
        backwards.route.reverse();
        assert!(backwards.checked(ReportKind::ForeignFighterTravel).is_err());
        let mut late = travel;
        late.route[0].date = Some("2015-01-01".into());
        assert!(late.checked(ReportKind::ForeignFighterTravel).is_err());
        let money: ReportDetails = serde_json::from_value(serde_json::json!({
            "commodity": "crude-oil", "quantity": {"amount": 12000, "unit": "barrel"},
            "payments": [{"amount": 30000000, "currency": "USD", "date": "2014-10-01"}]
        }))
        .expect("wire form");
        money
            .clone()
            .checked(ReportKind::Financing)
            .expect("valid financing");
        assert!(money.clone().checked(ReportKind::SituationReport).is_err());
        for bad in [
            serde_json::json!({"quantity": {"amount": -1, "unit": "barrel"}}),
            serde_json::json!({"payments": [{"amount": 5, "currency": "DOLLARS"}]}),
            serde_json::json!({"route": [{"country": "Syria", "role": "origin"}]}),
        ] {
            let d: ReportDetails = serde_json::from_value(bad.clone()).expect("shape");
            assert!(d.checked(ReportKind::Financing).is_err(), "{bad}");
        }
        assert!(
            serde_json::from_value::<ReportDetails>(serde_json::json!({"colour": "red"})).is_err()
        );
        assert!(
            serde_json::from_value::<ReportDetails>(serde_json::json!({"commodity": "gold"}))
                .is_err()
        );
    }

    fn m() -> Marking {
        Marking::parse("AMBER", &["GBR".into(), "FRA".into()]).expect("marking")
    }

    #[test]
    fn imo_numbers_carry_a_check_digit() {
        assert_eq!(imo_number("IMO 9074729").expect("valid"), "9074729");
        assert_eq!(imo_number("9176187").expect("valid"), "9176187");
        assert!(imo_number("9074728").is_err());
        assert!(imo_number("907472").is_err());
        assert!(imo_number("90747290").is_err());
        assert!(mmsi("211331640").is_ok());
        assert!(mmsi("21133164").is_err());
    }

    #[test]
    fn entities_validate_their_particulars() {
        let p = EntityDraft::parse(
            "person",
            "Abu Muhammad al-Testari",
            &[
                "Abou Mohamed Testari".into(),
                "Abu Muhammad al-Testari".into(),
                " ".into(),
            ],
            Some("1984-03"),
            Some("TUN"),
            &["P1234567".into()],
            None,
            None,
            None,
            m(),
        )
        .expect("person");
        assert_eq!(
            p.aliases,
            vec!["Abou Mohamed Testari".to_string()],
            "the name is not its own alias"
        );
        assert_eq!(p.names().count(), 2);
        assert!(EntityDraft::parse(
            "person",
            "X",
            &[],
            Some("1850"),
            None,
            &[],
            None,
            None,
            None,
            m()
        )
        .is_err());
        assert!(EntityDraft::parse(
            "person",
            "X",
            &[],
            None,
            Some("Tunisia"),
            &[],
            None,
            None,
            None,
            m()
        )
        .is_err());
        assert!(EntityDraft::parse(
            "person",
            "X",
            &[],
            None,
            None,
            &[],
            Some("9074729"),
            None,
            None,
            m()
        )
        .is_err());
        assert!(EntityDraft::parse(
            "vessel",
            "Sea Star",
            &[],
            Some("1990"),
            None,
            &[],
            None,
            None,
            None,
            m()
        )
        .is_err());
        assert!(EntityDraft::parse(
            "vessel",
            "Sea Star",
            &[],
            None,
            None,
            &[],
            Some("9074729"),
            Some("211331640"),
            Some("PAN"),
            m()
        )
        .is_ok());
        assert!(
            EntityDraft::parse("animal", "X", &[], None, None, &[], None, None, None, m()).is_err()
        );
        assert!(
            EntityDraft::parse("person", "  ", &[], None, None, &[], None, None, None, m())
                .is_err()
        );
    }

    #[test]
    fn reports_validate_kind_links_and_dates() {
        let links = vec![
            ("e1".to_string(), "traveller".to_string()),
            ("e1".to_string(), "traveller".to_string()),
        ];
        let r = ReportDraft::parse(
            "foreign-fighter-travel",
            "Travel to Syria",
            "",
            Some("foreign-fighters"),
            Some("2014-10-02"),
            m(),
            &links,
        )
        .expect("report");
        assert_eq!(r.entities.len(), 1, "duplicate links collapse");
        assert!(ReportDraft::parse("gossip", "t", "", None, None, m(), &[]).is_err());
        assert!(
            ReportDraft::parse("financing", "t", "", None, Some("2014-02-30"), m(), &[]).is_err()
        );
        assert!(ReportDraft::parse(
            "financing",
            "t",
            "",
            None,
            None,
            m(),
            &[("".into(), "x".into())]
        )
        .is_err());
        for k in ReportKind::ALL {
            assert_eq!(ReportKind::parse(k.as_str()).expect("round trip"), k);
        }
    }
}
