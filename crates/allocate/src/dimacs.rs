//! DIMACS minimum-cost flow format: parse, solve, print the solution.
//!
//! Input lines (1-based node ids):
//!
//! ```text
//! c a comment
//! p min NODES ARCS
//! n ID SUPPLY
//! a FROM TO LOW CAP COST
//! ```
//!
//! Output: `s <optimal cost>` followed by one `f FROM TO FLOW` line per arc
//! with non-zero flow, in input order. Comment lines start with `c`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::simplex::{min_cost_flow, FlowError, FlowProblem};

/// Most nodes a DIMACS file may declare (memory is allocated per node).
pub const MAX_NODES: u64 = 20_000_000;

/// Why a DIMACS instance could not be solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum DimacsError {
    /// The text is not a well-formed DIMACS min-cost flow instance.
    #[error("line {line}: {reason}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// Well-formed, but no optimal flow exists (or it cannot be computed exactly).
    #[error("{0}")]
    Unsolvable(#[from] FlowError),
}

fn bad(line: usize, reason: impl Into<String>) -> DimacsError {
    DimacsError::Malformed {
        line,
        reason: reason.into(),
    }
}

fn num(line: usize, what: &str, tok: &str) -> Result<i64, DimacsError> {
    tok.parse::<i64>()
        .map_err(|_| bad(line, format!("{what} '{tok}' is not an integer")))
}

fn node_id(line: usize, what: &str, tok: &str, nodes: usize) -> Result<usize, DimacsError> {
    let v = num(line, what, tok)?;
    if v < 1 || v as u64 > nodes as u64 {
        return Err(bad(line, format!("{what} {v} out of range 1..={nodes}")));
    }
    Ok((v - 1) as usize)
}

/// Parses a DIMACS minimum-cost flow instance.
pub fn parse_dimacs(input: &str) -> Result<FlowProblem, DimacsError> {
    let mut problem: Option<(FlowProblem, usize)> = None; // (problem, declared arcs)
    let mut node_seen: Vec<bool> = Vec::new();
    let mut last_line = 0;
    for (i, raw) in input.split('\n').enumerate() {
        let line = i + 1;
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let mut toks = text.split_ascii_whitespace();
        let Some(kind) = toks.next() else { continue };
        last_line = line;
        let rest: Vec<&str> = match kind {
            "c" => continue,
            _ => toks.collect(),
        };
        match kind {
            "p" => {
                if problem.is_some() {
                    return Err(bad(line, "duplicate p line"));
                }
                if rest.len() != 3 {
                    return Err(bad(
                        line,
                        format!(
                            "p line needs 'p min NODES ARCS', got {} fields",
                            rest.len() + 1
                        ),
                    ));
                }
                if rest[0] != "min" {
                    return Err(bad(
                        line,
                        format!("problem type '{}' is not 'min'", rest[0]),
                    ));
                }
                let n = num(line, "node count", rest[1])?;
                let m = num(line, "arc count", rest[2])?;
                if n < 0 || m < 0 {
                    return Err(bad(line, "negative node or arc count"));
                }
                if n as u64 > MAX_NODES {
                    return Err(bad(
                        line,
                        format!("{n} nodes is more than the limit of {MAX_NODES}"),
                    ));
                }
                if m as u64 > input.len() as u64 {
                    return Err(bad(
                        line,
                        format!(
                            "arc count {m} cannot fit in an input of {} bytes",
                            input.len()
                        ),
                    ));
                }
                let mut p = FlowProblem::new(n as usize);
                p.arcs.reserve(m as usize);
                node_seen = vec![false; n as usize];
                problem = Some((p, m as usize));
            }
            "n" => {
                let Some((p, _)) = problem.as_mut() else {
                    return Err(bad(line, "n line before the p line"));
                };
                if rest.len() != 2 {
                    return Err(bad(
                        line,
                        format!("n line needs 'n ID SUPPLY', got {} fields", rest.len() + 1),
                    ));
                }
                let id = node_id(line, "node id", rest[0], p.supply.len())?;
                let supply = num(line, "supply", rest[1])?;
                if node_seen[id] {
                    return Err(bad(line, format!("node {} described twice", id + 1)));
                }
                node_seen[id] = true;
                p.supply[id] = supply;
            }
            "a" => {
                let Some((p, declared)) = problem.as_mut() else {
                    return Err(bad(line, "a line before the p line"));
                };
                if rest.len() != 5 {
                    return Err(bad(
                        line,
                        format!(
                            "a line needs 'a FROM TO LOW CAP COST', got {} fields",
                            rest.len() + 1
                        ),
                    ));
                }
                let n = p.supply.len();
                let from = node_id(line, "tail node", rest[0], n)?;
                let to = node_id(line, "head node", rest[1], n)?;
                let low = num(line, "lower bound", rest[2])?;
                let cap = num(line, "capacity", rest[3])?;
                let cost = num(line, "cost", rest[4])?;
                if low < 0 {
                    return Err(bad(line, format!("negative lower bound {low}")));
                }
                if cap < 0 {
                    return Err(bad(line, format!("negative capacity {cap}")));
                }
                if cap < low {
                    return Err(bad(
                        line,
                        format!("capacity {cap} is below lower bound {low}"),
                    ));
                }
                if p.arcs.len() >= *declared {
                    return Err(bad(
                        line,
                        format!("more arcs than the {declared} declared on the p line"),
                    ));
                }
                p.add_arc(from, to, low, cap, cost);
            }
            other => {
                let shown: String = other.chars().take(20).collect();
                return Err(bad(line, format!("unknown line type '{shown}'")));
            }
        }
    }
    let Some((p, declared)) = problem else {
        return Err(bad(last_line.max(1), "missing p line"));
    };
    if p.arcs.len() != declared {
        return Err(bad(
            last_line.max(1),
            format!(
                "p line declares {declared} arcs but {} were given",
                p.arcs.len()
            ),
        ));
    }
    Ok(p)
}

/// Writes a problem in DIMACS format (lower bounds included).
pub fn write_dimacs(problem: &FlowProblem, comment: &str) -> String {
    let mut out = String::with_capacity(32 * (problem.arcs.len() + 4));
    for c in comment.lines() {
        let _ = writeln!(out, "c {c}");
    }
    let _ = writeln!(out, "p min {} {}", problem.supply.len(), problem.arcs.len());
    for (i, &s) in problem.supply.iter().enumerate() {
        if s != 0 {
            let _ = writeln!(out, "n {} {}", i + 1, s);
        }
    }
    for a in &problem.arcs {
        let _ = writeln!(
            out,
            "a {} {} {} {} {}",
            a.from + 1,
            a.to + 1,
            a.low,
            a.cap,
            a.cost
        );
    }
    out
}

/// Parses, solves and prints the DIMACS solution (`s COST`, then `f FROM TO
/// FLOW` for each arc with non-zero flow).
///
/// Errors name the line and the reason for malformed input, and say
/// "infeasible" when the supplies do not balance or no feasible flow exists.
pub fn solve_dimacs(input: &str) -> Result<String, DimacsError> {
    let problem = parse_dimacs(input)?;
    let sol = min_cost_flow(&problem)?;
    let mut out = String::with_capacity(24 * (problem.arcs.len() / 4 + 4));
    out.push_str("c coalesce-allocate: network simplex, optimal\n");
    let _ = writeln!(out, "s {}", sol.cost);
    for (a, &f) in problem.arcs.iter().zip(&sol.flow) {
        if f != 0 {
            let _ = writeln!(out, "f {} {} {}", a.from + 1, a.to + 1, f);
        }
    }
    Ok(out)
}
