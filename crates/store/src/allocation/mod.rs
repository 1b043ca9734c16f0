//! Allocation in the product (issue 5): what a coordinator's run of the
//! engine keeps, and the proposal lifecycle
//! proposed → accepted | rejected, accepted → committed.
//!
//! Ownership holds: a coordinator accepts or rejects a proposal (a record of
//! its own member's run), but only the offering member's users commit an
//! accepted proposal, which splits their standalone pledge: the proposed
//! amount becomes a committed contribution against the requirement, and the
//! pledge keeps the rest (or is closed when nothing is left).
//!
//! Releasability: a run is a marked record of its member (TLP:AMBER, no
//! REL TO), read through [`crate::audience::readable`]; what it says about
//! requirements and offers — gaps, surplus, totals — is shown only for those
//! its reader may read when it reads the run (a requirement narrowed since
//! drops out). A proposal is read only by users who may read both its offer
//! and its requirement.
//!
//! The module is split by seam: `candidates` builds the problem a run takes
//! in from the database, `runs` keeps, projects and reads runs, `proposals`
//! holds the decisions on proposals and their commitment, and `legacy` the
//! move of runs made before the record layer (used by migrations).

mod candidates;
mod legacy;
mod proposals;
mod runs;

pub(crate) use legacy::move_legacy_runs;
pub(crate) use runs::project_runs;

use crate::{Principal, Result, StoreError};
use coalesce_domain::Role;
use serde::Serialize;
use sqlx::Row;

/// A proposed match as the engine made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub contribution_id: String,
    pub requirement_id: String,
    pub amount: i64,
    pub explanation: String,
}

/// A run as the engine made it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRun {
    pub requirements: i64,
    pub offers: i64,
    pub compatible_pairs: i64,
    pub requested: i64,
    pub proposed: i64,
    /// The engine's gaps with their reasons (JSON).
    pub gaps: serde_json::Value,
    /// Offers the open needs did not (fully) take (JSON).
    pub surplus: serde_json::Value,
    pub proposals: Vec<NewProposal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub id: String,
    pub member: String,
    pub run_at_ms: i64,
    pub run_by: String,
    pub requirements: i64,
    pub offers: i64,
    /// `None` when the run took in records its reader may not read now.
    pub compatible_pairs: Option<i64>,
    pub requested: i64,
    pub proposed: i64,
    pub gaps: serde_json::Value,
    pub surplus: serde_json::Value,
}

/// The marking of every allocation run: its member's alone.
fn run_marking() -> coalesce_domain::Marking {
    coalesce_domain::Marking {
        tlp: coalesce_domain::Tlp::Amber,
        rel_to: Default::default(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub id: String,
    pub run_id: String,
    pub seq: i64,
    pub contribution_id: String,
    /// The offering member (the contribution's origin).
    pub offer_member: String,
    pub offer_title: String,
    pub requirement_id: String,
    pub requirement_title: String,
    pub amount: i64,
    /// `quantity` or `money`, and the unit or currency (the requirement's).
    pub kind: String,
    pub unit: String,
    pub explanation: String,
    /// `proposed`, `accepted`, `rejected` or `committed`.
    pub status: String,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub committed_contribution_id: Option<String>,
}

/// A coordinator's decision on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Reject,
}

const MAX_REASON: usize = 2_000;
/// The most requirements and offers one run takes in.
pub const MAX_RUN_RECORDS: i64 = 100_000;

const PROPOSAL_COLUMNS: &str = "ap.id, ap.run_id, ap.seq, ap.contribution_id, c.origin AS offer_member, c.title AS offer_title, \
     ap.requirement_id, r.title AS requirement_title, ap.amount, r.kind, r.unit, ap.explanation, ap.status, \
     ap.decided_at, ap.decided_by, ap.reason, ap.committed_contribution_id";

fn proposal_from_row(r: &sqlx::any::AnyRow) -> Result<Proposal> {
    Ok(Proposal {
        id: r.try_get("id")?,
        run_id: r.try_get("run_id")?,
        seq: r.try_get("seq")?,
        contribution_id: r.try_get("contribution_id")?,
        offer_member: r.try_get("offer_member")?,
        offer_title: r.try_get("offer_title")?,
        requirement_id: r.try_get("requirement_id")?,
        requirement_title: r.try_get("requirement_title")?,
        amount: r.try_get("amount")?,
        kind: r.try_get("kind")?,
        unit: r.try_get("unit")?,
        explanation: r.try_get("explanation")?,
        status: r.try_get("status")?,
        decided_at_ms: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
        reason: r.try_get("reason")?,
        committed_contribution_id: r.try_get("committed_contribution_id")?,
    })
}

const RUN_COLUMNS: &str =
    "x.id, x.member, x.run_at, x.run_by, x.requirements, x.offers, x.compatible_pairs, \
     x.requested, x.proposed, x.gaps, x.surplus";

fn run_from_row(r: &sqlx::any::AnyRow) -> Result<Run> {
    Ok(Run {
        id: r.try_get("id")?,
        member: r.try_get("member")?,
        run_at_ms: r.try_get("run_at")?,
        run_by: r.try_get("run_by")?,
        requirements: r.try_get("requirements")?,
        offers: r.try_get("offers")?,
        compatible_pairs: Some(r.try_get("compatible_pairs")?),
        requested: r.try_get("requested")?,
        proposed: r.try_get("proposed")?,
        gaps: serde_json::from_str(&r.try_get::<String, _>("gaps")?)
            .map_err(|e| StoreError::Corrupt(format!("gaps column: {e}")))?,
        surplus: serde_json::from_str(&r.try_get::<String, _>("surplus")?)
            .map_err(|e| StoreError::Corrupt(format!("surplus column: {e}")))?,
    })
}

/// Only coordinators run allocations and decide on proposals.
pub fn coordinator(p: &Principal) -> Result<()> {
    if p.role < Role::Coordinator {
        return Err(StoreError::Forbidden(
            "only coordinators run allocations and decide on proposals".into(),
        ));
    }
    Ok(())
}
