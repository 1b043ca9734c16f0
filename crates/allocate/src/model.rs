//! The allocation domain: requirements, offers, compatibility, costs, and the
//! min-cost flow model that matches them.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::simplex::{min_cost_flow, FlowError, FlowProblem};

/// A calendar day, counted from 1970-01-01 (day 0). Deserializes from an
/// integer or a `YYYY-MM-DD` string; serializes as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "DayRepr")]
pub struct Day(pub i32);

#[derive(Deserialize)]
#[serde(untagged)]
enum DayRepr {
    Days(i32),
    Date(String),
}

impl TryFrom<DayRepr> for Day {
    type Error = String;
    fn try_from(r: DayRepr) -> Result<Self, String> {
        match r {
            DayRepr::Days(d) => Ok(Day(d)),
            DayRepr::Date(s) => Day::parse(&s),
        }
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Day {
    /// The day of a proleptic Gregorian date, if it is valid.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Day> {
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || !(-9999..=9999).contains(&y)
        {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = i64::from(if m <= 2 { y - 1 } else { y });
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(m);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day((era * 146_097 + doe - 719_468) as i32))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Day, String> {
        let err = || format!("'{s}' is not a date (YYYY-MM-DD)");
        let mut it = s.trim().splitn(3, '-');
        let y: i32 = it.next().and_then(|x| x.parse().ok()).ok_or_else(err)?;
        let m: u32 = it.next().and_then(|x| x.parse().ok()).ok_or_else(err)?;
        let d: u32 = it.next().and_then(|x| x.parse().ok()).ok_or_else(err)?;
        Day::from_ymd(y, m, d).ok_or_else(err)
    }

    /// The (year, month, day) of this day.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = i64::from(self.0) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A closed time window `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First day.
    pub start: Day,
    /// Last day (inclusive).
    pub end: Day,
}

impl Window {
    /// Window from day numbers.
    pub fn days(start: i32, end: i32) -> Self {
        Window {
            start: Day(start),
            end: Day(end),
        }
    }
    fn overlaps(&self, o: &Window) -> bool {
        self.start <= o.end && o.start <= self.end
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How much a requirement matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Rank 1..=5, 1 = most urgent (weight 5) … 5 = least (weight 1).
    Rank(u8),
    /// An explicit weight 1..=1_000_000, higher = more important.
    Weight(u32),
}

/// Largest accepted [`Priority::Weight`].
pub const MAX_WEIGHT: u32 = 1_000_000;

impl Priority {
    /// The weight of one delivered unit (higher = more important).
    pub fn weight(self) -> i64 {
        match self {
            Priority::Rank(r) => 6 - i64::from(r),
            Priority::Weight(w) => i64::from(w),
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Priority::Rank(r) => write!(f, "priority {r}"),
            Priority::Weight(w) => write!(f, "weight {w}"),
        }
    }
}

/// What a partner needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// Unique id.
    pub id: String,
    /// Item category, e.g. `tents`.
    pub category: String,
    /// Quantity needed (>= 0).
    pub quantity: i64,
    /// Unit of the quantity, e.g. `pcs`, `kg`; must agree within a category.
    pub unit: String,
    /// Where it is needed.
    pub place: String,
    /// When it is needed.
    pub window: Window,
    /// How much it matters.
    pub priority: Priority,
    /// Who receives it (the requesting member or partner).
    pub recipient: String,
    /// Line of effort it serves.
    pub line_of_effort: String,
}

/// A place an offer can deliver to, with a distance class (0 = local).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceOption {
    /// The place.
    pub place: String,
    /// Distance class, 0 = on the spot; each class adds to the unit cost.
    pub distance_class: u32,
}

/// A donor restriction on an offer. Restrictions of the same kind form an
/// allowed set ("only to A or B"); restrictions of different kinds must all hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restriction {
    /// Only to this recipient.
    OnlyRecipient(String),
    /// Only for this line of effort.
    OnlyLineOfEffort(String),
}

impl fmt::Display for Restriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Restriction::OnlyRecipient(r) => write!(f, "only to recipient {r}"),
            Restriction::OnlyLineOfEffort(l) => write!(f, "only for line of effort {l}"),
        }
    }
}

