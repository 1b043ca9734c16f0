//! One entry of the registries of read paths (the API's and TAXII's in
//! `coalesce-api`, the web interface's in `coalesce-web`), which the
//! releasability property test walks.

/// What the plenary report reads (its API and web paths): everything a
/// member reads, summed.
pub const PLENARY: &[&str] = &[
    "indicator_value",
    "requirement",
    "contribution",
    "fund",
    "fund_transfer",
    "meeting",
    "statement",
    "commitment",
];

/// One read path: its route as the router declares it, and what it reads.
#[derive(Debug, Clone, Copy)]
pub struct ReadPath {
    pub path: &'static str,
    /// The kinds of marked record whose content it may show ("registry"
    /// for unmarked coalition data, "own" for the caller's own member's).
    pub reads: &'static [&'static str],
}
