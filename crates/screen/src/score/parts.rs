//! Similarity of two name parts: exact, spelling variant, fuzzy, initial.

use super::strings::{
    jaro_winkler, jaro_winkler_upper_bound, jw_rescaled, skeleton_distance, substitution_cost,
};
use super::MIN_PART_SIM;
use crate::normalize::{Token, TokenKind};
use serde::{Deserialize, Serialize};

/// Jaro-Winkler at which [`jw_rescaled`] reaches [`MIN_PART_SIM`].
const LAT_FLOOR: f64 = 0.7 + 0.3 * MIN_PART_SIM;

/// Jaro-Winkler a part of three or four letters needs to count as a
/// spelling of another (one letter off: Jang / Jag, Rana / Raa).
const SHORT_PART_JW: f64 = 0.92;

/// Equal skeletons of two Latin spellings count as a variant only if they
/// start alike (same letter, or both with a vowel: Omar / Umar) and, for
/// skeletons of one or two consonants, are close in length or spelling.
fn latin_variant_plausible(a: &str, b: &str, skel_len: usize) -> bool {
    let (Some(fa), Some(fb)) = (a.bytes().next(), b.bytes().next()) else {
        return false;
    };
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let hard = |c: u8| matches!(c, b'q' | b'k' | b'c' | b'g');
    // The French spelling of ش against the English (Cham / Sham, Cheikh /
    // Sheikh): the skeletons already read both as one sound.
    let french_sh = |x: &str, y: &str| x.starts_with("ch") && y.starts_with("sh");
    if !(fa == fb
        || (vowel(fa) && vowel(fb))
        || (hard(fa) && hard(fb))
        || french_sh(a, b)
        || french_sh(b, a))
    {
        return false;
    }
    // (A doubled letter is one sound, often written once: Tayyaba / Taiba.)
    let undoubled = |w: &str| w.len() - w.as_bytes().windows(2).filter(|p| p[0] == p[1]).count();
    skel_len >= 3 || undoubled(a).abs_diff(undoubled(b)) <= 1 || jaro_winkler(a, b) >= 0.8
}

/// A skeleton without the "bd" of "abd" when both parts compared are
/// Abd-compounds.
fn after_abd(skel: &[u8], both: bool) -> &[u8] {
    if both {
        skel.strip_prefix(b"bd").unwrap_or(skel)
    } else {
        skel
    }
}

fn first_vowel_class(t: &str) -> Option<u8> {
    t.bytes().find_map(|c| match c {
        b'a' | b'e' => Some(b'A'),
        b'o' | b'u' => Some(b'U'),
        b'i' => Some(b'I'),
        _ => None,
    })
}

/// How two name parts were found to correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartMatch {
    /// Same after normalisation.
    Exact,
    /// Same consonant skeleton: a transliteration / spelling variant.
    Variant,
    /// Similar spelling (typo, close transliteration).
    Fuzzy,
    /// An initial standing for the other part.
    Initial,
    /// Two parts of one name written as one word of the other.
    Joined,
    /// A nickname or short form of the other part (Bob / Robert).
    Nickname,
    /// An acronym of the other name's words (IRGC).
    Acronym,
    /// The same word of an organisation's name in another language (Jaish
    /// / Army, Zavod / Plant).
    Translation,
    /// The same identifier written in both names (a ship's IMO number).
    Identifier,
}

impl PartMatch {
    pub fn describe(self) -> &'static str {
        match self {
            PartMatch::Exact => "same",
            PartMatch::Variant => "spelling variant",
            PartMatch::Fuzzy => "similar spelling",
            PartMatch::Initial => "initial",
            PartMatch::Joined => "written together",
            PartMatch::Nickname => "nickname or short form",
            PartMatch::Acronym => "acronym",
            PartMatch::Translation => "translation",
            PartMatch::Identifier => "same identifier",
        }
    }
}

