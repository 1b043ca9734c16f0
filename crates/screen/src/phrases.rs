//! Tables of multi-word phrases (legal forms and their kinds) found in a
//! name longest first: "GmbH & Co. KG" before "GmbH".

use crate::index::FxMap;

/// Phrases as their words, by first word, each with a value.
pub(crate) struct Phrases<V> {
    by_first: FxMap<String, Vec<(Vec<String>, V)>>,
}

impl<V> Default for Phrases<V> {
    fn default() -> Self {
        Phrases {
            by_first: FxMap::default(),
        }
    }
}

impl<V> Phrases<V> {
    /// The value of `words`, added with `new` if the table lacks them.
    pub(crate) fn entry(&mut self, words: Vec<String>, new: impl FnOnce() -> V) -> &mut V {
        let first = words.first().cloned().unwrap_or_default();
        let v = self.by_first.entry(first).or_default();
        let k = match v.iter().position(|(w, _)| *w == words) {
            Some(k) => k,
            None => {
                v.push((words, new()));
                v.len() - 1
            }
        };
        &mut v[k].1
    }

    /// Orders each first word's phrases longest first; call once the
    /// table is filled.
    pub(crate) fn longest_first(mut self) -> Self {
        for v in self.by_first.values_mut() {
            v.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        }
        self
    }

    /// Whether some phrase begins with `word`.
    pub(crate) fn starts_with(&self, word: &str) -> bool {
        self.by_first.contains_key(word)
    }

    /// The longest phrase that the words from `i` on begin with (`word(k)`
    /// is the k-th of `len` words): its length and value.
    pub(crate) fn longest_at<'w>(
        &self,
        word: impl Fn(usize) -> &'w str,
        len: usize,
        i: usize,
    ) -> Option<(usize, &V)> {
        self.by_first.get(word(i))?.iter().find_map(|(p, v)| {
            (p.len() <= len - i && p.iter().enumerate().all(|(k, a)| a == word(i + k)))
                .then_some((p.len(), v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Phrases;

    #[test]
    fn longest_phrase_wins() {
        let mut t = Phrases::default();
        for p in ["gmbh", "gmbh & co kg", "co"] {
            *t.entry(p.split(' ').map(String::from).collect(), || 0) += p.len();
        }
        let t = t.longest_first();
        let words = ["x", "gmbh", "&", "co", "kg"];
        assert_eq!(t.longest_at(|k| words[k], words.len(), 1), Some((4, &12)));
        assert_eq!(t.longest_at(|k| words[k], 3, 1), Some((1, &4)));
        assert_eq!(t.longest_at(|k| words[k], words.len(), 0), None);
        assert!(t.starts_with("co") && !t.starts_with("kg"));
    }
}
