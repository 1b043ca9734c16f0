//! Where a record comes from: the documents that state it, quoted, and what
//! was added to it that no document states ("illustrative"). Kept beside a
//! record or a registry entry (never in its body: a citation is the node's
//! account of the record, not one of the record's own fields), shown on its
//! page and in the API. The demo gives one to every record it writes, so a
//! reader can tell the seed documents' facts from the scenario's additions.

use crate::text::{body, required_line};
use crate::DomainError;
use serde::{Deserialize, Serialize};

/// One document and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Citation {
    /// The document: publisher, date and title.
    pub document: String,
    /// Its words, quoted exactly.
    pub quote: String,
    /// False for history taken from outside the project's seed documents
    /// (for example a published membership list): shown as such.
    #[serde(default = "yes")]
    pub seed: bool,
}

fn yes() -> bool {
    true
}

/// A record's sources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// What the documents state, quoted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// What no document states and was added to make the scenario work
    /// (amounts, splits, dates, members of groups the documents only count),
    /// said in words. Present means the record is labelled "illustrative".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub illustrative: Option<String>,
}

impl Source {
    /// Checks a source given by a user: at least one citation or an
    /// illustrative label; bounded texts.
    pub fn parse(
        citations: &[Citation],
        illustrative: Option<&str>,
    ) -> Result<Source, DomainError> {
        if citations.len() > 20 {
            return Err(DomainError::InvalidField {
                field: "citations",
                reason: "more than 20".into(),
            });
        }
        let citations = citations
            .iter()
            .map(|c| {
                Ok(Citation {
                    document: required_line("citations.document", &c.document, 300)?,
                    quote: required_line(
                        "citations.quote",
                        &body("citations.quote", &c.quote, 2_000)?,
                        2_000,
                    )?,
                    seed: c.seed,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        let illustrative = illustrative
            .map(|t| required_line("illustrative", t, 1_000))
            .transpose()?;
        if citations.is_empty() && illustrative.is_none() {
            return Err(DomainError::InvalidField {
                field: "source",
                reason: "needs a citation of a document or an illustrative label".into(),
            });
        }
        Ok(Source {
            citations,
            illustrative,
        })
    }

    /// A source that quotes one seed document.
    pub fn cites(document: &str, quote: &str) -> Result<Source, DomainError> {
        Source::parse(
            &[Citation {
                document: document.into(),
                quote: quote.into(),
                seed: true,
            }],
            None,
        )
    }

    /// The same source, labelled illustrative for what `why` says.
    pub fn and_illustrative(mut self, why: &str) -> Result<Source, DomainError> {
        self.illustrative = Some(required_line("illustrative", why, 1_000)?);
        Ok(self)
    }

    pub fn is_illustrative(&self) -> bool {
        self.illustrative.is_some()
    }
}

/// What a source is kept for: a record of the layer by its id, or an entry
/// of the registry or the ledger, as one key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Record(String),
    Member(String),
    Group(String),
    LineOfEffort(String),
    Indicator(String),
    Transfer(String),
}

impl Subject {
    pub fn key(&self) -> String {
        match self {
            Subject::Record(id) => id.clone(),
            Subject::Member(c) => format!("member:{c}"),
            Subject::Group(s) => format!("group:{s}"),
            Subject::LineOfEffort(s) => format!("line:{s}"),
            Subject::Indicator(s) => format!("indicator:{s}"),
            Subject::Transfer(id) => format!("transfer:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_needs_a_citation_or_a_label() {
        assert!(Source::parse(&[], None).is_err());
        assert!(Source::parse(&[], Some("  ")).is_err());
        let s = Source::parse(&[], Some("amount not in the documents")).expect("labelled");
        assert!(s.is_illustrative());
        let c = Source::cites("DoD News, 5 September 2014", "no time to waste").expect("cited");
        assert!(!c.is_illustrative());
        assert!(Source::cites("", "x").is_err());
        assert!(Source::cites("doc", "").is_err());
        assert!(Source::cites("doc\u{7}", "q").is_err());
        let both = c.and_illustrative("quantity").expect("both");
        assert_eq!(both.citations.len(), 1);
        assert!(both.is_illustrative());
    }

    #[test]
    fn subjects_have_distinct_keys() {
        assert_eq!(Subject::Member("GBR".into()).key(), "member:GBR");
        assert_eq!(Subject::Record("0190".into()).key(), "0190");
        assert_ne!(
            Subject::Group("x".into()).key(),
            Subject::LineOfEffort("x".into()).key()
        );
    }
}
