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

use crate::jobs::{ms_since, JobHandle, JobOut};
use crate::wire::rfc3339;
use crate::ApiError;
use crate::AppState;
use axum::http::StatusCode;
use coalesce_allocate as engine;
use coalesce_domain::needs::{Contribution, Place, Window};
use coalesce_store::allocation::{NewProposal, NewRun};
use coalesce_store::allocation::{Proposal, Run};
use coalesce_store::picture::RequirementFigures;
use coalesce_store::{Principal, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;
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

/// The places of the requirements, indexed by category and country, then
/// by town or area, so that an offer finds the places it can deliver to
/// without looking at every other place: offers x places would make a run
/// quadratic in the number of records.
#[derive(Default)]
struct PlaceIndex {
    places: Vec<(String, Place)>,
    seen: HashMap<(String, String), usize>,
    by_country: HashMap<(String, String), Vec<usize>>,
    by_area: HashMap<(String, String, String), Vec<usize>>,
    by_town: HashMap<(String, String, String), Vec<usize>>,
}

impl PlaceIndex {
    /// Adds `place` (its key `key`) as a place of a requirement in `category`.
    fn add(&mut self, category: &str, key: &str, place: &Place) {
        let k = (category.to_string(), key.to_string());
        if self.seen.contains_key(&k) {
            return;
        }
        let i = self.places.len();
        self.seen.insert(k, i);
        self.places.push((key.to_string(), place.clone()));
        let country = place.country.clone();
        self.by_country
            .entry((category.to_string(), country.clone()))
            .or_default()
            .push(i);
        if let Some(a) = &place.admin1 {
            self.by_area
                .entry((
                    category.to_string(),
                    country.clone(),
                    a.pcode.to_uppercase(),
                ))
                .or_default()
                .push(i);
        }
        if let Some(t) = &place.town {
            self.by_town
                .entry((category.to_string(), country, t.trim().to_lowercase()))
                .or_default()
                .push(i);
        }
    }

    /// Where an offer at `at` in `category` can deliver, with the distance
    /// classes: the candidates of its most precise part, then [`distance`]
    /// decides, as it would over every place.
    fn deliver_to(&self, category: &str, at: &Place) -> Vec<engine::PlaceOption> {
        let cat = category.to_string();
        let candidates = match (&at.town, &at.admin1) {
            (Some(t), _) => self
                .by_town
                .get(&(cat, at.country.clone(), t.trim().to_lowercase())),
            (None, Some(a)) => self
                .by_area
                .get(&(cat, at.country.clone(), a.pcode.to_uppercase())),
            (None, None) => self.by_country.get(&(cat, at.country.clone())),
        };
        candidates
            .into_iter()
            .flatten()
            .filter_map(|&i| {
                let (key, need) = &self.places[i];
                distance(at, need).map(|d| engine::PlaceOption {
                    place: key.clone(),
                    distance_class: d,
                })
            })
            .collect()
    }
}

/// The engine's instance for these requirements and offers. Records the
/// engine cannot take (no place or window kept, an unknown priority) are
/// left out and counted in `skipped`. Linear in the records and the places
/// each offer can deliver to.
pub fn problem_of(
    requirements: &[RequirementFigures],
    offers: &[Contribution],
) -> (engine::Problem, usize) {
    let mut skipped = 0;
    let mut reqs = Vec::new();
    let mut places = PlaceIndex::default();
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
        let category = category_key(&r.category, r.measure.kind(), r.measure.unit());
        places.add(&category, &key, &r.place);
        reqs.push(engine::Requirement {
            id: r.id.clone(),
            category,
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
        let category = category_key(&c.category, c.measure.kind(), c.measure.unit());
        offs.push(engine::Offer {
            id: c.id.clone(),
            member: c.origin.clone(),
            deliver_to: places.deliver_to(&category, place),
            category,
            quantity: c.measure.amount(),
            unit: c.measure.unit().to_string(),
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
/// their unit suffix — instead of ids a reader cannot place. One automaton
/// over every name, so that relabelling a text costs its length, not the
/// number of names.
pub struct Labels {
    matcher: Option<aho_corasick::AhoCorasick>,
    names: Vec<String>,
}

impl Labels {
    pub fn new(requirements: &[RequirementFigures], offers: &[Contribution]) -> Labels {
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
        let (keys, names): (Vec<String>, Vec<String>) = names.into_iter().unzip();
        // The longest key wins where keys overlap, so that no key is
        // replaced inside a longer one.
        let matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&keys)
            .ok();
        Labels { matcher, names }
    }

    /// `text` with every id and category key replaced by its name.
    pub fn relabel(&self, text: &str) -> String {
        match &self.matcher {
            Some(m) => m.replace_all(text, &self.names),
            None => text.to_string(),
        }
    }
}

/// The engine's answer `a` to `problem` shaped for the store;
/// explanations name records by `names` (see [`Labels`]).
pub fn shape(problem: &engine::Problem, a: &engine::Allocation, names: &Labels) -> NewRun {
    let gaps: Vec<serde_json::Value> = a
        .gaps
        .iter()
        .map(|g| {
            serde_json::json!({
                "requirement": g.requirement, "requested": g.requested, "proposed": g.delivered,
                "missing": g.missing, "unit": g.unit,
                "why": g.why.iter().map(|w| names.relabel(&w.to_string())).collect::<Vec<_>>(),
                "explanation": names.relabel(&g.to_string()),
            })
        })
        .collect();
    NewRun {
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
                explanation: names.relabel(&x.to_string()),
            })
            .collect(),
    }
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

/// The most compatible offer-requirement pairs an allocation run takes
/// unless configured otherwise (`coalesce serve --allocation-max-pairs`):
/// a run's memory and time grow with them (10,000 needs x 10,000 offers of
/// one kind make about a million).
pub const DEFAULT_MAX_PAIRS: usize = 5_000_000;

fn joined(e: tokio::task::JoinError) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
}

/// Starts an allocation run over `p`'s open requirements and standalone
/// pledges as a job (see [`crate::jobs`]); its result is the run's id.
/// Phases: `loading` (the database), `model` (the engine's instance),
/// `engine` (the engine alone: pairs, solve, explanations), `labels`
/// (explanations in names), `saving`.
pub fn start_allocation(st: &AppState, p: &Principal) -> Result<JobOut, ApiError> {
    coalesce_store::allocation::coordinator(p)?;
    let store = st.store.clone();
    let max_pairs = st.allocation_max_pairs;
    let who = p.clone();
    st.jobs.start("allocation", p, move |job| {
        allocate_and_save(store, who, max_pairs, job)
    })
}

/// An allocation run outside any job registry (the demo loader's): the
/// same work, nobody to watch or cancel it.
pub async fn run_allocation_now(store: &Store, p: &Principal) -> Result<RunOut, ApiError> {
    coalesce_store::allocation::coordinator(p)?;
    let job = JobHandle::detached("allocation", p);
    let id = allocate_and_save(store.clone(), p.clone(), DEFAULT_MAX_PAIRS, job).await?;
    let run = store.get_allocation_run(p, &id).await?;
    run_out(store, p, run).await
}

/// The work of an allocation job: load, model, engine, labels, save; the
/// run's id.
async fn allocate_and_save(
    store: Store,
    p: Principal,
    max_pairs: usize,
    job: JobHandle,
) -> Result<String, ApiError> {
    {
        let t = Instant::now();
        job.progress("loading", 0, None);
        let (requirements, offers) = store.allocation_candidates(&p).await?;
        job.phase("loading", ms_since(t));
        if job.stopped() {
            return Err(JobHandle::cancelled());
        }
        let watched = job.clone();
        let new_run = tokio::task::spawn_blocking(move || {
            let t = Instant::now();
            job.progress("model", 0, None);
            let (problem, _skipped) = problem_of(&requirements, &offers);
            let names = Labels::new(&requirements, &offers);
            drop((requirements, offers));
            job.phase("model", ms_since(t));
            let watch = |stage: engine::Stage| {
                match stage {
                    engine::Stage::Pairs { done, of, .. } => {
                        job.progress("pairs", done as u64, Some(of as u64))
                    }
                    engine::Stage::Solve { pivots } => job.progress("solving", pivots, None),
                    engine::Stage::Explain => job.progress("explaining", 0, None),
                }
                job.stopped()
            };
            let control = engine::Control {
                max_pairs,
                watch: &watch,
            };
            let t = Instant::now();
            let allocation = engine::allocate_with(&problem, &control);
            job.phase("engine", ms_since(t));
            let t = Instant::now();
            let out = allocation.map(|a| shape(&problem, &a, &names));
            job.phase("labels", ms_since(t));
            out
        })
        .await
        .map_err(joined)?
        .map_err(|e| match e {
            engine::AllocateError::Cancelled => JobHandle::cancelled(),
            engine::AllocateError::TooManyPairs { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "too_large", e.to_string())
            }
            e => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "allocation_failed",
                e.to_string(),
            ),
        })?;
        if watched.stopped() {
            return Err(JobHandle::cancelled());
        }
        let t = Instant::now();
        watched.progress("saving", 0, Some(new_run.proposals.len() as u64));
        let id = store.save_allocation_run(&p, &new_run).await?;
        watched.phase("saving", ms_since(t));
        Ok(id)
    }
}

/// Runs an allocation as a job and waits for it (the API's `POST
/// /allocations` without `Prefer: respond-async`); the job is cancelled
/// if the caller stops waiting (its client went away, its deadline passed).
pub async fn run_allocation(st: &AppState, p: &Principal) -> Result<RunOut, ApiError> {
    let job = start_allocation(st, p)?;
    let guard = st.jobs.cancel_on_drop(&job.id);
    let outcome = st.jobs.wait(&job.id).await;
    guard.disarm();
    let run = st.store.get_allocation_run(p, &outcome?).await?;
    run_out(&st.store, p, run).await
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
