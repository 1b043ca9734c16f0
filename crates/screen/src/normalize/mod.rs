//! Name normalisation: case, diacritics, punctuation, Arabic (and Cyrillic)
//! script to Latin, Arabic name particles and compounds, and the consonant
//! skeleton that makes Mohammed / Muhammad / Mohamad / محمد compare equal.

mod burmese;
mod country;
mod german;
pub(crate) mod japanese;
pub(crate) mod korean;
mod script;
mod somali;
#[cfg(test)]
mod tests;
mod words;

pub use country::country_key;
pub(crate) use korean::{
    chinese_readings as korean_chinese_readings, key as korean_key, syllables as korean_syllables,
};
pub(crate) use script::arabic_key;
pub use script::{
    cantonese, chinese_or_cantonese_syllables, chinese_syllables, fold_lookalikes, has_non_latin,
    pinyin_split, same_chinese_syllable, same_chinese_syllable_or_cantonese, strip_invisible,
    wade_giles,
};
pub use words::EndingSplits;
pub(crate) use words::{
    different_stems_of_one_ending, different_surname_endings, generation, is_abd_prefix,
    is_legal_form, number_value,
};

use crate::model::Schema;
use script::{raw_words, raw_words_of_body, RawWord};
use words::{
    abd_misspelt, digits_as_letters, is_article, is_common, is_function_word,
    is_function_word_of_organisations, is_generic, is_number_sign, is_roman, is_title, joins_tens,
    legal_form_words, particle, starts_legal_form, variant, ABD_PREFIXES,
};

/// What role a token plays in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An ordinary name part.
    Word,
    /// bin / ibn / bint / abu / umm / ould: kept, but weighs little.
    Particle,
    /// Legal forms and function words (ltd, company, of, the): weigh almost nothing.
    Stop,
    /// A single letter (an initial).
    Initial,
}

/// One normalised name part.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Lower-case ASCII rendering (`abdhalim`, `muhammad`).
    pub text: String,
    /// Consonant skeleton (`bdhlm`, `mhmd`): equal skeletons are spelling variants.
    pub skel: String,
    pub kind: TokenKind,
    /// Came from a non-Latin script (its `text` is a consonantal transliteration).
    pub from_script: bool,
    /// How much the part counts when aligning names (0..=1).
    pub weight: f64,
    /// Which given name of the name table this part is (0: not in it).
    pub name: u16,
    /// Which entry of the nickname tables this part is (0: none).
    pub nick: u32,
    /// Which set of words naming a kind of body this part is in (bureau /
    /// department / office; 0: none), for the matcher.
    pub body: u8,
    /// Which concept of the organisation words' table this part names in
    /// any of the lists' languages ([`crate::translations`]; 0: none, and
    /// always 0 in a person's name).
    pub concept: u16,
    /// Part of an organisation's or company's name (tokenized as
    /// [`Schema::Organization`]): a word only one name has tells another
    /// body there, not a missing middle name.
    pub of_organisation: bool,
    /// Part of a person's name (tokenized as [`Schema::Person`]).
    pub of_person: bool,
    /// Part of a vessel's name (tokenized as [`Schema::Vessel`]): a word
    /// and the same word with letters added are two ships (ORION STAR /
    /// ORION STARS, DAN / DANIEL).
    pub of_vessel: bool,
    /// The part's Han characters, simplified ([`simplified`]; empty unless
    /// written in Han script): two names in Han script are compared by
    /// character, since many characters share one reading (李方伟 / 李方炜).
    pub han: String,
    /// Part of a name read as Chinese ([`reads_as_chinese`]): Han script,
    /// or Pinyin or Wade-Giles syllables (Li Keqiang, Mao Tse-tung).
    pub chinese: bool,
    /// Part of a name read as Korean ([`korean::reads_as_korean`]):
    /// compared by [`korean::key`], each syllable a name part of its own.
    pub korean: bool,
    /// Part of a name read as Japanese ([`japanese::reads_as_japanese`]):
    /// compared by [`japanese::key`], each kana syllable counting.
    pub japanese: bool,
    /// The part's key under its reading ([`korean::key`],
    /// [`japanese::key`]), computed once here rather than per pair
    /// compared; empty for other names.
    pub key: String,
    /// The number a name part of an organisation or vessel stands for
    /// (digits, number words, Roman numerals: [`number_value`]).
    pub number: Option<u32>,
    /// How the part splits into a stem and a family-name ending.
    pub endings: EndingSplits,
    /// The one word of a vessel's name, where one letter makes another
    /// ship (CANREACH / FANREACH), or a syllable of a Korean name in
    /// Hangul: only close spellings count.
    pub strict: bool,
    /// Written with a period after it: "Yu." is an abbreviation, "Yu" a
    /// name.
    pub dotted: bool,
    /// Written in Arabic script (Arabic, Persian, Urdu, Pashto letters).
    pub arabic_script: bool,
    /// A Latin part's skeleton as Arabic script writes its sounds, where
    /// that differs from `skel` ([`skeleton_as_arabic_writes`]: Silva /
    /// سيلفا), computed once here rather than per pair compared.
    pub arabic_skel: Option<Box<str>>,
}

impl Token {
    /// Whether two parts are alike in everything a part's similarity reads
    /// (all but the weight): their similarity with any part is the same.
    /// Every field is named, so that a field added is not forgotten here.
    pub fn same_part(&self, other: &Token) -> bool {
        let Token {
            text,
            skel,
            kind,
            from_script,
            weight: _,
            name,
            nick,
            body,
            concept,
            of_organisation,
            of_person,
            of_vessel,
            han,
            chinese,
            korean,
            japanese,
            key,
            number,
            endings,
            strict,
            dotted,
            arabic_script,
            // A function of `text`.
            arabic_skel: _,
        } = self;
        *text == other.text
            && *skel == other.skel
            && *kind == other.kind
            && *from_script == other.from_script
            && *name == other.name
            && *nick == other.nick
            && *body == other.body
            && *concept == other.concept
            && *of_organisation == other.of_organisation
            && *of_person == other.of_person
            && *of_vessel == other.of_vessel
            && *arabic_script == other.arabic_script
            && *han == other.han
            && *chinese == other.chinese
            && *korean == other.korean
            && *japanese == other.japanese
            && *key == other.key
            && *number == other.number
            && *endings == other.endings
            && *strict == other.strict
            && *dotted == other.dotted
    }