/// What a member offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Unique id.
    pub id: String,
    /// Offering member.
    pub member: String,
    /// Item category.
    pub category: String,
    /// Quantity offered (>= 0).
    pub quantity: i64,
    /// Unit of the quantity.
    pub unit: String,
    /// Places it can deliver to.
    pub deliver_to: Vec<PlaceOption>,
    /// When it is available.
    pub window: Window,
    /// Donor restrictions.
    #[serde(default)]
    pub restrictions: Vec<Restriction>,
}

/// Unit-cost weights of a match (all non-negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostModel {
    /// Per unit and per day the offer becomes available after the need starts.
    pub per_day_late: i64,
    /// Per unit and per distance class.
    pub per_distance_class: i64,
    /// Per unit from an offer too small to cover the requirement alone (a
    /// linear stand-in for the cost of splitting a requirement).
    pub split_penalty: i64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            per_day_late: 1,
            per_distance_class: 10,
            split_penalty: 5,
        }
    }
}

/// Everything the allocator needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The needs.
    pub requirements: Vec<Requirement>,
    /// The offers.
    pub offers: Vec<Offer>,
    /// Cost weights.
    #[serde(default)]
    pub costs: CostModel,
}

/// Bad domain input; every variant names the record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum AllocateError {
    /// Two records of the same kind share an id.
    #[error("duplicate {kind} id '{id}'")]
    DuplicateId {
        /// `offer` or `requirement`.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A record field is invalid.
    #[error("{kind} '{id}': {reason}")]
    Invalid {
        /// `offer` or `requirement`.
        kind: &'static str,
        /// The record id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// An offer and a requirement of the same category use different units.
    #[error("{0}")]
    UnitMismatch(Box<UnitMismatch>),
    /// Numbers too large for exact arithmetic.
    #[error("cannot solve exactly: {0}")]
    Solver(#[from] FlowError),
}

/// Details of [`AllocateError::UnitMismatch`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{kind} '{id}': unit '{unit}' does not match unit '{expected}' of {other_kind} '{other_id}' in category '{category}'")]
pub struct UnitMismatch {
    /// `offer` or `requirement`.
    pub kind: &'static str,
    /// The record id.
    pub id: String,
    /// Its unit.
    pub unit: String,
    /// The category.
    pub category: String,
    /// The unit first seen in the category.
    pub expected: String,
    /// Kind of the record that set the unit.
    pub other_kind: &'static str,
    /// Id of the record that set the unit.
    pub other_id: String,
}

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
    fn push(&mut self, id: &str) {
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

/// Interned, validated view of a problem.
struct Indexed<'a> {
    p: &'a Problem,
    /// Requirement: (category, place, recipient, loe) ids.
    req_keys: Vec<(u32, u32, u32, u32)>,
    /// Offer: category id.
    offer_cat: Vec<u32>,
    /// Offer: (place id, distance class), sorted by place.
    offer_places: Vec<Vec<(u32, u32)>>,
    /// Offer: allowed recipients / lines of effort (None = any).
    offer_recipients: Vec<Option<Vec<u32>>>,
    offer_loes: Vec<Option<Vec<u32>>>,
    /// Requirements by category id.
    reqs_by_cat: Vec<Vec<u32>>,
    /// Offers by category id.
    offers_by_cat: Vec<Vec<u32>>,
}

#[derive(Default)]
struct Interner<'a> {
    map: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let n = self.map.len() as u32;
        *self.map.entry(s).or_insert(n)
    }
    fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }
}

/// Why an offer cannot serve a requirement (first failing check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mismatch {
    Window,
    Place,
    Restriction,
}

fn invalid(kind: &'static str, id: &str, reason: impl Into<String>) -> AllocateError {
    AllocateError::Invalid {
        kind,
        id: id.to_owned(),
        reason: reason.into(),
    }
}

/// Largest accepted quantity of one record.
pub const MAX_QUANTITY: i64 = 1 << 40;

