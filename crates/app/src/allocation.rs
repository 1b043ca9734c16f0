//! Allocation in the product (issue 5): the coordinator's open requirements
//! and standalone pledges (only what it may read) become an instance of the
//! pure engine (`coalesce-allocate`); its optimal proposals, with their
//! explanations and the gaps' reasons, are kept by the store.
//!
//! The mapping, in one place:
//! - a requirement's *open need* is its gap (requested − committed −
//!   delivered, over the contributions the coordinator may read) less what is
//!   already pledged against it; requirements with none are left out;
//! - an offer is a pledged contribution not against any requirement;
//! - offers and requirements match only within one item category *and*
//!   unit or currency (the engine's category is `category|kind|unit`);
//! - places: an offer delivers to every requirement place in its country
//!   that its first-level area and town (when it names them) agree with;
//!   distance class 0 for the same town, 1 within the same area, 2 within
//!   the country;
//! - windows must overlap; the offer's line of effort is a donor
//!   restriction (it gives for that line only); priority 1–5 is the
//!   engine's rank.

use crate::wire::rfc3339;
use crate::ApiError;
use axum::http::StatusCode;
use coalesce_allocate as engine;
use coalesce_domain::needs::{Contribution, Place, Window};
use coalesce_store::allocation::{NewProposal, NewRun};
use coalesce_store::allocation::{Proposal, Run};
use coalesce_store::picture::RequirementFigures;
use coalesce_store::{Principal, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Where a requirement is, as the engine's place key.
fn place_key(p: &Place) -> String {
    format!(
        "{}/{}/{}",
        p.country,
        p.admin1.as_ref().map(|a| a.pcode.as_str()).unwrap_or(""),
        p.town.as_deref().unwrap_or("").trim().to_lowercase()
    )
}

/// The distance class from an offer's place to a requirement's, if the
/// offer can deliver there.
fn distance(offer: &Place, need: &Place) -> Option<u32> {
    if offer.country != need.country {
        return None;
    }
    match (&offer.admin1, &need.admin1) {
        (Some(a), Some(b)) if !a.pcode.eq_ignore_ascii_case(&b.pcode) => return None,
        (Some(_), None) => return None,
        _ => {}
    }
    match (&offer.town, &need.town) {
        (Some(a), Some(b)) if a.trim().eq_ignore_ascii_case(b.trim()) => Some(0),
        (Some(_), _) => None,
        (None, _) if offer.admin1.is_some() => Some(1),
        (None, _) => Some(2),
    }
}

fn window(w: &Window) -> Option<engine::Window> {
    Some(engine::Window {
        start: engine::Day::parse(&w.start).ok()?,
        end: engine::Day::parse(&w.end).ok()?,
    })
}

fn category_key(category: &str, kind: &str, unit: &str) -> String {
    format!("{category}|{kind}|{unit}")
}

/// The engine's instance for these requirements and offers. Records the
/// engine cannot take (no place or window kept, an unknown priority) are
/// left out and counted in `skipped`.
pub fn problem_of(
    requirements: &[RequirementFigures],
    offers: &[Contribution],
) -> (engine::Problem, usize) {
    let mut skipped = 0;
    let mut reqs = Vec::new();
    let mut places: BTreeMap<String, Place> = BTreeMap::new();
    for f in requirements {
        let r = &f.requirement;
        let open = f.summary.gap.saturating_sub(f.summary.pledged);
        if open <= 0 {
            continue;
        }
        let (Some(w), Ok(rank)) = (window(&r.window), u8::try_from(r.priority)) else {
            skipped += 1;
            continue;
        };
        let key = place_key(&r.place);
        places.insert(key.clone(), r.place.clone());
        reqs.push(engine::Requirement {
            id: r.id.clone(),
            category: category_key(&r.category, r.measure.kind(), r.measure.unit()),
            quantity: open,
            unit: r.measure.unit().to_string(),
            place: key,
            window: w,
            priority: engine::Priority::Rank(rank),
            recipient: r.requesting_member.clone(),
            line_of_effort: r.line_of_effort.clone(),
        });
    }
    let mut offs = Vec::new();
    for c in offers {
        let (Some(place), Some(w)) = (&c.place, c.window.as_ref().and_then(window)) else {
            skipped += 1;
            continue;
        };
        let deliver_to: Vec<engine::PlaceOption> = places
            .iter()
            .filter_map(|(key, need)| {
                distance(place, need).map(|d| engine::PlaceOption {
                    place: key.clone(),
                    distance_class: d,
                })
            })
            .collect();
        offs.push(engine::Offer {
            id: c.id.clone(),
            member: c.origin.clone(),
            category: category_key(&c.category, c.measure.kind(), c.measure.unit()),
            quantity: c.measure.amount(),
            unit: c.measure.unit().to_string(),
            deliver_to,
            window: w,
            restrictions: vec![engine::Restriction::OnlyLineOfEffort(
                c.line_of_effort.clone(),
            )],
        });
    }
    (
        engine::Problem {
            requirements: reqs,
            offers: offs,
            costs: engine::CostModel::default(),
        },
        skipped,
    )
}

/// How the engine's explanations name records: offers and requirements by
/// their titles (the engine adds the offering member), categories without
/// their unit suffix — instead of ids a reader cannot place.
pub fn labels(
    requirements: &[RequirementFigures],
    offers: &[Contribution],
) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for f in requirements {
        let r = &f.requirement;
        names.insert(r.id.clone(), format!("\"{}\"", r.title));
        names.insert(
            category_key(&r.category, r.measure.kind(), r.measure.unit()),
            r.category.clone(),
        );
    }
    for c in offers {
        names.insert(c.id.clone(), format!("\"{}\"", c.title));
    }
    names
}

