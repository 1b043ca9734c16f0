//! Name normalisation: case, diacritics, punctuation, Arabic (and Cyrillic)
//! script to Latin, Arabic name particles and compounds, and the consonant
//! skeleton that makes Mohammed / Muhammad / Mohamad / محمد compare equal.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

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
}

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
struct RawWord {
    text: String,
    from_script: bool,
    hyphen_after: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | '`' | 'ʿ' | 'ʾ' | 'ʼ' | '´' | 'ʻ' | '′'
    )
}

/// Transliterates one Arabic-script word, handling the article and عبد.
fn arabic_word(w: &str) -> String {
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
    let n = w.chars().count();
    for (i, c) in w.chars().enumerate() {
        match c {
            // Word-final ta marbuta / ha: vanish as the final h of Latin does.
            'ة' | 'ه' if i + 1 == n && i > 0 => out.push('a'),
            _ => {
                if let Some(s) = arabic_letter(c) {
                    out.push_str(s);
                }
            }
        }
    }
    out
}

/// Splits text into lower-case Latin words, transliterating other scripts.
fn raw_words(s: &str) -> Vec<RawWord> {
    let mut out: Vec<RawWord> = Vec::new();
    let mut cur = String::new();
    let mut cur_arabic = String::new();
    let mut cur_script = false;
    let flush = |cur: &mut String,
                 cur_arabic: &mut String,
                 cur_script: &mut bool,
                 out: &mut Vec<RawWord>,
                 hyphen: bool| {
        if !cur_arabic.is_empty() {
            cur.push_str(&arabic_word(cur_arabic));
            cur_arabic.clear();
        }
        if !cur.is_empty() {
            out.push(RawWord {
                text: std::mem::take(cur),
                from_script: *cur_script,
                hyphen_after: hyphen,
            });
        } else if hyphen {
            if let Some(l) = out.last_mut() {
                l.hyphen_after = true;
            }
        }
        *cur_script = false;
    };
    for c in s.nfkd() {
        if is_combining_mark(c)
            || c == 'ـ'
            || c == '\u{200c}'
            || c == '\u{200d}'
            || is_apostrophe(c)
        {
            continue;
        }
        if is_arabic(c) && arabic_letter(c).is_some() {
            cur_arabic.push(c);
            cur_script = true;
            continue;
        }
        if !cur_arabic.is_empty() {
            cur.push_str(&arabic_word(&cur_arabic));
            cur_arabic.clear();
        }
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            let lower: String = c.to_lowercase().collect();
            for l in lower.chars() {
                if let Some(t) = latin_special(l) {
                    cur.push_str(t);
                } else if let Some(t) = cyrillic_letter(l) {
                    cur.push_str(t);
                    cur_script = true;
                } else if l.is_alphanumeric() {
                    cur.push(l);
                    if !is_latin(l) {
                        cur_script = true;
                    }
                }
            }
        } else {
            flush(
                &mut cur,
                &mut cur_arabic,
                &mut cur_script,
                &mut out,
                c == '-' || c == '‐',
            );
        }
    }
    flush(&mut cur, &mut cur_arabic, &mut cur_script, &mut out, false);
    out
}

/// Whole-token spelling replacements whose skeletons would otherwise differ.
fn variant(t: &str) -> Option<&'static str> {
    Some(match t {
        "mohd" | "mhd" | "md" | "mohamadou" | "mehmet" | "mehmed" | "mamadou" => "muhammad",
        "ahmet" => "ahmad",
        "gamal" => "jamal",
        "gamil" => "jamil",
        "abdoulaye" | "abdulai" => "abdallah",
        "yahia" | "yahiya" | "yehia" | "yehya" => "yahya",
        "osman" => "uthman",
        "hamza" | "hamzah" | "hamzeh" => "hamza",
        _ => return None,
    })
}

const ABD_PREFIXES: [&str; 15] = [
    "abdoul", "abdul", "abdel", "abdal", "abdol", "abdur", "abdar", "abder", "abdus", "abdas",
    "abdes", "abdu", "abde", "abdi", "abd",
];

fn particle(t: &str) -> Option<&'static str> {
    Some(match t {
        "bin" | "ben" | "ibn" | "bn" | "ibin" | "ebn" | "ibni" => "bin",
        "bint" | "bent" | "binti" => "bint",
        "abu" | "abou" | "abo" | "aboo" | "abi" | "abul" | "abou-" => "abu",
        "umm" | "um" | "oum" | "om" | "omm" => "umm",
        "ould" | "wuld" | "walad" | "weld" | "wld" => "ould",
        _ => return None,
    })
}

