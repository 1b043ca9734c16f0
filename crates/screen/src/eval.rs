//! Labelled name pairs derived from the lists themselves, plus synthetic
//! variants, and precision / recall / F1 over them.
//!
//! Positive pairs: an entry's primary name against its own aliases and
//! original-script names, names given together in one UN alias field, and
//! synthetic variants (typos, swapped order, dropped particles, other
//! transliterations, initials). Negative pairs: names of different entries of
//! the same list (never across lists: the UN and OFAC list the same people),
//! random and hard (sharing one or two name parts such as `Mohammed` or `al-`).
//!
//! Entries whose reference hashes into the held-out fifth ([`is_heldout`]) only
//! ever pair with held-out entries; tune on the rest, report both.

use crate::model::{Entity, NameStrength, SanctionsList, Schema};
use crate::normalize::has_non_latin;
use std::collections::{BTreeMap, HashMap};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One labelled pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub name1: String,
    pub name2: String,
    pub schema: Schema,
    pub label: bool,
    pub category: &'static str,
    pub heldout: bool,
}

/// FNV-1a 64.
pub fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// True for the held-out fifth of entries (by hash of `list:reference`).
pub fn is_heldout(e: &Entity) -> bool {
    fnv(&format!("{}:{}", e.list, e.reference)) % 5 == 0
}

