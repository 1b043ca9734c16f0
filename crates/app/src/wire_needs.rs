//! Wire types of requirements and contributions (issue 3). Quantities and
//! money are integers on the wire, never floats: a quantity is
//! `{"quantity": 12, "unit": "brigade-set"}`, money is
//! `{"amount": 250000, "currency": "USD"}` (minor units: 2,500.00 USD).

use crate::wire::{rfc3339, MarkingWire};
use crate::ApiError;
use axum::http::StatusCode;
use coalesce_domain::needs::{AdminArea, Coordinates, Measure, Place, Summary, Window};
use coalesce_store::needs::{Contribution, Delivery, ItemCategory, RecordVersion, Requirement};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn unprocessable(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", detail)
}

/// The marking banner of a record of `origin` (e.g. `TLP:AMBER REL TO GBR, USA`).
pub fn banner(origin: &str, m: &coalesce_domain::Marking) -> String {
    coalesce_domain::MemberCode::parse(origin)
        .map(|o| m.banner(&o))
        .unwrap_or_default()
}

/// What is counted, in kind or in money — exactly one of the two forms:
/// `{"quantity": <integer>, "unit": "<unit>"}` (the unit is 1–32 lower-case
/// letters, digits, `-` or `_`, starting with a letter), or
/// `{"amount": <integer minor units>, "currency": "<ISO 4217>"}`. Both
/// numbers are positive integers up to 10^15.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureWire {
    /// In kind: how many `unit`s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Money: minor units of `currency` (e.g. cents for USD), an integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// ISO 4217 code, e.g. USD, EUR, IQD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl MeasureWire {
    pub fn to_domain(&self) -> Result<Measure, ApiError> {
        match (&self.quantity, &self.unit, &self.amount, &self.currency) {
            (Some(q), Some(u), None, None) => Ok(Measure::quantity(*q, u)?),
            (None, None, Some(a), Some(c)) => Ok(Measure::money(*a, c)?),
            _ => Err(unprocessable(
                "measure: send either {\"quantity\", \"unit\"} or {\"amount\", \"currency\"}",
            )),
        }
    }
}

impl From<&Measure> for MeasureWire {
    fn from(m: &Measure) -> Self {
        match m {
            Measure::Quantity { amount, unit } => MeasureWire {
                quantity: Some(*amount),
                unit: Some(unit.clone()),
                amount: None,
                currency: None,
            },
            Measure::Money { amount, currency } => MeasureWire {
                quantity: None,
                unit: None,
                amount: Some(*amount),
                currency: Some(currency.clone()),
            },
        }
    }
}

/// A first-level administrative area and its OCHA P-code (e.g. `IQG07`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminAreaWire {
    pub name: String,
    pub pcode: String,
}

/// A point in integer micro-degrees (WGS 84): 33.3152° is 33315200.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PointWire {
    pub lat_micro: i64,
    pub lon_micro: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceWire {
    /// ISO 3166-1 alpha-3, e.g. IRQ.
    pub country: String,
    #[serde(default)]
    pub admin1: Option<AdminAreaWire>,
    #[serde(default)]
    pub town: Option<String>,
    #[serde(default)]
    pub point: Option<PointWire>,
}

impl PlaceWire {
    fn to_domain(&self) -> Result<Place, ApiError> {
        let admin1 = self
            .admin1
            .as_ref()
            .map(|a| AdminArea::parse(&a.name, &a.pcode))
            .transpose()?;
        let point = self
            .point
            .map(|p| Coordinates::from_micro(p.lat_micro, p.lon_micro))
            .transpose()?;
        Ok(Place::parse(
            &self.country,
            admin1,
            self.town.as_deref(),
            point,
        )?)
    }
}

impl From<&Place> for PlaceWire {
    fn from(p: &Place) -> Self {
        PlaceWire {
            country: p.country.clone(),
            admin1: p.admin1.as_ref().map(|a| AdminAreaWire {
                name: a.name.clone(),
                pcode: a.pcode.clone(),
            }),
            town: p.town.clone(),
            point: p.point.map(|c| PointWire {
                lat_micro: c.lat_micro,
                lon_micro: c.lon_micro,
            }),
        }
    }
}

