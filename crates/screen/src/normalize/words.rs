//! Token rules and word tables: spelling variants, Abd- prefixes, particles,
//! articles, titles, function words, legal forms, generic and common words.

/// Whole-token spelling replacements whose skeletons would otherwise differ.
pub(super) fn variant(t: &str) -> Option<&'static str> {
    Some(match t {
        "mohd" | "mhd" | "md" | "mohamadou" | "mehmet" | "mehmed" | "mamadou" | "mamadu" => {
            "muhammad"
        }
        "ahmet" => "ahmad",
        // Legal forms written out or abbreviated.
        "limited" => "ltd",
        "incorporated" => "inc",
        "corporation" => "corp",
        "company" => "co",
        "gamal" => "jamal",
        "gamil" => "jamil",
        "abdoulaye" | "abdulai" => "abdallah",
        "yahia" | "yahiya" | "yehia" | "yehya" => "yahya",
        "osman" => "uthman",
        "hamza" | "hamzah" | "hamzeh" => "hamza",
        _ => return None,
    })
}

pub(super) const ABD_PREFIXES: [&str; 15] = [
    "abdoul", "abdul", "abdel", "abdal", "abdol", "abdur", "abdar", "abder", "abdus", "abdas",
    "abdes", "abdu", "abde", "abdi", "abd",
];

/// "Abdul" with one letter wrong (Adbul, Addul, Abdl, Adul, Abaul): so
/// common on the lists that its typos are worth recognising, but never a
/// name of its own (Adel, Abel).
pub(super) fn abd_misspelt(t: &str) -> bool {
    if !(3..=6).contains(&t.len())
        || !t.starts_with('a')
        || matches!(t, "adel" | "abel" | "abul" | "adil" | "abdu")
    {
        return false;
    }
    ["abdul", "abdel", "abdoul", "abdur", "abdus"]
        .iter()
        .any(|p| damerau1(t.as_bytes(), p.as_bytes()))
}

/// Whether two words differ by exactly one deletion, insertion, substitution
/// or swap of neighbours.
fn damerau1(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let pre = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    match long.len() - short.len() {
        0 => {
            short[pre + 1..] == long[pre + 1..]
                || (pre + 1 < short.len()
                    && short[pre] == long[pre + 1]
                    && short[pre + 1] == long[pre]
                    && short[pre + 2..] == long[pre + 2..])
        }
        1 => short[pre..] == long[pre + 1..],
        _ => false,
    }
}

/// "abd", "abdul", "abdel", ... standing alone (not glued to what follows).
pub(crate) fn is_abd_prefix(t: &str) -> bool {
    t.starts_with("abd") && ABD_PREFIXES.contains(&t)
}

pub(super) fn particle(t: &str) -> Option<&'static str> {
    Some(match t {
        "bin" | "ben" | "ibn" | "bn" | "ibin" | "ebn" | "ibni" => "bin",
        "bint" | "bent" | "binti" => "bint",
        "abu" | "abou" | "abo" | "aboo" | "abi" | "abul" | "abou-" => "abu",
        "umm" | "um" | "oum" | "om" | "omm" => "umm",
        "ould" | "wuld" | "walad" | "weld" | "wld" => "ould",
        _ => return None,
    })
}

pub(super) fn is_article(t: &str, hyphen_after: bool, next: Option<&str>) -> bool {
    // "il" only hyphenated: standing alone it is a Korean name (Kim Il Sung).
    if matches!(t, "al" | "el") || (hyphen_after && t == "il") {
        return true;
    }
    // "ul", "ur", "ud" hyphenated or before a word (Harakat ul Mujahidin),
    // not before a syllable: UL JI BONG is a Korean ship's name.
    if matches!(t, "ul" | "ur" | "ud") {
        return hyphen_after || next.is_some_and(|n| n.len() >= 3);
    }
    // The article assimilated to a sun letter is written with that letter
    // and a hyphen, and the next word starts with it: an-Nasr, as-Sayyid,
    // ad-Din, ash-Shami. "En-lai" (a Chinese name) is not one.
    hyphen_after
        && matches!(
            t,
            "ad" | "ar"
                | "as"
                | "ash"
                | "at"
                | "az"
                | "an"
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
        )
        && next.is_some_and(|n| n.len() > t.len() && n.starts_with(&t[1..]))
}