    /// The same part spelt `text` (a part of it, or it joined to another):
    /// its skeleton recomputed, no longer a name of the given-name table.
    pub fn respelt(&self, text: String) -> Token {
        Token {
            skel: skeleton(&text),
            body: crate::score::kind_of_body(&text),
            // Respelt parts are pieces or joins compared in the hot path:
            // they are not taken for numbers or split into endings.
            number: None,
            endings: EndingSplits::default(),
            strict: self.strict,
            text,
            name: 0,
            nick: 0,
            concept: 0,
            han: String::new(),
            chinese: false,
            korean: false,
            japanese: false,
            key: String::new(),
            // Field by field rather than from a clone: no string of the
            // part is copied only to be dropped.
            kind: self.kind,
            from_script: self.from_script,
            weight: self.weight,
            of_organisation: self.of_organisation,
            of_person: self.of_person,
            of_vessel: self.of_vessel,
            dotted: self.dotted,
            arabic_script: self.arabic_script,
            arabic_skel: None,
        }
    }
}

/// Consonant skeleton of a lower-case ASCII token.
pub fn skeleton(t: &str) -> String {
    let b = t.as_bytes();
    let mut s: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    // French "ou" before a vowel at the start of a word is w (Ouattara,
    // واتارا Watara; Ouedraogo).
    if b.len() > 3 && b[0] == b'o' && b[1] == b'u' && matches!(b[2], b'a' | b'e' | b'i') {
        s.push(b'w');
        i = 2;
    }
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied().unwrap_or(0);
        let (out, adv): (u8, usize) = match (c, next) {
            (b's', b'h') | (b'c', b'h') => (b'x', 2),
            (b'k', b'h') => (b'k', 2),
            (b'g', b'h') => (b'g', 2),
            (b't', b'h') => (b't', 2),
            (b'd', b'h') => (b'd', 2),
            (b'p', b'h') => (b'f', 2),
            // Russian's "dzh" (Дж) writes the j of other languages
            // (Dzhokhar / Jokhar, Dzhikhad / Jihad).
            (b'd', b'z') if b.get(i + 2) == Some(&b'h') => (b'j', 3),
            (b'z', b'h') => (b'j', 2),
            (b'd', b'j') => (b'j', 2),
            (b'c', b'k') => (b'k', 2),
            (b'q', _) | (b'c', _) => (b'k', 1),
            (b'x', _) => {
                // x = ks (Alexei / Aleksey)
                if s.last() != Some(&b'k') {
                    s.push(b'k');
                }
                (b's', 1)
            }
            // Maghreb / Egyptian g for qaf: Gaddafi / Qadhafi / Kaddafi.
            (b'g', _) => (b'k', 1),
            (b'v', _) => (b'w', 1),
            _ => (c, 1),
        };
        let first = i == 0;
        i += adv;
        let vowel = matches!(out, b'a' | b'e' | b'i' | b'o' | b'u');
        if vowel || (!first && matches!(out, b'y' | b'w')) {
            continue;
        }
        // A final h (Abdullah/Abdulla, Fatimah/Fatima) vanishes.
        if out == b'h' && i >= b.len() && !first {
            continue;
        }
        if s.last() != Some(&out) {
            s.push(out);
        }
    }
    String::from_utf8(s).unwrap_or_default()
}

/// The skeleton of a Latin-script word as Arabic script writes its sounds,
/// where that differs from [`skeleton`]'s: v as f (ف: Silva / سيلفا), c
/// before e, i or y as s (س: Inácio / إيناسيو), a final "at" as the ة it
/// is written with (Hay'at / هيئة), and a final "ha" as the ه that
/// transliteration reads as one (Taha / طه); `None` for a word with none of
/// them.
pub(crate) fn skeleton_as_arabic_writes(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let soft_c = |i: usize| b[i] == b'c' && matches!(b.get(i + 1), Some(b'e' | b'i' | b'y'));
    let ta_marbuta = b.len() >= 4 && t.ends_with("at");
    let final_ha = b.len() >= 4 && t.ends_with("ha");
    if !t.is_ascii() || !(ta_marbuta || final_ha || (0..b.len()).any(|i| b[i] == b'v' || soft_c(i)))
    {
        return None;
    }
    let end = if ta_marbuta { b.len() - 1 } else { b.len() };
    let respelt: String = (0..end)
        .filter(|&i| !(final_ha && i == b.len() - 2))
        .map(|i| match b[i] {
            b'v' => 'f',
            _ if soft_c(i) => 's',
            c => c as char,
        })
        .collect();
    Some(skeleton(&respelt))
}

