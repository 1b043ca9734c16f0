//! Writes `data/sino-korean-pinyin.txt`: for each Hangul syllable, the
//! Pinyin syllables (toneless) of the common Chinese characters Korean
//! reads so (金 Kim is Jin, 鐵 Chol is Tie), from libhangul's Hanja
//! dictionary and frequencies (as shipped in the hanja 0.1.1 crate's
//! `data/`; BSD-style licence, kept in the output's header) and any_ascii's
//! Mandarin readings. Run once when the source changes:
//!
//! `cargo run -p coalesce-screen --example sino_korean_table -- <hanja>/data > crates/screen/data/sino-korean-pinyin.txt`
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The least frequency (libhangul's count) a character needs to count.
const COMMON: u64 = 3000;
/// The most characters one syllable contributes, most frequent first.
const PER_SYLLABLE: usize = 12;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: sino_korean_table <hanja data dir>")?;
    let freq: HashMap<char, u64> = std::fs::read_to_string(format!("{dir}/freq-hanja.txt"))?
        .lines()
        .filter_map(|l| {
            let (c, n) = l.split_once(':')?;
            Some((c.chars().next()?, n.trim().parse().ok()?))
        })
        .collect();
    let dict = std::fs::read_to_string(format!("{dir}/hanja.txt"))?;
    let mut by_syllable: BTreeMap<char, Vec<(u64, char)>> = BTreeMap::new();
    for line in dict.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split(':');
        let (Some(hangul), Some(hanja)) = (cols.next(), cols.next()) else {
            continue;
        };
        let (mut h, mut c) = (hangul.chars(), hanja.chars());
        let (Some(h), None, Some(c), None) = (h.next(), h.next(), c.next(), c.next()) else {
            continue;
        };
        let n = freq.get(&c).copied().unwrap_or(0);
        if n >= COMMON && ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            by_syllable.entry(h).or_default().push((n, c));
        }
    }
    let licence: Vec<&str> = dict.lines().take_while(|l| l.starts_with('#')).collect();
    println!("# Hangul syllables and the Pinyin syllables of the common Chinese");
    println!("# characters Korean reads so (at most {PER_SYLLABLE}, frequency {COMMON} or more).");
    println!("# Derived by examples/sino_korean_table.rs from libhangul's hanja.txt and");
    println!("# freq-hanja.txt (as shipped in the hanja 0.1.1 crate) and any_ascii's");
    println!("# Mandarin readings. The source's notice follows.");
    for l in licence {
        println!("{l}");
    }
    for (syllable, mut chars) in by_syllable {
        chars.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let pinyin: BTreeSet<String> = chars
            .iter()
            .take(PER_SYLLABLE)
            .map(|(_, c)| any_ascii::any_ascii_char(*c).to_ascii_lowercase())
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
            .collect();
        if !pinyin.is_empty() {
            println!(
                "{syllable}\t{}",
                pinyin.into_iter().collect::<Vec<_>>().join(" ")
            );
        }
    }
    Ok(())
}