/// Similarity of two name parts in [0,1] and how they matched; a glued
/// article (`Elkaddafi`, `Alhalim`) is tried without it.
pub fn token_similarity(a: &Token, b: &Token) -> (f64, PartMatch) {
    let r = token_similarity_inner(a, b);
    if r.0 >= 0.95 {
        return r;
    }
    if a.text.len() == 2 || b.text.len() == 2 {
        if let Some(r) = cyrillic_initial(a, b).or_else(|| cyrillic_initial(b, a)) {
            return r;
        }
    }
    // Russian Е at the start of a name is written "Ye" or "E" (Yevgeny /
    // Evgenii, Yelena / Elena): compared without the y.
    let ye = |x: &Token, y: &Token| {
        x.text.len() > 4 && x.text.starts_with("ye") && y.text.starts_with('e') && !x.chinese
    };
    let first = |t: &Token| t.text.as_bytes().first().copied();
    if matches!(
        (first(a), first(b)),
        (Some(b'y'), Some(b'e')) | (Some(b'e'), Some(b'y'))
    ) && (ye(a, b) || ye(b, a))
    {
        let strip = |t: &Token| {
            if t.text.starts_with('y') {
                t.respelt(t.text[1..].to_string())
            } else {
                t.clone()
            }
        };
        let s = token_similarity_inner(&strip(a), &strip(b));
        if s.0 > r.0 {
            return s;
        }
    }
    let glued = |t: &Token| {
        t.text.len() >= 6
            && !t.from_script
            && (t.text.starts_with("al") || t.text.starts_with("el"))
    };
    let strip = |t: &Token| t.respelt(t.text[2..].to_string());
    if glued(a) && !glued(b) {
        let s = token_similarity_inner(&strip(a), b);
        if s.0 > r.0 {
            return s;
        }
    } else if glued(b) && !glued(a) {
        let s = token_similarity_inner(a, &strip(b));
        if s.0 > r.0 {
            return s;
        }
    }
    r
}

/// A Russian initial written with two Latin letters and a period ("Yu. V.
/// Kovalchuk", "Ye. Prigozhin": Ю, Е, Я, Ё, Ж, Х, Ч, Ш, Ц) against a given
/// name it starts. Without the period "Yu" or "Yo" is a name of its own
/// (Yu Zhengsheng, Kim Yo Jong).
fn cyrillic_initial(a: &Token, b: &Token) -> Option<(f64, PartMatch)> {
    let digraph = matches!(
        a.text.as_str(),
        "yu" | "ye" | "ya" | "yo" | "zh" | "kh" | "ch" | "sh" | "ts"
    );
    (digraph
        && a.dotted
        && a.kind == TokenKind::Word
        && b.kind == TokenKind::Word
        && b.text.len() >= 4
        && b.text.starts_with(a.text.as_str()))
    .then_some((0.85, PartMatch::Initial))
}

