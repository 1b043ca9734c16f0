//! The words organisations are named with, across the languages of the
//! lists (`data/org-words.csv`): a name in its own language and its
//! translation align word by word (Jaish-i-Mohammed / Army of Mohammed,
//! Bank Keshavarzi / Agricultural Bank, Izhevsky Mekhanichesky Zavod /
//! Izhevsk Mechanical Plant). Each word maps to one concept, named by an
//! English word; two words of one concept are a translation, two words of
//! different concepts are different words however alike their letters
//! (Melli, national / Mellat, nation). Words are in Latin letters, and in
//! Arabic script for the names the lists give in it.

use crate::normalize::tokenize_unlooked;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/org-words.csv");

struct Concepts {
    /// Normalised word -> concept id (1-based).
    by_word: crate::index::FxMap<String, u16>,
    /// The concept's English word (index id - 1).
    names: Vec<String>,
}

fn table() -> &'static Concepts {
    static TABLE_ONCE: OnceLock<Concepts> = OnceLock::new();
    TABLE_ONCE.get_or_init(|| parse(TABLE).0)
}

/// The table and the words two rows give different concepts (a mistake in
/// the table: the first row wins).
fn parse(text: &str) -> (Concepts, Vec<String>) {
    let mut c = Concepts {
        by_word: Default::default(),
        names: Vec::new(),
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

        let (concept, word) = (concept.trim(), word.trim());
        if concept.is_empty() || word.is_empty() {
            continue;
        }
        let next = c.names.len() + 1;
        let Ok(next) = u16::try_from(next) else { break };
        let id = *ids.entry(concept.to_string()).or_insert_with(|| {
            c.names.push(concept.to_string());
            next
        });
        // Keyed as the tokenizer writes the word, so that the table and
        // the names it is asked about agree on form: a word in Arabic
        // script by its transliteration (الدولة is "dwla", not "dawla").
        for spelling in [word, concept] {
            let tokens = tokenize_unlooked(spelling);
            let [t] = tokens.as_slice() else { continue };
            match c.by_word.get(&t.text) {
                Some(&old) if old != id && spelling == word => {
                    conflicts.push(format!("{word}: {} / {concept}", c.names[old as usize - 1]))
                }
                Some(_) => {}
                None => {
                    c.by_word.insert(t.text.clone(), id);
                }
            }
        }
    }
    (c, conflicts)
}

/// The concept of a normalised word of an organisation's name (0: none).
pub(crate) fn concept(text: &str) -> u16 {
    table().by_word.get(text).copied().unwrap_or(0)
}

/// The English word naming a concept, for explanations.
pub fn concept_name(id: u16) -> Option<&'static str> {
    let i = usize::from(id).checked_sub(1)?;
    table().names.get(i).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table_is_one_word() {
        for line in TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let word = line.split(',').nth(1).unwrap_or("");
            assert_eq!(tokenize_unlooked(word).len(), 1, "{line}");
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
}
