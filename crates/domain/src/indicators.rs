//! Campaign indicators (issue 3): what the coalition measures over time —
//! airstrikes, territory retaken, brigades trained, share of territory held,
//! people returned home — with a unit, a direction, an aggregation rule, a
//! baseline and dated targets; and the values members report, each under its
//! own marking.
//!
//! Pure: validation, the aggregation of the values a viewer may read into an
//! *actual* figure and a series over time, and progress
//! `(actual − baseline) / (target − baseline)`. Indicator values are
//! measurements, not money, so they are `f64` (finite, bounded).

use crate::record::{stix_str, Kind, RefTarget, Reference, StixProperties, StixRefs};
use crate::{DomainError, Marking, Slug};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::fmt;

pub const MAX_NAME: usize = 200;
pub const MAX_UNIT: usize = 32;
pub const MAX_NOTE: usize = 5_000;
pub const MAX_TARGETS: usize = 20;
/// The largest magnitude of a baseline, target or value.
pub const MAX_VALUE: f64 = 1e15;

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

/// Whether a higher or a lower figure is progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "increase" => Ok(Direction::Increase),
            "decrease" => Ok(Direction::Decrease),
            other => Err(invalid(
                "direction",
                format!("{other:?}: expected increase or decrease"),
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }
}

/// How the values reported by members combine into the indicator's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Each value is a count for its period (e.g. one member's airstrikes in
    /// a month); the figure is their total so far.
    Sum,
    /// Each value is a reading of the whole (e.g. share of territory held);
    /// the figure is the latest reading.
    Last,
    /// The figure is the highest reading so far (e.g. number of members).
    Max,
}

impl Aggregation {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "sum" => Ok(Aggregation::Sum),
            "last" => Ok(Aggregation::Last),
            "max" => Ok(Aggregation::Max),
            other => Err(invalid(
                "aggregation",
                format!("{other:?}: expected sum, last or max"),
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Last => "last",
            Aggregation::Max => "max",
        }
    }
}

impl fmt::Display for Aggregation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finite value within [`MAX_VALUE`].
pub fn value(field: &'static str, v: f64) -> Result<f64, DomainError> {
    if !v.is_finite() || v.abs() > MAX_VALUE {
        return Err(invalid(
            field,
            format!("{v} is not a finite number within ±{MAX_VALUE:e}"),
        ));
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// YYYY-MM-DD: the date by which the value should be reached.
    pub date: String,
    pub value: f64,
}

/// An indicator definition as a coordinator submits it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDraft {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub line_of_effort: Option<Slug>,
    pub direction: Direction,
    pub aggregation: Aggregation,
    pub baseline: f64,
    /// YYYY-MM-DD of the baseline, if known.
    pub baseline_date: Option<String>,
    /// Sorted by date; may be empty (a count followed without a goal).
    pub targets: Vec<Target>,
}

impl IndicatorDraft {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        slug: &str,
        name: &str,
        description: &str,
        unit: &str,
        line_of_effort: Option<&str>,
        direction: &str,
        aggregation: &str,
        baseline: f64,
        baseline_date: Option<&str>,
        targets: &[(String, f64)],
    ) -> Result<Self, DomainError> {
        let direction = Direction::parse(direction)?;
        let baseline = value("baseline", baseline)?;
        if targets.len() > MAX_TARGETS {
            return Err(invalid("targets", format!("more than {MAX_TARGETS}")));
        }
        let mut ts = targets
            .iter()
            .map(|(d, v)| {
                Ok(Target {
                    date: crate::text::iso_date("targets.date", d)?,
                    value: value("targets.value", *v)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        ts.sort_by(|a, b| a.date.cmp(&b.date));
        if ts.windows(2).any(|w| w[0].date == w[1].date) {
            return Err(invalid("targets", "two targets on the same date"));
        }
        for t in &ts {
            let ahead = match direction {
                Direction::Increase => t.value > baseline,
                Direction::Decrease => t.value < baseline,
            };
            if !ahead {
                return Err(invalid(
                    "targets",
                    format!(
                        "the target {} of {} is not an {} from the baseline {baseline}",
                        t.value,
                        t.date,
                        direction.as_str()
                    ),
                ));
            }
        }
        let baseline_date = baseline_date
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| crate::text::iso_date("baseline_date", d))
            .transpose()?;
        Ok(IndicatorDraft {
            slug: Slug::parse(slug.trim())?,
            name: crate::text::required_line("name", name, MAX_NAME)?,
            description: crate::text::body("description", description, MAX_NOTE)?,
            unit: crate::text::required_line("unit", unit, MAX_UNIT)?,
            line_of_effort: line_of_effort
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Slug::parse)
                .transpose()?,
            direction,
            aggregation: Aggregation::parse(aggregation)?,
            baseline,
            baseline_date,
            targets: ts,
        })
    }
}

/// An indicator as stored. Definitions are the coalition's shared catalogue
/// (like lines of effort); the values are marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub unit: String,
    pub line_of_effort: Option<String>,
    pub direction: Direction,
    pub aggregation: Aggregation,
    pub baseline: f64,
    pub baseline_date: Option<String>,
    pub targets: Vec<Target>,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

/// A value as its reporting member submits it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueDraft {
    pub observed_on: String,
    pub value: f64,
    pub note: String,
    pub marking: Marking,
}

