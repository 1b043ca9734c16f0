//! Scripts and transliteration: Arabic (with its Persian, Urdu and Pashto
//! letters) and Cyrillic to Latin, invisible and look-alike characters, and
//! the split of a name into raw words.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// True if `s` has letters outside Latin script (Arabic, Cyrillic, CJK, ...).
pub fn has_non_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !is_latin(c))
}

fn is_latin(c: char) -> bool {
    c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

fn is_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
        || ('\u{0750}'..='\u{077F}').contains(&c)
        || ('\u{FB50}'..='\u{FDFF}').contains(&c)
        || ('\u{FE70}'..='\u{FEFF}').contains(&c)
}

/// Arabic / Persian letter -> Latin letters chosen so that the skeleton of the
/// result equals the skeleton of common Latin renderings (ش -> `x`, the
/// skeleton's symbol for sh/ch; ع and hamza vanish as apostrophes do in Latin).
fn arabic_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' | 'ى' => "a",
        'ء' | 'ؤ' | 'ئ' | 'ع' => "",
        'ب' => "b",
        'ت' | 'ط' | 'ث' => "t",
        'ج' => "j",
        'ح' | 'ه' | 'ۀ' | 'ہ' | 'ھ' => "h",
        'خ' => "kh",
        'د' | 'ذ' | 'ض' => "d",
        'ر' => "r",
        'ز' | 'ظ' | 'ژ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' | 'ك' | 'ک' => "k",
        'گ' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' => "w",
        'ي' | 'ی' | 'ې' | 'ۍ' => "y",
        'ة' => "a",
        'پ' => "p",
        'چ' => "ch",
        // Pashto and Urdu letters.
        'ځ' | 'څ' => "z",
        'ټ' | 'ٹ' => "t",
        'ډ' | 'ڈ' => "d",
        'ړ' | 'ڑ' => "r",
        'ښ' => "sh",
        'ږ' => "zh",
        'ڼ' | 'ں' => "n",
        _ => return None,
    })
}

fn cyrillic_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ъ' | 'ь' => "",
        // Ukrainian, Belarusian, Serbian, Macedonian, Kazakh, Uzbek and
        // Mongolian letters, as their national Latin spellings write them
        // (Mladić, Karadžić, Tokayev, Khurelsukh, Yevhen).
        'є' => "ye",
        'ї' => "yi",
        'ґ' | 'ѓ' => "g",
        'ў' | 'ұ' | 'ү' => "u",
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' => "dz",
        'ќ' | 'қ' => "k",
        'ѕ' => "dz",
        'ғ' => "gh",
        'ң' => "n",
        'ө' => "o",
        'һ' => "h",
        'ә' => "a",
        _ => return None,
    })
}

fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'ı' => "i",
        'þ' => "th",
        _ => return None,
    })
}

/// A raw word before particle handling.
pub(super) struct RawWord {
    pub(super) text: String,
    pub(super) from_script: bool,
    pub(super) hyphen_after: bool,
    /// Written with a period after it ("Yu. V. Kovalchuk").
    pub(super) dot_after: bool,
    /// The word's Arabic letters, folded for the given-name table
    /// ([`arabic_key`]); empty for Latin words.
    pub(super) arabic: String,
    /// The word's Han characters in their simplified forms
    /// ([`super::simplified`]); empty for words in other scripts.
    pub(super) han: String,
    /// A country written in dotted letters and joined ("U.K." as "uk"): a
    /// name part, not the legal form its letters also spell.
    pub(super) dotted_country: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | '`' | 'ʿ' | 'ʾ' | 'ʼ' | '´' | 'ʻ' | '′'
    )
}

/// Transliterates one Arabic-script word, handling the article and عبد;
/// returns the Latin rendering and the word's key for the name table.
fn arabic_word(w: &str) -> (String, String) {
    (arabic_latin(w), arabic_key(w))
}