/// Titles and ranks in front of people's names: not part of the name.
pub(super) fn is_title(t: &str) -> bool {
    matches!(
        t,
        "dr" | "doctor"
            | "prof"
            | "professor"
            | "eng"
            | "engineer"
            | "mr"
            | "mrs"
            | "ms"
            | "sheikh"
            | "shaykh"
            | "shaikh"
            | "sheik"
            | "cheikh"
            | "haji"
            | "hajji"
            | "hadji"
            | "alhaji"
            | "hajj"
            | "mullah"
            | "mulla"
            | "molla"
            | "maulavi"
            | "mawlawi"
            | "maulvi"
            | "moulavi"
            | "mawlavi"
            | "maulana"
            | "mawlana"
            | "mufti"
            | "qari"
            | "ustadh"
            | "ustad"
            | "ustaz"
            | "general"
            | "gen"
            | "colonel"
            | "col"
            | "brigadier"
            | "captain"
            | "capt"
            | "commander"
            | "lieutenant"
            | "lt"
            | "major"
            | "maj"
            | "sergeant"
            | "sgt"
            | "admiral"
            | "adm"
            | "marshal"
            | "president"
            | "presidente"
            | "minister"
            | "premier"
            | "chairman"
            | "senator"
            | "governor"
            | "ambassador"
            | "prince"
            | "princess"
            | "sir"
            | "excellency"
            | "his"
            | "her"
            | "hon"
            | "honorable"
            | "honourable"
            | "rev"
            | "reverend"
            | "imam"
            | "ayatollah"
            | "hojatoleslam"
            | "mme"
            | "mlle"
            | "monsieur"
            | "madame"
            | "senor"
            | "senora"
            | "herr"
            | "frau"
            | "gospodin"
            | "comrade"
            | "mister"
            | "miss"
            // Heads of state and ranks written before the name (King Salman,
            // Supreme Leader Ali Khamenei, Field Marshal Khalifa Haftar).
            | "emir"
            | "king"
            | "queen"
            | "crown"
            | "royal"
            | "highness"
            | "majesty"
            | "supreme"
            | "leader"
            | "grand"
            | "field"
            | "senior"
            | "vice"
            | "deputy"
            | "chief"
            | "comandante"
            | "commandant"
            // The descendants' honorific, written before the name (Sayyid Ali
            // Akbar Tabatabaei, Syed Salahuddin).
            | "sayyid"
            | "sayyed"
            | "seyyed"
            | "seyed"
            | "syed"
            // Sheikh and President in Arabic script (الشيخ, الرئيس), as the
            // transliteration writes them.
            | "shykh"
            | "ryys"
    )
}

/// Function words of names in several languages (the, of, de, y).
pub(super) fn is_function_word(t: &str) -> bool {
    matches!(
        t,
        "the"
            | "of"
            | "and"
            | "for"
            | "de"
            | "del"
            | "la"
            | "las"
            | "los"
            | "le"
            | "du"
            | "des"
            | "et"
            | "y"
            | "und"
            | "van"
            | "der"
            | "von"
    )
}

/// Function words that are names in a person's name (In, Min, Li, Bi,
/// Ve) but not inside an organisation's (first or last they may be its
/// name: ON Semiconductor, AU Optronics): English, French, Arabic (also as
/// its script is transliterated: في fy, و wa), Persian (va, the ezafe ye)
/// and Turkish.
pub(super) fn is_function_word_of_organisations(t: &str) -> bool {
    matches!(
        t,
        "in" | "on"
            | "at"
            | "to"
            | "au"
            | "aux"
            | "en"
            | "fi"
            | "fy"
            | "wa"
            | "wal"
            | "li"
            | "lil"
            | "bi"
            | "min"
            | "ve"
            | "va"
            | "ye"
            | "pour"
            | "par"
    )
}

