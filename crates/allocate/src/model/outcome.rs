//! The result of an allocation: assignments and why, gaps and their
//! reasons, per-record outcomes, and their plain-text explanations.

use std::fmt;

use serde::Serialize;

use super::{Restriction, Window};

/// Unit cost of sending one unit of an offer to a requirement, by component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnitCost {
    /// Days the offer is available after the need starts.
    pub lead_days: i64,
    /// Distance class of the delivery.
    pub distance_class: u32,
    /// Whether the split penalty applies (offer smaller than the need).
    pub split: bool,
    /// Total cost per unit.
    pub total: i64,
}

/// Why an offer goes to a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchWhy {
    /// Shared category.
    pub category: String,
    /// Place delivered to.
    pub place: String,
    /// Overlap of the two windows.
    pub overlap: Window,
    /// Weight of the requirement.
    pub weight: i64,
    /// Unit cost of this match.
    pub cost: UnitCost,
    /// Restrictions of the offer, all satisfied.
    pub restrictions: Vec<Restriction>,
    /// How many requirements this offer was compatible with.
    pub compatible_requirements: usize,
    /// How many offers this requirement was compatible with.
    pub compatible_offers: usize,
}

/// A proposed match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Offer id.
    pub offer: String,
    /// Offering member.
    pub member: String,
    /// Requirement id.
    pub requirement: String,
    /// Quantity sent.
    pub quantity: i64,
    /// Unit.
    pub unit: String,
    /// Why.
    pub why: MatchWhy,
}

impl fmt::Display for Assignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = &self.why;
        write!(
            f,
            "offer {} ({}) -> requirement {}: {} {} of {}; delivered to {} (distance class {}), windows overlap {}",
            self.offer,
            self.member,
            self.requirement,
            self.quantity,
            self.unit,
            w.category,
            w.place,
            w.cost.distance_class,
            w.overlap
        )?;
        if w.cost.lead_days > 0 {
            write!(f, " ({} days late)", w.cost.lead_days)?;
        }
        write!(
            f,
            "; requirement weight {}; unit cost {}{}",
            w.weight,
            w.cost.total,
            if w.cost.split {
                " incl. split penalty"
            } else {
                ""
            }
        )?;
        if !w.restrictions.is_empty() {
            let r: Vec<String> = w.restrictions.iter().map(|r| r.to_string()).collect();
            write!(f, "; restrictions met: {}", r.join(", "))?;
        }
        write!(
            f,
            "; {} compatible offer(s) for the requirement, {} compatible requirement(s) for the offer",
            w.compatible_offers, w.compatible_requirements
        )
    }
}

/// Ids listed in an explanation, capped at [`LIST_CAP`] with the full count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdList {
    /// Total number.
    pub count: usize,
    /// The first ids (at most [`LIST_CAP`]).
    pub ids: Vec<String>,
}

/// Most ids kept in an [`IdList`].
pub const LIST_CAP: usize = 10;

impl IdList {
    pub(super) fn push(&mut self, id: &str) {
        self.count += 1;
        if self.ids.len() < LIST_CAP {
            self.ids.push(id.to_owned());
        }
    }
}

impl fmt::Display for IdList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ids.join(", "))?;
        if self.count > self.ids.len() {
            write!(f, " and {} more", self.count - self.ids.len())?;
        }
        Ok(())
    }
}

/// A requirement that took units from an offer a gapped requirement could use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TakenBy {
    /// The requirement that took them.
    pub requirement: String,
    /// Its weight.
    pub weight: i64,
    /// The offer.
    pub offer: String,
    /// Units taken.
    pub quantity: i64,
}

/// One reason a requirement is not (fully) met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum GapReason {
    /// No offer of the category at all.
    NoOfferInCategory,
    /// Offers of the category exist but are available at other times.
    WindowMismatch {
        /// Those offers.
        offers: IdList,
    },
    /// Offers of the category (and time) exist but cannot deliver to the place.
    PlaceMismatch {
        /// Those offers.
        offers: IdList,
    },
    /// Offers would fit but their donor restrictions exclude this requirement.
    Restricted {
        /// Those offers.
        offers: IdList,
    },
    /// Compatible offers exist but are fully allocated, to requirements of at
    /// least the same weight (a lower-weight taker would not be optimal).
    Exhausted {
        /// The compatible offers.
        offers: IdList,
        /// Who took them, largest first (at most [`LIST_CAP`]).
        taken_by: Vec<TakenBy>,
    },
}