impl ValueDraft {
    pub fn parse(
        observed_on: &str,
        v: f64,
        note: &str,
        marking: Marking,
    ) -> Result<Self, DomainError> {
        Ok(ValueDraft {
            observed_on: crate::text::iso_date("observed_on", observed_on)?,
            value: value("value", v)?,
            note: crate::text::body("note", note, MAX_NOTE)?,
            marking,
        })
    }
}

/// Reported values are records of the record layer: versioned, withdrawn
/// by a new version, exported in their own STIX form.
pub struct IndicatorValueKind;

/// A reported value's own fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueBody {
    /// The slug of the indicator in the catalogue.
    pub indicator: String,
    /// YYYY-MM-DD: the date the value was observed.
    pub observed_on: String,
    pub value: f64,
    #[serde(default)]
    pub note: String,
}

impl ValueBody {
    /// A value as the reporting screens and imports submit it.
    pub fn of(indicator: &str, d: &ValueDraft) -> Self {
        ValueBody {
            indicator: indicator.to_string(),
            observed_on: d.observed_on.clone(),
            value: d.value,
            note: d.note.clone(),
        }
    }
}

impl Kind for IndicatorValueKind {
    const NAME: &'static str = "indicator_value";
    const LABEL: &'static str = "indicator value";
    const STIX_TYPE: &'static str = "x-coalesce-indicator-value";
    type Body = ValueBody;
    const REFERS_TO: &'static [RefTarget] = &[RefTarget::Indicator];

    fn validate(b: ValueBody) -> Result<ValueBody, DomainError> {
        Ok(ValueBody {
            indicator: Slug::parse(&b.indicator)
                .map_err(|e| invalid("indicator", e.to_string()))?
                .to_string(),
            observed_on: crate::text::iso_date("observed_on", &b.observed_on)?,
            value: value("value", b.value)?,
            note: crate::text::body("note", &b.note, MAX_NOTE)?,
        })
    }

    /// A value is of the indicator it was reported for.
    fn immutable_change(old: &ValueBody, new: &ValueBody) -> Option<&'static str> {
        (old.indicator != new.indicator)
            .then_some("a value stays with the indicator it was reported for")
    }

    fn stix_properties(b: &ValueBody, _refs: &StixRefs<'_>) -> Option<StixProperties> {
        let mut m = Map::new();
        m.insert("indicator".into(), json!(b.indicator));
        m.insert("observed_on".into(), json!(b.observed_on));
        m.insert("value".into(), json!(b.value));
        if !b.note.is_empty() {
            m.insert("note".into(), json!(b.note));
        }
        Some(StixProperties {
            object: m,
            extension: Map::new(),
        })
    }

    fn from_stix(o: &Map<String, Value>, _: &Map<String, Value>) -> Result<ValueBody, DomainError> {
        Self::validate(ValueBody {
            indicator: stix_str(o, "indicator")?.to_string(),
            observed_on: stix_str(o, "observed_on")?.to_string(),
            value: o
                .get("value")
                .and_then(Value::as_f64)
                .ok_or_else(|| invalid("value", "missing or not a number"))?,
            note: o
                .get("note")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
    }

    fn references(b: &ValueBody) -> Vec<Reference> {
        vec![Reference {
            target: RefTarget::Indicator,
            id: b.indicator.clone(),
        }]
    }
}

/// A reported value as stored: which member reported it (its source), under
/// which marking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    pub id: String,
    pub indicator: String,
    /// The reporting member.
    pub origin: String,
    pub observed_on: String,
    pub value: f64,
    pub note: String,
    pub marking: Marking,
    pub recorded_at_ms: i64,
    pub recorded_by: String,
}

/// One reading for the aggregation: the date observed, when it was recorded
/// (later records of the same date win for `last`) and the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading<'a> {
    pub observed_on: &'a str,
    pub recorded_at_ms: i64,
    pub value: f64,
}