/// Folds an Arabic word for the given-name table: hamza carriers and alef
/// forms to ا, ى to ي, ة to ه, Persian and Urdu letters as [`fold_arabic_letter`], the article ال
/// dropped (but not from الله), and عبد kept glued to what follows, so that
/// "عبد الرحمن" and "عبدالرحمن" have one key.
pub(crate) fn arabic_key(w: &str) -> String {
    let fold = |c: char| match fold_arabic_letter(c) {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ئ' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        c => c,
    };
    let folded: String = w.chars().map(fold).collect();
    let strip_article = |x: &str| -> String {
        if x == "الله" || x == "لله" {
            return "الله".into();
        }
        match x.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => rest.to_string(),
            _ => x.to_string(),
        }
    };
    match folded.strip_prefix("عبد") {
        Some(rest) if rest.chars().count() >= 2 => format!("عبد{}", strip_article(rest)),
        _ => strip_article(&folded),
    }
}

fn arabic_latin(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    if w == "الله" || w == "لله" {
        return "allah".into();
    }
    if let Some(rest) = w.strip_prefix("عبد") {
        if rest.chars().count() >= 2 {
            let rest = rest
                .strip_prefix("ال")
                .filter(|r| r.chars().count() >= 2)
                .unwrap_or(rest);
            let rest = if rest == "له" {
                "lah".to_string()
            } else {
                translit_arabic(rest)
            };
            return format!("abd{rest}");
        }
        if rest.is_empty() {
            return "abd".into();
        }
    }
    if chars.len() >= 4 && chars[0] == 'ا' && chars[1] == 'ل' {
        return translit_arabic(&chars[2..].iter().collect::<String>());
    }
    if w == "ابو" || w == "أبو" || w == "ابي" || w == "أبي" || w == "ابا" || w == "أبا"
    {
        return "abu".into();
    }
    if w == "ابن" || w == "بن" {
        return "bin".into();
    }
    if w == "بنت" {
        return "bint".into();
    }
    if w == "ام" || w == "أم" {
        return "umm".into();
    }
    if w == "ولد" {
        return "ould".into();
    }
    translit_arabic(w)
}

fn translit_arabic(w: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = w.chars().collect();
    let n = chars.len();
    // Before the first consonant, و and ي are the vowels u and i (عولقي
    // Aulaqi, عيسى Isa), not the consonants w and y.
    let mut vowel_only = true;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            // Word-final ta marbuta / ha: vanish as the final h of Latin does.
            'ة' | 'ه' if i + 1 == n && i > 0 => out.push('a'),
            'و' if vowel_only && i > 0 => out.push('u'),
            'ي' if vowel_only && i > 0 => out.push('i'),
            _ => {
                if let Some(s) = arabic_letter(c) {
                    // ح / ه after z, s, k, t, d, c, g, p would read as a
                    // Latin digraph (zh, sh, kh, th, ...): keep them apart.
                    if s == "h" && out.ends_with(['z', 's', 'k', 't', 'd', 'c', 'g', 'p']) {
                        out.push('a');
                    }
                    out.push_str(s);
                }
            }
        }
        if !matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ع' | 'ء') {
            vowel_only = false;
        }
    }
    out
}

/// Persian, Urdu and Pashto forms of Arabic letters, folded to the Arabic
/// letter (ی to ي, ک to ك, ہ to ه), so that one spelling serves all.
fn fold_arabic_letter(c: char) -> char {
    match c {
        'ی' | 'ۍ' | 'ې' | 'ے' | 'ۓ' => 'ي',
        'ک' | 'ګ' => 'ك',
        'ہ' | 'ۀ' | 'ھ' | 'ە' => 'ه',
        c => c,
    }
}

/// Splits text into lower-case Latin words, transliterating other scripts.
pub(super) fn raw_words(s: &str) -> Vec<RawWord> {
    raw_words_glued(s, false)
}

/// [`raw_words`] as an organisation's name is read. Chinese and Korean
/// write a body's name without spaces, and only a person's name starts
/// with a family name of one character or is read syllable by syllable:
/// here a run of Han characters or Hangul syllables is one word, split
/// only around the words of bodies' names the tables know (华信 船务 (香港)
/// 有限公司; 조선 대성 은행).
pub(super) fn raw_words_of_body(s: &str) -> Vec<RawWord> {
    match split_cjk_words(s) {
        Some(spaced) => raw_words_glued(&spaced, true),
        None => raw_words_glued(s, true),
    }
}

