//! Integration tests of coalesce-allocate: the solver against an independent
//! reference, the domain model, explanations and DIMACS.

use coalesce_allocate::gen::{self, Rng};
use coalesce_allocate::{
    allocate, flow_network, min_cost_flow, solve_dimacs, write_dimacs, AllocateError, Allocation,
    CostModel, Day, FlowError, FlowProblem, GapReason, Offer, PlaceOption, Priority, Problem,
    Requirement, Restriction, Window,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Reference solver: successive shortest paths with Bellman-Ford. Slow and
// simple; shares no code with the network simplex.
// ---------------------------------------------------------------------------

/// Optimal cost, or None if infeasible (unbalanced or no feasible flow).
fn reference_cost(p: &FlowProblem) -> Option<i128> {
    let n = p.supply.len();
    if p.supply.iter().map(|&s| i128::from(s)).sum::<i128>() != 0 {
        return None;
    }
    let mut excess: Vec<i64> = p.supply.clone();
    let mut base_cost: i128 = 0;
    // Residual graph: edges in pairs (e, e^1).
    let mut to: Vec<usize> = Vec::new();
    let mut cap: Vec<i64> = Vec::new();
    let mut cost: Vec<i64> = Vec::new();
    let mut from: Vec<usize> = Vec::new();
    let add = |from_: &mut Vec<usize>,
               a: usize,
               b: usize,
               c: i64,
               w: i64,
               to: &mut Vec<usize>,
               cap: &mut Vec<i64>,
               cost: &mut Vec<i64>| {
        from_.push(a);
        to.push(b);
        cap.push(c);
        cost.push(w);
        from_.push(b);
        to.push(a);
        cap.push(0);
        cost.push(-w);
    };
    for a in &p.arcs {
        // Send the lower bound, then saturate negative-cost arcs.
        let mut f = a.low;
        let mut residual = a.cap - a.low;
        if a.cost < 0 {
            f += residual;
            residual = 0;
        }
        base_cost += i128::from(f) * i128::from(a.cost);
        excess[a.from] -= f;
        excess[a.to] += f;
        add(
            &mut from, a.from, a.to, residual, a.cost, &mut to, &mut cap, &mut cost,
        );
        // Allow undoing the saturation of a negative arc.
        let idx = cap.len() - 1;
        cap[idx] = f - a.low;
    }
    let s = n;
    let t = n + 1;
    let mut need: i64 = 0;
    for (v, &e) in excess.iter().enumerate() {
        if e > 0 {
            add(&mut from, s, v, e, 0, &mut to, &mut cap, &mut cost);
            need += e;
        } else if e < 0 {
            add(&mut from, v, t, -e, 0, &mut to, &mut cap, &mut cost);
        }
    }
    let nn = n + 2;
    let mut total = base_cost;
    let mut sent = 0;
    loop {
        let mut dist = vec![i64::MAX; nn];
        let mut pred = vec![usize::MAX; nn];
        dist[s] = 0;
        for _ in 0..nn {
            let mut changed = false;
            for e in 0..to.len() {
                if cap[e] > 0 && dist[from[e]] != i64::MAX && dist[from[e]] + cost[e] < dist[to[e]]
                {
                    dist[to[e]] = dist[from[e]] + cost[e];
                    pred[to[e]] = e;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if dist[t] == i64::MAX {
            break;
        }
        let mut b = i64::MAX;
        let mut v = t;
        while v != s {
            let e = pred[v];
            b = b.min(cap[e]);
            v = from[e];
        }
        let mut v = t;
        while v != s {
            let e = pred[v];
            cap[e] -= b;
            cap[e ^ 1] += b;
            v = from[e];
        }
        total += i128::from(b) * i128::from(dist[t]);
        sent += b;
    }
    (sent == need).then_some(total)
}

fn check_flow(p: &FlowProblem, flow: &[i64], cost: i128) {
    let mut bal = p.supply.clone();
    let mut c: i128 = 0;
    for (a, &f) in p.arcs.iter().zip(flow) {
        assert!(
            a.low <= f && f <= a.cap,
            "flow {f} outside [{}, {}]",
            a.low,
            a.cap
        );
        bal[a.from] -= f;
        bal[a.to] += f;
        c += i128::from(f) * i128::from(a.cost);
    }
    assert!(bal.iter().all(|&b| b == 0), "flow not conserved: {bal:?}");
    assert_eq!(c, cost);
}

fn check_against_reference(p: &FlowProblem) {
    let got = min_cost_flow(p);
    let want = reference_cost(p);
    match (got, want) {
        (Ok(sol), Some(c)) => {
            assert_eq!(sol.cost, c, "cost differs on {p:?}");
            check_flow(p, &sol.flow, sol.cost);
        }
        (Err(FlowError::Infeasible | FlowError::Unbalanced(_)), None) => {}
        (got, want) => panic!("simplex {got:?} vs reference {want:?} on {p:?}"),
    }
}

fn arb_problem() -> impl Strategy<Value = FlowProblem> {
    (1usize..8).prop_flat_map(|n| {
        let supply = prop::collection::vec(-6i64..=6, n);
        let arcs = prop::collection::vec(
            (
                0..n,
                0..n,
                prop_oneof![3 => Just(0i64), 1 => 0i64..4],
                0i64..12,
                -6i64..25,
            ),
            0..20,
        );
        (supply, arcs, any::<bool>()).prop_map(move |(mut supply, arcs, balance)| {
            if balance {
                let s: i64 = supply.iter().sum();
                supply[0] -= s;
            }
            let mut fp = FlowProblem::new(n);
            fp.supply = supply;
            for (a, b, low, extra, cost) in arcs {
                fp.add_arc(a, b, low, low + extra, cost);
            }
            fp
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn simplex_matches_reference(p in arb_problem()) {
        check_against_reference(&p);
    }

    #[test]
    fn dimacs_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = solve_dimacs(&text);
    }

    #[test]
    fn dimacs_never_panics_on_mutations(
        p in arb_problem(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..6, any::<u8>()), 1..6),
    ) {
        let mut text: Vec<u8> = write_dimacs(&p, "mutated").into_bytes();
        for (at, op, byte) in edits {
            if text.is_empty() { break; }
            let i = at.index(text.len());
            let tokens: [&[u8]; 6] = [b"-", b"99999999999999999999", b" 7", b"\n", b"p min 3 1\n", b"a 1 1 0 1 1\n"];
            match op {
                0 => { text.remove(i); }
                1 => text[i] = byte,
                2 => { let t = tokens[usize::from(byte) % tokens.len()]; text.splice(i..i, t.iter().copied()); }
                3 => text.truncate(i),
                4 => text.insert(i, b"0123456789 -\n"[usize::from(byte) % 13]),
                _ => { let t = tokens[usize::from(byte) % tokens.len()]; text.extend_from_slice(t); }
            }
        }
        let text = String::from_utf8_lossy(&text);
        if let Ok(out) = solve_dimacs(&text) {
            prop_assert!(out.lines().any(|l| l.starts_with("s ")));
        }
    }
}

#[test]
fn simplex_matches_reference_on_generated_instances() {
    let mut rng = Rng::new(7);
    for i in 0..300 {
        let unbalance = if i % 10 == 0 { 1 } else { 0 };
        let p = gen::small_random(&mut rng, 12, 40, unbalance);
        check_against_reference(&p);
    }
}

#[test]
fn netgen_instances_are_feasible_and_match_reference() {
    for seed in 0..5 {
        let p = gen::netgen(
            gen::NetgenParams {
                nodes: 30,
                arcs: 120,
                sources: 4,
                sinks: 4,
                supply: 200,
                min_cost: 1,
                max_cost: 50,
                min_cap: 5,
                max_cap: 60,
                lower_bound_fraction: 0.5,
            },
            seed,
        );
        assert!(p.arcs.iter().any(|a| a.low > 0) || seed > 0);
        assert!(min_cost_flow(&p).is_ok());
        check_against_reference(&p);
    }
}

#[test]
fn solver_edge_cases() {
    // No nodes, no arcs.
    assert_eq!(min_cost_flow(&FlowProblem::new(0)).map(|s| s.cost), Ok(0));
    // Negative cycle with finite capacity is used fully.
    let mut p = FlowProblem::new(2);
    p.add_arc(0, 1, 0, 3, -2);
    p.add_arc(1, 0, 0, 5, 1);
    check_against_reference(&p);
    assert_eq!(min_cost_flow(&p).map(|s| s.cost), Ok(-3));
    // Negative self-loop.
    let mut p = FlowProblem::new(1);
    p.add_arc(0, 0, 1, 4, -1);
    assert_eq!(min_cost_flow(&p).map(|s| s.cost), Ok(-4));
    // Bad input is an error, not a panic.
    let mut p = FlowProblem::new(1);
    p.add_arc(0, 3, 0, 1, 1);
    assert!(matches!(
        min_cost_flow(&p),
        Err(FlowError::NodeOutOfRange { .. })
    ));
    let mut p = FlowProblem::new(2);
    p.add_arc(0, 1, 0, i64::MAX, i64::MAX);
    assert!(matches!(min_cost_flow(&p), Err(FlowError::TooLarge(_))));
}

// ---------------------------------------------------------------------------
// DIMACS
// ---------------------------------------------------------------------------

const SMALL: &str = "c a small instance
p min 4 5
n 1 4
n 4 -4
a 1 2 0 4 2
a 1 3 0 2 2
a 2 3 0 2 1
a 2 4 1 3 3
a 3 4 0 5 1
";

#[test]
fn dimacs_solves_small_instance() {
    let out = solve_dimacs(SMALL).expect("solves");
    let body: Vec<&str> = out.lines().filter(|l| !l.starts_with('c')).collect();
    // 2 units 1->3->4 (cost 3 each), 2 units 1->2 then 1 unit 2->3->4 (cost 4)
    // and 1 unit 2->4 (cost 5, lower bound 1): 6 + 4 + 5 = 15.
    assert_eq!(
        body,
        ["s 15", "f 1 2 2", "f 1 3 2", "f 2 3 1", "f 2 4 1", "f 3 4 3"]
    );
}

fn dimacs_err(input: &str) -> String {
    match solve_dimacs(input) {
        Ok(out) => panic!("expected an error, got {out}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn dimacs_errors_name_line_and_reason() {
    let cases: &[(&str, &str)] = &[
        (
            "p min 2 1\na 1 2 0 1 1\na 1 2 0 1 1\n",
            "line 3: more arcs than the 1 declared",
        ),
        (
            "p min 2 2\na 1 2 0 1 1\n",
            "line 2: p line declares 2 arcs but 1 were given",
        ),
        (
            "p min 2 1\na 1 3 0 1 1\n",
            "line 2: head node 3 out of range 1..=2",
        ),
        (
            "p min 2 1\nn 0 1\na 1 2 0 1 1\n",
            "line 2: node id 0 out of range",
        ),
        ("p min 2 1\na 1 2 0 -1 1\n", "line 2: negative capacity -1"),
        (
            "p min 2 1\na 1 2 5 3 1\n",
            "line 2: capacity 3 is below lower bound 5",
        ),
        (
            "c nothing\na 1 2 0 1 1\n",
            "line 2: a line before the p line",
        ),
        ("c nothing\n", "line 1: missing p line"),
        ("", "line 1: missing p line"),
        ("p min 2 0\np min 2 0\n", "line 2: duplicate p line"),
        ("p min 2 1\na 1 2 0 1 1 9\n", "line 2: a line needs"),
        (
            "p min 2 1\na 1 2 0 1 1\nxyz\n",
            "line 3: unknown line type 'xyz'",
        ),
        ("p max 2 1\n", "line 1: problem type 'max' is not 'min'"),
        (
            "p min 2 1\na 1 2 0 1 x\n",
            "line 2: cost 'x' is not an integer",
        ),
        (
            "p min 2 0\nn 1 1\nn 1 1\n",
            "line 3: node 1 described twice",
        ),
        (
            "p min 99999999999 0\n",
            "line 1: 99999999999 nodes is more than the limit",
        ),
        (
            "p min 2 1\na 1 2 -1 1 1\n",
            "line 2: negative lower bound -1",
        ),
    ];
    for (input, want) in cases {
        let got = dimacs_err(input);
        assert!(
            got.starts_with(want),
            "for {input:?}: got {got:?}, want {want:?}"
        );
    }
}

#[test]
fn dimacs_infeasible_is_an_error() {
    let unbalanced = dimacs_err("p min 2 1\nn 1 3\nn 2 -2\na 1 2 0 5 1\n");
    assert!(unbalanced.starts_with("infeasible"), "{unbalanced}");
    let no_path = dimacs_err("p min 3 1\nn 1 3\nn 3 -3\na 1 2 0 5 1\n");
    assert!(no_path.starts_with("infeasible"), "{no_path}");
    let too_small = dimacs_err("p min 2 1\nn 1 3\nn 2 -3\na 1 2 0 2 1\n");
    assert!(too_small.starts_with("infeasible"), "{too_small}");
    let lower_bound = dimacs_err("p min 2 1\na 1 2 1 2 1\n");
    assert!(lower_bound.starts_with("infeasible"), "{lower_bound}");
}

// ---------------------------------------------------------------------------
// Domain
// ---------------------------------------------------------------------------

fn req(id: &str, cat: &str, qty: i64, place: &str, w: (i32, i32), rank: u8) -> Requirement {
    Requirement {
        id: id.into(),
        category: cat.into(),
        quantity: qty,
        unit: "pcs".into(),
        place: place.into(),
        window: Window::days(w.0, w.1),
        priority: Priority::Rank(rank),
        recipient: "KRG".into(),
        line_of_effort: "stabilisation".into(),
    }
}

fn offer(id: &str, cat: &str, qty: i64, places: &[(&str, u32)], w: (i32, i32)) -> Offer {
    Offer {
        id: id.into(),
        member: "USA".into(),
        category: cat.into(),
        quantity: qty,
        unit: "pcs".into(),
        deliver_to: places
            .iter()
            .map(|&(p, d)| PlaceOption {
                place: p.into(),
                distance_class: d,
            })
            .collect(),
        window: Window::days(w.0, w.1),
        restrictions: vec![],
    }
}

fn problem(requirements: Vec<Requirement>, offers: Vec<Offer>) -> Problem {
    Problem {
        requirements,
        offers,
        costs: CostModel::default(),
    }
}

fn run(p: &Problem) -> Allocation {
    let a = allocate(p).expect("allocates");
    check_totals(p, &a);
    a
}

fn check_totals(p: &Problem, a: &Allocation) {
    for (r, out) in p.requirements.iter().zip(&a.requirements) {
        let sent: i64 = a
            .assignments
            .iter()
            .filter(|x| x.requirement == r.id)
            .map(|x| x.quantity)
            .sum();
        assert_eq!(out.delivered, sent);
        assert_eq!(out.delivered + out.gap, r.quantity, "requirement {}", r.id);
        assert!(out.gap >= 0);
        let gap = a.gaps.iter().find(|g| g.requirement == r.id);
        assert_eq!(gap.map_or(0, |g| g.missing), out.gap);
        if let Some(g) = gap {
            assert!(!g.why.is_empty(), "gap {} unexplained", r.id);
        }
    }
    for (o, out) in p.offers.iter().zip(&a.offers) {
        let sent: i64 = a
            .assignments
            .iter()
            .filter(|x| x.offer == o.id)
            .map(|x| x.quantity)
            .sum();
        assert_eq!(out.allocated, sent);
        assert_eq!(out.allocated + out.surplus, o.quantity, "offer {}", o.id);
        assert!(out.surplus >= 0);
    }
}

#[test]
fn higher_priority_requirement_is_filled_first() {
    let p = problem(
        vec![
            req("low", "tents", 10, "Erbil", (0, 10), 5),
            req("high", "tents", 10, "Erbil", (0, 10), 1),
        ],
        vec![offer("o", "tents", 10, &[("Erbil", 0)], (0, 10))],
    );
    let a = run(&p);
    assert_eq!(a.assignments.len(), 1);
    assert_eq!(a.assignments[0].requirement, "high");
    assert_eq!(a.requirements[0].gap, 10);
    let g = &a.gaps[0];
    assert_eq!(g.requirement, "low");
    match &g.why[..] {
        [GapReason::Exhausted { offers, taken_by }] => {
            assert_eq!(offers.ids, ["o"]);
            assert_eq!(taken_by[0].requirement, "high");
            assert_eq!(taken_by[0].weight, 5);
        }
        other => panic!("unexpected reasons {other:?}"),
    }
    let text = a.to_string();
    assert!(text.contains("gap in requirement low: 10 of 10 pcs missing; compatible offers o exhausted by: high (weight 5) took 10 from o"), "{text}");
}

#[test]
fn priority_beats_any_cost_saving() {
    // The cheap, near offer can only serve the low-priority requirement well;
    // still, weighted delivery comes first.
    let mut p = problem(
        vec![
            req("high", "water", 5, "Mosul", (0, 30), 1),
            req("low", "water", 5, "Erbil", (0, 30), 2),
        ],
        vec![offer(
            "o",
            "water",
            5,
            &[("Erbil", 0), ("Mosul", 1000)],
            (29, 60),
        )],
    );
    p.costs = CostModel {
        per_day_late: 1000,
        per_distance_class: 1000,
        split_penalty: 1000,
    };
    let a = run(&p);
    assert_eq!(a.assignments[0].requirement, "high");
    assert_eq!(a.assignments[0].why.cost.lead_days, 29);
}

#[test]
fn cheapest_offer_is_chosen_among_equals_and_rest_is_surplus() {
    let p = problem(
        vec![req("r", "tents", 10, "Erbil", (0, 10), 3)],
        vec![
            offer("far", "tents", 10, &[("Erbil", 3)], (0, 10)),
            offer("near", "tents", 10, &[("Erbil", 0)], (0, 10)),
            offer("late", "tents", 10, &[("Erbil", 0)], (5, 10)),
        ],
    );
    let a = run(&p);
    assert_eq!(a.assignments.len(), 1);
    assert_eq!(a.assignments[0].offer, "near");
    assert!(a.gaps.is_empty());
    assert_eq!(a.offers.iter().map(|o| o.surplus).sum::<i64>(), 20);
    assert_eq!(a.cost, 0);
    let text = a.assignments[0].to_string();
    assert!(text.starts_with("offer near (USA) -> requirement r: 10 pcs of tents; delivered to Erbil (distance class 0)"), "{text}");
}

#[test]
fn gaps_explain_category_window_place_and_restriction() {
    let mut restricted = offer("only-moi", "vests", 5, &[("Erbil", 0)], (0, 10));
    restricted.restrictions = vec![Restriction::OnlyRecipient("IRQ-MOI".into())];
    let mut loe = offer("only-ff", "vests", 5, &[("Erbil", 0)], (0, 10));
    loe.restrictions = vec![Restriction::OnlyLineOfEffort("foreign-fighters".into())];
    let p = problem(
        vec![
            req("helmets", "helmets", 3, "Erbil", (0, 10), 1),
            req("vests", "vests", 3, "Erbil", (0, 10), 1),
        ],
        vec![
            offer("too-late", "vests", 5, &[("Erbil", 0)], (20, 30)),
            offer("elsewhere", "vests", 5, &[("Basra", 0)], (0, 10)),
            restricted,
            loe,
        ],
    );
    let a = run(&p);
    assert!(a.assignments.is_empty());
    assert_eq!(a.gaps.len(), 2);
    assert_eq!(a.gaps[0].why, [GapReason::NoOfferInCategory]);
    let reasons: Vec<String> = a.gaps[1].why.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        reasons,
        [
            "window mismatch: too-late available at other times",
            "place mismatch: elsewhere cannot deliver here",
            "restricted: donor restrictions of only-moi, only-ff exclude it",
        ]
    );
    // The restriction is satisfied for the right recipient.
    let mut p2 = p.clone();
    p2.requirements[1].recipient = "IRQ-MOI".into();
    let a2 = run(&p2);
    assert_eq!(a2.assignments.len(), 1);
    assert_eq!(a2.assignments[0].offer, "only-moi");
    assert!(a2.assignments[0]
        .to_string()
        .contains("restrictions met: only to recipient IRQ-MOI"));
}

#[test]
fn splitting_is_penalised_but_allowed() {
    let p = problem(
        vec![req("r", "tents", 10, "Erbil", (0, 10), 1)],
        vec![
            offer("a", "tents", 6, &[("Erbil", 0)], (0, 10)),
            offer("b", "tents", 6, &[("Erbil", 0)], (0, 10)),
            offer("whole", "tents", 10, &[("Erbil", 1)], (0, 10)),
        ],
    );
    let a = run(&p);
    // Split: 10 units x 5 = 50; whole: 10 units x 10 (distance class 1) = 100.
    assert_eq!(a.cost, 50);
    assert!(a.assignments.iter().all(|x| x.why.cost.split));
}

#[test]
fn bad_input_names_the_record() {
    let base = problem(
        vec![req("r1", "tents", 10, "Erbil", (0, 10), 1)],
        vec![offer("o1", "tents", 10, &[("Erbil", 0)], (0, 10))],
    );
    let err = |p: &Problem| allocate(p).err().map(|e| e.to_string()).unwrap_or_default();

    let mut p = base.clone();
    p.requirements[0].quantity = -1;
    assert_eq!(err(&p), "requirement 'r1': negative quantity -1");
    let mut p = base.clone();
    p.offers[0].quantity = -5;
    assert_eq!(err(&p), "offer 'o1': negative quantity -5");
    let mut p = base.clone();
    p.offers[0].category = " ".into();
    assert_eq!(err(&p), "offer 'o1': no category");
    let mut p = base.clone();
    p.offers[0].unit = "kg".into();
    assert_eq!(
        err(&p),
        "offer 'o1': unit 'kg' does not match unit 'pcs' of requirement 'r1' in category 'tents'"
    );
    let mut p = base.clone();
    p.offers.push(p.offers[0].clone());
    assert_eq!(err(&p), "duplicate offer id 'o1'");
    let mut p = base.clone();
    p.requirements.push(p.requirements[0].clone());
    assert!(matches!(
        allocate(&p),
        Err(AllocateError::DuplicateId {
            kind: "requirement",
            ..
        })
    ));
    let mut p = base.clone();
    p.requirements[0].priority = Priority::Rank(9);
    assert_eq!(err(&p), "requirement 'r1': priority 9 not in 1..=5");
    let mut p = base;
    p.offers[0].window = Window::days(5, 1);
    assert!(err(&p).starts_with("offer 'o1': window"));
}

#[test]
fn days_parse_and_print() {
    let d = Day::parse("2015-01-22").expect("date");
    assert_eq!(d, Day(16457));
    assert_eq!(d.to_string(), "2015-01-22");
    assert_eq!(Day(0).to_string(), "1970-01-01");
    assert!(Day::parse("2015-02-29").is_err());
    assert_eq!(
        Day::parse("2016-02-29").map(|d| d.to_string()),
        Ok("2016-02-29".into())
    );
    for x in [-800_000, -1, 0, 59, 60, 11_016, 20_000, 2_000_000] {
        let (y, m, dd) = Day(x).ymd();
        assert_eq!(Day::from_ymd(y as i32, m, dd), Some(Day(x)));
    }
}

#[test]
fn realistic_instances_are_optimal_and_consistent() {
    for seed in 0..3 {
        let p = gen::realistic(40, 40, 300, seed);
        let a = run(&p);
        assert!(a.compatible_pairs > 50, "pairs {}", a.compatible_pairs);
        // Same optimum as the reference solver on the same network.
        let net = flow_network(&p).expect("network");
        let want = reference_cost(&net).expect("feasible");
        let got = min_cost_flow(&net).expect("solves").cost;
        assert_eq!(got, want);
        // Weighted delivery is the maximum possible: solve the network with
        // all match costs set to zero (pure priority) and compare.
        let mut pure = net.clone();
        let pairs = a.compatible_pairs;
        for arc in &mut pure.arcs[..pairs] {
            arc.cost = 0;
        }
        let pure_sol = min_cost_flow(&pure).expect("solves");
        let weighted_pure: i128 = pure_sol.flow[..pairs]
            .iter()
            .zip(&pure.arcs[..pairs])
            .map(|(&f, arc)| {
                i128::from(f)
                    * i128::from(p.requirements[arc.to - p.offers.len()].priority.weight())
            })
            .sum();
        assert_eq!(a.weighted_delivered, weighted_pure);
        // Gaps left while compatible offers remain would not be optimal.
        for g in &a.gaps {
            for why in &g.why {
                if let GapReason::Exhausted { taken_by, .. } = why {
                    let w = p
                        .requirements
                        .iter()
                        .find(|r| r.id == g.requirement)
                        .map(|r| r.priority.weight());
                    assert!(taken_by.iter().all(|t| Some(t.weight) >= w));
                }
            }
        }
    }
}

#[test]
fn problem_round_trips_through_json_with_dates() {
    let text = r#"{
        "requirements": [{"id": "r", "category": "tents", "quantity": 4, "unit": "pcs",
            "place": "Amerli", "window": {"start": "2014-08-30", "end": 16320},
            "priority": {"rank": 1}, "recipient": "IRQ", "line_of_effort": "stabilisation"}],
        "offers": [{"id": "o", "member": "FRA", "category": "tents", "quantity": 9, "unit": "pcs",
            "deliver_to": [{"place": "Amerli", "distance_class": 2}],
            "window": {"start": "2014-08-01", "end": "2014-12-31"},
            "restrictions": [{"only_recipient": "IRQ"}]}]
    }"#;
    let p: Problem = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(
        p.requirements[0].window.start,
        Day::parse("2014-08-30").expect("date")
    );
    assert_eq!(p.costs, CostModel::default());
    let a = run(&p);
    assert_eq!(a.assignments[0].quantity, 4);
    assert_eq!(a.offers[0].surplus, 5);
    let json = serde_json::to_value(&a).expect("serializes");
    assert_eq!(
        json["assignments"][0]["why"]["overlap"]["start"],
        "2014-08-30"
    );
}

fn arb_domain() -> impl Strategy<Value = Problem> {
    let cats = prop::sample::select(vec!["tents", "food", "fuel"]);
    let places = prop::sample::select(vec!["Erbil", "Mosul", "Basra"]);
    let window = (0i32..20, 0i32..15).prop_map(|(s, l)| Window::days(s, s + l));
    let requirement = (
        cats.clone(),
        -1i64..15,
        places.clone(),
        window.clone(),
        0u8..=6,
        0u8..3,
    )
        .prop_map(|(c, q, pl, w, rank, who)| Requirement {
            id: String::new(),
            category: c.into(),
            quantity: q,
            unit: "pcs".into(),
            place: pl.into(),
            window: w,
            priority: if rank == 6 {
                Priority::Weight(7)
            } else {
                Priority::Rank(rank)
            },
            recipient: ["KRG", "UNDP", "WFP"][usize::from(who)].into(),
            line_of_effort: ["stabilisation", "military-support", "financing"][usize::from(who)]
                .into(),
        });
    let offer = (
        cats,
        -1i64..15,
        prop::collection::vec((places, 0u32..4), 0..3),
        window,
        prop::option::of(0u8..3),
        prop::option::of(0u8..3),
    )
        .prop_map(|(c, q, pls, w, rec, loe)| Offer {
            id: String::new(),
            member: "DEU".into(),
            category: c.into(),
            quantity: q,
            unit: "pcs".into(),
            deliver_to: pls
                .into_iter()
                .map(|(p, d)| PlaceOption {
                    place: p.into(),
                    distance_class: d,
                })
                .collect(),
            window: w,
            restrictions: rec
                .map(|r| Restriction::OnlyRecipient(["KRG", "UNDP", "WFP"][usize::from(r)].into()))
                .into_iter()
                .chain(loe.map(|l| {
                    Restriction::OnlyLineOfEffort(
                        ["stabilisation", "military-support", "financing"][usize::from(l)].into(),
                    )
                }))
                .collect(),
        });
    (
        prop::collection::vec(requirement, 0..7),
        prop::collection::vec(offer, 0..7),
    )
        .prop_map(|(mut rs, mut os)| {
            for (i, r) in rs.iter_mut().enumerate() {
                r.id = format!("r{i}");
            }
            for (i, o) in os.iter_mut().enumerate() {
                o.id = format!("o{i}");
            }
            problem(rs, os)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn domain_is_consistent_and_optimal(p in arb_domain()) {
        let bad = p.requirements.iter().any(|r| r.quantity < 0 || matches!(r.priority, Priority::Rank(0)))
            || p.offers.iter().any(|o| o.quantity < 0);
        match allocate(&p) {
            Err(e) => prop_assert!(bad, "unexpected error {e}"),
            Ok(a) => {
                prop_assert!(!bad);
                check_totals(&p, &a);
                let net = flow_network(&p).expect("network");
                let want = reference_cost(&net).expect("always feasible");
                prop_assert_eq!(min_cost_flow(&net).expect("solves").cost, want);
                // Restrictions and compatibility hold for every match.
                for m in &a.assignments {
                    let o = p.offers.iter().find(|o| o.id == m.offer).expect("offer");
                    let r = p.requirements.iter().find(|r| r.id == m.requirement).expect("requirement");
                    prop_assert_eq!(&o.category, &r.category);
                    prop_assert!(o.deliver_to.iter().any(|d| d.place == r.place));
                    prop_assert!(o.window.start <= r.window.end && r.window.start <= o.window.end);
                    for x in &o.restrictions {
                        match x {
                            Restriction::OnlyRecipient(who) => prop_assert_eq!(who, &r.recipient),
                            Restriction::OnlyLineOfEffort(l) => prop_assert_eq!(l, &r.line_of_effort),
                        }
                    }
                }
                let _ = a.to_string();
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Control: a bound on the size of a run, its progress, its cancellation.
// ---------------------------------------------------------------------------

#[test]
fn a_watched_run_reports_its_stages_and_finds_the_same_optimum() {
    let p = gen::realistic(3_000, 3_000, 150_000, 7);
    let seen = std::cell::RefCell::new(Vec::new());
    let watch = |s: coalesce_allocate::Stage| {
        seen.borrow_mut().push(s);
        false
    };
    let control = coalesce_allocate::Control {
        max_pairs: usize::MAX,
        watch: &watch,
    };
    let watched = coalesce_allocate::allocate_with(&p, &control).expect("watched");
    let plain = allocate(&p).expect("plain");
    assert_eq!(watched, plain);
    let seen = seen.into_inner();
    use coalesce_allocate::Stage;
    assert!(matches!(
        seen.first(),
        Some(Stage::Pairs {
            done: 0,
            of: 3_000,
            pairs: 0
        })
    ));
    assert!(seen
        .iter()
        .any(|s| matches!(s, Stage::Pairs { done, pairs, .. } if *done > 0 && *pairs > 0)));
    assert!(seen
        .iter()
        .any(|s| matches!(s, Stage::Solve { pivots } if *pivots > 0)));
    assert_eq!(seen.last(), Some(&Stage::Explain));
}

#[test]
fn a_watch_that_answers_stop_cancels_the_run_in_each_stage() {
    use coalesce_allocate::{allocate_with, Control, Stage};
    let p = gen::realistic(3_000, 3_000, 150_000, 7);
    for stop_in in ["pairs", "solve", "explain"] {
        let calls = std::cell::Cell::new(0u32);
        let watch = |s: Stage| {
            calls.set(calls.get() + 1);
            match s {
                Stage::Pairs { done, .. } => stop_in == "pairs" && done > 0,
                Stage::Solve { .. } => stop_in == "solve",
                Stage::Explain => stop_in == "explain",
            }
        };
        let control = Control {
            max_pairs: usize::MAX,
            watch: &watch,
        };
        assert_eq!(
            allocate_with(&p, &control),
            Err(AllocateError::Cancelled),
            "stopped in {stop_in}"
        );
        assert!(calls.get() > 0);
    }
}

#[test]
fn a_run_over_the_pair_limit_is_refused_naming_the_limit() {
    use coalesce_allocate::{allocate_with, Control};
    let p = gen::realistic(1_000, 1_000, 20_000, 3);
    let pairs = allocate(&p).expect("allocates").compatible_pairs;
    let at_limit = Control {
        max_pairs: pairs,
        watch: &|_| false,
    };
    assert!(allocate_with(&p, &at_limit).is_ok());
    let below = Control {
        max_pairs: pairs - 1,
        watch: &|_| false,
    };
    let err = allocate_with(&p, &below).expect_err("over the limit");
    assert_eq!(err, AllocateError::TooManyPairs { limit: pairs - 1 });
    assert!(err.to_string().contains(&format!("{}", pairs - 1)));
}