/// Legal forms of companies (and their words): they say nothing of which
/// company it is. Only for organisations and vessels: "Ag" and "Co" are
/// also parts of people's names (Iyad Ag Ghaly).
pub(crate) fn is_legal_form(t: &str) -> bool {
    matches!(
        t,
        "ltd"
            | "limited"
            | "llc"
            | "llp"
            | "lp"
            | "inc"
            | "incorporated"
            | "co"
            | "corp"
            | "corporation"
            | "company"
            | "cia"
            | "liability"
            | "joint"
            | "stock"
            | "private"
            | "public"
            | "pte"
            | "pvt"
            | "sa"
            | "sas"
            | "sarl"
            | "sae"
            | "saa"
            | "sac"
            | "srl"
            | "spa"
            | "sl"
            | "ltda"
            | "lda"
            | "eirl"
            | "cv"
            | "gmbh"
            | "ag"
            | "kg"
            | "ohg"
            | "bv"
            | "nv"
            | "ab"
            | "oy"
            | "plc"
            | "jsc"
            | "ojsc"
            | "cjsc"
            | "pjsc"
            | "ooo"
            | "oao"
            | "zao"
            | "pao"
            | "ao"
            | "tov"
            | "fze"
            | "fzco"
            | "fzc"
            | "fzllc"
            | "dmcc"
            | "wll"
            | "spc"
            | "est"
            | "establishment"
            | "bhd"
            | "sdn"
            | "tbk"
            | "pt"
            | "aktsionernoe"
            | "obshchestvo"
            | "otvetstvennostyu"
            | "ogranichennoy"
            | "ogranichennoi"
            | "organichennoi"
            | "zakrytoe"
            | "otkrytoe"
            | "publichnoe"
            | "sirketi"
            | "anonim"
            | "sti"
    )
}

/// Generic words of organisation names: they count, but little.
pub(super) fn is_generic(t: &str) -> bool {
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
pub(super) fn is_common(skel: &str) -> bool {
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

/// A word's spelling with digits that stand for letters read as the letters
/// they look like ("0sama" Osama, "Put1n" Putin, "B1n" Bin), when the word
/// is mostly letters; and ordinals as their number ("1st", "2nd"). Words of
/// digits (vessel and branch numbers) and codes that are mostly digits
/// ("A320") stay as written.
pub(super) fn digits_as_letters(t: &str) -> Option<String> {
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = t.strip_suffix(suffix) {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                return Some(n.trim_start_matches('0').to_string()).filter(|n| !n.is_empty());
            }
        }
    }
    // The article written with a one for its l ("a1-Zawahiri").
    if matches!(t, "a1" | "e1") {
        return Some(t.replacen('1', "l", 1));
    }
    let letters = t.bytes().filter(u8::is_ascii_alphabetic).count();
    if letters <= digits || letters < 2 {
        return None;
    }
    Some(
        t.chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' => 's',
                '7' => 't',
                '8' => 'b',
                c => c,
            })
            .collect(),
    )
}

/// The number a name part stands for: digits, an English, French or
/// Spanish number word or ordinal ("seven", "second", "cinco"), tens and
/// units written together
/// ("eightyeight", from "Eighty-Eight"), or a Roman numeral of a vessel's
/// or branch's number ("III"). "Plant No. 7" / "Plant Number Seven",
/// "Second Economic Committee" / "2nd Economic Committee", "Sea Star III" /
/// "Sea Star 3". The part keeps its spelling: "Sky One" is also a name.
pub(crate) fn number_value(t: &str) -> Option<u32> {
    if !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    if let Some(n) = number_word(t) {
        return n.parse().ok();
    }
    // (Only the tens that start with the part's letter: this runs for
    // every part of every name.)
    let first = *t.as_bytes().first()?;
    for &(tens, base) in TENS.iter().filter(|(w, _)| w.as_bytes()[0] == first) {
        if let Some(unit) = t.strip_prefix(tens) {
            // "vingt et un" is written "vingtetun" once glued.
            let unit = unit
                .strip_prefix("et")
                .filter(|u| !u.is_empty())
                .unwrap_or(unit);
            if unit.is_empty() {
                return Some(base);
            }
            // ("dos" alone is the Portuguese "of the", "uno" a word of
            // names such as Unomasuno; in "veintidos", "treinta y uno" they
            // are numbers.)
            let u: u32 = match unit {
                "uno" => 1,
                "dos" => 2,
                _ => number_word(unit)?.parse().ok()?,
            };
            return (u < 10).then_some(base + u);
        }
    }
    let roman = |c: u8| match c {
        b'i' => Some(1),
        b'v' => Some(5),
        b'x' => Some(10),
        _ => None,
    };
    if (1..=5).contains(&t.len()) {
        let vals: Option<Vec<u32>> = t.bytes().map(roman).collect();
        let vals = vals?;
        let mut n = 0u32;
        for (i, v) in vals.iter().enumerate() {
            if vals.get(i + 1).is_some_and(|next| next > v) {
                n = n.checked_sub(*v)?;
            } else {
                n += v;
            }
        }
        return (n > 0).then_some(n);
    }
    None
}