fn validate(p: &Problem) -> Result<(), AllocateError> {
    let c = &p.costs;
    for (name, v) in [
        ("per_day_late", c.per_day_late),
        ("per_distance_class", c.per_distance_class),
        ("split_penalty", c.split_penalty),
    ] {
        if !(0..=1_000_000).contains(&v) {
            return Err(invalid("cost model", name, "must be in 0..=1000000"));
        }
    }
    let mut seen = HashSet::new();
    type Units<'a> = HashMap<&'a str, (&'a str, &'static str, &'a str)>;
    fn check_unit<'a>(
        units: &mut Units<'a>,
        kind: &'static str,
        id: &'a str,
        cat: &'a str,
        unit: &'a str,
    ) -> Result<(), AllocateError> {
        let (u, k, i) = *units.entry(cat).or_insert((unit, kind, id));
        if !u.eq_ignore_ascii_case(unit) {
            return Err(AllocateError::UnitMismatch(Box::new(UnitMismatch {
                kind,
                id: id.to_owned(),
                unit: unit.to_owned(),
                category: cat.to_owned(),
                expected: u.to_owned(),
                other_kind: k,
                other_id: i.to_owned(),
            })));
        }
        Ok(())
    }
    let mut units: Units = HashMap::new();
    for r in &p.requirements {
        let k = "requirement";
        if r.id.trim().is_empty() {
            return Err(invalid(k, &r.id, "empty id"));
        }
        if !seen.insert(r.id.as_str()) {
            return Err(AllocateError::DuplicateId {
                kind: k,
                id: r.id.clone(),
            });
        }
        if r.category.trim().is_empty() {
            return Err(invalid(k, &r.id, "no category"));
        }
        if r.quantity < 0 {
            return Err(invalid(
                k,
                &r.id,
                format!("negative quantity {}", r.quantity),
            ));
        }
        if r.quantity > MAX_QUANTITY {
            return Err(invalid(
                k,
                &r.id,
                format!("quantity {} too large", r.quantity),
            ));
        }
        if r.place.trim().is_empty() {
            return Err(invalid(k, &r.id, "no place"));
        }
        if r.window.start > r.window.end {
            return Err(invalid(
                k,
                &r.id,
                format!("window {} ends before it starts", r.window),
            ));
        }
        match r.priority {
            Priority::Rank(x) if !(1..=5).contains(&x) => {
                return Err(invalid(k, &r.id, format!("priority {x} not in 1..=5")))
            }
            Priority::Weight(w) if w == 0 || w > MAX_WEIGHT => {
                return Err(invalid(
                    k,
                    &r.id,
                    format!("weight {w} not in 1..={MAX_WEIGHT}"),
                ))
            }
            _ => {}
        }
        check_unit(&mut units, k, &r.id, &r.category, &r.unit)?;
    }
    seen.clear();
    for o in &p.offers {
        let k = "offer";
        if o.id.trim().is_empty() {
            return Err(invalid(k, &o.id, "empty id"));
        }
        if !seen.insert(o.id.as_str()) {
            return Err(AllocateError::DuplicateId {
                kind: k,
                id: o.id.clone(),
            });
        }
        if o.category.trim().is_empty() {
            return Err(invalid(k, &o.id, "no category"));
        }
        if o.quantity < 0 {
            return Err(invalid(
                k,
                &o.id,
                format!("negative quantity {}", o.quantity),
            ));
        }
        if o.quantity > MAX_QUANTITY {
            return Err(invalid(
                k,
                &o.id,
                format!("quantity {} too large", o.quantity),
            ));
        }
        if o.window.start > o.window.end {
            return Err(invalid(
                k,
                &o.id,
                format!("window {} ends before it starts", o.window),
            ));
        }
        if let Some(pl) = o.deliver_to.iter().find(|pl| pl.distance_class > 1000) {
            return Err(invalid(
                k,
                &o.id,
                format!(
                    "distance class {} to {} above 1000",
                    pl.distance_class, pl.place
                ),
            ));
        }
        check_unit(&mut units, k, &o.id, &o.category, &o.unit)?;
    }
    Ok(())
}