/// Thai and Lao write the vowels e, ae, o, ai before the consonant they
/// follow in speech (ใจ is "chai", not "aich"); transliterated letter by
/// letter they must come after it. A Thai consonant marked with the
/// thanthakhat (์) is silent (ประยุทธ์ Prayut). `None` for text with
/// neither.
fn spoken_order(s: &str) -> Option<String> {
    const SILENT: char = '\u{0E4C}';
    let leading =
        |c: char| ('\u{0E40}'..='\u{0E44}').contains(&c) || ('\u{0EC0}'..='\u{0EC4}').contains(&c);
    let consonant =
        |c: char| ('\u{0E01}'..='\u{0E2E}').contains(&c) || ('\u{0E81}'..='\u{0EAE}').contains(&c);
    if !s.chars().any(|c| leading(c) || c == SILENT) {
        return None;
    }
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    // Vowel signs written above or below a consonant (ดิ์ in ศักดิ์, Sak).
    let vowel_sign = |c: char| ('\u{0E31}'..='\u{0E3A}').contains(&c) || c == '\u{0E47}';
    for c in s.chars() {
        if c == SILENT {
            while out.last().is_some_and(|&p| vowel_sign(p)) {
                out.pop();
            }
            if out.last().is_some_and(|&p| consonant(p)) {
                out.pop();
                // Two consonants after a closed syllable are silent together
                // (ทร์ in จันทร์, Chan).
                let n = out.len();
                if n >= 2 && consonant(out[n - 1]) && consonant(out[n - 2]) {
                    out.pop();
                }
            }
        } else {
            out.push(c);
        }
    }
    let mut i = 0;
    while i + 1 < out.len() {
        if leading(out[i]) && consonant(out[i + 1]) {
            out.swap(i, i + 1);
            i += 2;
        } else {
            i += 1;
        }
    }
    Some(out.into_iter().collect())
}

/// The words of bodies' names written in Han characters or Hangul that the
/// tables hold (legal forms, `data/org-words.csv`), Han simplified, and
/// the most characters one has.
struct CjkWords {
    words: crate::index::FxSet<String>,
    longest: usize,
}

fn cjk_words() -> &'static CjkWords {
    static WORDS: std::sync::OnceLock<CjkWords> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let legal = super::words::LEGAL_FORMS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.split('|'));
        let org = crate::translations::TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split(',').nth(1));
        let mut words = crate::index::FxSet::default();
        for w in legal.chain(org).map(str::trim) {
            if w.chars().count() >= 2 && w.chars().all(is_han_or_hangul) {
                words.insert(w.chars().map(super::simplified).collect::<String>());
            }
        }
        let longest = words.iter().map(|w| w.chars().count()).max().unwrap_or(0);
        CjkWords { words, longest }
    })
}

