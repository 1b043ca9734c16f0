//! # coalesce-allocate
//!
//! The allocation engine of coalesce: it matches members' **offers** to a
//! partner's **requirements** and proposes the assignment that delivers the
//! most, weighted by priority, and among those the cheapest (lead time,
//! distance class, splitting penalty). The unmet remainder of each
//! requirement is its **gap**; what no requirement needs is **surplus**
//! (over-commitment, duplication). Every match and every gap is explained.
//!
//! The problem is solved **exactly** as one minimum-cost flow by a primal
//! network simplex ([`simplex`]) with integer (`i64`) data; there is no
//! heuristic anywhere. The same solver reads and writes DIMACS min-cost flow
//! files ([`dimacs`]).
//!
//! Entry points:
//! - [`allocate`]: [`Problem`] -> [`Allocation`] (assignments, gaps,
//!   surplus, explanations); [`allocate_with`] the same under a
//!   [`Control`] (a bound on its size, progress, cancellation).
//! - [`solve_dimacs`]: DIMACS text -> DIMACS solution text.
//! - [`min_cost_flow`]: the raw solver.
//!
//! What this crate must never do: **no IO** (no files, network, environment,
//! clock or threads: inputs come in as values and `&str`, results go out as
//! values and `String`), no async, no `unsafe`, and never panic on any input:
//! bad input is an `Err` naming the record or the line.

pub mod dimacs;
pub mod gen;
pub mod model;
pub mod simplex;

pub use dimacs::{parse_dimacs, solve_dimacs, write_dimacs, DimacsError};
pub use model::{
    allocate, allocate_with, flow_network, AllocateError, Allocation, Assignment, Control,
    CostModel, Day, Gap, GapReason, IdList, MatchWhy, Offer, OfferOutcome, PlaceOption, Priority,
    Problem, Requirement, RequirementOutcome, Restriction, Stage, TakenBy, UnitCost, UnitMismatch,
    Window,
};
pub use simplex::{
    min_cost_flow, min_cost_flow_watched, Arc, FlowError, FlowProblem, FlowSolution,
};
