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
    &["li", "lee", "yi", "ri", "rhee", "rhie", "ree", "rhi"],
    &["pak", "park", "bak", "bahk"],
    &["paek", "baek", "baik", "paik"],
    &["choe", "choi", "chwe"],
    &["jong", "jeong", "chong", "jung", "chung", "joung"],
    // 전 and 천 are both Chon in McCune-Reischauer: one set.
    &["jon", "jeon", "chon", "jun", "chun", "cheon"],
    &["kang", "gang"],
    &["cho", "jo", "joe"],
    &["yun", "yoon", "youn"],
    &["jang", "chang"],
    &["im", "lim", "rim", "yim"],
    &["han"],
    &["oh"],
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
    &["min"],
    &["ryom", "yom", "yeom", "ryeom"],
    &["sim", "shim"],
    &["chae"],
    &["pyon", "byun", "byeon", "pyeon"],
    &["tak"],
    &["kye", "gye"],
    &["pyo"],
    &["om", "eom", "um"],
    &["won"],
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
    "kim", "gim", "pak", "park", "bak", "bahk", "choe", "choi", "chwe", "ri", "rhee", "rhie",
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
    let given_reads = |given: &[&str]| {
        let mut count = 0;
        for w in given {
            match syllables(w) {
                Some(s) => count += s.len(),
                None => return false,
            }
        }
        (1..=3).contains(&count)
    };
    // The family name first (Kim Jong Un) or last (Tae Joon Park, the
    // lists' "PARK, Tae-joon" turned round).
    let n = words.len();
    (is_family_name(words[0]) && given_reads(&words[1..]))
        || (is_family_name(words[n - 1]) && given_reads(&words[..n - 1]))
}

/// One spelling for the romanisations of a Korean name part: a family name
/// by its set, anything else by syllable rules (g/k, d/t, b/p, j/ch, r/l;
/// eo and o; eu, oo, ou and u as u, and u before a final consonant as o,
/// the popular spelling of eo: Chul, Jung, Hyun; ee and ui as i; oe, oi as
/// we; ae, ai as e). Chol, Cheol and Chul are one key; Mun and Min, Su and
/// So, Ju and Jo are two. Computed once per name part (`Token::key`).
pub(crate) fn key(word: &str) -> String {
    fold(family_names().get(word).copied().unwrap_or(word))
}

/// [`key`]'s syllable rules, in one pass over the letters.
fn fold(word: &str) -> String {
    let b = word.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let (to, n): (&[u8], usize) = match &b[i..] {
            [b'c' | b'j', b'h' | b'j', ..] => (b"ch", 2),
            [b'k', b'k' | b'h', ..] => (b"k", 2),
            [b't', b't' | b'h', ..] => (b"t", 2),
            [b'p', b'p' | b'h', ..] => (b"p", 2),
            [b's', b's' | b'h', ..] => (b"s", 2),
            [b'j', ..] => (b"ch", 1),
            [b'g', ..] => (b"k", 1),
            [b'd', ..] => (b"t", 1),
            [b'b', ..] => (b"p", 1),
            [b'r', ..] => (b"l", 1),
            [b'e', b'u', b'i', ..] => (b"i", 3),
            [b'u' | b'e', b'i' | b'e', ..] => (b"i", 2),
            [b'y', b'e', b'o', ..] => (b"yo", 3),
            [b'e', b'o', ..] => (b"o", 2),
            [b'e', b'u', ..] | [b'o', b'o' | b'u', ..] => (b"u", 2),
            [b'w', b'a', b'e', ..] => (b"we", 3),
            [b'o', b'e' | b'i', ..] => (b"we", 2),
            [b'u', b'a', ..] => (b"wa", 2),
            [b'a', b'e' | b'i', ..] => (b"e", 2),
            [c, ..] => (std::slice::from_ref(c), 1),
            [] => break,
        };
        out.extend_from_slice(to);
        i += n;
    }
    // u before a final consonant (one not followed by a vowel) is o.
    let vowel = |c: Option<&u8>| matches!(c, Some(b'a' | b'e' | b'i' | b'o' | b'u' | b'w' | b'y'));
    for k in 0..out.len() {
        if out[k] == b'u'
            && out.get(k + 1).is_some_and(|c| !vowel(Some(c)))
            && !vowel(out.get(k + 2))
        {
            out[k] = b'o';
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The Pinyin syllables of the common Chinese characters a Korean syllable
/// (by [`key`]) reads as (Kim 金 Jin, Chol 鐵 Tie, Sam 三 San), from
/// libhangul's Hanja dictionary (`data/sino-korean-pinyin.txt`): a Korean
/// name read in Chinese. Empty when none.
pub(crate) fn chinese_readings(syllable_key: &str) -> &'static [String] {
    static TABLE: std::sync::OnceLock<crate::index::FxMap<String, Vec<String>>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: crate::index::FxMap<String, Vec<String>> = Default::default();
        for line in include_str!("../../data/sino-korean-pinyin.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let Some((hangul, pinyin)) = line.split_once('\t') else {
                continue;
            };
            let romanised = any_ascii::any_ascii(hangul).to_ascii_lowercase();
            let v = t.entry(key(&romanised)).or_default();
            for p in pinyin.split(' ') {
                if !v.iter().any(|x| x == p) {
                    v.push(p.to_string());
                }
            }
        }
        t
    });
    table.get(syllable_key).map_or(&[], Vec::as_slice)
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
            "tae joon park",
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
            ("su", "so"),
            ("ju", "jo"),
            ("ko", "ku"),
        ] {
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
        // Every family name's set has a key of its own.
        let keys: std::collections::BTreeSet<String> =
            FAMILY_NAMES.iter().map(|set| key(set[0])).collect();
        assert_eq!(keys.len(), FAMILY_NAMES.len(), "{keys:?}");
    }
}
