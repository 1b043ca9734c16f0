//! Unit tests of name-part alignment and scoring.

use super::*;
use crate::normalize::tokenize;

fn score(a: &str, b: &str) -> f64 {
    score_tokens(&tokenize(a), &tokenize(b)).score
}

/// `expected`: true = at or above the default threshold.
fn check(a: &str, b: &str, expected: bool) {
    let s = score(a, b);
    assert_eq!(
        s >= crate::DEFAULT_THRESHOLD,
        expected,
        "{a:?} vs {b:?}: {s:.3} ({})",
        score_tokens(&tokenize(a), &tokenize(b)).describe()
    );
    assert!((score(b, a) - s).abs() < 1e-9, "symmetric");
}

#[test]
fn variants_match() {
    check(
        "Mohammed Salah al-Din Zaidan",
        "Muhammad Salahuddin Zeidan",
        true,
    );
    check("Abdul Rahman Yousef", "Abd al-Rahman Yusuf", true);
    check("Hussein Ahmed", "Husayn Ahmad", true);
    check("ZAIDAN, Mohamed", "Mohamed Zaidan", true);
    check("M. Zaidan", "Mohamed Zaidan", true);
    check("Mohamed Zaidna", "Mohamed Zaidan", true);
    check("محمد زيدان", "Mohamed Zaidan", true);
    check("Osama bin Laden", "Usama Ladin", true);
}

#[test]
fn different_people_do_not() {
    check("Mohammed Zaidan", "Mohammed Haddad", false);
    // Relatives: the family names agree, the given names conflict.
    check("Pedro Antonio Marin", "Bernardo Antonio Marin Tobon", false);
    check("Carlos CASTANO GIL", "Jose Vicente CASTANO GIL", false);
    check("MOHAMMAD REZA NAQDI", "MOHAMMAD REZA ZAHEDI", false);
    check("Kyong Ok KIM", "Kyong Il KIM", false);
    assert!(
        score("Pedro Antonio Marin", "Bernardo Antonio Marin Tobon")
            < score("Pedro Antonio Marin", "Pedro Antonyo Marín")
    );
    // Names alike in their consonants but different names (the table).
    check("Mahmoud Ali", "Muhammad Ali", false);
    check("Hamid Salim", "Hamad Salim", false);
    check("Hasan Ali al-Tikriti", "Husayn Ali al-Tikriti", false);
    check("محمود علي", "محمد علي", false);
    check("John Smith", "Abdul Rahman Yousef", false);
    check("al-Zaidan", "al-Haddad", false);
    check("Abu Bakr", "Abu Hamza", false);
    check("IMICO NEKA 455", "IMICO NEKA 456", false);
}

#[test]
fn words_written_together_or_apart() {
    check("AERO SKYONE CO. LIMITED", "AEROSKYONE CO. LTD", true);
    check("Abu Hamza al-Masri", "Abuhamza al-Masri", true);
    // "ABD AL-SALAM" turned round as "AL-SALAM, ... ABD".
    check("Said Jan ABD AL-SALAM", "AL-SALAM, Said Jan ABD", true);
    check("Salah ABDESLAM", "Salah Abdessalam", true);
    // Word order reversed: "abd" attached to another neighbour.
    check("AL-IRAQI, Abd al-Hadi", "al-Hadi Abd AL-IRAQI", true);
    check("SAID JAN ABD AL-SALAM", "AL-SALAM ABD JAN SAID", true);
    check("ABD AL-RAHMAN, Atiyah", "Atiyah AL-RAHMAN, ABD", true);
    // ... but Abd al-Rahman is not Rahman.
    check("Abd al-Rahman Ali Haddad", "Rahman Ali Haddad", false);
    // A mistyped Abdul still joins its partner.
    check("Adbul Aziz HAQQANI", "Abdul Aziz HAQQANI", true);
    check("Mati ur Rehman", "Mati-ur-Rehman", true);
}

#[test]
fn arabic_script_and_its_regional_letters() {
    check(
        "Anwar Nasser Abdulla al-Aulaqi",
        "انور ناصر عبدالله العولقي",
        true,
    );
    check(
        "Faysal Ahmad bin Ali al-Zahrani",
        "فيصل احمد بن علي الزهراني",
        true,
    );
    check("Sanaullah Ghafari", "ثناء اللہ غفاری", true);
    check("Muhammad Omar Zadran", "محمد عمر ځدران", true);
    check("Mohammad Essa Akhund", "محمد عیسی آخوند", true);
}

#[test]
fn transliteration_swaps() {
    check("Mutassim GADDAFI", "Mutassim GHATHAFI", true);
    check("Qasim Sulaymani", "Gasim Soleimani", true);
}

#[test]
fn bounded_and_explained() {
    let ns = score_tokens(
        &tokenize("Mohamed Zaidan Extra"),
        &tokenize("Muhammad Zaidan"),
    );
    assert!((0.0..=1.0).contains(&ns.score));
    let d = ns.describe();
    assert!(d.contains("zaidan=zaidan"), "{d}");
    assert!(d.contains("spelling variant"), "{d}");
    assert!(d.contains("query parts not in listed name: extra"), "{d}");
    assert_eq!(score("", "Zaidan"), 0.0);
}

#[test]
fn string_metrics() {
    assert_eq!(levenshtein(b"kitten", b"sitting"), 3);
    assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
    assert_eq!(jaro_winkler("", ""), 1.0);
    assert_eq!(jaro_winkler("a", ""), 0.0);
}
