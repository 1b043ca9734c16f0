//! ISO 3166-1 alpha-3 → alpha-2, for formats that use the two-letter codes
//! (IATI's recipient-country). Every alpha-3 code the domain accepts is here,
//! plus XKX → XK (Kosovo, a user-assigned code in general use; IATI's Country
//! codelist carries XK).

/// Sorted by alpha-3.
#[rustfmt::skip]
const ALPHA3_TO_ALPHA2: &[(&str, &str)] = &[
    ("ABW", "AW"), ("AFG", "AF"), ("AGO", "AO"), ("AIA", "AI"), ("ALA", "AX"), ("ALB", "AL"),
    ("AND", "AD"), ("ARE", "AE"), ("ARG", "AR"), ("ARM", "AM"), ("ASM", "AS"), ("ATA", "AQ"),
    ("ATF", "TF"), ("ATG", "AG"), ("AUS", "AU"), ("AUT", "AT"), ("AZE", "AZ"), ("BDI", "BI"),
    ("BEL", "BE"), ("BEN", "BJ"), ("BES", "BQ"), ("BFA", "BF"), ("BGD", "BD"), ("BGR", "BG"),
    ("BHR", "BH"), ("BHS", "BS"), ("BIH", "BA"), ("BLM", "BL"), ("BLR", "BY"), ("BLZ", "BZ"),
    ("BMU", "BM"), ("BOL", "BO"), ("BRA", "BR"), ("BRB", "BB"), ("BRN", "BN"), ("BTN", "BT"),
    ("BVT", "BV"), ("BWA", "BW"), ("CAF", "CF"), ("CAN", "CA"), ("CCK", "CC"), ("CHE", "CH"),
    ("CHL", "CL"), ("CHN", "CN"), ("CIV", "CI"), ("CMR", "CM"), ("COD", "CD"), ("COG", "CG"),
    ("COK", "CK"), ("COL", "CO"), ("COM", "KM"), ("CPV", "CV"), ("CRI", "CR"), ("CUB", "CU"),
    ("CUW", "CW"), ("CXR", "CX"), ("CYM", "KY"), ("CYP", "CY"), ("CZE", "CZ"), ("DEU", "DE"),
    ("DJI", "DJ"), ("DMA", "DM"), ("DNK", "DK"), ("DOM", "DO"), ("DZA", "DZ"), ("ECU", "EC"),
    ("EGY", "EG"), ("ERI", "ER"), ("ESH", "EH"), ("ESP", "ES"), ("EST", "EE"), ("ETH", "ET"),
    ("FIN", "FI"), ("FJI", "FJ"), ("FLK", "FK"), ("FRA", "FR"), ("FRO", "FO"), ("FSM", "FM"),
    ("GAB", "GA"), ("GBR", "GB"), ("GEO", "GE"), ("GGY", "GG"), ("GHA", "GH"), ("GIB", "GI"),
    ("GIN", "GN"), ("GLP", "GP"), ("GMB", "GM"), ("GNB", "GW"), ("GNQ", "GQ"), ("GRC", "GR"),
    ("GRD", "GD"), ("GRL", "GL"), ("GTM", "GT"), ("GUF", "GF"), ("GUM", "GU"), ("GUY", "GY"),
    ("HKG", "HK"), ("HMD", "HM"), ("HND", "HN"), ("HRV", "HR"), ("HTI", "HT"), ("HUN", "HU"),
    ("IDN", "ID"), ("IMN", "IM"), ("IND", "IN"), ("IOT", "IO"), ("IRL", "IE"), ("IRN", "IR"),
    ("IRQ", "IQ"), ("ISL", "IS"), ("ISR", "IL"), ("ITA", "IT"), ("JAM", "JM"), ("JEY", "JE"),
    ("JOR", "JO"), ("JPN", "JP"), ("KAZ", "KZ"), ("KEN", "KE"), ("KGZ", "KG"), ("KHM", "KH"),
    ("KIR", "KI"), ("KNA", "KN"), ("KOR", "KR"), ("KWT", "KW"), ("LAO", "LA"), ("LBN", "LB"),
    ("LBR", "LR"), ("LBY", "LY"), ("LCA", "LC"), ("LIE", "LI"), ("LKA", "LK"), ("LSO", "LS"),
    ("LTU", "LT"), ("LUX", "LU"), ("LVA", "LV"), ("MAC", "MO"), ("MAF", "MF"), ("MAR", "MA"),
    ("MCO", "MC"), ("MDA", "MD"), ("MDG", "MG"), ("MDV", "MV"), ("MEX", "MX"), ("MHL", "MH"),
    ("MKD", "MK"), ("MLI", "ML"), ("MLT", "MT"), ("MMR", "MM"), ("MNE", "ME"), ("MNG", "MN"),
    ("MNP", "MP"), ("MOZ", "MZ"), ("MRT", "MR"), ("MSR", "MS"), ("MTQ", "MQ"), ("MUS", "MU"),
    ("MWI", "MW"), ("MYS", "MY"), ("MYT", "YT"), ("NAM", "NA"), ("NCL", "NC"), ("NER", "NE"),
    ("NFK", "NF"), ("NGA", "NG"), ("NIC", "NI"), ("NIU", "NU"), ("NLD", "NL"), ("NOR", "NO"),
    ("NPL", "NP"), ("NRU", "NR"), ("NZL", "NZ"), ("OMN", "OM"), ("PAK", "PK"), ("PAN", "PA"),
    ("PCN", "PN"), ("PER", "PE"), ("PHL", "PH"), ("PLW", "PW"), ("PNG", "PG"), ("POL", "PL"),
    ("PRI", "PR"), ("PRK", "KP"), ("PRT", "PT"), ("PRY", "PY"), ("PSE", "PS"), ("PYF", "PF"),
    ("QAT", "QA"), ("REU", "RE"), ("ROU", "RO"), ("RUS", "RU"), ("RWA", "RW"), ("SAU", "SA"),
    ("SDN", "SD"), ("SEN", "SN"), ("SGP", "SG"), ("SGS", "GS"), ("SHN", "SH"), ("SJM", "SJ"),
    ("SLB", "SB"), ("SLE", "SL"), ("SLV", "SV"), ("SMR", "SM"), ("SOM", "SO"), ("SPM", "PM"),
    ("SRB", "RS"), ("SSD", "SS"), ("STP", "ST"), ("SUR", "SR"), ("SVK", "SK"), ("SVN", "SI"),
    ("SWE", "SE"), ("SWZ", "SZ"), ("SXM", "SX"), ("SYC", "SC"), ("SYR", "SY"), ("TCA", "TC"),
    ("TCD", "TD"), ("TGO", "TG"), ("THA", "TH"), ("TJK", "TJ"), ("TKL", "TK"), ("TKM", "TM"),
    ("TLS", "TL"), ("TON", "TO"), ("TTO", "TT"), ("TUN", "TN"), ("TUR", "TR"), ("TUV", "TV"),
    ("TWN", "TW"), ("TZA", "TZ"), ("UGA", "UG"), ("UKR", "UA"), ("UMI", "UM"), ("URY", "UY"),
    ("USA", "US"), ("UZB", "UZ"), ("VAT", "VA"), ("VCT", "VC"), ("VEN", "VE"), ("VGB", "VG"),
    ("VIR", "VI"), ("VNM", "VN"), ("VUT", "VU"), ("WLF", "WF"), ("WSM", "WS"), ("XKX", "XK"),
    ("YEM", "YE"), ("ZAF", "ZA"), ("ZMB", "ZM"), ("ZWE", "ZW"),
];

