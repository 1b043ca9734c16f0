//! Korean names in Latin letters: which names read as Korean, and one key
//! for the spellings of a syllable across the romanisations the lists mix
//! (McCune-Reischauer without its diacritics, as the UN and OFAC write
//! North Korean names: Pak To Chun, Choe Ryong Hae; the Revised
//! Romanization of the South and of Hangul transliterated here: Park
//! Do-chun, Choi Ryong-hae; and popular spellings: Lee, Jung, Kyung).
//! In a Korean name each syllable is a character, a name part of its own:
//! Kim Mun Chol is not Kim Min Chol, however alike the letters.

/// Family names by their spellings (the first of each set is the one the
/// key is made from): the irregular ones no syllable rule reaches (Lee /
/// Ri / Yi, Park / Pak, Oh / O).
const FAMILY_NAMES: &[&[&str]] = &[
    &["kim", "gim"],
    &["li", "lee", "yi", "ri", "rhee", "rhie", "i", "ree", "rhi"],
    &["pak", "park", "bak", "bahk"],
    &["paek", "baek", "baik", "paik"],
    &["choe", "choi", "chwe"],
    &["jong", "jeong", "chong", "jung", "chung", "joung"],
    &["jon", "jeon", "chon", "jun", "chun"],
    &["kang", "gang"],
    &["cho", "jo", "joe"],
    &["yun", "yoon", "youn"],
    &["jang", "chang"],
    &["im", "lim", "rim", "yim"],
    &["han"],
    &["o", "oh"],
    &["so", "seo", "suh"],
    &["sin", "shin"],
    &["kwon", "gwon", "kweon"],
    &["hwang"],
    &["an", "ahn"],
    &["song"],
    &["yu", "ryu", "yoo", "ryoo"],
    &["hong"],
    &["ko", "go", "koh"],
    &["mun", "moon"],
    &["yang", "ryang"],
    &["son", "sohn"],
    &["pae", "bae"],
    &["ho", "heo", "hur", "huh"],
    &["nam"],
    &["no", "noh", "ro", "roh"],
    &["ju", "joo", "chu", "choo"],
    &["hyon", "hyun", "hyeon"],
    &["thae", "tae"],
    &["sok", "seok", "suk"],
    &["cha"],
    &["kil", "gil"],
    &["ku", "koo", "gu"],
    &["pang", "bang"],
    &["myong", "myeong", "myung"],
    &["ham"],
    &["chon", "cheon"],
];

/// Each spelling of [`FAMILY_NAMES`] to the first of its set (looked up
/// for every name tokenised: a map, not a scan).
fn family_names() -> &'static crate::index::FxMap<&'static str, &'static str> {
    static MAP: std::sync::OnceLock<crate::index::FxMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        FAMILY_NAMES
            .iter()
            .flat_map(|set| set.iter().map(|s| (*s, set[0])))
            .collect()
    })
}

/// Whether a word is a family name of [`FAMILY_NAMES`].
pub(crate) fn is_family_name(word: &str) -> bool {
    family_names().contains_key(word)
}

/// Spellings of family names that are not Chinese ones (Pinyin or
/// Wade-Giles): a name with one of them is read as Korean even where its
/// syllables are also Chinese ones (Ri Yong Ho, Kim Il, Pak Song Chol).
const NOT_CHINESE: &[&str] = &[
    "kim", "gim", "pak", "park", "bak", "bahk", "choe", "choi", "chwe", "ri", "rhee", "rhie", "yi",
    "jeong", "jong", "joung", "paek", "baek", "paik", "baik", "kwon", "gwon", "kweon", "thae",
    "hyon", "hyeon", "sok", "seok", "oh", "yoon", "jo", "jang", "rim", "pae", "bae", "ryu", "heo",
    "hur", "noh", "roh", "ahn", "sohn", "shin", "moon", "joo", "choo", "koh",
];

/// Whether the family name of a name [`reads_as_korean`] is spelt in no
/// Chinese romanisation.
pub(crate) fn family_name_not_chinese(words: &[&str]) -> bool {
    let family = match words.first() {
        Some(first) if is_family_name(first) => first,
        _ => words.last().unwrap_or(&""),
    };
    NOT_CHINESE.contains(family)
}

/// Initial consonants of a syllable, in every romanisation (aspirated ones
/// lose their apostrophe in normalising; the DPRK writes them with an h:
/// Thae, Phyo).
const INITIALS: &[&str] = &[
    "kk", "tt", "pp", "ss", "jj", "ch", "sh", "th", "kh", "ph", "g", "k", "n", "d", "t", "r", "l",
    "m", "b", "p", "s", "j", "h", "",
];

