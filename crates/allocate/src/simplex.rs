//! Exact minimum-cost flow by the primal network simplex method.
//!
//! The implementation follows the design of LEMON's `NetworkSimplex`
//! (Kovács, "Minimum-cost flow algorithms: an experimental evaluation"):
//! a strongly feasible spanning tree stored as parent / thread / reverse
//! thread / subtree size / last successor arrays, an artificial root joined to
//! every node, big-M artificial costs, and the *block search* pivot rule
//! (scan arcs cyclically in blocks of about `sqrt(m)` and enter the most
//! negative reduced cost arc of the first block that has one).
//!
//! All capacities, supplies and costs are `i64`; the objective is returned as
//! `i128`. Inputs whose magnitudes could overflow the `i64` arithmetic of the
//! algorithm are rejected up front ([`FlowError::TooLarge`]) instead of giving
//! a wrong answer.

use serde::Serialize;

/// One arc of a [`FlowProblem`]: flow on it must lie in `[low, cap]`, each
/// unit costs `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Arc {
    /// Tail node (0-based).
    pub from: usize,
    /// Head node (0-based).
    pub to: usize,
    /// Lower bound on the flow.
    pub low: i64,
    /// Capacity (upper bound on the flow).
    pub cap: i64,
    /// Cost per unit of flow.
    pub cost: i64,
}

/// A minimum-cost flow problem: node supplies (positive = source, negative =
/// demand; they must sum to zero) and arcs with lower bounds, capacities and
/// costs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FlowProblem {
    /// Supply of each node; the number of nodes is `supply.len()`.
    pub supply: Vec<i64>,
    /// The arcs.
    pub arcs: Vec<Arc>,
}

impl FlowProblem {
    /// A problem with `nodes` nodes of zero supply and no arcs.
    pub fn new(nodes: usize) -> Self {
        Self {
            supply: vec![0; nodes],
            arcs: Vec::new(),
        }
    }

    /// Adds an arc and returns its index.
    pub fn add_arc(&mut self, from: usize, to: usize, low: i64, cap: i64, cost: i64) -> usize {
        self.arcs.push(Arc {
            from,
            to,
            low,
            cap,
            cost,
        });
        self.arcs.len() - 1
    }
}

/// An optimal flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowSolution {
    /// Total cost `sum(flow * cost)`.
    pub cost: i128,
    /// Flow on each arc, in the order of [`FlowProblem::arcs`].
    pub flow: Vec<i64>,
}

/// Why a flow problem has no optimal solution (or cannot be solved exactly).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum FlowError {
    /// An arc refers to a node that does not exist.
    #[error("arc {arc} refers to node {node}, but there are only {nodes} nodes")]
    NodeOutOfRange {
        /// Arc index.
        arc: usize,
        /// The offending node.
        node: usize,
        /// Number of nodes.
        nodes: usize,
    },
    /// An arc's capacity is below its lower bound.
    #[error("arc {arc} has capacity {cap} below its lower bound {low}")]
    CapBelowLow {
        /// Arc index.
        arc: usize,
        /// Lower bound.
        low: i64,
        /// Capacity.
        cap: i64,
    },
    /// Supplies do not sum to zero.
    #[error("infeasible: supplies sum to {0}, not 0")]
    Unbalanced(i128),
    /// No flow satisfies the supplies and the bounds.
    #[error("infeasible: no flow satisfies all supplies, demands and arc bounds")]
    Infeasible,
    /// The cost is unbounded below (cannot happen with finite capacities).
    #[error("unbounded: a negative-cost cycle of infinite capacity exists")]
    Unbounded,
    /// Numbers too large to be handled exactly with 64-bit arithmetic.
    #[error("numbers too large to solve exactly: {0}")]
    TooLarge(&'static str),
    /// The caller's watch asked the solver to stop.
    #[error("stopped before the optimum was found: cancelled")]
    Cancelled,
}

const STATE_UPPER: i8 = -1;
const STATE_TREE: i8 = 0;
const STATE_LOWER: i8 = 1;
const DIR_UP: i8 = 1;
const DIR_DOWN: i8 = -1;
const NONE: u32 = u32::MAX;
const INF: i64 = i64::MAX;
/// Bound on the sum of absolute supplies, capacities and lower bounds.
const MAX_TOTAL_FLOW: i128 = 1 << 61;
/// Bound on the artificial (big-M) cost.
const MAX_ART_COST: i128 = 1 << 59;

/// Arc data read by the pricing loop, packed for locality.
#[derive(Clone, Copy)]
struct PArc {
    source: u32,
    target: u32,
    cost: i64,
    state: i8,
}