impl<'a> Indexed<'a> {
    fn new(p: &'a Problem) -> Self {
        let mut cats = Interner::default();
        let mut places = Interner::default();
        let mut recips = Interner::default();
        let mut loes = Interner::default();
        let req_keys: Vec<_> = p
            .requirements
            .iter()
            .map(|r| {
                (
                    cats.id(&r.category),
                    places.id(&r.place),
                    recips.id(&r.recipient),
                    loes.id(&r.line_of_effort),
                )
            })
            .collect();
        let offer_cat: Vec<u32> = p.offers.iter().map(|o| cats.id(&o.category)).collect();
        // Places, recipients and lines of effort no requirement uses get no id:
        // they can never match.
        let offer_places = p
            .offers
            .iter()
            .map(|o| {
                let mut v: Vec<(u32, u32)> = o
                    .deliver_to
                    .iter()
                    .filter_map(|pl| places.get(&pl.place).map(|id| (id, pl.distance_class)))
                    .collect();
                v.sort_unstable();
                v.dedup_by_key(|x| x.0);
                v
            })
            .collect();
        let allowed = |o: &Offer, recipient: bool, int: &Interner| {
            let mut any = false;
            let mut v = Vec::new();
            for r in &o.restrictions {
                match (r, recipient) {
                    (Restriction::OnlyRecipient(x), true)
                    | (Restriction::OnlyLineOfEffort(x), false) => {
                        any = true;
                        if let Some(id) = int.get(x) {
                            v.push(id);
                        }
                    }
                    _ => {}
                }
            }
            any.then_some(v)
        };
        let offer_recipients = p.offers.iter().map(|o| allowed(o, true, &recips)).collect();
        let offer_loes = p.offers.iter().map(|o| allowed(o, false, &loes)).collect();
        let ncat = cats.map.len();
        let mut reqs_by_cat = vec![Vec::new(); ncat];
        for (i, k) in req_keys.iter().enumerate() {
            reqs_by_cat[k.0 as usize].push(i as u32);
        }
        let mut offers_by_cat = vec![Vec::new(); ncat];
        for (i, &c) in offer_cat.iter().enumerate() {
            offers_by_cat[c as usize].push(i as u32);
        }
        Indexed {
            p,
            req_keys,
            offer_cat,
            offer_places,
            offer_recipients,
            offer_loes,
            reqs_by_cat,
            offers_by_cat,
        }
    }

    /// Unit cost if offer `o` can serve requirement `r` (same category assumed).
    fn check(&self, o: usize, r: usize) -> Result<UnitCost, Mismatch> {
        let offer = &self.p.offers[o];
        let req = &self.p.requirements[r];
        if !offer.window.overlaps(&req.window) {
            return Err(Mismatch::Window);
        }
        let (_, place, recip, loe) = self.req_keys[r];
        let places = &self.offer_places[o];
        let Ok(pi) = places.binary_search_by_key(&place, |x| x.0) else {
            return Err(Mismatch::Place);
        };
        if let Some(allowed) = &self.offer_recipients[o] {
            if !allowed.contains(&recip) {
                return Err(Mismatch::Restriction);
            }
        }
        if let Some(allowed) = &self.offer_loes[o] {
            if !allowed.contains(&loe) {
                return Err(Mismatch::Restriction);
            }
        }
        let c = &self.p.costs;
        let lead_days = (i64::from(offer.window.start.0) - i64::from(req.window.start.0)).max(0);
        let distance_class = places[pi].1;
        let split = offer.quantity < req.quantity;
        let total = lead_days * c.per_day_late
            + i64::from(distance_class) * c.per_distance_class
            + if split { c.split_penalty } else { 0 };
        Ok(UnitCost {
            lead_days,
            distance_class,
            split,
            total,
        })
    }
}

/// The min-cost flow network [`allocate`] solves: nodes are the offers (in
/// input order, supply = quantity), then the requirements (demand =
/// quantity), then one dummy node; arcs are the compatible pairs (offer-major
/// order), then one surplus arc per offer (offer -> dummy, cost 0), then one
/// slack arc per requirement (dummy -> requirement, cost weight x M).
pub fn flow_network(problem: &Problem) -> Result<FlowProblem, AllocateError> {
    Ok(build(problem)?.2)
}

type Pairs = Vec<(u32, u32, UnitCost)>;