/// `s` with a space either side of each word of [`cjk_words`] in its runs
/// of Han characters and Hangul, the longest first; `None` when it has no
/// such run.
fn split_cjk_words(s: &str) -> Option<String> {
    let cjk = is_han_or_hangul;
    if !s.chars().any(cjk) {
        return None;
    }
    let table = cjk_words();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    let mut key = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take(table.longest)
            .take_while(|c| cjk(**c))
            .count();
        let mut found = 0;
        key.clear();
        for (n, &c) in chars[i..i + run].iter().enumerate() {
            key.push(super::simplified(c));
            if n > 0 && table.words.contains(&key) {
                found = n + 1;
            }
        }
        if found > 0 {
            out.push(' ');
            out.extend(&chars[i..i + found]);
            out.push(' ');
            i += found;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    Some(out)
}

/// [`raw_words`]; `glue`: a run of Han characters or Hangul syllables is
/// one word ([`raw_words_of_body`]).
fn raw_words_glued(s: &str, glue: bool) -> Vec<RawWord> {
    let reordered = spoken_order(s);
    let s = reordered.as_deref().unwrap_or(s);
    let burmese = super::burmese::romanised(s);
    let s = burmese.as_deref().unwrap_or(s);
    /// The word being read: its Latin text, pending Arabic letters, its
    /// Arabic table key, and whether any of it came from another script.
    #[derive(Default)]
    struct Cur {
        text: String,
        arabic: String,
        key: String,
        han: String,
        script: bool,
        /// A particle that was glued to the front of the word.
        prefix: Option<&'static str>,
    }
    impl Cur {
        fn take_arabic(&mut self) {
            if !self.arabic.is_empty() {
                // أبو, و and ل glued to an article (أبواليزيد, والمسلمين,
                // للصرافة "for the exchange") are words of their own.
                if self.text.is_empty() && self.prefix.is_none() {
                    for (glued, word) in [("ابوال", "abu"), ("وال", "wa"), ("لل", "li")] {
                        if let Some(rest) = self.arabic.strip_prefix(glued) {
                            if rest.chars().count() >= 3 {
                                self.prefix = Some(word);
                                self.arabic = format!("ال{rest}");
                                break;
                            }
                        }
                    }
                }
                let (latin, key) = arabic_word(&self.arabic);
                self.text.push_str(&latin);
                self.key.push_str(&key);
                self.arabic.clear();
            }
        }
        fn flush(&mut self, out: &mut Vec<RawWord>, hyphen: bool) {
            self.take_arabic();
            if let Some(word) = self.prefix.take() {
                out.push(RawWord {
                    text: word.to_string(),
                    from_script: true,
                    hyphen_after: false,
                    dot_after: false,
                    arabic: String::new(),
                    han: String::new(),
                    dotted_country: false,
                });
            }
            if !self.text.is_empty() {
                out.push(RawWord {
                    text: std::mem::take(&mut self.text),
                    from_script: self.script,
                    hyphen_after: hyphen,
                    dot_after: false,
                    arabic: std::mem::take(&mut self.key),
                    han: std::mem::take(&mut self.han),
                    dotted_country: false,
                });
            } else if hyphen {
                if let Some(l) = out.last_mut() {
                    l.hyphen_after = true;
                }
            }
            self.key.clear();
            self.script = false;
        }
    }
    let mut out: Vec<RawWord> = Vec::new();
    let mut cur = Cur::default();
    // Han characters already in the current word (a Chinese name's family
    // name is its first character, written apart from the given name); with
    // `glue`, Han characters and Hangul syllables of one run, kept whole.
    let mut han = 0usize;
    let mut decomposed = String::new();
    for whole in s.chars() {
        // Scripts without a table of their own (CJK, Hangul, kana, Greek,
        // Hebrew, Thai, Khmer, Bengali, Devanagari …) are transliterated
        // whole, before decomposition splits their syllables.
        if let Some(latin) = other_script(whole) {
            let hangul = is_hangul(whole);
            if is_han(whole) || (glue && hangul) {
                if (han == 1 && !glue)
                    || (han == 0 && (!cur.text.is_empty() || !cur.arabic.is_empty()))
                {
                    cur.flush(&mut out, false);
                }
                han += 1;
                if !hangul {
                    cur.han.push(super::simplified(whole));
                }
            } else {
                han = 0;
                // A Korean syllable is a name part of its own: "Kim Jong
                // Un" is written with three, often apart.
                if hangul {
                    cur.flush(&mut out, false);
                }
            }
            cur.take_arabic();
            // Hebrew ב, כ, פ begin a word hard (Binyamin, Kahana, Peretz),
            // where letter by letter they read v, kh, f.
            let word_start = cur.text.is_empty() && !cur.script;
            let latin = match whole {
                'ב' if word_start => "b".to_string(),
                'כ' if word_start => "k".to_string(),
                'פ' if word_start => "p".to_string(),
                _ => latin,
            };
            // A Korean syllable's initial ㄹ is romanised r (Ryong, not Lyong).
            match latin.strip_prefix('l') {
                Some(rest) if hangul => {
                    cur.text.push('r');
                    cur.text.push_str(rest);
                }
                _ => cur.text.push_str(&latin),
            }
            cur.script = true;
            if hangul && !glue {
                cur.flush(&mut out, false);
            }
            continue;
        }
        if !is_combining_mark(whole) {
            if han > 0 {
                cur.flush(&mut out, false);
            }
            han = 0;
        }
        // One character's decomposition (the buffer is reused; ASCII is its own).
        decomposed.clear();
        if whole.is_ascii() {
            decomposed.push(whole);
        } else {
            decomposed.extend(whole.nfkd());
        }
        for c in decomposed.chars() {
            // French and Italian elided articles are not part of the name:
            // "l'Ouest" is "Ouest", "d'Ivoire" is "Ivoire".
            if is_apostrophe(c)
                && cur.arabic.is_empty()
                && cur.prefix.is_none()
                && !cur.script
                && (cur.text.eq_ignore_ascii_case("l") || cur.text.eq_ignore_ascii_case("d"))
            {
                cur.text.clear();
                continue;
            }
            if is_combining_mark(c)
                || c == 'ـ'
                || c == '\u{200c}'
                || c == '\u{200d}'
                || is_apostrophe(c)
            {
                continue;
            }
            let c = if is_arabic(c) {
                fold_arabic_letter(c)
            } else {
                c
            };
            if is_arabic(c) && arabic_letter(c).is_some() {
                cur.arabic.push(c);
                cur.script = true;
                continue;
            }
            cur.take_arabic();
            if c.is_ascii_alphanumeric() {
                cur.text.push(c.to_ascii_lowercase());
            } else if c.is_alphanumeric() {
                let lower: String = c.to_lowercase().collect();
                for l in lower.chars() {
                    if let Some(t) = latin_special(l) {
                        cur.text.push_str(t);
                    } else if let Some(t) = cyrillic_letter(l) {
                        cur.text.push_str(t);
                        cur.script = true;
                    } else if l.is_alphanumeric() {
                        cur.text.push(l);
                        if !is_latin(l) {
                            cur.script = true;
                        }
                    }
                }
            } else {
                let before = out.len();
                cur.flush(&mut out, c == '-' || c == '‐');
                if c == '.' && out.len() > before {
                    if let Some(l) = out.last_mut() {
                        l.dot_after = true;
                    }
                }
            }
        }
    }
    cur.flush(&mut out, false);
    out
}

pub(super) fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{3400}'..='\u{4DBF}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || ('\u{20000}'..='\u{2FA1F}').contains(&c)
}