fn is_article(t: &str, hyphen_after: bool) -> bool {
    matches!(t, "al" | "el" | "ul" | "il")
        || (hyphen_after
            && matches!(
                t,
                "ad" | "ar"
                    | "as"
                    | "ash"
                    | "at"
                    | "az"
                    | "an"
                    | "ud"
                    | "ur"
                    | "us"
                    | "ed"
                    | "er"
                    | "es"
                    | "et"
                    | "en"
                    | "ez"
                    | "ath"
                    | "adh"
                    | "ush"
            ))
}

fn is_stop(t: &str) -> bool {
    matches!(
        t,
        "ltd"
            | "limited"
            | "llc"
            | "inc"
            | "co"
            | "corp"
            | "corporation"
            | "company"
            | "sa"
            | "sarl"
            | "gmbh"
            | "ag"
            | "plc"
            | "jsc"
            | "ojsc"
            | "cjsc"
            | "pjsc"
            | "fze"
            | "fzco"
            | "the"
            | "of"
            | "and"
            | "for"
            | "de"
            | "del"
            | "la"
            | "le"
            | "du"
            | "des"
            | "et"
            | "y"
            | "und"
    )
}

/// Generic words of organisation names: they count, but little.
fn is_generic(t: &str) -> bool {
    matches!(
        t,
        "trading"
            | "trade"
            | "international"
            | "islamic"
            | "bank"
            | "group"
            | "foundation"
            | "movement"
            | "organization"
            | "organisation"
            | "development"
            | "industries"
            | "industrial"
            | "industry"
            | "shipping"
            | "petroleum"
            | "oil"
            | "energy"
            | "services"
            | "service"
            | "charitable"
            | "society"
            | "branch"
            | "trust"
            | "holding"
            | "holdings"
            | "enterprise"
            | "enterprises"
            | "investment"
            | "investments"
            | "commercial"
            | "national"
            | "general"
            | "association"
            | "center"
            | "centre"
            | "institute"
            | "office"
            | "agency"
            | "front"
            | "army"
            | "brigade"
            | "brigades"
            | "battalion"
            | "party"
            | "republic"
            | "korea"
            | "iran"
            | "iranian"
            | "global"
            | "navigation"
            | "maritime"
            | "marine"
            | "line"
            | "lines"
            | "import"
            | "export"
            | "exchange"
            | "sociedad"
            | "empresa"
            | "grupo"
            | "comercial"
            | "inversiones"
            | "compania"
            | "air"
            | "airlines"
            | "airways"
            | "aviation"
    )
}

/// Common given names and name elements: matching only these proves little.
fn is_common(skel: &str) -> bool {
    matches!(
        skel,
        "mhmd"
            | "hmd"
            | "l"
            | "bdl"
            | "hsn"
            | "brhm"
            | "mhmwd"
            | "kld"
            | "mr"
            | "sm"
            | "sf"
            | "bkr"
            | "sd"
            | "sl"
            | "bd"
            | "dn"
            | "bdrhmn"
            | "ysf"
            | "mstf"
            | "krm"
            | "jml"
            | "hmz"
            | "slmn"
            | "xk"
            | "rhmn"
    )
}

