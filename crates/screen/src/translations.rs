//! The words organisations are named with, across the languages of the
//! lists (`data/org-words.csv`): a name in its own language and its
//! translation align word by word (Jaish-i-Mohammed / Army of Mohammed,
//! Bank Keshavarzi / Agricultural Bank, Izhevsky Mekhanichesky Zavod /
//! Izhevsk Mechanical Plant). Each word maps to one concept, named by an
//! English word; two words of one concept are a translation, two words of
//! different concepts are different words however alike their letters
//! (Melli, national / Mellat, nation). Words are in Latin letters, and in
//! Arabic script for the names the lists give in it.

use crate::normalize::tokenize_body_unlooked;
use std::sync::OnceLock;

pub(crate) const TABLE: &str = include_str!("../data/org-words.csv");

struct Concepts {
    /// Normalised word -> concept id (1-based).
    by_word: crate::index::FxMap<String, u16>,
    /// The consonant skeleton of a romanised Arabic, Persian, Urdu or
    /// Pashto row's word -> its concept, for skeletons of three consonants
    /// or more that one concept alone has (u16::MAX: two have it).
    by_arabic_skeleton: crate::index::FxMap<String, u16>,
    /// The stem of a Russian row's adjective ([`russian_stem`]) -> its
    /// concept (u16::MAX: two concepts have it): another ending of the
    /// same adjective is the same word (torgovoy, torgovyy, torgovaya).
    by_russian_stem: crate::index::FxMap<String, u16>,
    /// The concept's English word (index id - 1).
    names: Vec<String>,
    /// The set of words naming a kind of body the concept's English word
    /// is in ([`crate::score::kind_of_body`]; index id - 1), looked up
    /// once here rather than for every word of every name.
    bodies: Vec<u8>,
    /// The first letters of the concept's words in Latin letters, by
    /// language (index id - 1; the language's index in `languages`, one bit
    /// for each of a to z): what the concept's word may stand for in an
    /// acronym of the name in that language.
    initials: Vec<Vec<(u8, u32)>>,
    /// The languages of the rows, in the order first seen.
    languages: Vec<String>,
    /// Whether the concept names what sets a subsidiary or a unit apart
    /// from its parent ([`SUBSIDIARY_MARKS`]; index id - 1).
    subsidiary: Vec<bool>,
}

/// Concepts whose word, added to a body's name, names another body the
/// lists hold apart: Bank Sepah International, Bank Melli Iran Investment
/// Company, Koryo Credit Development Bank, Avia Group Nord, PFLP-General
/// Command, the IRGC's Air Force and Qods Force. Descriptive words
/// (Trading, General, Group, Holding, Technology, Province) are not among
/// them: the lists give names with and without those as one body's.
const SUBSIDIARY_MARKS: &[&str] = &[
    "international",
    "investment",
    "credit",
    "commercial",
    "north",
    "south",
    "east",
    "west",
    "command",
    "force",
    // A service's intelligence arm (Syrian Air Force / … Intelligence).
    "intelligence",
    // Splinters named for the body they left (Real / Continuity IRA).
    "real",
    "continuity",
];

fn table() -> &'static Concepts {
    static TABLE_ONCE: OnceLock<Concepts> = OnceLock::new();
    TABLE_ONCE.get_or_init(|| parse(TABLE).0)
}