struct Simplex {
    /// Number of real arcs (searched by the pivot rule).
    search_arc_num: usize,
    arcs: Vec<PArc>,
    cap: Vec<i64>,
    flow: Vec<i64>,
    pi: Vec<i64>,
    parent: Vec<u32>,
    pred: Vec<u32>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    succ_num: Vec<u32>,
    last_succ: Vec<u32>,
    pred_dir: Vec<i8>,
    dirty_revs: Vec<u32>,
    // Pivot state.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: i64,
    // Block search.
    block_size: usize,
    next_arc: usize,
}

#[inline]
fn ix(x: u32) -> usize {
    x as usize
}

/// Checks a problem's indices, bounds and magnitudes without solving it.
pub fn validate(problem: &FlowProblem) -> Result<(), FlowError> {
    let n = problem.supply.len();
    if n >= (u32::MAX as usize) / 2 || problem.arcs.len() >= (u32::MAX as usize) / 2 {
        return Err(FlowError::TooLarge("more than 2^31 nodes or arcs"));
    }
    let mut total: i128 = 0;
    for &s in &problem.supply {
        total += i128::from(s).abs();
    }
    let mut max_cost: i128 = 0;
    for (i, a) in problem.arcs.iter().enumerate() {
        for node in [a.from, a.to] {
            if node >= n {
                return Err(FlowError::NodeOutOfRange {
                    arc: i,
                    node,
                    nodes: n,
                });
            }
        }
        if a.cap < a.low {
            return Err(FlowError::CapBelowLow {
                arc: i,
                low: a.low,
                cap: a.cap,
            });
        }
        total += i128::from(a.cap).abs() + i128::from(a.low).abs();
        max_cost = max_cost.max(i128::from(a.cost).abs());
    }
    if total > MAX_TOTAL_FLOW {
        return Err(FlowError::TooLarge(
            "sum of supplies and capacities exceeds 2^61",
        ));
    }
    if (max_cost + 1) * (n as i128 + 1) > MAX_ART_COST {
        return Err(FlowError::TooLarge(
            "(largest |cost| + 1) * (nodes + 1) exceeds 2^59",
        ));
    }
    Ok(())
}

/// Solves a minimum-cost flow problem exactly.
///
/// Returns an optimal flow, or an error if the problem is malformed, the
/// supplies do not balance, no feasible flow exists, or the numbers are too
/// large for exact 64-bit arithmetic.
pub fn min_cost_flow(problem: &FlowProblem) -> Result<FlowSolution, FlowError> {
    min_cost_flow_watched(problem, &|_| false)
}

/// How many pivots pass between two calls of a solver's watch: often enough
/// to stop within milliseconds, rarely enough to cost nothing measurable.
pub const WATCH_EVERY: u64 = 4096;

/// [`min_cost_flow`], telling `watch` the number of pivots made every
/// [`WATCH_EVERY`] pivots; when it answers `true` the solver stops with
/// [`FlowError::Cancelled`].
pub fn min_cost_flow_watched(
    problem: &FlowProblem,
    watch: &dyn Fn(u64) -> bool,
) -> Result<FlowSolution, FlowError> {
    validate(problem)?;
    let sum: i128 = problem.supply.iter().map(|&s| i128::from(s)).sum();
    if sum != 0 {
        return Err(FlowError::Unbalanced(sum));
    }
    let mut s = Simplex::new(problem);
    s.run(watch)?;
    // Collect flows in the original arc order, adding back the lower bounds.
    let m = problem.arcs.len();
    let mixed = mixing_order(m, problem.supply.len());
    let mut flow = vec![0i64; m];
    let mut cost: i128 = 0;
    for (orig, &internal) in mixed.iter().enumerate() {
        let a = &problem.arcs[orig];
        let f = s.flow[internal] + a.low;
        flow[orig] = f;
        cost += i128::from(f) * i128::from(a.cost);
    }
    Ok(FlowSolution { cost, flow })
}

/// Position of each original arc in the internal arc arrays. Spreading arcs
/// of the same node over the array makes block search pricing far more
/// effective (LEMON's "arc mixing").
fn mixing_order(m: usize, n: usize) -> Vec<usize> {
    let mut pos = vec![0usize; m];
    if n <= 1 || m == 0 {
        for (i, p) in pos.iter_mut().enumerate() {
            *p = i;
        }
        return pos;
    }
    let skip = (m / n).max(3);
    let (mut i, mut j) = (0usize, 0usize);
    for p in pos.iter_mut() {
        *p = i;
        i += skip;
        if i >= m {
            j += 1;
            i = j;
        }
    }
    pos
}