/// Vowels, in every romanisation (eo and o, eu and u: the breves of ŏ and ŭ
/// are dropped by the lists; oo, ee and ou in popular spellings).
const VOWELS: &[&str] = &[
    "yeo", "yae", "wae", "eui", "you", "yoo", "ae", "ya", "eo", "ye", "wa", "oe", "oi", "yo", "wo",
    "we", "wi", "yu", "eu", "ui", "oo", "ee", "ou", "a", "e", "o", "u", "i",
];

/// Final consonants.
const FINALS: &[&str] = &["ng", "k", "g", "n", "t", "d", "l", "r", "m", "p", "b", ""];

/// Whether `s` is one romanised Korean syllable.
fn is_syllable(s: &str) -> bool {
    INITIALS.iter().any(|i| {
        s.strip_prefix(i).is_some_and(|rest| {
            VOWELS.iter().any(|v| {
                rest.strip_prefix(v)
                    .is_some_and(|fin| FINALS.contains(&fin))
            })
        })
    })
}

/// The syllables a word of a Korean name spells (Jong, Jongun, Ryonghae),
/// or `None`.
pub(crate) fn syllables(word: &str) -> Option<Vec<&str>> {
    super::script::fewest_pieces(word, 6, is_syllable)
}

/// Whether the word parts of a name read as a Korean name: two to four
/// parts, the first or the last a family name, every other one Korean
/// syllables, one to three of them (Kim Jong Un, Pak To-chun, Chang-Su Han,
/// 김정은 as gim jeong eun).
pub(crate) fn reads_as_korean(words: &[&str]) -> bool {
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let (first, last) = (words[0], words[words.len() - 1]);
    let given = if is_family_name(first) {
        &words[1..]
    } else if is_family_name(last) {
        &words[..words.len() - 1]
    } else {
        return false;
    };
    let mut count = 0;
    for w in given {
        match syllables(w) {
            Some(s) => count += s.len(),
            None => return false,
        }
    }
    (1..=3).contains(&count)
}

/// One spelling for the romanisations of a Korean name part: a family name
/// by its set, anything else by syllable rules (g/k, d/t, b/p, j/ch, r/l;
/// eo, eu, oo, ou and u as o; ee and ui as i; oe, oi as we; ae as e).
/// Chol, Cheol and Chul are one key; Mun and Min are two.
pub(crate) fn key(word: &str) -> String {
    fold(family_names().get(word).copied().unwrap_or(word))
}

fn fold(word: &str) -> String {
    let mut s = word.to_string();
    for (from, to) in [
        ("kk", "k"),
        ("tt", "t"),
        ("pp", "p"),
        ("ss", "s"),
        ("jj", "C"),
        ("ch", "C"),
        ("th", "t"),
        ("kh", "k"),
        ("ph", "p"),
        ("sh", "s"),
        ("j", "C"),
        ("g", "k"),
        ("d", "t"),
        ("b", "p"),
        ("r", "l"),
        ("eui", "i"),
        ("ui", "i"),
        ("ee", "i"),
        ("yeo", "yo"),
        ("eo", "o"),
        ("eu", "o"),
        ("oo", "o"),
        ("ou", "o"),
        ("wae", "we"),
        ("oe", "we"),
        ("oi", "we"),
        ("ae", "e"),
        ("u", "o"),
        ("C", "ch"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_names_are_read_as_korean() {
        for name in [
            "kim jong un",
            "pak to chun",
            "chang su han",
            "gim jeong eun",
            "choe ryong hae",
            "ri yong ho",
            "kim jongun",
        ] {
            let words: Vec<&str> = name.split(' ').collect();
            assert!(reads_as_korean(&words), "{name}");
        }
        for name in ["john smith", "ali hassan", "kim", "kim jong un kim chol ho"] {
            let words: Vec<&str> = name.split(' ').collect();
            assert!(!reads_as_korean(&words), "{name}");
        }
    }

    #[test]
    fn romanisations_share_a_key_and_syllables_do_not() {
        for (a, b) in [
            ("chol", "cheol"),
            ("chol", "chul"),
            ("park", "pak"),
            ("lee", "ri"),
            ("choi", "choe"),
            ("jong", "jeong"),
            ("kyong", "gyeong"),
            ("hui", "hee"),
            ("to", "do"),
            ("ryonghae", "ryonghae"),
            ("eun", "un"),
        ] {
            assert_eq!(key(a), key(b), "{a} / {b}");
        }
        for (a, b) in [
            ("mun", "min"),
            ("un", "il"),
            ("sok", "song"),
            ("kim", "pak"),
        ] {
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
    }
}