fn relabel(text: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    // Longest keys first, so that no key is replaced inside a longer one.
    let mut keys: Vec<(&String, &String)> = names.iter().collect();
    keys.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    for (k, v) in keys {
        if out.contains(k.as_str()) {
            out = out.replace(k.as_str(), v);
        }
    }
    out
}

/// Runs the engine and shapes its answer for the store; explanations name
/// records by `names` (see [`labels`]).
pub fn run(
    problem: &engine::Problem,
    names: &BTreeMap<String, String>,
) -> Result<NewRun, engine::AllocateError> {
    let a = engine::allocate(problem)?;
    let gaps: Vec<serde_json::Value> = a
        .gaps
        .iter()
        .map(|g| {
            serde_json::json!({
                "requirement": g.requirement, "requested": g.requested, "proposed": g.delivered,
                "missing": g.missing, "unit": g.unit,
                "why": g.why.iter().map(|w| relabel(&w.to_string(), names)).collect::<Vec<_>>(),
                "explanation": relabel(&g.to_string(), names),
            })
        })
        .collect();
    Ok(NewRun {
        requirements: problem.requirements.len() as i64,
        offers: problem.offers.len() as i64,
        compatible_pairs: a.compatible_pairs as i64,
        requested: a.requirements.iter().map(|r| r.requested).sum(),
        proposed: a.requirements.iter().map(|r| r.delivered).sum(),
        gaps: serde_json::Value::Array(gaps),
        surplus: serde_json::Value::Array(
            a.offers
                .iter()
                .filter(|o| o.surplus > 0)
                .map(|o| {
                    serde_json::json!({
                        "offer": o.offer, "offered": o.offered, "allocated": o.allocated,
                        "surplus": o.surplus,
                    })
                })
                .collect(),
        ),
        proposals: a
            .assignments
            .iter()
            .map(|x| NewProposal {
                contribution_id: x.offer.clone(),
                requirement_id: x.requirement.clone(),
                amount: x.quantity,
                explanation: relabel(&x.to_string(), names),
            })
            .collect(),
    })
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProposalOut {
    pub id: String,
    pub run_id: String,
    /// The offer: a standalone pledge, and its member.
    pub contribution_id: String,
    pub offer_member: String,
    pub offer_title: String,
    pub requirement_id: String,
    pub requirement_title: String,
    /// How much of the offer goes to the requirement (in the requirement's
    /// unit, or minor units of its currency).
    pub amount: i64,
    pub kind: String,
    pub unit: String,
    /// Why this offer goes there: compatibility, priority weight, unit cost.
    pub explanation: String,
    /// `proposed`, `accepted`, `rejected` or `committed`.
    pub status: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    /// The committed contribution an accepted proposal became.
    pub committed_contribution_id: Option<String>,
}

impl From<Proposal> for ProposalOut {
    fn from(p: Proposal) -> Self {
        ProposalOut {
            id: p.id,
            run_id: p.run_id,
            contribution_id: p.contribution_id,
            offer_member: p.offer_member,
            offer_title: p.offer_title,
            requirement_id: p.requirement_id,
            requirement_title: p.requirement_title,
            amount: p.amount,
            kind: p.kind,
            unit: p.unit,
            explanation: p.explanation,
            status: p.status,
            decided_at: p.decided_at_ms.map(rfc3339),
            decided_by: p.decided_by,
            reason: p.reason,
            committed_contribution_id: p.committed_contribution_id,
        }
    }
}

/// A run: what went in, what is proposed, and why each gap remains.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RunOut {
    pub id: String,
    pub member: String,
    pub run_at: String,
    pub run_by: String,
    /// Open requirements and standalone offers taken in.
    pub requirements: i64,
    pub offers: i64,
    /// Null when the run took in records you may no longer read.
    pub compatible_pairs: Option<i64>,
    /// The sum of the open needs, and of what the proposals would cover.
    pub requested: i64,
    pub proposed: i64,
    /// Requirements left (partly) unmet, each with `explanation` and `why`.
    #[schema(value_type = Vec<Object>)]
    pub gaps: serde_json::Value,
    /// Offers the open needs did not (fully) take: `offer`, `offered`,
    /// `allocated`, `surplus` (offered = allocated + surplus).
    #[schema(value_type = Vec<Object>)]
    pub surplus: serde_json::Value,
    /// The proposals you may read (offer and requirement both releasable to you).
    pub proposals: Vec<ProposalOut>,
}