impl Simplex {
    #[allow(clippy::needless_range_loop)]
    fn new(problem: &FlowProblem) -> Self {
        let n = problem.supply.len();
        let m = problem.arcs.len();
        let all = m + n;
        let root = n;
        let mut supply: Vec<i64> = problem.supply.clone();
        supply.push(0);
        let mut arcs = vec![
            PArc {
                source: 0,
                target: 0,
                cost: 0,
                state: STATE_LOWER,
            };
            all
        ];
        let mut cap = vec![0i64; all];
        let mut max_cost: i64 = 0;
        for (orig, &e) in mixing_order(m, n).iter().enumerate() {
            let a = &problem.arcs[orig];
            arcs[e] = PArc {
                source: a.from as u32,
                target: a.to as u32,
                cost: a.cost,
                state: STATE_LOWER,
            };
            cap[e] = a.cap - a.low;
            if a.low != 0 {
                supply[a.from] -= a.low;
                supply[a.to] += a.low;
            }
            max_cost = max_cost.max(a.cost.abs());
        }
        // Validated: fits in i64.
        let art_cost = (max_cost + 1) * (n as i64 + 1);

        let mut s = Simplex {
            search_arc_num: m,
            arcs,
            cap,
            flow: vec![0; all],
            pi: vec![0; n + 1],
            parent: vec![NONE; n + 1],
            pred: vec![NONE; n + 1],
            thread: vec![0; n + 1],
            rev_thread: vec![0; n + 1],
            succ_num: vec![0; n + 1],
            last_succ: vec![0; n + 1],
            pred_dir: vec![0; n + 1],
            dirty_revs: Vec::new(),
            in_arc: 0,
            join: 0,
            u_in: 0,
            v_in: 0,
            u_out: 0,
            delta: 0,
            block_size: ((m as f64).sqrt() as usize).max(10),
            next_arc: 0,
        };
        // Initial strongly feasible tree: every node hangs off the root.
        s.thread[root] = 0;
        s.rev_thread[0] = root as u32;
        s.succ_num[root] = (n + 1) as u32;
        s.last_succ[root] = if n == 0 { root as u32 } else { (n - 1) as u32 };
        for u in 0..n {
            let e = m + u;
            s.parent[u] = root as u32;
            s.pred[u] = e as u32;
            s.thread[u] = (u + 1) as u32;
            s.rev_thread[u + 1] = u as u32;
            s.succ_num[u] = 1;
            s.last_succ[u] = u as u32;
            s.cap[e] = INF;
            s.arcs[e].state = STATE_TREE;
            if supply[u] >= 0 {
                s.pred_dir[u] = DIR_UP;
                s.pi[u] = 0;
                s.arcs[e].source = u as u32;
                s.arcs[e].target = root as u32;
                s.flow[e] = supply[u];
                s.arcs[e].cost = 0;
            } else {
                s.pred_dir[u] = DIR_DOWN;
                s.pi[u] = art_cost;
                s.arcs[e].source = root as u32;
                s.arcs[e].target = u as u32;
                s.flow[e] = -supply[u];
                s.arcs[e].cost = art_cost;
            }
        }
        if n == 0 {
            s.thread[root] = root as u32;
            s.rev_thread[root] = root as u32;
        }
        s
    }

    fn run(&mut self, watch: &dyn Fn(u64) -> bool) -> Result<(), FlowError> {
        let mut pivots: u64 = 0;
        while self.find_entering_arc() {
            pivots += 1;
            if pivots % WATCH_EVERY == 0 && watch(pivots) {
                return Err(FlowError::Cancelled);
            }
            self.find_join_node();
            let change = self.find_leaving_arc();
            if self.delta == INF {
                return Err(FlowError::Unbounded);
            }
            self.change_flow(change);
            if change {
                self.update_tree_structure();
                self.update_potential();
            }
        }
        for e in self.search_arc_num..self.arcs.len() {
            if self.flow[e] != 0 {
                return Err(FlowError::Infeasible);
            }
        }
        Ok(())
    }

    #[inline]
    fn reduced(&self, a: &PArc) -> i64 {
        i64::from(a.state) * (a.cost + self.pi[ix(a.source)] - self.pi[ix(a.target)])
    }

    fn find_entering_arc(&mut self) -> bool {
        let m = self.search_arc_num;
        if m == 0 {
            return false;
        }
        let mut min: i64 = 0;
        let mut best = 0usize;
        let mut cnt = self.block_size;
        let start = self.next_arc;
        let mut e = start;
        let mut scanned = 0usize;
        while scanned < m {
            let c = self.reduced(&self.arcs[e]);
            if c < min {
                min = c;
                best = e;
            }
            e += 1;
            if e == m {
                e = 0;
            }
            scanned += 1;
            cnt -= 1;
            if cnt == 0 {
                if min < 0 {
                    break;
                }
                cnt = self.block_size;
            }
        }
        if min >= 0 {
            return false;
        }
        self.in_arc = best;
        self.next_arc = e;
        true
    }