fn make_token(
    text: String,
    from_script: bool,
    kind: TokenKind,
    arabic: &str,
    lookup: bool,
) -> Token {
    let text = match variant(&text) {
        Some(v) => v.to_string(),
        None => text,
    };
    let skel = if !text.is_ascii() {
        text.clone()
    } else if text.len() > 3 && text.starts_with("abd") {
        // "abd" + "halim" must not form the digraph "dh".
        let rest = skeleton(&text[3..]);
        let rest = rest.strip_prefix('d').unwrap_or(&rest);
        format!("bd{rest}")
    } else {
        skeleton(&text)
    };
    let weight = match kind {
        TokenKind::Particle => 0.3,
        TokenKind::Stop => 0.15,
        TokenKind::Initial => 0.5,
        TokenKind::Word if is_common(&skel) || is_generic(&text) => 0.6,
        TokenKind::Word if skel.len() <= 1 => 0.7,
        TokenKind::Word => 1.0,
    };
    let name = match kind {
        TokenKind::Word if lookup => {
            if arabic.is_empty() {
                crate::names::latin(&text)
            } else {
                crate::names::arabic(arabic)
            }
        }
        _ => 0,
    };
    let endings = EndingSplits::of(&text);
    let number = match kind {
        TokenKind::Word => number_value(&text),
        _ => None,
    };
    let nick = match kind {
        TokenKind::Word if lookup => crate::names::nickname_entry(&text),
        _ => 0,
    };
    let arabic_skel = match kind {
        TokenKind::Word if !from_script => {
            skeleton_as_arabic_writes(&text).map(String::into_boxed_str)
        }
        _ => None,
    };
    Token {
        body: crate::score::kind_of_body(&text),
        text,
        skel,
        kind,
        from_script,
        weight,
        name,
        nick,
        concept: 0,
        of_organisation: false,
        of_person: false,
        of_vessel: false,
        han: String::new(),
        chinese: false,
        korean: false,
        japanese: false,
        key: String::new(),
        number,
        endings,
        strict: false,
        dotted: false,
        arabic_script: !arabic.is_empty(),
        arabic_skel,
    }
}

/// One name part between the steps of [`tokenize`].
#[derive(Clone)]
struct Part {
    text: String,
    from_script: bool,
    kind: TokenKind,
    /// Arabic table key ([`arabic_key`]), empty for Latin parts.
    arabic: String,
    /// Written with a period after it.
    dotted: bool,
    /// Han characters, simplified ([`simplified`]).
    han: String,
}

impl Part {
    fn new(text: impl Into<String>, w: &RawWord, kind: TokenKind) -> Part {
        Part {
            text: text.into(),
            from_script: w.from_script,
            kind,
            arabic: w.arabic.clone(),
            dotted: w.dot_after,
            han: w.han.clone(),
        }
    }
}

/// Normalises a name into tokens (legal forms count as such: the kind of
/// party is not known).
pub fn tokenize(name: &str) -> Vec<Token> {
    tokenize_inner(name, None, true)
}

/// [`tokenize`] for a name of a known kind of party: a person's name has no
/// legal forms, so "Ag" and "Co" stay name parts.
pub fn tokenize_as(name: &str, schema: Option<Schema>) -> Vec<Token> {
    tokenize_inner(name, schema, true)
}

/// The tokens of a name without looking parts up in the given-name table
/// (the table itself is built with this).
pub(crate) fn tokenize_unlooked(name: &str) -> Vec<Token> {
    tokenize_inner(name, None, false)
}

/// [`tokenize_unlooked`] as an organisation's name is read (a word in Han
/// characters or Hangul is one token).
pub(crate) fn tokenize_body_unlooked(name: &str) -> Vec<Token> {
    tokenize_inner(name, Some(Schema::Organization), false)
}

/// "KHAROUBI, Jamal Mohamad" (the lists' surname-first form) as "Jamal
/// Mohamad KHAROUBI", so that given names come first in every name.
fn surname_last(name: &str) -> Option<String> {
    let Some((surname, given)) = name.split_once(',') else {
        return capitals_first(name);
    };
    let (surname, given) = (surname.trim(), given.trim());
    if given.is_empty()
        || surname.is_empty()
        || given.contains(',')
        || surname.split_whitespace().count() > 3
    {
        return None;
    }
    // A generation stays last ("SMITH, John Jr." is John SMITH Jr.).
    if let Some((first, last)) = given.rsplit_once(' ') {
        if generation(&last.trim_end_matches('.').to_lowercase()).is_some() {
            return Some(format!("{} {surname} {last}", first.trim_end()));
        }
    }
    Some(format!("{given} {surname}"))
}

/// "NASRALLAH Hassan" (the lists' family name in capitals, first) as
/// "Hassan NASRALLAH": one to three words in capitals, then words that are
/// not.
fn capitals_first(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitals = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| !c.is_lowercase())
            && w.chars().any(char::is_uppercase)
    };
    let n = words.iter().take_while(|w| capitals(w)).count();
    let rest = &words[n..];
    if n == 0
        || n > 3
        || rest.is_empty()
        || !rest.iter().all(|w| {
            w.chars().any(char::is_lowercase) && w.chars().next().is_some_and(char::is_uppercase)
        })
    {
        return None;
    }
    Some(format!("{} {}", rest.join(" "), words[..n].join(" ")))
}

/// "M/V", "MV", "M/T", "MT", "MS" in front of a vessel's name say what it
/// is, not which one: "M/V Kumunsan 3" is the "KUM UN SAN 3".
fn drop_vessel_prefix(words: &mut Vec<RawWord>) {
    let first = |i: usize| words.get(i).map(|w| w.text.as_str());
    let n = match (first(0), first(1)) {
        (Some("m"), Some("v" | "t" | "s")) => 2,
        (Some("mv" | "mt" | "ms" | "mts" | "mty"), Some(_)) => 1,
        _ => 0,
    };
    if words.len() > n {
        words.drain(..n);
    }
}

/// A Han character in its simplified form (華 as 华), by OpenCC's table
/// (`data/ts-characters.txt`); other characters as they are.
pub(crate) fn simplified(c: char) -> char {
    use std::sync::OnceLock;
    static TABLE: OnceLock<crate::index::FxMap<char, char>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        include_str!("../../data/ts-characters.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (t, s) = l.split_once('\t')?;
                let (mut t, mut s) = (t.chars(), s.chars());
                Some((t.next()?, s.next()?))
            })
            .collect()
    });
    table.get(&c).copied().unwrap_or(c)
}

