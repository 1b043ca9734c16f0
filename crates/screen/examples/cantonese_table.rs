//! Writes `data/cantonese-pinyin.txt`: for each Cantonese syllable
//! (Jyutping, toneless), the Pinyin syllables (toneless) of the common
//! characters read so, from rime-cantonese's character readings and word
//! frequencies (as shipped in the rust-canto crate's `data/`; CC BY 4.0)
//! and any_ascii's Mandarin readings. Run once when the source changes:
//!
//! `cargo run -p coalesce-screen --example cantonese_table -- <rust-canto>/data > crates/screen/data/cantonese-pinyin.txt`
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many of the most frequent characters count.
const COMMON: usize = 5000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: cantonese_table <rust-canto data dir>")?;
    let freq = std::fs::read_to_string(format!("{dir}/freq.txt"))?;
    let mut by_char: HashMap<char, u64> = HashMap::new();
    for line in freq.lines() {
        let Some((word, n)) = line.split_once('\t') else {
            continue;
        };
        let n: u64 = n.trim().parse().unwrap_or(0);
        for c in word.chars() {
            *by_char.entry(c).or_default() += n;
        }
    }
    let mut ranked: Vec<(char, u64)> = by_char
        .into_iter()
        .filter(|(c, _)| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let common: BTreeSet<char> = ranked.iter().take(COMMON).map(|(c, _)| *c).collect();
    let chars = std::fs::read_to_string(format!("{dir}/chars.tsv"))?;
    let mut table: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in chars.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(c), Some(jyutping)) = (cols.first().and_then(|s| s.chars().next()), cols.get(1))
        else {
            continue;
        };
        // Readings the source marks as rare (a percentage under 5) are left out.
        let rare = cols
            .get(2)
            .and_then(|p| p.trim_end_matches('%').parse::<u32>().ok())
            .is_some_and(|p| p < 5);
        if rare || !common.contains(&c) {
            continue;
        }
        let syllable = jyutping.trim_end_matches(|d: char| d.is_ascii_digit());
        let pinyin = any_ascii::any_ascii_char(c).to_ascii_lowercase();
        if syllable.is_empty()
            || pinyin.is_empty()
            || !pinyin.bytes().all(|b| b.is_ascii_lowercase())
        {
            continue;
        }
        table
            .entry(syllable.to_string())
            .or_default()
            .insert(pinyin);
    }
    println!("# Cantonese syllables (Jyutping, toneless) and the Pinyin syllables of");
    println!("# the {COMMON} most frequent characters read so. Derived by");
    println!("# examples/cantonese_table.rs from rime-cantonese (CC BY 4.0,");
    println!("# https://github.com/rime/rime-cantonese, release ce0be9e, as shipped in");
    println!("# the rust-canto 0.3.4 crate) and any_ascii's Mandarin readings.");
    for (syllable, pinyin) in table {
        println!(
            "{syllable}\t{}",
            pinyin.into_iter().collect::<Vec<_>>().join(" ")
        );
    }
    Ok(())
}