pub(super) fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A Han character or a Hangul syllable: the scripts a body's name is
/// written in without spaces ([`raw_words_of_body`]).
pub(super) fn is_han_or_hangul(c: char) -> bool {
    is_han(c) || is_hangul(c)
}

/// The lower-case Latin transliteration of a letter of a script that has no
/// table here (any_ascii: Han as Pinyin, Hangul in the Revised
/// Romanization, kana, Greek, Hebrew, Thai, Khmer, Indic scripts …), empty
/// for a letter it has none for; `None` for Latin, Arabic and Cyrillic letters (their own tables) and for
/// anything that is not a letter.
fn other_script(c: char) -> Option<String> {
    if c.is_ascii()
        || is_latin(c)
        || is_arabic(c)
        || ('\u{0400}'..='\u{04FF}').contains(&c)
        || !c.is_alphanumeric()
    {
        return None;
    }
    // A letter with no Latin rendering (Hebrew alef and ayin, Burmese
    // independent vowels) comes out empty: it is silent, as ع and ء are in
    // the Arabic table, rather than kept as a letter no Latin name has.
    Some(
        any_ascii::any_ascii_char(c)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect(),
    )
}

/// `s` without Unicode format characters (general category Cf: zero-width
/// spaces and joiners, bidirectional controls, soft hyphens …). They are
/// invisible, so a name written with one inside ("Abu Yu\u{200b}suf") looks
/// the same as without and must compare the same: every place names are
/// compared or indexed (screening, correlation keys, search) removes them.
pub fn strip_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let invisible = |c: char| c.general_category() == GeneralCategory::Format;
    // (No ASCII character is a format character.)
    if !s.is_ascii() && s.chars().any(invisible) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !invisible(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `s` with the look-alike letters of other scripts inside Latin words
/// folded to the Latin letters they pass for (a Cyrillic "а" or a Greek
/// "ο" in "Hаmdani", by Unicode's confusables, UTS #39), after
/// [`strip_invisible`]. Words written wholly in another script are left to
/// transliteration; a letter is folded only when its skeleton is one ASCII
/// letter, so accented Latin letters stay as they are.
pub fn fold_lookalikes(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    let visible = strip_invisible(s);
    let lookalike = |c: char| -> Option<char> {
        if c.is_ascii() || !c.is_alphabetic() {
            return None;
        }
        let one = c.to_string();
        let mut sk = unicode_security::skeleton(&one);
        match (sk.next(), sk.next()) {
            (Some(l), None) if l.is_ascii_alphabetic() => Some(l),
            _ => None,
        }
    };
    let mixed = |w: &str| {
        w.chars().any(|c| c.is_ascii_alphabetic()) && w.chars().any(|c| lookalike(c).is_some())
    };
    if !visible.split_whitespace().any(mixed) {
        return visible;
    }
    let mut out = String::with_capacity(visible.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if mixed(word) {
            out.extend(word.chars().map(|c| lookalike(c).unwrap_or(c)));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in visible.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    std::borrow::Cow::Owned(out)
}

/// The syllables of Hanyu Pinyin (toneless), taken from the transliteration
/// of every common Han character, so that the set is the one names
/// written in Han script come out in.
pub(super) fn pinyin_syllables() -> &'static crate::index::FxSet<String> {
    static SET: std::sync::OnceLock<crate::index::FxSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        ('\u{4E00}'..='\u{9FFF}')
            .map(|c| any_ascii::any_ascii_char(c).to_ascii_lowercase())
            .filter(|s| (1..=6).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase()))
            .collect()
    })
}