/// Whether two words are "IMO" and a seven-digit number.
fn is_imo_pair(a: &str, b: &str) -> bool {
    a == "imo" && b.len() == 7 && b.bytes().all(|c| c.is_ascii_digit())
}

/// A ship's IMO number written in its name ("M/V CHONG CHON GANG IMO
/// 7937317", "IMICO NEKA 455 (IMO 9404546)"): an identifier, not a word of
/// the name.
pub fn imo_number(name: &str) -> Option<String> {
    let words = raw_words(name);
    words
        .windows(2)
        .find(|w| is_imo_pair(&w[0].text, &w[1].text))
        .map(|w| w[1].text.clone())
}

/// Drops an IMO number ([`imo_number`]) from a vessel's name.
fn drop_imo_number(words: &mut Vec<RawWord>) {
    if let Some(i) = words
        .windows(2)
        .position(|w| is_imo_pair(&w[0].text, &w[1].text))
    {
        words.drain(i..i + 2);
    }
}

fn tokenize_inner(name: &str, schema: Option<Schema>, lookup: bool) -> Vec<Token> {
    let visible = fold_lookalikes(name);
    let organisation = matches!(schema, Some(Schema::Organization | Schema::Vessel));
    let rotated = if organisation {
        None
    } else {
        surname_last(&visible)
    };
    let name = rotated.as_deref().unwrap_or(&visible);
    let words = if schema == Some(Schema::Organization) {
        raw_words_of_body(name)
    } else {
        raw_words(name)
    };
    tokens_of_words(name, words, schema, lookup)
}

/// The tokens of a name of no stated kind as screening reads it: as a
/// person's if [`guess_schema`] says so, else as an organisation's. Its
/// words are read once for both, unless the person's reading reorders
/// them (a surname first) or the organisation's splits Han or Hangul
/// otherwise ([`raw_words_of_body`]).
pub(crate) fn guess_and_tokenize(name: &str) -> Vec<Token> {
    let visible = fold_lookalikes(name);
    let words = raw_words(&visible);
    let reading = match guess_from_words(&words) {
        Schema::Person => Schema::Person,
        _ => Schema::Organization,
    };
    let rotated = match reading {
        Schema::Person => surname_last(&visible),
        _ => None,
    };
    match rotated {
        Some(name) => tokens_of_words(&name, raw_words(&name), Some(reading), true),
        // Han and Hangul are read apart in a body's name (raw_words_of_body).
        None if reading == Schema::Organization
            && visible.chars().any(script::is_han_or_hangul) =>
        {
            tokens_of_words(&visible, raw_words_of_body(&visible), Some(reading), true)
        }
        None => tokens_of_words(&visible, words, Some(reading), true),
    }
}

