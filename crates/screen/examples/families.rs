//! Precision, recall and F1 per category and per family on hand-labelled
//! name pairs (`data/pairs/families.csv`: name1, name2, schema, label,
//! category, family), at the default threshold, scored the way
//! `compare_csv` scores them.
//!
//! `cargo run --release -p coalesce-screen --example families [FILE ...] [--errors]`

use coalesce_screen::eval::Counts;
use coalesce_screen::{compare_names, Schema, DEFAULT_THRESHOLD};
use std::collections::BTreeMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_errors = args.iter().any(|a| a == "--errors");
    let mut files: Vec<String> = args.into_iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        files.push(concat!(env!("CARGO_MANIFEST_DIR"), "/data/pairs/families.csv").into());
    }
    let mut by_category: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_family: BTreeMap<String, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    let mut errors = Vec::new();
    for file in &files {
        let mut rdr = csv::Reader::from_path(file)?;
        for rec in rdr.records() {
            let rec = rec?;
            let field = |i: usize| rec.get(i).unwrap_or("");
            let label = match field(3) {
                "true" => true,
                "false" => false,
                other => return Err(format!("{file}: label {other:?} is not true/false").into()),
            };
            let score = compare_names(field(0), field(1), Schema::parse(field(2))).score;
            let predicted = score >= DEFAULT_THRESHOLD;
            by_category
                .entry(field(4).to_string())
                .or_default()
                .add(label, predicted);
            by_family
                .entry(field(5).to_string())
                .or_default()
                .add(label, predicted);
            all.add(label, predicted);
            if label != predicted {
                errors.push(format!(
                    "{:>5} {score:.3}  {} | {} ({}, {})",
                    if label { "miss" } else { "false" },
                    field(0),
                    field(1),
                    field(4),
                    field(5)
                ));
            }
        }
    }
    let line = |name: &str, c: &Counts| {
        println!(
            "{name:<22} {:>5} {:>6.3} {:>6.3} {:>6.3}   fp {:>3} fn {:>3}",
            c.total(),
            c.precision(),
            c.recall(),
            c.f1(),
            c.fp,
            c.fn_
        );
    };
    println!("threshold {DEFAULT_THRESHOLD}");
    println!(
        "{:<22} {:>5} {:>6} {:>6} {:>6}",
        "category", "pairs", "P", "R", "F1"
    );
    for (k, c) in &by_category {
        line(k, c);
    }
    line("ALL", &all);
    println!();
    println!(
        "{:<22} {:>5} {:>6} {:>6} {:>6}",
        "family", "pairs", "P", "R", "F1"
    );
    for (k, c) in &by_family {
        line(k, c);
    }
    if show_errors {
        println!();
        for e in &errors {
            println!("{e}");
        }
    }
    Ok(())
}