fn build(problem: &Problem) -> Result<(Indexed<'_>, Pairs, FlowProblem), AllocateError> {
    validate(problem)?;
    let ix = Indexed::new(problem);
    let no = problem.offers.len();
    let nr = problem.requirements.len();
    let dummy = no + nr;

    // Compatible pairs, grouped by offer.
    let mut pairs: Pairs = Vec::new();
    for (o, &cat) in ix.offer_cat.iter().enumerate() {
        if problem.offers[o].quantity == 0 {
            continue;
        }
        for &r in &ix.reqs_by_cat[cat as usize] {
            if problem.requirements[r as usize].quantity == 0 {
                continue;
            }
            if let Ok(c) = ix.check(o, r as usize) {
                pairs.push((o as u32, r, c));
            }
        }
    }
    let max_pair_cost = pairs.iter().map(|p| p.2.total).max().unwrap_or(0);
    // Any simple cycle has at most nodes + 1 arcs, so M exceeds its cost.
    let too_large = FlowError::TooLarge("priority weight x cost bound overflows");
    let big_m = (dummy as i64 + 2)
        .checked_mul(max_pair_cost)
        .and_then(|x| x.checked_add(1))
        .ok_or(too_large.clone())?;

    let mut net = FlowProblem::new(dummy + 1);
    let mut total_req: i64 = 0;
    let mut total_off: i64 = 0;
    for (o, offer) in problem.offers.iter().enumerate() {
        net.supply[o] = offer.quantity;
        total_off = total_off
            .checked_add(offer.quantity)
            .ok_or(too_large.clone())?;
    }
    for (r, req) in problem.requirements.iter().enumerate() {
        net.supply[no + r] = -req.quantity;
        total_req = total_req
            .checked_add(req.quantity)
            .ok_or(too_large.clone())?;
    }
    net.supply[dummy] = total_req - total_off;
    net.arcs.reserve(pairs.len() + no + nr);
    for &(o, r, c) in &pairs {
        let cap = problem.offers[o as usize]
            .quantity
            .min(problem.requirements[r as usize].quantity);
        net.add_arc(o as usize, no + r as usize, 0, cap, c.total);
    }
    for (o, offer) in problem.offers.iter().enumerate() {
        net.add_arc(o, dummy, 0, offer.quantity, 0);
    }
    for (r, req) in problem.requirements.iter().enumerate() {
        let slack_cost = req
            .priority
            .weight()
            .checked_mul(big_m)
            .ok_or(too_large.clone())?;
        net.add_arc(dummy, no + r, 0, req.quantity, slack_cost);
    }
    Ok((ix, pairs, net))
}