/// Calendar dates YYYY-MM-DD, start <= end, both included.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowWire {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementIn {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The member asking (e.g. IRQ); it must be in REL TO (directly or
    /// through COALITION) unless it records the requirement itself.
    pub requesting_member: String,
    pub line_of_effort: String,
    /// Slug of an item category (`GET /item-categories`).
    pub category: String,
    pub measure: MeasureWire,
    pub place: PlaceWire,
    pub window: WindowWire,
    /// 1 (most urgent) to 5.
    pub priority: i64,
    pub marking: MarkingWire,
    /// For updates: the version being replaced (optimistic concurrency).
    pub if_version: Option<i64>,
}

impl RequirementIn {
    pub fn draft(&self) -> Result<coalesce_domain::needs::RequirementDraft, ApiError> {
        let marking = coalesce_domain::Marking::parse(&self.marking.tlp, &self.marking.rel_to)?;
        Ok(coalesce_domain::needs::RequirementDraft::parse(
            &self.title,
            &self.description,
            &self.requesting_member,
            &self.line_of_effort,
            &self.category,
            self.measure.to_domain()?,
            self.place.to_domain()?,
            Window::parse(&self.window.start, &self.window.end)?,
            self.priority,
            marking,
        )?)
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequirementOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub id: String,
    /// The member that recorded it; only its users change it.
    pub origin: String,
    pub requesting_member: String,
    pub line_of_effort: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub measure: MeasureWire,
    pub place: PlaceWire,
    pub window: WindowWire,
    pub priority: i64,
    pub marking: MarkingWire,
    /// e.g. `TLP:GREEN REL TO COALITION`
    pub banner: String,
    pub version: i64,
    /// Withdrawn: out of every list, takes no new contributions.
    pub revoked: bool,
    /// The requesting member stands by it (it recorded it, or confirmed it
    /// with `POST /requirements/{id}/confirmation`); until then nothing is
    /// allocated to it.
    pub requester_confirmed: bool,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<Requirement> for RequirementOut {
    fn from(r: Requirement) -> Self {
        RequirementOut {
            source: None,
            banner: banner(&r.origin, &r.marking),
            marking: MarkingWire::from(&r.marking),
            measure: MeasureWire::from(&r.measure),
            place: PlaceWire::from(&r.place),
            window: WindowWire {
                start: r.window.start,
                end: r.window.end,
            },
            id: r.id,
            origin: r.origin,
            requesting_member: r.requesting_member,
            line_of_effort: r.line_of_effort,
            category: r.category,
            title: r.title,
            description: r.description,
            priority: r.priority,
            version: r.version,
            revoked: r.revoked,
            requester_confirmed: r.requester_confirmed,
            created_at: rfc3339(r.created_at_ms),
            created_by: r.created_by,
            updated_at: rfc3339(r.updated_at_ms),
            updated_by: r.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RequirementList {
    pub items: Vec<RequirementOut>,
    /// Cursor of the next page, or null on the last page.
    pub next: Option<String>,
}

/// The figures of one requirement, in its unit (`unit`, in kind) or its
/// currency (`currency`, minor units), over the contributions against it
/// **that the caller may read**: a contribution outside the caller's
/// audience changes no figure.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SummaryOut {
    /// The requirement's amount.
    pub requested: i64,
    /// The amounts of contributions still pledged (not firm: they do not close the gap).
    pub pledged: i64,
    /// What committed contributions have yet to deliver (amount − delivered
    /// so far), so nothing is counted twice with `delivered`.
    pub committed: i64,
    /// Everything delivered by non-cancelled contributions (partial
    /// deliveries of committed ones, and delivered ones).
    pub delivered: i64,
    /// The part of `delivered` whose receipt the requesting member confirmed.
    pub received: i64,
    /// `requested − (committed + delivered)`, floored at 0.
    pub gap: i64,
    /// `(committed + delivered) − requested`, floored at 0 (over-commitment).
    pub excess: i64,
    /// The unit, for a requirement in kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The ISO 4217 currency, for a financial requirement (figures in minor units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl SummaryOut {
    pub fn new(s: Summary, m: &Measure) -> Self {
        let (unit, currency) = match m {
            Measure::Quantity { unit, .. } => (Some(unit.clone()), None),
            Measure::Money { currency, .. } => (None, Some(currency.clone())),
        };
        SummaryOut {
            requested: s.requested,
            pledged: s.pledged,
            committed: s.committed,
            delivered: s.delivered,
            received: s.received,
            gap: s.gap,
            excess: s.excess,
            unit,
            currency,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionIn {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Member codes of the contributing members; the caller's member must
    /// be one of them. On a change they stay what they are (a GET's
    /// `contributors` with its `proposed_contributors`, in any order): left
    /// out, they are kept.
    #[serde(default)]
    pub contributors: Vec<String>,
    /// The requirement it answers (same unit or currency), or null for a standalone contribution.
    pub requirement_id: Option<String>,
    /// Required for a standalone contribution; against a requirement, the requirement's.
    pub line_of_effort: Option<String>,
    /// Required for a standalone contribution; against a requirement, the requirement's.
    pub category: Option<String>,
    pub measure: MeasureWire,
    /// Where it is given. Required for a standalone contribution; against a
    /// requirement, the requirement's place when left out.
    #[serde(default)]
    pub place: Option<PlaceWire>,
    /// When it is given. Required for a standalone contribution; against a
    /// requirement, the requirement's window when left out.
    #[serde(default)]
    pub window: Option<WindowWire>,
    pub marking: MarkingWire,
    /// Suppliers, carriers, consignees, implementing partners, financial
    /// institutions (screened against the sanctions lists on its page).
    /// On a change, left out: they are kept; `[]` removes them.
    #[serde(default)]
    pub parties: Option<Vec<PartyWire>>,
    /// For updates: the version being replaced (optimistic concurrency).
    #[serde(default)]
    pub if_version: Option<i64>,
}

/// A party to a contribution besides the contributing members.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyWire {
    /// `supplier`, `carrier`, `consignee`, `implementing_partner`,
    /// `financial_institution` or `other`
    pub role: String,
    /// `person`, `organisation` or `vessel`
    pub kind: String,
    pub name: String,
    /// ISO 3166-1 alpha-3: country of registration or nationality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl PartyWire {
    pub fn to_domain(&self) -> Result<coalesce_domain::needs::Party, ApiError> {
        Ok(coalesce_domain::needs::Party::parse(
            &self.role,
            &self.kind,
            &self.name,
            self.country.as_deref(),
        )?)
    }
    /// Every party of a list, checked one by one and as a list.
    pub fn list_to_domain(
        parties: &[PartyWire],
    ) -> Result<Vec<coalesce_domain::needs::Party>, ApiError> {
        let out = parties
            .iter()
            .map(PartyWire::to_domain)
            .collect::<Result<Vec<_>, _>>()?;
        coalesce_domain::needs::Party::check_list(&out)?;
        Ok(out)
    }
}

impl From<&coalesce_domain::needs::Party> for PartyWire {
    fn from(p: &coalesce_domain::needs::Party) -> Self {
        PartyWire {
            role: p.role.as_str().to_string(),
            kind: p.kind.as_str().to_string(),
            name: p.name.clone(),
            country: p.country.clone(),
        }
    }
}

/// The body of `PUT /contributions/{id}/parties`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartiesIn {
    pub parties: Vec<PartyWire>,
    /// The version the change is based on (409 if it moved on).
    #[serde(default)]
    pub if_version: Option<i64>,
}

impl ContributionIn {
    /// Whether a change leaves out what it keeps (see [`ContributionIn::draft_over`]).
    pub fn keeps_any(&self) -> bool {
        self.contributors.is_empty() || self.parties.is_none()
    }

    /// The draft of a new contribution (no parties when left out).
    pub fn draft(&self) -> Result<coalesce_domain::needs::ContributionDraft, ApiError> {
        self.draft_with(&self.contributors, self.parties.as_deref().unwrap_or(&[]))
    }

    /// The draft of a change of `current`: the contributing members and
    /// the parties left out are `current`'s.
    pub fn draft_over(
        &self,
        current: &Contribution,
    ) -> Result<coalesce_domain::needs::ContributionDraft, ApiError> {
        let named: Vec<String> = if self.contributors.is_empty() {
            current
                .contributors
                .iter()
                .chain(&current.proposed_contributors)
                .cloned()
                .collect()
        } else {
            self.contributors.clone()
        };
        let parties: Vec<PartyWire> = match &self.parties {
            Some(p) => p.clone(),
            None => current.parties.iter().map(PartyWire::from).collect(),
        };
        self.draft_with(&named, &parties)
    }

    fn draft_with(
        &self,
        contributors: &[String],
        parties: &[PartyWire],
    ) -> Result<coalesce_domain::needs::ContributionDraft, ApiError> {
        let marking = coalesce_domain::Marking::parse(&self.marking.tlp, &self.marking.rel_to)?;
        Ok(coalesce_domain::needs::ContributionDraft::parse(
            &self.title,
            &self.description,
            contributors,
            self.requirement_id.as_deref(),
            self.line_of_effort.as_deref(),
            self.category.as_deref(),
            self.measure.to_domain()?,
            self.place.as_ref().map(PlaceWire::to_domain).transpose()?,
            self.window
                .as_ref()
                .map(|w| Window::parse(&w.start, &w.end))
                .transpose()?,
            marking,
        )?
        .with_parties(PartyWire::list_to_domain(parties)?)?)
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContributionOut {
    /// Where it comes from: the documents that state it, quoted, and
    /// what was added that no document states (`illustrative`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<coalesce_domain::source::Source>,
    pub id: String,
    /// The recording member; only its users move the contribution on.
    pub origin: String,
    /// The contributing members who stand by it, sorted: the origin and
    /// those named who confirmed (`POST /contributions/{id}/confirmation`).
    pub contributors: Vec<String>,
    /// Members named by the origin that have not confirmed yet; the
    /// contribution does not count for them until they do.
    pub proposed_contributors: Vec<String>,
    pub requirement_id: Option<String>,
    pub line_of_effort: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub measure: MeasureWire,
    /// Where and when it is given. A contribution that names none takes
    /// its requirement's, shown only to readers of the requirement: null
    /// for others (and for contributions recorded before places were kept).
    pub place: Option<PlaceWire>,
    pub window: Option<WindowWire>,
    /// The place is the requirement's (the contribution names none).
    pub place_from_requirement: bool,
    /// The window is the requirement's (the contribution names none).
    pub window_from_requirement: bool,
    /// `pledged`, `committed`, `delivered` or `cancelled`.
    pub status: String,
    /// The sum of the deliveries recorded so far, in the measure's unit or currency.
    pub delivered: i64,
    pub marking: MarkingWire,
    pub banner: String,
    /// Suppliers, carriers, consignees, ...
    pub parties: Vec<PartyWire>,
    pub version: i64,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<Contribution> for ContributionOut {
    fn from(c: Contribution) -> Self {
        ContributionOut {
            source: None,
            banner: banner(&c.origin, &c.marking),
            marking: MarkingWire::from(&c.marking),
            measure: MeasureWire::from(&c.measure),
            place: c.place.as_ref().map(PlaceWire::from),
            window: c.window.as_ref().map(|w| WindowWire {
                start: w.start.clone(),
                end: w.end.clone(),
            }),
            place_from_requirement: c.place_from_requirement,
            window_from_requirement: c.window_from_requirement,
            status: c.status.as_str().to_string(),
            parties: c.parties.iter().map(PartyWire::from).collect(),
            id: c.id,
            origin: c.origin,
            contributors: c.contributors,
            proposed_contributors: c.proposed_contributors,
            requirement_id: c.requirement_id,
            line_of_effort: c.line_of_effort,
            category: c.category,
            title: c.title,
            description: c.description,
            delivered: c.delivered,
            version: c.version,
            created_at: rfc3339(c.created_at_ms),
            created_by: c.created_by,
            updated_at: rfc3339(c.updated_at_ms),
            updated_by: c.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContributionList {
    pub items: Vec<ContributionOut>,
    pub next: Option<String>,
}

/// A lifecycle step: `commit` (pledged → committed), `deliver` (a partial or
/// final delivery of a committed contribution; needs `delivered_on` and
/// `quantity` or `amount`, optionally `evidence`) or `cancel` (pledged or
/// committed, nothing delivered yet).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionIn {
    /// `commit`, `deliver` or `cancel`.
    pub action: String,
    /// deliver: the date delivered, YYYY-MM-DD.
    pub delivered_on: Option<String>,
    /// deliver, in kind: how many of the contribution's unit.
    pub quantity: Option<i64>,
    /// deliver, money: minor units of the contribution's currency.
    pub amount: Option<i64>,
    /// deliver: what proves it (waybill, handover certificate).
    pub evidence: Option<String>,
}

/// What a transition request asks for.
pub enum Step {
    Commit,
    Cancel,
    Deliver(coalesce_domain::needs::DeliveryDraft),
}

impl TransitionIn {
    pub fn step(&self) -> Result<Step, ApiError> {
        let has_delivery = self.delivered_on.is_some()
            || self.quantity.is_some()
            || self.amount.is_some()
            || self.evidence.is_some();
        let plain = |s: Step| {
            if has_delivery {
                Err(unprocessable(format!(
                    "{} takes no delivery fields",
                    self.action
                )))
            } else {
                Ok(s)
            }
        };
        match self.action.as_str() {
            "commit" => plain(Step::Commit),
            "cancel" => plain(Step::Cancel),
            "deliver" => {
                let n = match (self.quantity, self.amount) {
                    (Some(n), None) | (None, Some(n)) => n,
                    _ => {
                        return Err(unprocessable(
                            "deliver: send either quantity (in kind) or amount (money)",
                        ))
                    }
                };
                let on = self
                    .delivered_on
                    .as_deref()
                    .ok_or_else(|| unprocessable("deliver: delivered_on is required"))?;
                Ok(Step::Deliver(coalesce_domain::needs::DeliveryDraft::parse(
                    on,
                    n,
                    self.evidence.as_deref().unwrap_or_default(),
                )?))
            }
            other => Err(unprocessable(format!(
                "action {other:?}: expected commit, deliver or cancel"
            ))),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryOut {
    /// 1, 2, … in the order recorded.
    pub seq: i64,
    /// YYYY-MM-DD
    pub delivered_on: String,
    /// In the contribution's unit (in kind) or minor units of its currency (money).
    pub amount: i64,
    pub evidence: String,
    pub recorded_at: String,
    pub recorded_by: String,
    /// Set once the requesting member confirmed receipt.
    pub received_at: Option<String>,
    pub received_by: Option<String>,
    pub received_member: Option<String>,
    /// What arrived, in the same unit: all of it unless the requesting
    /// member said less (0 until receipt is confirmed).
    pub received_amount: i64,
    /// The day it arrived, as the requesting member says (YYYY-MM-DD).
    pub received_on: Option<String>,
    pub received_note: Option<String>,
}

/// What the requesting member says it received of one delivery. Every
/// field is optional: an empty body confirms all of it, today.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptIn {
    /// How much arrived, when less than delivered.
    pub amount: Option<i64>,
    /// YYYY-MM-DD; not before the delivery was made.
    pub received_on: Option<String>,
    #[serde(default)]
    pub note: String,
}

impl From<Delivery> for DeliveryOut {
    fn from(d: Delivery) -> Self {
        let received_amount = d.received();
        DeliveryOut {
            seq: d.seq,
            delivered_on: d.delivered_on,
            amount: d.amount,
            evidence: d.evidence,
            recorded_at: rfc3339(d.recorded_at_ms),
            recorded_by: d.recorded_by,
            received_amount,
            received_on: d.received_on,
            received_note: d.received_note,
            received_at: d.received_at_ms.map(rfc3339),
            received_by: d.received_by,
            received_member: d.received_member,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryList {
    pub items: Vec<DeliveryOut>,
    pub next: Option<String>,
}

/// A kept version of a requirement or contribution.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordVersionOut {
    pub version: i64,
    /// The record as it was after the change (as the node stored it).
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    /// The marking the version had.
    pub marking: MarkingWire,
    pub updated_at: String,
    pub updated_by: String,
}

impl From<RecordVersion> for RecordVersionOut {
    fn from(v: RecordVersion) -> Self {
        RecordVersionOut {
            version: v.version,
            snapshot: v.snapshot,
            marking: MarkingWire::from(&v.marking),
            updated_at: rfc3339(v.updated_at_ms),
            updated_by: v.updated_by,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordVersionList {
    pub items: Vec<RecordVersionOut>,
    pub next: Option<String>,
}

impl From<Vec<RecordVersion>> for RecordVersionList {
    /// Every kept version in one page (a record's versions are few).
    fn from(vs: Vec<RecordVersion>) -> Self {
        RecordVersionList {
            items: vs.into_iter().map(Into::into).collect(),
            next: None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ItemCategoryOut {
    pub slug: String,
    pub name: String,
}

impl From<ItemCategory> for ItemCategoryOut {
    fn from(c: ItemCategory) -> Self {
        ItemCategoryOut {
            slug: c.slug,
            name: c.name,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ItemCategoryList {
    pub items: Vec<ItemCategoryOut>,
    pub next: Option<String>,
}
