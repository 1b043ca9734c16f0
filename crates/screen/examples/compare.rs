//! `compare_csv` from stdin to stdout: `name1,name2[,schema,...]` -> same plus `score,match`.
//!
//! `cargo run --release -p coalesce-screen --example compare < pairs.csv > scored.csv`

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = std::time::Instant::now();
    let n = coalesce_screen::compare_csv(
        std::io::stdin().lock(),
        std::io::BufWriter::new(std::io::stdout().lock()),
    )?;
    let el = t.elapsed().as_secs_f64();
    eprintln!(
        "compare_csv: {n} rows in {el:.3} s ({:.0} rows/s incl. CSV I/O)",
        n as f64 / el
    );
    Ok(())
}