pub async fn run_out(store: &Store, p: &Principal, run: Run) -> Result<RunOut, ApiError> {
    let proposals = store
        .list_proposals(p, Some(&run.id), false)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(RunOut {
        id: run.id,
        member: run.member,
        run_at: rfc3339(run.run_at_ms),
        run_by: run.run_by,
        requirements: run.requirements,
        offers: run.offers,
        compatible_pairs: run.compatible_pairs,
        requested: run.requested,
        proposed: run.proposed,
        gaps: run.gaps,
        surplus: run.surplus,
        proposals,
    })
}

/// Runs the engine over the caller's open requirements and standalone
/// pledges and keeps the run (shared with the web page).
pub async fn run_allocation(store: &Store, p: &Principal) -> Result<RunOut, ApiError> {
    let (requirements, offers) = store.allocation_candidates(p).await?;
    let (problem, _skipped) = problem_of(&requirements, &offers);
    let names = labels(&requirements, &offers);
    // The engine is pure CPU work: keep it off the async workers.
    let new_run = tokio::task::spawn_blocking(move || run(&problem, &names))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "allocation_failed",
                e.to_string(),
            )
        })?;
    let run = store.save_allocation_run(p, &new_run).await?;
    run_out(store, p, run).await
}

/// The caller's member's latest run, if any (shared with the web page).
pub async fn latest_run(store: &Store, p: &Principal) -> Result<Option<RunOut>, ApiError> {
    match store.latest_allocation_run(p).await? {
        Some(run) => Ok(Some(run_out(store, p, run).await?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coalesce_domain::needs::AdminArea;

    fn place(country: &str, admin1: Option<&str>, town: Option<&str>) -> Place {
        Place::parse(
            country,
            admin1.map(|c| AdminArea::parse("Area", c).expect("area")),
            town,
            None,
        )
        .expect("place")
    }

    #[test]
    fn offers_deliver_within_what_they_name() {
        let need = place("IRQ", Some("IQG16"), Some("Tikrit"));
        assert_eq!(
            distance(&place("IRQ", Some("IQG16"), Some("tikrit")), &need),
            Some(0)
        );
        assert_eq!(distance(&place("IRQ", Some("IQG16"), None), &need), Some(1));
        assert_eq!(distance(&place("IRQ", None, None), &need), Some(2));
        assert_eq!(distance(&place("IRQ", Some("IQG08"), None), &need), None);
        assert_eq!(distance(&place("IRQ", None, Some("Mosul")), &need), None);
        assert_eq!(distance(&place("SYR", None, None), &need), None);
        // An offer for one area does not serve a need stated for the whole country.
        assert_eq!(
            distance(
                &place("IRQ", Some("IQG16"), None),
                &place("IRQ", None, None)
            ),
            None
        );
    }
}
