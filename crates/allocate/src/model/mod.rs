//! The allocation domain: requirements, offers, compatibility, costs, and the
//! min-cost flow model that matches them.

mod compat;
mod outcome;
mod solve;
mod validate;

pub use outcome::{
    Allocation, Assignment, Gap, GapReason, IdList, MatchWhy, OfferOutcome, RequirementOutcome,
    TakenBy, UnitCost, LIST_CAP,
};
pub use solve::{allocate, allocate_with, flow_network};
pub use validate::MAX_QUANTITY;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::simplex::FlowError;

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
    /// More compatible pairs than the caller allows ([`Control::max_pairs`]).
    #[error("too large: more than {limit} compatible offer-requirement pairs (the configured limit); narrow the run or raise the limit")]
    TooManyPairs {
        /// The limit.
        limit: usize,
    },
    /// The caller's watch asked the run to stop.
    #[error("cancelled before the run ended")]
    Cancelled,
}

/// How far a run has come, told to [`Control::watch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Finding compatible pairs: offers examined so far, of all offers,
    /// and the pairs found.
    Pairs {
        /// Offers examined.
        done: usize,
        /// All offers.
        of: usize,
        /// Compatible pairs found so far.
        pairs: usize,
    },
    /// Solving: network simplex pivots made so far.
    Solve {
        /// Pivots made.
        pivots: u64,
    },
    /// Explaining the assignments and the gaps.
    Explain,
}

/// What a caller asks of a long run: a bound on its size and a watch that
/// hears its progress and may stop it.
pub struct Control<'a> {
    /// The most compatible pairs a run takes (its memory and time grow
    /// with them); beyond, [`AllocateError::TooManyPairs`].
    pub max_pairs: usize,
    /// Told where the run is now and then (every few thousand offers or
    /// pivots); answering `true` stops it with [`AllocateError::Cancelled`].
    pub watch: &'a dyn Fn(Stage) -> bool,
}

impl Control<'_> {
    /// No bound, no watch: what [`allocate`] runs with.
    pub fn unlimited() -> Control<'static> {
        Control {
            max_pairs: usize::MAX,
            watch: &|_| false,
        }
    }
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
