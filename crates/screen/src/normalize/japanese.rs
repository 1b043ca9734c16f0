//! Japanese names in Latin letters (Hepburn and its everyday variants):
//! which names read as Japanese, and one key for the spellings of a name
//! part (Shōkō, Shoko, Shohko, Shoukou). In a Japanese name each kana
//! syllable counts: Yuko is not Yuki, Bando is not Banno, however alike
//! the letters.

/// Common family names, to tell a Japanese name from another whose words
/// are also kana syllables (Kamara, Omari): the most frequent ones, in
/// Hepburn without long vowels.
const FAMILY_NAMES: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "watanabe",
    "ito",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoe", // Inoue, as its key writes it
    "kimura",
    "hayashi",
    "shimizu",
    "yamazaki",
    "mori",
    "abe",
    "ikeda",
    "hashimoto",
    "yamashita",
    "ishikawa",
    "nakajima",
    "maeda",
    "fujita",
    "ogawa",
    "goto",
    "okada",
    "hasegawa",
    "murakami",
    "kondo",
    "ishii",
    "saito",
    "sakamoto",
    "endo",
    "aoki",
    "fujii",
    "nishimura",
    "fukuda",
    "ota",
    "miura",
    "fujiwara",
    "okamoto",
    "matsuda",
    "nakagawa",
    "nakano",
    "harada",
    "ono",
    "tamura",
    "takeuchi",
    "kaneko",
    "wada",
    "nakayama",
    "ishida",
    "ueda",
    "morita",
    "hara",
    "shibata",
    "sakai",
    "kudo",
    "yokoyama",
    "miyazaki",
    "miyamoto",
    "uchida",
    "takagi",
    "ando",
    "taniguchi",
    "maruyama",
    "imai",
    "takada",
    "fujimoto",
    "takeda",
    "murata",
    "ueno",
    "sugiyama",
    "masuda",
    "sugawara",
    "hirano",
    "kojima",
    "otsuka",
    "chiba",
    "kubo",
    "matsui",
    "iwasaki",
    "sakurai",
    "kinoshita",
    "noguchi",
    "matsuo",
    "nomura",
    "kikuchi",
    "sano",
    "onishi",
    "sugimoto",
    "arai",
    "hamada",
    "ichikawa",
    "furukawa",
    "mizuno",
    "komatsu",
    "shimada",
    "kishida",
    "koizumi",
    "hatoyama",
    "aso",
    "kan",
    "noda",
    "fukuoka",
    "asahara",
    "shigenobu",
    "bando",
    "banno",
    "suga",
    "tsuchiya",
    "nagai",
    "yano",
    "oda",
    "hirata",
    "kubota",
    "kawaguchi",
    "kawasaki",
    "matsushita",
    "iwata",
    "nakanishi",
    "hattori",
    "higuchi",
    "fukushima",
    "kawakami",
    "nagata",
    "yamauchi",
    "sakata",
    "hori",
    "ishihara",
    "takano",
    "nishikawa",
    "honda",
    "kitamura",
    "yasuda",
    "nakata",
    "hagiwara",
    "tsuji",
    "kawamura",
    "hirose",
    "tanabe",
    "ozawa",
    "sekiguchi",
    "oshima",
    "okazaki",
    "matsumura",
    "nakazawa",
    "morimoto",
    "ichinose",
    "amano",
    "asano",
    "fujisawa",
    "kaneda",
    "kuroda",
    "hayakawa",
    "nishiyama",
    "minami",
    "kamata",
    "sakaguchi",
    "yoshimura",
    "takemoto",
    "tsukamoto",
    "akiyama",
    "arima",
    "nakatani",
    "mochizuki",
    "yamagishi",
    "izumi",
    "kano",
    "okuda",
    "takeshita",
    "tsuda",
    "kanda",
    "sugita",
    "ishizaki",
    "kawano",
    "kishi",
    "fukui",
    "shinoda",
    "tsukasa",
    "takayama",
    "yamaoka",
    "miyake",
    "nishida",
    "hosoda",
];

/// Whether `s` is one kana syllable in Hepburn (with the everyday
/// spellings of long vowels and the syllabic n).
fn is_mora(s: &str) -> bool {
    const CONSONANTS: &[&str] = &[
        "", "k", "g", "s", "sh", "z", "j", "t", "ch", "ts", "d", "n", "h", "f", "b", "p", "m", "y",
        "r", "w", "ky", "gy", "ny", "hy", "by", "py", "my", "ry",
    ];
    if s == "n" {
        return true;
    }
    CONSONANTS.iter().any(|c| {
        s.strip_prefix(c)
            .is_some_and(|v| matches!(v, "a" | "i" | "u" | "e" | "o"))
    })
}

/// Whether a word spells kana syllables only (with doubled consonants,
/// the small tsu: Hattori, Kishida, Sakkaku).
fn is_kana_word(word: &str) -> bool {
    let undoubled = undouble(word);
    undoubled.len() >= 2 && super::script::fewest_pieces(&undoubled, 3, is_mora).is_some()
}

/// A doubled consonant written once (Hattori → Hatori, Icchi → Ichi).
fn undouble(word: &str) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1).copied();
        let doubled = next == Some(c) && !matches!(c, b'a' | b'i' | b'u' | b'e' | b'o' | b'n');
        let small_tsu = c == b't' && next == Some(b'c');
        if !(doubled || small_tsu) {
            out.push(c as char);
        }
    }
    out
}