/// The tokens of `name` from its words ([`raw_words`]), read as `schema`'s.
fn tokens_of_words(
    name: &str,
    mut words: Vec<RawWord>,
    schema: Option<Schema>,
    lookup: bool,
) -> Vec<Token> {
    let person = schema == Some(Schema::Person);
    let organisation = matches!(schema, Some(Schema::Organization | Schema::Vessel));
    if schema == Some(Schema::Vessel) {
        drop_imo_number(&mut words);
        drop_vessel_prefix(&mut words);
        // "IR." in front of the Iranian fleet's names is "IRAN" (IR.
        // SHALAMCHE is the IRAN SHALAMCHEH).
        if let Some(w) = words.first_mut().filter(|w| w.text == "ir" && w.dot_after) {
            w.text = "iran".into();
        }
    }
    if !organisation && german::reads_as_german_russian(words.iter().map(|w| w.text.as_str())) {
        for w in words
            .iter_mut()
            .filter(|w| !w.from_script && w.text.is_ascii())
        {
            w.text = german::respell(&w.text);
        }
    }
    // 0. digits standing for letters, ordinals; number words in the names
    // of organisations and vessels.
    for w in &mut words {
        if let Some(t) = digits_as_letters(&w.text) {
            w.text = t;
        }
    }
    if !organisation {
        let somali = somali::reads_as_somali(
            words
                .iter()
                .filter(|w| !w.from_script)
                .map(|w| w.text.as_str()),
        );
        for w in words.iter_mut().filter(|w| !w.from_script) {
            if somali || somali::is_marker(&w.text) {
                w.text = somali::fold(&w.text);
            }
        }
    }
    if !person {
        let mut i = 0;
        while i + 1 < words.len() {
            // Spanish joins tens and units with "y" ("treinta y dos").
            if words[i + 1].text == "y"
                && words
                    .get(i + 2)
                    .is_some_and(|u| joins_tens(&words[i].text, &u.text))
            {
                words.remove(i + 1);
            }
            if joins_tens(&words[i].text, &words[i + 1].text) {
                let unit = words.remove(i + 1);
                words[i].text.push_str(&unit.text);
                words[i].hyphen_after = unit.hyphen_after;
            }
            i += 1;
        }
    }
    // A country written in dotted letters ("(U.K.) Limited", "U.A.E."):
    // one word, as "UK" and "UAE" are, and a name part (not the Uzbek
    // legal form UK).
    if !person {
        let mut i = 0;
        while i < words.len() {
            let run = words[i..]
                .iter()
                .take_while(|w| {
                    w.dot_after && w.text.len() == 1 && w.text.as_bytes()[0].is_ascii_lowercase()
                })
                .count();
            if (2..=3).contains(&run) {
                let letters: String = words[i..i + run].iter().map(|w| w.text.as_str()).collect();
                if matches!(letters.as_str(), "uk" | "usa" | "uae") {
                    words[i].text = letters;
                    words[i].hyphen_after = words[i + run - 1].hyphen_after;
                    words[i].dotted_country = true;
                    words.drain(i + 1..i + run);
                    i += 1;
                    continue;
                }
            }
            i += run.max(1);
        }
    }
    // An organisation's acronym in dotted letters ("P.C.C. (Singapore)",
    // "P.J.S.C."): one word, as "PCC" is (and a legal form where it spells
    // one). Not a vessel's: its letters are marks.
    if schema == Some(Schema::Organization) {
        let mut i = 0;
        while i < words.len() {
            let run = words[i..]
                .iter()
                .take_while(|w| {
                    !w.from_script
                        && !w.dotted_country
                        && w.text.len() == 1
                        && w.text.as_bytes()[0].is_ascii_lowercase()
                })
                .count();
            // (Dotted: "M & S" and "M and S" are two letters each.)
            let dotted = words[i..i + run.saturating_sub(1)]
                .iter()
                .all(|w| w.dot_after);
            if run >= 2 && dotted {
                let letters: String = words[i..i + run].iter().map(|w| w.text.as_str()).collect();
                words[i].text = letters;
                words[i].hyphen_after = words[i + run - 1].hyphen_after;
                words[i].dot_after = words[i + run - 1].dot_after;
                words.drain(i + 1..i + run);
            }
            i += 1;
        }
    }
    let numeric = |w: &RawWord| w.text.bytes().all(|b| b.is_ascii_digit());
    let legal = if person {
        vec![false; words.len()]
    } else {
        let mut legal =
            legal_form_words(&words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>());
        // When the kind of party is not known, a two-letter form of the
        // table ("Ok", "Ad") is as likely a part of a person's name (Kyong
        // Ok Kim).
        if !organisation {
            for (l, w) in legal.iter_mut().zip(&words) {
                if w.text.len() <= 2 && !is_legal_form(&w.text) {
                    *l = false;
                }
            }
        }
        legal
    };
    // Titles count only in front of the name ("Major John Smith", not "John Major").
    let mut front = true;
    // 1. drop articles, map particles, split "-uddin" compounds.
    let mut parts: Vec<Part> = Vec::new();
    for (wi, w) in words.iter().enumerate() {
        let t = w.text.as_str();
        let title = front && !organisation && is_title(t);
        // An article ("Al Hajj") does not end the titles in front.
        let next = words.get(wi + 1).map(|n| n.text.as_str());
        if !is_article(t, w.hyphen_after, next) {
            front = title;
        }
        if !person && is_number_sign(t) && words.get(wi + 1).is_some_and(numeric) {
            parts.push(Part::new(t, w, TokenKind::Stop));
            continue;
        }
        if is_article(t, w.hyphen_after, next) && words.len() > 1 {
            continue;
        }
        // (A name of one word is not a particle: "OMM" is an acronym.)
        if let Some(p) = particle(t).filter(|_| words.len() > 1) {
            parts.push(Part::new(p, w, TokenKind::Particle));
            continue;
        }
        if matches!(
            t,
            "eddine"
                | "eddin"
                | "uddin"
                | "uddine"
                | "uddeen"
                | "addin"
                | "iddin"
                | "aldin"
                | "eldin"
                | "edin"
                | "udin"
                | "ddin"
                | "dine"
        ) && !parts.is_empty()
        {
            parts.push(Part::new("din", w, TokenKind::Word));
            continue;
        }
        let mut split = false;
        for suf in [
            "uddine", "uddin", "uddeen", "eddine", "eddin", "addin", "iddin", "aldin", "eldin",
        ] {
            if let Some(stem) = t.strip_suffix(suf) {
                if stem.len() >= 3 {
                    parts.push(Part::new(stem, w, TokenKind::Word));
                    parts.push(Part::new("din", w, TokenKind::Word));
                    split = true;
                    break;
                }
            }
        }
        if !split {
            // A generation after a person's name (Hilarion Del Rosario
            // Santos III, John Smith Jr.): the lists write it or leave it out.
            let generation_mark =
                !organisation && wi >= 2 && wi + 1 == words.len() && generation(t).is_some();
            let stop = words.len() > 1
                && (generation_mark
                    || is_function_word(t)
                    || (schema == Some(Schema::Organization)
                        && wi > 0
                        && wi + 1 < words.len()
                        && is_function_word_of_organisations(t))
                    || (!person && (legal_form_here(&words, wi) || legal[wi]))
                    || title);
            let letter = t.chars().count() == 1 && t.chars().all(char::is_alphabetic);
            // A single letter of an organisation's name is part of an
            // acronym, not an initial that stands for a word.
            // A Roman numeral at the end of an organisation's or vessel's
            // name is its number (MARIE DE LOURDES V).
            // (Not a letter of a legal form: "S.A. de C.V.")
            let numeral = organisation
                && wi > 0
                && wi + 1 == words.len()
                && is_roman(t)
                && (t.len() > 1 || (!legal[wi] && words[wi - 1].text.chars().count() > 1));
            // A vowel hyphened to a Chinese syllable is a syllable of a
            // Wade-Giles given name (Chou I-shan: Zhou Yishan), not an initial.
            let syllable = !organisation
                && matches!(t, "a" | "e" | "i" | "o")
                && w.hyphen_after
                && words
                    .get(wi + 1)
                    .is_some_and(|n| chinese_or_cantonese_syllables(&n.text).is_some());
            let kind = if numeral || w.dotted_country || syllable {
                TokenKind::Word
            } else if letter && organisation {
                TokenKind::Stop
            } else if letter {
                TokenKind::Initial
            } else if stop {
                TokenKind::Stop
            } else {
                TokenKind::Word
            };
            parts.push(Part::new(t, w, kind));
        }
    }
    // 2. abd + next part -> one token; "allah"/"ullah" joins the part before.
    let mut merged: Vec<Part> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let p = parts[i].clone();
        if p.kind == TokenKind::Word {
            let t = p.text.as_str();
            if (ABD_PREFIXES.contains(&t) || abd_misspelt(t))
                && i + 1 < parts.len()
                && parts[i + 1].kind == TokenKind::Word
            {
                let next = &parts[i + 1];
                // Abd Allah = Abdallah = Abdullah: "abd" + "lah", as the
                // glued forms come out below.
                // An article glued to the next part ("Abd Alrahman") is
                // the "al" of "Abd al-Rahman", which tokenising drops.
                let next_text = if matches!(next.text.as_str(), "allah" | "ullah" | "llah") {
                    "lah"
                } else {
                    ["al", "el", "ul"]
                        .iter()
                        // (At least four letters left: "Aleem", "Aliyu"
                        // and "Elahi" are names, not al + a name.)
                        .find_map(|a| next.text.strip_prefix(a).filter(|r| r.len() >= 4))
                        .filter(|_| !next.from_script)
                        .unwrap_or(next.text.as_str())
                };
                merged.push(Part {
                    text: format!("abd{next_text}"),
                    from_script: p.from_script || next.from_script,
                    kind: TokenKind::Word,
                    arabic: format!("{}{}", p.arabic, next.arabic),
                    dotted: false,
                    han: String::new(),
                });
                i += 2;
                continue;
            }
            if matches!(t, "allah" | "ullah" | "llah" | "ollah") {
                if let Some(prev) = merged.last_mut() {
                    if prev.kind == TokenKind::Word {
                        prev.text.push_str("allah");
                        prev.arabic.push_str(&p.arabic);
                        i += 1;
                        continue;
                    }
                }
            }
            if let Some(pre) = ABD_PREFIXES
                .iter()
                .find(|pre| t.starts_with(*pre) && t.len() >= pre.len() + 3 && pre.len() > 3)
            {
                let rest = &t[pre.len()..];
                // An assimilated article (Abdus-Salam, Abdur-Rahman) spells
                // the next consonant: Abdeslam is Abd-Salam, not Abd-Lam.
                let sun = match pre.as_bytes()[pre.len() - 1] {
                    c @ (b's' | b'r') if rest.as_bytes().first() != Some(&c) => {
                        (c as char).to_string()
                    }
                    _ => String::new(),
                };
                merged.push(Part {
                    text: format!("abd{sun}{rest}"),
                    ..p
                });
                i += 1;
                continue;
            }
        }
        merged.push(p);
        i += 1;
    }
    // Runs of single letters that spell a legal form ("S.A. de C.V.",
    // "L.L.C.") are one, not initials (in a person's name they stay initials).
    if !person {
        let mut i = 0;
        while i < merged.len() {
            let run = merged[i..]
                .iter()
                .take_while(|p| p.kind == TokenKind::Initial)
                .count();
            if run >= 2 {
                let letters: String = merged[i..i + run].iter().map(|p| p.text.as_str()).collect();
                if is_legal_form(&letters) {
                    merged[i..i + run]
                        .iter_mut()
                        .for_each(|p| p.kind = TokenKind::Stop);
                }
            }
            i += run.max(1);
        }
    }
    let mut tokens: Vec<Token> = merged
        .into_iter()
        .map(|p| Token {
            dotted: p.dotted,
            han: p.han,
            ..make_token(p.text, p.from_script, p.kind, &p.arabic, lookup)
        })
        .collect();
    // A name may read as Korean and as Chinese (Lee Yong Ho, Chang Su Han):
    // against a Korean name it is compared as one, against a Chinese name
    // as the other. A family name spelt in no Chinese romanisation makes
    // it Korean only (Ri Yong Ho, Kim Il).
    if person {
        tokens.iter_mut().for_each(|t| t.of_person = true);
    }
    if schema == Some(Schema::Vessel) {
        tokens.iter_mut().for_each(|t| t.of_vessel = true);
    }
    // Ships of the Korean fleets are named as people are (BAEK MA KANG,
    // Paek Ma Gang): read so too.
    let vessel = schema == Some(Schema::Vessel);
    if lookup && (!organisation || vessel) && reads_as_korean(&tokens) {
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        let only_korean = korean::family_name_not_chinese(&words);
        let chinese = !only_korean && reads_as_chinese(name, &tokens);
        tokens.iter_mut().for_each(|t| {
            t.korean = true;
            t.chinese = chinese;
            t.key = korean::key(&t.text);
        });
    } else if lookup && reads_as_chinese(name, &tokens) {
        tokens.iter_mut().for_each(|t| t.chinese = true);
    } else if lookup
        && organisation
        && !vessel
        // A Japanese body's name: each word by its kana, as a person's
        // (Kodo-kai is not Kudo-kai, Yamaken-gumi not Yamaguchi-gumi).
        && japanese::reads_as_japanese_body(
            &tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
        )
    {
        tokens.iter_mut().for_each(|t| {
            t.japanese = true;
            t.key = japanese::key(&t.text);
        });
    } else if lookup && !organisation && reads_as_japanese(&tokens) {
        tokens.iter_mut().for_each(|t| {
            t.japanese = true;
            t.key = japanese::key(&t.text);
        });
    }
    // Organisations' words by meaning (not vessels': a ship's name is not
    // translated, SALAM is not PEACE). A word naming a kind of body in
    // translation is of that kind's set too (Harakat, movement, / Group).
    if lookup && schema == Some(Schema::Organization) {
        tokens.iter_mut().for_each(|t| t.of_organisation = true);
        for t in tokens.iter_mut().filter(|t| t.kind == TokenKind::Word) {
            t.concept = crate::translations::concept(&t.text);
            // A word in Arabic script the table has only romanised.
            if t.concept == 0 && t.arabic_script {
                t.concept = crate::translations::concept_of_arabic_skeleton(&t.skel);
                // With a preposition or "and" joined to it (لتحرير, li-tahrir:
                // for the liberation of).
                if t.concept == 0 && t.skel.len() >= 4 && t.skel.starts_with(['l', 'b', 'w']) {
                    t.concept = crate::translations::concept_of_arabic_skeleton(&t.skel[1..]);
                }
            }
            if t.body == 0 {
                t.body = crate::translations::concept_body(t.concept);
            }
        }
        // A word common in people's names (Din, Muhammad) names an
        // organisation as much as any other (Ansar Dine, Jaish-e-Mohammed):
        // only the generic words of organisations weigh less.
        for t in tokens
            .iter_mut()
            .filter(|t| t.kind == TokenKind::Word && t.weight < 1.0)
        {
            if !is_generic(&t.text) && t.skel.len() > 1 {
                t.weight = 1.0;
            }
        }
        // A word joined with "Allah" whose first half the table knows
        // (Hizballah, party of God; Ansarallah, supporters of God).
        let mut i = 0;
        while i < tokens.len() {
            if let Some(head) = split_allah(&tokens[i]) {
                let mut first = make_token(head, false, TokenKind::Word, "", lookup);
                let mut second = make_token("allah".into(), false, TokenKind::Word, "", lookup);
                for t in [&mut first, &mut second] {
                    t.of_organisation = true;
                    t.concept = crate::translations::concept(&t.text);
                    t.body = crate::translations::concept_body(t.concept);
                }
                tokens[i] = first;
                tokens.insert(i + 1, second);
                i += 1;
            }
            i += 1;
        }
        // Two words the table knows as one (Hong Kong: hongkong, HK; Holy
        // War: jihad), one of them at least not a word of its own there,
        // and meaning more than either (Sea Port is a port).
        let mut i = 0;
        let mut both = String::new();
        while i + 1 < tokens.len() {
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            let concept = if a.kind == TokenKind::Word
                && b.kind == TokenKind::Word
                && (a.concept == 0 || b.concept == 0)
                && !a.from_script
                && !b.from_script
            {
                both.clear();
                both.push_str(&a.text);
                both.push_str(&b.text);
                crate::translations::concept(&both)
            } else {
                0
            };
            if concept != 0 && concept != tokens[i].concept && concept != tokens[i + 1].concept {
                tokens.remove(i + 1);
                let mut joined = make_token(both.clone(), false, TokenKind::Word, "", lookup);
                joined.of_organisation = true;
                // (Hong is not a spelling of Hong Kong.)
                joined.strict = true;
                joined.concept = concept;
                if joined.body == 0 {
                    joined.body = crate::translations::concept_body(concept);
                }
                tokens[i] = joined;
            }
            i += 1;
        }
    }
    // A vessel named by one word: a letter off is as often another ship
    // of a fleet as a typo (in longer names the other words carry it).
    // A Korean name in Hangul: each syllable is a name part, and one
    // spelt otherwise is another name (성 Seong is not 석 Sok).
    if (schema == Some(Schema::Vessel)
        && tokens.iter().filter(|t| t.kind == TokenKind::Word).count() == 1)
        || (schema != Some(Schema::Organization) && name.chars().any(script::is_hangul))
    {
        tokens.iter_mut().for_each(|t| t.strict = true);
    }
    tokens
}

