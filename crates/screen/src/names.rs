//! The given-name table (`data/given-names.txt`): which spellings are one
//! name and which similar-looking names are different names.
//!
//! Consonant skeletons make Mohammed = Muhammad, but they also make Mahmud =
//! Muhammad, Hamid = Hamad = Ahmad and Hasan = Husayn, and those are the
//! names that relatives on the lists differ by. The table settles the common
//! cases with knowledge instead of spelling: two parts the table knows are
//! the same name or different names; anything else is compared by spelling.

use crate::normalize::tokenize_unlooked;
use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/given-names.txt");

struct Names {
    /// Normalised Latin spelling -> name id (1-based).
    latin: HashMap<String, u16>,
    /// Folded Arabic-script form -> name id.
    arabic: HashMap<String, u16>,
    /// Canonical spelling of each id (index id - 1).
    canonical: Vec<String>,
}

fn table() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| parse(TABLE).names)
}

struct Parsed {
    names: Names,
    #[cfg_attr(not(test), allow(dead_code))]
    /// Spellings that two lines claim (a mistake in the table).
    conflicts: Vec<String>,
}

fn parse(text: &str) -> Parsed {
    let mut names = Names {
        latin: HashMap::new(),
        arabic: HashMap::new(),
        canonical: Vec::new(),
    };
    let mut conflicts = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (latin, arabic) = line.split_once('|').unwrap_or((line, ""));
        let Ok(id) = u16::try_from(names.canonical.len() + 1) else {
            break;
        };
        let mut canonical = None;
        for spelling in latin.split_whitespace() {
            // The key is what the tokenizer makes of the spelling, so the
            // table and the names it is asked about agree on form.
            let tokens = tokenize_unlooked(spelling);
            let [t] = tokens.as_slice() else { continue };
            canonical.get_or_insert_with(|| t.text.clone());
            if let Some(old) = names.latin.insert(t.text.clone(), id) {
                if old != id {
                    conflicts.push(spelling.to_string());
                }
            }
        }
        for form in arabic.split(',') {
            let key = arabic_form_key(form);
            if key.is_empty() {
                continue;
            }
            if let Some(old) = names.arabic.insert(key, id) {
                if old != id {
                    conflicts.push(form.to_string());
                }
            }
        }
        names.canonical.push(canonical.unwrap_or_default());
    }
    Parsed { names, conflicts }
}

/// The key of an Arabic form as the tokenizer computes it for a name part.
fn arabic_form_key(form: &str) -> String {
    let words: Vec<String> = form
        .split_whitespace()
        .map(crate::normalize::arabic_key)
        .collect();
    words.concat()
}

/// The id of a normalised Latin name part (0: not in the table).
pub fn latin(text: &str) -> u16 {
    table().latin.get(text).copied().unwrap_or(0)
}

/// The id of a name part written in Arabic script, by its folded key (0: not in the table).
pub fn arabic(key: &str) -> u16 {
    table().arabic.get(key).copied().unwrap_or(0)
}

/// The canonical spelling of a name id (empty for 0 or an unknown id).
pub fn canonical(id: u16) -> &'static str {
    usize::from(id)
        .checked_sub(1)
        .and_then(|i| table().canonical.get(i))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn id(name: &str) -> u16 {
        let t = tokenize(name);
        assert_eq!(t.len(), 1, "{name:?} is one part: {t:?}");
        t[0].name
    }

    #[test]
    fn no_spelling_belongs_to_two_names() {
        let p = parse(TABLE);
        assert!(p.conflicts.is_empty(), "claimed twice: {:?}", p.conflicts);
        assert!(p.names.canonical.len() > 150);
    }

    #[test]
    fn spellings_and_scripts_of_one_name_share_an_id() {
        for group in [
            &["Muhammad", "Mohammed", "Mohamed", "Mehmet", "محمد"][..],
            &["Husayn", "Hussein", "حسين"],
            &["Hasan", "Hassan", "حسن"],
            &["Mahmoud", "Mahmud", "محمود"],
            &[
                "Abd al-Rahman",
                "Abdul Rahman",
                "Abdurrahman",
                "عبد الرحمن",
                "عبدالرحمن",
            ],
            &["Abdullah", "Abdallah", "Abd Allah", "عبدالله"],
            &["Hamza", "حمزة", "حمزه"],
            &["Said", "Saeed", "سعيد"],
        ] {
            let first = id(group[0]);
            assert_ne!(first, 0, "{} is in the table", group[0]);
            for n in group {
                assert_eq!(id(n), first, "{n} is {}", canonical(first));
            }
        }
    }

    #[test]
    fn names_alike_in_consonants_are_different_names() {
        for (a, b) in [
            ("Muhammad", "Mahmoud"),
            ("Hamid", "Hamad"),
            ("Hamid", "Ahmad"),
            ("Hasan", "Husayn"),
            ("Said", "Saad"),
            ("Said", "Sayyid"),
            ("Umar", "Amr"),
            ("محمد", "محمود"),
            ("سعيد", "سيد"),
            ("حسن", "حسين"),
        ] {
            let (x, y) = (id(a), id(b));
            assert!(x != 0 && y != 0 && x != y, "{a} ({x}) and {b} ({y})");
        }
        assert_eq!(id("Zaidan"), 0);
        assert_eq!(canonical(0), "");
    }
}
