//! The interface's languages: Fluent message catalogues (English, French,
//! Arabic) embedded in the binary, the language chosen per user, and
//! numbers and dates written as each language writes them.
//!
//! A message missing from a catalogue falls back to English (and is
//! logged); a test checks that the three catalogues hold the same
//! messages and that every message a template asks for exists.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// A language the interface is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Ar,
}

/// The cookie that remembers the language chosen before logging in.
pub const LANG_COOKIE: &str = "coalesce_lang";

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Ar];

    /// The BCP 47 code, as `<html lang>` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ar => "ar",
        }
    }

    /// The direction of its script, as `<html dir>` takes it.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// Its name in itself, as a language chooser shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Ar => "العربية",
        }
    }

    /// A language tag ("fr", "fr-BE", "AR") as one of ours, by its
    /// primary subtag.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language an `Accept-Language` header prefers most among ours
    /// (by its q-values; the first listed wins a tie).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',').take(32) {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// How numbers are written: digits, group separator, decimal separator.
    fn digits(self) -> (&'static [char; 10], &'static str, &'static str) {
        const LATIN: [char; 10] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
        const ARABIC_INDIC: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];
        match self {
            Lang::En => (&LATIN, ",", "."),
            // CLDR: a narrow no-break space between groups, a decimal comma.
            Lang::Fr => (&LATIN, "\u{202F}", ","),
            // CLDR's default numbering system for Arabic.
            Lang::Ar => (&ARABIC_INDIC, "٬", "٫"),
        }
    }
}

/// Each language's catalogue, in files by part of the interface: `core`
/// (layout, log-in, home, search, errors), `needs` (requirements,
/// contributions, who does what where, dashboards, allocation, registry,
/// funds), `records` (reports, entities, notes, records, screening,
/// meetings, administration).
macro_rules! catalogue {
    ($lang:literal) => {
        &[
            include_str!(concat!("../locales/", $lang, "/core.ftl")),
            include_str!(concat!("../locales/", $lang, "/needs.ftl")),
            include_str!(concat!("../locales/", $lang, "/records.ftl")),
        ]
    };
}
const CATALOGUES: [&[&str]; 3] = [catalogue!("en"), catalogue!("fr"), catalogue!("ar")];

static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();

fn bundles() -> &'static [FluentBundle<FluentResource>] {
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Pages mark direction themselves (`dir="auto"` on names);
                // isolation marks around every argument would only get in
                // the way of copying text.
                bundle.set_use_isolating(false);
                bundle.set_formatter(Some(match lang {
                    Lang::En => format_en,
                    Lang::Fr => format_fr,
                    Lang::Ar => format_ar,
                }));
                for src in CATALOGUES[lang.index()] {
                    let resource = match FluentResource::try_new(src.to_string()) {
                        Ok(r) => r,
                        Err((r, errors)) => {
                            tracing::error!(
                                lang = lang.code(),
                                ?errors,
                                "catalogue does not parse"
                            );
                            r
                        }
                    };
                    if let Err(errors) = bundle.add_resource(resource) {
                        tracing::error!(lang = lang.code(), ?errors, "catalogue has duplicates");
                    }
                }
                bundle
            })
            .collect()
    })
}

fn format_with(lang: Lang, v: &FluentValue) -> Option<String> {
    match v {
        FluentValue::Number(n) => Some(format_number(lang, n.value)),
        _ => None,
    }
}
fn format_en(v: &FluentValue, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    format_with(Lang::En, v)
}
fn format_fr(v: &FluentValue, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    format_with(Lang::Fr, v)
}
fn format_ar(v: &FluentValue, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    format_with(Lang::Ar, v)
}

/// The message `id` in `lang` (in English if `lang`'s catalogue lacks it;
/// the id itself, logged, if no catalogue has it).
pub fn tr(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundles = bundles();
    for l in [lang, Lang::En] {
        let bundle = &bundles[l.index()];
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(
                    lang = l.code(),
                    id,
                    ?errors,
                    "message formatted with errors"
                );
            }
            return text.into_owned();
        }
        if l != Lang::En {
            tracing::warn!(lang = l.code(), id, "message missing; shown in English");
        }
    }
    tracing::error!(id, "no catalogue has this message");
    id.to_string()
}

/// `n` as `lang` writes numbers: "12,345.5", "12 345,5", "١٢٬٣٤٥٫٥".
/// Fractions keep the digits `n` has (at most 6).
pub fn format_number(lang: Lang, n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let (digits, group, decimal) = lang.digits();
    let plain = format!("{:.6}", n.abs());
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    if n < 0.0 && (int != "0" || !frac.is_empty()) {
        out.push('-');
    }
    let local = |c: char| c.to_digit(10).map_or(c, |d| digits[d as usize]);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(local(c));
    }
    if !frac.is_empty() {
        out.push_str(decimal);
        out.extend(frac.chars().map(local));
    }
    out
}

