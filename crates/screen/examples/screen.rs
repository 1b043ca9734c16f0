//! Screens names given on the command line against lists loaded from a path.
//!
//! `cargo run --release -p coalesce-screen --example screen -- /work/shared/data/sanctions "Mohamed Zeidan" ...`
//! Prefix an argument with `tok:` to print its normalised tokens instead.

use coalesce_screen::io::load_path;
use coalesce_screen::normalize::tokenize;
use coalesce_screen::{MatchOptions, MatchProperties, MatchQuery, Screener};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: screen PATH NAME...")?;
    let t = Instant::now();
    let lists = load_path(std::path::Path::new(&path))?;
    let parsed = t.elapsed();
    let s = Screener::new(lists);
    eprintln!(
        "parsed in {parsed:?}, indexed {} names of {} entries in {:?} total",
        s.name_count(),
        s.entities().len(),
        t.elapsed()
    );
    for v in s.versions() {
        eprintln!(
            "  {} published {:?} entries {} sha256 {}",
            v.source, v.published, v.entries, v.content_hash
        );
    }
    for a in args {
        if let Some(n) = a.strip_prefix("tok:") {
            println!(
                "{n} -> {:?}",
                tokenize(n)
                    .iter()
                    .map(|t| format!("{}/{}/{:.1}", t.text, t.skel, t.weight))
                    .collect::<Vec<_>>()
            );
            continue;
        }
        let q = MatchQuery {
            schema: None,
            properties: MatchProperties {
                name: vec![a.clone()],
                ..Default::default()
            },
        };
        let r = s.match_query(&q, &MatchOptions::default())?;
        println!("== {a}");
        for m in r.results {
            println!(
                "  {:.3} {} {} [{}]",
                m.score,
                if m.is_match { "MATCH" } else { "-" },
                m.id,
                m.caption
            );
            for e in m.explanation {
                println!("      {e}");
            }
        }
    }
    Ok(())
}
