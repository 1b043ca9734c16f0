//! How well the requirements of one place are covered, as a 3W map colours
//! it: by its least-covered requirement, so that one unmet need is never
//! hidden behind others that are met.

use super::Summary;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// At least one requirement has nothing committed or delivered.
    Unmet,
    /// Every requirement has something firm, and at least one still has a gap.
    Partly,
    /// Every requirement is committed or delivered in full.
    Covered,
}

impl Coverage {
    /// One requirement's coverage. Pledges do not count: they are not firm
    /// (see [`Summary`]).
    pub fn of_requirement(s: &Summary) -> Coverage {
        if s.gap == 0 {
            Coverage::Covered
        } else if s.gap >= s.requested {
            Coverage::Unmet
        } else {
            Coverage::Partly
        }
    }

    /// A place's coverage: that of its least-covered requirement; `None`
    /// when it has none.
    pub fn of_place<'a>(requirements: impl IntoIterator<Item = &'a Summary>) -> Option<Coverage> {
        requirements.into_iter().map(Coverage::of_requirement).min()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Unmet => "unmet",
            Coverage::Partly => "partly",
            Coverage::Covered => "covered",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::needs::{Counted, Progress, Status};

    fn summary(requested: i64, committed: i64, delivered: i64, pledged: i64) -> Summary {
        let c = |status, amount, delivered| Counted {
            progress: Progress {
                status,
                amount,
                delivered,
            },
            received: 0,
        };
        Summary::compute(
            requested,
            [
                c(Status::Committed, committed, 0),
                c(Status::Delivered, delivered, delivered),
                c(Status::Pledged, pledged, 0),
            ],
        )
    }

    #[test]
    fn a_requirement_is_unmet_until_something_is_firm() {
        assert_eq!(
            Coverage::of_requirement(&summary(100, 0, 0, 0)),
            Coverage::Unmet
        );
        // A pledge alone leaves it unmet.
        assert_eq!(
            Coverage::of_requirement(&summary(100, 0, 0, 100)),
            Coverage::Unmet
        );
        assert_eq!(
            Coverage::of_requirement(&summary(100, 30, 0, 0)),
            Coverage::Partly
        );
        assert_eq!(
            Coverage::of_requirement(&summary(100, 0, 99, 0)),
            Coverage::Partly
        );
        assert_eq!(
            Coverage::of_requirement(&summary(100, 50, 50, 0)),
            Coverage::Covered
        );
        assert_eq!(
            Coverage::of_requirement(&summary(100, 0, 150, 0)),
            Coverage::Covered
        );
    }

    #[test]
    fn a_place_is_as_covered_as_its_least_covered_requirement() {
        let met = summary(10, 10, 0, 0);
        let partly = summary(10, 5, 0, 0);
        let unmet = summary(10, 0, 0, 0);
        assert_eq!(Coverage::of_place([]), None);
        assert_eq!(Coverage::of_place([&met]), Some(Coverage::Covered));
        assert_eq!(Coverage::of_place([&met, &partly]), Some(Coverage::Partly));
        assert_eq!(
            Coverage::of_place([&met, &partly, &unmet]),
            Some(Coverage::Unmet)
        );
    }
}