impl fmt::Display for GapReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GapReason::NoOfferInCategory => write!(f, "no offer of this category at all"),
            GapReason::WindowMismatch { offers } => {
                write!(f, "window mismatch: {offers} available at other times")
            }
            GapReason::PlaceMismatch { offers } => {
                write!(f, "place mismatch: {offers} cannot deliver here")
            }
            GapReason::Restricted { offers } => {
                write!(f, "restricted: donor restrictions of {offers} exclude it")
            }
            GapReason::Exhausted { offers, taken_by } => {
                write!(f, "compatible offers {offers} exhausted")?;
                if !taken_by.is_empty() {
                    let t: Vec<String> = taken_by
                        .iter()
                        .map(|t| {
                            format!(
                                "{} (weight {}) took {} from {}",
                                t.requirement, t.weight, t.quantity, t.offer
                            )
                        })
                        .collect();
                    write!(f, " by: {}", t.join("; "))?;
                }
                Ok(())
            }
        }
    }
}

/// A requirement not fully met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// Requirement id.
    pub requirement: String,
    /// Requested quantity.
    pub requested: i64,
    /// Delivered by the proposal.
    pub delivered: i64,
    /// Missing (`requested - delivered`).
    pub missing: i64,
    /// Unit.
    pub unit: String,
    /// Why nothing more could be sent (one or more reasons).
    pub why: Vec<GapReason>,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gap in requirement {}: {} of {} {} missing",
            self.requirement, self.missing, self.requested, self.unit
        )?;
        for r in &self.why {
            write!(f, "; {r}")?;
        }
        Ok(())
    }
}

/// What happens to an offer (surplus = over-commitment / duplication).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferOutcome {
    /// Offer id.
    pub offer: String,
    /// Offered quantity.
    pub offered: i64,
    /// Allocated by the proposal.
    pub allocated: i64,
    /// Not needed (`offered - allocated`).
    pub surplus: i64,
}

/// What happens to a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementOutcome {
    /// Requirement id.
    pub requirement: String,
    /// Requested quantity.
    pub requested: i64,
    /// Delivered by the proposal.
    pub delivered: i64,
    /// Gap (`requested - delivered`).
    pub gap: i64,
}

/// The optimal proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allocation {
    /// Proposed matches, by offer then requirement order of the input.
    pub assignments: Vec<Assignment>,
    /// Requirements not fully met, with reasons.
    pub gaps: Vec<Gap>,
    /// Per requirement totals, in input order.
    pub requirements: Vec<RequirementOutcome>,
    /// Per offer totals, in input order.
    pub offers: Vec<OfferOutcome>,
    /// Sum of weight x delivered units (maximised first).
    pub weighted_delivered: i128,
    /// Sum of unit cost x units of the matches (minimised second).
    pub cost: i128,
    /// Number of compatible (offer, requirement) pairs considered.
    pub compatible_pairs: usize,
}

impl fmt::Display for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let requested: i64 = self.requirements.iter().map(|r| r.requested).sum();
        let delivered: i64 = self.requirements.iter().map(|r| r.delivered).sum();
        let surplus: i64 = self.offers.iter().map(|o| o.surplus).sum();
        writeln!(
            f,
            "allocation: {} matches, {delivered} of {requested} units delivered, {} gaps, {surplus} units surplus, weighted delivery {}, cost {}",
            self.assignments.len(),
            self.gaps.len(),
            self.weighted_delivered,
            self.cost
        )?;
        for a in &self.assignments {
            writeln!(f, "{a}")?;
        }
        for g in &self.gaps {
            writeln!(f, "{g}")?;
        }
        for o in self.offers.iter().filter(|o| o.surplus > 0) {
            writeln!(
                f,
                "surplus in offer {}: {} of {} not needed",
                o.offer, o.surplus, o.offered
            )?;
        }
        Ok(())
    }
}