/// The ISO 3166-1 alpha-2 code of an alpha-3 code (`IRQ` → `IQ`), or `None`
/// for anything that is not a country code.
pub fn alpha2(alpha3: &str) -> Option<&'static str> {
    ALPHA3_TO_ALPHA2
        .binary_search_by(|(a3, _)| (*a3).cmp(alpha3))
        .ok()
        .map(|i| ALPHA3_TO_ALPHA2[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::ISO_3166_ALPHA3;

    #[test]
    fn the_table_covers_exactly_the_domain_countries() {
        assert!(ALPHA3_TO_ALPHA2.windows(2).all(|w| w[0].0 < w[1].0));
        let ours: Vec<&str> = ALPHA3_TO_ALPHA2.iter().map(|(a3, _)| *a3).collect();
        assert_eq!(ours, ISO_3166_ALPHA3);
        let mut twos: Vec<&str> = ALPHA3_TO_ALPHA2.iter().map(|(_, a2)| *a2).collect();
        assert!(twos
            .iter()
            .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        twos.sort_unstable();
        twos.dedup();
        assert_eq!(
            twos.len(),
            ALPHA3_TO_ALPHA2.len(),
            "alpha-2 codes are unique"
        );
    }

    #[test]
    fn lookups() {
        assert_eq!(alpha2("IRQ"), Some("IQ"));
        assert_eq!(alpha2("GBR"), Some("GB"));
        assert_eq!(alpha2("SRB"), Some("RS"));
        assert_eq!(alpha2("XKX"), Some("XK"));
        assert_eq!(alpha2("NATO"), None);
        assert_eq!(alpha2("irq"), None);
    }
}