/// Tens in English, French and Spanish ("Mouvement du vingt-trois mars" is
/// the "Mouvement du 23 mars"; "veintinueve", "dieciseis" and "treinta y
/// dos" are 29, 16 and 32); French seventies to nineties are sums the
/// tokenizer does not glue, so they stay words.
const TENS: [(&str, u32); 24] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("vingt", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
    ("dieci", 10),
    ("veinte", 20),
    ("veinti", 20),
    ("treinta", 30),
    ("cuarenta", 40),
    ("cincuenta", 50),
    ("sesenta", 60),
    ("setenta", 70),
    ("ochenta", 80),
    ("noventa", 90),
    ("ciento", 100),
];

/// English, French and Spanish number words and ordinals as digits ("un",
/// "une", "premier", "uno", "dos", "diez", "segundo", "tercero", "quinto",
/// "septimo" and "decimo" are left out: they are also articles, given names
/// and surnames (Díez, Tercero), and "dos" is the Portuguese "of the").
fn number_word(t: &str) -> Option<&'static str> {
    Some(match t {
        "one" | "first" => "1",
        "two" | "second" => "2",
        "three" | "third" => "3",
        "four" | "fourth" => "4",
        "five" | "fifth" => "5",
        "six" | "sixth" => "6",
        "seven" | "seventh" => "7",
        "eight" | "eighth" => "8",
        "nine" | "ninth" => "9",
        "ten" | "tenth" => "10",
        "eleven" | "eleventh" => "11",
        "twelve" | "twelfth" => "12",
        "thirteen" | "thirteenth" => "13",
        "fourteen" | "fourteenth" => "14",
        "fifteen" | "fifteenth" => "15",
        "sixteen" | "sixteenth" => "16",
        "seventeen" | "seventeenth" => "17",
        "eighteen" | "eighteenth" => "18",
        "nineteen" | "nineteenth" => "19",
        "hundred" | "hundredth" => "100",
        "deux" | "deuxieme" | "seconde" => "2",
        "trois" | "troisieme" => "3",
        "quatre" | "quatrieme" => "4",
        "cinq" | "cinquieme" => "5",
        "sixieme" => "6",
        "sept" | "septieme" => "7",
        "huit" | "huitieme" => "8",
        "neuf" | "neuvieme" => "9",
        "dix" | "dixieme" => "10",
        "onze" | "onzieme" => "11",
        "douze" | "douzieme" => "12",
        "treize" | "treizieme" => "13",
        "quatorze" | "quatorzieme" => "14",
        "quinze" | "quinzieme" => "15",
        "seize" | "seizieme" => "16",
        "cent" | "centieme" => "100",
        "primero" | "primera" => "1",
        "tres" => "3",
        "cuatro" | "cuarto" | "cuarta" => "4",
        "cinco" => "5",
        "seis" | "sexto" | "sexta" => "6",
        "siete" => "7",
        "ocho" | "octavo" | "octava" => "8",
        "nueve" | "noveno" | "novena" => "9",
        "once" => "11",
        "doce" => "12",
        "trece" => "13",
        "catorce" => "14",
        "quince" => "15",
        "cien" => "100",
        _ => return None,
    })
}

/// Which generation a word after a person's name says (Jr., Santos III):
/// 1 the father, 2 the son (Jr and II alike), 3 and 4 the third and fourth.
pub(crate) fn generation(word: &str) -> Option<u8> {
    match word {
        "sr" | "snr" => Some(1),
        "jr" | "jnr" | "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        _ => None,
    }
}

/// "No." / "Number" before a number in an organisation's or vessel's name
/// ("Plant No. 7"): says nothing of which one it is.
pub(super) fn is_number_sign(t: &str) -> bool {
    // (Korean writes 제 before an ordinal: 제2경제위원회, the Second
    // Economic Committee.)
    matches!(
        t,
        "no" | "nr" | "nro" | "num" | "number" | "nos" | "je" | "che"
    )
}