/// Finds the allocation that maximises priority-weighted delivery and, among
/// those, minimises the total unit cost; explains every match and gap.
///
/// Exact: solved as one min-cost flow (offers -> requirements, a surplus arc
/// per offer and a slack arc per requirement through a dummy node) by the
/// network simplex method. The slack cost of a requirement is its weight times
/// a bound larger than the cost of any simple cycle, so no cost saving can ever
/// outweigh one more unit of weighted delivery.
pub fn allocate(problem: &Problem) -> Result<Allocation, AllocateError> {
    let (ix, pairs, net) = build(problem)?;
    let no = problem.offers.len();
    let nr = problem.requirements.len();
    let sol = min_cost_flow(&net)?;

    // Totals.
    let mut allocated = vec![0i64; no];
    let mut delivered = vec![0i64; nr];
    let mut compat_offers = vec![0usize; nr];
    let mut compat_reqs = vec![0usize; no];
    let mut cost: i128 = 0;
    let mut weighted: i128 = 0;
    let mut used: Vec<(u32, u32, i64, UnitCost)> = Vec::new();
    for (k, &(o, r, c)) in pairs.iter().enumerate() {
        compat_offers[r as usize] += 1;
        compat_reqs[o as usize] += 1;
        let f = sol.flow[k];
        if f > 0 {
            allocated[o as usize] += f;
            delivered[r as usize] += f;
            cost += i128::from(f) * i128::from(c.total);
            weighted +=
                i128::from(f) * i128::from(problem.requirements[r as usize].priority.weight());
            used.push((o, r, f, c));
        }
    }
    let assignments = used
        .iter()
        .map(|&(o, r, f, c)| {
            let offer = &problem.offers[o as usize];
            let req = &problem.requirements[r as usize];
            Assignment {
                offer: offer.id.clone(),
                member: offer.member.clone(),
                requirement: req.id.clone(),
                quantity: f,
                unit: req.unit.clone(),
                why: MatchWhy {
                    category: req.category.clone(),
                    place: req.place.clone(),
                    overlap: Window {
                        start: offer.window.start.max(req.window.start),
                        end: offer.window.end.min(req.window.end),
                    },
                    weight: req.priority.weight(),
                    cost: c,
                    restrictions: offer.restrictions.clone(),
                    compatible_requirements: compat_reqs[o as usize],
                    compatible_offers: compat_offers[r as usize],
                },
            }
        })
        .collect();

    // Who took each offer's units, for gap explanations.
    let mut takers: Vec<Vec<(u32, i64)>> = vec![Vec::new(); no];
    for &(o, r, f, _) in &used {
        takers[o as usize].push((r, f));
    }

    let mut gaps = Vec::new();
    for (r, req) in problem.requirements.iter().enumerate() {
        let missing = req.quantity - delivered[r];
        if missing <= 0 {
            continue;
        }
        gaps.push(Gap {
            requirement: req.id.clone(),
            requested: req.quantity,
            delivered: delivered[r],
            missing,
            unit: req.unit.clone(),
            why: explain_gap(&ix, r, &takers),
        });
    }

    Ok(Allocation {
        assignments,
        gaps,
        requirements: problem
            .requirements
            .iter()
            .enumerate()
            .map(|(r, req)| RequirementOutcome {
                requirement: req.id.clone(),
                requested: req.quantity,
                delivered: delivered[r],
                gap: req.quantity - delivered[r],
            })
            .collect(),
        offers: problem
            .offers
            .iter()
            .enumerate()
            .map(|(o, offer)| OfferOutcome {
                offer: offer.id.clone(),
                offered: offer.quantity,
                allocated: allocated[o],
                surplus: offer.quantity - allocated[o],
            })
            .collect(),
        weighted_delivered: weighted,
        cost,
        compatible_pairs: pairs.len(),
    })
}

fn explain_gap(ix: &Indexed, r: usize, takers: &[Vec<(u32, i64)>]) -> Vec<GapReason> {
    let p = ix.p;
    let cat = ix.req_keys[r].0 as usize;
    let offers = &ix.offers_by_cat[cat];
    if offers.iter().all(|&o| p.offers[o as usize].quantity == 0) {
        return vec![GapReason::NoOfferInCategory];
    }
    let mut window = IdList::default();
    let mut place = IdList::default();
    let mut restricted = IdList::default();
    let mut compatible = IdList::default();
    let mut taken: Vec<TakenBy> = Vec::new();
    for &o in offers {
        let o = o as usize;
        let offer = &p.offers[o];
        if offer.quantity == 0 {
            continue;
        }
        match ix.check(o, r) {
            Err(Mismatch::Window) => window.push(&offer.id),
            Err(Mismatch::Place) => place.push(&offer.id),
            Err(Mismatch::Restriction) => restricted.push(&offer.id),
            Ok(_) => {
                compatible.push(&offer.id);
                for &(t, q) in &takers[o] {
                    if t as usize != r {
                        let tr = &p.requirements[t as usize];
                        taken.push(TakenBy {
                            requirement: tr.id.clone(),
                            weight: tr.priority.weight(),
                            offer: offer.id.clone(),
                            quantity: q,
                        });
                    }
                }
            }
        }
    }
    taken.sort_by(|a, b| b.weight.cmp(&a.weight).then(b.quantity.cmp(&a.quantity)));
    taken.truncate(LIST_CAP);
    let mut why = Vec::new();
    if compatible.count > 0 {
        why.push(GapReason::Exhausted {
            offers: compatible,
            taken_by: taken,
        });
    }
    if window.count > 0 {
        why.push(GapReason::WindowMismatch { offers: window });
    }
    if place.count > 0 {
        why.push(GapReason::PlaceMismatch { offers: place });
    }
    if restricted.count > 0 {
        why.push(GapReason::Restricted { offers: restricted });
    }
    why
}
