//! Country and nationality keys (ISO 3166 alpha-2).

use unicode_normalization::UnicodeNormalization;

/// Canonical key for a country or nationality: ISO 3166 alpha-2 where known
/// (`Iraqi`, `Iraq`, `IQ`, `IRQ` -> `iq`; a former country by its ISO
/// 3166-3 code, `suhh` for the Soviet Union), else the folded lower-case
/// name.
pub fn country_key(s: &str) -> String {
    let k = folded(s);
    let code = match k.as_str() {
        "afghanistan" | "afghan" | "afg" => "af",
        "algeria" | "algerian" | "dza" => "dz",
        "bahrain" | "bahraini" | "bhr" => "bh",
        "belgium" | "belgian" | "bel" => "be",
        "bosniaandherzegovina" | "bosnian" | "bih" => "ba",
        "china" | "chinese" | "chn" => "cn",
        "democraticpeoplesrepublicofkorea" | "northkorea" | "northkorean" | "dprk" | "prk" => "kp",
        "democraticrepublicofthecongo" | "congolese" | "cod" => "cd",
        "egypt" | "egyptian" | "egy" => "eg",
        "france" | "french" | "fra" => "fr",
        "germany" | "german" | "deu" => "de",
        "india" | "indian" | "ind" => "in",
        "indonesia" | "indonesian" | "idn" => "id",
        "iran" | "iranian" | "iranislamicrepublicof" | "islamicrepublicofiran" | "irn" => "ir",
        "iraq" | "iraqi" | "irq" => "iq",
        "jordan" | "jordanian" | "jor" => "jo",
        "kuwait" | "kuwaiti" | "kwt" => "kw",
        "lebanon" | "lebanese" | "lbn" => "lb",
        "libya" | "libyan" | "libyanarabjamahiriya" | "lby" => "ly",
        "mali" | "malian" | "mli" => "ml",
        "mauritania" | "mauritanian" | "mrt" => "mr",
        "morocco" | "moroccan" | "mar" => "ma",
        "nigeria" | "nigerian" | "nga" => "ng",
        "oman" | "omani" | "omn" => "om",
        "pakistan" | "pakistani" | "pak" => "pk",
        "palestine" | "palestinian" | "stateofpalestine" | "pse" => "ps",
        "philippines" | "filipino" | "phl" => "ph",
        "qatar" | "qatari" | "qat" => "qa",
        "russia" | "russian" | "russianfederation" | "rus" => "ru",
        "saudiarabia" | "saudi" | "saudiarabian" | "sau" => "sa",
        "somalia" | "somali" | "som" => "so",
        "sudan" | "sudanese" | "sdn" => "sd",
        "southsudan" | "southsudanese" | "ssd" => "ss",
        "syria" | "syrian" | "syrianarabrepublic" | "syr" => "sy",
        "tunisia" | "tunisian" | "tun" => "tn",
        "turkey" | "turkish" | "turkiye" | "tur" => "tr",
        "unitedarabemirates" | "uae" | "emirati" | "are" => "ae",
        "unitedkingdom"
        | "british"
        | "uk"
        | "gbr"
        | "unitedkingdomofgreatbritainandnorthernireland" => "gb",
        "unitedstates" | "unitedstatesofamerica" | "usa" | "american" => "us",
        "yemen" | "yemeni" | "yem" => "ye",
        "cuba" | "cuban" | "cub" => "cu",
        "venezuela" | "venezuelan" | "ven" => "ve",
        "colombia" | "colombian" | "col" => "co",
        "mexico" | "mexican" | "mex" => "mx",
        "kenya" | "kenyan" | "ken" => "ke",
        "tanzania" | "unitedrepublicoftanzania" | "tanzanian" | "tza" => "tz",
        "uganda" | "ugandan" | "uga" => "ug",
        "rwanda" | "rwandan" | "rwa" => "rw",
        "centralafricanrepublic" | "caf" => "cf",
        _ => "",
    };
    if !code.is_empty() {
        code.to_string()
    } else if let Some(code) = countries().get(k.as_str()) {
        (*code).to_string()
    } else {
        k
    }
}

/// `s`'s letters only, lower-case, without accents ("Côte d'Ivoire" ->
/// "cotedivoire"): how [`country_key`] and the table compare names.
fn folded(s: &str) -> String {
    s.nfkd()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every country's English name and full name, [`folded`], to its code (`data/countries.txt`, from OpenSanctions' maintained
/// `rigour` package). The names written above in [`country_key`] add
/// nationalities and codes the lists use.
fn countries() -> &'static crate::index::FxMap<String, &'static str> {
    static TABLE: std::sync::OnceLock<crate::index::FxMap<String, &'static str>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = crate::index::FxMap::default();
        for line in include_str!("../../data/countries.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
        {
            let mut fields = line.split('|');
            let Some(code) = fields.next() else { continue };
            for name in fields {
                t.entry(folded(name)).or_insert(code);
            }
        }
        t
    })
}