/// Consonant skeleton of a lower-case ASCII token.
pub fn skeleton(t: &str) -> String {
    let b: Vec<u8> = t.bytes().collect();
    let mut s: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
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

fn make_token(text: String, from_script: bool, kind: TokenKind) -> Token {
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
    Token {
        text,
        skel,
        kind,
        from_script,
        weight,
    }
}

/// Normalises a name into tokens.
pub fn tokenize(name: &str) -> Vec<Token> {
    let words = raw_words(name);
    // 1. drop articles, map particles, split "-uddin" compounds.
    let mut parts: Vec<(String, bool, TokenKind)> = Vec::new();
    for w in &words {
        let t = w.text.as_str();
        if is_article(t, w.hyphen_after) && words.len() > 1 {
            continue;
        }
        if let Some(p) = particle(t) {
            parts.push((p.to_string(), w.from_script, TokenKind::Particle));
            continue;
        }
        if matches!(
            t,
            "eddine"
                | "eddin"
                | "uddin"
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
            parts.push(("din".to_string(), w.from_script, TokenKind::Word));
            continue;
        }
        let mut split = false;
        for suf in [
            "uddin", "uddeen", "eddine", "eddin", "addin", "iddin", "aldin", "eldin", "ud-din",
        ] {
            if let Some(stem) = t.strip_suffix(suf) {
                if stem.len() >= 3 {
                    parts.push((stem.to_string(), w.from_script, TokenKind::Word));
                    parts.push(("din".to_string(), w.from_script, TokenKind::Word));
                    split = true;
                    break;
                }
            }
        }
        if !split {
            let kind = if t.chars().count() == 1 && t.chars().all(char::is_alphabetic) {
                TokenKind::Initial
            } else if is_stop(t) && words.len() > 1 {
                TokenKind::Stop
            } else {
                TokenKind::Word
            };
            parts.push((t.to_string(), w.from_script, kind));
        }
    }
    // 2. abd + next part -> one token; "allah"/"ullah" joins the part before.
    let mut merged: Vec<(String, bool, TokenKind)> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let (t, fs, kind) = parts[i].clone();
        if kind == TokenKind::Word {
            if ABD_PREFIXES.contains(&t.as_str())
                && i + 1 < parts.len()
                && parts[i + 1].2 == TokenKind::Word
            {
                let next = &parts[i + 1].0;
                let next = if next == "ullah" || next == "llah" {
                    "allah"
                } else {
                    next.as_str()
                };
                merged.push((format!("abd{next}"), fs || parts[i + 1].1, TokenKind::Word));
                i += 2;
                continue;
            }
            if matches!(t.as_str(), "allah" | "ullah" | "llah" | "ollah") {
                if let Some(prev) = merged.last_mut() {
                    if prev.2 == TokenKind::Word {
                        prev.0.push_str("allah");
                        i += 1;
                        continue;
                    }
                }
            }
            if let Some(p) = ABD_PREFIXES
                .iter()
                .find(|p| t.starts_with(*p) && t.len() >= p.len() + 3 && p.len() > 3)
            {
                merged.push((format!("abd{}", &t[p.len()..]), fs, kind));
                i += 1;
                continue;
            }
            if t.starts_with("abd") && t.len() >= 6 {
                merged.push((t.clone(), fs, kind));
                i += 1;
                continue;
            }
        }
        merged.push((t, fs, kind));
        i += 1;
    }
    // Runs of single letters ("S.A. de C.V.", "L.L.C.") are legal forms, not initials.
    let n = merged.len();
    for i in 0..n {
        if merged[i].2 == TokenKind::Initial {
            let prev = i > 0
                && matches!(merged[i - 1].2, TokenKind::Initial | TokenKind::Stop)
                && merged[i - 1].0.len() <= 2;
            let next = i + 1 < n
                && matches!(merged[i + 1].2, TokenKind::Initial | TokenKind::Stop)
                && merged[i + 1].0.len() <= 2;
            if prev || next {
                merged[i].2 = TokenKind::Stop;
            }
        }
    }
    merged
        .into_iter()
        .map(|(t, fs, k)| make_token(t, fs, k))
        .collect()
}