    fn find_join_node(&mut self) {
        let a = self.arcs[self.in_arc];
        let mut u = ix(a.source);
        let mut v = ix(a.target);
        while u != v {
            if self.succ_num[u] < self.succ_num[v] {
                u = ix(self.parent[u]);
            } else {
                v = ix(self.parent[v]);
            }
        }
        self.join = u;
    }

    fn find_leaving_arc(&mut self) -> bool {
        let a = self.arcs[self.in_arc];
        let (first, second) = if a.state == STATE_LOWER {
            (ix(a.source), ix(a.target))
        } else {
            (ix(a.target), ix(a.source))
        };
        self.delta = self.cap[self.in_arc];
        let mut result = 0;
        let join = self.join;
        let mut u = first;
        while u != join {
            let e = ix(self.pred[u]);
            let mut d = self.flow[e];
            if self.pred_dir[u] == DIR_DOWN {
                let c = self.cap[e];
                d = if c == INF { INF } else { c - d };
            }
            if d < self.delta {
                self.delta = d;
                self.u_out = u;
                result = 1;
            }
            u = ix(self.parent[u]);
        }
        let mut u = second;
        while u != join {
            let e = ix(self.pred[u]);
            let mut d = self.flow[e];
            if self.pred_dir[u] == DIR_UP {
                let c = self.cap[e];
                d = if c == INF { INF } else { c - d };
            }
            if d <= self.delta {
                self.delta = d;
                self.u_out = u;
                result = 2;
            }
            u = ix(self.parent[u]);
        }
        if result == 1 {
            self.u_in = first;
            self.v_in = second;
        } else {
            self.u_in = second;
            self.v_in = first;
        }
        result != 0
    }

    fn change_flow(&mut self, change: bool) {
        let a = self.arcs[self.in_arc];
        if self.delta > 0 {
            let val = i64::from(a.state) * self.delta;
            self.flow[self.in_arc] += val;
            let mut u = ix(a.source);
            while u != self.join {
                let e = ix(self.pred[u]);
                self.flow[e] -= i64::from(self.pred_dir[u]) * val;
                u = ix(self.parent[u]);
            }
            let mut u = ix(a.target);
            while u != self.join {
                let e = ix(self.pred[u]);
                self.flow[e] += i64::from(self.pred_dir[u]) * val;
                u = ix(self.parent[u]);
            }
        }
        if change {
            self.arcs[self.in_arc].state = STATE_TREE;
            let out = ix(self.pred[self.u_out]);
            self.arcs[out].state = if self.flow[out] == 0 {
                STATE_LOWER
            } else {
                STATE_UPPER
            };
        } else {
            self.arcs[self.in_arc].state = -a.state;
        }
    }