pub(super) fn token_similarity_inner(a: &Token, b: &Token) -> (f64, PartMatch) {
    // Two parts in Han script: the same characters (once simplified) or
    // another name, whatever their readings.
    if !a.han.is_empty() && !b.han.is_empty() {
        return if a.han == b.han {
            (1.0, PartMatch::Exact)
        } else {
            (0.0, PartMatch::Fuzzy)
        };
    }
    // Korean and Japanese names: the same key under the reading is one
    // name, a syllable or kana spelt otherwise another (Mun / Min, Yuko /
    // Yuki); a letter dropped or added in a long part stays a typo (Kyong
    // / Kyog). A name read as Korean and as Chinese (Li Ren / Li Jen) keeps
    // the better of the two readings.
    // A Korean name read in Chinese (Kim Chol Sam / Jin Tiesan): only ever
    // a match.
    if a.korean != b.korean && a.chinese != b.chinese {
        if let Some(r) = korean_read_in_chinese(a, b).or_else(|| korean_read_in_chinese(b, a)) {
            return r;
        }
    }
    if (a.korean && b.korean) || (a.japanese && b.japanese) {
        let shortest = if a.korean { 5 } else { 7 };
        let r = if a.text == b.text {
            (1.0, PartMatch::Exact)
        } else if a.key == b.key {
            (0.95, PartMatch::Variant)
        } else if a.text.len().max(b.text.len()) >= shortest
            && a.text.len().abs_diff(b.text.len()) == 1
            && super::levenshtein(a.text.as_bytes(), b.text.as_bytes()) == 1
        {
            (0.8, PartMatch::Fuzzy)
        } else {
            (0.0, PartMatch::Fuzzy)
        };
        if a.chinese && b.chinese && r.0 < 0.95 {
            if let Some(c) = chinese_similarity(a, b) {
                return if c.0 > r.0 { c } else { r };
            }
        }
        return r;
    }
    if a.chinese && b.chinese {
        if let Some(r) = chinese_similarity(a, b) {
            return r;
        }
    }
    let r = spelling_similarity(a, b);
    // One stem with different family-name endings (Ivanov / Ivanenko,
    // Karim / Karimov, Roberts / Robertson) is two names, however alike the
    // spelling (tested only for pairs that would count: this runs for
    // every pair compared).
    if r.0 >= MIN_PART_SIM
        && matches!(r.1, PartMatch::Variant | PartMatch::Fuzzy)
        && a.number.is_none()
        && crate::normalize::different_surname_endings(&a.text, &a.endings, &b.text, &b.endings)
    {
        return (0.0, PartMatch::Fuzzy);
    }
    // One long family-name ending on stems that differ beyond a spelling
    // (Timchenko / Tkachenko): two names the ending makes look alike.
    if r.1 == PartMatch::Fuzzy
        && r.0 >= MIN_PART_SIM
        && crate::normalize::different_stems_of_one_ending(
            &a.text,
            &a.endings,
            &b.text,
            &b.endings,
            STEMS_OF_ONE_ENDING_JW,
        )
    {
        return (0.0, PartMatch::Fuzzy);
    }
    // A word of a ship's name and its plural are two ships (ORION STAR /
    // ORION STARS); so are a one-word name and a longer name it starts
    // (DAN / DANIEL).
    if a.of_vessel && b.of_vessel && r.1 != PartMatch::Exact {
        let (short, long) = if a.text.len() <= b.text.len() {
            (a, b)
        } else {
            (b, a)
        };
        let plural =
            short.text.len() >= 3 && long.text.strip_suffix('s') == Some(short.text.as_str());
        let cut = short.strict
            && long.strict
            && short.text.len() <= 4
            && long.text.len() >= short.text.len() + 3
            && long.text.starts_with(short.text.as_str());
        if plural || cut {
            return (0.0, PartMatch::Fuzzy);
        }
    }
    // A vessel named by one word, a Korean syllable: a spelling some
    // letters off is another ship, another name.
    if (a.strict || b.strict) && r.1 == PartMatch::Fuzzy && r.0 < STRICT_FUZZY {
        return (0.0, PartMatch::Fuzzy);
    }
    // Two ships each named by one word need nearly the same spelling:
    // sister ships and lookalikes of a fleet are a letter apart (SABRINA /
    // SARINA, PARSHAD / PARSHAN), and the IMO number, not the name, finds
    // a ship whose name a document misspells.
    if a.strict
        && b.strict
        && a.of_vessel
        && b.of_vessel
        && r.1 == PartMatch::Fuzzy
        && r.0 < ONE_WORD_VESSEL_FUZZY
    {
        return (0.0, PartMatch::Fuzzy);
    }
    r
}

/// Words naming what kind of body an organisation is, which its own lists
/// and translations swap freely (the Islamic Jihad Group is the Islamic
/// Jihad Union; "Bureau" and "Department" translate one Korean word), and
/// the names of one country (Korean / DPRK). A bank is not a company, nor a
/// ministry an army: only these sets count.
const KINDS_OF_BODY: &[&[&str]] = &[
    &[
        "group",
        "network",
        "union",
        "organization",
        "organisation",
        "movement",
        "front",
        "brigade",
        "brigades",
        "battalion",
        "battalions",
        "jamaat",
    ],
    &[
        "bureau",
        "department",
        "directorate",
        "office",
        "administration",
        "agency",
    ],
    &["committee", "commission", "council"],
    &["air", "airline", "airlines", "airways", "aviation"],
    &["society", "association"],
    &["korea", "korean", "dprk", "nkorea"],
];

/// Which set of [`KINDS_OF_BODY`] a word is in (1-based; 0: none), looked
/// up once per name part ([`Token::body`]) rather than per pair compared.
pub(crate) fn kind_of_body(t: &str) -> u8 {
    KINDS_OF_BODY
        .iter()
        .position(|set| set.contains(&t))
        .map_or(0, |i| i as u8 + 1)
}

/// How alike two words of one set of [`KINDS_OF_BODY`] are: enough to stand
/// for each other, not as much as the same word.
fn same_kind_of_body(a: &Token, b: &Token) -> Option<f64> {
    (a.body != 0 && a.body == b.body).then_some(0.8)
}

/// How alike a word and its translation are: as much as a spelling
/// variant, less than the same word.
const TRANSLATION_SIM: f64 = 0.9;