/// The table and the words two rows give different concepts (a mistake in
/// the table: the first row wins).
fn parse(text: &str) -> (Concepts, Vec<String>) {
    let mut c = Concepts {
        by_word: Default::default(),
        by_arabic_skeleton: Default::default(),
        by_russian_stem: Default::default(),
        names: Vec::new(),
        bodies: Vec::new(),
        initials: Vec::new(),
        languages: Vec::new(),
        subsidiary: Vec::new(),
    };
    let mut ids: crate::index::FxMap<String, u16> = Default::default();
    let mut conflicts = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && *l != "concept,word,language")
    {
        let mut cols = line.split(',');
        let (Some(concept), Some(word)) = (cols.next(), cols.next()) else {
            continue;
        };
        let language = cols.next().unwrap_or("").trim();
        let (concept, word) = (concept.trim(), word.trim());
        if concept.is_empty() || word.is_empty() {
            continue;
        }
        // Keyed as the tokenizer writes the word, so that the table and
        // the names it is asked about agree on form: a word in Arabic
        // script by its transliteration (الدولة is "dwla", not "dawla").
        let token = |spelling: &str| {
            let mut tokens = tokenize_body_unlooked(spelling);
            (tokens.len() == 1).then(|| tokens.remove(0))
        };
        let id = match ids.get(concept) {
            Some(&id) => id,
            None => {
                let Ok(id) = u16::try_from(c.names.len() + 1) else {
                    break;
                };
                ids.insert(concept.to_string(), id);
                c.names.push(concept.to_string());
                c.bodies.push(crate::score::kind_of_body(concept));
                c.initials.push(Vec::new());
                c.subsidiary.push(SUBSIDIARY_MARKS.contains(&concept));
                // The English word names its concept too (unless another
                // concept's row has it).
                if let Some(t) = token(concept) {
                    c.by_word.entry(t.text).or_insert(id);
                }
                id
            }
        };
        let Some(t) = token(word) else { continue };
        let lang = match c.languages.iter().position(|l| l == language) {
            Some(k) => k,
            None => {
                c.languages.push(language.to_string());
                c.languages.len() - 1
            }
        };
        if let Ok(lang) = u8::try_from(lang) {
            let by_lang = &mut c.initials[usize::from(id) - 1];
            match by_lang.iter_mut().find(|(l, _)| *l == lang) {
                Some((_, bits)) => *bits |= initial_bit(&t.text),
                None => by_lang.push((lang, initial_bit(&t.text))),
            }
        }
        if matches!(language, "ar" | "fa" | "ur" | "ps") && word.is_ascii() && t.skel.len() >= 3 {
            claim(&mut c.by_arabic_skeleton, t.skel, id);
        }
        if language == "ru" {
            if let Some(stem) = russian_stem(&t.text) {
                claim(&mut c.by_russian_stem, stem.to_string(), id);
            }
        }
        let k = t.text;
        match c.by_word.get(&k) {
            Some(&old) if old != id => {
                conflicts.push(format!("{word}: {} / {concept}", c.names[old as usize - 1]))
            }
            Some(_) => {}
            None => {
                c.by_word.insert(k, id);
            }
        }
    }
    (c, conflicts)
}

/// The concept of a normalised word of an organisation's name (0: none).
pub(crate) fn concept(text: &str) -> u16 {
    let by_word = &table().by_word;
    match by_word.get(text) {
        Some(&id) => id,
        // Russian -ий comes out of Cyrillic as "ii"; the table, as
        // romanised names write it, has "iy" (исследований, issledovaniy).
        None => match text.strip_suffix("ii") {
            Some(stem) => by_word.get(&format!("{stem}iy")).copied().unwrap_or(0),
            // Another ending of a Russian adjective the table has.
            None => russian_stem(text)
                .and_then(|stem| table().by_russian_stem.get(stem))
                .copied()
                .filter(|&id| id != u16::MAX)
                .unwrap_or(0),
        },
    }
}

/// A Russian adjective's stem, romanised: the word without its ending
/// (-yy, -iy, -oy, -aya, -oye, -oe, -ogo, -ykh …), four letters at least.
fn russian_stem(word: &str) -> Option<&str> {
    const ENDINGS: [&str; 16] = [
        "aya", "oye", "yye", "iye", "ogo", "ykh", "ikh", "oe", "ye", "ie", "yy", "iy", "oy", "yj",
        "ij", "y",
    ];
    ENDINGS
        .iter()
        .find_map(|e| word.strip_suffix(e))
        .filter(|stem| stem.len() >= 4)
}

/// The concept of a word written in Arabic script that the table has
/// only romanised, by its consonant skeleton (مسلحة, "mslha", as
/// musallaha: armed); 0 when no concept, or more than one, has it.
pub(crate) fn concept_of_arabic_skeleton(skel: &str) -> u16 {
    match table().by_arabic_skeleton.get(skel) {
        Some(&id) if id != u16::MAX => id,
        _ => 0,
    }
}

/// The English word naming a concept.
pub fn concept_name(id: u16) -> Option<&'static str> {
    let i = usize::from(id).checked_sub(1)?;
    table().names.get(i).map(String::as_str)
}

/// One bit for a word's first letter, a to z (0 for anything else).
fn initial_bit(word: &str) -> u32 {
    word.bytes().next().map_or(0, crate::score::letter_bit)
}