/// Whether the `wi`-th word is a legal form there: a word that is one
/// only beside another (Public, Private, Joint, Stock: Public Joint Stock
/// Company, but the Ministry of Public Security) needs its neighbour to be
/// one too.
fn legal_form_here(words: &[RawWord], wi: usize) -> bool {
    let t = words[wi].text.as_str();
    if !is_legal_form(t) {
        return false;
    }
    if !matches!(t, "public" | "private" | "joint" | "stock" | "liability") {
        return true;
    }
    let beside = |k: Option<usize>| {
        k.and_then(|k| words.get(k))
            .is_some_and(|w| is_legal_form(&w.text))
    };
    beside(wi.checked_sub(1)) || beside(Some(wi + 1))
}

/// The languages a word that joins an organisation's words is one of, one
/// bit each (English, Spanish and Portuguese, French, German and Dutch,
/// Arabic, Persian and Urdu, Turkish; 0: no such word): "de" is Spanish
/// and French, "e" Portuguese and the Persian ezafe.
pub(crate) fn connective_languages(t: &str) -> u8 {
    const EN: u8 = 1;
    const ES: u8 = 2;
    const FR: u8 = 4;
    const DE: u8 = 8;
    const AR: u8 = 16;
    const FA: u8 = 32;
    const TR: u8 = 64;
    match t {
        "the" | "of" | "and" | "for" | "on" | "at" | "to" => EN,
        "in" => EN | DE | FR,
        "de" => ES | FR,
        "del" | "las" | "los" | "y" => ES,
        "la" => ES | FR,
        "en" => ES | FR,
        "le" | "du" | "des" | "et" | "au" | "aux" => FR,
        "und" | "der" | "von" | "van" => DE,
        "fi" | "fy" | "wa" | "wal" | "li" | "lil" | "bi" | "min" => AR,
        "pour" | "par" => FR,
        "e" => ES | FA,
        "i" | "ye" | "va" | "o" => FA,
        "ve" => TR,
        _ if words::is_function_word(t) || words::is_function_word_of_organisations(t) => 0x80,
        _ => 0,
    }
}

