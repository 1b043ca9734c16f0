//! Russian names in German transliteration (Duden): "Jewgeni
//! Michailowitsch Bogatschow" is Yevgeni Mikhailovich Bogachev, written as
//! German spells the Cyrillic letters (ч tsch, ш sch, х ch, в w, й/е j,
//! з s). A name that reads so is respelt the English way before it is
//! compared.

/// Whether a name's words read as a Russian name in German
/// transliteration: a patronymic in -witsch/-wna, or a family name in
/// -ow/-ew/-owa/-ewa or with "tsch".
pub(super) fn reads_as_german_russian<'a>(mut words: impl Iterator<Item = &'a str>) -> bool {
    words.any(|w| {
        w.len() >= 5
            && (w.ends_with("witsch")
                || w.ends_with("wna")
                || w.contains("tsch")
                || ["ow", "ew", "owa", "ewa", "jew", "jewa"]
                    .iter()
                    .any(|e| w.ends_with(e)))
    })
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A word of such a name spelt the English way: schtsch shch, tsch ch, dsch
/// j, sch sh, ch kh, w v, j before a vowel y, s between vowels z.
pub(super) fn respell(w: &str) -> String {
    let b = w.as_bytes();
    let mut out = String::with_capacity(w.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let rest = &w[i..];
        let (put, used) = if rest.starts_with("schtsch") {
            ("shch", 7)
        } else if rest.starts_with("tsch") {
            ("ch", 4)
        } else if rest.starts_with("dsch") {
            ("j", 4)
        } else if rest.starts_with("sch") {
            ("sh", 3)
        } else if rest.starts_with("ch") {
            ("kh", 2)
        } else if b[i] == b'w' {
            ("v", 1)
        } else if b[i] == b'j' && b.get(i + 1).is_some_and(|&c| is_vowel(c)) {
            ("y", 1)
        } else if b[i] == b's'
            && i > 0
            && is_vowel(b[i - 1])
            && b.get(i + 1).is_some_and(|&c| is_vowel(c))
        {
            ("z", 1)
        } else {
            (&rest[..1], 1)
        };
        out.push_str(put);
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_spellings_of_russian_names_are_respelt() {
        assert_eq!(respell("bogatschow"), "bogachov");
        assert_eq!(respell("michailowitsch"), "mikhailovich");
        assert_eq!(respell("jewgeni"), "yevgeni");
        assert_eq!(respell("radschapowitsch"), "rajapovich");
        assert_eq!(respell("chruschtschow"), "khrushchov");
        assert!(reads_as_german_russian(
            ["ramsan", "achmatowitsch"].into_iter()
        ));
        assert!(!reads_as_german_russian(["helmut", "schmidt"].into_iter()));
    }
}
