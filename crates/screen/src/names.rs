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
    latin: crate::index::FxMap<String, u16>,
    /// Folded Arabic-script form -> name id.
    arabic: crate::index::FxMap<String, u16>,
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
        latin: Default::default(),
        arabic: Default::default(),
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

/// The nickname tables: the English one (`data/nicknames.csv`, from the
/// maintained `nicknames` package), Russian diminutives, and Spanish,
/// Portuguese, Italian and German short forms.
const NICKNAMES: [&str; 3] = [
    include_str!("../data/nicknames.csv"),
    include_str!("../data/nicknames-slavic.csv"),
    include_str!("../data/nicknames-romance.csv"),
];

/// The nickname tables as entries: spelling -> entry (1-based), and each
/// entry's formal names (group ids) it is, or is a nickname of.
struct Nicknames {
    entry: crate::index::FxMap<String, u32>,
    groups: Vec<Vec<u32>>,
    /// The group each entry is the formal name of, if any.
    formal: Vec<Option<u32>>,
}

fn nicknames() -> &'static Nicknames {
    static TABLE: OnceLock<Nicknames> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut formal: HashMap<String, u32> = HashMap::new();
        let mut t = Nicknames {
            entry: Default::default(),
            groups: Vec::new(),
            formal: Vec::new(),
        };
        let key = |s: &str| match tokenize_unlooked(s).as_slice() {
            // Parts under three letters are left out: "Al" and "Ed"
            // stand for too many names.
            [t] if t.text.len() >= 3 => Some(t.text.clone()),
            _ => None,
        };
        for line in NICKNAMES.iter().flat_map(|t| t.lines()) {
            let mut f = line.split(',');
            let (Some(name), Some("has_nickname"), Some(nick)) = (f.next(), f.next(), f.next())
            else {
                continue;
            };
            let (Some(name), Some(nick)) = (key(name), key(nick)) else {
                continue;
            };
            let next = u32::try_from(formal.len()).unwrap_or(u32::MAX);
            let id = *formal.entry(name.clone()).or_insert(next);
            for (spelling, is_formal) in [(name, true), (nick, false)] {
                let n = t.groups.len();
                let e = *t
                    .entry
                    .entry(spelling)
                    .or_insert_with(|| u32::try_from(n + 1).unwrap_or(u32::MAX));
                if e as usize > t.groups.len() {
                    t.groups.push(Vec::new());
                    t.formal.push(None);
                }
                let i = e as usize - 1;
                if !t.groups[i].contains(&id) {
                    t.groups[i].push(id);
                }
                if is_formal {
                    t.formal[i] = Some(id);
                }
            }
        }
        t
    })
}

/// The nickname-table entry of a normalised name part (0: not in it).
pub fn nickname_entry(text: &str) -> u32 {
    nicknames().entry.get(text).copied().unwrap_or(0)
}

/// Whether one of two different entries of the nickname table is a
/// nickname or short form of the other (Bob / Robert, Sasha / Aleksandr).
/// Two nicknames of one formal name are not taken for each other: Bill is
/// short for William and for Robert, Bob only for Robert.
pub fn nickname_related(a: u32, b: u32) -> bool {
    if a == 0 || b == 0 || a == b {
        return false;
    }
    let t = nicknames();
    let (a, b) = (a as usize - 1, b as usize - 1);
    let formal_in = |f: usize, other: usize| {
        t.formal
            .get(f)
            .copied()
            .flatten()
            .is_some_and(|id| t.groups.get(other).is_some_and(|g| g.contains(&id)))
    };
    formal_in(a, b) || formal_in(b, a)
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
