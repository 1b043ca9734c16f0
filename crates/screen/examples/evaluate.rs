//! Evaluation harness: labelled pairs derived from the lists, scored with
//! `compare_names` at `DEFAULT_THRESHOLD`; precision / recall / F1 per category,
//! development and held-out splits reported separately.
//!
//! `cargo run --release -p coalesce-screen --example evaluate -- /work/shared/data/sanctions
//!     [--write-pairs pairs.csv] [--errors CATEGORY] [--dev-only]`

use coalesce_screen::eval::{best_threshold, build_pairs, tally, Counts};
use coalesce_screen::io::load_path;
use coalesce_screen::{compare_names, DEFAULT_THRESHOLD};
use std::time::Instant;

fn fmt(x: f64) -> String {
    if x.is_nan() {
        "   -  ".into()
    } else {
        format!("{x:.4}")
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: evaluate PATH [--write-pairs FILE] [--errors CATEGORY] [--dev-only]")?;
    let opt = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dev_only = args.iter().any(|a| a == "--dev-only");
    let lists = load_path(std::path::Path::new(path))?;
    let pairs = build_pairs(&lists);
    if let Some(f) = opt("--write-pairs") {
        let mut w = csv::Writer::from_path(&f)?;
        w.write_record(["name1", "name2", "schema", "label", "category", "split"])?;
        for p in &pairs {
            w.write_record([
                p.name1.as_str(),
                p.name2.as_str(),
                p.schema.as_str(),
                if p.label { "1" } else { "0" },
                p.category,
                if p.heldout { "heldout" } else { "dev" },
            ])?;
        }
        w.flush()?;
        eprintln!("wrote {} pairs to {f}", pairs.len());
    }
    let t = Instant::now();
    let scores: Vec<f64> = pairs
        .iter()
        .map(|p| compare_names(&p.name1, &p.name2, Some(p.schema)).score)
        .collect();
    let el = t.elapsed();
    println!(
        "{} pairs scored in {:.3} s ({:.1} µs per pair, {:.0} pairs/s, one core)",
        pairs.len(),
        el.as_secs_f64(),
        el.as_secs_f64() * 1e6 / pairs.len() as f64,
        pairs.len() as f64 / el.as_secs_f64()
    );
    let (bt, bf) = best_threshold(&pairs, &scores);
    println!("DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}; best threshold on dev headline = {bt:.2} (F1 {bf:.4})");
    let mut curve = String::from("dev headline F1 by threshold:");
    for k in (40..=85).step_by(5) {
        let t = f64::from(k) / 100.0;
        let c = tally(&pairs, &scores, t);
        if let Some(c) = c.get(&(false, "~HEADLINE".to_string())) {
            curve.push_str(&format!(" {t:.2}:{:.4}", c.f1()));
        }
    }
    println!("{curve}");
    let m = tally(&pairs, &scores, DEFAULT_THRESHOLD);
    for split in [false, true] {
        if split && dev_only {
            continue;
        }
        println!(
            "\n== {} split (threshold {DEFAULT_THRESHOLD})",
            if split { "HELD-OUT" } else { "DEV" }
        );
        println!(
            "{:<26} {:>6} {:>6} {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}",
            "category", "pairs", "TP", "FN", "FP", "TN", "prec", "recall", "F1"
        );
        for ((h, cat), c) in &m {
            if *h != split {
                continue;
            }
            let c: &Counts = c;
            println!(
                "{:<26} {:>6} {:>6} {:>6} {:>6} {:>6}  {} {} {}",
                cat.trim_start_matches('~'),
                c.total(),
                c.tp,
                c.fn_,
                c.fp,
                c.tn,
                fmt(c.precision()),
                fmt(c.recall()),
                fmt(c.f1())
            );
        }
    }
    println!("\n(HEADLINE = all categories except *_unrelated aliases: nicknames / kunyas / former names sharing no word with the primary name, which no name comparison can find; an entry-level screen still finds them because every alias is indexed.)");
    if let Some(cat) = opt("--errors") {
        println!("\n== errors in {cat} (dev split)");
        for (p, s) in pairs.iter().zip(&scores) {
            if p.category == cat && !p.heldout && (*s >= DEFAULT_THRESHOLD) != p.label {
                let d = compare_names(&p.name1, &p.name2, None);
                println!("{:.3} {} | {} | {}", s, p.name1, p.name2, d.describe());
            }
        }
    }
    Ok(())
}