/// Deterministic xorshift generator.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// Lower-case, diacritics-free words (independent of the matcher's normaliser).
pub fn fold_words(s: &str) -> Vec<String> {
    let folded: String = s
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

const PARTICLES: [&str; 12] = [
    "al", "el", "bin", "ben", "ibn", "abu", "abou", "umm", "bint", "ould", "ul", "ad",
];

/// Heuristic independent of the matcher: do two names share a word start
/// (first three letters of a non-particle word)?
fn related(a: &str, b: &str) -> bool {
    let starts = |s: &str| -> Vec<String> {
        fold_words(s)
            .into_iter()
            .filter(|w| w.len() >= 3 && !PARTICLES.contains(&w.as_str()))
            .map(|w| w.chars().take(3).collect())
            .collect()
    };
    let sb = starts(b);
    starts(a).iter().any(|x| sb.contains(x))
}

/// Spelling variants a clerk or another list might use.
const TRANSLIT: &[(&str, &[&str])] = &[
    ("muhammad", &["mohammed", "mohamed", "mohamad", "muhammed"]),
    ("mohammed", &["muhammad", "mohamed", "mohammad"]),
    ("mohamed", &["muhammad", "mohammed", "mohamad"]),
    ("mohammad", &["muhammad", "mohammed", "mohamed"]),
    ("muhamad", &["mohammed", "muhammad"]),
    ("ahmad", &["ahmed"]),
    ("ahmed", &["ahmad"]),
    ("husayn", &["hussein", "hussain", "husain"]),
    ("hussein", &["husayn", "hussain", "husein"]),
    ("hussain", &["hussein", "husayn"]),
    ("hasan", &["hassan"]),
    ("hassan", &["hasan"]),
    ("yusuf", &["yousef", "youssef", "yousif"]),
    ("yousef", &["yusuf", "youssef"]),
    ("umar", &["omar"]),
    ("omar", &["umar"]),
    ("usama", &["osama", "oussama"]),
    ("osama", &["usama"]),
    ("abdullah", &["abdallah", "abd allah"]),
    ("abdallah", &["abdullah"]),
    ("khalid", &["khaled"]),
    ("khaled", &["khalid"]),
    ("said", &["saeed", "saeid"]),
    ("salih", &["saleh"]),
    ("saleh", &["salih"]),
    ("mustafa", &["mostafa", "moustafa"]),
    ("ibrahim", &["ebrahim", "ibraheem"]),
    ("ismail", &["ismael", "esmail"]),
    ("mahmud", &["mahmoud"]),
    ("mahmoud", &["mahmud"]),
    ("abu", &["abou"]),
    ("bin", &["ben"]),
    ("sayf", &["saif", "seif"]),
    ("saif", &["sayf", "seif"]),
    ("jafar", &["jaafar"]),
    ("qasim", &["kassem", "qassim"]),
    ("tariq", &["tarek", "tarik"]),
    ("faruq", &["farouk"]),
    ("zubayr", &["zubair"]),
    ("ali", &["aly"]),
    ("yasin", &["yassine", "yaseen"]),
    ("nasir", &["nasser", "naser"]),
    ("nasser", &["nasir"]),
    ("abdul", &["abd al", "abdel"]),
    ("abdel", &["abdul", "abd el"]),
    ("abd", &["abdul", "abdel"]),
    ("ali", &["aly", "alee"]),
    ("hamid", &["hamed"]),
    ("rashid", &["rachid", "rasheed"]),
    ("sheikh", &["shaykh", "cheikh"]),
    ("shaykh", &["sheikh"]),
    ("uthman", &["othman", "osman"]),
    ("mahdi", &["mehdi"]),
    ("hamza", &["hamzah"]),
    ("abdelaziz", &["abdulaziz", "abd al-aziz"]),
    ("abdulaziz", &["abdelaziz", "abdul aziz"]),
    (
        "abdulrahman",
        &["abdurrahman", "abd al-rahman", "abdelrahman"],
    ),
    ("abdelrahman", &["abdulrahman", "abd al-rahman"]),
];

fn title_case(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Another transliteration of a name's Arabic parts (or a vowel change).
pub fn syn_translit(name: &str, rng: &mut Rng) -> Option<String> {
    let words = fold_words(name);
    let idx: Vec<usize> = (0..words.len())
        .filter(|&i| TRANSLIT.iter().any(|(k, _)| *k == words[i]))
        .collect();
    if idx.is_empty() {
        // Generic vowel change in the longest word: e<->i, ou->u, double letter.
        let (li, lw) = words.iter().enumerate().max_by_key(|(_, w)| w.len())?;
        if lw.len() < 4 {
            return None;
        }
        let nw = if lw.contains("ou") {
            lw.replacen("ou", "u", 1)
        } else if lw[1..].contains('e') {
            format!("{}{}", &lw[..1], lw[1..].replacen('e', "i", 1))
        } else if lw[1..].contains('i') {
            format!("{}{}", &lw[..1], lw[1..].replacen('i', "e", 1))
        } else if lw[1..].contains('u') {
            format!("{}{}", &lw[..1], lw[1..].replacen('u', "ou", 1))
        } else {
            return None;
        };
        let mut w = words.clone();
        w[li] = nw;
        return Some(
            w.iter()
                .map(|x| title_case(x))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let mut w = words.clone();
    for &i in &idx {
        if let Some((_, alts)) = TRANSLIT.iter().find(|(k, _)| *k == words[i]) {
            w[i] = alts[rng.below(alts.len())].to_string();
        }
    }
    Some(
        w.iter()
            .map(|x| title_case(x))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// One typo (deletion, swap or substitution) in a word of five letters or more.
pub fn syn_typo(name: &str, rng: &mut Rng) -> Option<String> {
    let words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    let cands: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().count() >= 5 && words[i].chars().all(char::is_alphabetic))
        .collect();
    if cands.is_empty() {
        return None;
    }
    let wi = cands[rng.below(cands.len())];
    let mut chars: Vec<char> = words[wi].chars().collect();
    let pos = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(pos);
        }
        1 => chars.swap(pos, pos + 1),
        _ => {
            let alphabet = "aeioulnrstmkd";
            let c = alphabet
                .chars()
                .nth(rng.below(alphabet.len()))
                .unwrap_or('a');
            if chars[pos].to_ascii_lowercase() == c {
                return None;
            }
            chars[pos] = if chars[pos].is_uppercase() {
                c.to_ascii_uppercase()
            } else {
                c
            };
        }
    }
    let mut w = words;
    w[wi] = chars.into_iter().collect();
    Some(w.join(" "))
}

/// `First Middle LAST` -> `LAST, First Middle`.
pub fn syn_order(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    // "First Middle LAST" -> "LAST, First Middle"
    let (last, rest) = words.split_last()?;
    Some(format!("{}, {}", last, rest.join(" ")))
}

/// The name without Arabic particles (al, el, bin, ibn, ...).
pub fn syn_particles(name: &str) -> Option<String> {
    let words = fold_words(name);
    let kept: Vec<&String> = words
        .iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "al" | "el" | "ad" | "ar" | "as" | "bin" | "ibn" | "ben" | "ul"
            )
        })
        .collect();
    if kept.len() == words.len() || kept.len() < 2 {
        return None;
    }
    Some(
        kept.iter()
            .map(|x| title_case(x))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn syn_initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 3 {
        return None;
    }
    let first = words[0].chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    Some(format!("{}. {}", first, words[1..].join(" ")))
}

/// Builds the labelled pairs from parsed lists (deterministic).
pub fn build_pairs(lists: &[SanctionsList]) -> Vec<Pair> {
    let mut rng = Rng::new(0x5eed_cafe);
    let mut out = Vec::new();
    for l in lists {
        let ents: Vec<&Entity> = l.entities.iter().filter(|e| !e.names.is_empty()).collect();
        // Word -> entries (for hard negatives), per split.
        let mut by_word: HashMap<(bool, String), Vec<usize>> = HashMap::new();
        for (i, e) in ents.iter().enumerate() {
            let mut ws = fold_words(e.caption());
            ws.sort();
            ws.dedup();
            for w in ws {
                by_word.entry((is_heldout(e), w)).or_default().push(i);
            }
        }
        let split_members: HashMap<bool, Vec<usize>> = {
            let mut m: HashMap<bool, Vec<usize>> = HashMap::new();
            for (i, e) in ents.iter().enumerate() {
                m.entry(is_heldout(e)).or_default().push(i);
            }
            m
        };
        for (i, e) in ents.iter().enumerate() {
            let h = is_heldout(e);
            let primary = e.caption().to_string();
            let push = |out: &mut Vec<Pair>,
                        n2: String,
                        label: bool,
                        category: &'static str,
                        schema: Schema| {
                if !n2.trim().is_empty() && n2 != primary {
                    out.push(Pair {
                        name1: primary.clone(),
                        name2: n2,
                        schema,
                        label,
                        category,
                        heldout: h,
                    });
                }
            };
            for n in e.names.iter().skip(1) {
                let cat = match n.strength {
                    NameStrength::OriginalScript
                        if n.value
                            .chars()
                            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) =>
                    {
                        "original_script_arabic"
                    }
                    NameStrength::OriginalScript => "original_script_other",
                    NameStrength::Weak if related(&primary, &n.value) => "alias_weak_related",
                    NameStrength::Weak => "alias_weak_unrelated",
                    NameStrength::Strong if has_non_latin(&primary) => "alias_strong_related",
                    NameStrength::Strong if related(&primary, &n.value) => "alias_strong_related",
                    NameStrength::Strong => "alias_strong_unrelated",
                };
                push(&mut out, n.value.clone(), true, cat, e.schema);
            }
            if has_non_latin(&primary) {
                continue;
            }
            let person = e.schema == Schema::Person;
            if person {
                if let Some(v) = syn_translit(&primary, &mut rng) {
                    push(&mut out, v, true, "syn_translit", e.schema);
                }
                if let Some(v) = syn_particles(&primary) {
                    push(&mut out, v, true, "syn_particles", e.schema);
                }
                if let Some(v) = syn_initials(&primary) {
                    push(&mut out, v, true, "syn_initials", e.schema);
                }
                if let Some(v) = syn_order(&primary) {
                    push(&mut out, v, true, "syn_order", e.schema);
                }
            }
            if let Some(v) = syn_typo(&primary, &mut rng) {
                push(&mut out, v, true, "syn_typo", e.schema);
            }
            // Negatives: same list, same split, same schema, different folded name.
            let fp = fold_words(&primary).join(" ");
            let ok = |j: usize| {
                j != i
                    && ents[j].schema == e.schema
                    && fold_words(ents[j].caption()).join(" ") != fp
            };
            let members = &split_members[&h];
            for _ in 0..4 {
                let j = members[rng.below(members.len())];
                if ok(j) {
                    push(
                        &mut out,
                        ents[j].caption().to_string(),
                        false,
                        "neg_random",
                        e.schema,
                    );
                    break;
                }
            }
            let words = fold_words(&primary);
            // Sharing one word (preferring common ones such as muhammad / al).
            let mut shared1: Vec<usize> = Vec::new();
            for w in &words {
                if let Some(v) = by_word.get(&(h, w.clone())) {
                    shared1.extend(v.iter().copied().filter(|&j| ok(j)));
                }
            }
            if !shared1.is_empty() {
                let j = shared1[rng.below(shared1.len())];
                push(
                    &mut out,
                    ents[j].caption().to_string(),
                    false,
                    "neg_shared_token",
                    e.schema,
                );
            }
            // Sharing two or more words.
            let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
            for j in shared1 {
                *counts.entry(j).or_default() += 1;
            }
            let shared2: Vec<usize> = counts
                .iter()
                .filter(|(_, &c)| c >= 2)
                .map(|(&j, _)| j)
                .collect();
            if !shared2.is_empty() {
                let j = shared2[rng.below(shared2.len())];
                push(
                    &mut out,
                    ents[j].caption().to_string(),
                    false,
                    "neg_shared_two",
                    e.schema,
                );
            }
        }
    }
    out
}