/// A word read as Pinyin syllables ("keqiang" ke·qiang, "zedong" ze·dong),
/// the fewest that spell it; `None` if it cannot be read so.
pub fn pinyin_split(word: &str) -> Option<Vec<&str>> {
    let set = pinyin_syllables();
    fewest_pieces(word, 6, |piece| set.contains(piece))
}

/// `word` cut into the fewest pieces of at most `longest` letters that are
/// all `valid`; `None` if it cannot be (or is not lower-case ASCII).
pub(super) fn fewest_pieces(
    word: &str,
    longest: usize,
    valid: impl Fn(&str) -> bool,
) -> Option<Vec<&str>> {
    let n = word.len();
    if n == 0 || n > 24 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // best[i]: fewest pieces spelling word[..i], and where the last starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in end.saturating_sub(longest)..end {
            if let Some((count, _)) = best[start] {
                if best[end].is_none_or(|(c, _)| count + 1 < c) && valid(&word[start..end]) {
                    best[end] = Some((count + 1, start));
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        out.push(&word[start..end]);
        end = start;
    }
    out.reverse();
    Some(out)
}

/// The Pinyin syllables a Wade-Giles syllable may stand for (the older
/// romanisation of Chinese names: Mao Tse-tung, Chou En-lai, Hsi Chin-p'ing),
/// as names are normalised (apostrophes of aspiration and the umlaut
/// dropped, so "p" is b or p, "ch" is zh, ch, j or q). Empty when `s` is
/// not a Wade-Giles syllable.
pub fn wade_giles(s: &str) -> &'static [String] {
    static TABLE: std::sync::OnceLock<crate::index::FxMap<String, Vec<String>>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        const INITIALS: [&str; 20] = [
            "tz", "ts", "ss", "sz", "hs", "ch", "sh", "p", "t", "k", "j", "m", "f", "n", "l", "h",
            "s", "w", "y", "",
        ];
        const FINALS: [&str; 38] = [
            "a", "ai", "an", "ang", "ao", "e", "eh", "ei", "en", "eng", "erh", "i", "ia", "iang",
            "iao", "ieh", "ien", "ih", "in", "ing", "io", "iu", "iung", "o", "ou", "u", "ua",
            "uai", "uan", "uang", "ui", "un", "ung", "uo", "ue", "uei", "ueh", "yu",
        ];
        let mut t = crate::index::FxMap::default();
        for i in INITIALS {
            for f in FINALS {
                let syllable = format!("{i}{f}");
                let pinyin = wade_giles_rule(&syllable);
                if !pinyin.is_empty() {
                    t.insert(syllable, pinyin);
                }
            }
        }
        t
    });
    table.get(s).map_or(&[], Vec::as_slice)
}

