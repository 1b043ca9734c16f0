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

pub(super) fn is_article(t: &str, hyphen_after: bool) -> bool {
    // "il" only hyphenated: standing alone it is a Korean name (Kim Il Sung).
    matches!(t, "al" | "el" | "ul" | "ur" | "ud")
        || (hyphen_after
            && matches!(
                t,
                "il" | "ad"
                    | "ar"
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

/// Legal forms of companies (and their words): they say nothing of which
/// company it is. Only for organisations and vessels: "Ag" and "Co" are
/// also parts of people's names (Iyad Ag Ghaly).
pub(super) fn is_legal_form(t: &str) -> bool {
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