/// The legal forms, one a line: `data/legal-forms.txt` (OpenSanctions'
/// maintained `fingerprints` package) and this project's additions.
pub(super) const LEGAL_FORMS: &str = concat!(
    include_str!("../../data/legal-forms.txt"),
    include_str!("../../data/legal-forms-extra.txt")
);

/// The legal-form table ([`LEGAL_FORMS`]): every form as its words, by
/// first word.
fn legal_phrases() -> &'static crate::phrases::Phrases<()> {
    use std::sync::OnceLock;
    static TABLE: OnceLock<crate::phrases::Phrases<()>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = crate::phrases::Phrases::default();
        for line in LEGAL_FORMS.lines().filter(|l| !l.starts_with('#')) {
            // A form in Han or Hangul as a person's name is read and as a
            // body's (有限公司: "you xiangongsi", "youxiangongsi").
            let readings = line.split('|').flat_map(|form| {
                [
                    super::script::raw_words(form),
                    super::script::raw_words_of_body(form),
                ]
            });
            for words in readings {
                let words: Vec<String> = words.into_iter().map(|w| w.text).collect();
                // A single word that also says what a company does or is
                // ("import", "international", "cooperative") tells companies
                // apart and keeps its weight.
                let telling = matches!(words.as_slice(), [w] if is_generic(w) || ACTIVITY_FORMS.contains(&w.as_str()));
                // The Uzbek "UK" (unitar korxona) is written as the
                // United Kingdom is, which the lists name far more often.
                let country = matches!(words.as_slice(), [w] if w == "uk");
                if telling || country || words.is_empty() {
                    continue;
                }
                t.entry(words, || ());
            }
        }
        t.longest_first()
    })
}

/// Single words of the legal-form table that name an activity or a kind of
/// body as well as a form.
const ACTIVITY_FORMS: [&str; 15] = [
    "import",
    "export",
    "enterprise",
    "international",
    "internationale",
    "intl",
    "cooperation",
    "cooperative",
    "lojistik",
    "insaat",
    "sanayi",
    "ticaret",
    "tesisat",
    "firma",
    "coop",
];

