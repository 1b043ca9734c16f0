//! Hashtag parsing: `#tag+attr+attr`, case and attribute order ignored.

use std::collections::BTreeSet;

/// A parsed hashtag: tag and attribute set, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Hashtag {
    pub(super) tag: String,
    attrs: BTreeSet<String>,
}

fn hxl_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

impl Hashtag {
    /// `#tag+attr+attr`, whitespace around the parts allowed, case ignored.
    pub(super) fn parse(cell: &str) -> Option<Hashtag> {
        let compact: String = cell
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let rest = compact.strip_prefix('#')?;
        let mut parts = rest.split('+');
        let tag = parts.next().filter(|t| hxl_name(t))?.to_string();
        let mut attrs = BTreeSet::new();
        for a in parts {
            if !hxl_name(a) {
                return None;
            }
            attrs.insert(a.to_string());
        }
        Some(Hashtag { tag, attrs })
    }
}