    fn update_tree_structure(&mut self) {
        let u_in = self.u_in;
        let v_in = self.v_in;
        let u_out = self.u_out;
        let join = self.join;
        let in_arc = self.in_arc;
        let old_rev_thread = ix(self.rev_thread[u_out]);
        let old_succ_num = self.succ_num[u_out];
        let old_last_succ = ix(self.last_succ[u_out]);
        let v_out = ix(self.parent[u_out]);
        let in_dir = if u_in == ix(self.arcs[in_arc].source) {
            DIR_UP
        } else {
            DIR_DOWN
        };

        if u_in == u_out {
            self.parent[u_in] = v_in as u32;
            self.pred[u_in] = in_arc as u32;
            self.pred_dir[u_in] = in_dir;
            if ix(self.thread[v_in]) != u_out {
                let after = self.thread[old_last_succ];
                self.thread[old_rev_thread] = after;
                self.rev_thread[ix(after)] = old_rev_thread as u32;
                let after = self.thread[v_in];
                self.thread[v_in] = u_out as u32;
                self.rev_thread[u_out] = v_in as u32;
                self.thread[old_last_succ] = after;
                self.rev_thread[ix(after)] = old_last_succ as u32;
            }
        } else {
            let thread_continue = if old_rev_thread == v_in {
                self.thread[old_last_succ]
            } else {
                self.thread[v_in]
            };
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = ix(self.last_succ[u_in]);
            let mut after = self.thread[last];
            self.thread[v_in] = u_in as u32;
            self.dirty_revs.clear();
            self.dirty_revs.push(v_in as u32);
            while stem != u_out {
                let next_stem = ix(self.parent[stem]);
                self.thread[last] = next_stem as u32;
                self.dirty_revs.push(last as u32);
                let before = self.rev_thread[stem];
                self.thread[ix(before)] = after;
                self.rev_thread[ix(after)] = before;
                self.parent[stem] = par_stem as u32;
                par_stem = stem;
                stem = next_stem;
                last = if self.last_succ[stem] == self.last_succ[par_stem] {
                    ix(self.rev_thread[par_stem])
                } else {
                    ix(self.last_succ[stem])
                };
                after = self.thread[last];
            }
            self.parent[u_out] = par_stem as u32;
            self.thread[last] = thread_continue;
            self.rev_thread[ix(thread_continue)] = last as u32;
            self.last_succ[u_out] = last as u32;
            if old_rev_thread != v_in {
                self.thread[old_rev_thread] = after;
                self.rev_thread[ix(after)] = old_rev_thread as u32;
            }
            for i in 0..self.dirty_revs.len() {
                let u = self.dirty_revs[i];
                self.rev_thread[ix(self.thread[ix(u)])] = u;
            }
            let mut tmp_sc: u32 = 0;
            let tmp_ls = self.last_succ[u_out];
            let mut u = u_out;
            while u != u_in {
                let p = ix(self.parent[u]);
                self.pred[u] = self.pred[p];
                self.pred_dir[u] = -self.pred_dir[p];
                tmp_sc = tmp_sc
                    .wrapping_add(self.succ_num[u])
                    .wrapping_sub(self.succ_num[p]);
                self.succ_num[u] = tmp_sc;
                self.last_succ[p] = tmp_ls;
                u = p;
            }
            self.pred[u_in] = in_arc as u32;
            self.pred_dir[u_in] = in_dir;
            self.succ_num[u_in] = old_succ_num;
        }

        let up_limit_out = if ix(self.last_succ[join]) == v_in {
            join as u32
        } else {
            NONE
        };
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in as u32;
        while u != NONE && ix(self.last_succ[ix(u)]) == v_in {
            self.last_succ[ix(u)] = last_succ_out;
            u = self.parent[ix(u)];
        }
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out as u32;
            while u != up_limit_out && ix(self.last_succ[ix(u)]) == old_last_succ {
                self.last_succ[ix(u)] = old_rev_thread as u32;
                u = self.parent[ix(u)];
            }
        } else if ix(last_succ_out) != old_last_succ {
            let mut u = v_out as u32;
            while u != up_limit_out && ix(self.last_succ[ix(u)]) == old_last_succ {
                self.last_succ[ix(u)] = last_succ_out;
                u = self.parent[ix(u)];
            }
        }
        let mut u = v_in;
        while u != join {
            self.succ_num[u] += old_succ_num;
            u = ix(self.parent[u]);
        }
        let mut u = v_out;
        while u != join {
            self.succ_num[u] -= old_succ_num;
            u = ix(self.parent[u]);
        }
    }

    fn update_potential(&mut self) {
        let u_in = self.u_in;
        let sigma = self.pi[self.v_in]
            - self.pi[u_in]
            - i64::from(self.pred_dir[u_in]) * self.arcs[self.in_arc].cost;
        let end = self.thread[ix(self.last_succ[u_in])];
        let mut u = u_in as u32;
        while u != end {
            self.pi[ix(u)] += sigma;
            u = self.thread[ix(u)];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arc_mixing_is_a_permutation() {
        for (m, n) in [
            (0, 0),
            (1, 1),
            (7, 2),
            (10, 3),
            (100, 7),
            (1000, 10),
            (5, 100),
        ] {
            let mut pos = mixing_order(m, n);
            pos.sort_unstable();
            assert_eq!(pos, (0..m).collect::<Vec<_>>(), "m={m} n={n}");
        }
    }

    #[test]
    fn transportation_problem() {
        // 2 sources x 2 sinks, classic textbook instance.
        let mut p = FlowProblem::new(4);
        p.supply = vec![20, 30, -25, -25];
        p.add_arc(0, 2, 0, 100, 8);
        p.add_arc(0, 3, 0, 100, 6);
        p.add_arc(1, 2, 0, 100, 4);
        p.add_arc(1, 3, 0, 100, 9);
        let sol = min_cost_flow(&p).expect("feasible");
        // 0->3: 20 (120), 1->2: 25 (100), 1->3: 5 (45).
        assert_eq!(sol.cost, 265);
        assert_eq!(sol.flow, vec![0, 20, 25, 5]);
    }
}