/// Whether the word parts of a name read as a Japanese name: two or three
/// parts, one of them a common family name, every one kana syllables.
pub(crate) fn reads_as_japanese(words: &[&str]) -> bool {
    (2..=3).contains(&words.len())
        && words.iter().any(|w| is_family_name(w))
        && words.iter().all(|w| is_kana_word(w))
}

/// Whether the word parts of a body's name read as Japanese: two words or
/// more, every one kana syllables, the last one a word Japanese bodies are
/// named with (Yamaguchi-gumi, Sumiyoshi-kai, Aum Shinrikyo).
pub(crate) fn reads_as_japanese_body(words: &[&str]) -> bool {
    words.len() >= 2
        && words.last().is_some_and(|w| {
            matches!(
                *w,
                "gumi"
                    | "kai"
                    | "rengo"
                    | "rengokai"
                    | "ikka"
                    | "kumiai"
                    | "kaisha"
                    | "shinrikyo"
                    | "kyokai"
                    | "gakkai"
                    | "kabushikigaisha"
                    | "kabushikikaisha"
            )
        })
        && words.iter().all(|w| is_kana_word(w))
}

/// The spellings [`key`] rewrites: a word holding none of them is its own key.
const KEYED: [(&str, &str); 12] = [
    ("si", "shi"),
    ("ti", "chi"),
    ("tu", "tsu"),
    ("hu", "fu"),
    ("zi", "ji"),
    ("tchi", "cchi"),
    ("mb", "nb"),
    ("mp", "np"),
    ("ou", "o"),
    ("oo", "o"),
    ("oh", "o"),
    ("uu", "u"),
];

/// The first two letters of each spelling [`key`] rewrites, as one bit
/// set of second letters per first letter.
const KEYED_STARTS: [u32; 26] = {
    let mut starts = [0u32; 26];
    let mut i = 0;
    while i < KEYED.len() {
        let b = KEYED[i].0.as_bytes();
        starts[(b[0] - b'a') as usize] |= 1 << (b[1] - b'a');
        i += 1;
    }
    starts
};

/// Whether [`key`] may rewrite `word`: one pass over its letter pairs
/// instead of a search for each spelling.
fn may_be_keyed(word: &str) -> bool {
    word.as_bytes().windows(2).any(|p| {
        p[0].is_ascii_lowercase()
            && p[1].is_ascii_lowercase()
            && KEYED_STARTS[(p[0] - b'a') as usize] >> (p[1] - b'a') & 1 == 1
    })
}

/// Whether a word is a common family name in one of its spellings; the
/// key is built only for a word it may change ([`may_be_keyed`]; most
/// are not), since this runs for every name of every query.
fn is_family_name(word: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let set = SET.get_or_init(|| FAMILY_NAMES.iter().copied().collect());
    if may_be_keyed(word) {
        set.contains(key(word).as_str())
    } else {
        set.contains(word)
    }
}

/// One spelling for the romanisations of a Japanese name part: long vowels
/// written once (ou, oo, oh, uu), Nihon-shiki's si, ti, tu, hu, zi as
/// Hepburn's shi, chi, tsu, fu, ji, and m before b, p as n (Shimbashi).
pub(crate) fn key(word: &str) -> String {
    let mut s = word.to_string();
    for (from, to) in KEYED {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // (Ohara becomes "oara": a key for comparing, not a spelling.)
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_name_is_written_as_its_own_key_once() {
        // A name listed in another spelling than its key would never be found.
        let mut seen = std::collections::HashSet::new();
        for name in FAMILY_NAMES {
            assert_eq!(key(name), *name);
            assert!(seen.insert(name), "{name} is listed twice");
        }
    }

    #[test]
    fn japanese_names_are_read_as_japanese() {
        for name in [
            "yuko yamamoto",
            "fumio kishida",
            "shoko asahara",
            "fusako shigenobu",
            "kunio bando",
            "takeshi hattori suzuki",
        ] {
            let words: Vec<&str> = name.split(' ').collect();
            assert!(reads_as_japanese(&words), "{name}");
        }
        for name in ["omari kamara", "ali hassan", "kim jong un", "yamamoto"] {
            let words: Vec<&str> = name.split(' ').collect();
            assert!(!reads_as_japanese(&words), "{name}");
        }
    }

    #[test]
    fn a_word_key_rewrites_is_seen_as_one() {
        for word in [
            "shouko",
            "oota",
            "tutomu",
            "shimbashi",
            "itchi",
            "yuuko",
            "ohno",
        ] {
            assert!(may_be_keyed(word), "{word}");
            assert_ne!(key(word), word);
        }
        for word in ["yamamoto", "kishida", "ali", "nakamura"] {
            assert!(!may_be_keyed(word), "{word}");
            assert_eq!(key(word), word);
        }
    }

    #[test]
    fn romanisations_share_a_key() {
        for (a, b) in [
            ("shoko", "shouko"),
            ("shoko", "shohko"),
            ("yuko", "yuuko"),
            ("ota", "oota"),
            ("shimbashi", "shinbashi"),
            ("tutomu", "tsutomu"),
        ] {
            assert_eq!(key(a), key(b), "{a} / {b}");
        }
        for (a, b) in [("yuko", "yuki"), ("bando", "banno"), ("kunio", "kenio")] {
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
    }
}