/// A day ("2016-12-16", or the date part of a timestamp) as `lang` writes
/// it: "16 Dec 2016", "16 déc. 2016", "١٦ ديسمبر ٢٠١٦". Anything else is
/// returned as it is.
pub fn format_date(lang: Lang, iso: &str) -> String {
    let day = iso.get(..10).unwrap_or(iso);
    let parts: Vec<&str> = day.split('-').collect();
    let [y, m, d] = parts[..] else {
        return iso.to_string();
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return iso.to_string();
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return iso.to_string();
    }
    let (digits, _, _) = lang.digits();
    let local = |n: u32| -> String {
        n.to_string()
            .chars()
            .map(|c| c.to_digit(10).map_or(c, |d| digits[d as usize]))
            .collect()
    };
    let month = tr(lang, &format!("month-{m}"), None);
    format!("{} {month} {}", local(d), local(y))
}

/// The languages as a chooser lists them.
pub fn choices() -> Vec<(&'static str, &'static str)> {
    Lang::ALL
        .into_iter()
        .map(|l| (l.code(), l.own_name()))
        .collect()
}

/// Fluent arguments from name and value pairs.
pub fn args<'a>(pairs: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> FluentArgs<'a> {
    let mut a = FluentArgs::new();
    for (k, v) in pairs {
        a.set(k, v);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;

    /// The message ids of a language's files, each once (a duplicate
    /// fails the test: the bundle would refuse it).
    fn ids(files: &[&str]) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for src in files {
            let res = fluent_syntax::parser::parse(*src).expect("the catalogue parses");
            ids.extend(res.body.iter().filter_map(|e| match e {
                ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            }));
        }
        ids.sort();
        let mut unique = ids.clone();
        unique.dedup();
        assert_eq!(ids, unique, "a message is defined twice");
        ids
    }

    #[test]
    fn the_three_catalogues_parse_and_hold_the_same_messages() {
        let en = ids(CATALOGUES[0]);
        assert!(en.len() > 50, "{} messages", en.len());
        for (lang, src) in [("fr", CATALOGUES[1]), ("ar", CATALOGUES[2])] {
            let other = ids(src);
            let missing: Vec<_> = en.iter().filter(|i| !other.contains(i)).collect();
            let extra: Vec<_> = other.iter().filter(|i| !en.contains(i)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang} has messages English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn every_message_a_template_asks_for_exists() {
        let en = ids(CATALOGUES[0]);
        let mut asked = 0;
        for (name, src) in crate::TEMPLATE_SOURCES {
            let double = src.split("t(\"").skip(1).map(|p| p.split('"').next());
            let single = src.split("t('").skip(1).map(|p| p.split('\'').next());
            for id in double.chain(single) {
                let id = id.unwrap_or_default();
                // A key built in the template ("task-" ~ k.key) is checked
                // by the page tests.
                if id.ends_with('-') {
                    continue;
                }
                asked += 1;
                assert!(
                    en.iter().any(|i| i == id),
                    "{name} asks for {id:?}, which en.ftl lacks"
                );
            }
        }
        assert!(asked > 50, "{asked} messages asked for");
    }

    #[test]
    fn plurals_follow_each_language() {
        let one = args([("count", FluentValue::from(1))]);
        let two = args([("count", FluentValue::from(2))]);
        let zero = args([("count", FluentValue::from(0))]);
        assert_eq!(
            tr(Lang::En, "search-results", Some(&one)),
            "1 result among what you may read."
        );
        assert_eq!(
            tr(Lang::En, "search-results", Some(&two)),
            "2 results among what you may read."
        );
        // French counts 0 as singular, English as plural.
        assert_eq!(
            tr(Lang::Fr, "search-results", Some(&zero)),
            "0 résultat parmi ce que vous pouvez lire."
        );
        assert_eq!(
            tr(Lang::En, "search-results", Some(&zero)),
            "0 results among what you may read."
        );
        // Arabic has a dual.
        assert_eq!(
            tr(Lang::Ar, "search-results", Some(&two)),
            "نتيجتان مما يحق لك قراءته."
        );
    }

    #[test]
    fn numbers_and_dates_as_each_language_writes_them() {
        assert_eq!(format_number(Lang::En, 1_234_567.5), "1,234,567.5");
        assert_eq!(
            format_number(Lang::Fr, 1_234_567.5),
            "1\u{202F}234\u{202F}567,5"
        );
        assert_eq!(format_number(Lang::Ar, 1_234_567.5), "١٬٢٣٤٬٥٦٧٫٥");
        assert_eq!(format_number(Lang::En, -42.0), "-42");
        assert_eq!(format_number(Lang::En, 0.25), "0.25");
        assert_eq!(format_number(Lang::En, 999.0), "999");
        assert_eq!(format_date(Lang::En, "2016-12-16"), "16 Dec 2016");
        assert_eq!(
            format_date(Lang::Fr, "2016-02-01T10:00:00Z"),
            "1 févr. 2016"
        );
        assert_eq!(format_date(Lang::Ar, "2016-12-16"), "١٦ ديسمبر ٢٠١٦");
        assert_eq!(format_date(Lang::En, "not a date"), "not a date");
        assert_eq!(format_date(Lang::En, "2016-13-01"), "2016-13-01");
    }

    #[test]
    fn the_browser_s_preference_picks_one_of_ours() {
        assert_eq!(
            Lang::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,ar;q=0.5,en;q=0.4"),
            Some(Lang::Ar)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.2, fr;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("de, ja"), None);
        assert_eq!(Lang::from_accept_language("fr;q=0"), None);
        assert_eq!(Lang::from_accept_language(""), None);
        assert_eq!(Lang::parse("AR-iq"), Some(Lang::Ar));
    }
}
