//! Batch screening of a CSV file through [`screen_csv_parallel`], timed:
//! list parse time, index build time, rows/s end to end (CSV in, hits CSV out).
//!
//! `cargo run --release -p coalesce-screen --example batch -- DATA INPUT.csv OUTPUT.csv [THREADS]`
//!
//! THREADS: 0 (default) uses every available core. Prints one `key=value`
//! line per measurement for scripts, after a human-readable summary.

use coalesce_screen::io::load_path;
use coalesce_screen::{screen_csv_parallel, Screener, DEFAULT_THRESHOLD};
use std::io::{BufReader, BufWriter};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: batch DATA INPUT.csv OUTPUT.csv [THREADS]";
    let data = args.first().ok_or(usage)?;
    let input = args.get(1).ok_or(usage)?;
    let output = args.get(2).ok_or(usage)?;
    let threads: usize = args.get(3).map_or(Ok(0), |s| s.parse())?;
    let used = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        threads
    };

    let t0 = Instant::now();
    let lists = load_path(std::path::Path::new(data))?;
    let parse = t0.elapsed();
    let t1 = Instant::now();
    let s = Screener::new(lists);
    let index = t1.elapsed();
    println!(
        "lists: {} entries, {} names; parse {:.0} ms + index build {:.0} ms = {:.0} ms",
        s.entities().len(),
        s.name_count(),
        parse.as_secs_f64() * 1e3,
        index.as_secs_f64() * 1e3,
        (parse + index).as_secs_f64() * 1e3
    );

    let rdr = BufReader::with_capacity(1 << 20, std::fs::File::open(input)?);
    let wtr = BufWriter::with_capacity(1 << 20, std::fs::File::create(output)?);
    let t2 = Instant::now();
    let mut last_report = Instant::now();
    let sum = screen_csv_parallel(&s, rdr, wtr, DEFAULT_THRESHOLD, threads, &mut |n| {
        if last_report.elapsed().as_secs() >= 10 {
            eprintln!("  {n} rows ...");
            last_report = Instant::now();
        }
    })?;
    let el = t2.elapsed().as_secs_f64();
    println!(
        "screened {} rows on {used} threads in {el:.2} s: {:.0} rows/s end to end; {} hits at threshold {DEFAULT_THRESHOLD}",
        sum.rows,
        sum.rows as f64 / el,
        sum.hits
    );
    println!("parse_ms={:.1}", parse.as_secs_f64() * 1e3);
    println!("index_ms={:.1}", index.as_secs_f64() * 1e3);
    println!("rows={}", sum.rows);
    println!("seconds={el:.3}");
    println!("qps={:.0}", sum.rows as f64 / el);
    println!("threads={used}");
    Ok(())
}