/// Below this Jaro-Winkler similarity two stems before one long
/// family-name ending are two names ([`different_stems_of_one_ending`]).
///
/// [`different_stems_of_one_ending`]: crate::normalize::different_stems_of_one_ending
const STEMS_OF_ONE_ENDING_JW: f64 = 0.7;

/// The least similarity a fuzzy match of a strict part (a one-word
/// vessel's name, a Korean syllable) needs.
const STRICT_FUZZY: f64 = 0.8;

/// The least similarity a fuzzy match of two one-word vessels' names needs.
const ONE_WORD_VESSEL_FUZZY: f64 = 0.9;

/// [`token_similarity_inner`] by spelling and the name tables alone.
fn spelling_similarity(a: &Token, b: &Token) -> (f64, PartMatch) {
    if a.text == b.text {
        return (1.0, PartMatch::Exact);
    }
    if a.kind == TokenKind::Initial || b.kind == TokenKind::Initial {
        let (i, o) = if a.kind == TokenKind::Initial {
            (a, b)
        } else {
            (b, a)
        };
        if o.kind != TokenKind::Initial && o.text.as_bytes().first() == i.text.as_bytes().first() {
            return (0.85, PartMatch::Initial);
        }
        return (0.0, PartMatch::Fuzzy);
    }
    if a.kind != b.kind && (a.kind == TokenKind::Particle || b.kind == TokenKind::Particle) {
        return (0.0, PartMatch::Fuzzy);
    }
    if let Some(sim) = same_kind_of_body(a, b) {
        return (sim, PartMatch::Variant);
    }
    // Words of an organisation's name the table knows: one meaning in two
    // languages is a translation; two meanings are two words, however
    // alike the letters (Melli, national / Mellat, nation).
    if a.concept != 0 && b.concept != 0 {
        return if a.concept == b.concept {
            (TRANSLATION_SIM, PartMatch::Translation)
        } else {
            (0.0, PartMatch::Fuzzy)
        };
    }
    // "Abd" / "Abdel" / "Abdul" standing alone are one word.
    if crate::normalize::is_abd_prefix(&a.text) && crate::normalize::is_abd_prefix(&b.text) {
        return (0.95, PartMatch::Variant);
    }
    // Both in the given-name table: one name in two spellings, or two names
    // (Hasan / Husayn, Muhammad / Mahmud) however alike their letters.
    if a.name != 0 && b.name != 0 {
        return if a.name == b.name {
            (0.97, PartMatch::Variant)
        } else {
            (0.0, PartMatch::Fuzzy)
        };
    }
    if crate::names::nickname_related(a.nick, b.nick) {
        return (0.9, PartMatch::Nickname);
    }
    // Numbers (vessel and branch numbers, registrations) match exactly or
    // not at all, in digits, words or Roman numerals (88 / Eighty-Eight, 3 / III).
    if let (Some(x), Some(y)) = (a.number, b.number) {
        return if x == y {
            (1.0, PartMatch::Variant)
        } else {
            (0.0, PartMatch::Fuzzy)
        };
    }
    if a.text.bytes().any(|c| c.is_ascii_digit()) || b.text.bytes().any(|c| c.is_ascii_digit()) {
        return (0.0, PartMatch::Fuzzy);
    }
    let r = letters_similarity(a, b, &a.skel, &b.skel);
    // A European name written in Arabic script: ف for v, س for a soft c
    // (Silva / سيلفا, Inácio / إيناسيو), which the Latin skeleton, read
    // for the letters' other sounds, does not have.
    if r.0 < 0.9 && a.arabic_script != b.arabic_script {
        let r2 = match (&a.arabic_skel, &b.arabic_skel) {
            (Some(alt), _) if b.arabic_script => letters_similarity(a, b, alt, &b.skel),
            (_, Some(alt)) if a.arabic_script => letters_similarity(a, b, &a.skel, alt),
            _ => r,
        };
        if r2.0 > r.0 {
            return r2;
        }
    }
    r
}

