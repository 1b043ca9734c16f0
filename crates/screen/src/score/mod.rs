//! Name-part alignment and scoring.

mod parts;
mod strings;
#[cfg(test)]
mod tests;

pub(crate) use parts::kind_of_body;
pub use parts::{token_similarity, PartMatch};
use strings::Scratch;
pub use strings::{jaro_winkler, levenshtein, skeleton_distance};

use crate::normalize::{Token, TokenKind};
use parts::token_similarity_inner;
use serde::{Deserialize, Serialize};

/// One aligned pair of name parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignedPart {
    pub query: String,
    pub candidate: String,
    pub similarity: f64,
    pub how: PartMatch,
}

/// The outcome of comparing two names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameScore {
    pub score: f64,
    pub aligned: Vec<AlignedPart>,
    pub unmatched_query: Vec<String>,
    pub unmatched_candidate: Vec<String>,
    /// For names of no stated kind: the kind whose rules compared them
    /// (people's names keep "Ag" and "Co" and drop titles; organisations'
    /// drop legal forms and read numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_as: Option<crate::model::Schema>,
}

impl NameScore {
    /// `muhammad~mohamed (spelling variant 0.95), zaidan=zaidan; unmatched: salah`
    pub fn describe(&self) -> String {
        let read_as = match self.read_as {
            Some(crate::model::Schema::Person) => {
                "no kind of party given, read as a person's name; "
            }
            Some(crate::model::Schema::Organization) => {
                "no kind of party given, read as an organisation's name; "
            }
            Some(crate::model::Schema::Vessel) => {
                "no kind of party given, read as a vessel's name; "
            }
            None => "",
        };
        let mut s = self
            .aligned
            .iter()
            .map(|p| {
                if p.how == PartMatch::Exact {
                    format!("{}={}", p.query, p.candidate)
                } else {
                    format!(
                        "{}~{} ({} {:.2})",
                        p.query,
                        p.candidate,
                        p.how.describe(),
                        p.similarity
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if s.is_empty() {
            s.push_str("no name parts aligned");
        }
        s.insert_str(0, read_as);
        if !self.unmatched_query.is_empty() {
            s.push_str(&format!(
                "; query parts not in listed name: {}",
                self.unmatched_query.join(" ")
            ));
        }
        if !self.unmatched_candidate.is_empty() {
            s.push_str(&format!(
                "; listed parts not in query: {}",
                self.unmatched_candidate.join(" ")
            ));
        }
        s
    }
}

/// Below this a part pair is not considered aligned.
const MIN_PART_SIM: f64 = 0.55;
/// Cost of parts unmatched on both sides, relative to a matched part: a
/// different given name (Pedro / Bernardo) is strong evidence of a
/// different person.
const CONFLICT_COST: f64 = 2.5;
/// Cost of parts only one name has (missing middle names, a longer form of
/// a company's name).
const EXTRA_COST: f64 = 0.3;
/// One shared part between multi-part names is weak evidence ("Seif
/// al-Adel" vs an alias "Adel"); weaker still beside a conflicting part.
const ONE_SHARED_PART: f64 = 0.8;
const ONE_SHARED_PART_IN_CONFLICT: f64 = 0.6;
/// How much more a conflict weighs when it is in the first name.
const FIRST_NAME_CONFLICT: f64 = 1.5;
/// The least weight a name part has as evidence of a conflict.
const CONFLICT_FLOOR: f64 = 1.0;

/// The score of an acronym against the initials of the words it stands for.
const ACRONYM_SIM: f64 = 0.85;

/// Whether `a` is one word of three to eight letters (or letters written
/// apart: "I.R.G.C.") that spells the initials of the words of `b`
/// (function words and legal forms left out, or legal forms counted).
fn acronym_of(a: &[Token], b: &[Token]) -> bool {
    // Cheap tests first: this runs for every candidate scored below it;
    // nothing here allocates.
    let letter = |t: &Token| t.text.len() == 1 && t.text.bytes().all(|c| c.is_ascii_alphabetic());
    let words = a.iter().filter(|t| t.kind == TokenKind::Word).count();
    let letters = a.iter().filter(|t| letter(t)).count();
    if b.len() < 3 || !((words == 1 && letters == 0) || (words == 0 && letters >= 3)) {
        return false;
    }
    let mut acronym = [0u8; 8];
    let mut len = 0;
    if words == 1 {
        let Some(t) = a.iter().find(|t| t.kind == TokenKind::Word) else {
            return false;
        };
        if t.text.len() > 8 {
            return false;
        }
        acronym[..t.text.len()].copy_from_slice(t.text.as_bytes());
        len = t.text.len();
    } else {
        for t in a.iter().filter(|t| letter(t)) {
            if len == 8 {
                return false;
            }
            acronym[len] = t.text.as_bytes()[0];
            len += 1;
        }
    }
    let acronym = &acronym[..len];
    if !(3..=8).contains(&len) || !acronym.iter().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    // Each word of `b` as [`acronym_item`] reads it: every word but
    // function words, legal forms and particles must be in the acronym.
    let item = acronym_item;
    if b.iter()
        .filter_map(item)
        .filter(|item| !item.optional)
        .count()
        < 2
    {
        return false;
    }
    // Either order: an acronym from the name in another language keeps
    // that language's word order (GIA: Groupe islamique armé, Armed
    // Islamic Group), and its words may be the table's words of that
    // language ([`acronym_item_in`]).
    let either_order = |acronym: &[u8]| {
        spells(acronym, b.iter().filter_map(item))
            || spells(acronym, b.iter().rev().filter_map(item))
    };
    // Words the table knows, for the passes in its languages (two at least).
    let known = || {
        b.iter()
            .filter(|t| t.kind == TokenKind::Word && t.concept != 0)
    };
    // "Co" for the company that ends the name, at the end of its acronym
    // (HDASCO: Hafez Darya Arya Shipping Company); four letters before it at
    // least, so that a name such as Marco is not read as M. A. R. Co.
    either_order(acronym)
        || (korean_may_spell(acronym, b) && spells(acronym, korean_syllable_items(b).into_iter()))
        || (known().nth(1).is_some()
            && (0..crate::translations::language_count()).any(|language| {
                // Only a name the table can say wholly in that language: every
                // word it knows has a word there.
                if known().any(|t| crate::translations::concept_initials(t.concept, language) == 0)
                {
                    return false;
                }
                let item = |t: &Token| acronym_item_in(t, language);
                spells(acronym, b.iter().filter_map(item))
                    || spells(acronym, b.iter().rev().filter_map(item))
                    || (acronym.len() >= 4
                        && spells_in_any_order(acronym, b.iter().filter_map(item)))
            }))
        || spells_by_syllables(acronym, b)
        || (len >= 6
            && acronym.ends_with(b"co")
            && b.last()
                .is_some_and(|t| t.kind == TokenKind::Stop && t.text == "co")
            && either_order(&acronym[..len - 2]))
}

/// Whether [`korean_syllable_items`] could spell `acronym` in order, by
/// two tests that need no syllables read (reading them is most of the
/// cost): its first letter is one the words up to the first that must be
/// spelt may give (or an "a" or "u" for an article), and no more words
/// must be spelt than it has letters, one at least read as two syllables.
fn korean_may_spell(acronym: &[u8], b: &[Token]) -> bool {
    let Some(&first) = acronym.first() else {
        return false;
    };
    let items = || b.iter().filter_map(acronym_item);
    let required = items().filter(|i| !i.optional && !i.generic).count();
    if required + 1 > acronym.len() {
        return false;
    }
    if matches!(first, b'a' | b'u') {
        return true;
    }
    let mut letters = 0;
    for item in items() {
        letters |= item.letters;
        if !item.optional && !item.generic {
            break;
        }
    }
    letter_bit(first) & letters != 0
}

/// The words of `b` as an acronym reads them, a word of two to four Korean
/// syllables as its syllables (NCG, Namchongang Trading Corporation), when
/// one such word at least is not in the organisation words' table.
fn korean_syllable_items(b: &[Token]) -> Vec<AcronymItem> {
    let mut items = Vec::new();
    let mut any = false;
    for t in b {
        let Some(item) = acronym_item(t) else {
            continue;
        };
        let syllables = (t.kind == TokenKind::Word && t.concept == 0 && !t.from_script)
            .then(|| crate::normalize::korean_syllables(&t.text))
            .flatten()
            .filter(|s| (2..=4).contains(&s.len()));
        match syllables {
            Some(s) => {
                any = true;
                items.extend(s.iter().filter_map(|syl| {
                    let b = *syl.as_bytes().first()?;
                    Some(AcronymItem {
                        initial: b,
                        letters: letter_bit(b),
                        optional: false,
                        generic: false,
                    })
                }));
            }
            None => items.push(item),
        }
    }
    if any {
        items
    } else {
        Vec::new()
    }
}

/// Whether the words that an acronym may not leave out, one letter each,
/// spell it in some order: the words of a name translated come in another
/// order (FARC, Fuerzas Armadas Revolucionarias de Colombia /
/// Revolutionary Armed Forces of Colombia; GICM, Groupe Islamique
/// Combattant Marocain / Moroccan Islamic Combatant Group).
fn spells_in_any_order(acronym: &[u8], items: impl Iterator<Item = AcronymItem>) -> bool {
    let words: Vec<u32> = items.filter(|i| !i.optional).map(|i| i.letters).collect();
    if words.len() != acronym.len() || acronym.len() > 8 {
        return false;
    }
    // placed, bit k: the acronym's k-th letter has its word; each word in
    // turn takes a letter still free.
    let mut reach: Vec<u16> = vec![0];
    for w in &words {
        let mut next: Vec<u16> = Vec::new();
        for &placed in &reach {
            for (k, &letter) in acronym.iter().enumerate() {
                if placed & (1 << k) == 0 && letter_bit(letter) & w != 0 {
                    let p = placed | 1 << k;
                    if !next.contains(&p) {
                        next.push(p);
                    }
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        reach = next;
    }
    true
}

/// Whether `a` is one word, besides legal forms, of six letters or more
/// blended from the starts of the words of `b` in order, two letters at
/// least of each, two words at least (Colcerdos, Colombiana de Cerdos;
/// Inagro): function words and legal forms may be left out, and generic
/// words after the blend.
fn blend_of(a: &[Token], b: &[Token]) -> bool {
    let mut words = a.iter().filter(|t| t.kind == TokenKind::Word);
    let (Some(w), None) = (words.next(), words.next()) else {
        return false;
    };
    let blend = w.text.as_bytes();
    if !(6..=16).contains(&blend.len()) || !w.text.is_ascii() || w.from_script {
        return false;
    }
    let n = blend.len();
    // reach, bit i: the first i letters are the starts of the words so far.
    let mut reach: u32 = 1;
    for t in b {
        let Some(item) = acronym_item(t) else {
            continue;
        };
        let text = t.text.as_bytes();
        let mut next: u32 = if item.optional { reach } else { 0 };
        if item.generic {
            next |= reach & (1 << n);
        }
        if !item.optional {
            for i in 0..n {
                if reach & (1 << i) == 0 {
                    continue;
                }
                for l in 2..=text.len().min(n - i) {
                    // Not one word making all of it.
                    if l < n && blend[i..i + l] == text[..l] {
                        next |= 1 << (i + l);
                    }
                }
            }
        }
        reach = next;
        if reach == 0 {
            return false;
        }
    }
    reach & (1 << n) != 0
}

/// Whether a word has more vowels than consonants (IRA, SEA): such words
/// spell the initials of a run of words by chance more often.
fn vowel_heavy(letters: &[u8]) -> bool {
    2 * letters.iter().filter(|b| b"aeiouy".contains(b)).count() > letters.len()
}

/// Whether the words of `b`, in order, spell `acronym` with one to three
/// of their first letters each (generic words after it may be left out),
/// one word at least with more than one: the
/// syllable acronyms of Spanish, Russian and other companies (PDVSA,
/// Petróleos de Venezuela S.A.; INAGRO, Inversiones Agroindustriales del
/// Oriente; PALBASA, Palma del Bajo Aguán S.A.).
/// Function words and legal forms may spell letters or be left out.
fn spells_by_syllables(acronym: &[u8], b: &[Token]) -> bool {
    let mut reach: u16 = 1;
    let mut longer = false;
    for t in b {
        let Some(AcronymItem {
            optional, generic, ..
        }) = acronym_item(t)
        else {
            continue;
        };
        let text = t.text.as_bytes();
        let mut next: u16 = if optional { reach } else { 0 };
        // Generic words after the acronym is spelt may be left out (KOMID,
        // Korea Mining Development Trading Corporation).
        if generic {
            next |= reach & (1 << acronym.len());
        }
        for i in 0..acronym.len() {
            if reach & (1 << i) == 0 {
                continue;
            }
            for l in 1..=3.min(text.len()) {
                // (Not one word spelling it all: MAK International Service
                // Co is not an acronym of its words.)
                if i + l <= acronym.len() && l < acronym.len() && acronym[i..i + l] == text[..l] {
                    next |= 1 << (i + l);
                    if l > 1 {
                        longer = true;
                    }
                }
            }
        }
        reach = next;
        if reach == 0 {
            return false;
        }
    }
    longer && reach & (1 << acronym.len()) != 0
}

/// One bit for each of the letters a to z (none for anything else).
pub(crate) fn letter_bit(b: u8) -> u32 {
    if b.is_ascii_lowercase() {
        1 << (b - b'a')
    } else {
        0
    }
}

/// A word of a name as an acronym reads it ([`acronym_item`]).
#[derive(Clone, Copy)]
struct AcronymItem {
    /// The word's first letter.
    initial: u8,
    /// The letters it may stand for, one bit for each of a to z.
    letters: u32,
    /// Whether an acronym may leave it out.
    optional: bool,
    /// Whether it is a generic word of organisations' names (weighs less).
    generic: bool,
}

/// A word of a name as an acronym reads it: its initial, the initial of
/// its English word (a word the organisation words' table knows stands by
/// either: IRGC / سپاه پاسداران انقلاب اسلامی), and whether an acronym may
/// leave it out (function words: "of", "in", "pour"; legal forms and
/// particles: AQIM, Al-Qaida in the Islamic Maghreb; MUJAO, Mouvement pour
/// l'Unification et le Jihad en Afrique de l'Ouest).
fn acronym_item(t: &Token) -> Option<AcronymItem> {
    let first = *t.text.as_bytes().first()?;
    let english = crate::translations::concept_name(t.concept)
        .and_then(|n| n.as_bytes().first().copied())
        .unwrap_or(first);
    // A hard c is spelt k by the acronym of the name in Russian, Turkish
    // and other languages (RNKB, Russian National Commercial Bank).
    let hard_c = first == b'c' && english == first && t.skel.starts_with('k');
    let optional = t.kind != TokenKind::Word || ACRONYM_OPTIONAL.contains(&t.text.as_str());
    Some(AcronymItem {
        initial: first,
        letters: letter_bit(first)
            | letter_bit(english)
            | if hard_c { letter_bit(b'k') } else { 0 },
        optional,
        generic: t.kind == TokenKind::Word && t.weight < 1.0,
    })
}

/// [`acronym_item`], the word also standing for the initial of its
/// concept's word in one language of the table: the acronym of the name in
/// that language against the name translated (PKK, Partiya Karkerên
/// Kurdistanê / Kurdistan Workers' Party; GRU, Glavnoye Razvedyvatelnoye
/// Upravleniye / Main Intelligence Directorate). One language for all the
/// words: a letter from each of several spells nearly anything.
fn acronym_item_in(t: &Token, language: usize) -> Option<AcronymItem> {
    acronym_item(t).map(|mut item| {
        let native = crate::translations::concept_initials(t.concept, language);
        if native != 0 {
            item.letters = native;
        }
        item
    })
}

/// Short words an acronym may leave out besides function words and legal
/// forms (which tokenising marks already).
const ACRONYM_OPTIONAL: &[&str] = &[
    "in", "en", "on", "at", "to", "for", "pour", "par", "al", "el", "fi", "wa", "wal", "li", "lil",
    "bi",
];

/// Whether `items` (each word's initial, the initial of its English word,
/// and whether it may be left out) spell `acronym` (at most 8 letters) in
/// order; an "a" or a "u" in the acronym may stand before a word's initial
/// (the article al-, ul-, ud-, which names are tokenised without: HUJI,
/// Harakat-ul Jihad Islami; JuD, Jamaat-ud-Dawa).
fn spells(acronym: &[u8], items: impl Iterator<Item = AcronymItem>) -> bool {
    // reach, bit i: the first `i` letters are spelled by the items seen so far.
    let mut reach: u16 = 1;
    for item in items {
        let mut next = spell_step(acronym, reach, item);
        // A generic word before the acronym starts or after it ends may be
        // left out (AQIM, the Organization of al-Qaida in the Islamic
        // Maghreb).
        if item.generic {
            next |= reach & (1 | 1 << acronym.len());
        }
        reach = next;
        if reach == 0 {
            return false;
        }
    }
    reach & (1 << acronym.len()) != 0
}

/// One word more of [`spells`]: from `reach` (bit i: the first i letters
/// spelled so far), what the word ([`acronym_item`]) lets the acronym reach.
fn spell_step(acronym: &[u8], reach: u16, item: AcronymItem) -> u16 {
    let mut next: u16 = if item.optional { reach } else { 0 };
    for (i, &letter) in acronym.iter().enumerate() {
        if reach & (1 << i) == 0 {
            continue;
        }
        if letter_bit(letter) & item.letters != 0 {
            next |= 1 << (i + 1);
        }
        if !item.optional
            && matches!(letter, b'a' | b'u')
            && acronym.get(i + 1) == Some(&item.initial)
        {
            next |= 1 << (i + 2);
        }
    }
    next
}

/// Aligns the parts of two tokenised names (order-free, greedy on best pairs)
/// and scores them: weighted matched similarity over matched plus discounted
/// unmatched weight. Symmetric.
pub fn score_tokens(q: &[Token], c: &[Token]) -> NameScore {
    align(q, c, true, None)
}

/// The score of [`score_tokens`] without building the explanation.
pub fn score_tokens_fast(q: &[Token], c: &[Token]) -> f64 {
    align(q, c, false, None).score
}

/// The similarities of one query's parts with the indexed parts, by
/// (reading of the query's names, query part, indexed part id): a query is
/// compared with many candidates that share parts (the parts it was found
/// by), and a part's similarity is most of the cost of a comparison.
pub(crate) type PartMemo = crate::index::FxMap<u64, (f64, PartMatch)>;

/// The memo of one comparison: the table, the reading of the query's
/// names compared, and the candidate's part ids.
pub(crate) struct Memo<'a> {
    table: &'a mut PartMemo,
    reading: usize,
    part_ids: &'a [u32],
}

/// [`score_tokens`] on the hot path of screening, with the explanation if
/// `detail`: `part_ids` are the candidate's parts' ids in the index,
/// `reading` which of the query's tokenisations `q` is; `memo` is cleared
/// for each query.
pub(crate) fn score_tokens_memo(
    q: &[Token],
    c: &[Token],
    part_ids: &[u32],
    memo: &mut PartMemo,
    reading: usize,
    detail: bool,
) -> NameScore {
    let memo = Memo {
        table: memo,
        reading,
        part_ids,
    };
    align(q, c, detail, Some(memo))
}

/// A candidate correspondence: parts `q.0 .. q.0 + q.1` of the query with
/// parts `c.0 .. c.0 + c.1` of the candidate (one part each, or two parts
/// written apart on one side and together on the other).
struct Link {
    sim: f64,
    q: (usize, usize),
    c: (usize, usize),
    how: PartMatch,
}

/// Two adjacent parts written as one word ("Aero Skyone" / "Aeroskyone",
/// "Abu Hamza" / "Abuhamza"), if `other` could be that word.
fn joined(a: &Token, b: &Token, other: &Token) -> Option<Token> {
    let joinable = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::Particle);
    if !joinable(a) || !joinable(b) || other.kind != TokenKind::Word {
        return None;
    }
    let len = a.text.len() + b.text.len();
    // Chinese syllables written apart and together may be romanised
    // otherwise (Tse-tung / Zedong): their first letters may differ.
    let chinese = a.chinese && b.chinese && other.chinese;
    // Korean syllables written apart against a Chinese part of one
    // characters (Chol Sam / Tiesan).
    let korean_in_chinese =
        a.korean && b.korean && !a.chinese && !b.chinese && other.chinese && !other.korean;
    let korean = a.korean && b.korean && other.korean || korean_in_chinese;
    let japanese = a.japanese && b.japanese && other.japanese;
    if other.text.len().abs_diff(len) > 2
        || (!chinese && !korean && a.text.as_bytes().first() != other.text.as_bytes().first())
    {
        return None;
    }
    let text = format!("{}{}", a.text, b.text);
    Some(Token {
        kind: TokenKind::Word,
        from_script: a.from_script || b.from_script,
        weight: a.weight.max(b.weight),
        chinese,
        korean,
        japanese,
        key: if korean {
            crate::normalize::korean::key(&text)
        } else if japanese {
            crate::normalize::japanese::key(&text)
        } else {
            String::new()
        },
        ..a.respelt(text)
    })
}

/// The score of two initials against the Abd-compound they stand for.
const ABD_INITIALS_SIM: f64 = 0.9;

/// What follows "abd" in an Abd-compound ("qadeer" of "abdqadeer").
fn abd_rest(t: &Token) -> Option<&str> {
    (t.kind == TokenKind::Word && t.text.len() > 3 && !t.from_script)
        .then(|| t.text.strip_prefix("abd"))
        .flatten()
        .filter(|r| !r.is_empty())
}

/// Below this a joined pair of parts is not taken for one word.
const MIN_JOINED_SIM: f64 = 0.85;

/// Every candidate link between the parts of `q` and `c`, best first, into `out`.
fn links(q: &[Token], c: &[Token], out: &mut Vec<Link>, mut memo: Option<Memo>) {
    out.clear();
    for (i, a) in q.iter().enumerate() {
        for (j, b) in c.iter().enumerate() {
            let (sim, how) = match memo.as_mut() {
                Some(m)
                    if i < 1 << 16
                        && m.reading < 1 << 16
                        && m.part_ids.get(j).is_some_and(|&id| id != 0) =>
                {
                    let key =
                        (m.reading as u64) << 48 | (i as u64) << 32 | u64::from(m.part_ids[j]);
                    *m.table.entry(key).or_insert_with(|| token_similarity(a, b))
                }
                _ => token_similarity(a, b),
            };
            if sim >= MIN_PART_SIM {
                out.push(Link {
                    sim,
                    q: (i, 1),
                    c: (j, 1),
                    how,
                });
            }
        }
    }
    // Two parts of one name written as one word of the other.
    for (side_q, (two, one)) in [(true, (q, c)), (false, (c, q))] {
        for i in 0..two.len().saturating_sub(1) {
            for (j, other) in one.iter().enumerate() {
                let Some(t) = joined(&two[i], &two[i + 1], other) else {
                    continue;
                };
                let (sim, how) = token_similarity_inner(&t, other);
                if sim >= MIN_JOINED_SIM {
                    let (qr, cr) = if side_q {
                        ((i, 2), (j, 1))
                    } else {
                        ((j, 1), (i, 2))
                    };
                    out.push(Link {
                        sim,
                        q: qr,
                        c: cr,
                        how,
                    });
                }
            }
        }
    }
    // One word of an organisation's or vessel's name that spells the
    // initials of a run of the other's words, in the order they are
    // written (Laredo DTO / Laredo Drug Trafficking Organization, MDL 5 /
    // MARIE DE LOURDES V); a name that is one acronym as a whole, in
    // either order, is [`acronym_of`]'s. Only a word of three to five
    // letters that is no given name, and in a vessel's name no more vowels
    // than consonants: words and names spell runs by chance (SEA / Sun East
    // Asia). An organisation's vowel-heavy word spells a run only letter
    // for word (Real IRA / Real Irish Republican Army).
    for (side_q, (one, many)) in [(true, (q, c)), (false, (c, q))] {
        let body = |ts: &[Token]| ts.iter().any(|t| t.of_organisation || t.of_vessel);
        if one.len() < 2 || !body(one) || !body(many) {
            continue;
        }
        // The letters the other name's words start with, and "a" (the
        // article an acronym may spell): a cheap test that rules out nearly
        // every word before any run is tried. Computed at the first word
        // that could be an acronym.
        let mut initials: Option<u32> = None;
        for (i, a) in one.iter().enumerate() {
            let letters = a.text.as_bytes();
            if a.kind != TokenKind::Word
                || a.concept != 0
                || a.from_script
                || a.name != 0
                || a.nick != 0
                || !(3..=5).contains(&letters.len())
                || (vowel_heavy(letters) && (a.of_vessel || !a.of_organisation))
            {
                continue;
            }
            let initials = *initials.get_or_insert_with(|| {
                many.iter()
                    .filter_map(acronym_item)
                    .fold(letter_bit(b'a'), |m, item| m | item.letters)
            });
            if !letters
                .iter()
                .all(|&b| b.is_ascii_lowercase() && initials & letter_bit(b) != 0)
            {
                continue;
            }
            for j in 0..many.len() {
                let Some(start) = acronym_item(&many[j]).filter(|item| !item.optional) else {
                    continue;
                };
                if letter_bit(letters[0]) & start.letters == 0 {
                    continue;
                }
                // The run grows a word at a time; it may end at a word the
                // acronym must spell, with two such words in it.
                let mut reach = spell_step(letters, 1, start);
                let mut required = 1;
                for end in j + 2..=many.len().min(j + 2 * letters.len()) {
                    let Some(item) = acronym_item(&many[end - 1]) else {
                        break;
                    };
                    reach = spell_step(letters, reach, item);
                    if reach == 0 {
                        break;
                    }
                    if item.optional {
                        continue;
                    }
                    required += 1;
                    // A word with more vowels than consonants (IRA) spells
                    // a run by chance unless each letter is a word of it.
                    if required >= 2
                        && reach & (1 << letters.len()) != 0
                        && (required == letters.len() || !vowel_heavy(letters))
                    {
                        let (qr, cr) = if side_q {
                            ((i, 1), (j, end - j))
                        } else {
                            ((j, end - j), (i, 1))
                        };
                        out.push(Link {
                            sim: ACRONYM_SIM,
                            q: qr,
                            c: cr,
                            how: PartMatch::Acronym,
                        });
                        break;
                    }
                }
            }
        }
    }
    // "A. Q." for an Abd-compound (Abdul Qadeer): the two initials stand
    // for the compound's two halves, and a second initial that is not its
    // second half's says another name (A. Q. Khan / Abdul Ghani Khan).
    for (side_q, (two, one)) in [(true, (q, c)), (false, (c, q))] {
        for i in 0..two.len().saturating_sub(1) {
            let (x, y) = (&two[i], &two[i + 1]);
            if x.kind != TokenKind::Initial || y.kind != TokenKind::Initial || x.text != "a" {
                continue;
            }
            for (j, other) in one.iter().enumerate() {
                let Some(rest) = abd_rest(other) else {
                    continue;
                };
                let (qi, cj) = if side_q { (i, j) } else { (j, i) };
                if rest.starts_with(y.text.as_str()) {
                    let (qr, cr) = if side_q {
                        ((i, 2), (j, 1))
                    } else {
                        ((j, 1), (i, 2))
                    };
                    out.push(Link {
                        sim: ABD_INITIALS_SIM,
                        q: qr,
                        c: cr,
                        how: PartMatch::Initial,
                    });
                } else if !one.iter().any(|t| t.text.starts_with(y.text.as_str())) {
                    // The second initial stands for nothing else either.
                    out.retain(|l| !(l.q == (qi, 1) && l.c == (cj, 1)));
                }
            }
        }
    }
    // Equal links in the order the names have: the same name twice in one
    // (Ibrahim Sabawi Ibrahim Hasan) aligns with the one at the same place,
    // counted from the start or from the end.
    let (nq, nc) = (q.len(), c.len());
    let offset = |l: &Link| {
        let from_start = l.q.0.abs_diff(l.c.0);
        let from_end = (nq - l.q.0).abs_diff(nc - l.c.0);
        from_start.min(from_end)
    };
    out.sort_unstable_by(|x, y| {
        y.sim
            .total_cmp(&x.sim)
            .then_with(|| offset(x).cmp(&offset(y)))
            .then(x.q.cmp(&y.q))
            .then(x.c.cmp(&y.c))
    });
}

thread_local! {
    /// The link buffer of [`align`], kept between calls (the hot path of
    /// screening aligns a query with every retrieved candidate).
    static LINKS: std::cell::RefCell<Vec<Link>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Weight of parts `r.0 .. r.0 + r.1`: a joined pair, or the run of words
/// an acronym spells, counts as one part.
fn range_weight(ts: &[Token], r: (usize, usize)) -> f64 {
    ts[r.0..r.0 + r.1]
        .iter()
        .map(|t| t.weight)
        .fold(0.0, f64::max)
}

fn range_text(ts: &[Token], r: (usize, usize)) -> String {
    let mut out = String::new();
    for (i, t) in ts[r.0..r.0 + r.1].iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

fn is_name_part(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word | TokenKind::Initial)
}

/// Whether a name was tokenised as a person's ([`Token::of_person`]).
fn of_person(ts: &[Token]) -> bool {
    ts.iter().any(|t| t.of_person)
}

fn words_in(ts: &[Token]) -> usize {
    // "Allah" after a word of a body's name is part of one name with it
    // (Hizb Allah, written Hizballah as often).
    ts.iter()
        .enumerate()
        .filter(|&(i, t)| is_name_part(t) && !(i > 0 && t.of_organisation && t.text == "allah"))
        .count()
}

/// Whether a part left over names the region of a subsidiary of an
/// organisation rather than the organisation. Not "international",
/// "branch", "investment", "offshore" or "subsidiary": the lists give those
/// as words of one entity's names ("Al-Aqsa International Foundation" of
/// the Al-Aqsa Foundation, "Abar Petroleum Service SAL (Offshore)", the
/// parent's name as an alias of each of Al-Haramain's branches).
fn unmatched_branch(ts: &[Token], used: &[bool]) -> bool {
    ts.iter().zip(used).any(|(t, u)| {
        !u && t.kind == TokenKind::Word
            && matches!(
                t.text.as_str(),
                "europe" | "european" | "asia" | "america" | "overseas"
            )
    })
}

/// The most two names with different places left over score.
const PLACE_CONFLICT: f64 = 0.45;

/// Whether a name was tokenised as an organisation's ([`Token::of_organisation`]).
fn of_organisation(ts: &[Token]) -> bool {
    ts.iter().any(|t| t.of_organisation)
}

/// Whether a legal form (LLC, PLC, FZE …) of a name is left over.
fn unmatched_legal_form(ts: &[Token], used: &[bool]) -> bool {
    ts.iter()
        .zip(used)
        .any(|(t, u)| !u && t.kind == TokenKind::Stop && crate::normalize::is_legal_form(&t.text))
}

/// Whether a country is left over right before the legal form that ends a
/// company's name (Petropars UK Limited, Prensa Latina Canada Ltd.,
/// Belneftekhim USA, Inc.): the company registered there, which the lists
/// hold apart from its parent. A country of one word, before the forms
/// [`crate::normalize::is_legal_form`] knows (not "S.A. de C.V."); the
/// lists also write some parents with a country, so this costs a few of
/// their aliases (Aero Continente (USA) Inc.).
fn registered_abroad(ts: &[Token], used: &[bool]) -> bool {
    let forms = ts
        .iter()
        .rev()
        .take_while(|t| t.kind == TokenKind::Stop && crate::normalize::is_legal_form(&t.text))
        .count();
    let Some(i) = ts.len().checked_sub(forms + 1) else {
        return false;
    };
    // (A country after "of" or "in" names the body itself: Sberbank of
    // Russia PJSC.)
    let qualified = i > 0 && matches!(ts[i - 1].text.as_str(), "of" | "in");
    forms > 0
        && !qualified
        && !used[i]
        && unmatched_place(&ts[i..=i], &used[i..=i]).is_some_and(|k| k.len() == 2)
}

/// The longest word [`short_word_one_letter_off`] tells apart by one letter.
const SHORT_WORD: usize = 4;

/// Whether `q[i]` and `c[j]` are words of at most [`SHORT_WORD`] letters,
/// one letter apart in the same place, with different consonants (Sima /
/// Sina; not Sina / Sena, a vowel another transliteration writes), and
/// every other word of both names is a word of the organisation words'
/// table or a kind of body (Shipping, Bank), one at least: the short word is
/// all that names the body. (ISIL / ISIS Khorasan name a region besides.)
fn short_word_one_letter_off(q: &[Token], i: usize, c: &[Token], j: usize) -> bool {
    let (a, b) = (&q[i], &c[j]);
    let (x, y) = (a.text.as_bytes(), b.text.as_bytes());
    // Besides the short word, at least one word and only table words (one
    // short word alone is as likely an acronym: ISIL / ISIS).
    let only_table_words = |ts: &[Token], k: usize| {
        let others = || {
            ts.iter()
                .enumerate()
                .filter(move |&(n, t)| n != k && t.kind == TokenKind::Word)
        };
        others().next().is_some() && others().all(|(_, t)| t.concept != 0 || t.body != 0)
    };
    a.kind == TokenKind::Word
        && b.kind == TokenKind::Word
        && x.len() == y.len()
        && x.len() <= SHORT_WORD
        && x.iter().zip(y).filter(|(p, r)| p != r).count() == 1
        && a.skel != b.skel
        && only_table_words(q, i)
        && only_table_words(c, j)
}

/// Whether a word reads as an acronym spelt letter by letter: two to five
/// letters, a vowel at most.
fn spelt_acronym(w: &str) -> bool {
    (2..=5).contains(&w.len())
        && w.bytes().all(|b| b.is_ascii_lowercase())
        && w.bytes().filter(|b| b"aeiouy".contains(b)).count() <= 1
}

/// Whether `ts` is one word, a spelt acronym of three letters at least, and
/// `other` has a spelt acronym left over ([`spelt_acronym`]).
fn acronym_and_another(ts: &[Token], used: &[bool], other: &[Token], o_used: &[bool]) -> bool {
    one_word_body(ts, used)
        && ts
            .iter()
            .any(|t| t.kind == TokenKind::Word && t.text.len() >= 3 && spelt_acronym(&t.text))
        && other
            .iter()
            .zip(o_used)
            .any(|(t, u)| !u && t.kind == TokenKind::Word && spelt_acronym(&t.text))
}

/// Whether `a` and `b` are acronyms of three to five letters with a vowel
/// at most, the same but for one consonant in one place.
fn spelt_acronyms_a_consonant_apart(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let vowel = |b: &u8| b"aeiouy".contains(b);
    x.len() == y.len()
        && x.len() >= 3
        && spelt_acronym(a)
        && x.iter().zip(y).filter(|(p, r)| p != r).count() == 1
        && x.iter()
            .zip(y)
            .all(|(p, r)| p == r || (!vowel(p) && !vowel(r)))
}

/// Which Korea a name says it is of, where it says so: the North (DPRK,
/// the Democratic People's Republic, North Korea) or the South (the
/// Republic of Korea without "Democratic People's", South Korea). "Korea"
/// alone stands for either (the North's bodies are listed as "Korea …"),
/// but a ministry or a bank of the one is not the other's.
fn korea_side(ts: &[Token]) -> Option<bool> {
    // (Most names name no Korea: one pass says so.)
    if !ts
        .iter()
        .any(|t| matches!(t.text.as_str(), "korea" | "korean" | "dprk"))
    {
        return None;
    }
    let has = |w: &str| ts.iter().any(|t| t.text == w);
    let before_korea = |w: &str| {
        ts.windows(2)
            .any(|p| p[0].text == w && matches!(p[1].text.as_str(), "korea" | "korean"))
    };
    if has("dprk")
        || before_korea("north")
        || (has("korea") && (has("democratic") || has("peoples")))
    {
        Some(true)
    } else if before_korea("south") || (has("korea") && has("republic")) {
        Some(false)
    } else {
        None
    }
}

/// Regions the branches of movements are named for (Islamic State Sinai /
/// Somalia Province, Khorasan / Yemen). Kurdistan, Crimea and Donbas,
/// which also name state bodies, parties and companies, are places
/// ([`unmatched_place`]) but not these.
const BRANCH_REGIONS: &[&str] = &[
    "sinai",
    "khorasan",
    "khurasan",
    "sahel",
    "maghreb",
    "maghrib",
    "caucasus",
    "kashmir",
    "punjab",
    "balochistan",
    "baluchistan",
    "darfur",
    "waziristan",
    "mindanao",
];

/// A part left over that is a country (its key by
/// [`crate::normalize::country_key`]: Iran and Iranian are one; UK, USA and
/// UAE although short), a region branches are named for (Sinai, Khorasan)
/// or a point of the compass.
fn unmatched_place(ts: &[Token], used: &[bool]) -> Option<String> {
    ts.iter().zip(used).find_map(|(t, u)| {
        if *u || t.kind != TokenKind::Word {
            return None;
        }
        let text = t.text.as_str();
        if matches!(
            text,
            "north"
                | "south"
                | "east"
                | "west"
                | "central"
                | "northern"
                | "southern"
                | "eastern"
                | "western"
        ) {
            return Some(text.to_string());
        }
        if BRANCH_REGIONS.contains(&text) || matches!(text, "kurdistan" | "crimea" | "donbas") {
            return Some(text.to_string());
        }
        let key = crate::normalize::country_key(text);
        (key.len() == 2 && (text.len() > 3 || matches!(text, "uk" | "usa" | "uae"))).then_some(key)
    })
}

/// The most two organisations' names score when one has a word that names
/// another body ([`distinguishing_extra`]).
const EXTRA_BODY_WORD: f64 = 0.45;

/// Whether an organisation's name has a part left over that marks a
/// subsidiary or a unit ([`crate::translations::marks_subsidiary`]: Bank
/// Sepah International, Koryo Credit Development Bank), outside a phrase
/// that qualifies the same body. Proper names left over (Sanabil Al-Aqsa,
/// Al-Shabaab al-Mujahidin) are not counted: the lists give them as one
/// body's names as often as another's.
fn distinguishing_extra(ts: &[Token], used: &[bool]) -> bool {
    left_over_before_qualifier(ts, used).any(|(_, t)| {
        t.of_organisation
            && t.kind == TokenKind::Word
            && t.body == 0
            && crate::translations::marks_subsidiary(t.concept)
    })
}

/// The parts of a name left over, with their places, before a left-over
/// phrase that qualifies the body (one starting with an unmatched of, in,
/// on, for or at, or Arabic li, lil, fi: Strategic Rocket Force of the
/// Korean People's Army; Jabhat al-Nusra li-Ahl al-Sham):
/// what such a phrase adds says which of the body's names it is, not
/// another body.
fn left_over_before_qualifier<'a>(
    ts: &'a [Token],
    used: &'a [bool],
) -> impl Iterator<Item = (usize, &'a Token)> + 'a {
    ts.iter()
        .zip(used)
        .enumerate()
        .take_while(|(_, (t, u))| {
            **u || !matches!(
                t.text.as_str(),
                "of" | "in" | "on" | "for" | "at" | "li" | "lil" | "fi"
            )
        })
        .filter(|(_, (_, u))| !**u)
        .map(|(k, (t, _))| (k, t))
}

/// Whether `ts` has the word for "people" or "popular" left over before
/// any qualifying phrase, and `other` no word left over.
fn people_added(ts: &[Token], used: &[bool], other: &[Token], o_used: &[bool]) -> bool {
    left_over_before_qualifier(ts, used)
        .any(|(_, t)| crate::translations::concept_name(t.concept) == Some("people"))
        && !other
            .iter()
            .zip(o_used)
            .any(|(t, u)| !u && t.kind == TokenKind::Word)
}

/// Whether `ministry` names a ministry with every word aligned, and `unit`
/// has a word left over that names a bureau, a department, a directorate,
/// an office or an agency.
fn unit_of_ministry(ministry: &[Token], m_used: &[bool], unit: &[Token], u_used: &[bool]) -> bool {
    let unit_word = kind_of_body("bureau");
    ministry
        .iter()
        .any(|t| crate::translations::concept_name(t.concept) == Some("ministry"))
        && ministry
            .iter()
            .zip(m_used)
            .all(|(t, u)| *u || t.kind != TokenKind::Word)
        && unit
            .iter()
            .zip(u_used)
            .any(|(t, u)| !u && t.kind == TokenKind::Word && t.body == unit_word)
}

/// Whether a name has a word left over that names an armed unit (brigades,
/// battalion, wing; Arabic kata'ib, katiba, liwa): a movement's armed wing
/// is listed apart from it (Hizballah / Hizballah Brigades).
fn armed_unit(ts: &[Token], used: &[bool]) -> bool {
    ts.iter().zip(used).any(|(t, u)| {
        !u && matches!(
            t.text.as_str(),
            "brigade"
                | "brigades"
                | "battalion"
                | "battalions"
                | "regiment"
                | "wing"
                | "kataib"
                | "katibat"
                | "katiba"
                | "liwa"
        )
    })
}

/// Whether a name is one word and no legal form left over (a legal form
/// may be misspelt on the other side: Wayside Corporation / Cororation).
fn one_word_body(ts: &[Token], used: &[bool]) -> bool {
    words_in(ts) == 1 && !unmatched_legal_form(ts, used)
}

/// Whether a name has a distinctive word left over (not a common or
/// generic word, a number or a place), before any phrase that qualifies the
/// body ("of Russia", "in Iraq").
fn distinctive_extra(ts: &[Token], used: &[bool]) -> bool {
    left_over_before_qualifier(ts, used).any(|(k, t)| {
        t.kind == TokenKind::Word
            && t.weight >= 1.0
            && t.number.is_none()
            && unmatched_place(&ts[k..=k], &used[k..=k]).is_none()
            && !own_acronym(ts, k)
    })
}

/// Whether two words align only as words of one set of kinds of body
/// (not the same word or its translation; not the words for airlines,
/// which the lists use for one another).
fn only_same_kind_of_body(a: &Token, b: &Token) -> bool {
    a.body != 0
        && a.body == b.body
        && a.body != kind_of_body("air")
        && a.text != b.text
        && (a.concept == 0 || a.concept != b.concept)
}

/// Whether `ts[k]` is the acronym of the rest of its own name (Rajah
/// Solaiman Movement (RSM)), which adds nothing to it.
fn own_acronym(ts: &[Token], k: usize) -> bool {
    let rest: Vec<Token> = ts
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != k)
        .map(|(_, t)| t.clone())
        .collect();
    acronym_of(&ts[k..=k], &rest)
}

/// The most a father's name and his son's score ([`son_of`],
/// [`given_and_fathers_swapped`]), or a daughter's and a son's
/// ([`patronymic_sex`]).
const FATHER_AND_SON: f64 = 0.45;

/// Which generation a person's name says at its end (John Smith Jr.,
/// Santos III): a father and his son, or two sons, are two people. Jr and
/// II both name the son.
fn generation(ts: &[Token]) -> Option<u8> {
    let last = ts
        .last()
        .filter(|t| t.of_person && t.kind == TokenKind::Stop)?;
    crate::normalize::generation(&last.text)
}

/// Whether a person's Russian, Ukrainian or Belarusian patronymic is a
/// daughter's (true: Yuryevna, Petrovna, Ilyinichna) or a son's (false:
/// Yuryevich, Petrovich, Ilyich): Aleksandra Yuryevna Krylova is not
/// Aleksandr Yuryevich Krylov.
fn patronymic_sex(ts: &[Token]) -> Option<bool> {
    ts.iter()
        .filter(|t| t.of_person && t.kind == TokenKind::Word && t.text.len() >= 6)
        .find_map(|t| {
            let w = t.text.as_str();
            if ["ovna", "evna", "ichna", "ivna"]
                .iter()
                .any(|e| w.ends_with(e))
            {
                Some(true)
            } else if [
                "ovich", "evich", "ovych", "evych", "ovitch", "evitch", "ilyich", "ilich",
            ]
            .iter()
            .any(|e| w.ends_with(e))
            {
                Some(false)
            } else {
                None
            }
        })
}

/// Below this a spelling link between two names of one part each is two
/// words, unless one letter apart ([`align`]).
const ONE_PART_FUZZY: f64 = 0.8;
/// The most two such names score.
const ONE_PART_SPELT_OTHERWISE: f64 = 0.45;

/// The most two people's names score when an initial of one stands for the
/// other's family name while its own family name is left over.
const INITIAL_FOR_SURNAME: f64 = 0.45;

/// Whether, in two people's names, an initial of one is aligned with the
/// last part of the other (its family name) while the initial's own last
/// part, a whole word, is left over: M. Mohammad NAJJAR is not Mohammad
/// MOINIE. An initial stands for a given name; NAJJAR M. (the initial last)
/// and M. NAJJAR / NAJJAR Mostafa (the family names aligned) still match.
fn initial_for_surname(
    q: &[Token],
    qa: &[bool],
    c: &[Token],
    ca: &[bool],
    initial_links: &[Option<(usize, usize)>],
) -> bool {
    let last = |ts: &[Token]| ts.iter().rposition(is_name_part);
    if initial_links.iter().all(Option::is_none) || !of_person(q) || !of_person(c) {
        return false;
    }
    let (Some(lq), Some(lc)) = (last(q), last(c)) else {
        return false;
    };
    let own_surname_left = |ts: &[Token], used: &[bool], l: usize, i: usize| {
        l != i && ts[l].kind == TokenKind::Word && !used[l]
    };
    // Unless the initial and the part left over are the aligned word's two
    // halves (A RAHMAN / ABDURRAHMAN).
    let halves = |whole: &Token, left: &Token| whole.text.ends_with(left.text.as_str());
    initial_links.iter().flatten().any(|&(i, j)| {
        if q[i].kind == TokenKind::Initial {
            j == lc && own_surname_left(q, qa, lq, i) && !halves(&c[j], &q[lq])
        } else {
            i == lq && own_surname_left(c, ca, lc, j) && !halves(&q[i], &c[lc])
        }
    })
}

/// The first two name parts of a name.
fn first_two_parts(ts: &[Token]) -> [Option<usize>; 2] {
    let mut it = ts
        .iter()
        .enumerate()
        .filter(|(_, t)| is_name_part(t))
        .map(|(i, _)| i);
    [it.next(), it.next()]
}

/// Whether a person's name is another's with given names in front of it:
/// in names built from a given name and the father's and grandfather's,
/// "Uday Saddam Hussein al-Tikriti" is Saddam Hussein al-Tikriti's son.
/// `short_first` is what the shorter name's first part is aligned with in
/// `long`; every name part of `long` before it is left over and a given
/// name of the (Arabic, Persian, Turkic, South Asian) name table. Spanish
/// names, whose two given names the lists give with or without the first
/// (Jesus Vicente Zambada Niebla), are not read so.
fn son_of(
    short_first: Option<usize>,
    long_first: [Option<usize>; 2],
    short: &[Token],
    long: &[Token],
    long_used: &[bool],
) -> bool {
    let (Some(p), Some(l0)) = (short_first, long_first[0]) else {
        return false;
    };
    let plain = |t: &Token| t.of_person && !t.chinese && !t.korean && !t.japanese;
    p > l0
        && words_in(short) >= 3
        && words_in(long) >= 4
        && short.iter().chain(long).all(plain)
        && long[..p]
            .iter()
            .zip(long_used)
            .filter(|(t, _)| is_name_part(t))
            .all(|(t, u)| !u && t.kind == TokenKind::Word && t.name != 0)
}

/// Whether two people's names are one given name and the father's, each
/// the other way round (Ali Hassan / Hassan Ali): another person. Both
/// parts must be given names of the table; "Putin Vladimir" stays Vladimir
/// Putin.
fn given_and_fathers_swapped(
    q: &[Token],
    c: &[Token],
    fq: [Option<usize>; 2],
    fc: [Option<usize>; 2],
    pq: [Option<usize>; 2],
) -> bool {
    let (Some(q0), Some(q1), Some(c0), Some(c1)) = (fq[0], fq[1], fc[0], fc[1]) else {
        return false;
    };
    let given = |t: &Token| t.of_person && t.name != 0 && !t.chinese && !t.korean && !t.japanese;
    pq[0] == Some(c1)
        && pq[1] == Some(c0)
        && [&q[q0], &q[q1], &c[c0], &c[c1]].into_iter().all(given)
}

/// A part as an explanation shows it: Han characters with their reading
/// (伟 wei / 炜 wei differ though they read alike).
fn shown(t: &Token) -> String {
    if t.han.is_empty() {
        t.text.clone()
    } else {
        format!("{} ({})", t.han, t.text)
    }
}

/// Weight of the "abd" half of an Abd-compound taken apart.
const ABD_HALF_WEIGHT: f64 = 0.3;

/// A part left over by the main alignment, as [`realign_abd`] sees it.
struct Piece {
    /// The token it comes from.
    index: usize,
    /// The part after "abd" of a compound taken apart (else the whole part).
    rest: Option<Token>,
}

/// Abd-compounds attached to another neighbour: "ABD AL-HADI AL-IRAQI"
/// turned round as "AL-HADI ABD AL-IRAQI" makes "abdhadi iraqi" on one side
/// and "hadi abdiraqi" on the other. When both sides have an "abd" left
/// over, compounds are taken apart and their other halves aligned with the
/// leftover parts; "Abd al-Rahman" and "Rahman" (no "abd" on one side) stay
/// different names. Returns the links (piece of q, piece of c, similarity),
/// the pieces, and how many "abd" halves pair up.
#[allow(clippy::type_complexity)]
fn realign_abd(
    q: &[Token],
    qa: &[bool],
    c: &[Token],
    ca: &[bool],
) -> Option<(Vec<(usize, usize, f64)>, Vec<Piece>, Vec<Piece>, usize)> {
    let is_compound = |t: &Token| {
        t.kind == TokenKind::Word
            && t.text.len() > 3
            && t.text.starts_with("abd")
            && !crate::normalize::is_abd_prefix(&t.text)
    };
    let is_lone = |t: &Token| crate::normalize::is_abd_prefix(&t.text);
    let abds = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .filter(|(t, u)| !**u && (is_compound(t) || is_lone(t)))
            .count()
    };
    let (aq, ac) = (abds(q, qa), abds(c, ca));
    if aq == 0 || ac == 0 {
        return None;
    }
    let pieces = |ts: &[Token], used: &[bool]| -> Vec<Piece> {
        let mut out = Vec::new();
        for (i, t) in ts.iter().enumerate() {
            if used[i] || t.kind != TokenKind::Word || is_lone(t) {
                continue;
            }
            let rest = is_compound(t).then(|| t.respelt(t.text[3..].to_string()));
            out.push(Piece { index: i, rest });
        }
        out
    };
    let (pq, pc) = (pieces(q, qa), pieces(c, ca));
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, a) in pq.iter().enumerate() {
        for (j, b) in pc.iter().enumerate() {
            // Whole parts against whole parts were compared already.
            if a.rest.is_none() && b.rest.is_none() {
                continue;
            }
            let ta = a.rest.as_ref().unwrap_or(&q[a.index]);
            let tb = b.rest.as_ref().unwrap_or(&c[b.index]);
            // Two halves with different family-name endings are two names
            // (Abdelkarim / Abdelkarimov); the halves, respelt, have lost them.
            if a.rest.is_some()
                && b.rest.is_some()
                && crate::normalize::different_surname_endings(
                    &ta.text,
                    &crate::normalize::EndingSplits::of(&ta.text),
                    &tb.text,
                    &crate::normalize::EndingSplits::of(&tb.text),
                )
            {
                continue;
            }
            let (sim, _) = token_similarity_inner(ta, tb);
            if sim >= MIN_PART_SIM {
                cands.push((sim, i, j));
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut uq, mut uc) = (vec![false; pq.len()], vec![false; pc.len()]);
    let mut links = Vec::new();
    for (sim, i, j) in cands {
        if uq[i] || uc[j] {
            continue;
        }
        uq[i] = true;
        uc[j] = true;
        links.push((i, j, sim));
    }
    if links.is_empty() {
        return None;
    }
    Some((links, pq, pc, aq.min(ac)))
}

/// The least similarity of the parts left over, written together, that a
/// match of whole names written together needs.
const LEFT_OVER_JOINED: f64 = 0.75;

/// The skeletons of a name's parts run together, a consonant that ends one
/// part and starts the next written once, as the skeleton of the parts
/// written as one word has it (RYE SONG GANG / RYESONGGANG: snk + knk is
/// snknk); parts of one consonant are kept whole (NIA INTERNATIONAL is not
/// INTERNATIONAL).
fn joined_skeleton<'a>(ts: impl IntoIterator<Item = &'a Token>) -> String {
    let mut out = String::new();
    let mut last: &str = "";
    for t in ts {
        let skel = t.skel.as_str();
        match (last.chars().last(), skel.chars().next()) {
            (Some(x), Some(y)) if x == y && last.len() > 1 && skel.len() > 1 => {
                out.push_str(&skel[y.len_utf8()..])
            }
            _ => out.push_str(skel),
        }
        if !skel.is_empty() {
            last = skel;
        }
    }
    out
}

/// The length of [`joined_skeleton`], without building it (hot path).
fn joined_skeleton_len(ts: &[Token]) -> usize {
    let mut len = 0;
    let mut last: &[u8] = &[];
    for t in ts {
        let b = t.skel.as_bytes();
        len += b.len();
        if b.len() > 1 && last.len() > 1 && b.first() == last.last() {
            len -= 1;
        }
        if !b.is_empty() {
            last = b;
        }
    }
    len
}

fn align(q: &[Token], c: &[Token], detail: bool, memo: Option<Memo>) -> NameScore {
    // Which parts are aligned (this runs for every candidate scored).
    let (mut q_aligned, mut c_aligned) = (
        Scratch::<bool, 32>::new(q.len(), false),
        Scratch::<bool, 32>::new(c.len(), false),
    );
    let (qa, ca): (&mut [bool], &mut [bool]) = (&mut q_aligned, &mut c_aligned);
    let mut aligned = Vec::new();
    let mut any_word = false;
    let (mut num, mut den) = (0.0, 0.0);
    let free = |used: &[bool], r: (usize, usize)| used[r.0..r.0 + r.1].iter().all(|u| !u);
    let mut all = LINKS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    links(q, c, &mut all, memo);
    // Initials aligned with a whole part: (index in q, index in c).
    let mut initial_links: [Option<(usize, usize)>; 4] = [None; 4];
    // The least alike link by spelling alone between single parts: (its
    // similarity, its part in q, its part in c).
    let mut weakest_fuzzy = (1.0_f64, 0, 0);
    // What the first two name parts of each side are aligned with.
    let (fq, fc) = (first_two_parts(q), first_two_parts(c));
    let (mut pq, mut pc) = ([None; 2], [None; 2]);
    // Two words aligned only as one kind of body (Movement / Group).
    let mut kind_only = false;
    for l in all.iter() {
        if !free(qa, l.q) || !free(ca, l.c) {
            continue;
        }
        for k in 0..2 {
            if fq[k].is_some_and(|i| (l.q.0..l.q.0 + l.q.1).contains(&i)) {
                pq[k] = Some(l.c.0);
            }
            if fc[k].is_some_and(|j| (l.c.0..l.c.0 + l.c.1).contains(&j)) {
                pc[k] = Some(l.q.0);
            }
        }
        qa[l.q.0..l.q.0 + l.q.1].iter_mut().for_each(|u| *u = true);
        ca[l.c.0..l.c.0 + l.c.1].iter_mut().for_each(|u| *u = true);
        let (tq, tc) = (&q[l.q.0], &c[l.c.0]);
        let joined = l.q.1 > 1 || l.c.1 > 1;
        if !joined && (tq.kind == TokenKind::Initial) != (tc.kind == TokenKind::Initial) {
            if let Some(slot) = initial_links.iter_mut().find(|s| s.is_none()) {
                *slot = Some((l.q.0, l.c.0));
            }
        }
        if joined || (tq.kind == TokenKind::Word && tc.kind == TokenKind::Word) {
            any_word = true;
        }
        if !joined && only_same_kind_of_body(tq, tc) {
            kind_only = true;
        }
        if l.how == PartMatch::Fuzzy && l.sim < weakest_fuzzy.0 && l.q.1 == 1 && l.c.1 == 1 {
            weakest_fuzzy = (l.sim, l.q.0, l.c.0);
        }
        let w = range_weight(q, l.q) + range_weight(c, l.c);
        num += l.sim * w;
        den += w;
        if detail {
            aligned.push(AlignedPart {
                query: range_text(q, l.q),
                candidate: range_text(c, l.c),
                similarity: l.sim,
                how: if joined && l.how != PartMatch::Acronym {
                    PartMatch::Joined
                } else {
                    l.how
                },
            });
        }
    }
    LINKS.with(|b| *b.borrow_mut() = all);
    // Abd-compounds attached to other neighbours on the two sides.
    let (mut extra_q, mut extra_c) = (0.0, 0.0);
    if let Some((links, pq, pc, abd_pairs)) = realign_abd(q, qa, c, ca) {
        any_word = true;
        for &(i, j, sim) in &links {
            let (a, b) = (&pq[i], &pc[j]);
            qa[a.index] = true;
            ca[b.index] = true;
            let w = q[a.index].weight + c[b.index].weight;
            num += sim * w;
            den += w;
            if detail {
                aligned.push(AlignedPart {
                    query: q[a.index].text.clone(),
                    candidate: c[b.index].text.clone(),
                    similarity: sim,
                    how: PartMatch::Joined,
                });
            }
        }
        // The "abd"s pair up. Halves of the compounds taken apart come first;
        // pairs beyond them were lone "abd"s, now matched; halves beyond the
        // pairs are extra particles.
        let hq = links.iter().filter(|l| pq[l.0].rest.is_some()).count();
        let hc = links.iter().filter(|l| pc[l.1].rest.is_some()).count();
        num += abd_pairs as f64 * 2.0 * ABD_HALF_WEIGHT;
        den += abd_pairs as f64 * 2.0 * ABD_HALF_WEIGHT;
        let match_lone = |ts: &[Token], used: &mut [bool], n: usize| {
            for (_, u) in ts
                .iter()
                .zip(used.iter_mut())
                .filter(|(t, u)| !**u && crate::normalize::is_abd_prefix(&t.text))
                .take(n)
            {
                *u = true;
            }
        };
        match_lone(q, qa, abd_pairs.saturating_sub(hq));
        match_lone(c, ca, abd_pairs.saturating_sub(hc));
        extra_q += hq.saturating_sub(abd_pairs) as f64 * ABD_HALF_WEIGHT;
        extra_c += hc.saturating_sub(abd_pairs) as f64 * ABD_HALF_WEIGHT;
    }
    let mut unmatched_query = Vec::new();
    let mut unmatched_candidate = Vec::new();
    // Unmatched weight on each side; and as evidence of a conflict, where a
    // name part counts fully however common it is (Muhammad against Ahmad
    // says "different person" as clearly as Pedro against Bernardo).
    let (mut uq, mut uc, mut kq, mut kc) = (0.0, 0.0, 0.0, 0.0);
    // An initial left over against a part left over on the other side
    // stands for another name (A.Q. Khan / Abdul Ghaffar Khan).
    let conflict_weight = |t: &Token| {
        if is_name_part(t) {
            t.weight.max(CONFLICT_FLOOR)
        } else {
            t.weight
        }
    };
    // Words that join an organisation's words (of, and; the Persian ezafe
    // and va) left over on both sides, in no language in common, say
    // nothing: a translation has its own (Vezarat-e Ettela'at va Amniat /
    // Ministry of Intelligence and Security). In one language they are
    // the names' own (Futbol y Corazon / Escuela de Futbol).
    let languages = |t: &Token| {
        if t.kind == TokenKind::Stop && t.of_organisation {
            crate::normalize::connective_languages(&t.text)
        } else {
            0
        }
    };
    let left_languages = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .fold(0, |m, (t, _)| m | languages(t))
    };
    let (lq, lc) = (left_languages(q, qa), left_languages(c, ca));
    let ignore = lq != 0 && lc != 0 && lq & lc == 0;
    let connective = |t: &Token| ignore && languages(t) != 0;
    for (i, t) in q.iter().enumerate() {
        if !qa[i] && !connective(t) {
            uq += t.weight;
            kq += conflict_weight(t);
            if detail {
                unmatched_query.push(shown(t));
            }
        }
    }
    for (j, t) in c.iter().enumerate() {
        if !ca[j] && !connective(t) {
            uc += t.weight;
            kc += conflict_weight(t);
            if detail {
                unmatched_candidate.push(shown(t));
            }
        }
    }
    let unmatched_word = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .any(|(t, u)| !u && t.kind == TokenKind::Word)
    };
    uq += extra_q;
    uc += extra_c;
    let word_conflict = unmatched_word(q, qa) && unmatched_word(c, ca);
    let matched_parts = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .filter(|(t, u)| **u && is_name_part(t))
            .count()
    };
    let shared_parts = matched_parts(q, qa).max(matched_parts(c, ca));
    let numeric = |t: &Token| t.number.is_some() || t.text.bytes().any(|b| b.is_ascii_digit());
    let unmatched_number =
        |ts: &[Token], used: &[bool]| ts.iter().zip(used).any(|(t, m)| !m && numeric(t));
    let (nq, nc) = (unmatched_number(q, qa), unmatched_number(c, ca));
    // A letter left over on both sides of an organisation's name is a
    // series letter, like a number (JAK-A / JAK-T, Fund A / Fund B); not the
    // Persian ezafe or a conjunction (Jaish-i / Jaish-e Mohammed, M y M).
    let series_letter = |ts: &[Token], used: &[bool]| {
        ts.iter().zip(used).any(|(t, m)| {
            !m && t.of_organisation
                && t.text.len() == 1
                && t.text.bytes().all(|b| b.is_ascii_alphabetic())
                && !matches!(t.text.as_str(), "e" | "i" | "y" | "o" | "u")
        })
    };
    let number_conflict = (nq && nc) || (series_letter(q, qa) && series_letter(c, ca));
    // A number on one side only (KUM UN SAN / KUM UN SAN 3, HERO / HERO
    // II): another vessel of a series, another branch.
    let number_extra = nq != nc;
    // Parts left over on both sides conflict (Pedro vs Bernardo: different
    // people); parts left over on one side only are missing (middle) names.
    let mut conflict = f64::min(kq, kc);
    // The first names differ (Qusay / Uday Saddam Hussein al-Tikriti): in
    // names built from a given name and the father's and grandfather's,
    // the first is the one that says which person.
    let first_unmatched = |ts: &[Token], used: &[bool]| {
        ts.iter()
            .zip(used)
            .find(|(t, _)| is_name_part(t))
            .is_some_and(|(_, u)| !u)
    };
    if first_unmatched(q, qa) && first_unmatched(c, ca) && words_in(q) >= 3 && words_in(c) >= 3 {
        conflict *= FIRST_NAME_CONFLICT;
    }
    let extra = uq + uc - 2.0 * f64::min(uq, uc);
    den += CONFLICT_COST * 2.0 * conflict + EXTRA_COST * extra;
    let mut score = if den > 0.0 { num / den } else { 0.0 };
    if shared_parts == 1 && (words_in(q) >= 2 || words_in(c) >= 2) {
        score *= if word_conflict {
            ONE_SHARED_PART_IN_CONFLICT
        } else {
            ONE_SHARED_PART
        };
    }
    // Set where the names were found to be another body's or person's, which
    // no spelling of the joined parts undoes.
    let mut another_body = false;
    // Different places or regions left over on the two sides (Islamic State
    // - Libya / - Yemen, Jund al-Khilafah in Algeria / in Tunisia, West /
    // Central Africa Province): branches of one movement, different bodies.
    // Tested only where the score would pass (country names are looked up).
    if word_conflict && score > PLACE_CONFLICT && {
        let (pq, pc) = (unmatched_place(q, qa), unmatched_place(c, ca));
        pq.is_some() && pc.is_some() && pq != pc
    } {
        score = PLACE_CONFLICT;
        another_body = true;
    }
    // Organisations of the two Koreas ([`korea_side`]); and a country left
    // over on one side with a legal form only the other has (Bank Saderat
    // Iran / Bank Saderat PLC, Petrochemical Commercial Company FZE / Iran
    // Petrochemical Commercial Company), or before the legal form on one
    // side only ([`registered_abroad`]: Petropars UK Limited / Petropars
    // Ltd.): the body registered abroad, which the lists hold as an entity
    // of its own.
    // "In" and a place, or a region movements name branches for, on one
    // side only, nothing left over on the other (Al-Qaida / Al-Qaida in
    // Iraq, Martyrs Foundation / … in Lebanon, ISIL / ISIL - Khorasan):
    // the branch there, a body of its own. (The lists also give some branches'
    // names without the place as their aliases: Ansar al-Sharia in
    // Tunisia; a screening finds those entries by that alias itself.)
    let branch_in = |ts: &[Token], used: &[bool], other: &[Token], other_used: &[bool]| {
        !unmatched_word(other, other_used)
            && ((1..ts.len()).any(|k| {
                !used[k]
                    && !used[k - 1]
                    && ts[k - 1].kind == TokenKind::Stop
                    && ts[k - 1].text == "in"
                    && unmatched_place(&ts[k..=k], &used[k..=k]).is_some()
            }) || ts
                .iter()
                .zip(used)
                .any(|(t, u)| !u && BRANCH_REGIONS.contains(&t.text.as_str())))
    };
    if score > PLACE_CONFLICT
        && of_organisation(q)
        && of_organisation(c)
        && (branch_in(q, qa, c, ca) || branch_in(c, ca, q, qa))
    {
        score = PLACE_CONFLICT;
        another_body = true;
    }
    if score > PLACE_CONFLICT
        && of_organisation(q)
        && of_organisation(c)
        && (matches!((korea_side(q), korea_side(c)), (Some(x), Some(y)) if x != y)
            || (unmatched_place(q, qa).is_some() && unmatched_legal_form(c, ca))
            || (unmatched_place(c, ca).is_some() && unmatched_legal_form(q, qa))
            || (!word_conflict && (registered_abroad(q, qa) || registered_abroad(c, ca))))
    {
        score = PLACE_CONFLICT;
        another_body = true;
    }
    // A name with more than the other that names another body, where
    // nothing conflicts (each capped at the same score):
    // - a body named by one word against that word and a distinctive word
    //   or an armed unit more, outside a qualifying phrase (Hizballah /
    //   Kata'ib Hizballah, DCB / DCB Finance Limited, Hizballah / Hizballah
    //   Brigades): a unit, a faction or another body. (The lists give some
    //   one-word names as aliases of longer ones, Al-Aqsa of Sanabil
    //   Al-Aqsa; a screening still finds those entries by the one-word
    //   alias itself.)
    // - a ministry against the same name with a bureau, department,
    //   directorate, office or agency more (Ministry of State Security /
    //   … Prisons Bureau): a unit the lists hold apart;
    // - "People's" or "Popular" on one side only, nothing else left over
    //   (Sudan Liberation Army / Sudan People's Liberation Army, PLF /
    //   PFLP): another movement;
    // - two kinds of body and a distinctive word more on one side (Islamic
    //   Movement of Uzbekistan / Islamic Jihad Group of Uzbekistan): another
    //   body, not one named two ways;
    // - one spelt acronym against it and another acronym more (PFLP /
    //   PFLP-GC, the General Command): a faction;
    // - a word that marks a subsidiary or a unit (Bank Sepah / Bank Sepah
    //   International PLC).
    let unit_of_a_body = || {
        (of_organisation(q)
            && of_organisation(c)
            && ((one_word_body(q, qa) && (distinctive_extra(c, ca) || armed_unit(c, ca)))
                || (one_word_body(c, ca) && (distinctive_extra(q, qa) || armed_unit(q, qa)))
                || unit_of_ministry(q, qa, c, ca)
                || unit_of_ministry(c, ca, q, qa)
                || people_added(q, qa, c, ca)
                || people_added(c, ca, q, qa)
                || (kind_only && (distinctive_extra(q, qa) || distinctive_extra(c, ca)))
                || acronym_and_another(q, qa, c, ca)
                || acronym_and_another(c, ca, q, qa)))
            || distinguishing_extra(q, qa)
            || distinguishing_extra(c, ca)
    };
    if score > EXTRA_BODY_WORD && !word_conflict && unit_of_a_body() {
        score = EXTRA_BODY_WORD;
        another_body = true;
    }
    if score > INITIAL_FOR_SURNAME && initial_for_surname(q, qa, c, ca, &initial_links) {
        score = INITIAL_FOR_SURNAME;
        another_body = true;
    }
    if score > FATHER_AND_SON
        && (son_of(pq[0], fc, q, c, ca)
            || son_of(pc[0], fq, c, q, qa)
            || given_and_fathers_swapped(q, c, fq, fc, pq)
            || matches!((patronymic_sex(q), patronymic_sex(c)), (Some(a), Some(b)) if a != b)
            || matches!((generation(q), generation(c)), (Some(a), Some(b)) if a != b))
    {
        score = FATHER_AND_SON;
        another_body = true;
    }
    // Names of one part each, alike only in spelling and more than one
    // letter apart: two words, not a typo (Rosneft / Rosneftegaz, Transoil
    // / Transservis, KADSO / HDAS CO.).
    let (sim, i, j) = weakest_fuzzy;
    if score > ONE_PART_SPELT_OTHERWISE
        && sim < ONE_PART_FUZZY
        && words_in(q) == 1
        && words_in(c) == 1
        && levenshtein(q[i].text.as_bytes(), c[j].text.as_bytes()) > 1
    {
        score = ONE_PART_SPELT_OTHERWISE;
    }
    // Two bodies' names of one short word each that are two acronyms:
    // - one a letter longer (AQI / AQIM, AIG / AMIG), where a letter is a
    //   whole word of the name (longer words keep their typos: CIMEX /
    //   CIEX);
    // - each read letter by letter (a vowel at most), one consonant apart
    //   (GICM / GICT).
    // Not a letter for another in an acronym read as a word: ISIL / ISIS is
    // one body.
    if score > ONE_PART_SPELT_OTHERWISE
        && sim < 1.0
        && of_organisation(q)
        && of_organisation(c)
        && words_in(q) == 1
        && words_in(c) == 1
        && ((q[i].text.len() <= SHORT_WORD
            && c[j].text.len() <= SHORT_WORD
            && q[i].text.len() != c[j].text.len())
            || spelt_acronyms_a_consonant_apart(&q[i].text, &c[j].text))
    {
        score = ONE_PART_SPELT_OTHERWISE;
    }
    // The one proper word of two bodies' names, short and one consonant
    // apart, the rest words of the table (Sima / Sina Shipping Company,
    // Homa / Hoda): two names, not a typo.
    if score > ONE_PART_SPELT_OTHERWISE
        && sim < 1.0
        && of_organisation(q)
        && of_organisation(c)
        && short_word_one_letter_off(q, i, c, j)
    {
        score = ONE_PART_SPELT_OTHERWISE;
    }
    // Legal forms of two kinds, one left over (Stroytransgaz OJSC /
    // Stroytransgaz LLC, First Ocean GmbH / First Ocean GmbH & Co. KG): a
    // joint-stock company, a limited liability company and a partnership
    // are three bodies.
    // (The lists hold a few companies re-registered from one kind to the
    // other under both names: OOO / AO Shipyard "Zaliv".)
    if score > OTHER_KIND_OF_COMPANY
        && of_organisation(q)
        && of_organisation(c)
        && (unmatched_legal_form(q, qa) || unmatched_legal_form(c, ca))
    {
        let (a, b) = (form_kinds(q), form_kinds(c));
        if a != 0 && b != 0 && a & b == 0 {
            score = OTHER_KIND_OF_COMPANY;
            another_body = true;
        }
    }
    // Only particles / legal forms / initials in common: not a name match.
    if !any_word {
        score = score.min(0.4);
    }
    // Different numbers (IMICO NEKA 455 / 456): different vessels or branches.
    if number_conflict {
        score = score.min(0.4);
    }
    // A region of a subsidiary on one side only (Sberbank / Sberbank Europe
    // AG, VTB Bank / VTB Bank Europe SE): the lists hold those as entities
    // of their own.
    if number_extra
        || (score > 0.45 && !word_conflict && unmatched_branch(q, qa) != unmatched_branch(c, ca))
    {
        score = score.min(0.45);
    }
    // Concatenation fallback: "Abuhamza" vs "Abu Hamza", "Alqaida" vs "Al
    // Qaida" (not past a number only one side has: MARIE DE LOURDES I).
    // Only worth computing when it could beat the aligned score.
    let mut joined_whole = None;
    if score < 0.9 && q.len() != c.len() && !number_conflict && !number_extra && !another_body {
        // The same letters, spaced otherwise (XINGUANGHAI / XIN GUANG HAI,
        // whose syllables' skeletons differ from the word's).
        let letters = |ts: &[Token]| ts.iter().map(|t| t.text.len()).sum::<usize>();
        if letters(q) == letters(c)
            && q.iter()
                .flat_map(|t| t.text.bytes())
                .eq(c.iter().flat_map(|t| t.text.bytes()))
        {
            joined_whole = Some(1.0);
        }
        let (lq, lc) = (joined_skeleton_len(q), joined_skeleton_len(c));
        let ml = lq.max(lc);
        if joined_whole.is_none() && ml >= 4 && (lq.abs_diff(lc) as f64) <= 0.1 * ml as f64 {
            let cq = joined_skeleton(q);
            let cc = joined_skeleton(c);
            let sim = 1.0 - levenshtein(cq.as_bytes(), cc.as_bytes()) as f64 / ml as f64;
            // Where parts aligned and both names have parts left over,
            // those must be alike written together too: a shared family
            // name is most of the letters of Jose David / Diosdado Cabello
            // Rondon.
            let left_over_alike = !qa.iter().any(|&a| a) || {
                let left_over = |ts: &[Token], used: &[bool]| {
                    joined_skeleton(ts.iter().zip(used).filter(|(_, u)| !**u).map(|(t, _)| t))
                };
                let (sq, sc) = (left_over(q, qa), left_over(c, ca));
                let m = sq.len().max(sc.len()).max(1);
                sq.is_empty()
                    || sc.is_empty()
                    || 1.0 - levenshtein(sq.as_bytes(), sc.as_bytes()) as f64 / m as f64
                        >= LEFT_OVER_JOINED
            };
            if sim >= 0.9 && left_over_alike {
                joined_whole = Some(sim);
            }
        }
    }
    if let Some(sim) = joined_whole.filter(|sim| sim * 0.9 > score) {
        score = sim * 0.9;
        if detail {
            aligned.clear();
            aligned.push(AlignedPart {
                query: range_text(q, (0, q.len())),
                candidate: range_text(c, (0, c.len())),
                similarity: sim,
                how: PartMatch::Joined,
            });
            unmatched_query.clear();
            unmatched_candidate.clear();
        }
    }
    // An acronym against the words it abbreviates (IRGC / Islamic
    // Revolutionary Guard Corps), or a blend of their starts (Colcerdos /
    // Colombiana de Cerdos); not between people's names, whose parts
    // spell words by chance (SANA / A. Nikolaevich SHESHENYA). (A query of
    // no stated kind is read as a person's name against an organisation's
    // when that reads the same: one side of a person is not enough.)
    if score < ACRONYM_SIM
        && !(of_person(q) && of_person(c))
        && (acronym_of(q, c) || acronym_of(c, q) || blend_of(q, c) || blend_of(c, q))
    {
        score = ACRONYM_SIM;
        if detail {
            aligned.clear();
            aligned.push(AlignedPart {
                query: range_text(q, (0, q.len())),
                candidate: range_text(c, (0, c.len())),
                similarity: ACRONYM_SIM,
                how: PartMatch::Acronym,
            });
            unmatched_query.clear();
            unmatched_candidate.clear();
        }
    }
    NameScore {
        score: score.clamp(0.0, 1.0),
        aligned,
        unmatched_query,
        unmatched_candidate,
        read_as: None,
    }
}

/// The most two companies' names with legal forms of different kinds
/// score ([`form_kinds`]).
const OTHER_KIND_OF_COMPANY: f64 = 0.45;

/// The legal-form kinds table (`data/legal-form-classes.txt`): each
/// spelling as the tokenizer writes it, by first word, longest first.
/// Built once, with the index ([`prepare_tables`]), not by the first
/// screening that needs it.
fn form_kind_table() -> &'static crate::phrases::Phrases<u16> {
    static TABLE: std::sync::OnceLock<crate::phrases::Phrases<u16>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut classes: Vec<&str> = Vec::new();
        let mut t = crate::phrases::Phrases::default();
        // Each spelling as the tokenizer writes it ("Co., Ltd." → co ltd).
        for line in include_str!("../../data/legal-form-classes.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let mut fields = line.split('|').map(str::trim);
            let Some(class) = fields.next() else { continue };
            let bit = match classes.iter().position(|c| *c == class) {
                Some(p) => p,
                None => {
                    classes.push(class);
                    classes.len() - 1
                }
            };
            for form in fields {
                let words: Vec<String> =
                    crate::normalize::tokenize_as(form, Some(crate::Schema::Organization))
                        .into_iter()
                        .map(|t| t.text)
                        .collect();
                if !words.is_empty() {
                    *t.entry(words, || 0) |= 1 << bit;
                }
            }
        }
        t.longest_first()
    })
}

/// Builds the scoring tables that are otherwise built on first use.
pub(crate) fn prepare_tables() {
    form_kind_table();
}

/// The kinds of company (LLC, JSC, LP …) of the legal forms a name carries,
/// one bit a kind, from `data/legal-form-classes.txt` (OpenSanctions'
/// rigour); 0 where it carries none the table knows.
fn form_kinds(ts: &[Token]) -> u16 {
    let table = form_kind_table();
    let mut out = 0;
    let mut i = 0;
    while i < ts.len() {
        // (A form begins with a word read as a legal form: "Sociedad por
        // Acciones Simplificada", not "Compañía General de Níquel".)
        let hit = (ts[i].kind == TokenKind::Stop)
            .then(|| table.longest_at(|k| ts[k].text.as_str(), ts.len(), i))
            .flatten();
        match hit {
            Some((n, bits)) => {
                out |= bits;
                i += n;
            }
            None => i += 1,
        }
    }
    out
}