/// Records `id` as the concept of `key`, or that two concepts have it
/// (u16::MAX).
fn claim(map: &mut crate::index::FxMap<String, u16>, key: String, id: u16) {
    let slot = map.entry(key).or_insert(id);
    if *slot != id {
        *slot = u16::MAX;
    }
}

/// The number of languages the table's rows are in ([`concept_initials`]).
pub(crate) fn language_count() -> usize {
    table().languages.len().min(usize::from(u8::MAX))
}

/// The first letters of a concept's words in one language of the table
/// (its index below [`language_count`]; one bit for each of a to z; 0: no
/// concept or no word in that language).
pub(crate) fn concept_initials(id: u16, language: usize) -> u32 {
    usize::from(id)
        .checked_sub(1)
        .and_then(|i| table().initials.get(i))
        .and_then(|by_lang| by_lang.iter().find(|(l, _)| usize::from(*l) == language))
        .map_or(0, |(_, bits)| *bits)
}

/// The set of words naming a kind of body a concept is in (0: none).
pub(crate) fn concept_body(id: u16) -> u8 {
    usize::from(id)
        .checked_sub(1)
        .and_then(|i| table().bodies.get(i).copied())
        .unwrap_or(0)
}

/// Whether a concept's word, added to a body's name, names a subsidiary or
/// a unit ([`SUBSIDIARY_MARKS`]).
pub(crate) fn marks_subsidiary(id: u16) -> bool {
    usize::from(id)
        .checked_sub(1)
        .and_then(|i| table().subsidiary.get(i).copied())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table_is_one_word() {
        for line in TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let word = line.split(',').nth(1).unwrap_or("");
            assert_eq!(tokenize_body_unlooked(word).len(), 1, "{line}");
        }
    }

    #[test]
    fn the_table_gives_each_word_one_concept() {
        let (c, conflicts) = parse(TABLE);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert!(c.names.len() > 100, "{} concepts", c.names.len());
    }

    #[test]
    fn words_of_one_meaning_share_a_concept_and_others_do_not() {
        let same = |a: &str, b: &str| concept(a) != 0 && concept(a) == concept(b);
        assert!(same("jaish", "army"));
        assert!(same("zavod", "plant"));
        assert!(same("keshavarzi", "agricultural"));
        assert!(!same("melli", "mellat"));
        assert_eq!(concept("mohammed"), 0);
        assert_eq!(concept_name(concept("jaish")), Some("army"));
        // In Arabic script, by the consonants the transliteration keeps.
        let arabic = |name: &str| {
            crate::normalize::tokenize_as(name, Some(crate::Schema::Organization))
                .iter()
                .map(|t| concept_name(t.concept).unwrap_or("-"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(arabic("الدولة الإسلامية"), "state islamic");
    }

    #[test]
    fn a_word_in_arabic_script_the_table_has_romanised_is_found_by_skeleton() {
        let words = |name: &str| {
            crate::normalize::tokenize_as(name, Some(crate::Schema::Organization))
                .iter()
                .map(|t| concept_name(t.concept).unwrap_or("-").to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        // صناعات is only romanised in the table (sinaat).
        assert_eq!(words("صناعات"), "industry");
        // A skeleton no row has, or one shorter than three consonants.
        assert_eq!(concept_of_arabic_skeleton("qqq"), 0);
        assert_eq!(concept_of_arabic_skeleton("mr"), 0);
    }

    #[test]
    fn a_body_named_in_han_or_hangul_is_read_word_by_word() {
        let words = |name: &str| {
            crate::normalize::tokenize_as(name, Some(crate::Schema::Organization))
                .iter()
                .map(|t| concept_name(t.concept).unwrap_or(&t.text).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Traditional characters are looked up simplified; the characters
        // between two known words stay one word; the legal form is one.
        assert_eq!(
            words("華信船務(香港)有限公司"),
            "huaxin shipping hongkong youxiangongsi"
        );
        assert_eq!(words("조선대성은행"), "korea daeseong bank");
        assert_eq!(words("정찰총국"), "reconnaissance bureau");
        // A person's name is still read character by character.
        let person = crate::normalize::tokenize_as("习近平", Some(crate::Schema::Person));
        assert_eq!(person.len(), 2);
        let person = crate::normalize::tokenize_as("김정은", Some(crate::Schema::Person));
        assert_eq!(person.len(), 3);
    }
}