/// Whether a name is a Chinese name: written in Han script, or two or
/// three parts all of Pinyin or Wade-Giles syllables, one of them a single
/// syllable (the family name), two to four syllables in all (Mao Zedong,
/// Li Keqiang, Mao Tse-tung, Chou En-lai).
/// A word of a body's name joined with "Allah" (allah, ullah, ollah,
/// ulla) whose first half, maybe ending in a joining vowel, the
/// organisation words' table knows: that first half (hizballah → hizb;
/// ansarullah → ansar).
fn split_allah(t: &Token) -> Option<String> {
    if t.kind != TokenKind::Word || t.concept != 0 || t.from_script || !t.text.is_ascii() {
        return None;
    }
    let end = ["allah", "ullah", "ollah", "ulla", "alla"]
        .into_iter()
        .find(|e| t.text.len() > e.len() + 2 && t.text.ends_with(e))?;
    let head = &t.text[..t.text.len() - end.len()];
    [
        head,
        head.strip_suffix(['a', 'e', 'i', 'u']).unwrap_or(head),
    ]
    .into_iter()
    .find(|h| h.len() >= 3 && crate::translations::concept(h) != 0)
    .map(str::to_string)
}

fn reads_as_chinese(name: &str, tokens: &[Token]) -> bool {
    if name.chars().any(script::is_han) {
        return true;
    }
    // An English given name in front of a Chinese name (Carrie Lam Cheng
    // Yuet-ngor, John Lee Ka-chiu), as Hong Kong writes names.
    let tokens = match tokens {
        [first, rest @ ..] if rest.len() >= 2 && first.nick != 0 => rest,
        _ => tokens,
    };
    if !(2..=4).contains(&tokens.len()) || tokens.iter().any(|t| t.kind != TokenKind::Word) {
        return false;
    }
    // The family name first: a single syllable (cheap to rule out).
    let single = |t: &Token| {
        t.text.len() <= 7
            && (script::pinyin_syllables().contains(&t.text)
                || !wade_giles(&t.text).is_empty()
                || !script::cantonese(&t.text).is_empty())
    };
    if !tokens.iter().any(single) {
        return false;
    }
    let counts: Option<Vec<usize>> = tokens
        .iter()
        .map(|t| chinese_or_cantonese_syllables(&t.text).map(|s| s.len()))
        .collect();
    counts.is_some_and(|c| (2..=4).contains(&c.iter().sum::<usize>()))
}