/// Lower-case ASCII form of a name, tokens joined by spaces (for display/debug).
pub fn normalize(name: &str) -> String {
    tokenize(name)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Canonical key for a country or nationality: ISO 3166 alpha-2 where known
/// (`Iraqi`, `Iraq`, `IQ` -> `iq`), else the folded lower-case name.
pub fn country_key(s: &str) -> String {
    let k: String = s
        .nfkd()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let code = match k.as_str() {
        "afghanistan" | "afghan" => "af",
        "algeria" | "algerian" => "dz",
        "bahrain" | "bahraini" => "bh",
        "belgium" | "belgian" => "be",
        "bosniaandherzegovina" | "bosnian" => "ba",
        "china" | "chinese" => "cn",
        "democraticpeoplesrepublicofkorea" | "northkorea" | "northkorean" | "dprk" => "kp",
        "democraticrepublicofthecongo" | "congolese" => "cd",
        "egypt" | "egyptian" => "eg",
        "france" | "french" => "fr",
        "germany" | "german" => "de",
        "india" | "indian" => "in",
        "indonesia" | "indonesian" => "id",
        "iran" | "iranian" | "iranislamicrepublicof" | "islamicrepublicofiran" => "ir",
        "iraq" | "iraqi" => "iq",
        "jordan" | "jordanian" => "jo",
        "kuwait" | "kuwaiti" => "kw",
        "lebanon" | "lebanese" => "lb",
        "libya" | "libyan" | "libyanarabjamahiriya" => "ly",
        "mali" | "malian" => "ml",
        "mauritania" | "mauritanian" => "mr",
        "morocco" | "moroccan" => "ma",
        "nigeria" | "nigerian" => "ng",
        "oman" | "omani" => "om",
        "pakistan" | "pakistani" => "pk",
        "palestine" | "palestinian" | "stateofpalestine" => "ps",
        "philippines" | "filipino" => "ph",
        "qatar" | "qatari" => "qa",
        "russia" | "russian" | "russianfederation" => "ru",
        "saudiarabia" | "saudi" | "saudiarabian" => "sa",
        "somalia" | "somali" => "so",
        "sudan" | "sudanese" => "sd",
        "southsudan" | "southsudanese" => "ss",
        "syria" | "syrian" | "syrianarabrepublic" => "sy",
        "tunisia" | "tunisian" => "tn",
        "turkey" | "turkish" | "turkiye" => "tr",
        "unitedarabemirates" | "uae" | "emirati" => "ae",
        "unitedkingdom" | "british" | "uk" | "unitedkingdomofgreatbritainandnorthernireland" => {
            "gb"
        }
        "unitedstates" | "unitedstatesofamerica" | "usa" | "american" => "us",
        "yemen" | "yemeni" => "ye",
        "cuba" | "cuban" => "cu",
        "venezuela" | "venezuelan" => "ve",
        "colombia" | "colombian" => "co",
        "mexico" | "mexican" => "mx",
        "kenya" | "kenyan" => "ke",
        "tanzania" | "unitedrepublicoftanzania" | "tanzanian" => "tz",
        "uganda" | "ugandan" => "ug",
        "rwanda" | "rwandan" => "rw",
        "centralafricanrepublic" => "cf",
        _ => "",
    };
    if !code.is_empty() {
        code.to_string()
    } else {
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(normalize(input), expected, "normalize({input:?})");
    }

    fn check_skel(input: &str, expected: &str) {
        let got: Vec<String> = tokenize(input).into_iter().map(|t| t.skel).collect();
        assert_eq!(got.join(" "), expected, "skeletons of {input:?}");
    }

    #[test]
    fn case_diacritics_punctuation() {
        check("JOSÉ  María O'Neill", "jose maria oneill");
        check("Saif Al-'Adil", "saif adil");
        check("Müller-Lüdenscheidt GmbH", "muller ludenscheidt gmbh");
    }

    #[test]
    fn particles_and_compounds() {
        check("Abd al-Rahman", "abdrahman");
        check("Abdul Rahman", "abdrahman");
        check("Abdelrahman", "abdrahman");
        check("Abdurrahman", "abdrahman");
        check("Salah al-Din", "salah din");
        check("Salahuddin", "salah din");
        check("Nasr Allah", "nasrallah");
        check("Usama bin Ladin", "usama bin ladin");
        check("Abou Mohamed ibn Ali", "abu mohamed bin ali");
        check("Mohd Ali", "muhammad ali");
    }

    #[test]
    fn transliteration_variants_share_skeletons() {
        for v in ["Mohammed", "Muhammad", "Mohamed", "Mohamad", "محمد"] {
            check_skel(v, "mhmd");
        }
        for v in ["Husayn", "Hussein", "Hussain", "حسين"] {
            check_skel(v, "hsn");
        }
        for v in ["Yusuf", "Yousef", "Youssef", "يوسف"] {
            check_skel(v, "ysf");
        }
        check_skel("Ahmad", "hmd");
        check_skel("Ahmed", "hmd");
        check_skel("عبد الرحمن", "bdrhmn");
        check_skel("Abdel Rahman", "bdrhmn");
        check_skel("Qadhafi", "kdf");
        check_skel("Gaddafi", "kdf");
    }

    #[test]
    fn arabic_script_to_latin() {
        check("محمد صلاح الدين", "mhmd slah dyn");
        check("عبدالله", "abdlah");
        check("أبو بكر", "abu bkr");
    }

    #[test]
    fn countries() {
        assert_eq!(country_key("Iraqi"), "iq");
        assert_eq!(country_key("IQ"), "iq");
        assert_eq!(country_key("Syrian Arab Republic"), "sy");
        assert_eq!(country_key("Atlantis"), "atlantis");
    }

    #[test]
    fn no_panic_on_odd_input() {
        for s in [
            "", " ", "-", "'''", "\u{200d}", "ـــ", "a", "ال", "عبد", "AbdAbd", "1234", "漢字", "x",
        ] {
            let _ = tokenize(s);
        }
    }
}