/// [`spelling_similarity`] by the letters alone, with the parts'
/// consonant skeletons `a_skel`, `b_skel`.
fn letters_similarity(a: &Token, b: &Token, a_skel: &str, b_skel: &str) -> (f64, PartMatch) {
    // Abd-compounds: compare what follows "abd"; Abd al-Husayn is not Husayn.
    let a_abd = a.text.len() > 3 && a.text.starts_with("abd");
    let b_abd = b.text.len() > 3 && b.text.starts_with("abd");
    let (at, bt) = match (a_abd, b_abd) {
        (true, true) => (&a.text[3..], &b.text[3..]),
        (false, false) => (a.text.as_str(), b.text.as_str()),
        _ => return (0.5, PartMatch::Fuzzy),
    };
    let script = a.from_script || b.from_script;
    // One name is the other without its first letter (Serkan / Erkan, Samir
    // / Amir): two names. (Not an h, y or w, often left unwritten: Yisrael
    // / Israel; nor a consonant before another: Ntaganda / Taganda.)
    let beheaded = |x: &str, y: &str| {
        let b = x.as_bytes();
        b.len() == y.len() + 1
            && b.len() >= 4
            && !matches!(b[0], b'h' | b'y' | b'w')
            && matches!(b[1], b'a' | b'e' | b'i' | b'o' | b'u')
            && &x[1..] == y
    };
    if !script && (beheaded(at, bt) || beheaded(bt, at)) && a_skel != b_skel {
        return (0.0, PartMatch::Fuzzy);
    }
    let short = at.len() < 4 || bt.len() < 4;
    // Jaro-Winkler of the Latin spellings; computed only where it can change
    // the answer (it is most of the cost of a comparison).
    let lat = || {
        if script || short {
            0.0
        } else {
            jaro_winkler(at, bt)
        }
    };
    let sl = a_skel.len().max(b_skel.len());
    if a_skel == b_skel && !a_skel.is_empty() && (script || latin_variant_plausible(at, bt, sl)) {
        let conflict = !script
            && matches!((first_vowel_class(at), first_vowel_class(bt)), (Some(x), Some(y)) if x != y && x != b'I' && y != b'I');
        let base = if conflict {
            0.7
        } else if sl >= 3 {
            0.95
        } else if sl == 2 {
            0.9
        } else {
            0.8
        };
        return (lat().max(base), PartMatch::Variant);
    }
    let (sa, sb) = (a_skel.as_bytes(), b_skel.as_bytes());
    // Skeletons that differ only in letters transliterations swap (Qasim /
    // Gasim; from Arabic script also ض as z, ث as s: Faiz / فيض) are
    // spelling variants too.
    let swap_budget = if script { 0.4 } else { 0.3 };
    if sa.len() == sb.len()
        && !sa.is_empty()
        && sa
            .iter()
            .zip(sb)
            .map(|(&x, &y)| substitution_cost(x, y))
            .sum::<f64>()
            <= swap_budget
        && (script || latin_variant_plausible(at, bt, sl))
    {
        let base = if sl >= 3 { 0.9 } else { 0.85 };
        return (lat().max(base), PartMatch::Variant);
    }
    // Skeletons must start alike (the same consonant, or one that
    // transliterations swap: Qadhafi / Ghaddafi).
    let starts_alike = |x: &[u8], y: &[u8]| match (x.first(), y.first()) {
        (Some(&x), Some(&y)) => substitution_cost(x, y) <= if script { 0.5 } else { 0.4 },
        _ => false,
    };
    // Two Abd-compounds start alike by what follows "abd" (Abd al-Khaliq /
    // Abd al-Malik share "bd" and say nothing by it).
    let both_abd = a_abd && b_abd;
    // Across scripts an h, y or w at the start is often written on one side
    // only (Alassane / الحسن, the French spelling of al-Hasan; Avigdor /
    // אביגדור; Yunus / ইউনূস): the rest must start alike.
    let glide = |x: &[u8]| matches!(x.first(), Some(b'h' | b'y' | b'w'));
    let same_start = starts_alike(after_abd(sa, both_abd), after_abd(sb, both_abd))
        || (script && glide(sa) && starts_alike(&sa[1..], sb))
        || (script && glide(sb) && starts_alike(sa, &sb[1..]));
    let skel_sim = if sl >= 3 && same_start {
        (1.0 - skeleton_distance(sa, sb) / sl as f64).max(0.0)
    } else {
        0.0
    };
    // Raw Jaro-Winkler says two different names are ~0.8 alike: only its
    // top range counts, and when even its upper bound is below the range
    // where it would count, it is not computed.
    let lat_sim = if script
        || short
        || (skel_sim * 0.8 < MIN_PART_SIM
            && jaro_winkler_upper_bound(at.as_bytes(), bt.as_bytes()) < LAT_FLOOR)
    {
        0.0
    } else {
        jw_rescaled(lat())
    };
    let fuzzy = if script {
        skel_sim * 0.85
    } else if short {
        // Short parts: only a near-identical spelling (one letter off in
        // three or four: Jang / Jag, Rana / Raa).
        if at.len() >= 3 && bt.len() >= 3 && at.as_bytes()[0] == bt.as_bytes()[0] {
            let j = jaro_winkler(at, bt);
            if j >= SHORT_PART_JW {
                jw_rescaled(j)
            } else {
                0.0
            }
        } else {
            0.0
        }
    } else {
        lat_sim.max(skel_sim * 0.8)
    };
    (fuzzy.clamp(0.0, 1.0), PartMatch::Fuzzy)
}