/// Whether a person's name reads as Korean: only word parts, none a given
/// name or nickname of the name tables (Maria Kim, Anna Park are not read
/// so), in the shape [`korean::reads_as_korean`] knows.
fn reads_as_korean(tokens: &[Token]) -> bool {
    // Most names fail here: neither end is a Korean family name.
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return false;
    };
    if !korean::is_family_name(&first.text) && !korean::is_family_name(&last.text) {
        return false;
    }
    // A word of the given-name tables disqualifies (Maria Kim) unless it
    // is one Korean syllable (Chol Sam Kim: Sam is also a nickname).
    let one_syllable = |t: &Token| korean::syllables(&t.text).is_some_and(|s| s.len() == 1);
    if tokens.iter().any(|t| {
        t.kind != TokenKind::Word
            || (!korean::is_family_name(&t.text)
                && (t.name != 0 || t.nick != 0)
                && !one_syllable(t))
    }) {
        return false;
    }
    let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    korean::reads_as_korean(&words)
}

/// Whether a person's name reads as Japanese: only word parts, in the
/// shape [`japanese::reads_as_japanese`] knows.
fn reads_as_japanese(tokens: &[Token]) -> bool {
    if !(2..=3).contains(&tokens.len()) || tokens.iter().any(|t| t.kind != TokenKind::Word) {
        return false;
    }
    let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    japanese::reads_as_japanese(&words)
}

/// Lower-case ASCII form of a name, tokens joined by spaces (for display/debug).
pub fn normalize(name: &str) -> String {
    tokenize(name)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kind of party a name of no stated kind reads as: an organisation's
/// if a word of it is a legal form of three letters or more (of the
/// maintained table or the built-in one), a word organisations are named
/// with (bank, trading, ministry …) or holds a digit; else a person's.
/// ("Kyong Ok Kim" stays a person: two-letter forms are also name parts.)
pub fn guess_schema(name: &str) -> Schema {
    guess_from_words(&raw_words(&fold_lookalikes(name)))
}

fn guess_from_words(words: &[RawWord]) -> Schema {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let legal = legal_form_words(&texts);
    let organisation = words.iter().zip(&legal).any(|(w, &l)| {
        let t = w.text.as_str();
        t.bytes().any(|b| b.is_ascii_digit())
            || (t.len() >= 3 && (l || is_legal_form(t)))
            || is_generic(t)
    });
    // A legal form written in letters at the end, after two words or more
    // (LA GRAN BODEGA, S.A.; OBRAS Y PROYECTOS S.L.): not a person's
    // initials, which stand before a family name or after one alone.
    let letters_at_end = texts
        .iter()
        .rev()
        .take_while(|t| t.len() == 1 && t.bytes().all(|b| b.is_ascii_alphabetic()))
        .count();
    let lettered_legal_form = letters_at_end >= 2
        && texts.len() - letters_at_end >= 2
        && is_legal_form(&texts[texts.len() - letters_at_end..].concat());
    if organisation || lettered_legal_form {
        Schema::Organization
    } else {
        Schema::Person
    }
}

/// Whether a name tokenised as a person's (`person`) comes out the same
/// read as an organisation's or a vessel's (`kind`): no comma (the
/// surname-first form), no word of a legal form, title, function word,
/// number (digits, a number word, a Roman numeral: `Token::number`) or
/// single letter, and for a vessel more than one word. Saves the
/// screener a second tokenisation of most queries of no stated kind.
pub fn same_for_kind(name: &str, person: &[Token], kind: Schema) -> bool {
    if kind == Schema::Person {
        return true;
    }
    let words = person.iter().filter(|t| t.kind == TokenKind::Word).count();
    let vessel_of_one_word = kind == Schema::Vessel && words == 1;
    !name.contains(',')
        && !vessel_of_one_word
        && person.iter().all(|t| {
            matches!(t.kind, TokenKind::Word | TokenKind::Particle)
                && t.text.len() > 1
                && t.number.is_none()
                && !t.text.bytes().any(|b| b.is_ascii_digit())
                && !is_legal_form(&t.text)
                && !starts_legal_form(&t.text)
                && crate::translations::concept(&t.text) == 0
                && !is_function_word_of_organisations(&t.text)
        })
}
