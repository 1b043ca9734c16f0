//! Where the demo's records come from. The five seed documents (kept in
//! `shared/seeds/`, named here by their number), the published history the
//! demo takes from outside them (labelled as such), and the words that say
//! what the scenario adds ("illustrative"). Every record the demo writes
//! gets a source; `tests/demo_facts.rs` holds that no record lacks one and
//! that the facts of `demo/facts.toml` are held exactly.

use anyhow::Result;
use coalesce_domain::source::{Citation, Source, Subject};
use coalesce_store::{Principal, Store};

/// The seed documents: (number, how a reader names it).
pub const DOCUMENTS: &[(&str, &str)] = &[
    ("000", "DoD News, 5 September 2014: \"Kerry, Hagel Discuss ISIL Threat With Allies, Partners\" (seed document 000)"),
    ("001", "Newsroom24, 23 January 2015: \"Global coalition meets in London to discuss efforts to defeat ISIL\" (seed document 001)"),
    ("002", "News report, September 2014: \"IS recruitment of foreign fighters key issue for NATO: US\" (seed document 002)"),
    ("003", "DoD News, 15 December 2016: \"Carter: Coalition Must Stay Focused on Counter-ISIL Campaign\" (seed document 003)"),
    ("004", "Al Jazeera, 5 September 2014: \"US calls for coalition to 'destroy' IS group\" (seed document 004)"),
];

/// The name of a seed document by its number.
pub fn document(number: &str) -> &'static str {
    DOCUMENTS
        .iter()
        .find(|(n, _)| *n == number)
        .map(|(_, d)| *d)
        .unwrap_or("unknown seed document")
}

/// A source quoting seed documents — (number, exact words) each — and
/// history from outside them — (document, what it says) each — with what
/// the demo adds, if anything. It must cite something or say what it adds.
pub fn mixed(
    seed: &[(&str, &str)],
    outside: &[(&str, &str)],
    illustrative: Option<&str>,
) -> Result<Source> {
    let citations: Vec<Citation> = seed
        .iter()
        .map(|(n, q)| Citation {
            document: document(n).into(),
            quote: (*q).into(),
            seed: true,
        })
        .chain(outside.iter().map(|(d, says)| Citation {
            document: (*d).into(),
            quote: (*says).into(),
            seed: false,
        }))
        .collect();
    Ok(Source::parse(&citations, illustrative)?)
}

/// A source quoting seed documents, with what the demo adds (if anything).
pub fn source(quotes: &[(&str, &str)], illustrative: Option<&str>) -> Result<Source> {
    mixed(quotes, &[], illustrative)
}

/// A source quoting seed documents.
pub fn cites(quotes: &[(&str, &str)]) -> Result<Source> {
    source(quotes, None)
}

/// A source quoting seed documents, with what the demo adds to them.
pub fn cites_adding(quotes: &[(&str, &str)], illustrative: &str) -> Result<Source> {
    source(quotes, Some(illustrative))
}

/// Something only the scenario holds, said why.
pub fn illustrative(why: &str) -> Result<Source> {
    source(&[], Some(why))
}

/// Keeps `source` for `subject`, written by `by` (a record's origin) or
/// the node (registry entries).
pub async fn keep(
    store: &Store,
    by: Option<&Principal>,
    subject: Subject,
    source: &Source,
) -> Result<()> {
    store.set_source(by, &subject, source).await?;
    Ok(())
}