/// Parts of Chinese names compared syllable by syllable: the same number
/// of syllables, each the same or one romanisation of the other (Zedong /
/// Tse-tung, Jinping / Chin-ping) is one name; two or more syllables of
/// which one differs (Keqiang / Kenong, Tiesan / Tieshan) are two names,
/// however alike the letters — in Chinese each syllable is a character, a
/// name part of its own; so are one syllable and two that hold it.
/// `None`: not comparable so.
/// Whether a part of a name read as Korean (`k`) is a part of a name read
/// as Chinese (`c`) written from the same characters: each Korean syllable
/// has a common character whose Mandarin reading is the Chinese syllable
/// ([`crate::normalize::korean_chinese_readings`]).
fn korean_read_in_chinese(k: &Token, c: &Token) -> Option<(f64, PartMatch)> {
    let korean_only = k.korean && !k.chinese;
    let chinese_only = c.chinese && !c.korean;
    if !korean_only || !chinese_only {
        return None;
    }
    let x = crate::normalize::korean_syllables(&k.text)?;
    let y = crate::normalize::chinese_syllables(&c.text)?;
    // Only ever a match: a name read as Korean or as Chinese by its letters
    // alone may be neither (Lidiya Kim).
    let same = x.len() == y.len()
        && x.iter().zip(&y).all(|(ks, cs)| {
            let readings =
                crate::normalize::korean_chinese_readings(&crate::normalize::korean_key(ks));
            let wg = crate::normalize::wade_giles(cs);
            readings.iter().any(|p| p == cs || wg.contains(p))
        });
    same.then_some((0.9, PartMatch::Variant))
}

fn chinese_similarity(a: &Token, b: &Token) -> Option<(f64, PartMatch)> {
    if a.text == b.text {
        return None;
    }
    // A word romanised from Cantonese against Pinyin or Wade-Giles (Ka-shing
    // / Jiacheng): a match where every syllable can be one character; never
    // a reason to reject (a typo reads as Cantonese as easily).
    if let (Some(x), Some(y)) = (
        crate::normalize::chinese_or_cantonese_syllables(&a.text),
        crate::normalize::chinese_or_cantonese_syllables(&b.text),
    ) {
        // Only for a word that does not read as Pinyin, or only as more
        // syllables (Ka-shing is not ka·shi·ng): Tiesan / Tieshan stay two
        // names, as Pinyin tells them apart.
        let not_pinyin = |w: &str, syllables: usize| {
            crate::normalize::pinyin_split(w).is_none_or(|p| p.len() > syllables)
        };
        if x.len() == y.len()
            && (not_pinyin(&a.text, x.len()) || not_pinyin(&b.text, y.len()))
            && x.iter()
                .zip(&y)
                .all(|(p, q)| crate::normalize::same_chinese_syllable_or_cantonese(p, q))
        {
            return Some((0.9, PartMatch::Variant));
        }
    }
    let x = crate::normalize::chinese_syllables(&a.text)?;
    let y = crate::normalize::chinese_syllables(&b.text)?;
    // A given name of one character is not one of two that holds it (Li
    // Qiang / Li Keqiang), however alike the letters.
    if x.len() != y.len() {
        let (short, long) = if x.len() < y.len() {
            (&x, &y)
        } else {
            (&y, &x)
        };
        let holds = long.windows(short.len()).any(|w| {
            w.iter()
                .zip(short.iter())
                .all(|(p, q)| crate::normalize::same_chinese_syllable(p, q))
        });
        return holds.then_some((0.0, PartMatch::Fuzzy));
    }
    if x.iter()
        .zip(&y)
        .all(|(p, q)| crate::normalize::same_chinese_syllable(p, q))
    {
        Some((0.95, PartMatch::Variant))
    } else if x.len() >= 2 {
        Some((0.0, PartMatch::Fuzzy))
    } else {
        None
    }
}