/// Which of `words` belong to a legal form of the table ("Obshchestvo s
/// Ogranichennoy Otvetstvennostyu", "Sdn Bhd", "GmbH & Co. KG").
pub(super) fn legal_form_words(words: &[&str]) -> Vec<bool> {
    let table = legal_phrases();
    let mut out = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        match table.longest_at(|k| words[k], words.len(), i) {
            Some((n, ())) => {
                out[i..i + n].iter_mut().for_each(|x| *x = true);
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// Endings that make family names (patronymic, "son of", place and clan
/// forms) in Slavic, Armenian, Persian, Turkic, Balkan and English naming,
/// in groups of spellings of one ending. Two names with one stem and
/// endings of different groups are different names: Ivanov / Ivanenko,
/// Karimi / Karimzadeh, Roberts / Robertson, Rashid / Rashidov.
const SURNAME_ENDINGS: &[&[&str]] = &[
    &["ov", "off", "ow", "of"],
    &["ova", "owa"],
    &["ev", "eff", "yev", "iev", "jev"],
    &["eva", "yeva", "ieva"],
    &["in", "yn"],
    &["ina", "yna"],
    &["enko", "enka"],
    // Pavlenkov of Pavlenko: a family name of its own.
    &["enkov", "enkow", "enkoff"],
    &["chenko"],
    &["chuk", "czuk", "tchouk"],
    &["uk", "iuk", "yuk"],
    &["ko"],
    &["sky", "ski", "skiy", "skii", "skyi", "skyy"],
    &["ska", "skaya"],
    // Russian adjectival surnames (Tolstoy, Mozgovoy; Tolstaya).
    &["oy", "oi", "oj"],
    &["aya", "aja"],
    &["ovsky", "ovski", "owski", "ovskiy"],
    &["evsky", "evski", "ewski"],
    &["ovic", "ovich", "owicz", "ovitch", "ovych", "ovici"],
    &["evic", "evich", "ewicz", "evitch", "evych"],
    &["ic", "ich", "icz", "itch"],
    &["ovska", "owska"],
    &["yan", "ian", "jan", "yants", "iants"],
    &["son", "sson", "sen", "ssen"],
    &["s"],
    &["zadeh", "zade", "zada"],
    &["zadegan", "zadehgan"],
    &["pour", "pur", "ipour", "ipur"],
    &["nejad", "nezhad", "nejhad", "nijad", "inejad", "inezhad"],
    &["kian", "kiyan"],
    &["nia", "niya", "inia"],
    &["kia", "kiya"],
    // Karimifar / Karimian: the -i- belongs to the ending.
    &["far", "ifar"],
    // Spanish patronymics (Martinez of Martin, Rodriguez of Rodrigo).
    &["ez", "es"],
    &["man", "mann"],
    &["i", "y", "ee"],
    &["oglu", "ogly", "oghlu", "ogli"],
    &["ci", "ji", "cu"],
    &["el"],
    &["ler", "lar"],
    &["shvili"],
    &["dze"],
    // Persian place and descent endings (Mahmoudabadi, Karimvand, Rostamfard).
    &["abadi"],
    &["rad"],
    &["vand"],
    &["lou", "loo"],
    &["fard"],
    &["doust", "dust", "doost"],
];

/// Endings that lists add or drop in one person's name: an English or
/// Spanish plural-like "s" (Trejo / Trejos), the Persian "-i" (Bakhtiar /
/// Bakhtiari), the feminine or genitive forms of Slavic endings
/// (Melnikov / Melnikova), and -ev / -ov for Russian ё. A Spanish
/// patronymic "-ez" tells a name from its bare stem only (Martinez /
/// Martin), not from another ending (Gonzalez / Gonzalev: a typo).
fn light_difference(a: Option<usize>, b: Option<usize>) -> bool {
    let first = |g: Option<usize>| g.and_then(|g| SURNAME_ENDINGS.get(g)).map(|e| e[0]);
    match (first(a), first(b)) {
        (None, Some("s" | "i")) | (Some("s" | "i"), None) => true,
        (Some(x), Some(y)) => {
            matches!(
                (x.min(y), x.max(y)),
                ("ov", "ova")
                | ("ev", "eva")
                | ("in", "ina")
                | ("ska", "sky")
                // Tolstoy / Tolstaya.
                | ("aya", "oy")
                | ("ovska", "ovsky")
                // Russian ё written e or o: Gorbachev / Gorbachov.
                | ("ev", "ov")
                | ("eva", "ova")
            ) || x == "ez"
                || y == "ez"
        }
        _ => false,
    }
}

/// The ways a name part splits into a stem (of three letters or more) and
/// a family-name ending of [`SURNAME_ENDINGS`]: stem lengths and ending
/// groups, computed once per part (comparing them runs for every pair of
/// parts compared). The bare part is not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndingSplits {
    splits: [(u8, u8); 4],
    len: u8,
}

/// [`SURNAME_ENDINGS`] by their last letter (ASCII): (ending, group).
fn endings_by_last_letter() -> &'static [Vec<(&'static str, u8)>] {
    static TABLE: std::sync::OnceLock<Vec<Vec<(&'static str, u8)>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![Vec::new(); 128];
        for (g, endings) in SURNAME_ENDINGS.iter().enumerate() {
            for e in *endings {
                if let Some(&last) = e.as_bytes().last() {
                    table[usize::from(last & 0x7f)].push((*e, g as u8));
                }
            }
        }
        table
    })
}

impl EndingSplits {
    pub(crate) fn of(w: &str) -> EndingSplits {
        let mut out = EndingSplits::default();
        if !w.is_ascii() || w.len() > 64 {
            return out;
        }
        let Some(&last) = w.as_bytes().last() else {
            return out;
        };
        // Only the endings with the part's last letter, in the table's order
        // (this runs for every part tokenised).
        for &(e, g) in &endings_by_last_letter()[usize::from(last & 0x7f)] {
            if w.len() >= e.len() + 3 && w.ends_with(e) && usize::from(out.len) < out.splits.len() {
                out.splits[usize::from(out.len)] = ((w.len() - e.len()) as u8, g);
                out.len += 1;
            }
        }
        out
    }
    /// (stem length, ending group; `None` for the bare part).
    fn iter(&self, bare: usize) -> impl Iterator<Item = (usize, Option<usize>)> + '_ {
        std::iter::once((bare, None)).chain(
            self.splits[..usize::from(self.len)]
                .iter()
                .map(|&(n, g)| (usize::from(n), Some(usize::from(g)))),
        )
    }
}