/// The indicator's figure after each date that has readings, oldest first:
/// the running total (`sum`), the latest reading (`last`) or the running
/// maximum (`max`). Dates are ISO strings, so they sort as text.
pub fn series(aggregation: Aggregation, readings: &[Reading<'_>]) -> Vec<(String, f64)> {
    let mut rs: Vec<&Reading<'_>> = readings.iter().collect();
    rs.sort_by(|a, b| {
        (a.observed_on, a.recorded_at_ms)
            .partial_cmp(&(b.observed_on, b.recorded_at_ms))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut figure: Option<f64> = None;
    for r in rs {
        let next = match (aggregation, figure) {
            (Aggregation::Sum, Some(f)) => f + r.value,
            (Aggregation::Max, Some(f)) => f.max(r.value),
            (Aggregation::Sum | Aggregation::Max | Aggregation::Last, _) => r.value,
        };
        figure = Some(next);
        match out.last_mut() {
            Some((d, v)) if d == r.observed_on => *v = next,
            _ => out.push((r.observed_on.to_string(), next)),
        }
    }
    out
}

/// How far from baseline to target the actual figure is: 0 at the
/// baseline, 1 at the target, beyond 1 past it, negative when it went the
/// wrong way. `None` when there is no actual figure yet.
pub fn progress(baseline: f64, target: f64, actual: Option<f64>) -> Option<f64> {
    let span = target - baseline;
    let a = actual?;
    if span == 0.0 {
        return None;
    }
    Some((a - baseline) / span)
}

/// The figures of an indicator over the readings a viewer may read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// The latest figure, if any reading exists.
    pub actual: Option<f64>,
    /// The date of the latest reading.
    pub as_of: Option<String>,
    /// The headline target: the first one not yet due at `as_of`, or the
    /// last one when all are past.
    pub target: Option<Target>,
    pub progress: Option<f64>,
    pub series: Vec<(String, f64)>,
}

impl Standing {
    pub fn compute(indicator: &Indicator, readings: &[Reading<'_>]) -> Standing {
        let series = series(indicator.aggregation, readings);
        let (as_of, actual) = match series.last() {
            Some((d, v)) => (Some(d.clone()), Some(*v)),
            None => (None, None),
        };
        let target = indicator
            .targets
            .iter()
            .find(|t| as_of.as_deref().is_none_or(|d| t.date.as_str() >= d))
            .or(indicator.targets.last())
            .cloned();
        let progress = target
            .as_ref()
            .and_then(|t| progress(indicator.baseline, t.value, actual));
        Standing {
            actual,
            as_of,
            target,
            progress,
            series,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(d: &str, at: i64, v: f64) -> Reading<'_> {
        Reading {
            observed_on: d,
            recorded_at_ms: at,
            value: v,
        }
    }

    fn draft(
        direction: &str,
        baseline: f64,
        targets: &[(&str, f64)],
    ) -> Result<IndicatorDraft, DomainError> {
        let ts: Vec<(String, f64)> = targets.iter().map(|(d, v)| (d.to_string(), *v)).collect();
        IndicatorDraft::parse(
            "territory-held",
            "Share of Iraqi territory held by ISIL",
            "",
            "%",
            Some("stabilisation"),
            direction,
            "last",
            baseline,
            Some("2014-08-01"),
            &ts,
        )
    }

    #[test]
    fn a_value_changes_but_stays_with_its_indicator() {
        let v = |indicator: &str, value: f64| ValueBody {
            indicator: indicator.into(),
            observed_on: "2015-01-22".into(),
            value,
            note: String::new(),
        };
        let old = v("airstrikes", 2000.0);
        assert!(IndicatorValueKind::immutable_change(&old, &v("airstrikes", 2100.0)).is_none());
        assert!(IndicatorValueKind::immutable_change(&old, &v("territory-held", 2000.0)).is_some());
    }

    #[test]
    fn sum_accumulates_across_members_and_dates() {
        let s = series(
            Aggregation::Sum,
            &[
                r("2014-09-30", 2, 300.0),
                r("2014-08-31", 1, 100.0),
                r("2014-09-30", 3, 50.0),
            ],
        );
        assert_eq!(
            s,
            vec![("2014-08-31".into(), 100.0), ("2014-09-30".into(), 450.0)]
        );
    }

    #[test]
    fn last_takes_the_newest_reading_and_max_the_highest() {
        let rs = [
            r("2015-01-01", 5, 30.0),
            r("2016-12-01", 1, 9.0),
            r("2016-12-01", 2, 10.0),
        ];
        assert_eq!(
            series(Aggregation::Last, &rs).last(),
            Some(&("2016-12-01".into(), 10.0))
        );
        let ms = [r("2014-12-03", 1, 60.0), r("2015-02-01", 1, 58.0)];
        assert_eq!(
            series(Aggregation::Max, &ms).last(),
            Some(&("2015-02-01".into(), 60.0))
        );
    }

    #[test]
    fn progress_works_in_both_directions() {
        assert_eq!(progress(0.0, 12.0, Some(3.0)), Some(0.25));
        // Territory held: 40 % down to 10 %; at 25 % half the way is done.
        assert_eq!(progress(40.0, 10.0, Some(25.0)), Some(0.5));
        assert_eq!(progress(40.0, 10.0, Some(45.0)), Some(-5.0 / 30.0));
        assert_eq!(progress(40.0, 10.0, None), None);
    }

    #[test]
    fn targets_must_lie_in_the_direction_of_progress() {
        assert!(draft("decrease", 40.0, &[("2016-12-31", 10.0)]).is_ok());
        assert!(draft("increase", 40.0, &[("2016-12-31", 10.0)]).is_err());
        assert!(draft("decrease", 40.0, &[]).is_ok());
        assert!(draft("decrease", f64::NAN, &[("2016-12-31", 10.0)]).is_err());
        assert!(draft("decrease", 40.0, &[("2016-13-31", 10.0)]).is_err());
        assert!(draft("sideways", 40.0, &[("2016-12-31", 10.0)]).is_err());
        assert!(draft(
            "decrease",
            40.0,
            &[("2016-12-31", 10.0), ("2016-12-31", 5.0)]
        )
        .is_err());
    }

    #[test]
    fn standing_picks_the_next_target_due() {
        let d = draft(
            "decrease",
            40.0,
            &[("2016-12-31", 10.0), ("2015-12-31", 25.0)],
        )
        .expect("valid");
        let ind = Indicator {
            slug: d.slug.to_string(),
            name: d.name,
            description: d.description,
            unit: d.unit,
            line_of_effort: None,
            direction: d.direction,
            aggregation: d.aggregation,
            baseline: d.baseline,
            baseline_date: d.baseline_date,
            targets: d.targets,
            updated_at_ms: 0,
            updated_by: "x".into(),
        };
        let s = Standing::compute(&ind, &[r("2015-06-01", 1, 30.0)]);
        assert_eq!(s.target.as_ref().map(|t| t.value), Some(25.0));
        assert_eq!(s.progress, Some(10.0 / 15.0));
        let late = Standing::compute(&ind, &[r("2017-01-01", 1, 8.0)]);
        assert_eq!(late.target.map(|t| t.value), Some(10.0));
        let none = Standing::compute(&ind, &[]);
        assert_eq!(none.actual, None);
        assert_eq!(none.progress, None);
        assert_eq!(none.target.map(|t| t.value), Some(25.0));
    }

    #[test]
    fn values_must_be_finite_and_dated() {
        let m = Marking::parse("CLEAR", &[]).expect("marking");
        assert!(ValueDraft::parse("2015-01-01", 2000.0, "", m.clone()).is_ok());
        assert!(ValueDraft::parse("2015-01-01", f64::INFINITY, "", m.clone()).is_err());
        assert!(ValueDraft::parse("January 2015", 1.0, "", m.clone()).is_err());
        assert!(ValueDraft::parse("2015-01-01", 2e15, "", m).is_err());
    }

    #[test]
    fn a_value_checks_its_fields_and_round_trips_through_stix() {
        let b = IndicatorValueKind::validate(ValueBody {
            indicator: "returned-home".into(),
            observed_on: " 2016-06-30 ".into(),
            value: 0.1,
            note: "IOM DTM".into(),
        })
        .expect("valid");
        assert_eq!(b.observed_on, "2016-06-30");
        let resolved = std::collections::BTreeMap::new();
        let refs = crate::record::StixRefs {
            origin_identity: "identity--x",
            created: "2026-01-01T00:00:00.000Z",
            resolved: &resolved,
        };
        let props = IndicatorValueKind::stix_properties(&b, &refs).expect("a form");
        assert_eq!(
            IndicatorValueKind::from_stix(&props.object, &props.extension).expect("back"),
            b
        );
        assert_eq!(
            IndicatorValueKind::references(&b),
            vec![Reference {
                target: RefTarget::Indicator,
                id: "returned-home".into()
            }]
        );
        for bad in [
            ValueBody {
                indicator: "Not A Slug".into(),
                ..b.clone()
            },
            ValueBody {
                observed_on: "30/06/2016".into(),
                ..b.clone()
            },
            ValueBody {
                value: f64::NAN,
                ..b.clone()
            },
            ValueBody {
                value: 2e15,
                ..b.clone()
            },
        ] {
            assert!(
                IndicatorValueKind::validate(bad.clone()).is_err(),
                "{bad:?}"
            );
        }
    }
}