/// Confusion counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    pub fn_: u64,
}

impl Counts {
    pub fn add(&mut self, label: bool, predicted: bool) {
        match (label, predicted) {
            (true, true) => self.tp += 1,
            (true, false) => self.fn_ += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn precision(&self) -> f64 {
        let d = self.tp + self.fp;
        if d == 0 {
            f64::NAN
        } else {
            self.tp as f64 / d as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let d = self.tp + self.fn_;
        if d == 0 {
            f64::NAN
        } else {
            self.tp as f64 / d as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let d = 2 * self.tp + self.fp + self.fn_;
        if d == 0 {
            f64::NAN
        } else {
            2.0 * self.tp as f64 / d as f64
        }
    }
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }
}

/// Categories that count towards the headline F1: everything except aliases
/// that share no word with the primary name (nicknames, kunyas, former names),
/// which no name comparison can find; those are reported separately.
pub fn headline(category: &str) -> bool {
    !category.ends_with("_unrelated")
}

/// Counts per (held-out, category), plus `ALL` and `HEADLINE` rows.
pub fn tally(pairs: &[Pair], scores: &[f64], threshold: f64) -> BTreeMap<(bool, String), Counts> {
    let mut m: BTreeMap<(bool, String), Counts> = BTreeMap::new();
    for (p, &s) in pairs.iter().zip(scores) {
        let pred = s >= threshold;
        m.entry((p.heldout, p.category.to_string()))
            .or_default()
            .add(p.label, pred);
        m.entry((p.heldout, "~ALL".to_string()))
            .or_default()
            .add(p.label, pred);
        if headline(p.category) {
            m.entry((p.heldout, "~HEADLINE".to_string()))
                .or_default()
                .add(p.label, pred);
        }
    }
    m
}

/// The threshold maximising headline F1 on the development split.
pub fn best_threshold(pairs: &[Pair], scores: &[f64]) -> (f64, f64) {
    let mut best = (0.5, -1.0);
    for k in 30..=98 {
        let t = f64::from(k) / 100.0;
        let mut c = Counts::default();
        for (p, &s) in pairs.iter().zip(scores) {
            if !p.heldout && headline(p.category) {
                c.add(p.label, s >= t);
            }
        }
        if c.f1() > best.1 {
            best = (t, c.f1());
        }
    }
    best
}
