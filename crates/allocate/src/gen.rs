//! Deterministic instance generators for tests and benchmarks (no IO, no
//! randomness source other than the seed).

use crate::model::{
    CostModel, Day, Offer, PlaceOption, Priority, Problem, Requirement, Restriction, Window,
};
use crate::simplex::FlowProblem;

/// A small, fast, seedable PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi` (`lo <= hi`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }
    /// Uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }
}

const CATEGORIES: &[&str] = &[
    "tents",
    "blankets",
    "food-rations",
    "water-purification",
    "medical-kits",
    "generators",
    "protective-vests",
    "helmets",
    "night-vision",
    "radios",
    "mine-detectors",
    "vehicles",
];
const PLACES_NAMED: &[&str] = &[
    "Erbil",
    "Baghdad",
    "Amerli",
    "Kirkuk",
    "Mosul",
    "Dohuk",
    "Sulaymaniyah",
    "Ramadi",
    "Tikrit",
    "Basra",
    "Amman",
    "Ankara",
];
const MEMBERS: &[&str] = &[
    "USA", "GBR", "FRA", "DEU", "CAN", "AUS", "TUR", "ITA", "POL", "DNK", "NLD", "BEL", "NOR",
    "ESP", "JPN", "KOR", "SAU", "ARE", "QAT", "JOR", "EU", "NATO",
];
const RECIPIENTS: &[&str] = &[
    "IRQ-MOD", "IRQ-MOI", "KRG", "UNDP", "UNHCR", "WFP", "ICRC", "IOM",
];
const LINES: &[&str] = &[
    "military-support",
    "foreign-fighters",
    "financing",
    "counter-messaging",
    "stabilisation",
];

/// A realistic allocation instance: `offers` offers and `requirements`
/// requirements over categories, places (on a grid, distance class from
/// the grid distance), members, recipients, lines of effort and one year of
/// windows, with about `target_pairs` compatible (offer, requirement) pairs.
/// Total offered and requested quantities are similar, so the optimum has
/// both gaps and surplus.
pub fn realistic(offers: usize, requirements: usize, target_pairs: usize, seed: u64) -> Problem {
    let mut rng = Rng::new(seed);
    let cells = (offers * requirements).max(1) as f64;
    let density = (target_pairs as f64 / cells).clamp(1e-9, 1.0);
    // P(window overlap) ~ 0.5, P(place reachable) ~ 0.5, restrictions ~ 0.95.
    let n_cat = ((0.27 / density).round() as usize).max(1);
    let n_places = 40usize;
    let reach = 20usize;
    let place_name = |i: usize| {
        if i < PLACES_NAMED.len() {
            PLACES_NAMED[i].to_string()
        } else {
            format!("place-{i}")
        }
    };
    let cat_name = |i: usize| {
        if i < CATEGORIES.len() {
            CATEGORIES[i].to_string()
        } else {
            format!("category-{i}")
        }
    };
    let coords: Vec<(i64, i64)> = (0..n_places)
        .map(|_| (rng.range(0, 20), rng.range(0, 20)))
        .collect();
    let base = Day::from_ymd(2015, 1, 1).map_or(16436, |d| d.0);
    let reqs: Vec<Requirement> = (0..requirements)
        .map(|i| {
            let len = rng.range(14, 100) as i32;
            let start = base + rng.range(0, 365 - i64::from(len)) as i32;
            Requirement {
                id: format!("R{i}"),
                category: cat_name(rng.below(n_cat)),
                quantity: rng.range(1, 500),
                unit: "pcs".into(),
                place: place_name(rng.below(n_places)),
                window: Window::days(start, start + len),
                priority: Priority::Rank(rng.range(1, 5) as u8),
                recipient: RECIPIENTS[rng.below(RECIPIENTS.len())].into(),
                line_of_effort: LINES[rng.below(LINES.len())].into(),
            }
        })
        .collect();
    let offs: Vec<Offer> = (0..offers)
        .map(|i| {
            let len = rng.range(60, 200) as i32;
            let start = base + rng.range(0, 365 - i64::from(len)) as i32;
            let home = rng.below(n_places);
            let mut idx: Vec<usize> = (0..n_places).collect();
            for k in 0..reach {
                let j = k + rng.below(n_places - k);
                idx.swap(k, j);
            }
            let deliver_to = idx[..reach]
                .iter()
                .map(|&p| {
                    let (a, b) = (coords[home], coords[p]);
                    let d = (a.0 - b.0).abs() + (a.1 - b.1).abs();
                    PlaceOption {
                        place: place_name(p),
                        distance_class: (d / 8) as u32,
                    }
                })
                .collect();
            let mut restrictions = Vec::new();
            if rng.chance(0.03) {
                restrictions.push(Restriction::OnlyRecipient(
                    RECIPIENTS[rng.below(RECIPIENTS.len())].into(),
                ));
            }
            if rng.chance(0.03) {
                restrictions.push(Restriction::OnlyLineOfEffort(
                    LINES[rng.below(LINES.len())].into(),
                ));
            }
            Offer {
                id: format!("O{i}"),
                member: MEMBERS[rng.below(MEMBERS.len())].into(),
                category: cat_name(rng.below(n_cat)),
                quantity: rng.range(1, 500),
                unit: "pcs".into(),
                deliver_to,
                window: Window::days(start, start + len),
                restrictions,
            }
        })
        .collect();
    Problem {
        requirements: reqs,
        offers: offs,
        costs: CostModel::default(),
    }
}

