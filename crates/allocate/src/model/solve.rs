//! Solver glue: the min-cost flow network of a problem, solving it, and the
//! explanation of every gap.

use super::compat::{Indexed, Mismatch};
use super::validate::validate;
use super::{
    AllocateError, Allocation, Assignment, Control, Gap, GapReason, IdList, MatchWhy, OfferOutcome,
    Problem, RequirementOutcome, Stage, TakenBy, UnitCost, Window, LIST_CAP,
};
use crate::simplex::{min_cost_flow_watched, FlowError, FlowProblem};

/// The min-cost flow network [`allocate`] solves: nodes are the offers (in
/// input order, supply = quantity), then the requirements (demand =
/// quantity), then one dummy node; arcs are the compatible pairs (offer-major
/// order), then one surplus arc per offer (offer -> dummy, cost 0), then one
/// slack arc per requirement (dummy -> requirement, cost weight x M).
pub fn flow_network(problem: &Problem) -> Result<FlowProblem, AllocateError> {
    Ok(build(problem, &Control::unlimited())?.2)
}

type Pairs = Vec<(u32, u32, UnitCost)>;

/// How many offers pass between two calls of the watch while pairs are found.
const OFFERS_PER_WATCH: usize = 1024;

fn build<'p>(
    problem: &'p Problem,
    control: &Control,
) -> Result<(Indexed<'p>, Pairs, FlowProblem), AllocateError> {
    validate(problem)?;
    let ix = Indexed::new(problem);
    let no = problem.offers.len();
    let nr = problem.requirements.len();
    let dummy = no + nr;

    // Compatible pairs, grouped by offer.
    let mut pairs: Pairs = Vec::new();
    for (o, &cat) in ix.offer_cat.iter().enumerate() {
        if o % OFFERS_PER_WATCH == 0
            && (control.watch)(Stage::Pairs {
                done: o,
                of: no,
                pairs: pairs.len(),
            })
        {
            return Err(AllocateError::Cancelled);
        }
        if pairs.len() > control.max_pairs {
            return Err(AllocateError::TooManyPairs {
                limit: control.max_pairs,
            });
        }
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
    if pairs.len() > control.max_pairs {
        return Err(AllocateError::TooManyPairs {
            limit: control.max_pairs,
        });
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
    allocate_with(problem, &Control::unlimited())
}

/// [`allocate`] under `control`: at most `control.max_pairs` compatible
/// pairs, its watch told how far the run is and able to stop it.
pub fn allocate_with(problem: &Problem, control: &Control) -> Result<Allocation, AllocateError> {
    let (ix, pairs, net) = build(problem, control)?;
    let no = problem.offers.len();
    let nr = problem.requirements.len();
    let sol = match min_cost_flow_watched(&net, &|pivots| (control.watch)(Stage::Solve { pivots }))
    {
        Err(FlowError::Cancelled) => return Err(AllocateError::Cancelled),
        other => other?,
    };
    if (control.watch)(Stage::Explain) {
        return Err(AllocateError::Cancelled);
    }

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
