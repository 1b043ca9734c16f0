//! Benchmark driver for coalesce-allocate (used by bench/allocate/run.sh and
//! bench/allocate/check_lp.py). The library does no IO; this example does.
//!
//! ```text
//! allocate_bench gen-domain OFFERS REQUIREMENTS PAIRS SEED OUT.dimacs
//! allocate_bench gen-netgen NODES ARCS SEED OUT.dimacs
//! allocate_bench domain OFFERS REQUIREMENTS PAIRS SEED   # time allocate()
//! allocate_bench solve FILE.dimacs [--quiet]             # DIMACS solution
//! ```

use std::process::ExitCode;
use std::time::Instant;

use coalesce_allocate::gen::{self, NetgenParams};
use coalesce_allocate::{allocate, flow_network, solve_dimacs, write_dimacs};

fn arg<T: std::str::FromStr>(args: &[String], i: usize, what: &str) -> Result<T, String> {
    args.get(i)
        .ok_or_else(|| format!("missing {what}"))?
        .parse()
        .map_err(|_| format!("bad {what}"))
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("gen-domain") => {
            let (o, r, pairs, seed): (usize, usize, usize, u64) = (
                arg(args, 1, "offers")?,
                arg(args, 2, "requirements")?,
                arg(args, 3, "pairs")?,
                arg(args, 4, "seed")?,
            );
            let out: String = arg(args, 5, "output path")?;
            let p = gen::realistic(o, r, pairs, seed);
            let net = flow_network(&p).map_err(|e| e.to_string())?;
            let text = write_dimacs(
                &net,
                &format!("coalesce allocation network: {o} offers x {r} requirements, seed {seed}"),
            );
            std::fs::write(&out, text).map_err(|e| e.to_string())?;
            eprintln!(
                "wrote {out}: {} nodes, {} arcs ({} compatible pairs)",
                net.supply.len(),
                net.arcs.len(),
                net.arcs.len() - o - r
            );
            Ok(())
        }
        Some("gen-netgen") => {
            let (nodes, arcs, seed): (usize, usize, u64) = (
                arg(args, 1, "nodes")?,
                arg(args, 2, "arcs")?,
                arg(args, 3, "seed")?,
            );
            let out: String = arg(args, 4, "output path")?;
            let p = gen::netgen(
                NetgenParams {
                    nodes,
                    arcs,
                    sources: (nodes / 20).max(1),
                    sinks: (nodes / 20).max(1),
                    supply: 100 * nodes as i64,
                    min_cost: 1,
                    max_cost: 10_000,
                    min_cap: 100,
                    max_cap: 5_000,
                    lower_bound_fraction: 0.3,
                },
                seed,
            );
            let text = write_dimacs(&p, &format!("NETGEN-style instance, seed {seed}"));
            std::fs::write(&out, text).map_err(|e| e.to_string())?;
            eprintln!(
                "wrote {out}: {} nodes, {} arcs",
                p.supply.len(),
                p.arcs.len()
            );
            Ok(())
        }
        Some("domain") => {
            let (o, r, pairs, seed): (usize, usize, usize, u64) = (
                arg(args, 1, "offers")?,
                arg(args, 2, "requirements")?,
                arg(args, 3, "pairs")?,
                arg(args, 4, "seed")?,
            );
            let p = gen::realistic(o, r, pairs, seed);
            let t = Instant::now();
            let a = allocate(&p).map_err(|e| e.to_string())?;
            let secs = t.elapsed().as_secs_f64();
            let delivered: i64 = a.requirements.iter().map(|x| x.delivered).sum();
            let requested: i64 = a.requirements.iter().map(|x| x.requested).sum();
            println!(
                "allocate(): {o} offers x {r} requirements, {} compatible pairs: {secs:.3} s; {} matches, {delivered}/{requested} delivered, {} gaps, weighted {}, cost {}",
                a.compatible_pairs,
                a.assignments.len(),
                a.gaps.len(),
                a.weighted_delivered,
                a.cost
            );
            Ok(())
        }
        Some("solve") => {
            let path: String = arg(args, 1, "input path")?;
            let quiet = args.iter().any(|a| a == "--quiet");
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let t = Instant::now();
            let out = solve_dimacs(&text).map_err(|e| e.to_string())?;
            let secs = t.elapsed().as_secs_f64();
            eprintln!("c solve time {secs:.3} s (parse + solve + print)");
            if quiet {
                if let Some(s) = out.lines().find(|l| l.starts_with("s ")) {
                    println!("{s}");
                }
                println!("c time {secs:.6}");
            } else {
                print!("{out}");
            }
            Ok(())
        }
        _ => Err("usage: allocate_bench gen-domain|gen-netgen|domain|solve ...".into()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