/// [`wade_giles`] by rule, for one candidate syllable (the table is built
/// with it).
fn wade_giles_rule(s: &str) -> Vec<String> {
    const INITIALS: [(&str, &[&str]); 20] = [
        ("tz", &["z", "c"]),
        ("ts", &["z", "c"]),
        ("ss", &["s"]),
        ("sz", &["s"]),
        ("hs", &["x"]),
        ("ch", &["zh", "ch", "j", "q"]),
        ("sh", &["sh"]),
        ("p", &["b", "p"]),
        ("t", &["d", "t"]),
        ("k", &["g", "k"]),
        ("j", &["r"]),
        ("m", &["m"]),
        ("f", &["f"]),
        ("n", &["n"]),
        ("l", &["l"]),
        ("h", &["h"]),
        ("s", &["s"]),
        ("w", &["w"]),
        ("y", &["y"]),
        ("", &[""]),
    ];
    if s.is_empty() || s.len() > 7 || !s.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let Some((initial, options)) = INITIALS.iter().find(|(i, _)| s.starts_with(i)) else {
        return Vec::new();
    };
    let rest = &s[initial.len()..];
    let sibilant = matches!(*initial, "ch" | "sh" | "j" | "ts" | "tz" | "ss" | "sz");
    let mut finals: Vec<String> = match rest {
        "ih" if sibilant => vec!["i".into()],
        "u" if matches!(*initial, "ts" | "tz" | "ss" | "sz") => vec!["i".into(), "u".into()],
        "ieh" => vec!["ie".into()],
        "ien" => vec!["ian".into()],
        "ung" => vec!["ong".into()],
        "iung" => vec!["iong".into()],
        "eh" => vec!["e".into()],
        "erh" if initial.is_empty() => vec!["er".into()],
        "o" if matches!(*initial, "k" | "h") => vec!["e".into(), "uo".into()],
        "o" if matches!(
            *initial,
            "t" | "n" | "l" | "ts" | "tz" | "ch" | "sh" | "j" | "s"
        ) =>
        {
            vec!["uo".into()]
        }
        "en" if *initial == "y" => vec!["an".into()],
        "u" if *initial == "y" => vec!["ou".into(), "u".into()],
        r => vec![r.to_string()],
    };
    // Vowel-initial syllables: i, in, ing are yi, yin, ying; u is wu.
    if initial.is_empty() {
        finals = finals
            .into_iter()
            .flat_map(|f| match f.as_str() {
                "i" | "in" | "ing" => vec![format!("y{f}"), f],
                "u" => vec!["wu".into(), f],
                _ => vec![f],
            })
            .collect();
    }
    let set = pinyin_syllables();
    let mut out: Vec<String> = Vec::new();
    for o in *options {
        for f in &finals {
            // j, q, x take i and u (ü); zh, ch, z, c, s, sh do not take i-.
            let front = f.starts_with('i') || f.starts_with('u') && matches!(*o, "j" | "q" | "x");
            if matches!(*o, "j" | "q") && !front
                || matches!(*o, "zh" | "ch") && f.starts_with('i') && f != "i"
            {
                continue;
            }
            let p = format!("{o}{f}");
            if set.contains(&p) && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// The Pinyin syllables a syllable of a Chinese name romanised from
/// Cantonese (Hong Kong's way: Lee Ka-chiu, Li Ka-shing, Chiang Kai-shek)
/// may stand for: the Cantonese readings of common characters
/// (`data/cantonese-pinyin.txt`, from rime-cantonese) spelt as Hong Kong
/// spells them, each with the Mandarin readings of those characters.
/// Empty when `s` is not such a syllable.
pub fn cantonese(s: &str) -> &'static [String] {
    static TABLE: std::sync::OnceLock<crate::index::FxMap<String, Vec<String>>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: crate::index::FxMap<String, Vec<String>> = Default::default();
        for line in include_str!("../../data/cantonese-pinyin.txt").lines() {
            let Some((jyutping, pinyin)) = line.split_once('\t') else {
                continue;
            };
            for spelling in hong_kong_spellings(jyutping) {
                let v = t.entry(spelling).or_default();
                for p in pinyin.split(' ') {
                    if !v.iter().any(|x| x == p) {
                        v.push(p.to_string());
                    }
                }
            }
        }
        t
    });
    table.get(s).map_or(&[], Vec::as_slice)
}