/// Parameters of a NETGEN-style random min-cost flow instance.
#[derive(Debug, Clone, Copy)]
pub struct NetgenParams {
    /// Nodes.
    pub nodes: usize,
    /// Arcs (at least the skeleton's; more are random).
    pub arcs: usize,
    /// Source nodes.
    pub sources: usize,
    /// Sink nodes.
    pub sinks: usize,
    /// Total supply.
    pub supply: i64,
    /// Costs are uniform in `min_cost..=max_cost`.
    pub min_cost: i64,
    /// See `min_cost`.
    pub max_cost: i64,
    /// Capacities of random arcs are uniform in `min_cap..=max_cap`.
    pub min_cap: i64,
    /// See `min_cap`.
    pub max_cap: i64,
    /// Fraction of skeleton arcs given a positive lower bound.
    pub lower_bound_fraction: f64,
}

/// A NETGEN-style instance: sources, sinks and transshipment nodes; a
/// skeleton of paths from each source through random transshipment nodes to
/// random sinks that can carry all supply (so the instance is feasible, also
/// with the lower bounds put on skeleton arcs), plus random arcs with random
/// costs and capacities.
pub fn netgen(p: NetgenParams, seed: u64) -> FlowProblem {
    let mut rng = Rng::new(seed);
    let n = p.nodes.max(2);
    let sources = p.sources.clamp(1, n - 1);
    let sinks = p.sinks.clamp(1, n - sources);
    let trans: Vec<usize> = (sources..n - sinks).collect();
    let mut fp = FlowProblem::new(n);
    // Split supply among sources.
    let mut left = p.supply.max(0);
    for s in 0..sources {
        let share = if s + 1 == sources {
            left
        } else {
            rng.range(0, left / (sources - s) as i64 * 2).min(left)
        };
        left -= share;
        fp.supply[s] = share;
        // Skeleton path: source -> a few transshipment nodes -> one sink.
        let hops = if trans.is_empty() {
            0
        } else {
            rng.range(1, 4) as usize
        };
        let mut at = s;
        let sink = n - sinks + rng.below(sinks);
        for _ in 0..hops {
            let next = trans[rng.below(trans.len())];
            if next == at {
                continue;
            }
            let low = if rng.chance(p.lower_bound_fraction) {
                rng.range(0, share / 2)
            } else {
                0
            };
            fp.add_arc(
                at,
                next,
                low,
                share + rng.range(0, p.max_cap),
                rng.range(p.min_cost, p.max_cost),
            );
            at = next;
        }
        fp.add_arc(
            at,
            sink,
            0,
            share + rng.range(0, p.max_cap),
            rng.range(p.min_cost, p.max_cost),
        );
        fp.supply[sink] -= share;
    }
    while fp.arcs.len() < p.arcs {
        let a = rng.below(n);
        let b = rng.below(n);
        if a == b {
            continue;
        }
        fp.add_arc(
            a,
            b,
            0,
            rng.range(p.min_cap, p.max_cap),
            rng.range(p.min_cost, p.max_cost),
        );
    }
    fp
}

/// A small random min-cost flow problem for property tests: random supplies
/// (balanced unless `unbalance` is non-zero), random arcs with lower bounds,
/// possibly infeasible.
pub fn small_random(
    rng: &mut Rng,
    max_nodes: usize,
    max_arcs: usize,
    unbalance: i64,
) -> FlowProblem {
    let n = rng.range(1, max_nodes.max(1) as i64) as usize;
    let m = rng.range(0, max_arcs as i64) as usize;
    let mut fp = FlowProblem::new(n);
    for _ in 0..n {
        let a = rng.below(n);
        let b = rng.below(n);
        let q = rng.range(0, 8);
        fp.supply[a] += q;
        fp.supply[b] -= q;
    }
    fp.supply[0] += unbalance;
    for _ in 0..m {
        let a = rng.below(n);
        let b = rng.below(n);
        let low = if rng.chance(0.2) { rng.range(0, 3) } else { 0 };
        let cap = low + rng.range(0, 10);
        fp.add_arc(a, b, low, cap, rng.range(-5, 20));
    }
    fp
}