/// Whether two spellings end in one family-name ending of four letters or
/// more and their stems differ beyond a spelling (Margoshvili /
/// Margvelashvili, Timchenko / Tkachenko): the shared ending makes the
/// letters alike, not the names.
pub(crate) fn different_stems_of_one_ending(
    a: &str,
    ea: &EndingSplits,
    b: &str,
    eb: &EndingSplits,
    min_jw: f64,
) -> bool {
    for (la, ga) in ea.iter(a.len()).skip(1) {
        for (lb, gb) in eb.iter(b.len()).skip(1) {
            let (Some(sa), Some(sb)) = (a.get(..la), b.get(..lb)) else {
                continue;
            };
            if ga == gb
                && a.len() - la >= 4
                && b.len() - lb >= 4
                && sa != sb
                && crate::score::jaro_winkler(sa, sb) < min_jw
            {
                return true;
            }
        }
    }
    false
}

/// Whether two spellings are one stem with endings of different groups
/// (or one is the bare stem of the other with such an ending): different
/// family names, however alike their letters. Stems are at least three
/// letters; spellings of one ending (Petrosyan / Petrosian), light
/// differences ([`light_difference`]) and some pairs of short endings
/// (Tarabain / Tarabay, as often two transliterations as two names) are
/// not told apart.
pub(crate) fn different_surname_endings(
    a: &str,
    ea: &EndingSplits,
    b: &str,
    eb: &EndingSplits,
) -> bool {
    if (ea.len == 0 && eb.len == 0) || a == b || a.len() < 3 || b.len() < 3 {
        return false;
    }
    // Two letters typed the wrong way round (Lukic / Lukci) are a typo,
    // not another ending.
    if a.len() == b.len() {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        if let Some(i) = (0..x.len()).find(|&i| x[i] != y[i]) {
            if i + 1 < x.len() && x[i] == y[i + 1] && x[i + 1] == y[i] && x[i + 2..] == y[i + 2..] {
                return false;
            }
        }
    }
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    if common < 3 {
        return false;
    }
    let short =
        |g: Option<usize>| g.is_some_and(|g| SURNAME_ENDINGS[g].iter().all(|e| e.len() <= 2));
    // Two short endings are as often two spellings as two names when one is
    // a vowel or an "s" (Tarabain / Tarabay); not -in / -ko (Sechin /
    // Sechko) or -el / -ci (Demirel / Demirci).
    let first = |g: Option<usize>| g.map_or("", |g| SURNAME_ENDINGS[g][0]);
    let loose = |x: Option<usize>, y: Option<usize>| {
        short(x) && short(y) && (matches!(first(x), "i" | "s") || matches!(first(y), "i" | "s"))
    };
    let mut differ = false;
    for (la, ga) in ea.iter(a.len()) {
        for (lb, gb) in eb.iter(b.len()) {
            // Equal stems: the same length, within the common prefix.
            if la == lb && la <= common {
                if ga == gb || light_difference(ga, gb) || loose(ga, gb) {
                    return false;
                }
                differ = true;
            }
        }
    }
    differ
}

/// Tens written apart from their unit ("Thirty-Nine", "eighty eight",
/// "Twenty-First") as one word, so that the number is one part.
pub(super) fn joins_tens(tens: &str, unit: &str) -> bool {
    (TENS.iter().any(|(t, _)| *t == tens)
        && matches!(
            unit,
            "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "first"
                | "second"
                | "third"
                | "fourth"
                | "fifth"
                | "sixth"
                | "seventh"
                | "eighth"
                | "ninth"
                | "deux"
                | "trois"
                | "quatre"
                | "cinq"
                | "sept"
                | "huit"
                | "neuf"
        ))
        || (matches!(
            tens,
            "treinta" | "cuarenta" | "cincuenta" | "sesenta" | "setenta" | "ochenta" | "noventa"
        ) && matches!(
            unit,
            "uno" | "dos" | "tres" | "cuatro" | "cinco" | "seis" | "siete" | "ocho" | "nueve"
        ))
}

/// A Roman numeral of up to four letters (I to XIII and the like).
pub(super) fn is_roman(t: &str) -> bool {
    (1..=4).contains(&t.len()) && t.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'))
}

/// Whether a word begins a form of the legal-form table.
pub(super) fn starts_legal_form(w: &str) -> bool {
    legal_phrases().starts_with(w)
}