/// How Hong Kong's romanisation may write a Jyutping syllable (gaa Ka, ciu
/// Chiu, lei Lee, koeng Keung, jyut Yuet, sek Shek).
fn hong_kong_spellings(jyutping: &str) -> Vec<String> {
    const INITIALS: [(&str, &[&str]); 20] = [
        ("gw", &["kw"]),
        ("kw", &["kw"]),
        ("ng", &["ng"]),
        ("b", &["p"]),
        ("p", &["p"]),
        ("m", &["m"]),
        ("f", &["f"]),
        ("d", &["t"]),
        ("t", &["t"]),
        ("n", &["n"]),
        ("l", &["l"]),
        ("g", &["k"]),
        ("k", &["k"]),
        ("h", &["h"]),
        ("w", &["w"]),
        ("z", &["ch", "ts", "tz"]),
        ("c", &["ch", "ts"]),
        ("s", &["s", "sh"]),
        ("j", &["y"]),
        ("", &[""]),
    ];
    const FINALS: [(&str, &[&str]); 27] = [
        ("aa", &["a"]),
        ("am", &["am", "um"]),
        ("an", &["an", "un"]),
        ("ap", &["ap", "up"]),
        ("ei", &["ei", "ee", "i", "ay"]),
        ("i", &["i", "ee", "ze", "z"]),
        ("o", &["o", "oh", "or"]),
        ("oi", &["oi", "oy"]),
        ("ou", &["o", "ou"]),
        ("u", &["u", "oo"]),
        ("ui", &["ui", "ooi"]),
        ("un", &["un", "oon"]),
        ("ut", &["ut", "oot"]),
        ("oe", &["oe", "eu"]),
        ("oeng", &["eung"]),
        ("oek", &["euk"]),
        ("eoi", &["ui", "eui"]),
        ("eon", &["un", "eun"]),
        ("eot", &["ut", "eut"]),
        ("yu", &["u", "ue", "yu"]),
        ("yun", &["un", "uen", "yun"]),
        ("yut", &["ut", "uet", "yut"]),
        ("aai", &["ai"]),
        ("aau", &["au"]),
        ("aan", &["an"]),
        ("aang", &["ang"]),
        ("aak", &["ak"]),
    ];
    let Some((initial, heads)) = INITIALS.iter().find(|(i, _)| jyutping.starts_with(i)) else {
        return Vec::new();
    };
    let rest = &jyutping[initial.len()..];
    // Longest final first: "aang" before "aa"; a final not in the table is
    // written as it is.
    let tails: Vec<String> = match FINALS
        .iter()
        .filter(|(f, _)| rest.starts_with(f))
        .max_by_key(|(f, _)| f.len())
    {
        Some((f, spellings)) => spellings
            .iter()
            .map(|t| format!("{t}{}", &rest[f.len()..]))
            .collect(),
        None => vec![rest.to_string()],
    };
    let mut out = Vec::new();
    for h in *heads {
        for t in &tails {
            let s = format!("{h}{t}");
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// A word of a Chinese name read as syllables, each Pinyin or Wade-Giles
/// ("zedong" ze·dong, "tsetung" tse·tung), the fewest that spell it.
pub fn chinese_syllables(word: &str) -> Option<Vec<&str>> {
    let set = pinyin_syllables();
    fewest_pieces(word, 7, |piece| {
        set.contains(piece) || !wade_giles(piece).is_empty()
    })
}

/// [`chinese_syllables`], a syllable also romanised from Cantonese
/// ([`cantonese`]: "kachiu" ka·chiu, "yuet").
pub fn chinese_or_cantonese_syllables(word: &str) -> Option<Vec<&str>> {
    let set = pinyin_syllables();
    fewest_pieces(word, 7, |piece| {
        set.contains(piece) || !wade_giles(piece).is_empty() || !cantonese(piece).is_empty()
    })
}

/// Whether two syllables of Chinese names can be one: the same, or one a
/// Wade-Giles spelling of the other (or both of one Pinyin syllable).
pub fn same_chinese_syllable(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (wa, wb) = (wade_giles(a), wade_giles(b));
    wa.iter().any(|p| p == b) || wb.iter().any(|p| p == a) || wa.iter().any(|p| wb.contains(p))
}

/// [`same_chinese_syllable`], or one romanised from Cantonese
/// ([`cantonese`]) and the other Pinyin or Wade-Giles of one character.
pub fn same_chinese_syllable_or_cantonese(a: &str, b: &str) -> bool {
    if same_chinese_syllable(a, b) {
        return true;
    }
    let (wa, wb) = (wade_giles(a), wade_giles(b));
    let (ca, cb) = (cantonese(a), cantonese(b));
    ca.iter().any(|p| p == b || wb.contains(p)) || cb.iter().any(|p| p == a || wa.contains(p))
}
